"""The ``authoryear`` bibliography: labels readers can tell apart, titles as written, text formatted where shown."""

from __future__ import annotations

import io
import pickle
from pathlib import Path
from types import SimpleNamespace

import pybtex.database
import pytest
from bs4 import BeautifulSoup
from pybtex.style.formatting.plain import Style as PlainStyle
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace, patch_docutils
from sphinxcontrib.bibtex.style.template import author_or_editor_or_title

from helpers import BIB, ROOT, build, make_project
from hugo_export.sphinx_ext import biblabels, bibstyle
from hugo_export.sphinx_ext.biblabels import PERSON

NAMES = BIB + r"""
@misc{edgeless2026marblerun,
  author = {{Edgeless Systems}},
  title = {{MarbleRun}: the Control Plane for Confidential Computing},
  year = {2026},
  url = {https://example.com/marblerun}
}
@misc{edgeless2026constellation,
  author = {{Edgeless Systems}},
  title = {{Constellation}: Always Encrypted {Kubernetes}},
  year = {2026},
  url = {https://example.com/constellation}
}
@inproceedings{vanbulck2018foreshadow,
  author = {{Van Bulck}, Jo and Minkin, Marina and Weisse, Ofir},
  title = {Foreshadow: Extracting the Keys to the {Intel SGX} Kingdom},
  booktitle = {27th {USENIX} Security Symposium},
  year = {2018},
  url = {https://example.com/foreshadow}
}
@misc{demeulemeester2025badram,
  author = {{De Meulemeester}, Jesse},
  title = {BadRAM},
  year = {2025},
  url = {https://badram.eu/}
}
@misc{beethoven1808,
  author = {van Beethoven, Ludwig},
  title = {Symphony No. 5},
  year = {1808},
  url = {https://example.com/5}
}
@misc{intel2023sapphire,
  author = {{Intel Corporation}},
  title = {Intel Launches 4th Gen Xeon Scalable Processors, Dubbed Sapphire Rapids},
  year = {2023},
  url = {https://example.com/sapphire}
}
"""


def entries(bib: str = NAMES) -> list[pybtex.database.Entry]:
    return list(pybtex.database.parse_string(bib, "bibtex").entries.values())


def test_labels_are_author_year_and_unique_with_letters_after_the_year():
    labels = {e.key: e.label for e in bibstyle.Style().format_entries(entries())}
    assert labels["edgeless2026constellation"] == "Edgeless Systems, 2026a"  # C before M, by title
    assert labels["edgeless2026marblerun"] == "Edgeless Systems, 2026b"
    assert labels["vanbulck2018foreshadow"] == "Van Bulck et al., 2018"
    assert labels["demeulemeester2025badram"] == "De Meulemeester, 2025"
    assert labels["beethoven1808"] == "van Beethoven, 1808"
    assert labels["amd2020snp"] == "Advanced Micro Devices, 2020"
    assert len(set(labels.values())) == len(labels)


def test_labels_name_authors_as_sphinxcontrib_bibtex_cites_them():
    template = author_or_editor_or_title(sep=PERSON.sep, sep2=PERSON.sep2, last_sep=PERSON.last_sep,
                                         other=PERSON.other)
    for entry in entries() + entries((ROOT / "bibliography.bib").read_text("utf-8")):
        cited = template.format_data({"entry": entry, "style": SimpleNamespace(person=PERSON)})
        assert biblabels.who(entry) == str(cited), entry.key


def test_the_list_is_sorted_by_author_as_printed_then_year():
    keys = [e.key for e in bibstyle.Style().format_entries(entries())]
    assert keys == ["amd2020snp", "demeulemeester2025badram", "doi2022paper", "edgeless2026constellation",
                    "edgeless2026marblerun", "intel2023sapphire", "kaplan2016sev", "beethoven1808",
                    "vanbulck2018foreshadow"]


def test_titles_keep_the_capitals_of_the_bib():
    formatted = {e.key: e.text.render_as("text") for e in bibstyle.Style().format_entries(entries())}
    assert "Intel Launches 4th Gen Xeon Scalable Processors, Dubbed Sapphire Rapids." in formatted["intel2023sapphire"]
    assert "Foreshadow: Extracting the Keys to the Intel SGX Kingdom." in formatted["vanbulck2018foreshadow"]
    assert formatted["vanbulck2018foreshadow"].startswith("Jo Van Bulck, Marina Minkin, and Ofir Weisse.")


def test_every_entry_of_the_bibliography_reads_as_with_plain_but_for_the_case_of_titles():
    real = entries((ROOT / "bibliography.bib").read_text("utf-8"))
    plain = {e.key: str(e.text) for e in PlainStyle().format_entries(real)}
    ours = {e.key: str(e.text) for e in bibstyle.Style().format_entries(real)}
    assert ours.keys() == plain.keys()
    assert {k: t.casefold() for k, t in ours.items()} == {k: t.casefold() for k, t in plain.items()}
    assert ours != plain  # some title has capitals plain would have dropped


def test_an_unformatted_entry_survives_the_pickled_environment():
    entry = entries((ROOT / "bibliography.bib").read_text("utf-8"))[0]
    style = bibstyle.Style()
    deferred = style.format_entry("1", entry)
    copy = pickle.loads(pickle.dumps(deferred))
    assert "text" not in vars(copy)
    assert copy.text.render_as("text") == style.format_text("1", entry).render_as("text")


def test_citations_print_the_labelled_year_in_the_preview_and_the_export(tmp_path: Path):
    src = make_project(tmp_path, "One {cite:p}`edgeless2026marblerun`, two {cite:t}`edgeless2026constellation`, "
                       "in {cite:year}`edgeless2026marblerun`; {cite:p}`vanbulck2018foreshadow`.", bib=NAMES)
    html, hugo = build(src, "html"), build(src, "hugo")
    assert html.status == hugo.status == 0, html.output + hugo.output
    page = BeautifulSoup((html.root / "html" / "post.html").read_text("utf-8"), "html.parser")
    assert ("One [Edgeless Systems, 2026b], two Edgeless Systems [2026a], in 2026b; [Van Bulck et al., 2018]."
            in " ".join(page.select("div.body p:not(.byline)")[0].get_text().split()))
    listed = [label.get_text() for label in page.select("div.citation span.label")]
    assert listed == ["[Edgeless Systems, 2026a]", "[Edgeless Systems, 2026b]", "[Van Bulck et al., 2018]"]
    export = hugo.post().read_text("utf-8")
    assert "[Edgeless Systems, 2026b](https://example.com/marblerun)" in export
    assert "[2026a](https://example.com/constellation)" in export


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
