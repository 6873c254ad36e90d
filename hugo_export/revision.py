"""The sources' git revision: named in the review PDF's header, and the base of ``make pdf-diff``.

A reviewer's comments refer to one state of the post, so the PDF says which:
the short commit of the sources and the date of ``SOURCE_DATE_EPOCH``, with
"+ changes" when the post's own files (its Markdown or its bundle folder, and
the bib files) differ from that commit: another post's edit is not this
post's change. ``make pr``'s trailer says the same (``-dirty``). A project
that is not a git checkout says "no revision". Real git, nothing cached: a
second build after a commit must see it.

A post keeps its identity when its file or its slug is renamed: git's rename
detection (``git log --follow``) gives the paths its Markdown had, and the
front matter at each of them the slugs (:func:`lineage`). ``make pr`` finds
the post's pull request by them, ``make pdf-diff`` the post at REV.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from .post import front_matter_end, post_name, post_root


class RevisionError(ValueError):
    """A revision that git cannot resolve to a commit of the sources."""


@dataclass(frozen=True)
class Commit:
    """A commit of the repository that holds the sources."""

    top: Path  #: the work tree's top folder
    sha: str
    short: str


def git(cwd: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """``git -C cwd args``, its output captured (make pr, pdf-diff and the PDF header all ask through it)."""
    return subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, text=True, input=stdin)


def resolve(srcdir: Path, rev: str) -> Commit:
    """The commit *rev* names in the repository of *srcdir*."""
    top = git(srcdir, "rev-parse", "--show-toplevel")
    if top.returncode:
        raise RevisionError(f"{srcdir} is not in a git checkout, so there is no {rev!r} to compare with")
    found = git(srcdir, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    if found.returncode:
        raise RevisionError(f"{rev!r} is not a commit of {top.stdout.strip()}; "
                            "give a commit, branch or tag (git log --oneline lists them)")
    sha = found.stdout.strip()
    short = git(srcdir, "rev-parse", "--short", sha).stdout.strip()
    return Commit(Path(top.stdout.strip()), sha, short)


def own_paths(post: Path, bibfiles: Iterable[Path]) -> list[Path]:
    """A post's own files: its Markdown (or its bundle folder, images included) and the bib files."""
    return [post_root(post), *bibfiles]


def toplevel(where: Path) -> Path | None:
    """The top folder of the git work tree that holds *where*, or ``None``."""
    top = git(where, "rev-parse", "--show-toplevel")
    return Path(top.stdout.strip()).resolve() if top.returncode == 0 else None


def relative(top: Path, path: Path) -> str | None:
    """*path* relative to *top*, as git names it; ``None`` outside it."""
    try:
        return path.resolve().relative_to(top).as_posix()
    except ValueError:
        return None


def head_state(srcdir: Path, paths: list[Path], abbrev: int | None = None) -> tuple[str, bool] | None:
    """The short commit checked out where *srcdir* is, and whether any of *paths* (a post's
    :func:`own_paths`) differ from it; ``None`` outside a git checkout. The PDF's header and
    ``make pr``'s trailer both say it."""
    head = git(srcdir, "rev-parse", f"--short={abbrev}" if abbrev else "--short", "HEAD")
    top = toplevel(srcdir)
    if head.returncode or top is None:
        return None
    inside = [name for path in paths if (name := relative(top, path)) is not None]
    if not inside:  # git status with no path would answer for the whole work tree
        return head.stdout.strip(), False
    changes = git(top, "--literal-pathspecs", "status", "--porcelain", "--untracked-files=all", "--", *inside)
    return head.stdout.strip(), bool(changes.stdout.strip())


def commits_since(srcdir: Path, rev: str, paths: list[Path]) -> list[str] | None:
    """``<commit> <subject>`` of each commit after *rev* that changed *paths*, newest first; ``None`` when
    *rev* is not a commit of the repository of *srcdir*."""
    top = toplevel(srcdir)
    if top is None or git(top, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").returncode:
        return None
    inside = [name for path in paths if (name := relative(top, path)) is not None]
    log = git(top, "--literal-pathspecs", "log", "--format=%H %s", f"{rev}..HEAD", "--", *inside).stdout
    return [f"{line[:12]} {line[41:]}" for line in log.splitlines()] if inside else []


@dataclass(frozen=True)
class Lineage:
    """What a post has been called, newest first: the paths of its Markdown (relative to the
    repository's top, or to the project outside git) and its slugs."""

    paths: tuple[str, ...]
    slugs: tuple[str, ...]

    def knows(self, path: str | None = None, slug: str | None = None) -> bool:
        return (path is not None and path in self.paths) or (slug is not None and slug in self.slugs)


def lineage(post: Path, slug: str, project: Path) -> Lineage:
    """The paths and slugs the post at *post* (its Markdown, slug *slug*) had in the git history.

    ``git log --follow`` finds the post's earlier paths by git's rename
    detection (not beyond a copy: a post started from another is not that
    one); a rename staged with ``git mv`` counts too. The slug at each is
    its front matter's, or the file or folder name. Outside git, the post is
    what it is now: its path relative to *project*, and its slug.
    """
    top = toplevel(post.parent)
    path = relative(top or project.resolve(), post) or post.name
    if top is None:
        return Lineage((path,), (slug,))
    start = path
    staged = git(top, "--literal-pathspecs", "diff", "--cached", "-M", "--name-status", "-z", "--diff-filter=R").stdout
    fields = staged.split("\0")
    for i in range(0, len(fields) - 2, 3):
        if fields[i].startswith("R") and fields[i + 2] == path:
            start = fields[i + 1]
    log = git(top, "--literal-pathspecs", "log", "--follow", "--name-status", "-z", "--format=%x01%H", "--", start)
    versions = []
    for chunk in log.stdout.split("\x01")[1:]:
        sha, _, rest = chunk.partition("\0")
        status, *names = rest.strip("\n").split("\0")
        if names and names[-1 if status[:1] in "RC" else 0]:
            versions.append((sha, names[-1] if status[:1] in "RC" else names[0]))
        if status[:1] == "C":  # a copy of another post: what came before is that post's history
            break
    paths = dict.fromkeys([path, start, *(name for _, name in versions)])
    slugs = dict.fromkeys([slug, *_slugs_at(top, versions)])
    return Lineage(tuple(paths), tuple(slugs))


def _slugs_at(top: Path, versions: list[tuple[str, str]]) -> list[str]:
    """The slug of each ``(commit, path)`` version of a post, read in one ``git cat-file --batch``."""
    if not versions:
        return []
    asked = "".join(f"{sha}:{name}\n" for sha, name in versions).encode()
    out = subprocess.run(["git", "-C", str(top), "cat-file", "--batch"], input=asked, capture_output=True).stdout
    slugs, at = [], 0
    for _, name in versions:
        header_end = out.find(b"\n", at)
        header = out[at:header_end].split()
        at = header_end + 1
        if len(header) != 3 or header[1] != b"blob":  # "<name> missing"
            continue
        size = int(header[2])
        slugs.append(slug_of(out[at:at + size].decode("utf-8", "replace"), Path(name)))
        at += size + 1
    return slugs


def slug_of(text: str, path: Path) -> str:
    """The slug a post's Markdown *text* gives (front matter ``slug``, else its name); lenient,
    for earlier versions that need not build any more."""
    lines = text.replace("\r\n", "\n").split("\n")
    if (end := front_matter_end(lines)) is not None:
        try:
            data = yaml.safe_load("\n".join(lines[1:end]))
        except yaml.YAMLError:
            data = None
        if isinstance(data, dict) and data.get("slug"):
            return str(data["slug"])
    return post_name(path)


def describe(srcdir: Path, paths: list[Path]) -> str:
    """``rev 1a2b3c4, 2026-11-30`` (``+ changes`` when *paths*, a post's :func:`own_paths`, differ
    from it), or ``no revision``."""
    state = head_state(srcdir, paths)
    if state is None:
        return "no revision"
    text = f"rev {state[0]}" + (" + changes" if state[1] else "")
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        text += ", " + dt.datetime.fromtimestamp(int(epoch), dt.UTC).strftime("%Y-%m-%d")
    return text
