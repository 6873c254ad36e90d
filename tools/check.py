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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hugo_export import bibcheck  # noqa: E402
from hugo_export.lint import ERROR, lint_file  # noqa: E402
from hugo_export.verify import FixtureSite  # noqa: E402

_TODO = re.compile(r"^\s*(```+|:::+)\s*\{todo\}")


def articles(source: Path) -> list[Path]:
    return sorted(p for p in source.rglob("*.md") if "editorial" not in p.relative_to(source).parts)


def todos(files: list[Path]) -> list[str]:
    found = []
    for path in files:
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            if _TODO.match(line):
                following = next((l.strip() for l in lines[number:] if l.strip() and not l.startswith(":")), "")
                found.append(f"{path}:{number}: open TODO: {following[:90]}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=Path("source"))
    parser.add_argument("--bib", type=Path, default=Path("bibliography.bib"))
    parser.add_argument("--build", type=Path, default=Path("_build/check"))
    parser.add_argument("--words", type=Path, default=ROOT / "tools" / "codespell-words.txt")
    args = parser.parse_args(argv)
    bin_dir = Path(sys.executable).parent
    files = articles(args.source)
    results: dict[str, str] = {}
    failed = False

    print("== bibcheck")
    problems = bibcheck.check(args.bib, files)
    for problem in problems:
        print(problem)
    results["bibcheck"] = f"{len(problems)} problem(s)"
    failed |= bool(problems)

    print("== codespell")
    spell = subprocess.run(
        [str(bin_dir / "codespell"), "--ignore-words", str(args.words), str(args.source)],
        capture_output=True, text=True,
    )
    print(spell.stdout, end="")
    typos = len(spell.stdout.splitlines())
    results["codespell"] = f"{typos} typo(s)"
    failed |= spell.returncode != 0

    print("== editorial TODOs")
    open_todos = todos(files)
    for todo in open_todos:
        print(todo)
    results["todo"] = f"{len(open_todos)} open"
    failed |= bool(open_todos)

    print("== kubernetes/website lint")
    export = subprocess.run(
        [str(bin_dir / "sphinx-build"), "-b", "hugo", "-q", "-D", "hugo_allow_todo=1", str(args.source), str(args.build)],
        capture_output=True, text=True,
    )
    if export.returncode:
        print(export.stdout + export.stderr, end="")
        results["lint"] = "export failed"
        failed = True
    else:
        posts = sorted((args.build / "content").rglob("*.md"))
        findings = [f for post in posts for f in lint_file(post)]
        for finding in findings:
            print(finding)
        errors = sum(f.severity == ERROR for f in findings)
        results["lint"] = f"{errors} error(s), {len(findings) - errors} warning(s) in {len(posts)} post(s)"
        failed |= errors > 0

        print("== Hugo render (the site's build, in the fixture site)")
        site = FixtureSite(ROOT / "tests" / "hugo_site", args.build / "site")
        site.add_export(args.build)
        render = site.render()
        for line in render.problems:
            print(f"hugo: {line}")
        results["hugo"] = "renders" if render.ok else f"failed ({len(render.problems)} error line(s))"
        failed |= not render.ok

    verdict = "FAIL" if failed else "PASS"
    print(f"check: {verdict}: " + "; ".join(f"{k} {v}" for k, v in results.items()))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
