"""Git plumbing for ``make pr``: the website checkout, read and changed through git only.

Every command either succeeds or raises :class:`Refusal` in git's own words.
:class:`Transaction` remembers where the checkout was (its branch, or the
commit of a detached HEAD, and the tip of the branch ``make pr`` works on);
when anything after the first change fails (a hook, signing, a file in the
way, an interrupt) it puts the checkout back: nothing staged, nothing left
written, the original branch checked out, a branch it created deleted.
"""

from __future__ import annotations

import functools
import os
import re
import shlex
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import TracebackType

from ..revision import git, head_state

#: The trailers of make pr's commits: ``K8s-Blog-Export: <slug> <source commit>``, the post's Markdown in its
#: repository (``K8s-Blog-Post``), and the reviewer commits its export took back or was forced over.
TRAILER, POST, ABSORBED, FORCED = "K8s-Blog-Export", "K8s-Blog-Post", "K8s-Blog-Absorbed", "K8s-Blog-Forced"
#: What a checkout holds while an operation is half done, and what it is.
_BUSY = {"MERGE_HEAD": "a merge", "rebase-merge": "a rebase", "rebase-apply": "a rebase or git am",
         "CHERRY_PICK_HEAD": "a cherry-pick", "REVERT_HEAD": "a revert", "BISECT_LOG": "a bisect"}
_IDENTITY = ("git does not know who you are, so it cannot commit; tell it once (the email of your "
             "GitHub account, which the CLA check matches):\n"
             '  git config --global user.name "Your Name"\n'
             "  git config --global user.email you@example.com")


class Refusal(Exception):
    """Why ``make pr`` will not go on."""


def source_commit(source: Path, *paths: Path) -> str:
    """The commit of the project the post comes from, ``-dirty`` when *paths* have changes; or ``unversioned``."""
    state = head_state(source, list(paths), abbrev=12)
    if state is None:
        return "unversioned"
    return state[0] + ("-dirty" if state[1] else "")


@dataclass(frozen=True)
class Commit:
    """A commit of a branch, and its trailers (``key: value``)."""

    sha: str
    author: str
    subject: str
    trailers: tuple[tuple[str, str], ...] = ()

    def values(self, key: str) -> list[str]:
        return [value for name, value in self.trailers if name.lower() == key.lower()]

    @property
    def exports(self) -> list[tuple[str, str]]:
        """``(slug, source commit)`` of each post this commit says make pr exported."""
        return [(words[0], words[1] if len(words) > 1 else "") for v in self.values(TRAILER) if (words := v.split())]

    def __str__(self) -> str:
        return f"{self.sha[:12]} {printable(self.subject)} ({printable(self.author)})"


def printable(text: str) -> str:
    """*text* for a terminal: a character that is not printable (an escape sequence's, a carriage return) as its
    ``\\x..`` code, so a commit someone else wrote cannot rewrite what make pr prints."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


class Checkout:
    """A git checkout, through ``git -C``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def git(self, *args: str, stdin: str | None = None) -> str:
        run = git(self.root, *args, stdin=stdin)
        if run.returncode:
            raise Refusal(f"git {' '.join(args)} failed: {(run.stderr or run.stdout).strip()}")
        return run.stdout

    def succeeds(self, *args: str) -> bool:
        return git(self.root, *args).returncode == 0

    def has_branch(self, name: str) -> bool:
        return self.succeeds("show-ref", "--verify", "--quiet", f"refs/heads/{name}")

    def rev(self, what: str) -> str:
        return self.git("rev-parse", "--verify", "--quiet", f"{what}^{{commit}}").strip()

    def branch(self) -> str | None:
        """The branch checked out; ``None`` for a detached HEAD."""
        run = git(self.root, "symbolic-ref", "--quiet", "--short", "HEAD")
        return run.stdout.strip() if run.returncode == 0 else None

    def unfit(self) -> str | None:
        """Why nothing should be committed here now, if anything stands in the way."""
        git_dir = Path(self.git("rev-parse", "--absolute-git-dir").strip())
        busy = [what for name, what in _BUSY.items() if (git_dir / name).exists()]
        if busy:
            return f"the website checkout is in the middle of {busy[0]}; finish or abort it first"
        if dirty := self.git("status", "--porcelain").rstrip():
            return f"the website tree has uncommitted changes; commit or stash them first:\n{dirty}"
        if not (self.succeeds("var", "GIT_AUTHOR_IDENT") and self.succeeds("var", "GIT_COMMITTER_IDENT")):
            return _IDENTITY
        return None

    def default_branch(self) -> str:
        """The branch pull requests go to: what ``origin/HEAD`` names, else ``main`` or ``master``."""
        remote = git(self.root, "symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD").stdout.strip()
        for name in [remote.partition("/")[2], "main", "master"]:
            if name and self.has_branch(name):
                return name
        raise Refusal("the website checkout has no main branch; clone kubernetes/website again")

    def behind(self, branch: str) -> list[str]:
        """A line for each remote-tracking branch that has commits *branch* lacks."""
        out = []
        for ref, count in self.lacks(branch):
            cmd = f"git -C {shlex.quote(str(self.root))}"
            out.append(f"{branch} is {count} commit(s) behind {ref}; the new branch starts from the older "
                       f"{branch} (to bring it up to date: {cmd} fetch && {cmd} switch {shlex.quote(branch)} && "
                       f"{cmd} merge --ff-only {shlex.quote(ref)})")
        return out

    def lacks(self, branch: str) -> list[tuple[str, int]]:
        """Each remote-tracking branch of *branch* (its upstream, ``upstream/<branch>``) with the number of its
        commits that *branch* lacks, when there are any."""
        upstream = git(self.root, "rev-parse", "--abbrev-ref", f"{branch}@{{upstream}}").stdout.strip()
        tracking = [upstream] if upstream else []
        if self.succeeds("show-ref", "--verify", "--quiet", f"refs/remotes/upstream/{branch}"):
            tracking.append(f"upstream/{branch}")
        counts = [(ref, int(self.git("rev-list", "--count", f"{branch}..{ref}").strip()))
                  for ref in dict.fromkeys(tracking)]
        return [(ref, count) for ref, count in counts if count]

    def remote_copies(self, branch: str) -> list[str]:
        """The remote-tracking branches named *branch* (``origin/main``, ``upstream/main``)."""
        return [ref for ref in self.git("for-each-ref", "--format=%(refname)", "refs/remotes/").split()
                if ref.rsplit("/", 1)[-1] == branch]

    def commits(self, revisions: str, *paths: str, not_in: list[str] | None = None) -> list[Commit]:
        """The commits of *revisions* (``a..b``; those that changed *paths*, if given; none that *not_in*'s
        refs have), newest first."""
        fmt = "%H%x1f%an%x1f%ce%x1f%s%x1f%(trailers:only,unfold,separator=%x1e)%x1d"
        out = []
        excluded = [f"^{ref}" for ref in not_in or []]
        for record in self.git("log", f"--format={fmt}", revisions, *excluded, "--", *paths).split("\x1d"):
            if record.strip():
                sha, author, committer, subject, block = record.strip("\n").split("\x1f")
                pairs = (line.partition(":") for line in block.split("\x1e"))
                # Anyone can write make pr's trailers into a message: they count only in commits this
                # checkout's own git identity committed (a suggestion committed on GitHub has GitHub's).
                trusted = committer.lower() == self.committer
                trailers = tuple((key.strip(), value.strip()) for key, sep, value in pairs if sep and trusted)
                out.append(Commit(sha, author, subject, trailers))
        return out

    @functools.cached_property
    def committer(self) -> str:
        """The e-mail address of the identity git commits with here (``git var GIT_COMMITTER_IDENT``)."""
        run = git(self.root, "var", "GIT_COMMITTER_IDENT")
        found = re.search(r"<([^>]*)>", run.stdout) if run.returncode == 0 else None
        return found[1].lower() if found else ""

    def changed(self, commit: str) -> list[str]:
        """The paths *commit* changed: against its parent; for a merge, those that differ from every parent
        (a merge of the default branch into the post's brings nothing of its own)."""
        if self.succeeds("rev-parse", "--verify", "--quiet", f"{commit}^2"):  # a merge: what none of its parents has
            out = self.git("diff-tree", "-r", "-z", "--name-only", "--no-commit-id", "--cc", commit)
        elif self.succeeds("rev-parse", "--verify", "--quiet", f"{commit}^"):
            out = self.git("diff", "-z", "--name-only", "--no-renames", f"{commit}^", commit)
        else:
            out = self.git("diff-tree", "-r", "-z", "--name-only", "--no-renames", "--no-commit-id", "--root", commit)
        return [name for name in out.split("\0") if name]

    def blob(self, rev: str, path: str) -> bytes | None:
        """The bytes of *path* at *rev* when it is a regular file there (not a link, not a folder), else ``None``."""
        entry = self.git("ls-tree", "-z", rev, "--", path).split("\0")[0]
        if not entry.startswith(("100644 blob ", "100755 blob ")):
            return None
        run = subprocess.run(["git", "-C", str(self.root), "cat-file", "blob", entry.split()[2]], capture_output=True)
        return run.stdout if run.returncode == 0 else None

    def files(self, rev: str, under: str) -> list[str]:
        return self.git("ls-tree", "-r", "--name-only", rev, "--", under).splitlines()

    def made_by_pr(self, rev: str, path: str, slug: str) -> bool:
        """Whether a make pr commit for *slug* in *rev*'s history put *path* there."""
        return any(exported == slug for c in self.commits(rev, path) for exported, _ in c.exports)

    def message(self, rev: str) -> str:
        return self.git("log", "-1", "--format=%B", rev)

    def show(self, rev: str, path: str) -> str:
        return self.git("show", f"{rev}:{path}")

    def check_path(self, relative: str) -> None:
        """Refuse a path through a symbolic link (it could leave the checkout), a file where a folder goes, or one
        git ignores."""
        path = self.root
        parts = PurePosixPath(relative).parts
        for depth, part in enumerate(parts, 1):
            path = path / part
            shown = "/".join(parts[:depth])
            if path.is_symlink():
                raise Refusal(f"{shown} is a symbolic link (to {os.readlink(path)}); make pr writes only inside "
                              "the checkout: make it a folder")
            if depth < len(parts) and path.exists() and not path.is_dir():
                raise Refusal(f"{shown} is a file where the post's folder goes; move it away")
            if depth == len(parts) and path.is_dir():
                raise Refusal(f"{shown} is a folder where the post's file goes; move it away")
        ignored = git(self.root, "check-ignore", "--verbose", "--", relative)
        if ignored.returncode == 0:
            rule = ignored.stdout.split("\t")[0]
            raise Refusal(f"{relative} is ignored by git ({rule}), so git would not add it; change that rule")


@dataclass(frozen=True)
class Changes:
    """What one commit does to the website."""

    write: dict[str, bytes]
    remove: list[str]


@dataclass
class Transaction:
    """The changes of one make pr run to *branch*, undone if anything fails before the commit is made."""

    repo: Checkout
    branch: str
    home: str = ""  #: the branch checked out before, or the commit of a detached HEAD
    detached: bool = False
    tip: str | None = None  #: where *branch* pointed before (``None``: it did not exist)
    written: list[Path] = field(default_factory=list)
    made_dirs: list[Path] = field(default_factory=list)

    def __enter__(self) -> Transaction:
        current = self.repo.branch()
        self.detached = current is None
        self.home = current or self.repo.rev("HEAD")
        self.tip = self.repo.rev(f"refs/heads/{self.branch}") if self.repo.has_branch(self.branch) else None
        return self

    def start(self, base: str | None) -> None:
        """Check the branch out: made (or moved, when it holds nothing of its own) at *base*, or as it is."""
        if base is None:
            self.repo.git("switch", "--quiet", self.branch)
        else:
            self.repo.git("switch", "--quiet", "--force-create" if self.tip else "--create", self.branch, base)

    def write(self, relative: str, data: bytes) -> None:
        self.repo.check_path(relative)
        path = self.repo.root / relative
        for folder in reversed(path.parents):
            if not folder.exists():
                folder.mkdir()
                self.made_dirs.append(folder)
        self.written.append(path)
        path.write_bytes(data)

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if error is None:
            return
        left = self.rollback()
        state = (f"the checkout is back on {self.home}, as it was" if not left else
                 "putting the checkout back failed too; do it by hand:\n  " + "\n  ".join(left))
        if isinstance(error, Exception):  # an interrupt goes on as it is
            kind = type(error) if isinstance(error, Refusal) else Refusal
            raise kind(f"{error}\n{state}") from error

    def rollback(self) -> list[str]:
        """Undo everything since :meth:`__enter__`; what could not be undone."""
        steps: list[tuple[str, Callable[[], object]]] = [
            ("remove the files make pr wrote", self._remove_written),
            ("git reset --hard", lambda: self.repo.git("reset", "--quiet", "--hard")),
            (f"git switch {self.home}",
             lambda: self.repo.git("switch", "--quiet", *(["--detach"] if self.detached else []), self.home)),
            (f"restore branch {self.branch}", self._restore_branch),
        ]
        left = []
        for what, step in steps:
            try:
                step()
            except (Refusal, OSError) as err:
                left.append(f"{what}: {err}")
        return left

    def _remove_written(self) -> None:
        for path in self.written:
            if path.is_file():  # False too when a file stands where a folder of it should be
                path.unlink()
        for folder in reversed(self.made_dirs):
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()

    def _restore_branch(self) -> None:
        if self.tip is None:
            if self.repo.has_branch(self.branch):
                self.repo.git("branch", "--quiet", "--delete", "--force", self.branch)
        elif self.repo.rev(f"refs/heads/{self.branch}") != self.tip:
            self.repo.git("update-ref", f"refs/heads/{self.branch}", self.tip)
