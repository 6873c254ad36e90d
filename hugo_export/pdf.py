"""``make pdf``: each post's reviewer PDF, Sphinx's LaTeX builder then latexmk with XeLaTeX.

latexmk reuses its auxiliary files from run to run, and an interrupted run
leaves them half-written: every later run then fails on them. So latexmk runs
in a working copy made for this run (the LaTeX sources plus the auxiliary
files of the last run that succeeded), which replaces the kept one only when
every PDF was made; the PDFs themselves are written aside and renamed into
place. On a LaTeX error we print the failing lines of the log, not all of it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from . import atomic
from .build import Options, build
from .post import iter_metas

LATEXMK = ["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error", "-file-line-error"]
_ERROR = re.compile(r"^(?:.*:\d+: |! )")


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


def latexmk(work: Path, slug: str) -> bool:
    """Run latexmk on ``<slug>.tex`` in *work*; print the log's errors on failure."""
    run = subprocess.run([*LATEXMK, f"{slug}.tex"], cwd=work, capture_output=True, text=True)
    if run.returncode == 0:
        return True
    errors = log_errors(work / f"{slug}.log") or run.stdout.splitlines()[-15:]
    print(f"pdf: LaTeX failed on {slug}.tex:", file=sys.stderr)
    for line in errors:
        print(f"  {line}", file=sys.stderr)
    return False


def make_pdfs(source: Path, build_dir: Path, post: str | None = None) -> int:
    """Build the PDF of every post (or of *post*); returns the exit status."""
    if (status := build(Options("latex", source, build_dir, post=post)).status) != 0:
        print("pdf: the LaTeX build of the sources failed; see the messages above", file=sys.stderr)
        return status
    slugs = [meta.slug for _, meta in iter_metas(source) if post in (None, meta.slug)]
    kept = build_dir / ".latexmk"
    with atomic.build_lock(build_dir, "pdf"):
        work = atomic.staging_dir(kept, clone=True)
        try:
            shutil.copytree(build_dir / "latex", work, dirs_exist_ok=True)
            if not all([latexmk(work, slug) for slug in slugs]):
                print("pdf: the previous PDFs, if any, are unchanged", file=sys.stderr)
                return 1
            for slug in slugs:
                atomic.replace_file((work / f"{slug}.pdf").read_bytes(), build_dir / "pdf" / f"{slug}.pdf")
            atomic.replace_dir(work, kept)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    for slug in slugs:
        print(f"pdf: {build_dir / 'pdf' / f'{slug}.pdf'}")
    return 0
