# mypy: disable-error-code="union-attr"
# (bs4 returns Optional elements: a missing one fails the test as an AttributeError.)
"""The repository's post through every builder: HTML, Hugo export, Hugo render."""

from __future__ import annotations

import re
from pathlib import Path

import pybtex.database
import pytest
import yaml
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

from helpers import ROOT, SOURCE, HugoSite, article, build
from hugo_export.bibfile import check_file
from hugo_export.post import parse_post

ARTICLE = article()
META = parse_post(ARTICLE, ARTICLE.stem)[0]
BIB = ROOT / "bibliography.bib"


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("article")
    html = build(SOURCE, "html", out)
    assert html.status == 0, html.output
    hugo = build(SOURCE, "hugo", out)
    assert hugo.status == 0, hugo.output
    site = HugoSite(out / "site")
    site.add_export(out / "hugo")
    run = site.render()
    assert run.ok, run.output
    return {"html": out / "html", "hugo": out / "hugo", "page": site.page(META.slug),
            "post": hugo.post(META.slug, META.year)}  # the export sits under the year of the post's date


def entries() -> dict[str, pybtex.database.Entry]:
    return dict(pybtex.database.parse_file(str(BIB)).entries)


def sphinx_article(builds: dict[str, Path]) -> BeautifulSoup:
    return BeautifulSoup((builds["html"] / f"{ARTICLE.stem}.html").read_text("utf-8"), "html.parser")


def hugo_page(builds: dict[str, Path]) -> BeautifulSoup:
    return BeautifulSoup(builds["page"].read_text("utf-8"), "html.parser")


def squash(text: str) -> str:
    """Compare text, not layout: whitespace is where Markdown and HTML differ."""
    return re.sub(r"\s+", "", text)


def test_bibcheck_finds_nothing_in_the_real_bibliography():
    _, problems = check_file(BIB)
    assert problems == []


def test_every_entry_is_in_the_html_bibliography_with_its_url(builds):
    soup = sphinx_article(builds)
    listed = " ".join(str(c) for c in soup.select("div.citation"))
    for key, entry in entries().items():
        url = entry.fields.get("url") or f"https://doi.org/{entry.fields['doi']}"
        assert url.replace("&", "&amp;") in listed or entry.fields.get("doi", "@") in listed, key


def test_article_has_no_open_todo(builds):
    assert "{todo}" not in ARTICLE.read_text("utf-8")
    assert not sphinx_article(builds).select(".admonition-todo")


def test_export_front_matter_is_review_form(builds):
    text = builds["post"].read_text("utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["layout"] == "blog" and front["draft"] is True and "date" not in front
    assert front["slug"] == META.slug
    assert not front["title"].endswith(".")
    assert re.search(r"^author: >\n(  .+ \(.+\),\n)*  .+ \(.+\)\n", text, re.M)


def test_hugo_page_reads_as_the_html_preview(builds):
    """Text parity: every paragraph of Sphinx's HTML is in Hugo's page."""
    sphinx_soup = sphinx_article(builds)
    body = sphinx_soup.select_one("div.body") or sphinx_soup.select_one("div[role=main]")
    for citation in body.select("span.cite-link span.bibtex-citation"):
        citation.decompose()  # the export keeps the linked words, as the blog does
    for skip in body.select("div.citation, div.admonition-todo, a.headerlink, p.byline"):
        skip.decompose()
    page = squash(hugo_page(builds).select_one("div.post-body").get_text())
    paragraphs = [squash(p.get_text()) for p in body.find_all("p") if squash(p.get_text())]
    assert paragraphs
    missing = [p for p in paragraphs if p not in page]
    assert missing == []


def test_every_citation_links_to_the_work(builds):
    links = {a["href"] for a in hugo_page(builds).select("div.post-body a[href]:not(.td-heading-self-link)")}
    for key, entry in entries().items():
        url = entry.fields.get("url") or f"https://doi.org/{entry.fields['doi']}"
        assert url.removeprefix("https://kubernetes.io") in links, key  # the site's own pages: root-relative
    assert not any(h.startswith(("http://", "https://kubernetes.io")) for h in links)
    assert not [h for h in links if h.startswith("#") and not h.startswith("#fn")]


def test_no_shortcode_syntax_leaks_into_the_page(builds):
    assert "{{" not in hugo_page(builds).select_one("div.post-body").get_text()


def test_export_is_deterministic(builds, tmp_path: Path):
    again = build(SOURCE, "hugo", tmp_path / "again")
    assert again.status == 0, again.output
    first = sorted(p.relative_to(builds["hugo"]) for p in (builds["hugo"] / "content").rglob("*") if p.is_file())
    second = sorted(p.relative_to(tmp_path / "again" / "hugo")
                    for p in (tmp_path / "again" / "hugo" / "content").rglob("*") if p.is_file())
    assert first == second
    for rel in first:
        assert (builds["hugo"] / rel).read_bytes() == (tmp_path / "again" / "hugo" / rel).read_bytes(), rel


def test_html_is_deterministic(builds, tmp_path: Path):
    again = build(SOURCE, "html", tmp_path / "again")
    assert again.status == 0, again.output
    name = f"{ARTICLE.stem}.html"
    assert (builds["html"] / name).read_bytes() == (tmp_path / "again" / "html" / name).read_bytes()


def test_every_heading_and_link_of_the_export_is_on_the_page(builds):
    tokens = MarkdownIt("commonmark").enable("table").parse(builds["post"].read_text("utf-8").split("---\n", 2)[2])
    headings = [tokens[i + 1].content.split(" {#")[0] for i, t in enumerate(tokens) if t.type == "heading_open"]
    hrefs = [c.attrs["href"] for t in tokens if t.children for c in t.children if c.type == "link_open"]
    body = hugo_page(builds).select_one("div.post-body")
    shown = [" ".join(h.get_text().split()) for h in body.find_all(["h2", "h3"])]
    assert headings and shown == headings
    links = {a["href"] for a in body.find_all("a", href=True)}
    assert len(hrefs) > 50 and set(hrefs) <= links


def test_article_length_is_within_the_blogs_range(builds):
    """About 2,000 prose words: the page's paragraphs and list items, not headings, code or tables."""
    body = hugo_page(builds).select_one("div.post-body")
    for skip in body.select("table, pre"):
        skip.decompose()
    blocks = body.find_all("p") + [item for item in body.find_all("li") if not item.find("p")]
    words = sum(len(block.get_text(" ").split()) for block in blocks)
    assert 1800 <= words <= 2500, words
