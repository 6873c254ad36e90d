"""``make pdf-diff REV=...``: the review PDF with what changed since a git revision marked.

The second review round needs to see what the authors changed. The post's
sources at REV come out of git (``git archive``) into a temporary folder and
are built with today's pipeline and today's ``conf.py``, so the two LaTeX
files differ only where the sources do; latexdiff marks the difference (added
text coloured and underlined, removed text struck out) and latexmk sets it in
a fresh folder, with the line numbers and source positions of ``make pdf``.
The post is found at REV by its slug, whatever its file was called then; a
post that did not exist at REV is marked as added throughout. The PDF is
written aside and renamed into place, like every output.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from . import atomic
from .build import Options, build
from .pdf import latex_build, latexmk, put_pdfs
from .post import FrontMatterError, select_posts
from .revision import Commit, RevisionError, git, resolve

#: Sphinx's own commands whose last argument is text (diffed inside), and those safe inside a change.
LATEXDIFF = ["latexdiff", "--no-label", "--append-textcmd=PYG,sphinxhref,DUrole",
             "--append-safecmd=sphinxhyphen,sphinxstyleemphasis,sphinxstylestrong,sphinxcode,sphinxupquote"]
BEGIN = "\\begin{document}"
END = "\\end{document}"


def old_sources(commit: Commit, source: Path, into: Path) -> Path | None:
    """The source folder and the bib files beside it as they were at *commit*, or ``None``."""
    folder = source.resolve().relative_to(commit.top)
    # -z: names as they are; without it git quotes any name beyond ASCII and git archive finds no such file.
    listed = git(commit.top, "ls-tree", "-r", "-z", "--name-only", commit.sha, "--", folder.as_posix()).stdout
    files = [name for name in listed.split("\0") if name]
    if not files:
        return None
    beside = git(commit.top, "ls-tree", "-z", "--name-only", commit.sha, "--", f"{folder.parent.as_posix()}/").stdout
    files += [name for name in beside.split("\0") if name.endswith(".bib")]
    tar = subprocess.run(["git", "-C", str(commit.top), "archive", "--format=tar", commit.sha, "--", *files],
                         capture_output=True, check=True)
    with tarfile.open(fileobj=io.BytesIO(tar.stdout)) as archive:
        try:
            archive.extractall(into, filter="data")  # nothing lands outside *into*, whatever the commit holds
        except tarfile.FilterError as err:  # a link to an absolute path or out of the tree
            raise RevisionError(f"at {commit.short}, {err}, out of the sources: a post's files lie "
                                "inside source/; that revision cannot be compared") from None
    return into / folder


def old_latex(commit: Commit, source: Path, work: Path, post: str | None) -> dict[str, Path] | None:
    """Each post's LaTeX file as built from the sources at *commit*, by slug (``None``: they do not build)."""
    old = old_sources(commit, source, work / "old")
    if old is None:
        return {}
    shutil.copyfile(source / "conf.py", old / "conf.py")  # today's settings on both sides
    try:
        slugs = [meta.slug for _, meta in select_posts(old, post)]
    except FrontMatterError as err:
        print(f"pdf-diff: at {commit.short}: {err}", file=sys.stderr)
        return None
    if not slugs:
        return {}
    with contextlib.redirect_stdout(io.StringIO()):  # its output paths are temporary
        status = build(Options("latex", old, work / "old-build", post=post)).status
    if status:
        print(f"pdf-diff: the sources at {commit.short} do not build; see the messages above", file=sys.stderr)
        return None
    return {slug: work / "old-build" / "latex" / f"{slug}.tex" for slug in slugs}


def opaque(tex: str) -> str:
    """*tex* with the TeX code Sphinx puts in the body (``\\makeatletter`` ... ``\\makeatother``: the
    longtable margins) in one ``\\RevTeX`` argument: latexdiff would mark its ``-`` as added words
    inside a dimension when a whole table is new."""
    preamble, begin, body = tex.partition(BEGIN)
    return preamble + begin + re.sub(r"\\makeatletter\n(.*?)\\makeatother",
                                     lambda code: rf"\makeatletter\RevTeX{{{code.group(1)}}}\makeatother",
                                     body, flags=re.S)


def mark_changes(old: Path | None, new: Path, commit: Commit) -> str:
    """latexdiff of the two LaTeX files, noting REV in the running header; no *old*: all of it is new."""
    text = new.read_text("utf-8")
    before = old.read_text("utf-8") if old else text[: text.index(BEGIN) + len(BEGIN)] + "\n" + END + "\n"
    sides = []
    for side, tex in (("old", before), ("new", text)):
        sides.append(new.with_name(f"{new.stem}-{side}.tex"))
        sides[-1].write_text(opaque(tex), "utf-8")
    marked = subprocess.run([*LATEXDIFF, *map(str, sides)], capture_output=True, check=True).stdout.decode()
    note = rf"\renewcommand*\RevDiffNote{{; marked: changes since {commit.short}}}"
    return marked.replace(BEGIN, note + "\n" + BEGIN, 1)


def make_diff(source: Path, build_dir: Path, rev: str, post: str | None = None) -> int:
    """Write ``<slug>-diff-<rev>.pdf`` for every post (or *post*); returns the exit status."""
    try:
        commit = resolve(source, rev)
    except RevisionError as err:
        print(f"pdf-diff: {err}", file=sys.stderr)
        return 2
    status, posts = latex_build(source, build_dir, post, "pdf-diff")
    if status:
        return status
    with tempfile.TemporaryDirectory(prefix="k8s-blog-pdf-diff-") as tmp:
        try:
            olds = old_latex(commit, source, Path(tmp), post)
        except RevisionError as err:
            print(f"pdf-diff: {err}", file=sys.stderr)
            return 2
        if olds is None:
            return 2
        work = Path(tmp, "work")
        shutil.copytree(build_dir / "latex", work)
        names = {slug: f"{slug}-diff-{commit.short}" for slug in posts}
        for slug, name in names.items():
            try:
                marked = mark_changes(olds.get(slug), work / f"{slug}.tex", commit)
            except subprocess.CalledProcessError as err:
                print(f"pdf-diff: latexdiff failed on {slug}.tex: {err.stderr.decode().strip()}", file=sys.stderr)
                return 1
            (work / f"{name}.tex").write_text(marked, "utf-8")
            if not latexmk(work, name, posts[slug]):
                print("pdf-diff: the previous diff PDFs, if any, are unchanged", file=sys.stderr)
                return 1
        with atomic.build_lock(build_dir, "pdf-diff"):
            placed = put_pdfs(work, names.values(), build_dir)
    for path in placed:
        print(f"pdf-diff: {path}")
    return 0
