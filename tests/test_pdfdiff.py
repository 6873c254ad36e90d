"""``make pdf-diff``: what changed since a git revision, marked in the review PDF; real git, latexdiff, latexmk.

The first project is a git repository with three commits: the first has one
post, the second adds another, the third renames the first post's file (its
slug stays) and changes one word in it. The diff against the first commit
must mark that word only in the first post, and all of the second post as
added. The second project is a review round: one commit adds a TODO box and
a footnote, swaps the work a ``{cite:link}`` cites and edits a code line; its
diff must mark those, with bars beside them, and nothing else. The third
changes a word in every other kind of block and removes a paragraph.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from helpers import BIB, EPOCH, captured, front_matter, git, make, make_project, post_text
from hugo_export.pdf.diff import make_diff
from pdfread import barred, coloured, lines

pytestmark = pytest.mark.slow
ADDED, REMOVED = "#0000ff", "#ff0000"
#: The samples of the two marks in page 1's note: no change of the post.
LEGEND = {"blue and underlined", "red and struck out"}
FIRST = """
The first post says how confidential computing works {cite:p}`kaplan2016sev`, with a
[link to the spec](https://example.com/spec) and `inline code`.

| Part | Role |
|---|---|
| guest | runs the Pod |

```yaml
kind: Pod
metadata:
  name: app
```
"""
SECOND = "The second post came later.\n\n| Part | Role |\n|---|---|\n| host | untrusted |\n\n```yaml\nkind: Secret\n```"


def commit_git(repo: Path, *args: str) -> str:
    """git with the commits dated, so the PDF's header is the same every run."""
    return git(repo, *args, GIT_AUTHOR_DATE="2026-01-01T00:00:00Z", GIT_COMMITTER_DATE="2026-01-01T00:00:00Z").strip()


def marked(pdf: Path, colour: str) -> list[str]:
    """The runs of text in *colour*, but for the legend of page 1."""
    return [run for run in coloured(pdf, colour) if run not in LEGEND]


def diff(source: Path, build: Path, rev: str, post: str | None = None) -> tuple[int, str]:
    with captured(SOURCE_DATE_EPOCH=EPOCH) as out:
        status = make_diff(source, build, rev, post)
    return status, out.getvalue()


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path | str]:
    root = tmp_path_factory.mktemp("repo")
    source = make_project(root, FIRST, name="first")
    (source / "editorial").mkdir()
    (source / "editorial" / "Notizen über.md").write_text("A name git quotes unless asked not to.\n")
    commit_git(root, "init", "-q")
    commit_git(root, "add", "-A")
    commit_git(root, "commit", "-q", "-m", "first")
    base = commit_git(root, "rev-parse", "--short", "HEAD")
    (source / "second.md").write_text(post_text(SECOND, front=front_matter("second")), "utf-8")
    commit_git(root, "add", "-A")
    commit_git(root, "commit", "-q", "-m", "second")
    commit_git(root, "mv", "source/first.md", "source/renamed.md")
    renamed = source / "renamed.md"
    renamed.write_text(renamed.read_text("utf-8").replace("says how", "shows how"), "utf-8")
    commit_git(root, "commit", "-q", "-am", "one word")
    return {"root": root, "source": source, "base": base, "head": commit_git(root, "rev-parse", "--short", "HEAD")}


@pytest.fixture(scope="module")
def diffs(repo: dict[str, Path | str]) -> dict[str, Path]:
    """pdf-diff against the first commit; again in another build folder, for the second post."""
    source, root = Path(repo["source"]), Path(repo["root"])
    for run, post in (("one", None), ("two", "second")):
        status, output = diff(source, root / run, "HEAD~2", post)
        assert status == 0, output
    return {"one": root / "one" / "pdf", "two": root / "two" / "pdf"}


def test_a_one_word_change_is_marked_and_nothing_else(diffs: dict[str, Path], repo: dict[str, Path | str]):
    pdf = diffs["one"] / f"test-post-diff-{repo['base']}.pdf"
    assert marked(pdf, REMOVED) == ["says"]
    assert marked(pdf, ADDED) == ["shows"]


def test_citations_links_tables_and_code_survive(diffs: dict[str, Path], repo: dict[str, Path | str]):
    pdf = diffs["one"] / f"test-post-diff-{repo['base']}.pdf"
    text = [line.text for line in lines(pdf)]
    assert any("[Kaplan et al., 2016]" in line for line in text)
    assert "guest runs the Pod" in text and "name: app" in text
    xml = subprocess.run(["pdftohtml", "-xml", "-stdout", "-i", str(pdf)], capture_output=True, text=True).stdout
    assert '<a href="https://example.com/spec">' in xml
    numbered = [line.number for line in lines(pdf) if line.number is not None]
    assert numbered == list(range(1, len(numbered) + 1)) and len(numbered) > 8


def test_a_post_that_did_not_exist_at_the_revision_is_all_added(diffs: dict[str, Path], repo: dict[str, Path | str]):
    pdf = diffs["one"] / f"second-diff-{repo['base']}.pdf"
    added = " ".join(marked(pdf, ADDED))
    assert added.startswith("The second post came later.") and added.endswith("References")
    assert all(word in added.split() for word in ("Part", "Role", "host", "untrusted", "kind", "Secret"))
    assert marked(pdf, REMOVED) == []


def test_the_header_names_both_revisions(diffs: dict[str, Path], repo: dict[str, Path | str]):
    header = lines(diffs["one"] / f"second-diff-{repo['base']}.pdf")[0].text
    assert header.endswith(f"rev {repo['head']}, 2026-01-01; marked: changes since {repo['base']}")


def test_two_runs_give_the_same_bytes(diffs: dict[str, Path], repo: dict[str, Path | str]):
    name = f"second-diff-{repo['base']}.pdf"
    assert [p.name for p in diffs["two"].iterdir()] == [name]
    assert (diffs["one"] / name).read_bytes() == (diffs["two"] / name).read_bytes()


def test_a_revision_that_is_not_a_commit_is_refused(repo: dict[str, Path | str], tmp_path: Path):
    status, output = diff(Path(repo["source"]), tmp_path, "no-such-branch")
    assert status == 2
    assert "'no-such-branch' is not a commit of" in output and "git log --oneline" in output
    run = make("pdf-diff", Path(repo["source"]), tmp_path)
    assert run.returncode == 2 and "set REV=<git revision>" in run.stderr


ROUND_BIB = BIB + r"""
@techreport{intel2023tdx,
  author = {{Intel Corporation}},
  title = {Intel Trust Domain Extensions},
  institution = {Intel Corporation},
  year = {2023},
  url = {https://www.intel.com/tdx.pdf}
}
@techreport{ccc2022analysis,
  author = {{Confidential Computing Consortium}},
  title = {A Technical Analysis of Confidential Computing},
  institution = {The Linux Foundation},
  year = {2022},
  url = {https://confidentialcomputing.io/analysis.pdf}
}
"""
BEFORE = """
The opening paragraph stays as it is, and it cites {cite:p}`kaplan2016sev`.

The second paragraph relies on {cite:link}`the vendor's white paper <amd2020snp>` for its claim.

```yaml
kind: Pod
spec:
  runtimeClassName: kata-qemu-snp
```

A closing paragraph that cites {cite:p}`doi2022paper` stays unchanged too, as does a last one that
cites {cite:p}`ccc2022analysis`.
"""
#: A TODO box and a footnote added, the work of a {cite:link} swapped, a code line edited.
ROUND_EDITS = {
    "`kaplan2016sev`.\n": "`kaplan2016sev`.\n\n```{todo}\nAsk the vendor which firmware this needs.\n```\n",
    "second paragraph relies": "second paragraph[^firmware] relies",
    "<amd2020snp>` for its claim.\n": "<intel2023tdx>` for its claim.\n\n"
                                       "[^firmware]: The firmware of the host, not of the guest.\n",
    "kata-qemu-snp": "kata-qemu-tdx",
}


def edited(text: str, edits: dict[str, str]) -> str:
    for old, new in edits.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


def round_two(root: Path, source: Path, edits: dict[str, str]) -> tuple[str, str]:
    """Commit the project as round one, then the post with *edits* as round two, and make the diff PDF
    against round one; the two commits."""
    commit_git(root, "init", "-q")
    commit_git(root, "add", "-A")
    commit_git(root, "commit", "-q", "-m", "round one")
    (source / "post.md").write_text(edited((source / "post.md").read_text("utf-8"), edits), "utf-8")
    commit_git(root, "commit", "-q", "-am", "round two")
    status, output = diff(source, root / "_build", "HEAD~1")
    assert status == 0, output
    return commit_git(root, "rev-parse", "--short", "HEAD~1"), commit_git(root, "rev-parse", "--short", "HEAD")


@pytest.fixture(scope="module")
def review_round(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """The diff PDF of a review round's commit against the one before; its base and head commits."""
    root = tmp_path_factory.mktemp("round")
    base, head = round_two(root, make_project(root, BEFORE, bib=ROUND_BIB, name="post"), ROUND_EDITS)
    return root / "_build" / "pdf" / f"test-post-diff-{base}.pdf", base, head


def references(pdf: Path) -> list[str]:
    text = [line.text for line in lines(pdf)]
    return text[next(i for i, line in enumerate(text) if line.endswith("References")) + 1 :]


def test_no_reference_label_stands_alone_on_a_line(review_round: tuple[Path, str, str]):
    listed = references(review_round[0])
    assert listed[0].startswith("[Advanced Micro Devices, 2020] Advanced Micro Devices. AMD SEV-SNP"), listed
    assert not [line for line in listed if re.fullmatch(r"\[[^\]]*\]", line)], listed


def test_a_swapped_citation_is_marked_and_its_entry_keeps_label_and_url(review_round: tuple[Path, str, str]):
    pdf = review_round[0]
    assert " ".join(marked(pdf, REMOVED)).startswith("Advanced Micro Devices, 2020 snp")  # the old label, struck
    assert marked(pdf, ADDED)[:3] == ["Ask the vendor which firmware this needs.", "Intel Corporation, 2023", "tdx"]
    listed = " ".join(references(pdf))
    assert "[Advanced Micro Devices, 2020] Advanced Micro Devices." in listed
    assert "URL: https://www.amd.com/snp.pdf." in listed  # the removed entry keeps its URL
    assert "[Intel Corporation, 2023] Intel Corporation." in listed


def test_change_bars_stand_beside_the_changed_lines_only(review_round: tuple[Path, str, str]):
    page = lines(review_round[0])
    bars = dict(zip((line.text for line in page), barred(review_round[0], page), strict=True))
    for changed in ("Ask the vendor which firmware this needs.", "runtimeClassName: kata-qemu-snptdx"):
        assert bars[changed], changed
    assert next(bar for text, bar in bars.items() if text.startswith("The second paragraph"))
    assert not bars["The opening paragraph stays as it is, and it cites [Kaplan et al., 2016]."]
    assert not bars["kind: Pod"]
    for same in ("A closing paragraph", "cites [Confidential", "[Doe, 2022]", "[Kaplan et al., 2016]"):
        assert not next(bar for text, bar in bars.items() if text.startswith(same)), same


def test_code_edits_are_marked_without_spaces(review_round: tuple[Path, str, str]):
    assert "runtimeClassName: kata-qemu-snptdx" in [line.text for line in lines(review_round[0])]
    assert "snp" in marked(review_round[0], REMOVED) and "tdx" in marked(review_round[0], ADDED)


def test_page_one_says_what_is_compared(review_round: tuple[Path, str, str]):
    pdf, base, head = review_round
    first = " ".join(line.text for line in lines(pdf) if line.page == 1)
    assert f"Changes since {base} marked in rev {head}, 2026-01-01:" in first, first
    assert "6 lines of the post's source added, 2 lines changed, 0 lines removed." in first, first


EVERY_BLOCK = """
The opening paragraph cites {cite:p}`kaplan2016sev` and stays.

## A heading that will change

Some text with a footnote.[^a] And more text.

[^a]: The footnote text that will change.

- A first item of a list.
- A second item that changes.

```{note}
A note whose text changes here.
```

| Part | Role |
|---|---|
| guest | runs the Pod |
| host | untrusted and old |

A paragraph that goes, with its citation {cite:p}`doi2022paper`.

```{figure} diagram.svg
:alt: A box

A caption that changes.
```

```yaml
kind: Pod
metadata:
  name: app
```
"""
EDITS = {"will change": "changed", "changes": "changed", "untrusted and old": "untrusted and new",
         "A paragraph that goes, with its citation {cite:p}`doi2022paper`.\n\n": "",
         "  name: app\n": "  name: app\n  x: y\n"}


@pytest.fixture(scope="module")
def every_block(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The diff PDF of a commit that changes a word in each kind of block and removes a paragraph."""
    root = tmp_path_factory.mktemp("blocks")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60"><rect width="200" height="60"/></svg>'
    round_two(root, make_project(root, EVERY_BLOCK, name="post", files={"diagram.svg": svg}), EDITS)
    return next((root / "_build" / "pdf").glob("test-post-diff-*.pdf"))


def test_a_change_in_any_block_is_marked_with_a_bar_and_nothing_else(every_block: Path):
    # heading, list item, note, table cell, caption, code line, footnote (at the foot of the page)
    assert marked(every_block, ADDED) == ["changed", "changed", "changed", "new", "changed", "x", ": y", "changed"]
    assert marked(every_block, REMOVED) == [
        "will change", "changes", "changes", "old", "A paragraph that goes, with its citation [Doe, 2022 ].",
        "changes", "[Doe, 2022] Jane Doe. A Paper With Only a DOI.", "Journal of Tests", ", 2022.",
        "doi:10.1145/3533737.3535098.", "will change"]
    page = lines(every_block)
    bars = [line.text for line, bar in zip(page, barred(every_block, page), strict=True) if bar]
    assert [text.split()[0] for text in bars] == [
        "1", "•", "A", "host", "new", "A", "Fig.", "x:", "[Doe,", "doi:10.1145/3533737.3535098.", "1"]
