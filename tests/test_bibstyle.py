"""The ``plain_deferred`` style: ``plain``'s entries, formatted only where an output shows them."""

from __future__ import annotations

import io
import pickle
import shutil
from pathlib import Path

import pybtex.database
import pytest
from pybtex.style.formatting.plain import Style as PlainStyle
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace, patch_docutils

from helpers import ROOT, SOURCE, article, build, make_project
from hugo_export.sphinx_ext import bibstyle


def test_every_entry_of_the_bibliography_reads_as_with_plain():
    entries = list(pybtex.database.parse_file(str(ROOT / "bibliography.bib")).entries.values())
    plain = list(PlainStyle().format_entries(entries))
    deferred = list(bibstyle.Style().format_entries(entries))
    assert [(e.key, e.label) for e in deferred] == [(e.key, e.label) for e in plain]
    assert [e.text.render_as("html") for e in deferred] == [e.text.render_as("html") for e in plain]


def test_an_unformatted_entry_survives_the_pickled_environment():
    entry = next(iter(pybtex.database.parse_file(str(ROOT / "bibliography.bib")).entries.values()))
    deferred = bibstyle.Style().format_entry("1", entry)
    copy = pickle.loads(pickle.dumps(deferred))
    assert "text" not in vars(copy)
    assert copy.text.render_as("text") == PlainStyle().format_entry("1", entry).text.render_as("text")


def test_the_html_preview_is_the_same_as_with_plain(tmp_path: Path):
    for name in ("ours", "plain"):
        shutil.copytree(SOURCE, tmp_path / name / "source", ignore=shutil.ignore_patterns("editorial"))
        shutil.copy(ROOT / "bibliography.bib", tmp_path / name)
    conf = tmp_path / "plain" / "source" / "conf.py"
    conf.write_text(conf.read_text() + '\nbibtex_default_style = "plain"\n')
    ours = build(tmp_path / "ours" / "source", "html")
    plain = build(tmp_path / "plain" / "source", "html")
    assert ours.status == plain.status == 0, ours.output + plain.output
    pages = sorted(p.relative_to(ours.root) for p in (ours.root / "html").glob("*.html"))
    assert len(pages) >= 2
    for page in pages:
        assert (ours.root / page).read_bytes() == (plain.root / page).read_bytes(), page
    post = (ours.root / "html" / f"{article().stem}.html").read_text("utf-8")
    assert post.count('<div class="citation"') > 10  # the entries' texts are there


@pytest.mark.parametrize(
    ("conf", "shown"),
    [("", False), ("hugo_references = True", True), ('hugo_citation_style = "footnotes"', True)],
    ids=["links", "references list", "footnotes"],
)
def test_the_export_formats_entry_texts_only_when_it_shows_them(tmp_path: Path, conf: str, shown: bool):
    src = make_project(tmp_path, "As {cite:link}`AMD's paper <amd2020snp>` says {cite:p}`kaplan2016sev`.", conf=conf)
    warnings = io.StringIO()
    with patch_docutils(src), docutils_namespace():
        app = Sphinx(src, src, tmp_path / "out", tmp_path / "out" / ".doctrees", "hugo",
                     status=None, warning=warnings, freshenv=True)
        app.build()
    assert app.statuscode == 0, warnings.getvalue()
    citations = app.env.get_domain("cite").citations  # type: ignore[attr-defined]
    assert len(citations) == 2
    assert all(("text" in vars(c.formatted_entry)) == shown for c in citations)
    post = (tmp_path / "out" / "content/en/blog/_posts/2026/test-post.md").read_text("utf-8")
    assert ("strengthening vm isolation" in post.lower()) == shown
