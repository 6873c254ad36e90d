"""The reviewer PDF: real Sphinx LaTeX builder, real latexmk with XeLaTeX."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow
EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}


def build_pdf(source: Path, build: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "tools" / "pdf.py"), "--source", str(source), "--build", str(build)],
        capture_output=True, text=True, env={**os.environ, **EPOCH},
    )


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def copy_project(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "source", tmp_path / "source")
    shutil.copyfile(ROOT / "bibliography.bib", tmp_path / "bibliography.bib")
    return tmp_path / "source"


@pytest.fixture(scope="module")
def article_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    build = tmp_path_factory.mktemp("pdf")
    run = build_pdf(ROOT / "source", build)
    assert run.returncode == 0, run.stdout + run.stderr
    return build / "pdf" / "confidential-kubernetes.pdf"


def test_pdf_holds_title_headings_and_bibliography(article_pdf: Path):
    text = " ".join(pdf_text(article_pdf).split())
    source = (ROOT / "source" / "confidential-kubernetes.md").read_text("utf-8")
    title = re.search(r'^title: "(.*)"$', source, re.M)[1]
    assert " ".join(title.split()[:4]) in text
    for heading in re.findall(r"^#{2,3} (.+)$", source, re.M):
        assert " ".join(heading.split()) in text, heading
    assert "References" in text
    assert text.count("URL: https://") >= 10


def test_pdf_links_are_clickable(article_pdf: Path):
    xml = subprocess.run(["pdftohtml", "-xml", "-stdout", "-i", str(article_pdf)],
                         capture_output=True, text=True, check=True).stdout
    links = set(re.findall(r'<a href="(https://[^"]+)"', xml))
    assert len(links) >= 20  # the cited works and the plain links, as URI actions
    assert any("confidentialcomputing.io" in link for link in links)


def test_pdf_is_reproducible(article_pdf: Path, tmp_path: Path):
    run = build_pdf(ROOT / "source", tmp_path)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "pdf" / "confidential-kubernetes.pdf").read_bytes() == article_pdf.read_bytes()


def test_pdf_marks_todos_and_numbers_lines(tmp_path: Path):
    source = copy_project(tmp_path)
    article = source / "confidential-kubernetes.md"
    text = article.read_text("utf-8")
    article.write_text(text.replace("\n## ", "\n```{todo}\nCheck this figure with the vendor.\n```\n\n## ", 1))
    run = build_pdf(source, tmp_path / "build")
    assert run.returncode == 0, run.stdout + run.stderr
    out = pdf_text(tmp_path / "build" / "pdf" / "confidential-kubernetes.pdf")
    assert "Todo" in out and "Check this figure with the vendor." in out
    numbers = [int(n) for n in re.findall(r"^\s*(\d+)\s*$", out, re.M)]
    assert numbers[:5] == [1, 2, 3, 4, 5] and len(numbers) > 40
