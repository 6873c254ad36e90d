"""``k8s-blog``: one command line for every job of the pipeline; make's targets call it.

Each subcommand imports what it needs when it runs: ``lint``, ``rules``,
``bibcheck`` and ``pr``'s checks import no Sphinx, and a build that is up to
date finishes before Sphinx would have loaded.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # building the parser imports nothing of the pipeline
    from .outputs import Options

Command = Callable[[argparse.Namespace], int]
#: What ``k8s-blog build`` makes (the names of Sphinx's builders); kept here, not imported, so that
#: building the parser imports nothing of the pipeline.
BUILDERS = ("html", "hugo", "latex")


def website_option(args: argparse.Namespace) -> Path | None:
    """``--website``, absolute, once its glossary reads (a path with none is refused here, in the author's terms)."""
    from .glossary import glossary

    if args.website is None:
        return None
    website = args.website.resolve()
    glossary(website)
    return website


def cmd_build(args: argparse.Namespace) -> int:
    from .outputs import Options, build, exit_now

    options = Options(args.builder, args.source, args.build, args.post, args.publish, args.allow_todo,
                      website_option(args))
    exit_now(build(options, force=args.force).status)  # skips the interpreter's teardown


def cmd_pdf(args: argparse.Namespace) -> int:
    from .outputs import exit_now
    from .pdf.latexmk import make_pdfs

    exit_now(make_pdfs(args.source, args.build, args.post))  # Sphinx was imported: skip its teardown


def cmd_pdf_diff(args: argparse.Namespace) -> int:
    from .outputs import exit_now
    from .pdf.diff import make_diff

    exit_now(make_diff(args.source, args.build, args.rev, args.post))


def cmd_check(args: argparse.Namespace) -> int:
    from .qa.check import run_checks

    words = args.words if args.words.is_file() else None
    return run_checks(args.source, args.build, args.post, words, website_option(args))


def cmd_lint(args: argparse.Namespace) -> int:
    from .qa.lint import ERROR, lint_file
    from .qa.where import annotate

    files = [p for path in args.files for p in (sorted(path.rglob("*.md")) if path.is_dir() else [path])]
    if not files:
        print("lint: no Markdown files to check", file=sys.stderr)
        return 2
    findings = [f for path in files for f in lint_file(path, publish=args.publish)]
    for finding in findings:
        print(annotate(finding, args.build))
    errors = sum(f.severity == ERROR for f in findings)
    print(f"lint: {len(files)} file(s), {errors} error(s), {len(findings) - errors} warning(s)", file=sys.stderr)
    return 1 if errors else 0


def cmd_where(args: argparse.Namespace) -> int:
    from .qa.where import where

    for location in args.locations:
        try:
            answer, warning = where(location, args.build)
        except LookupError as err:
            print(f"where: {err}", file=sys.stderr)
            return 2
        if warning:
            print(f"where: warning: {warning}", file=sys.stderr)
        print(answer)
    return 0


def cmd_rules(args: argparse.Namespace) -> int:
    from .qa.lint import RULES

    for rule, (severity, text) in RULES.items():
        print(f"{rule:20} {severity:8} {text}")
    return 0


def cmd_bibcheck(args: argparse.Namespace) -> int:
    from .bibfile import check_file

    data, problems = check_file(args.bib)
    for problem in problems:
        print(problem)
    count = len(data.entries) if data else 0
    print(f"bibcheck: {count} entries, {len(problems)} problem(s)", file=sys.stderr)
    return 1 if problems else 0


def cmd_linkcheck(args: argparse.Namespace) -> int:
    from .qa.linkcheck import linkcheck

    return linkcheck(args.source, args.build, args.probe, args.port)


def cmd_preview(args: argparse.Namespace) -> int:
    from .outputs import Options, build
    from .preview import serve

    options = Options("hugo", args.source, args.build, args.post, args.publish, args.allow_todo,
                      website_option(args))
    first = build(options)
    if first.status and not first.whole:  # one post's mistake does not keep the others off the preview
        return 2
    return serve(options, args.port)


def cmd_glossary(args: argparse.Namespace) -> int:
    from .glossary import refresh, shipped_file

    target = args.output or shipped_file()
    fresh = refresh(args.website.resolve(), target)
    print(f"glossary: {len(fresh.terms)} terms, {fresh.source}: {target}")
    return 0


def cmd_pr(args: argparse.Namespace) -> int:
    from .glossary import with_glossary
    from .outputs import Options
    from .pr.submit import refuse_early, submit
    from .project import Project

    if refuse_early(args.website, Project.read(args.source).section):  # before a build it would not use
        return 1
    # The website's own glossary checks the post's {k8s-term} ids, as its build will (else the shipped list).
    options = Options("hugo", args.source, args.build, args.post, args.publish, website=with_glossary(args.website))
    return on_export(options, "pr", 1, lambda: submit(args.source, args.build, args.website, slug=args.post,
                                                      branch=args.branch, publish=args.publish, force=args.force,
                                                      dry_run=args.dry_run))


def cmd_absorb(args: argparse.Namespace) -> int:
    from .outputs import Options
    from .pr.absorb import absorb
    from .pr.git import Checkout, Refusal
    from .pr.submit import check_checkout
    from .project import Project

    try:
        check_checkout(Checkout(args.website.resolve()), Project.read(args.source).section)  # before a build
    except Refusal as refusal:
        print(f"absorb: refused: {refusal}", file=sys.stderr)
        return 2
    options = Options("hugo", args.source, args.build, args.post)  # the export of the source as it is now
    return on_export(options, "absorb", 2, lambda: absorb(args.source, args.build, args.website, slug=args.post,
                                                          branch=args.branch))


def on_export(options: Options, what: str, raced: int, run: Callable[[], int]) -> int:
    """Make the export in a child process (this one stays free of Sphinx), then *run* while it is read under
    the build folder's lock; *raced* when another build replaced it in between."""
    import subprocess

    from .outputs import reading

    if subprocess.run(options.command()).returncode:
        return 2
    with reading(options, what) as current:
        if not current:
            print(f"{what}: refused: another build replaced the export in {options.outdir} after this one made it; "
                  f"run make {what} again", file=sys.stderr)
            return raced
        return run()


def cmd_new(args: argparse.Namespace) -> int:
    from .new import new_post

    return new_post(args.source, args.slug, args.title)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="k8s-blog", description="Kubernetes blog posts from MyST sources: "
                                  "HTML preview, reviewer PDF, kubernetes/website export and pull request.")
    sub = top.add_subparsers(required=True, metavar="COMMAND")

    def command(name: str, run: Command, help: str, *, project: bool = True) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(run=run)
        if project:
            p.add_argument("--source", type=Path, default=Path("source"), help="the posts' folder (default: source)")
            p.add_argument("--build", type=Path, default=Path("_build"), help="where outputs go (default: _build)")
        return p

    def post_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--post", metavar="SLUG", help="only this post (default: every post)")

    def maps_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--build", type=Path, default=Path("_build"),
                       help="where make hugo wrote the source maps (default: _build)")

    def website(p: argparse.ArgumentParser, what: str) -> None:
        p.add_argument("--website", type=Path, metavar="PATH",
                       help=f"a kubernetes/website checkout: its glossary checks term ids{what}")

    def form_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--publish", action="store_true", help="the publish form: a date, no draft")
        p.add_argument("--allow-todo", action="store_true", help="show open TODOs as callouts (draft previews only)")

    p = command("new", cmd_new, "start a post: source/<slug>/index.md with an example of every construct")
    p.add_argument("slug", help="the post's slug: lowercase words joined by hyphens")
    p.add_argument("--title", help="the post's title (default: the slug in Title Case)")
    p = command("build", cmd_build, "build one output: html (preview), hugo (export) or latex (PDF sources)")
    p.add_argument("builder", choices=BUILDERS)
    post_option(p)
    form_options(p)
    website(p, "")
    p.add_argument("--force", action="store_true", help="build even when nothing changed")
    p = command("pdf", cmd_pdf, "each post's reviewer PDF in BUILD/pdf/<slug>.pdf")
    post_option(p)
    p = command("pdf-diff", cmd_pdf_diff, "the reviewer PDF with the changes since a git revision marked, "
                "in BUILD/pdf/<slug>-diff-<rev>.pdf")
    post_option(p)
    p.add_argument("--rev", required=True, help="the git revision to compare with (commit, branch, tag, HEAD~1)")
    p = command("check", cmd_check, "everything the blog's reviewers would catch, with one summary line")
    post_option(p)
    p.add_argument("--words", type=Path, default=Path("tools/codespell-words.txt"),
                   help="codespell's list of words to accept")
    website(p, ", and the post is rendered in it, with its own configuration, layouts and theme")
    p = command("lint", cmd_lint, "check exported posts against kubernetes/website's blog conventions",
                project=False)
    p.add_argument("files", type=Path, nargs="+", help="post files or folders of them")
    p.add_argument("--publish", action="store_true", help="expect the publish form (date, no draft)")
    maps_option(p)
    p = command("where", cmd_where, "the source line of a line of an exported post (a PR comment's line)",
                project=False)
    p.add_argument("locations", nargs="+", metavar="FILE:LINE",
                   help="an exported post (in BUILD/hugo or a website checkout) and a line of it")
    maps_option(p)
    command("rules", cmd_rules, "list the lint rules", project=False)
    p = command("bibcheck", cmd_bibcheck, "check a BibTeX file: syntax, duplicates, fields, links", project=False)
    p.add_argument("bib", type=Path, nargs="?", default=Path("bibliography.bib"))
    p = command("linkcheck", cmd_linkcheck, "check every link of the posts (needs a network)")
    p.add_argument("--probe", default="kubernetes.io", help="host that must answer for a network to count")
    p.add_argument("--port", type=int, default=443, help="port of the probe host")
    p = command("preview", cmd_preview, "serve the export in the stand-in site (or a website checkout), "
                "re-exported on every save")
    post_option(p)
    form_options(p)
    website(p, ", and the post is served in it, in the website's own look")
    p.add_argument("--port", type=int, default=1313)
    p = command("glossary", cmd_glossary, "rewrite the shipped glossary (term ids, definitions, links) from a "
                "kubernetes/website checkout", project=False)
    p.add_argument("--website", type=Path, required=True, metavar="PATH", help="the kubernetes/website checkout")
    p.add_argument("--output", type=Path, help="write here instead of the package's data/glossary.json")
    p = command("pr", cmd_pr, "export a post and commit it to a kubernetes/website checkout: a new branch, "
                "or one more commit on the branch of an earlier run")
    post_option(p)
    p.add_argument("--publish", action="store_true",
                   help="the follow-up after the merge: date the post on the default branch, drop draft")
    p.add_argument("--website", type=Path, required=True, help="path of the kubernetes/website checkout")
    p.add_argument("--branch", help="branch to commit on (default: blog-<slug>, blog-<slug>-publish)")
    p.add_argument("--force", action="store_true",
                   help="commit over commits make pr did not make, or over another copy of the post's slug")
    p.add_argument("--dry-run", action="store_true", help="say what would happen; change nothing")
    p = command("absorb", cmd_absorb, "take the reviewers' commits on the post's branch (a suggestion committed on "
                "the pull request) back into its MyST source; what it cannot take, it lists")
    post_option(p)
    p.add_argument("--website", type=Path, required=True, help="path of the kubernetes/website checkout")
    p.add_argument("--branch", help="the post's branch (default: the one make pr committed it on)")
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("k8s-blog: interrupted; earlier outputs are as they were", file=sys.stderr)
        return 130
    except OSError as err:  # a missing or unreadable file, a folder of the wrong kind, a full disk
        from .atomic import os_problem

        print(f"k8s-blog {sys.argv[1] if len(sys.argv) > 1 else ''}: {os_problem(err)}".replace("  ", " "),
              file=sys.stderr)
        return 2
    except ValueError as err:  # an author's mistake the command reports in one line
        print(f"k8s-blog {sys.argv[1] if len(sys.argv) > 1 else ''}: {err}".replace("  ", " "), file=sys.stderr)
        return 2
