"""``make pdf``: each post's reviewer PDF, Sphinx's LaTeX builder then latexmk with XeLaTeX.

latexmk reuses its auxiliary files from run to run, and an interrupted run
leaves them half-written: every later run then fails on them. So latexmk runs
in a working copy made for this run (the LaTeX sources plus the auxiliary
files of the last run that succeeded), which replaces the kept one only when
every PDF was made; the PDFs themselves are written aside and renamed into
place. On a LaTeX error we print the failing lines of the log, not all of it,
each with the source line of the block it is in (the translator marks every
block with it, see :mod:`.writer`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from .. import atomic
from ..outputs import Options, build
from ..post import posts_leniently
from ..project import Project

#: ``-norc``: no latexmkrc, Sphinx's (whose rules run commands named after files TeX writes) or the
#: machine's; ``-xelatex`` says everything it set.
LATEXMK = ["latexmk", "-norc", "-xelatex", "-interaction=nonstopmode", "-halt-on-error", "-file-line-error",
           "-no-shell-escape"]
#: A post holds no raw LaTeX (sphinx_ext.sources.check_raw), and all its text reaches TeX through Sphinx's
#: escaping; should anything slip past, kpathsea's own restrictions, read from the environment before
#: texmf.cnf, keep TeX inside the LaTeX build folder (paranoid: no absolute paths, no ``..``, no dot files)
#: and away from the shell. TeX wraps its log at 79 columns, which cuts a missing character's font name
#: in two.
TEX_ENV = {"openin_any": "p", "openout_any": "p", "shell_escape": "f", "max_print_line": "10000"}
#: Paranoid mode lets TeX write under TEXMFOUTPUT: the caller's setting is not passed on.
TEX_UNSET = ("TEXMFOUTPUT",)
_ERROR = re.compile(r"^(?:.*:\d+: |! )")
_TEX_LINE = re.compile(r"^(?:\./)?[^:\s]+\.tex:(\d+): ")
_MARK = re.compile(r"\\Rev(?:Source|SourceNext|Row)\{([^}]+)\}")
_MISSING = re.compile(r"Missing character: There is no (.+?) \((U\+[0-9A-F]+)\)")


def log_errors(log: Path, context: int = 2) -> list[str]:
    """The error lines of a TeX log, each with the lines that locate it."""
    if not log.is_file():
        return []
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    out: list[str] = []
    for i, line in enumerate(lines):
        if _ERROR.match(line):
            out.append(line)
            out += [ln for ln in lines[i + 1 : i + 1 + 6] if ln.startswith("l.")][:1]
            out += lines[i + 1 : i + 1 + context] if not out[-1].startswith("l.") else []
    return out


def source_position(tex: Path, line: int, post: Path) -> str | None:
    """``file:line`` of the post's source for *line* of the LaTeX file: the last block mark before it."""
    for text in reversed(tex.read_text("utf-8").splitlines()[:line]):
        if marks := _MARK.findall(text):
            where = marks[-1]
            if where.startswith("L"):
                return f"{post}:{where[1:]}"
            name, _, number = re.sub(r"\\(.)", r"\1", where.replace(r"\sphinxhyphen{}", "-")).rpartition(":")
            return f"{post.parent / name}:{number}"
    return None


def explain(errors: list[str], tex: Path, post: Path) -> list[str]:
    """The log's error lines, each LaTeX error led by its source position; a missing glyph gets the fix."""
    out, fixes = [], []
    for line in errors:
        found = _TEX_LINE.match(line)
        where = source_position(tex, int(found.group(1)), post) if found else None
        out.append(f"{where}: {line}" if where else line)
        if missing := _MISSING.search(line):
            fixes.append(f"the PDF's type family (DejaVu) has no {missing.group(1)} ({missing.group(2)}): write it "
                         "another way; the HTML preview and the export keep it")
    return out + fixes


def latexmk(work: Path, name: str, post: Path) -> bool:
    """Run latexmk on ``<name>.tex`` in *work*; print the log's errors on failure."""
    run = subprocess.run([*LATEXMK, f"{name}.tex"], cwd=work, capture_output=True, text=True,
                         env={**{k: v for k, v in os.environ.items() if k not in TEX_UNSET}, **TEX_ENV})
    if run.returncode == 0:
        return True
    errors = log_errors(work / f"{name}.log") or run.stdout.splitlines()[-15:]
    print(f"pdf: LaTeX failed on {name}.tex:", file=sys.stderr)
    for line in explain(errors, work / f"{name}.tex", post):
        print(f"  {line}", file=sys.stderr)
    return False


def latex_build(source: Path, build_dir: Path, post: str | None, what: str) -> tuple[int, dict[str, Path]]:
    """Sphinx's LaTeX build of every post (or of *post*): its status, and the source of each post whose
    LaTeX it wrote with no problem, by slug (a post with one keeps its earlier PDF)."""
    result = build(Options("latex", source, build_dir, post=post))
    if result.status and not result.whole:
        print(f"{what}: the LaTeX build of the sources failed; see the messages above", file=sys.stderr)
        return result.status, {}
    return result.status, {meta.slug: meta.source for found, meta in Project.read(source).select(post)
                           if found.docname not in result.failed}


def put_pdfs(work: Path, names: Iterable[str], build_dir: Path) -> list[Path]:
    """Each ``<name>.pdf`` latexmk made in *work*, written aside and renamed into ``build_dir/pdf``."""
    placed = []
    for name in names:
        placed.append(build_dir / "pdf" / f"{name}.pdf")
        atomic.replace_file((work / f"{name}.pdf").read_bytes(), placed[-1])
    return placed


def make_pdfs(source: Path, build_dir: Path, post: str | None = None) -> int:
    """Build the PDF of every post (or of *post*); returns the exit status. A post whose LaTeX fails
    keeps its earlier PDF; the others are written."""
    status, posts = latex_build(source, build_dir, post, "pdf")
    if status and not posts:
        return status
    kept = build_dir / ".latexmk"
    with atomic.build_lock(build_dir, "pdf"):
        work = atomic.staging_dir(kept, clone=True)
        try:
            remove_gone(work, build_dir, all_slugs(source))
            shutil.copytree(build_dir / "latex", work, dirs_exist_ok=True)
            made = [slug for slug, path in posts.items() if latexmk(work, slug, path)]
            placed = put_pdfs(work, made, build_dir)
            atomic.replace_dir(work, kept)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    for path in placed:
        print(f"pdf: {path}")
    failed = sorted(all_slugs(source) - set(made)) if status else [slug for slug in posts if slug not in made]
    if failed := [slug for slug in failed if post in (None, slug)]:
        print(f"pdf: {', '.join(failed)} failed (see above) and kept its earlier PDF, if any", file=sys.stderr)
        return 2
    return status


def all_slugs(source: Path) -> set[str]:
    """The slug of every post, selected or not."""
    return {meta.slug for _, meta in posts_leniently(source) if meta is not None}


def _current(name: str, slugs: set[str]) -> bool:
    """Whether the PDF or latexmk's file *name* is of a post in *slugs*: ``slug.pdf``, or its diff
    ``slug-diff-1a2b3c4.pdf`` (a slug may end in ``-diff-2026`` itself)."""
    stem = name.split(".", 1)[0]
    return stem in slugs or re.sub(r"-diff-[0-9a-f]+$", "", stem) in slugs


def remove_gone(work: Path, build_dir: Path, slugs: set[str]) -> None:
    """The PDFs of posts that are gone (renamed or deleted), and what latexmk kept of them in *work*."""
    built = {f.name.split(".", 1)[0] for f in work.glob("*.fdb_latexmk") if not _current(f.name, slugs)}
    for path in [*(f for f in work.iterdir() if f.name.split(".", 1)[0] in built), *(build_dir / "pdf").glob("*.pdf")]:
        if path.is_file() and not _current(path.name, slugs):
            path.unlink()
