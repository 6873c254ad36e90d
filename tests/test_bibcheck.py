"""bibcheck on bibliographies of its own: each bad case is found, with its line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

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
