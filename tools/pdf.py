"""Build the reviewer PDF: Sphinx's LaTeX builder, then latexmk with XeLaTeX.

On a LaTeX error we print the failing lines of the log (``file:line: error``
and the ``l.N`` context), not the whole log. The PDF is written beside its
target and renamed into place only when complete, so a failed build leaves the
previous PDF as it was.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=Path("source"))
    parser.add_argument("--build", type=Path, default=Path("_build"))
    parser.add_argument("--name", default="confidential-kubernetes", help="the LaTeX document name")
    args = parser.parse_args(argv)
    latex_dir = args.build / "latex"
    sphinx = [sys.executable, "-m", "hugo_export.build", "-b", "latex", "-W", "--keep-going", "-q"]
    if subprocess.run([*sphinx, str(args.source), str(latex_dir)]).returncode:
        print("pdf: the LaTeX build of the sources failed; see the warnings above", file=sys.stderr)
        return 1
    tex = f"{args.name}.tex"
    run = subprocess.run([*LATEXMK, tex], cwd=latex_dir, capture_output=True, text=True)
    if run.returncode:
        errors = log_errors(latex_dir / f"{args.name}.log") or run.stdout.splitlines()[-15:]
        print(f"pdf: LaTeX failed on {latex_dir / tex}:", file=sys.stderr)
        for line in errors:
            print(f"  {line}", file=sys.stderr)
        print("pdf: the previous PDF, if any, is unchanged", file=sys.stderr)
        return 1
    target = args.build / "pdf" / f"{args.name}.pdf"
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".pdf.partial")
    partial.write_bytes((latex_dir / f"{args.name}.pdf").read_bytes())
    os.replace(partial, target)
    print(f"pdf: {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
