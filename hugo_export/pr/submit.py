"""``make pr``: the exported post committed to a kubernetes/website checkout, one review round at a time.

- The first run makes a branch ``blog-<slug>`` from the website's default
  branch (never from whatever is checked out; with a warning when that branch
  is behind its remote-tracking branch) and commits the post on it.
- Each run after review adds one commit to that branch, so the pull request
  already open updates. make pr knows its own commits by their trailers
  (:mod:`.branch`): ``K8s-Blog-Export: <slug> <source commit>`` and
  ``K8s-Blog-Post: <the post's Markdown in its repository>``. A post whose
  slug or file was renamed is found on its branch by the names it had, and
  moves there.
- Commits after make pr's last one are the reviewers' (a suggestion committed
  on GitHub). The export carries them once ``make absorb`` (or the author) has
  taken them into the source: the commit records them
  (``K8s-Blog-Absorbed``) and goes on. One it does not carry stops make pr,
  naming it and ``make absorb``, unless forced (``K8s-Blog-Forced``); either
  way the next round starts after this commit.
- The post's files replace every earlier copy with its slug (or an earlier
  slug): when it gains or loses its first image (file <-> page bundle), its
  date moves to another year or its slug changes, the commit removes the old
  path. A copy make pr did not commit is refused unless forced.
- After the merge, ``--publish`` on a branch of its own changes only the front
  matter of the post on the default branch (:mod:`.publish`).

The trailer and the pull request's text name the source commit, ``-dirty``
when the post's own files differ from it. Refusals come before any change; a
failure after the first change (a hook, signing, a file in the way, an
interrupt) puts the checkout back as it was (:class:`.git.Transaction`). A dry
run says what the real one would do, "nothing to commit" included. Nothing is
pushed: the pull request's title and text go to ``BUILD/pr/<slug>.md``, and
the note says what to run.
"""

from __future__ import annotations

import re
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from .. import atomic
from ..glossary import with_glossary
from ..post import PostMeta, post_name, post_root
from ..project import Project
from ..qa.lint import ERROR, lint_file
from ..qa.where import annotate
from ..revision import own_paths
from .branch import find_branch, identify, round_on, same_slug
from .git import ABSORBED, FORCED, POST, TRAILER, Changes, Checkout, Refusal, Transaction, source_commit
from .publish import merged_origin, publish_changes, unpublished
from .review import settle
from .text import next_steps, pull_request, teaser, title


class Unchanged(Refusal):
    """The branch already holds this export: nothing to commit."""


@dataclass(frozen=True)
class Post:
    """One exported post, with the metadata of its source."""

    markdown: Path  #: inside the export
    meta: PostMeta
    section: str  #: the website's folder of posts, in the export and in the website (``hugo_section``)

    def files(self, export: Path) -> dict[str, bytes]:
        """Each file of the post (its Markdown, or its page bundle) by its path in the website."""
        root = post_root(self.markdown)
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        return {f.relative_to(export).as_posix(): f.read_bytes() for f in files if f.is_file()}


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
    check_website(repo, Project.read(source).section)
    export = build_dir / "hugo"
    post = exported_post(export, source, slug)
    check_lint(post, publish, with_glossary(repo.root))
    slug = post.meta.slug
    default = repo.default_branch()
    for line in repo.behind(default):
        print(f"pr: warning: {line}", file=sys.stderr)
    post_id = identify(post.meta, source)
    branch = find_branch(repo, default, post_id, publish, branch)
    check_branch_name(repo, branch, default)
    round_ = round_on(repo, default, branch, post_id)
    made = round_.commits
    base = None if made else default  # a new branch, or one the default branch has merged: start afresh
    start = base or branch
    was = {post_id.slug_in(c) for c in round_.made} - {slug, None}
    if was and not publish:
        print(f"pr: the post was {', '.join(sorted(map(repr, was)))} on branch {branch!r}, its pull request: "
              f"it goes on there, under its new name")
    own = own_paths(post.meta.source, list(Project.read(source).bibfiles))
    origin = source_commit(source, *own)
    if publish:
        changes = publish_changes(repo, default, start, post.meta, post.section)
        path = next(iter(changes.write))
        origin = merged_origin(repo, default, post_id, path) or origin
        for n, line in enumerate(unpublished(source, own, changes.write[path].decode(),
                                             post.markdown.read_text("utf-8"), origin)):
            print(f"pr: warning: {line}" if n == 0 else line, file=sys.stderr)
    else:
        changes = review_changes(repo, start, post, export, force, {s for s in was if s})
    ours = next((data.decode("utf-8", "replace") for p, data in changes.write.items() if p.endswith(".md")), "")
    absorb = f"make absorb WEBSITE={shlex.quote(str(repo.root))}" + (f" POST={slug}" if slug else "")
    settled = settle(repo, round_, post_id, ours, force, absorb)
    pr_title = title(post.meta, publish,
                     on_default=bool(same_slug(repo.files(default, post.section), slug, post.section)))
    subject = pr_title if publish or not made else f"Revise blog post on {post.meta.title}"
    message = f"{subject}\n\n{TRAILER}: {slug} {origin}\n{POST}: {post_id.path}\n{settled.trailers()}"
    record = bool(settled.absorbed or settled.forced)  # even when the files are as the reviewers left them
    if not record and unchanged(repo, start, changes):
        raise Unchanged(f"branch {branch!r} already holds this export; nothing to commit" if base is None else
                        f"{start} already holds this export; nothing to commit")
    if settled.absorbed:
        print(f"pr: the export carries the changes of {', '.join(c.sha[:12] for c in settled.absorbed)}: the commit "
              f"{'would record' if dry_run else 'records'} them ({ABSORBED})")
    if settled.forced:
        print(f"pr: FORCE=1: the commit {'would go' if dry_run else 'goes'} over "
              f"{', '.join(c.sha[:12] for c in settled.forced)}, whose changes the export does not carry ({FORCED})")
    if dry_run:
        print(f"pr: would {'add a commit to' if base is None else 'create'} branch {branch!r}"
              + (f" from {default}" if base else "") + f" in {repo.root}")
        print(*(f"pr: would remove {p}" for p in changes.remove), *(f"pr: would write {p}" for p in changes.write),
              f"pr: would commit: {subject}", sep="\n")
    else:
        commit(repo, branch, base, changes, message, record)
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


def refuse_early(website: Path, section: str) -> int:
    """0 when *website* can take a post, else 1 after saying why: asked before the export is built."""
    try:
        check_website(Checkout(website.resolve()), section)
    except Refusal as refusal:
        print(f"pr: refused: {refusal}", file=sys.stderr)
        return 1
    return 0


def check_checkout(repo: Checkout, section: str) -> None:
    """Refuse a folder that is not a kubernetes/website checkout (with its folder of posts, *section*)."""
    root = repo.root
    if not (root / ".git").exists():
        raise Refusal(f"WEBSITE={root} is not a git checkout; clone kubernetes/website there")
    for needed in ("hugo.toml", section):
        if not (root / needed).exists():
            raise Refusal(f"WEBSITE={root} is not a kubernetes/website checkout: it has no {needed}")


def check_website(repo: Checkout, section: str) -> None:
    """Refuse a checkout that is not the website's or cannot take a commit now."""
    check_checkout(repo, section)
    if problem := repo.unfit():
        raise Refusal(problem)


def check_branch_name(repo: Checkout, branch: str, default: str) -> None:
    valid = repo.succeeds("check-ref-format", f"refs/heads/{branch}") and not (
        branch.startswith(("refs/", "-")) or "@" in branch)  # "@" names HEAD
    if not valid or branch == default:
        raise Refusal(f"make pr commits on a branch of its own, not on {branch!r}; pass BRANCH=another-name")


def exported_post(export: Path, source: Path, slug: str | None) -> Post:
    """The post the pull request carries: *slug*, or the export's only one."""
    metas = {meta.slug: meta for _, meta in Project.read(source).select()}
    section = Project.read(source).section
    base = export / section
    found = {}
    for markdown in sorted(base.glob("*/*.md")) + sorted(base.glob("*/*/index.md")):
        name = post_name(markdown)
        if name in metas and slug in (None, name):
            found[name] = Post(markdown, metas[name], section)
    if not found:
        raise Refusal(f"no post {slug + ' ' if slug else ''}in {base}; run make hugo first")
    if len(found) > 1:
        raise Refusal(f"the export holds {len(found)} posts and a pull request carries one; choose it with "
                      f"POST=<slug>, one of: {', '.join(found)}")
    return next(iter(found.values()))


def check_lint(post: Post, publish: bool, website: Path | None) -> None:
    findings = lint_file(post.markdown, publish=publish, website=website, section=post.section)
    for finding in findings:
        if finding.severity != ERROR:
            print(f"pr: {annotate(finding)}", file=sys.stderr)
    if errors := [annotate(f) for f in findings if f.severity == ERROR]:
        raise Refusal("the export has lint errors:\n  " + "\n  ".join(errors))


def review_changes(repo: Checkout, start: str, post: Post, export: Path, force: bool, was: set[str]) -> Changes:
    """The export's files, and the removal of every other copy of the post at *start*: with its slug (in another
    year, or as a file for a bundle), or with a slug it *was* that make pr committed."""
    write = post.files(export)
    slug = post.meta.slug
    files = repo.files(start, post.section)
    earlier = same_slug(files, slug, post.section)
    roots = dict.fromkeys(re.sub(rf"(/{re.escape(slug)})/.+$", r"\1", p) for p in earlier)  # file or bundle
    strangers = [root for root in roots if not repo.made_by_pr(start, root, slug)]
    if strangers and not force:
        raise Refusal(f"{', '.join(strangers)} on {start} has the slug {slug!r} and make pr did not commit it; "
                      "if it is an earlier copy of this post, pass FORCE=1 to replace it, else give the post "
                      "another slug")
    for old in sorted(was):
        earlier += [p for p in same_slug(files, old, post.section) if repo.made_by_pr(start, p, old)]
    return Changes(write, [p for p in earlier if p not in write])


def unchanged(repo: Checkout, start: str, changes: Changes) -> bool:
    """Whether *start* already has every file of *changes* as it would write it, and none it would remove."""
    return not changes.remove and all(repo.blob(start, path) == data for path, data in changes.write.items())


def commit(repo: Checkout, branch: str, base: str | None, changes: Changes, message: str, record: bool) -> None:
    """One commit of *changes* on *branch* (started at *base*), or the checkout as it was; with *record*, also
    when the files are as they were (the commit records which reviewer commits are settled)."""
    with Transaction(repo, branch) as change:
        change.start(base)
        if changes.remove:
            repo.git("rm", "-r", "--quiet", "--", *changes.remove)
        for path, data in changes.write.items():
            change.write(path, data)
        repo.git("add", "--", *changes.write)
        if not record and not repo.git("diff", "--cached", "--name-only").strip():
            raise Unchanged(f"branch {branch!r} already holds this export; nothing to commit")
        repo.git("commit", "--quiet", "--allow-empty", "--file=-", stdin=message)
