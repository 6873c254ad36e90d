"""The reviewer PDF: real Sphinx LaTeX builder, real latexmk with XeLaTeX."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from helpers import SOURCE, article, cli, make_project
from hugo_export.post import parse_post

pytestmark = pytest.mark.slow
ARTICLE = article()
SLUG = parse_post(ARTICLE, ARTICLE.stem)[0].slug  # type: ignore[union-attr]
OPENING = ("Confidential computing keeps data encrypted while it is processed, and Kubernetes can schedule "
           "workloads onto hardware that supports it; this post explains how.")


def build_pdf(source: Path, build: Path) -> subprocess.CompletedProcess[str]:
    return cli("pdf", "--source", str(source), "--build", str(build))


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def article_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    build = tmp_path_factory.mktemp("pdf")
    run = build_pdf(SOURCE, build)
    assert run.returncode == 0, run.stdout + run.stderr
    return build / "pdf" / f"{SLUG}.pdf"


def test_pdf_holds_title_headings_and_bibliography(article_pdf: Path):
    text = " ".join(pdf_text(article_pdf).split())
    source = ARTICLE.read_text("utf-8")
    title = parse_post(ARTICLE, ARTICLE.stem)[0].title  # type: ignore[union-attr]
    assert " ".join(title.split()[:4]) in text
    for heading in re.findall(r"^#{2,3} (.+)$", source, re.M):
        assert " ".join(heading.split()) in text, heading
    assert text.count("References") == 1
    assert text.count("URL: https://") >= 10


def test_pdf_links_are_clickable(article_pdf: Path):
    xml = subprocess.run(["pdftohtml", "-xml", "-stdout", "-i", str(article_pdf)],
                         capture_output=True, text=True, check=True).stdout
    links = set(re.findall(r'<a href="(https://[^"]+)"', xml))
    assert len(links) >= 20  # the cited works and the plain links, as URI actions
    assert any("confidentialcomputing.io" in link for link in links)


def test_pdf_is_reproducible(article_pdf: Path, tmp_path: Path):
    run = build_pdf(SOURCE, tmp_path)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "pdf" / f"{SLUG}.pdf").read_bytes() == article_pdf.read_bytes()


def test_pdf_marks_todos_and_numbers_lines(tmp_path: Path):
    body = OPENING + "\n\n```{todo}\nCheck this figure with the vendor.\n```\n\n" + "\n\n".join(
        f"## Part {i}\n\n" + "Words of a paragraph that fills a line or two of the page. " * 6 for i in range(8))
    source = make_project(tmp_path, body)
    run = build_pdf(source, tmp_path / "_build")
    assert run.returncode == 0, run.stdout + run.stderr
    out = pdf_text(tmp_path / "_build" / "pdf" / "test-post.pdf")
    assert "Todo" in out and "Check this figure with the vendor." in out
    numbers = [int(n) for n in re.findall(r"^\s*(\d+)\s*$", out, re.M)]
    assert numbers[:5] == [1, 2, 3, 4, 5] and len(numbers) > 40
