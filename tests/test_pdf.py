"""The reviewer PDF, read as a reviewer reads it: real Sphinx LaTeX builder, real latexmk with XeLaTeX.

One build serves the module: the repository's post as it is, a second post
with what the article lacks (a footnote, a note, an SVG figure, a front
matter that LaTeX would take for commands), and a third of short code blocks
at every place a page can break.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import signal
import stat
import subprocess
import time
from pathlib import Path

import pytest

from helpers import ROOT, SOURCE, article, front_matter, post_text, running, start, wait_for
from hugo_export.post import parse_post
from pdfread import Line, lines, pdf_objects, run_pdf
from pdfread import words as pdf_words

pytestmark = pytest.mark.slow
ARTICLE = article()
SLUG = parse_post(ARTICLE, ARTICLE.stem)[0].slug  # type: ignore[union-attr]
TITLE = r"Review & Test: 100% of \input{/etc/hostname}"
AUTHOR = "Grace_Hopper (Navy #1 ^~)"
FRONT = front_matter("review-checks", TITLE.replace("\\", "\\\\"),  # YAML's double quotes escape \\
                     description='"What a reviewer checks, & 100% of it, round-trip; \\\\input{x} stays text."')
FRONT = FRONT.replace("Grace Hopper (Navy)", f'"{AUTHOR}"')  # quoted: YAML reads # as a comment
CHECKS = """
Opening text of a post that tests what the article does not have.[^note]

[^note]: A footnote that names its source line.

```{note}
A note for the reader, in a box.
```

> A quotation for the reader.
>
> -- The Speaker

```{todo}
Check this figure with the vendor.
```

```{figure} diagram.svg
:alt: A box that says Pod VM

The Pod VM, drawn as an SVG figure.
```

```{list-table} A long header over short values, and a column of two-word values
:header-rows: 1

* - Technology
  - Isolates
  - Upstream Linux, guest / KVM host
  - Offered by
* - AMD SEV-SNP
  - Virtual machine
  - 5.19 / 6.11
  - Azure, Google Cloud, AWS
* - Intel TDX
  - Virtual machine
  - 5.19 / 6.16
  - Azure, Google Cloud, Alibaba Cloud, IBM Cloud
* - Intel SGX
  - Enclave in a process
  - 5.11 / 5.13
  - Azure, Alibaba Cloud, IBM Cloud
* - IBM Secure Execution
  - Virtual machine
  - Mainline / 5.7
  - IBM Cloud
* - Arm CCA
  - Virtual machine (realm)
  - 6.13 / not merged
  - No general offering found
```

Closing text {cite:p}`vanbulck2018foreshadow`.
"""
FOOTNOTE = r"^\[\^note\]: "
#: Short code blocks (ten lines) after one to five lines of text, again and again: some land at a page's foot.
CODE_BLOCKS = "\n\n".join(
    "\n\n".join([f"Paragraph {i}.{j} of the text around the code blocks." for j in range(1 + i % 5)])
    + "\n\n```yaml\n" + "\n".join(f"line-{k}-of-{i}: value" for k in range(10)) + "\n```"
    for i in range(24)
)
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60"><rect width="200" height="60"/></svg>'


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project, built once: ``_build`` beside ``source``."""
    root = tmp_path_factory.mktemp("pdf")
    source = root / "source"
    shutil.copytree(SOURCE, source, ignore=shutil.ignore_patterns("editorial"))
    shutil.copy(ROOT / "bibliography.bib", root)
    (source / "review-checks").mkdir()
    (source / "review-checks" / "index.md").write_text(post_text(CHECKS, front=FRONT), "utf-8")
    (source / "review-checks" / "diagram.svg").write_bytes(SVG)
    (source / "code-blocks.md").write_text(post_text(CODE_BLOCKS, front=front_matter("code-blocks"),
                                                     bibliography=False), "utf-8")
    status, output = run_pdf(source, root / "_build")
    assert status == 0, output
    return root / "_build"


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def squeezed(text: str) -> str:
    return " ".join(text.split())


def source_line(pattern: str) -> int:
    """The 1-based line of the article's source that matches *pattern*."""
    return next(i for i, text in enumerate(ARTICLE.read_text("utf-8").splitlines(), 1) if re.search(pattern, text))


def test_line_numbers_run_through_the_document_without_restarting(built: Path):
    numbered = [line for line in lines(built / "pdf" / f"{SLUG}.pdf") if line.number is not None]
    assert [line.number for line in numbered] == list(range(1, len(numbered) + 1))
    pages = sorted({line.page for line in numbered})
    assert len(pages) > 5
    for page in pages[1:]:
        first = next(line.number for line in numbered if line.page == page)
        last = [line.number for line in numbered if line.page == page - 1][-1]
        assert first == last + 1, page  # type: ignore[operator]


def test_code_lines_equal_the_source_and_each_has_a_number(built: Path):
    source = ARTICLE.read_text("utf-8")
    code = re.search(r"```yaml\n(.*?)```", source, re.S).group(1).splitlines()  # type: ignore[union-attr]
    pdf = lines(built / "pdf" / f"{SLUG}.pdf")
    start = next(i for i, line in enumerate(pdf) if line.text == code[0])
    logical: list[Line] = []
    for line in pdf[start:]:
        if line.number is None and logical:  # a long line wrapped by Sphinx: ↪ marks the rest
            logical[-1].text += " " + re.sub(r"^[,→↪ ]+", "", line.text)  # the ↪ sign, as pdftotext reads it
        elif len(logical) < len(code):
            logical.append(Line(line.page, line.number, line.text, line.source))
        else:
            break
    assert [squeezed(line.text.replace("␣", "")) for line in logical] == [squeezed(text) for text in code]
    assert all(line.number is not None for line in logical)
    assert logical[0].source == f"L{source_line('^```yaml')}"


def test_each_block_shows_its_source_line_in_the_other_margin(built: Path):
    pdf = lines(built / "pdf" / f"{SLUG}.pdf")
    for heading in re.findall(r"^#{2,3} (.+)$", ARTICLE.read_text("utf-8"), re.M):
        line = next(line for line in pdf if line.text.endswith(heading))
        assert line.source == f"L{source_line(f'^#+ {re.escape(heading)}$')}", heading
    row = next(line for line in pdf if line.text.startswith("AMD SEV-SNP Virtual"))  # the table row
    assert row.number is not None and row.source == f"L{source_line('^[*] - AMD SEV-SNP$')}"
    opening = next(line for line in pdf if line.text.startswith("In 2023 we described"))
    assert opening.source == f"L{source_line('^In 2023 we described')}"
    abstract = next(line for line in pdf if line.text.startswith("Abstract. "))
    assert abstract.number == 1 and abstract.source == f"L{source_line('^description: ')}"


def test_reference_labels_are_unique_author_year_and_each_is_cited(built: Path):
    tex = (built / "latex" / f"{SLUG}.tex").read_text("utf-8")
    items = re.findall(r"\\bibitem\[(.+?)\]\{(.+?)\}", tex)
    labels = [label for label, _ in items]
    assert len(items) > 25 and len(set(labels)) == len(labels)
    assert all(re.fullmatch(r"\D+, (\d{4}[a-z]?|n\.d\.)", label) for label in labels), labels
    assert {"Confidential Containers Project, 2023a", "Confidential Containers Project, 2023c"} <= set(labels)
    body = tex.split(r"\begin{sphinxthebibliography}")[0]
    assert all(f"hyperlink{{cite.{target}}}" in body for _, target in items)
    listed = [squeezed(line) for line in pdf_text(built / "pdf" / f"{SLUG}.pdf").split("References")[-1].splitlines()]
    starts = [label for label in labels if any(line.startswith(f"[{label}]") for line in listed)]
    assert starts == labels  # the list shows them unnumbered, in the order of the .tex


def test_titles_and_names_print_as_the_bib_writes_them(built: Path):
    text = squeezed(pdf_text(built / "pdf" / f"{SLUG}.pdf"))
    assert "Foreshadow: Extracting the Keys to the Intel SGX Kingdom with Transient Out-of-Order Execution" in text
    assert "[Van Bulck et al., 2018] Jo Van Bulck, Marina Minkin," in text
    assert "Jesse De Meulemeester, " in text
    assert "Bulck et al., 2018]" not in text.replace("Van Bulck et al., 2018]", "")


def test_no_missing_character_and_no_overfull_table(built: Path):
    logs = sorted((built / ".latexmk").glob("*.log"))
    assert len(logs) == 3
    for log in logs:
        text = log.read_text("utf-8", errors="replace")
        assert "Missing character" not in text
        assert not re.search(r"Overfull \\hbox .* in alignment", text)
        assert "longtable" in text  # the article's table is one that can break across pages


def test_running_header_page_footer_and_metadata(built: Path):
    pdf = built / "pdf" / "review-checks.pdf"
    page = [line.text for line in lines(pdf) if line.page == 1]
    assert page[0] == f"{TITLE} no revision"  # the project is not a git checkout
    info = _pdfinfo(pdf)
    pages = re.search(r"Pages:\s+(\d+)", info).group(1)  # type: ignore[union-attr]
    assert page[-1] == f"page 1 of {pages}"
    assert re.search(r"^Title:\s+" + re.escape(TITLE) + "$", info, re.M), info
    assert re.search(rf"^Author:\s+Ada Lovelace \(Analytical Engines\) & {re.escape(AUTHOR)}$", info, re.M), info
    assert re.search(r"^Subject:\s+What a reviewer checks, & 100% of it, round-trip; \\input\{x\} stays text\.$",
                     info, re.M), info


def test_front_matter_prints_as_written_and_runs_nothing(built: Path):
    text = squeezed(pdf_text(built / "pdf" / "review-checks.pdf"))
    pages = int(re.search(r"Pages:\s+(\d+)", _pdfinfo(built / "pdf" / "review-checks.pdf"))[1])  # type: ignore[index]
    assert text.count(TITLE) == 1 + pages  # the title block and each page's header: \input was not run
    assert "planned for December 10, 2026" in text  # the post's date, whatever day the PDF is made
    assert AUTHOR in text
    assert "— The Speaker" in text and "---" not in text  # an attribution's dash, not three hyphens


def test_boxes_footnotes_and_figures(built: Path):
    pdf = lines(built / "pdf" / "review-checks.pdf")
    for opening in ("A note for the reader", "Check this figure with the vendor."):
        line = next(line for line in pdf if line.text.startswith(opening))
        assert line.number is not None and line.source is not None, line
    note = next(line for line in pdf if line.text.startswith("1 A footnote that names its source line."))
    assert note.source == f"L{_checks_line(FOOTNOTE)}"
    assert any(line.text == "Fig. 1: The Pod VM, drawn as an SVG figure." for line in pdf)
    assert (built / "latex" / "diagram.pdf").is_file()  # converted by rsvg-convert


def test_pdf_links_are_clickable(built: Path):
    xml = subprocess.run(["pdftohtml", "-xml", "-stdout", "-i", str(built / "pdf" / f"{SLUG}.pdf")],
                         capture_output=True, text=True, check=True).stdout
    links = set(re.findall(r'<a href="(https://[^"]+)"', xml))
    assert len(links) >= 20  # the cited works and the plain links, as URI actions
    assert any("confidentialcomputing.io" in link for link in links)


@pytest.fixture(scope="module")
def alone(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test post built alone in another folder: its project root (``source``, ``_build``)."""
    root = tmp_path_factory.mktemp("alone")
    shutil.copytree(built.parent / "source", root / "source", ignore=shutil.ignore_patterns(f"{SLUG}.md"))
    shutil.copy(built.parent / "bibliography.bib", root)
    status, output = run_pdf(root / "source", root / "_build")
    assert status == 0, output
    return root


def copy_of(project: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A copy of a built project (its latexmk state too): its post and its PDF."""
    shutil.copytree(project, tmp_path / "p", symlinks=True)
    root = tmp_path / "p"
    return root / "source" / "review-checks" / "index.md", root / "_build" / "pdf" / "review-checks.pdf"


def test_same_sources_give_the_same_bytes(built: Path, alone: Path):
    pdf = alone / "_build" / "pdf" / "review-checks.pdf"
    assert pdf.read_bytes() == (built / "pdf" / "review-checks.pdf").read_bytes()  # alone, elsewhere: same bytes


def test_a_latex_error_names_the_source_line_and_keeps_the_pdf(alone: Path, tmp_path: Path):
    post, pdf = copy_of(alone, tmp_path)
    before = pdf.read_bytes()
    post.write_text(post.read_text("utf-8").replace("Closing text", "Closing 中文 text"), "utf-8")
    status, output = run_pdf(post.parent.parent, pdf.parent.parent)
    assert status == 2
    line = _checks_line("^Closing text")
    assert re.search(rf"{re.escape(str(post))}:{line}: \S+review-checks\.tex:\d+: Missing character: "
                     r"There is no 中 \(U\+4E2D\) in font \[DejaVuSerif", output), output
    assert re.search(r"^  l\.\d+ .*Closing 中文", output, re.M), output  # the TeX line that failed
    assert "has no 中 (U+4E2D): write it another way" in output
    assert len(output.splitlines()) < 12  # the failing lines, not the whole log
    assert pdf.read_bytes() == before


def test_an_interrupted_pdf_build_never_wedges_the_next(alone: Path, tmp_path: Path):
    """The reviewers' wedge: Ctrl-C while XeLaTeX writes, then make pdf again on the same sources."""
    post, pdf = copy_of(alone, tmp_path)
    before = pdf.read_bytes()
    post.write_text(post.read_text("utf-8").replace("Closing text", "Closing words"), "utf-8")
    args = ["pdf", "--source", str(post.parent.parent), "--build", str(pdf.parent.parent)]
    proc = start(*args)
    wait_for(lambda: running("xelatex", proc.pid))
    time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGINT)
    proc.wait()
    assert pdf.read_bytes() == before  # the previous PDF, whole
    again = start(*args)
    log = again.communicate()[0]
    assert again.returncode == 0, log
    assert pdf.read_bytes() != before


def _checks_line(pattern: str) -> int:
    text = post_text(CHECKS, front=FRONT)
    return next(i for i, line in enumerate(text.splitlines(), 1) if re.search(pattern, line))


def _pdfinfo(pdf: Path) -> str:
    return subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout


def test_no_citation_label_name_or_product_is_broken_at_a_hyphen(built: Path):
    tex = (built / "latex" / f"{SLUG}.tex").read_text("utf-8")
    labels = {f"[{label}]" for label in re.findall(r"\\bibitem\[(.+?)\]", tex)}
    pdf = [line.text for line in lines(built / "pdf" / f"{SLUG}.pdf") if line.number is not None]
    for before, after in itertools.pairwise(pdf):
        if not before.endswith("-"):
            continue
        word = before.split()[-1].lstrip("[(")
        assert not word[:1].isupper(), (before, after)  # Kam-/mel, De Meule-/meester, SEV-/SNP
        for label in labels:  # a label split at any hyphen, its own or one hyphenation put in
            assert not any(before.endswith(label[:i]) and after.startswith(label[i:].lstrip("-"))
                           for i in range(1, len(label)) if "-" in label[i - 1 : i + 1]), (before, after)


def test_urls_break_only_after_a_path_separator(built: Path):
    pdf = [line.text for line in lines(built / "pdf" / f"{SLUG}.pdf")]
    assert not [text for text in pdf if re.search(r"https?:/{0,2}$", text)]  # not after the scheme
    broken = [text.split()[-1] for text in pdf if "://" in text.split()[-1] and not text.endswith((".", ","))]
    assert len(broken) > 10 and all(url.endswith("/") for url in broken), broken


def test_no_reference_entry_leaves_one_line_alone_on_a_page(built: Path):
    pdf = [line for line in lines(built / "pdf" / f"{SLUG}.pdf") if line.number is not None]
    start = next(i for i, line in enumerate(pdf) if line.text.endswith("References"))
    entries: list[list[Line]] = []
    for line in pdf[start + 1 :]:
        if line.text.startswith("[") or not entries:
            entries.append([])
        entries[-1].append(line)
    split = [entry for entry in entries if len({line.page for line in entry}) > 1]
    for entry in split:
        pages = [line.page for line in entry]
        assert min(pages.count(page) for page in set(pages)) > 1, [line.text for line in entry]


def test_title_block_is_set_left_and_the_description_is_the_abstract(built: Path):
    words = [word for word in pdf_words(built / "pdf" / "review-checks.pdf") if word.page == 1]
    for first in ("Review", "Ada", "planned"):  # the title's, the authors' and the date's first word
        assert next(word.x for word in words if word.text == first) == pytest.approx(72.0, abs=1), first
    page = squeezed(pdf_text(built / "pdf" / "review-checks.pdf"))
    assert r"Abstract. What a reviewer checks, & 100% of it, round-trip; \input{x} stays text." in page


def test_references_are_unnumbered_and_bookmarked_once(built: Path):
    pdf = lines(built / "pdf" / f"{SLUG}.pdf")
    assert [line.text for line in pdf if line.text.endswith("References")] == ["References"]
    xml = subprocess.run(["pdftohtml", "-xml", "-stdout", "-i", str(built / "pdf" / f"{SLUG}.pdf")],
                         capture_output=True, text=True, check=True).stdout
    outline = re.findall(r"<item[^>]*>([^<]*)</item>", xml)
    assert outline.count("References") == 1, outline


def test_no_rule_under_the_references_of_a_post_with_footnotes(built: Path):
    tex = (built / "latex" / "review-checks.tex").read_text("utf-8")
    assert r"\hrule" not in tex.split("References")[-1]


def test_table_columns_keep_short_values_on_one_line(built: Path):
    pdf = [line.text for line in lines(built / "pdf" / "review-checks.pdf")]
    assert "AMD SEV-SNP Virtual machine 5.19 / 6.11 Azure, Google Cloud, AWS" in pdf  # no "Virtual / machine"


def test_short_code_blocks_are_not_split_across_pages(built: Path):
    pdf = lines(built / "pdf" / "code-blocks.pdf")
    assert len({line.page for line in pdf}) > 2
    for i in range(24):
        code = [line for line in pdf if re.fullmatch(rf"line-\d-of-{i}: value", line.text)]
        assert len(code) == 10 and len({line.page for line in code}) == 1, [(line.page, line.text) for line in code]


def test_pdfs_take_the_umask_mode_and_name_language_and_title(built: Path):
    mask = os.umask(0o022)
    os.umask(mask)
    pdf = built / "pdf" / f"{SLUG}.pdf"
    assert stat.S_IMODE(pdf.stat().st_mode) == 0o666 & ~mask
    catalog = pdf_objects(pdf)
    assert b"/Lang(en)" in catalog and b"/DisplayDocTitle true" in catalog
