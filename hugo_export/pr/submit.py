"""``make pr``: place an exported post in a kubernetes/website checkout.

The post goes to ``content/en/blog/_posts/<YYYY>/`` on a new branch, as one
commit that touches only the post's files. Every refusal says why and changes
nothing: not a website checkout, a dirty tree, a different post already at the
target (unless forced), an existing branch, any lint error.
"""

from __future__ import annotations

import filecmp
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .post import read_front_matter
from .qa.lint import ERROR, lint_file

POSTS = Path("content/en/blog/_posts")


class Refusal(Exception):
    """Why ``make pr`` will not go on."""


@dataclass(frozen=True)
class Post:
    """One exported post: its Markdown file and the files beside it."""

    markdown: Path  # inside the export
    relative: Path  # the post's path below content/en/blog/_posts (file or bundle dir)
    title: str
    slug: str

    def copies(self, website: Path) -> list[tuple[Path, Path]]:
        """``(export file, website file)`` for every file of the post."""
        target = website / POSTS / self.relative
        if self.markdown.name != "index.md":
            return [(self.markdown, target)]
        bundle = self.markdown.parent
        return [(f, target / f.relative_to(bundle)) for f in sorted(bundle.rglob("*")) if f.is_file()]


def git(website: Path, *args: str, check: bool = True) -> str:
    run = subprocess.run(["git", "-C", str(website), *args], capture_output=True, text=True)
    if check and run.returncode:
        raise Refusal(f"git {' '.join(args)} failed: {run.stderr.strip()}")
    return run.stdout


def find_posts(export: Path, slug: str | None = None) -> list[Post]:
    base = export / POSTS
    posts = []
    for markdown in sorted(base.glob("*/*.md")) + sorted(base.glob("*/*/index.md")):
        front = read_front_matter(markdown)
        data = front.data if front else {}
        relative = markdown.relative_to(base)
        if markdown.name == "index.md":
            relative = relative.parent
        post = Post(markdown, relative, str(data.get("title", "")), str(data.get("slug", "")))
        if slug in (None, post.slug):
            posts.append(post)
    if not posts:
        raise Refusal(f"no post {slug + ' ' if slug else ''}in {base}; run make hugo first")
    return posts


def check_website(website: Path) -> None:
    if not (website / ".git").exists():
        raise Refusal(f"WEBSITE={website} is not a git checkout; clone kubernetes/website there")
    for needed in ("hugo.toml", POSTS):
        if not (website / needed).exists():
            raise Refusal(f"WEBSITE={website} is not a kubernetes/website checkout: it has no {needed}")
    if dirty := git(website, "status", "--porcelain").strip():
        raise Refusal(f"the website tree has uncommitted changes; commit or stash them first:\n{dirty}")


def same_post(post: Post, target: Path) -> bool:
    if post.markdown.name == "index.md":
        if not target.is_dir():
            return False
        cmp = filecmp.dircmp(post.markdown.parent, target)
        return not (cmp.left_only or cmp.right_only or cmp.diff_files)
    return target.is_file() and filecmp.cmp(post.markdown, target, shallow=False)


def submit(export: Path, website: Path, branch: str | None = None, force: bool = False, dry_run: bool = False,
           slug: str | None = None) -> int:
    """Run ``make pr``; returns the exit status."""
    try:
        return _submit(export, website.resolve(), branch, force, dry_run, slug)
    except Refusal as refusal:
        print(f"pr: refused: {refusal}", file=sys.stderr)
        return 1


def _submit(export: Path, website: Path, branch: str | None, force: bool, dry_run: bool, slug: str | None) -> int:
    check_website(website)
    posts = find_posts(export, slug)
    if len(posts) > 1:
        raise Refusal(f"the export holds {len(posts)} posts and a pull request carries one; choose it with "
                      f"POST=<slug>, one of: {', '.join(p.slug for p in posts)}")
    post = posts[0]
    findings = lint_file(post.markdown)
    if errors := [str(f) for f in findings if f.severity == ERROR]:
        raise Refusal("the export has lint errors:\n  " + "\n  ".join(errors))
    target = website / POSTS / post.relative
    if target.exists():
        if same_post(post, target):
            raise Refusal(f"{target} already holds this post; nothing to commit")
        if not force:
            raise Refusal(f"a different post is already at {target}; pass FORCE=1 to replace it")
    branch = branch or f"blog-{post.slug}"
    if git(website, "branch", "--list", branch).strip():
        raise Refusal(f"branch {branch!r} already exists in the website checkout; pass BRANCH=another-name")
    message = f"Add blog post on {post.title}"
    copies = post.copies(website)
    if dry_run:
        print(f"pr: would create branch {branch!r} in {website}")
        for _, path in copies:
            print(f"pr: would write {path.relative_to(website)}")
        print(f"pr: would commit: {message}")
        return 0
    git(website, "switch", "--quiet", "--create", branch)
    if target.exists():
        git(website, "rm", "-r", "--quiet", "--", str(target.relative_to(website)))
    for source, path in copies:
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, path)
    git(website, "add", "--", str(target.relative_to(website)))
    git(website, "commit", "--quiet", "-m", message)
    print(f"pr: committed {message!r} on branch {branch!r} in {website}")
    print("pr: next steps:")
    print(f"  git -C {website} push --set-upstream origin {branch}")
    print("  open a pull request against kubernetes/website main from that branch")
    print("  the Netlify deploy preview appears on the pull request, under /blog/ as a draft")
    return 0
