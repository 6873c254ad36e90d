"""``make pr``: the exported post committed to a kubernetes/website checkout, one review round at a time.

- The first run makes a branch ``blog-<slug>`` from the website's default
  branch (never from whatever is checked out; with a warning when that branch
  is behind its remote-tracking branch) and commits the post on it.
- Each run after review adds one commit to that branch, so the pull request
  already open updates. make pr knows its own commits by their trailer
  ``K8s-Blog-Export: <slug> <source commit>``; a commit without it (someone
  pushed a fix) stops it, listing them, unless forced.
- The post's files replace every earlier copy with its slug: when it gains or
  loses its first image (file <-> page bundle) or its date moves to another
  year, the commit removes the old path. A copy make pr did not commit is
  refused unless forced.
- After the merge, ``--publish`` on a branch of its own changes only the front
  matter of the post on the default branch: ``draft`` out, ``date`` in.

Refusals come before any change; a failure after the first change (a hook,
signing, a file in the way, an interrupt) puts the checkout back as it was
(:class:`.git.Transaction`). Nothing is pushed: the pull request's title and
text go to ``BUILD/pr/<slug>.md``, and the note says what to run.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from .. import atomic
from ..hugo.sourcemap import annotate
from ..post import PostMeta, iter_metas, post_name, post_root
from ..qa.lint import ERROR, lint_file
from .git import TRAILER, Checkout, Refusal, Transaction, source_commit
from .text import next_steps, pull_request, teaser, title

POSTS = "content/en/blog/_posts"


class Unchanged(Refusal):
    """The branch already holds this export: nothing to commit."""


@dataclass(frozen=True)
class Post:
    """One exported post, with the metadata of its source."""

    markdown: Path  #: inside the export
    meta: PostMeta

    def files(self, export: Path) -> dict[str, bytes]:
        """Each file of the post (its Markdown, or its page bundle) by its path in the website."""
        root = post_root(self.markdown)
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        return {f.relative_to(export).as_posix(): f.read_bytes() for f in files if f.is_file()}


@dataclass(frozen=True)
class Changes:
    """What one commit does to the website."""

    write: dict[str, bytes]
    remove: list[str]


def submit(source: Path, build_dir: Path, website: Path, *, slug: str | None = None, branch: str | None = None,
           publish: bool = False, force: bool = False, dry_run: bool = False) -> int:
    """Run ``make pr`` on the export in *build_dir*; returns the exit status."""
    try:
        return _submit(source, build_dir, Checkout(website.resolve()), slug, branch, publish, force, dry_run)
    except Unchanged as unchanged:
        print(f"pr: {unchanged}")
        return 0
    except Refusal as refusal:
        print(f"pr: refused: {refusal}", file=sys.stderr)
        return 1


def _submit(source: Path, build_dir: Path, repo: Checkout, slug: str | None, branch: str | None, publish: bool,
            force: bool, dry_run: bool) -> int:
    check_website(repo)
    export = build_dir / "hugo"
    post = exported_post(export, source, slug)
    check_lint(post, publish)
    slug = post.meta.slug
    default = repo.default_branch()
    for line in repo.behind(default):
        print(f"pr: warning: {line}", file=sys.stderr)
    branch = branch or f"blog-{slug}{'-publish' if publish else ''}"
    check_branch_name(repo, branch, default)
    made = branch_commits(repo, default, branch, slug, force)
    base = None if made else default  # a new branch, or one the default branch has merged: start afresh
    start = base or branch
    changes = publish_changes(repo, default, start, post.meta) if publish else review_changes(repo, start, post,
                                                                                              export, force)
    pr_title = title(post.meta, publish, on_default=bool(same_slug(repo.files(default, POSTS), slug)))
    subject = pr_title if publish or not made else f"Revise blog post on {post.meta.title}"
    origin = source_commit(source, *sorted(source.resolve().parent.glob("*.bib")))
    message = f"{subject}\n\n{TRAILER}: {slug} {origin}\n"
    if dry_run:
        print(f"pr: would {'add a commit to' if base is None else 'create'} branch {branch!r}"
              + (f" from {default}" if base else "") + f" in {repo.root}")
        print(*(f"pr: would remove {p}" for p in changes.remove), *(f"pr: would write {p}" for p in changes.write),
              f"pr: would commit: {subject}", sep="\n")
    else:
        commit(repo, branch, base, changes, message)
        count = len(repo.commits(f"{default}..{branch}"))
        print(f"pr: committed {subject!r} on branch {branch!r} in {repo.root} ({count} commit(s) on it)")
    summary = post.meta.description or teaser(post.markdown.read_text("utf-8"))
    text = pull_request(post.meta, pr_title, summary, publish, origin)
    text_file = build_dir / "pr" / f"{slug}.md"
    atomic.replace_file(text.encode(), text_file)
    print(f"pr: the pull request's title and text, in {text_file}:\n\n{text}")
    print("pr: nothing is pushed; next:")
    for line in next_steps(repo.root, branch, default, text_file, pr_title, update=bool(made)):
        print(f"  {line}")
    return 0


def refuse_early(website: Path) -> int:
    """0 when *website* can take a post, else 1 after saying why: asked before the export is built."""
    try:
        check_website(Checkout(website.resolve()))
    except Refusal as refusal:
        print(f"pr: refused: {refusal}", file=sys.stderr)
        return 1
    return 0


def check_website(repo: Checkout) -> None:
    root = repo.root
    if not (root / ".git").exists():
        raise Refusal(f"WEBSITE={root} is not a git checkout; clone kubernetes/website there")
    for needed in ("hugo.toml", POSTS):
        if not (root / needed).exists():
            raise Refusal(f"WEBSITE={root} is not a kubernetes/website checkout: it has no {needed}")
    if problem := repo.unfit():
        raise Refusal(problem)


def check_branch_name(repo: Checkout, branch: str, default: str) -> None:
    valid = repo.succeeds("check-ref-format", f"refs/heads/{branch}") and not (
        branch.startswith(("refs/", "-")) or "@" in branch)  # "@" names HEAD
    if not valid or branch == default:
        raise Refusal(f"make pr commits on a branch of its own, not on {branch!r}; pass BRANCH=another-name")


def exported_post(export: Path, source: Path, slug: str | None) -> Post:
    """The post the pull request carries: *slug*, or the export's only one."""
    metas = {meta.slug: meta for _, meta in iter_metas(source)}
    base = export / POSTS
    found = {}
    for markdown in sorted(base.glob("*/*.md")) + sorted(base.glob("*/*/index.md")):
        name = post_name(markdown)
        if name in metas and slug in (None, name):
            found[name] = Post(markdown, metas[name])
    if not found:
        raise Refusal(f"no post {slug + ' ' if slug else ''}in {base}; run make hugo first")
    if len(found) > 1:
        raise Refusal(f"the export holds {len(found)} posts and a pull request carries one; choose it with "
                      f"POST=<slug>, one of: {', '.join(found)}")
    return next(iter(found.values()))


def check_lint(post: Post, publish: bool) -> None:
    findings = lint_file(post.markdown, publish=publish)
    for finding in findings:
        if finding.severity != ERROR:
            print(f"pr: {annotate(finding)}", file=sys.stderr)
    if errors := [annotate(f) for f in findings if f.severity == ERROR]:
        raise Refusal("the export has lint errors:\n  " + "\n  ".join(errors))


def branch_commits(repo: Checkout, default: str, branch: str, slug: str, force: bool) -> list[str]:
    """make pr's commits on *branch* that *default* lacks; refuses others unless *force*."""
    if not repo.has_branch(branch):
        return []
    commits = repo.commits(f"{default}..{branch}")
    foreign = [c for c in commits if not c.made_for(slug)]
    if foreign and not force:
        raise Refusal(f"branch {branch!r} holds commits make pr did not make for {slug!r}:\n  "
                      + "\n  ".join(map(str, foreign))
                      + "\nbring their changes into the source, or pass FORCE=1 to commit the export over them")
    return [c.sha for c in commits]


def same_slug(paths: list[str], slug: str) -> list[str]:
    """The paths of a post with *slug*, in any year, as a file or a page bundle."""
    pattern = re.compile(rf"{POSTS}/\d{{4}}/{re.escape(slug)}(?:\.md|/.+)")
    return [p for p in paths if pattern.fullmatch(p)]


def review_changes(repo: Checkout, start: str, post: Post, export: Path, force: bool) -> Changes:
    """The export's files, and the removal of every other copy of the post at *start*."""
    write = post.files(export)
    slug = post.meta.slug
    earlier = same_slug(repo.files(start, POSTS), slug)
    roots = dict.fromkeys(re.sub(rf"(/{re.escape(slug)})/.+$", r"\1", p) for p in earlier)  # file or bundle
    strangers = [root for root in roots if not repo.made_by_pr(start, root, slug)]
    if strangers and not force:
        raise Refusal(f"{', '.join(strangers)} on {start} has the slug {slug!r} and make pr did not commit it; "
                      "if it is an earlier copy of this post, pass FORCE=1 to replace it, else give the post "
                      "another slug")
    return Changes(write, [p for p in earlier if p not in write])


def publish_changes(repo: Checkout, default: str, start: str, meta: PostMeta) -> Changes:
    """The post already on *default*, with ``date`` instead of ``draft``: nothing else changes."""
    merged = [p for p in same_slug(repo.files(default, POSTS), meta.slug) if p.endswith(".md")]
    if not merged:
        raise Refusal(f"{meta.slug!r} is not on {default} yet: the publish follow-up comes once the post's "
                      "pull request is merged; run make pr without PUBLISH=1 first")
    path = merged[0]
    return Changes({path: publish_form(repo.show(start, path), meta.date, path).encode()}, [])


def publish_form(text: str, date: dt.date, path: str) -> str:
    """*text* with its front matter's ``draft`` line (or an earlier ``date``) replaced by ``date: <date>``."""
    lines = text.split("\n")
    end = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() == "---"), 0) if lines[0] == "---" else 0
    keys = {m[1]: i for i, line in enumerate(lines[1:end], 1) if (m := re.match(r"(\w+):", line))}
    if "draft" in keys and "date" in keys:
        raise Refusal(f"{path} has both 'draft' and 'date' in its front matter; keep one")
    key = "draft" if "draft" in keys else "date"
    if key not in keys:
        raise Refusal(f"{path} has no 'draft: true' front matter line for the publish follow-up to replace")
    lines[keys[key]] = f"date: {date:%Y-%m-%d}"
    return "\n".join(lines)


def commit(repo: Checkout, branch: str, base: str | None, changes: Changes, message: str) -> None:
    """One commit of *changes* on *branch* (started at *base*), or the checkout as it was."""
    with Transaction(repo, branch) as change:
        change.start(base)
        if changes.remove:
            repo.git("rm", "-r", "--quiet", "--", *changes.remove)
        for path, data in changes.write.items():
            change.write(path, data)
        repo.git("add", "--", *changes.write)
        if not repo.git("diff", "--cached", "--name-only").strip():
            raise Unchanged(f"branch {branch!r} already holds this export; nothing to commit")
        repo.git("commit", "--quiet", "--file=-", stdin=message)
