"""The catalogue of author mistakes: each gives file:line, what and how to fix,
a non-zero exit, and leaves the previous outputs exactly as they were.

Every case runs the build command's code (what each ``make`` target calls) on
a small project in a temporary directory, after a good build of the same
project, then compares the earlier outputs byte for byte.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers import FRONT_MATTER, build, front_matter, make_project
from hugo_export.qa.check import run_checks

#: Audit events of a program that reaches for the network.
NETWORK = frozenset({"socket.getaddrinfo", "socket.gethostbyname", "socket.connect", "urllib.Request"})
BODY = "Opening text with a citation {cite:p}`kaplan2016sev`.\n\n## A section\n\nMore text.\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'


def snapshot(build: Path) -> dict[str, str]:
    """Hashes of every output file (doctrees and the environment excluded)."""
    return {
        str(p.relative_to(build)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(build.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(build).parts)
    }


@dataclass
class Case:
    target: str
    change: Callable[[Path], None]
    expected: str


def edit(old: str, new: str, name: str = "post.md") -> Callable[[Path], None]:
    def change(src: Path) -> None:
        path = src / name
        text = path.read_text("utf-8")
        assert old in text, (old, name)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return change


def write(name: str, data: bytes) -> Callable[[Path], None]:
    def change(src: Path) -> None:
        (src / name).write_bytes(data)
    return change


def both(*changes: Callable[[Path], None]) -> Callable[[Path], None]:
    def change(src: Path) -> None:
        for c in changes:
            c(src)
    return change


def latin1(src: Path) -> None:
    path = src / "post.md"
    path.write_bytes(path.read_bytes().replace(b"More text.", "Caf\u00e9 text.".encode("latin-1")))


def add(text: str) -> Callable[[Path], None]:
    """*text* as a new block after the post's last paragraph."""
    return edit("More text.\n", "More text.\n\n" + text)


def with_svg(text: str, name: str = "d.svg", svg: bytes = SVG) -> Callable[[Path], None]:
    """An SVG file *name* in source/, and *text* as a new block that shows it."""
    return both(write(name, svg), add(text))


def remove(name: str) -> Callable[[Path], None]:
    return lambda src: (src / name).unlink()


CASES = {
    "unknown-citation-key": Case("hugo", edit("{cite:p}`kaplan2016sev`", "{cite:p}`kaplan2061sev`"),
                                 r"post\.md:11: ERROR: no work has the key 'kaplan2061sev' in bibliography\.bib; did you mean 'kaplan2016sev'\?"),
    "unknown-cite-link-key": Case("hugo", edit("{cite:p}`kaplan2016sev`", "{cite:link}`the paper <kaplan2061sev>`"),
                                  r"post\.md:11: ERROR: no work has the key 'kaplan2061sev' in bibliography\.bib; did you mean 'kaplan2016sev'\?"),
    "bib-unbalanced-braces": Case("html", edit("title = {{AMD} Memory Encryption},", "title = {{AMD} Memory Encryption,", "../bibliography.bib"),
                                  r"bibliography\.bib:\d+: (?:WARNING|ERROR): BibTeX syntax error: .*; check the braces and commas of the entry above"),
    "bib-duplicate-key": Case("html", edit("@techreport{amd2020snp", "@techreport{kaplan2016sev", "../bibliography.bib"),
                              r"bibliography\.bib:9: (?:WARNING|ERROR): duplicate key 'kaplan2016sev' \(first at line 2\); rename or remove one"),
    "bib-missing-file": Case("html", remove("../bibliography.bib"), r"bibliography\.bib: bibliography file not found; create it or fix bibtex_bibfiles in conf\.py"),
    "front-matter-no-title": Case("hugo", edit('title: "A Test Post About Things"\n', ""),
                                  r"post\.md:1: front matter has no 'title'; add 'title: \.\.\.'"),
    "front-matter-no-authors": Case("hugo", edit("authors:\n  - Ada Lovelace (Analytical Engines)\n  - Grace Hopper (Navy)\n", ""),
                                    r"post\.md:1: front matter has no 'authors'"),
    "front-matter-bad-date": Case("hugo", edit("date: 2026-12-10", "date: 2026-02-30"),
                                  r"post\.md:4: date '2026-02-30' is not a day of the calendar: February 2026 has 28 days"),
    "front-matter-slug-slash": Case("hugo", edit("slug: test-post", "slug: blog/test-post"),
                                    r"post\.md:3: slug 'blog/test-post' is not a slug: use lowercase letters, digits and single hyphens"),
    "front-matter-slug-dotdot": Case("hugo", edit("slug: test-post", "slug: ../test-post"), r"post\.md:3: slug '\.\./test-post' is not a slug"),
    "front-matter-unknown-key": Case("html", edit("draft: true", "draft: true\ntags: [security]"),
                                     r"post\.md:6: (?:WARNING|ERROR): unknown front matter key 'tags'; known keys are"),
    "myst-unclosed-fence": Case("html", edit("More text.\n", "More text.\n\n```yaml\nkind: Pod\n"),
                                r"post\.md:\d+: ERROR: code fence opened here is never closed"),
    "myst-unknown-directive": Case("html", edit("More text.\n", "More text.\n\n```{nosuchthing}\nx\n```\n"),
                                   r"post\.md:\d+: (WARNING|ERROR): Unknown directive type:? .?nosuchthing"),
    "myst-unknown-role": Case("html", edit("More text.", "More {nosuchrole}`text`."),
                              r"post\.md:\d+: (WARNING|ERROR): Unknown interpreted text role \"nosuchrole\""),
    "figure-file-missing": Case("hugo", edit("More text.\n", "More text.\n\n```{figure} missing.svg\n:alt: A\n```\n"),
                                r"post\.md:17: ERROR: image file 'missing\.svg' does not exist beside the post; add it, or correct the name"),
    "image-outside-source": Case("hugo", both(write("../outside.svg", SVG), edit("More text.\n", "More text.\n\n![A](../outside.svg)\n")),
                                 r"post\.md:\d+: ERROR: image '\.\./outside\.svg' lies outside the source directory; copy it into source/"),
    "unknown-glossary-id": Case("hugo", edit("More text.", "More {k8s-term}`Pods <pods>`."),
                                r"post\.md:\d+: (WARNING|ERROR): unknown Kubernetes glossary term id 'pods'"),
    "front-matter-removed": Case("hugo", edit(FRONT_MATTER, ""), r"post\.md:1: a post starts with a front matter block between '---' lines"),
    "no-post-left": Case("hugo", remove("post.md"), r"ERROR: no post to export in .*: a post is <name>\.md or <name>/index\.md"),
    "todo-at-export": Case("hugo", edit("More text.\n", "More text.\n\n```{todo}\nAsk the vendor.\n```\n"),
                           r"post\.md:\d+: ERROR: open editorial TODO: Ask the vendor\."),
    "unhandled-node-math": Case("hugo", edit("More text.\n", "More text.\n\n```{math}\na^2 + b^2 = c^2\n```\n"),
                                r"post\.md:\d+: ERROR: the hugo exporter does not handle <math_block> nodes"),
    "source-noncharacter": Case("html", edit("More text.", "More\ufdd0 text."), r"post\.md:\d+: ERROR: the file holds the noncharacter U\+FDD0"),
    "source-nul-byte": Case("html", edit("More text.", "More\x00 text."), r"post\.md:\d+: ERROR: the file holds a NUL byte; remove it"),
    "source-not-utf8": Case("html", latin1, r"post\.md:\d+: (ERROR: )?the file is not UTF-8 \(byte 0xe9\); save it as UTF-8"),
    # Sources MyST and Sphinx would misread without a word, or crash on.
    "list-nested-too-deep": Case("html", add("".join("  " * i + f"- level {i}\n" for i in range(10))),
                                 r"post\.md:\d+: ERROR: lists and quotes nest so deep here that MyST stops reading"),
    "toctree-cycle": Case("hugo", add("```{toctree}\nindex\n```\n"),
                          r"post\.md:\d+: ERROR: this toctree includes 'index', which leads back here \(.*\): toctrees must not make a cycle"),
    "include-outside-source": Case("hugo", both(write("../secret.txt", b"secret\n"), add("```{include} ../secret.txt\n```\n")),
                                   r"post\.md:\d+: ERROR: \{include\} of '\.\./secret\.txt' reads a file outside the source directory"),
    "literalinclude-outside-source": Case("html", both(write("../secret.txt", b"secret\n"), add("```{literalinclude} ../secret.txt\n```\n")),
                                          r"post\.md:\d+: ERROR: \{literalinclude\} of '\.\./secret\.txt' reads a file outside the source directory"),
    # The export's own: what used to crash, to pass silently changed, or to slip markup through.
    "empty-list-item": Case("hugo", add("- one\n-\n- three\n"), r"post\.md:\d+: ERROR: an empty list item \(a marker with no text\)"),
    "empty-numbered-item": Case("hugo", add("1. one\n2.\n3. three\n"), r"post\.md:\d+: ERROR: an empty list item"),
    "heading-in-a-list": Case("hugo", add("- one\n  -\n"), r"post\.md:\d+: ERROR: a heading inside a list, quote or callout \('one'"),
    "second-top-heading": Case("hugo", add("# Another title\n\nText.\n"),
                               r"post\.md:\d+: ERROR: a second top-level heading \('# Another title'\): the post's title is its only H1"),
    "link-to-a-non-post": Case("hugo", add("See {doc}`index`.\n"), r"post\.md:\d+: ERROR: a link to a page that is not a post"),
    "link-to-a-table": Case("hugo", add(":::{table} Costs\n:name: costs\n\n| a | b |\n|---|---|\n| 1 | 2 |\n:::\n\nSee {ref}`the costs <costs>`.\n"),
                            r"post\.md:\d+: ERROR: a link to a table \(#costs\): only headings have anchors"),
    "download-link": Case("hugo", with_svg("Get {download}`the picture <d.svg>`.\n"),
                          r"post\.md:\d+: ERROR: a \{download\} link: kubernetes\.io posts carry no downloadable files"),
    "remote-image": Case("hugo", add("![A picture](https://example.invalid/pic.png)\n"),
                         r"post\.md:\d+: ERROR: remote and inline \(data:\) images do not belong in a post"),
    "svg-with-script": Case("hugo", with_svg("![A](evil.svg)\n", "evil.svg", SVG.replace(b"/>", b"><script>alert(1)</script></svg>")),
                            r"post\.md:\d+: ERROR: evil\.svg: the SVG holds a <script> element; kubernetes\.io inlines SVG figures"),
    "svg-with-event-handler": Case("hugo", with_svg("![A](evil.svg)\n", "evil.svg", SVG.replace(b"<svg ", b'<svg onload="alert(1)" ')),
                                   r"post\.md:\d+: ERROR: evil\.svg: the SVG holds an event handler \(onload=\)"),
    "svg-with-script-in-a-list": Case("hugo", with_svg("![A](evil.svg)\n", "evil.svg", SVG.replace(
        b"/>", b'><a><animate attributeName="href" values="https://k8s.io;javascript:alert(1)"/></a></svg>')),
                                      r"post\.md:\d+: ERROR: evil\.svg: the SVG holds a script URL in values= of <animate>"),
    "svg-html-reads-otherwise": Case("hugo", with_svg("![A](evil.svg)\n", "evil.svg", SVG.replace(
        b"/>", b'><!--><img src=x onerror=alert(1)>--></svg>')),
                                     r"post\.md:\d+: ERROR: evil\.svg: the SVG holds an event handler \(onerror=\) on "
                                     r"<img> for an HTML parser"),
    "svg-with-script-link": Case("hugo", with_svg("![A](evil.svg)\n", "evil.svg", SVG.replace(
        b"/>", b' xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:href=" javascript:alert(1)"><rect/></a></svg>')),
                                 r"post\.md:\d+: ERROR: evil\.svg: the SVG holds a script URL in href= of <a>"),
    "image-name-pattern": Case("hugo", with_svg("```{image} d[v2].svg\n:alt: A\n```\n", "d[v2].svg"),
                               r"post\.md:\d+: ERROR: image file name 'd\[v2\]\.svg': kubernetes\.io's figure shortcode reads some characters as a pattern"),
    "figure-legend": Case("hugo", with_svg("```{figure} d.svg\n:alt: A\n\nThe caption.\n\nThe legend.\n```\n"),
                          r"post\.md:\d+: ERROR: a figure legend: kubernetes\.io's figure shortcode has one caption"),
    "code-language-markup": Case("hugo", add('```x"onmouseover="alert(1)\ncode\n```\n'),
                                 r"post\.md:\d+: ERROR: code language 'x\"onmouseover=\"alert\(1\)' is not a language name"),
    "alt-no-parameter-form": Case("hugo", with_svg("```{figure} d.svg\n:alt: the `C:` drive, C:\\\n```\n"),
                                  r"post\.md:\d+: ERROR: the alt of this figure holds a backtick and a backslash that no Hugo shortcode parameter can carry"),
    "glossary-term-in-a-caption": Case("hugo", with_svg("```{figure} d.svg\n:alt: A\n\nA {k8s-term}`Pod <pod>`.\n```\n"),
                                       r"post\.md:\d+: ERROR: a glossary term inside a caption"),
    "raw-latex": Case("hugo", add("```{raw} latex\n\\newpage\n```\n"),
                      r"post\.md:\d+: ERROR: raw LaTeX in a post: it would run as TeX in the reviewer PDF"),
    "cite-link-bang": Case("hugo", add("The {cite:link}`!SNP paper <amd2020snp>`.\n"),
                           r"post\.md:\d+: (ERROR|WARNING): cite:link words cannot start with '!'"),
    "cite-p-bang": Case("html", add("As shown {cite:p}`!amd2020snp`.\n"),
                        r"post\.md:\d+: (ERROR|WARNING): a citation's keys cannot start with '!'"),
    "cite-t-bang": Case("hugo", add("As {cite:t}`!amd2020snp` shows.\n"),
                        r"post\.md:\d+: (ERROR|WARNING): a citation's keys cannot start with '!'"),
    "cite-bang": Case("hugo", add("As shown {cite}`!amd2020snp`.\n"),
                      r"post\.md:\d+: (ERROR|WARNING): a citation's keys cannot start with '!'"),
    "bib-url-runs-script": Case("hugo", both(edit("url = {https://www.amd.com/snp.pdf}", "url = {javascript:alert(1)}", "../bibliography.bib"),
                                             edit("", 'suppress_warnings = ["bibtex.bibcheck"]\n', "conf.py"),
                                             add("The {cite:link}`SNP paper <amd2020snp>`.\n")),
                                r"post\.md:\d+: ERROR: a link to 'javascript:alert\(1\)': a post links with http\(s\) or mailto only"),
}


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project built once with html and hugo: the outputs each case must keep."""
    root = tmp_path_factory.mktemp("good")
    src = make_project(root, BODY)
    for target in ("html", "hugo"):
        out = build(src, target)
        assert out.status == 0, out.output
    return root


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_gives_a_clear_error_and_keeps_outputs(good: Path, tmp_path: Path, name: str):
    case = CASES[name]
    shutil.copytree(good, tmp_path / "p", symlinks=True)
    src, outputs = tmp_path / "p" / "source", tmp_path / "p" / "_build"
    before = snapshot(outputs)
    assert before, "the good build wrote nothing"
    case.change(src)
    out = build(src, case.target)
    assert out.status != 0, out.output
    assert re.search(case.expected, out.output), out.output
    assert "Traceback" not in out.output and "Versions\n========" not in out.output
    assert snapshot(outputs) == before


def test_remote_image_is_refused_without_touching_the_network(tmp_path: Path):
    """Sphinx downloads remote images for a builder that cannot show them; the hugo builder refuses them unread."""
    contacts: list[str] = []
    listening = True

    def listen(event: str, args: tuple[object, ...]) -> None:
        if listening and event in NETWORK:
            contacts.append(f"{event}{args}")

    sys.addaudithook(listen)
    try:
        out = build(make_project(tmp_path, "![A picture](https://example.com/pic.png)\n"), "hugo")
    finally:
        listening = False  # an audit hook stays for the process: it just stops listening
    assert out.status != 0 and "remote and inline (data:) images do not belong in a post" in out.output, out.output
    assert contacts == []


def test_a_failing_post_keeps_its_earlier_export_and_the_others_are_written(tmp_path: Path):
    """Two posts; the second fails: the first is exported with its change, the second keeps its earlier export."""
    src = make_project(tmp_path, BODY)
    second = front_matter("zz-second-post")
    (src / "zz.md").write_text(second + "\nFine so far.\n")
    assert build(src, "hugo").status == 0
    before = snapshot(tmp_path / "_build")
    assert len([k for k in before if k.endswith(".md")]) == 2
    (src / "post.md").write_text((src / "post.md").read_text() + "\nA changed ending.\n")
    (src / "zz.md").write_text(second + "\nFine so far.\n\n```{math}\nx\n```\n")
    out = build(src, "hugo")
    assert out.status == 2 and "does not handle <math_block>" in out.output
    assert "hugo export: zz-second-post failed (see above) and kept its earlier export" in out.output
    after = snapshot(tmp_path / "_build")
    changed = sorted(k for k in after if after[k] != before.get(k))
    assert changed == ["hugo/content/en/blog/_posts/2026/test-post.md"], changed
    assert "A changed ending." in build_output(tmp_path, "test-post").read_text()
    assert not [p for p in (tmp_path / "_build").rglob(".staging-*")]


def build_output(root: Path, slug: str) -> Path:
    return root / "_build" / "hugo" / "content" / "en" / "blog" / "_posts" / "2026" / f"{slug}.md"


def test_hugo_error_during_verification_shows_hugos_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    """Raw HTML passes the exporter (its warning silenced); Hugo then fails on it."""
    src = make_project(tmp_path, BODY + "\n<div>{{< nosuchshortcode >}}</div>\n",
                       conf='suppress_warnings = ["hugo.raw"]\n')
    assert run_checks(src, tmp_path / "_build") == 1
    out = capsys.readouterr().out
    assert re.search(r"hugo: .*test-post\.md:\d+:\d+.*shortcode \"nosuchshortcode\" not found", out), out
    assert "hugo failed" in out.splitlines()[-1]


def test_every_open_todo_of_every_post_is_listed(tmp_path: Path):
    src = make_project(tmp_path, BODY + "\n```{todo}\nFirst.\n```\n\n```{todo}\nSecond.\n```\n")
    (src / "zz.md").write_text(front_matter("other-post") + "\nText.\n\n```{todo}\nThird.\n```\n")
    out = build(src, "hugo")
    assert out.status != 0
    assert re.findall(r"(post|zz)\.md:\d+: ERROR: open editorial TODO: (\w+)\.", out.output) == [
        ("post", "First"), ("post", "Second"), ("zz", "Third")]
