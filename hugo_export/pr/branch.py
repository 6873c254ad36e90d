"""The post's branch in the website checkout, and what is on it since make pr's newest commit there.

make pr knows its commits by their trailers: ``K8s-Blog-Export: <slug>
<source commit>`` and ``K8s-Blog-Post: <the post's Markdown in its
repository>``. A post is known by every slug and path it has had
(:func:`.revision.lineage`), so a post whose slug or file was renamed under
review finds the branch, and the pull request, it already has. The commits on
that branch after make pr's newest one are the reviewers' (a suggestion
committed on GitHub, a fix a co-author pushed): :mod:`.review` reads what they
changed, :mod:`.absorb` takes it into the source, and the next make pr records
which of them its export carries. Commits before make pr's newest one were
settled when it was made (taken back, or forced over), so they never come back.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from ..post import PostMeta
from ..project import Project
from ..revision import Lineage, lineage
from .git import POST, Checkout, Commit, Refusal


def same_slug(paths: list[str], slug: str, section: str) -> list[str]:
    """The paths of a post with *slug* in the website's *section*, in any year, as a file or a page bundle."""
    pattern = re.compile(rf"{re.escape(section)}/\d{{4}}/{re.escape(slug)}(?:\.md|/.+)")
    return [p for p in paths if pattern.fullmatch(p)]


@dataclass(frozen=True)
class Identity:
    """A post as make pr's trailers name it, with every slug and path it had."""

    slug: str
    path: str  #: its Markdown, relative to its repository's top (the ``K8s-Blog-Post`` trailer)
    history: Lineage
    section: str  #: the website's folder of posts (``hugo_section``)

    def owns(self, commit: Commit) -> bool:
        """Whether *commit* is make pr's, for this post under any of its names."""
        return (any(self.history.knows(slug=slug) for slug, _ in commit.exports)
                or any(self.history.knows(path=path) for path in commit.values(POST)))

    def slug_in(self, commit: Commit) -> str | None:
        """The slug *commit*'s trailer gave this post."""
        slugs = [slug for slug, _ in commit.exports]
        return next((slug for slug in slugs if self.history.knows(slug=slug)), slugs[0] if slugs else None)


def identify(meta: PostMeta, source: Path) -> Identity:
    history = lineage(meta.source, meta.slug, source.resolve().parent)
    return Identity(meta.slug, history.paths[0], history, Project.read(source).section)


def find_branch(repo: Checkout, default: str, post: Identity, publish: bool, branch: str | None) -> str:
    """*branch*, else ``blog-<slug>`` (``-publish``), else the ``blog-*`` branch whose make pr commits are this
    post's under an earlier slug or path."""
    if branch:
        return branch
    name = f"blog-{post.slug}{'-publish' if publish else ''}"
    if publish or repo.has_branch(name):
        return name
    listed = repo.git("for-each-ref", "--format=%(refname:short)", "refs/heads/blog-*").split()
    found = [b for b in listed if not b.endswith("-publish") and b != default
             and any(post.owns(c) for c in repo.commits(f"{default}..{b}"))]
    if len(found) > 1:
        raise Refusal(f"branches {', '.join(found)} all hold make pr's commits of this post under earlier names; "
                      "choose its pull request's with BRANCH=name")
    return found[0] if found else name


@dataclass(frozen=True)
class Round:
    """A branch's commits that the default branch lacks, as make pr sees them."""

    branch: str
    commits: list[Commit] = field(default_factory=list)  #: newest first
    made: list[Commit] = field(default_factory=list)  #: make pr's commits of the post, newest first
    after: list[Commit] = field(default_factory=list)  #: the others after make pr's newest (or all), oldest first

    @property
    def newest(self) -> Commit | None:
        return self.made[0] if self.made else None

    def markdown(self, repo: Checkout, post: Identity) -> tuple[str, str] | None:
        """The slug make pr's newest commit gave the post, and the path of its Markdown there."""
        if self.newest is None or (slug := post.slug_in(self.newest)) is None:
            return None
        paths = [p for p in same_slug(repo.files(self.newest.sha, post.section), slug, post.section)
                 if p.endswith((f"/{slug}.md", f"/{slug}/index.md"))]
        return (slug, paths[0]) if paths else None


def round_on(repo: Checkout, default: str, branch: str, post: Identity) -> Round:
    if not repo.has_branch(branch):
        return Round(branch)
    if lacking := repo.lacks(branch):
        ref, count = lacking[0]
        cmd = f"git -C {shlex.quote(str(repo.root))}"
        raise Refusal(f"branch {branch!r} lacks {count} commit(s) of {ref} (a suggestion committed on GitHub?); "
                      f"bring them in first: {cmd} switch {shlex.quote(branch)} && {cmd} merge --ff-only "
                      f"{shlex.quote(ref)}")
    commits = repo.commits(f"{default}..{branch}")
    made = [c for c in commits if post.owns(c)]
    upstream = [default, *repo.remote_copies(default)]  # what a merge of the default branch brought is not theirs
    after = repo.commits(f"{made[0].sha}..{branch}", not_in=upstream) if made else commits
    return Round(branch, commits, made, list(reversed(after)))
