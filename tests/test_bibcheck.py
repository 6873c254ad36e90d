"""bibcheck on bibliographies of its own: each bad case is found, with its line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import build, cli, front_matter, make_project
from hugo_export.bibfile import check_file
from hugo_export.qa.check import run_checks

GOOD = """\
@article{doe2022a,
  author = {Doe, Jane},
  title = {A Title},
  journal = {Journal},
  year = {2022},
  url = {https://example.com/a}
}
"""


def problems(tmp_path: Path, bib: str | bytes) -> list[str]:
    path = tmp_path / "refs.bib"
    path.write_bytes(bib if isinstance(bib, bytes) else bib.encode())
    return [str(p) for p in check_file(path)[1]]


def test_clean_bibliography_passes(tmp_path: Path):
    (tmp_path / "refs.bib").write_text(GOOD)
    result = cli("bibcheck", str(tmp_path / "refs.bib"))
    assert result.returncode == 0, result.stdout
    assert "1 entries, 0 problem(s)" in result.stderr


@pytest.mark.parametrize(
    ("bib", "expected"),
    [
        pytest.param(GOOD + GOOD.replace("Jane", "John"), r"refs.bib:8: duplicate key 'doe2022a' \(first at line 1\)",
                     id="duplicate-key"),
        pytest.param(GOOD.replace("  journal = {Journal},\n", ""),
                     r"refs.bib:1: doe2022a: @article needs a 'journal' field",
                     id="missing-field"),
        pytest.param(GOOD.replace("https://example.com/a", "http://example.com/a"),
                     r"refs.bib:1: doe2022a: url 'http://example.com/a' uses http://", id="http-url"),
        pytest.param(GOOD.replace("https://example.com/a", "ftp://example.com"),
                     r"refs.bib:1: doe2022a: url 'ftp://example.com' is not a well-formed", id="bad-url"),
        pytest.param(GOOD.replace("https://example.com/a", "https://example.com/a b"),
                     r"refs.bib:1: doe2022a: url .* holds a space, quote", id="url-space"),
        pytest.param(GOOD.replace("https://example.com/a", "https://example.com/r{{%note%}}x{{%/note%}}"),
                     r"refs.bib:1: doe2022a: url .* holds a space, quote, '\{\{'", id="url-shortcode"),
        pytest.param(GOOD.replace("https://example.com/a", 'https://example.com/" onmouseover="x'),
                     r"refs.bib:1: doe2022a: url .* holds a space, quote", id="url-quote"),
        pytest.param(GOOD.replace("  url", "  doi = {doi:10.1/x},\n  url"),
                     r"refs.bib:1: doe2022a: doi 'doi:10.1/x' is malformed",
                     id="bad-doi"),
        pytest.param(GOOD.replace("  url", "  doi = {10.1234/x{{%note%}}y},\n  url"),
                     r"refs.bib:1: doe2022a: doi .* is malformed", id="doi-shortcode"),
        pytest.param(GOOD.replace("  url = {https://example.com/a}\n", ""), r"needs a 'url' \(or 'doi'\) field",
                     id="no-link"),
        pytest.param(GOOD.replace("title = {A Title},", "title = {A Title,"), r"refs.bib:\d+: BibTeX syntax error",
                     id="unbalanced-braces"),
        pytest.param(GOOD.replace("A Title", "100% of #1").replace("/a}", "/a%20b}"),
                     r"refs.bib:1: doe2022a: title holds a bare '%'", id="percent-in-title"),
        pytest.param(GOOD.replace("Doe, Jane", "W\xf6ller, Tom").encode("latin-1"),
                     r"refs.bib:2: the file is not UTF-8 \(byte 0xf6\); save it as UTF-8", id="latin-1"),
    ],
)
def test_each_problem_is_reported_with_its_line(tmp_path: Path, bib: str | bytes, expected: str):
    found = problems(tmp_path, bib)
    assert any(re.search(expected, p) for p in found), found


def test_missing_bib_file(tmp_path: Path):
    result = cli("bibcheck", str(tmp_path / "nope.bib"))
    assert result.returncode == 1 and "bibliography file not found" in result.stdout


def test_check_names_entries_no_post_cites_and_who_cites_what(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    src = make_project(tmp_path, "Text {cite:p}`kaplan2016sev`.", bibliography=True)
    (src / "other.md").write_text(front_matter("other") + "\nText {cite:p}`kaplan2016sev` and {cite:p}`doi2022paper`.\n"
                                  "\n## References\n\n```{bibliography}\n```\n")
    status = run_checks(src, tmp_path / "_build")
    out = capsys.readouterr().out
    assert status == 1
    assert re.search(r"bibliography\.bib:9: entry 'amd2020snp' is cited by no post; cite it or remove it", out), out
    assert "doi2022paper" not in re.findall(r"entry '(\w+)' is cited by no post", out)
    assert "other cites 2 work(s): doi2022paper, kaplan2016sev" in out
    assert "test-post cites 1 work(s): kaplan2016sev" in out


def test_several_bib_files_are_checked_each_at_its_own_lines(tmp_path: Path):
    more = GOOD.replace("  journal = {Journal},\n", "")  # doe2022a, now missing its journal
    src = make_project(
        tmp_path, "Text {cite:link}`words <kaplan2016sev>` and {cite:link}`more <doe2022a>`.",
        conf='bibtex_bibfiles = ["../bibliography.bib", "more.bib"]',
    )
    (src / "more.bib").write_text(more)
    result = build(src, "hugo")
    assert result.status == 2
    assert "more.bib:1: ERROR: doe2022a: @article needs a 'journal' field" in result.output
    assert "bibliography.bib" not in result.output  # the first file's entries are not checked again

    (src / "more.bib").write_text(GOOD)
    result = build(src, "hugo")
    assert result.status == 0, result.output
    assert "(https://example.com/a)" in result.post().read_text()  # the second file's entry is cited and linked

    (src / "more.bib").write_text(GOOD + (tmp_path / "bibliography.bib").read_text())  # kaplan2016sev twice
    result = build(src, "hugo")
    assert result.status == 2
    assert "more.bib:9: ERROR: duplicate key 'kaplan2016sev', already in an earlier bib file" in result.output
