"""``make check``: what the blog's reviewers would catch, before they see it.

It runs the very build ``make hugo`` and ``make pr`` run (warnings are
errors), so it never passes what they refuse, and reads what it needs from
that build's environment rather than guessing from the sources: the open
editorial TODOs (``sphinx.ext.todo``) and which post cites which bibliography
entry (sphinxcontrib-bibtex). Then the bibliography file, codespell over the
posts, the kubernetes/website lint of each exported post and a real Hugo
render in the stand-in site. Ends with one summary line.

With ``WEBSITE=path`` (a kubernetes/website checkout), glossary ids are
checked against that checkout's glossary, and the render is the website's
own (:mod:`.website`), its ERROR and WARN lines about the posts reported at
their source lines; when the checkout lacks what its build needs, the check
says which command installs it and renders in the stand-in site, with the
checkout's glossary.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..bibfile import check_citations, check_file
from ..glossary import glossary
from ..outputs import Options, Result, build, reading
from ..post import PostMeta, PostSource, post_root, posts_leniently, read_front_matter, unknown_slug
from ..project import Project
from .lint import ERROR, lint_file
from .site import Render, StandInSite, hugo_version, source_of
from .website import WebsiteRender
from .where import annotate


@dataclass
class Outcome:
    """What one check found: lines to show, a summary, and whether it failed."""

    summary: str
    failed: bool
    lines: list[str] = field(default_factory=list)


@dataclass
class Context:
    """The check's inputs and the build every step reads."""

    source: Path
    build: Path
    post: str | None
    words: Path | None
    result: Result = field(default_factory=lambda: Result(2))
    website: Path | None = None  #: a kubernetes/website checkout (WEBSITE=)

    @property
    def export(self) -> Path:
        return self.build / "hugo"

    def slugs(self) -> dict[str, str]:
        """Each post's slug by docname (posts whose front matter reads)."""
        return {post.docname: meta.slug for post, meta in Project.read(self.source).select()}

    def chosen(self) -> list[tuple[PostSource, PostMeta]]:
        """The posts this check is about: every one, or ``POST=``'s."""
        return Project.read(self.source).select(self.post)

    def exported(self) -> list[Path]:
        """The exported posts this check is about."""
        if self.result.status:
            return []
        posts = sorted((self.export / "content").rglob("*.md"))
        return [p for p in posts if not self.post or p.stem == self.post or p.parent.name == self.post]


def check_export(ctx: Context) -> Outcome:
    print(f"glossary ids: {glossary(ctx.website).source}")
    ctx.result = build(Options("hugo", ctx.source, ctx.build, post=ctx.post, website=ctx.website), force=True)
    if ctx.result.status:
        return Outcome("failed (its messages are above)", True)
    return Outcome(f"ok ({len(ctx.exported())} post(s))", False)


def check_bibliography(ctx: Context) -> Outcome:
    env = ctx.result.env
    if env is None:
        return Outcome("skipped (the build read no sources)", True)
    domain: Any = env.get_domain("cite")
    slugs = ctx.slugs()
    cited: dict[str, set[str]] = defaultdict(set)
    # sphinxcontrib-bibtex's domain data: undocumented, not underscored, read by its own tests; it goes once
    # the extension publishes which document cites which key.
    for ref in domain.citation_refs:
        for target in ref.targets:
            cited[target.key].add(slugs.get(ref.docname, ref.docname))
    problems = []
    for bib in domain.bibdata.bibfiles:
        data, file_problems = check_file(Path(bib))
        problems += file_problems
        if data is not None:
            problems += check_citations(Path(bib), data, cited)
    per_post: dict[str, set[str]] = defaultdict(set)
    chosen = {meta.slug for _, meta in ctx.chosen()}
    for key, posts in cited.items():
        for slug in posts:
            if slug in chosen:  # POST=x: that post's citations only
                per_post[slug].add(key)
    lines = [str(p) for p in problems]
    lines += [f"{slug} cites {len(keys)} work(s): {', '.join(sorted(keys))}" for slug, keys in sorted(per_post.items())]
    return Outcome(f"{len(problems)} problem(s)", bool(problems), lines)


def check_todos(ctx: Context) -> Outcome:
    env = ctx.result.env
    if env is None:
        return Outcome("skipped (the build read no sources)", True)
    chosen = {post.docname for post, _ in ctx.chosen()}
    todos = [node for docname, found in env.get_domain("todo").todos.items() if docname in chosen for node in found]
    return Outcome(f"{len(todos)} open", bool(todos))


def check_spelling(ctx: Context) -> Outcome:
    """codespell over the posts this check is about and the bibliography's text (not its author
    names, which are no words: "Ned" is no typo of "Need")."""
    files = [str(post_root(post.path)) for post, _ in ctx.chosen()]
    if not files:
        return Outcome("skipped (no post)", True)
    words = ["--ignore-words", str(ctx.words)] if ctx.words else []
    codespell = Path(sys.executable).with_name("codespell")
    with tempfile.TemporaryDirectory(prefix="k8s-blog-spelling-") as tmp:
        texts = {Path(tmp, f"{i}.txt"): bib for i, bib in enumerate(Project.read(ctx.source).bibfiles)}
        for text, bib in texts.items():
            text.write_text(_AUTHORS.sub(lambda m: "\n" * m[0].count("\n"), bib.read_text("utf-8")), "utf-8")
        run = subprocess.run([str(codespell), *words, *files, *map(str, texts)], capture_output=True, text=True)
    typos = run.stdout
    for text, bib in texts.items():
        typos = typos.replace(f"{text}:", f"{bib}:")
    return Outcome(f"{len(typos.splitlines())} typo(s)", run.returncode != 0, typos.splitlines())


#: A bib field of people's names, braces and all (its lines are blanked for codespell).
_AUTHORS = re.compile(r"^\s*(?:author|editor)\s*=\s*(?:\{(?:[^{}]|\{[^{}]*\})*\}|\"[^\"]*\")", re.M | re.I)


def check_lint(ctx: Context) -> Outcome:
    posts = ctx.exported()
    if not posts:
        return Outcome("skipped (no export)", True)
    section = Project.read(ctx.source).section
    findings = [f for post in posts for f in lint_file(post, website=ctx.website, section=section)]
    errors = sum(f.severity == ERROR for f in findings)
    dates = past_dates(ctx)
    summary = f"{errors} error(s), {len(findings) - errors + len(dates)} warning(s) in {len(posts)} post(s)"
    return Outcome(summary, errors > 0, [annotate(f) for f in findings] + dates)


def past_dates(ctx: Context) -> list[str]:
    """A draft's date is the day it is planned to appear: one already past is a date left behind."""
    today, found = dt.date.today(), []
    for _, meta in ctx.chosen():
        if not meta.draft or meta.date >= today:
            continue
        front = read_front_matter(meta.source)
        found.append(f"{meta.source}:{front.line('date') if front else 1}: warning: date {meta.date} is in the past; "
                     "set the day the post is planned to appear [past-date]")
    return found


def check_render(ctx: Context) -> Outcome:
    if not ctx.exported():
        return Outcome("skipped (no export)", True)
    if ctx.website is not None:
        website = WebsiteRender(ctx.website, ctx.build / "website-render")
        if lacking := website.lacking():
            print(f"hugo: {ctx.website} lacks what its build needs: {', '.join(lacking)}; {website.install_hint()}. "
                  "Rendering in the stand-in site instead, with its glossary")
        else:
            pinned = website.pinned_hugo()
            print(f"hugo: rendering in {ctx.website} with its own configuration, layouts and theme "
                  f"(Hugo {hugo_version()}{f'; the website pins {pinned}' if pinned else ''})")
            website.add_export(ctx.export)
            return judge(website.render(), website.content, ctx.build, "renders in the website checkout", True)
    site = StandInSite(ctx.build / "check-site", glossary(ctx.website))
    site.add_export(ctx.export)
    return judge(site.render(), site.content, ctx.build, "renders")


def judge(render: Render, content: Path, build: Path, passed: str, website: bool = False) -> Outcome:
    """A render's outcome: its problems about the posts, at their source lines, fail it, and so does any
    error; the website's own warnings about its other pages are shown and pass."""
    lines, failing = [], 0
    for line in render.problems:
        origin = source_of(line, content, build)
        if origin or not line.startswith("WARN"):
            failing += 1
            where = f" (source: {origin})" if origin else " (the website's own build, not a line of the post)" \
                if website else ""
            lines.append(f"hugo: {line}{where}")
        else:
            lines.append(f"hugo: the website's own, not the post's: {line}")
    if render.returncode == 0 and not failing:
        return Outcome(passed, False, lines)
    return Outcome(f"failed ({failing or 1} error line(s))", True, lines or [render.output.strip()[-2000:]])


def unknown_post(source: Path, post: str) -> str | None:
    """The message for ``POST=`` naming no post, before any check runs on nothing."""
    slugs = [meta.slug for _, meta in posts_leniently(source) if meta is not None]
    return None if post in slugs else unknown_slug(post, slugs)


CHECKS: list[tuple[str, str, Callable[[Context], Outcome]]] = [
    ("export", "the export (the build make hugo and make pr run)", check_export),
    ("bib", "bibliography", check_bibliography),
    ("todo", "editorial TODOs", check_todos),
    ("codespell", "spelling", check_spelling),
    ("lint", "kubernetes/website lint", check_lint),
    ("hugo", "Hugo render (in the website checkout with WEBSITE=, else in the stand-in site)", check_render),
]


def run_checks(source: Path, build_dir: Path, post: str | None = None, words: Path | None = None,
               website: Path | None = None) -> int:
    if post is not None and (problem := unknown_post(source, post)):
        print(f"check: {problem}", file=sys.stderr)
        return 2
    ctx = Context(source, build_dir, post, words, website=website)
    summaries, failed = [], False

    def run(key: str, title: str, check: Callable[[Context], Outcome]) -> None:
        nonlocal failed
        print(f"== {title}", flush=True)
        outcome = check(ctx)
        for line in outcome.lines:
            print(line)
        summaries.append(f"{key} {outcome.summary}")
        failed |= outcome.failed

    first, *rest = CHECKS
    run(*first)  # the export, built under the build folder's lock
    with reading(Options("hugo", source, build_dir, post, website=website), "check") as current:
        if ctx.result.status == 0 and not current:
            print("check: another build replaced the export while it was checked; run make check again")
            ctx.result, failed = Result(2, ctx.result.env), True
        for step in rest:
            run(*step)
    print(f"check: {'FAIL' if failed else 'PASS'}: " + "; ".join(summaries))
    return 1 if failed else 0
