"""Fixtures: snippets exported and rendered by real Hugo, one project per module where possible.

A test module that defines ``SNIPPETS`` (name -> MyST body, or ``(body,
files)``) gets them exported as the posts of one project and rendered in one
Hugo run (the ``snippets`` fixture); ``render`` does the same for a single
snippet with its own configuration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from helpers import HugoSite, build, front_matter, make_project, post_text


@dataclass
class Rendered:
    """A snippet taken through the export and Hugo."""

    markdown: str
    soup: BeautifulSoup
    body: Any  #: the post's body (``div.post-body``)
    html: BeautifulSoup | None = None  #: Sphinx's HTML preview of it, when asked for


def _render_project(src: Path, slugs: list[str], html: bool) -> dict[str, Rendered]:
    hugo = build(src, "hugo")
    assert hugo.status == 0, hugo.output
    site = HugoSite(src.parent / "site")
    site.add_export(hugo.root / "hugo")
    run = site.render()
    assert run.ok, run.output
    if html:
        preview = build(src, "html")
        assert preview.status == 0, preview.output
    out = {}
    for slug in slugs:
        soup = site.soup(slug)
        sphinx = None
        if html:
            page = hugo.root / "html" / f"{slug}.html"
            page = page if page.exists() else hugo.root / "html" / slug / "index.html"
            sphinx = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        out[slug] = Rendered(hugo.post(slug).read_text("utf-8"), soup, soup.select_one("div.post-body"), sphinx)
    return out


@pytest.fixture(scope="module")
def snippets(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    """Every snippet of the module's ``SNIPPETS``, as a post named after it."""
    table: dict[str, str | tuple[str, dict[str, bytes]]] = request.module.SNIPPETS
    src = make_project(tmp_path_factory.mktemp("snippets"))
    for slug, snippet in table.items():
        body, files = snippet if isinstance(snippet, tuple) else (snippet, {})
        folder = src / slug if files else src
        folder.mkdir(exist_ok=True)
        name = "index.md" if files else f"{slug}.md"
        (folder / name).write_text(post_text(body, front=front_matter(slug)), "utf-8")
        for path, data in files.items():
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_bytes(data)
    return _render_project(src, list(table), html=getattr(request.module, "WITH_HTML", False))


@pytest.fixture
def render(tmp_path: Path) -> Callable[..., Rendered]:
    """Export one MyST *body* (with *conf* appended to conf.py) and render it with Hugo."""

    def _render(body: str, *, conf: str = "", html: bool = False, files: dict[str, bytes] | None = None,
                allow_todo: bool = False) -> Rendered:
        conf += "\nhugo_allow_todo = True\n" if allow_todo else ""
        src = make_project(tmp_path, body, conf=conf, files=files, name="test-post")
        return _render_project(src, ["test-post"], html)["test-post"]

    return _render


#: Modules that take longest, started first: with one module per worker at a time
#: (``--dist loadfile``), the two workers then finish close together.
LONGEST_FIRST = ["test_pdf", "test_pdfdiff", "test_interrupts", "test_build_command", "test_bad_input", "test_check"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.path.stem
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: each module keeps its own order
