"""bibcheck on bibliographies of its own: each bad case is found, with its line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, make_project

GOOD = """\
@article{doe2022a,
  author = {Doe, Jane},
  title = {A Title},
  journal = {Journal},
  year = {2022},
  url = {https://example.com/a}
}
"""
CITING = "Text {cite:link}`words <doe2022a>` and {cite:p}`doe2022a`.\n"


def run(tmp_path: Path, bib: str, article: str = CITING) -> subprocess.CompletedProcess[str]:
    (tmp_path / "refs.bib").write_text(bib)
    (tmp_path / "post.md").write_text(article)
    return subprocess.run(
        [sys.executable, "-m", "hugo_export.bibcheck", str(tmp_path / "refs.bib"), str(tmp_path / "post.md")],
        capture_output=True, text=True, cwd=ROOT,
    )


def test_clean_bibliography_passes(tmp_path: Path):
    result = run(tmp_path, GOOD)
    assert result.returncode == 0, result.stdout
    assert "1 entries, 0 problem(s)" in result.stderr


@pytest.mark.parametrize(
    ("bib", "article", "expected"),
    [
        pytest.param(GOOD + GOOD.replace("Jane", "John"), CITING, r"refs.bib:8: duplicate key 'doe2022a' \(first at line 1\)", id="duplicate-key"),
        pytest.param(GOOD.replace("  journal = {Journal},\n", ""), CITING, r"refs.bib:1: doe2022a: @article needs a 'journal' field", id="missing-field"),
        pytest.param(GOOD, "No citations here.\n", r"refs.bib:1: entry 'doe2022a' is never cited", id="uncited"),
        pytest.param(GOOD, CITING + "And {cite:p}`nobody2020`.\n", r"post.md:2: citation of unknown key 'nobody2020'", id="unknown-key"),
        pytest.param(GOOD.replace("https://example.com/a", "http://example.com/a"), CITING, r"refs.bib:1: doe2022a: url 'http://example.com/a' uses http://", id="http-url"),
        pytest.param(GOOD.replace("https://example.com/a", "example dot com"), CITING, r"refs.bib:1: doe2022a: url 'example dot com' is not a well-formed", id="bad-url"),
        pytest.param(GOOD.replace("  url", "  doi = {doi:10.1/x},\n  url"), CITING, r"refs.bib:1: doe2022a: doi 'doi:10.1/x' is malformed", id="bad-doi"),
        pytest.param(GOOD.replace("  url = {https://example.com/a}\n", ""), CITING, r"needs a 'url' \(or 'doi'\) field", id="no-link"),
        pytest.param(GOOD.replace("title = {A Title},", "title = {A Title,"), CITING, r"refs.bib:\d+: BibTeX syntax error", id="unbalanced-braces"),
    ],
)
def test_each_problem_is_reported_with_its_line(tmp_path: Path, bib: str, article: str, expected: str):
    result = run(tmp_path, bib, article)
    assert result.returncode == 1
    assert __import__("re").search(expected, result.stdout), result.stdout


def test_missing_bib_file(tmp_path: Path):
    (tmp_path / "post.md").write_text(CITING)
    result = subprocess.run(
        [sys.executable, "-m", "hugo_export.bibcheck", str(tmp_path / "nope.bib"), str(tmp_path / "post.md")],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert result.returncode == 1 and "bibliography file not found" in result.stdout


# In Sphinx builds the same checks run from hugo_export.bibcheck.guard_bibfiles.

def build(src: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hugo_export.build", "-b", "hugo", "-W", "--keep-going", str(src), str(out)],
        capture_output=True, text=True,
    )


def test_sphinx_build_parses_the_bibliography_once(tmp_path: Path):
    src = make_project(tmp_path, "Text {cite:link}`words <kaplan2016sev>`.")
    result = build(src, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    # sphinxcontrib-bibtex takes the check's parse as its cache instead of parsing again
    assert "checking bibtex cache... up to date" in result.stdout
    assert "parsing bibtex file" not in result.stdout


def test_several_bib_files_are_checked_each_at_its_own_lines(tmp_path: Path):
    more = GOOD.replace("  journal = {Journal},\n", "")  # doe2022a, now missing its journal
    src = make_project(
        tmp_path, "Text {cite:link}`words <kaplan2016sev>` and {cite:link}`more <doe2022a>`.",
        conf='bibtex_bibfiles = ["refs.bib", "more.bib"]',
    )
    (src / "more.bib").write_text(more)
    result = build(src, tmp_path / "out")
    assert result.returncode == 1
    assert "more.bib:1: WARNING: doe2022a: @article needs a 'journal' field" in result.stderr
    assert "refs.bib" not in result.stderr  # the first file's entries are not checked again

    (src / "more.bib").write_text(GOOD)
    assert build(src, tmp_path / "out").returncode == 0
    post = (tmp_path / "out" / "content/en/blog/_posts/2026/test-post.md").read_text()
    assert "(https://example.com/a)" in post  # the second file's entry is cited and linked

    (src / "more.bib").write_text(GOOD + (src / "refs.bib").read_text())  # kaplan2016sev twice
    result = build(src, tmp_path / "out")
    assert result.returncode == 2
    assert "more.bib:9: ERROR: duplicate key 'kaplan2016sev', already in an earlier bib file" in result.stderr
