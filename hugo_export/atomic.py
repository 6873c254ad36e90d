"""Write aside, then rename: how every output of the pipeline is replaced.

A build that fails, is interrupted (Ctrl-C, SIGTERM, even SIGKILL) or races
another build must never leave a half-written output or lose the previous
one. So each output is made in a staging directory with a per-run name beside
its target and renamed into place once complete, and one lock per build
directory keeps two builds (a ``make preview`` rebuilding on save while
``make pr`` runs in another terminal) from working on it at once.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

STAGING = ".staging-"
TRASH = ".trash-"


def umask() -> int:
    """The process's umask, as it is now: read from /proc where it is shown, else set and put back."""
    try:
        status = Path("/proc/self/status").read_text()
        return int(status.split("Umask:", 1)[1].split()[0], 8)
    except (OSError, IndexError, ValueError):
        mask = os.umask(0o022)
        os.umask(mask)
        return mask


def staging_dir(final: Path, *, clone: bool = False) -> Path:
    """A new, empty (or, with *clone*, a copy of *final*) directory beside *final*.

    Its name is unique to this run; whatever an interrupted earlier run left
    behind is removed by :func:`sweep` under the lock.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=f"{STAGING}{final.name}-", dir=final.parent))
    if clone and final.is_dir():
        shutil.copytree(final, staged, symlinks=True, dirs_exist_ok=True)
    staged.chmod(0o777 & ~umask())  # tempfile makes it private (0700), copytree as the old one was
    return staged


def replace_dir(staged: Path, final: Path) -> None:
    """Put *staged* where *final* is, with renames only.

    The old tree is moved aside only once the new one is complete, and
    deleted only after the new one is in place.
    """
    trash = None
    if final.exists():
        trash = Path(tempfile.mkdtemp(prefix=f"{TRASH}{final.name}-", dir=final.parent))
        os.replace(final, trash / final.name)
    os.replace(staged, final)
    if trash is not None:
        shutil.rmtree(trash, ignore_errors=True)


def replace_file(data: bytes, final: Path) -> None:
    """Write *data* to *final* through a temporary file beside it."""
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f"{STAGING}{final.name}-", dir=final.parent)
    try:
        os.fchmod(fd, 0o666 & ~umask())  # tempfile makes it private (0600)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, final)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def os_problem(err: OSError) -> str:
    """One line for an error of the file system: shutil's copy errors list every file that failed
    (on a full disk, all of them); the first says it."""
    if isinstance(err, shutil.Error) and err.args and isinstance(err.args[0], list) and err.args[0]:
        source, _, why = err.args[0][0]
        return f"{why} (copying {source})"
    return f"{err.strerror}: {err.filename}" if err.strerror and err.filename else str(err)


def _leftover(path: Path) -> bool:
    return path.name.startswith((STAGING, TRASH))


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def restore(trash: Path) -> None:
    """Put back what a swap killed between its two renames left aside, if its place is empty."""
    for aside in trash.iterdir() if trash.is_dir() else ():
        if not (trash.parent / aside.name).exists():
            os.replace(aside, trash.parent / aside.name)


def sweep(build: Path) -> None:
    """Remove what interrupted runs left in *build* and its folders (under the lock)."""
    for trash in [*build.glob(f"{TRASH}*"), *build.glob(f"*/{TRASH}*")]:
        restore(trash)
    folders = [build]
    for entry in list(build.iterdir()):
        if _leftover(entry):
            _remove(entry)
        elif entry.is_dir() and not entry.is_symlink():
            folders.append(entry)
    for folder in folders[1:]:
        for entry in list(folder.iterdir()):
            if _leftover(entry):
                _remove(entry)


@contextlib.contextmanager
def build_lock(build: Path, what: str) -> Iterator[None]:
    """Hold the lock of the build directory *build* while the block runs.

    A second build of the same directory waits, after saying so once. The
    kernel drops the lock when its holder dies, however it dies.
    """
    build.mkdir(parents=True, exist_ok=True)
    with open(build / ".lock", "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"{what}: another build is using {build}; waiting for it to finish", file=sys.stderr, flush=True)
            fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            sweep(build)
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
