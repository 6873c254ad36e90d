"""The sources' git revision: named in the review PDF's header, and the base of ``make pdf-diff``.

A reviewer's comments refer to one state of the post, so the PDF says which:
the short commit of the sources and the date of ``SOURCE_DATE_EPOCH``, with
"+ changes" when the post's files differ from that commit. A project that is
not a git checkout says "no revision". Real git, nothing cached: a second
build after a commit must see it.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path


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


def head_state(srcdir: Path, paths: list[Path], abbrev: int | None = None) -> tuple[str, bool] | None:
    """The short commit checked out where *srcdir* is, and whether *srcdir* or *paths* differ
    from it; ``None`` outside a git checkout. The PDF's header and ``make pr``'s trailer both say it."""
    head = git(srcdir, "rev-parse", f"--short={abbrev}" if abbrev else "--short", "HEAD")
    if head.returncode:
        return None
    changes = git(srcdir, "status", "--porcelain", "--", str(srcdir), *map(str, paths)).stdout
    return head.stdout.strip(), bool(changes.strip())


def describe(srcdir: Path, bibfiles: list[Path]) -> str:
    """``rev 1a2b3c4, 2026-11-30`` (``+ changes`` when the sources differ from it), or ``no revision``."""
    state = head_state(srcdir, bibfiles)
    if state is None:
        return "no revision"
    text = f"rev {state[0]}" + (" + changes" if state[1] else "")
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        text += ", " + dt.datetime.fromtimestamp(int(epoch), dt.UTC).strftime("%Y-%m-%d")
    return text
