"""``make check``: what the blog's reviewers would catch, before they see it.

Runs bibcheck, codespell over the sources (with the project's word list), the
editorial TODO report, the kubernetes/website lint on a fresh export (made
with TODOs allowed, so the lint reports even while TODOs are open; the TODO
count fails the check on its own) and a real Hugo render of that export in the
fixture site, showing Hugo's own error lines. Ends with one summary line.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

from hugo_export import bibcheck  # noqa: E402
from hugo_export.lint import ERROR, lint_file  # noqa: E402
from hugo_export.verify import FixtureSite  # noqa: E402

_TODO = re.compile(r"^\s*(```+|:::+)\s*\{todo\}")


@dataclass
class Outcome:
    """What one check found: lines to show, a summary, and whether it failed."""

    summary: str
    failed: bool
    lines: list[str] = field(default_factory=list)


def articles(source: Path) -> list[Path]:
    return sorted(p for p in source.rglob("*.md") if "editorial" not in p.relative_to(source).parts)


def check_bib(args: argparse.Namespace) -> Outcome:
    problems = [str(p) for p in bibcheck.check(args.bib, articles(args.source))]
    return Outcome(f"{len(problems)} problem(s)", bool(problems), problems)


def check_spelling(args: argparse.Namespace) -> Outcome:
    run = subprocess.run([str(BIN / "codespell"), "--ignore-words", str(args.words), str(args.source)],
                         capture_output=True, text=True)
    typos = run.stdout.splitlines()
    return Outcome(f"{len(typos)} typo(s)", run.returncode != 0, typos)


def check_todos(args: argparse.Namespace) -> Outcome:
    found = []
    for path in articles(args.source):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            if _TODO.match(line):
                text = next((ln.strip() for ln in lines[number:] if ln.strip() and not ln.startswith(":")), "")
                found.append(f"{path}:{number}: open TODO: {text[:90]}")
    return Outcome(f"{len(found)} open", bool(found), found)


def check_lint(args: argparse.Namespace) -> Outcome:
    export = subprocess.run(
        [sys.executable, "-m", "hugo_export.build", "-b", "hugo", "-q", "-D", "hugo_allow_todo=1",
         str(args.source), str(args.build)],
        capture_output=True, text=True,
    )
    if export.returncode:
        return Outcome("export failed", True, (export.stdout + export.stderr).splitlines())
    posts = sorted((args.build / "content").rglob("*.md"))
    findings = [f for post in posts for f in lint_file(post)]
    errors = sum(f.severity == ERROR for f in findings)
    summary = f"{errors} error(s), {len(findings) - errors} warning(s) in {len(posts)} post(s)"
    return Outcome(summary, errors > 0, [str(f) for f in findings])


def check_render(args: argparse.Namespace) -> Outcome:
    if not (args.build / "content").is_dir():
        return Outcome("skipped (no export)", True)
    site = FixtureSite(ROOT / "tests" / "hugo_site", args.build / "site")
    site.add_export(args.build)
    render = site.render()
    summary = "renders" if render.ok else f"failed ({len(render.problems)} error line(s))"
    return Outcome(summary, not render.ok, [f"hugo: {line}" for line in render.problems])


CHECKS: list[tuple[str, str, Callable[[argparse.Namespace], Outcome]]] = [
    ("bibcheck", "bibcheck", check_bib),
    ("codespell", "codespell", check_spelling),
    ("todo", "editorial TODOs", check_todos),
    ("lint", "kubernetes/website lint", check_lint),
    ("hugo", "Hugo render (the site's build, in the fixture site)", check_render),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=Path("source"))
    parser.add_argument("--bib", type=Path, default=Path("bibliography.bib"))
    parser.add_argument("--build", type=Path, default=Path("_build/check"))
    parser.add_argument("--words", type=Path, default=ROOT / "tools" / "codespell-words.txt")
    args = parser.parse_args(argv)
    summaries, failed = [], False
    for key, title, check in CHECKS:
        print(f"== {title}")
        outcome = check(args)
        for line in outcome.lines:
            print(line)
        summaries.append(f"{key} {outcome.summary}")
        failed |= outcome.failed
    print(f"check: {'FAIL' if failed else 'PASS'}: " + "; ".join(summaries))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
