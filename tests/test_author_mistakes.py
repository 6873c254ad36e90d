"""A new author's mistakes (``ux-trial-3.md``, P3 to P6 and P10 to P15): each is one line in the author's
terms, the first line printed, with exit status 2; one post's mistake never blocks another; nothing stale
is left in ``_build``.

Builds run in the project's folder, as make runs them there, so paths read as the author typed them.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest

from helpers import BIB, EPOCH, REFERENCES, Build, build, captured, front_matter, make_project
from hugo_export.pdf.latexmk import make_pdfs
from hugo_export.qa.check import run_checks

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project's folder, made the current one: its sources are ``source``."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def first(out: Build | str) -> str:
    text = out.output if isinstance(out, Build) else out
    return text.splitlines()[0]


def errors(out: Build) -> list[str]:
    return [line for line in out.output.splitlines() if ": ERROR: " in line or line.startswith("ERROR: ")]


@pytest.mark.slow  # XeLaTeX
def test_p3_a_missing_figure_is_one_line_in_the_pdf_too(here: Path):
    make_project(here, "Opening text.\n\n```{figure} timeline.svg\n:alt: A timeline\n```\n", bibliography=False,
                 files={"timelines.svg": SVG})
    with captured(SOURCE_DATE_EPOCH=EPOCH) as out:
        status = make_pdfs(Path("source"), Path("_build"))
    assert status == 2
    assert first(out.getvalue()) == ("source/post.md:13: ERROR: image file 'timeline.svg' does not exist beside the "
                                     "post; add it, or correct the name (did you mean 'timelines.svg'?) "
                                     "[source.image]")
    assert "Traceback" not in out.getvalue() and "sphinx-doc" not in out.getvalue()


def test_p3_citations_without_a_references_list_are_asked_for_it_by_name(here: Path):
    make_project(here, "Opening text {cite:p}`kaplan2016sev`.", bibliography=False)
    (here / "source" / "zz.md").write_text(front_matter("other-post") + "\nText {cite:p}`amd2020snp`.\n" + REFERENCES)
    out = build(Path("source"), "hugo")
    assert out.status == 2
    assert first(out) == ("source/post.md:11: ERROR: the post cites works but lists none: end it with a "
                          "'## References' heading and a ```{bibliography}``` block under it (the HTML preview and "
                          "the PDF show the list; the export leaves it out) [bibtex.references]")
    assert len([e for e in errors(out) if "post.md" in e]) == 1


def test_p4_a_work_without_a_url_is_one_message_at_its_entry(here: Path):
    make_project(here, "Opening text {cite:link}`the paper <amd2020snp>`.",
                 bib=BIB.replace("  url = {https://www.amd.com/snp.pdf}\n", ""))
    out = build(Path("source"), "hugo")
    assert out.status == 2
    assert errors(out) == ["bibliography.bib:9: ERROR: amd2020snp: needs a 'url' (or 'doi') field so citations "
                           "can link to the work [bibtex.bibcheck]"]


@pytest.mark.parametrize(("old", "new", "line"), [
    ('title: "A Test Post About Things"', "title: Sidecars: Ordered Start",
     "source/post.md:2: the value holds ': ', which YAML reads as another key; put the whole value in double "
     'quotes: title: "..."'),
    ('title: "A Test Post About Things"', 'title: "Sidecars: Ordered Start',
     'source/post.md:2: the double quote that opens this value is never closed on its line; end the value with "'),
    ("date: 2026-12-10", "date: 2027-02-30",
     "source/post.md:4: date '2027-02-30' is not a day of the calendar: February 2027 has 28 days"),
])
def test_p6_p11_front_matter_mistakes_say_what_to_do_at_their_line(here: Path, old: str, new: str, line: str):
    make_project(here, "Opening text.", front=front_matter().replace(old, new), bibliography=False)
    out = build(Path("source"), "html")
    assert out.status == 2 and first(out) == line, out.output


@pytest.mark.parametrize(("body", "line"), [
    ("Opening {cite:p}`kaplan2061sev`.",
     "source/post.md:11: ERROR: no work has the key 'kaplan2061sev' in bibliography.bib; did you mean "
     "'kaplan2016sev'? [docutils]"),
    ("Opening {k8s-term}`kubelets`.",
     "source/post.md:11: ERROR: unknown Kubernetes glossary term id 'kubelets': kubernetes/website's build would "
     "fail. Use a file name from content/en/docs/reference/glossary/ (listed in hugo_export/data/glossary.json), "
     "e.g. {k8s-term}`Pods <pod>`; did you mean 'kubelet' or 'kubectl' or 'kubernetes-api'? [docutils]"),
    ("Opening text.\n\n```yaml\nkind: Pod\n",
     "source/post.md:13: ERROR: code fence opened here is never closed, so it swallows the rest of the file; close "
     "it with a matching fence line [source.fence]"),
])
def test_p11_mistyped_names_get_the_nearest_and_failures_say_error(here: Path, body: str, line: str):
    make_project(here, body, bibliography="cite:p" in body)
    out = build(Path("source"), "html")
    assert out.status == 2 and first(out) == line, out.output


def test_p5_a_post_with_an_open_todo_blocks_no_other(here: Path):
    make_project(here, "Opening text.", bibliography=False)
    (here / "source" / "aa.md").write_text(front_matter("draft-post") + "\nText.\n\n```{todo}\nFinish it.\n```\n")
    out = build(Path("source"), "hugo")
    assert out.status == 2
    assert first(out) == ("source/aa.md:13: ERROR: open editorial TODO: Finish it. (resolve it and remove the {todo} "
                          "block; make preview ALLOW_TODO=1 shows a draft with it) [hugo.export]")
    assert "hugo export: draft-post failed (see above)" in out.output
    assert out.post("test-post").is_file() and not out.post("draft-post").exists()


@pytest.mark.slow  # XeLaTeX
def test_p10_a_renamed_then_deleted_post_leaves_nothing_in_build(here: Path):
    make_project(here, "Opening text.", bibliography=False)
    (here / "source" / "oldname.md").write_text(front_matter("oldname") + "\nText.\n")

    def build_all() -> None:
        for builder in ("html", "hugo"):
            assert build(Path("source"), builder).status == 0
        with captured(SOURCE_DATE_EPOCH=EPOCH):
            assert make_pdfs(Path("source"), Path("_build")) == 0

    build_all()
    assert list((here / "_build").rglob("*oldname*"))
    old = here / "source" / "oldname.md"
    old.rename(here / "source" / "newname.md")
    (here / "source" / "newname.md").write_text(old.with_name("newname.md").read_text().replace("oldname", "newname"))
    build_all()
    assert sorted(map(str, (here / "_build").rglob("*oldname*"))) == []
    assert "oldname" not in (here / "_build" / "html" / "post.html").read_text()  # the sidebar
    (here / "source" / "newname.md").unlink()
    build_all()
    assert sorted(map(str, (here / "_build").rglob("*newname*"))) == []


def test_p12_check_of_a_slug_no_post_has_says_so_and_checks_nothing(here: Path):
    make_project(here, "Opening text.", bibliography=False)
    with captured() as out:
        status = run_checks(Path("source"), Path("_build"), "nosuch")
    assert status == 2
    assert out.getvalue().splitlines() == ["check: no post has the slug 'nosuch'; the posts are: test-post"]


def test_p13_check_of_one_post_lists_that_posts_citations_only(here: Path):
    make_project(here, "Opening text {cite:p}`kaplan2016sev`.")
    (here / "source" / "zz.md").write_text(front_matter("other-post") + "\nText {cite:p}`amd2020snp`.\n" + REFERENCES)
    with captured() as out:
        run_checks(Path("source"), Path("_build"), "test-post")
    assert "test-post cites 1 work(s): kaplan2016sev" in out.getvalue()
    assert "other-post cites" not in out.getvalue()


TABLE = ":::{{table}} Costs\n\n| a | b |\n|---|---|\n| 1 | 2 |\n:::\n"


@pytest.mark.parametrize(("before", "warned"), [("Some text.", True), ("The table below compares costs.", False)])
def test_p14_the_table_caption_warning_is_cleared_by_introducing_the_table(here: Path, before: str, warned: bool):
    make_project(here, f"Opening text for the teaser, long enough. {'x ' * 130}\n\n{before}\n\n" + TABLE.format(),
                 bibliography=False)
    with captured() as out:
        run_checks(Path("source"), Path("_build"))
    assert ("[table-caption]" in out.getvalue()) is warned, out.getvalue()
    if warned:
        assert "naming 'the table' there (which clears this warning)" in out.getvalue()


def test_p11_a_past_date_in_the_review_form_is_a_warning(here: Path):
    make_project(here, "Opening text.", front=front_matter().replace("2026-12-10", "2020-01-14"), bibliography=False)
    with captured() as out:
        run_checks(Path("source"), Path("_build"))
    assert ("source/post.md:4: warning: date 2020-01-14 is in the past; set the day the post is planned to appear "
            "[past-date]") in out.getvalue().splitlines()


def test_p11_the_missing_alt_fix_is_given_in_myst(here: Path):
    make_project(here, "Opening text.\n\n```{figure} d.svg\n```\n", bibliography=False, files={"d.svg": SVG})
    with captured() as out:
        run_checks(Path("source"), Path("_build"))
    assert "give the figure ':alt: What it shows'" in out.getvalue(), out.getvalue()


@pytest.mark.slow  # XeLaTeX
def test_p15_outputs_follow_the_umask(here: Path):
    make_project(here, "Opening text.", bibliography=False)
    previous = os.umask(0o022)
    try:
        assert build(Path("source"), "html").status == 0
        with captured(SOURCE_DATE_EPOCH=EPOCH):
            assert make_pdfs(Path("source"), Path("_build")) == 0
    finally:
        os.umask(previous)
    assert stat.S_IMODE((here / "_build" / "html").stat().st_mode) == 0o755
    assert stat.S_IMODE((here / "_build" / "pdf" / "test-post.pdf").stat().st_mode) == 0o644


def test_p15_the_html_preview_shows_authors_and_date(here: Path):
    make_project(here, "Opening text.", bibliography=False)
    assert build(Path("source"), "html").status == 0
    page = (here / "_build" / "html" / "post.html").read_text("utf-8")
    assert re.search(r'<p class="byline">By Ada Lovelace \(Analytical Engines\), Grace Hopper \(Navy\) \| '
                     r"10 December 2026 \(planned\)</p>", page)


@pytest.mark.slow  # XeLaTeX
def test_p5_one_posts_mistake_blocks_neither_the_preview_nor_the_pdf_of_another(here: Path):
    make_project(here, "Opening text.", bibliography=False)
    (here / "source" / "aa.md").write_text(front_matter("broken-post") + "\nText {cite:p}`nosuchkey2020`.\n")
    html = build(Path("source"), "html")
    assert html.status == 2 and "the other posts are in _build/html" in html.output, html.output
    assert (here / "_build" / "html" / "post.html").is_file() and not (here / "_build" / "html" / "aa.html").exists()
    with captured(SOURCE_DATE_EPOCH=EPOCH) as out:
        status = make_pdfs(Path("source"), Path("_build"))
    assert status == 2 and (here / "_build" / "pdf" / "test-post.pdf").is_file(), out.getvalue()
    assert not (here / "_build" / "pdf" / "broken-post.pdf").exists()


def test_p5_a_post_whose_front_matter_does_not_read_blocks_no_other(here: Path):
    make_project(here, "Opening text.", bibliography=False)
    (here / "source" / "aa.md").write_text(front_matter("other-post") + "\nText.\n")
    assert build(Path("source"), "hugo").status == 0
    (here / "source" / "aa.md").write_text(front_matter("other-post").replace("2026-12-10", "2026-02-30") + "\nNew.\n")
    (here / "source" / "post.md").write_text((here / "source" / "post.md").read_text() + "\nAn edit.\n")
    out = build(Path("source"), "hugo")
    assert out.status == 2
    assert first(out) == "source/aa.md:4: date '2026-02-30' is not a day of the calendar: February 2026 has 28 days"
    assert len(out.output.splitlines()) == 3, out.output  # that line, the export's summary, the build's
    assert "An edit." in out.post("test-post").read_text()
    assert "New." not in out.post("other-post").read_text()  # its earlier export, kept


def test_p10_a_new_slug_leaves_no_output_of_the_old_one(here: Path):
    make_project(here, "Opening text.", bibliography=False)
    assert build(Path("source"), "latex").status == 0
    post = here / "source" / "post.md"
    post.write_text(post.read_text().replace("slug: test-post", "slug: new-slug"))
    assert build(Path("source"), "latex").status == 0
    assert sorted(p.name for p in (here / "_build").rglob("*test-post*")) == []


def test_p15_outputs_follow_the_umask_of_the_moment(here: Path):
    """The modes come from the umask when the output is written, not when the package was imported."""
    make_project(here, "Opening text.", bibliography=False)
    previous = os.umask(0o077)
    try:
        assert build(Path("source"), "hugo").status == 0
    finally:
        os.umask(previous)
    assert stat.S_IMODE((here / "_build" / "hugo").stat().st_mode) == 0o700
    previous = os.umask(0o022)
    try:
        assert build(Path("source"), "hugo", force=True).status == 0
    finally:
        os.umask(previous)
    assert stat.S_IMODE((here / "_build" / "hugo").stat().st_mode) == 0o755


def test_p10_the_pdf_of_a_post_whose_slug_ends_like_a_diff_stays(tmp_path: Path):
    from hugo_export.pdf.latexmk import remove_gone

    work, pdfs = tmp_path / "work", tmp_path / "_build" / "pdf"
    work.mkdir()
    pdfs.mkdir(parents=True)
    for name in ("kubectl-diff-2026.pdf", "kubectl-diff-2026-diff-1a2b3c4.pdf", "gone.pdf", "gone-diff-1a2b3c4.pdf"):
        (pdfs / name).write_text("%PDF")
    for name in ("kubectl-diff-2026.fdb_latexmk", "kubectl-diff-2026.aux", "gone.fdb_latexmk", "gone.aux", "x.sty"):
        (work / name).write_text("")
    remove_gone(work, tmp_path / "_build", {"kubectl-diff-2026"})
    assert sorted(p.name for p in pdfs.iterdir()) == ["kubectl-diff-2026-diff-1a2b3c4.pdf", "kubectl-diff-2026.pdf"]
    assert sorted(p.name for p in work.iterdir()) == ["kubectl-diff-2026.aux", "kubectl-diff-2026.fdb_latexmk", "x.sty"]
