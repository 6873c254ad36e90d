"""Command line: ``python -m hugo_export lint FILE...`` and ``... pr``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .lint import ERROR, RULES, lint_file


def lint(args: argparse.Namespace) -> int:
    files = [p for path in args.files for p in (sorted(path.rglob("*.md")) if path.is_dir() else [path])]
    if not files:
        print("lint: no Markdown files to check", file=sys.stderr)
        return 2
    findings = [f for path in files for f in lint_file(path, publish=args.publish)]
    for finding in findings:
        print(finding)
    errors = sum(f.severity == ERROR for f in findings)
    print(f"lint: {len(files)} file(s), {errors} error(s), {len(findings) - errors} warning(s)", file=sys.stderr)
    return 1 if errors else 0


def rules(args: argparse.Namespace) -> int:
    for rule, (severity, text) in RULES.items():
        print(f"{rule:20} {severity:8} {text}")
    return 0


def pr(args: argparse.Namespace) -> int:
    from .submit import submit

    return submit(args.export, args.website, branch=args.branch, force=args.force, dry_run=args.dry_run)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hugo_export", description="kubernetes/website blog tools")
    sub = parser.add_subparsers(required=True, metavar="COMMAND")
    p = sub.add_parser("lint", help="check exported posts against the blog's conventions")
    p.add_argument("files", type=Path, nargs="+", help="post files or directories of them")
    p.add_argument("--publish", action="store_true", help="expect the publish form (date, no draft)")
    p.set_defaults(run=lint)
    p = sub.add_parser("rules", help="list the lint rules")
    p.set_defaults(run=rules)
    p = sub.add_parser("pr", help="place an export in a kubernetes/website checkout as one commit")
    p.add_argument("export", type=Path, help="the export directory (make hugo's _build/hugo)")
    p.add_argument("--website", type=Path, required=True, help="path of the kubernetes/website checkout")
    p.add_argument("--branch", help="branch to create (default: blog-<slug>)")
    p.add_argument("--force", action="store_true", help="replace a different post at the target path")
    p.add_argument("--dry-run", action="store_true", help="say what would happen; change nothing")
    p.set_defaults(run=pr)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
