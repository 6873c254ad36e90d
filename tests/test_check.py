"""``make check`` on the real article passes; each broken copy of it fails."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT


def run_check(source: Path, bib: Path, build: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "tools" / "check.py"), "--source", str(source), "--bib", str(bib), "--build", str(build)],
        capture_output=True, text=True, cwd=ROOT,
    )


def broken_copy(tmp_path: Path, old: str, new: str) -> tuple[Path, Path]:
    shutil.copytree(ROOT / "source", tmp_path / "source")
    shutil.copyfile(ROOT / "bibliography.bib", tmp_path / "bibliography.bib")
    article = tmp_path / "source" / "confidential-kubernetes.md"
    text = article.read_text("utf-8")
    assert old in text
    article.write_text(text.replace(old, new, 1), encoding="utf-8")
    return tmp_path / "source", tmp_path / "bibliography.bib"


def test_check_passes_on_the_article(tmp_path: Path):
    result = run_check(ROOT / "source", ROOT / "bibliography.bib", tmp_path / "build")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "check: PASS" in result.stdout


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("\n## ", "\nThe recieved wisdom.\n\n## ", "codespell 1 typo(s)"),
        ("\n## ", "\n```{todo}\nFinish this.\n```\n\n## ", "todo 1 open"),
        ("\n## ", "\nSee [this](http://example.com/page).\n\n## ", "lint 1 error(s)"),
        ("\n## ", "\nAs {cite:p}`nosuchkey2020` said.\n\n## ", "bibcheck 1 problem(s)"),
    ],
    ids=["typo", "todo", "lint", "bibcheck"],
)
def test_check_fails_on_each_broken_fixture(tmp_path: Path, old: str, new: str, expected: str):
    source, bib = broken_copy(tmp_path, old, new)
    result = run_check(source, bib, tmp_path / "build")
    assert result.returncode == 1
    summary = result.stdout.strip().splitlines()[-1]
    assert summary.startswith("check: FAIL") and expected in summary, result.stdout
