"""A post is data: the security report's problems (``adversarial-3.md``, F1 to F19), one test each.

A post reaches the pipeline from a contributor's branch and is built by a
maintainer or CI who reads the rendered page and the PDF, not every byte.
Nothing in it may run (templates, shell, TeX), read a file outside the
project, or put script on a page a reviewer opens. Each test builds a hostile
post with the real toolchain and checks that it is refused at its line, or
shown literally, and that what it asked for did not happen.

F8 (linkify cutting links short) and F15 (the preview's Hugo server left
running) are tested with the stand-in site and the preview
(``test_fuzz.py``, ``test_preview.py``).
"""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers import EPOCH, FRONT_MATTER, Build, HugoSite, build, captured, front_matter, git, make, make_project
from hugo_export.pdf.diff import make_diff
from hugo_export.qa.check import run_checks

SECRET = "TOPSECRET-7f3a"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'


def outside(root: Path) -> Path:
    """A file beside the project, which no post may read."""
    path = root / "secret.txt"
    path.write_text(f"{SECRET}\nroot:x:0:0:root:/root:/bin/bash\n", "utf-8")
    return path


def leaked(build_dir: Path) -> list[str]:
    """Output files that hold the secret (doctrees and the environment excluded)."""
    return sorted(str(p) for p in build_dir.rglob("*") if p.is_file() and ".doctrees" not in p.parts
                  and SECRET.encode() in p.read_bytes())


def line_of(src: Path, needle: str, name: str = "post.md") -> int:
    return next(i for i, text in enumerate((src / name).read_text("utf-8").split("\n"), 1) if needle in text)


def refused(out_text: str) -> None:
    assert "Traceback" not in out_text and "Versions\n========" not in out_text and "report this" not in out_text


# F1: a post ran shell commands through MyST's Jinja2 substitutions, switched on in its front matter.

TEMPLATING = FRONT_MATTER.replace("\n---\n", "\nmyst:\n  enable_extensions: [substitution]\n---\n", 1)


def runs(marker: Path) -> str:
    """A substitution that would create *marker* if MyST rendered it."""
    return f"Hello {{{{ cycler.__init__.__globals__.os.popen('touch {marker}').read() }}}}."


@pytest.mark.parametrize("target", ["html", "hugo", "latex", "check"])
def test_f1_a_front_matter_key_cannot_switch_on_templates(tmp_path: Path, target: str):
    marker = tmp_path / "ran"
    src = make_project(tmp_path, runs(marker), front=TEMPLATING, bibliography=False)
    if target == "check":
        with captured() as shown:
            status = run_checks(src, tmp_path / "_build")
        out = Build(status, shown.getvalue(), tmp_path / "_build")
    else:
        out = build(src, target)
    assert out.status != 0 and not marker.exists(), out.output
    assert re.search(r"post\.md:9: front matter key 'myst' would configure how the post is read", out.output)
    refused(out.output)


def test_f1_substitutions_and_html_meta_keys_are_refused_too(tmp_path: Path):
    front = FRONT_MATTER.replace("\n---\n", "\nsubstitutions:\n  x: y\nhtml_meta:\n  refresh: 0\n---\n", 1)
    out = build(make_project(tmp_path, "Text.", front=front, bibliography=False), "hugo")
    assert out.status == 2 and "post.md:9: front matter key 'substitutions'" in out.output, out.output


def test_f1_plain_sphinx_build_never_sees_the_key_either(tmp_path: Path):
    """sphinx-build itself, without -W: the key is reported, and MyST never reads it."""
    marker = tmp_path / "ran"
    src = make_project(tmp_path, runs(marker), front=TEMPLATING, bibliography=False)
    run = subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "html", str(src), str(tmp_path / "out")],
                         capture_output=True, text=True)
    assert "front matter key 'myst'" in run.stderr, run.stderr
    assert not marker.exists()
    assert "{{ cycler" in (tmp_path / "out" / "post.html").read_text("utf-8")  # shown as written


@pytest.mark.slow  # XeLaTeX
def test_f1_pdf_diff_builds_no_template_from_history(tmp_path: Path):
    marker = tmp_path / "ran"
    src = make_project(tmp_path, runs(marker), front=TEMPLATING, bibliography=False)
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "hostile")
    (src / "post.md").write_text(FRONT_MATTER + "\nHello world.\n", "utf-8")
    git(tmp_path, "commit", "-qam", "clean")
    with captured(SOURCE_DATE_EPOCH=EPOCH) as out:
        status = make_diff(src, tmp_path / "_build", "HEAD~1")
    assert status != 0 and not marker.exists(), out.getvalue()
    assert "front matter key 'myst'" in out.getvalue()
    refused(out.getvalue())


# F2 to F4: directives, options, roles and links that read files outside source/.

READS = {
    "csv-table-file": "```{csv-table} Users\n:file: ../secret.txt\n:delim: :\n```\n",
    "csv-table-url": "```{csv-table} Users\n:url: http://127.0.0.1:9/x.csv\n```\n",
    "literalinclude-diff": "```{literalinclude} inc.txt\n:diff: ../secret.txt\n```\n",
    "rst-include-literal": "```{eval-rst}\n.. include:: ../secret.txt\n   :literal:\n```\n",
    "rst-include-code": "```{eval-rst}\n.. include:: ../secret.txt\n   :code: text\n```\n",
    "rst-include-parser": "```{eval-rst}\n.. include:: inc.txt\n   :parser: myst_parser.sphinx_\n```\n",
    "rst-include-standard": "```{eval-rst}\n.. include:: <../../../../../../../../etc/hostname>\n```\n",
    "rst-csv-table-file": "```{eval-rst}\n.. csv-table:: Users\n   :file: ../secret.txt\n```\n",
    "raw-html-file": "```{raw} html\n:file: ../secret.txt\n```\n",
    "raw-html-url": "```{raw} html\n:url: http://127.0.0.1:9/x.html\n```\n",
    "myst-include-symlink": "```{include} link.txt\n```\n",
    "download": "Get {download}`it <../secret.txt>`.\n",
    "image-symlink": "![A picture](leak.png)\n",
}


@pytest.mark.parametrize("target", ["html", "hugo", "latex"])
@pytest.mark.parametrize("case", sorted(READS))
def test_f2_to_f4_no_output_reads_a_file_outside_the_sources(tmp_path: Path, case: str, target: str):
    secret = outside(tmp_path)
    src = make_project(tmp_path, "Opening text.\n\n" + READS[case], bibliography=False,
                       files={"inc.txt": b"inside\n"})
    (src / "link.txt").symlink_to(secret)
    (src / "leak.png").symlink_to(secret)
    out = build(src, target)
    assert out.status != 0, out.output
    assert re.search(rf"post\.md:{line_of(src, READS[case].split(chr(10))[1 if case.startswith('rst') else 0])}: "
                     r"ERROR: .*(outside the source directory|from the network|:parser:)", out.output), out.output
    assert leaked(tmp_path / "_build") == []
    refused(out.output)


@pytest.mark.parametrize("target", ["latex", "hugo", "html"])
def test_f3_raw_latex_is_refused_at_its_line(tmp_path: Path, target: str):
    """Raw LaTeX would be TeX in the reviewer PDF: it read files outside the project (F3), wrote files and
    fed latexmk's rules (a review of this change ran a command through Sphinx's latexmkrc)."""
    secret = outside(tmp_path)
    body = (f"Opening text.\n\n```{{raw}} latex\n\\openin5={secret} \\read5 to\\x "
            "\\texttt{\\detokenize\\expandafter{\\x}}\n```\n")
    out = build(make_project(tmp_path, body, bibliography=False), target)
    assert out.status == 2
    assert "post.md:13: ERROR: raw LaTeX in a post: it would run as TeX in the reviewer PDF" in out.output, out.output
    assert leaked(tmp_path / "_build") == []


@pytest.mark.slow  # XeLaTeX
def test_f3_tex_runs_with_kpathseas_paranoid_settings_and_no_rc_file(tmp_path: Path):
    """Should TeX ever meet a primitive from a post, it reads and writes nothing outside its folder and
    runs nothing: the settings the PDF job runs latexmk with, tried on TeX itself."""
    from hugo_export.pdf.latexmk import LATEXMK, TEX_ENV, TEX_UNSET

    secret, written = outside(tmp_path), tmp_path / "written.txt"
    (tmp_path / "t.tex").write_text(
        "\\documentclass{article}\\begin{document}\n"
        f"\\newread\\r\\openin\\r={secret} \\ifeof\\r\\else\\read\\r to\\x\\typeout{{GOT:\\x}}\\fi\n"
        f"\\newwrite\\w\\immediate\\openout\\w={written}\\immediate\\write\\w{{x}}\\immediate\\closeout\\w\n"
        "\\immediate\\write18{touch ran}\n\\end{document}\n")
    env = {**{k: v for k, v in os.environ.items() if k not in TEX_UNSET}, **TEX_ENV, "TEXMFOUTPUT": "/"}
    env = {k: v for k, v in env.items() if k not in TEX_UNSET}
    subprocess.run([*LATEXMK, "t.tex"], cwd=tmp_path, env=env, capture_output=True)
    assert "-norc" in LATEXMK and "TEXMFOUTPUT" in TEX_UNSET
    assert not written.exists() and not (tmp_path / "ran").exists()
    log = (tmp_path / "t.log").read_text(errors="replace")
    assert "I can't write on file" in log and SECRET not in log


# F5 and F11: the preview a reviewer opens runs no script and shows the title as the page does.

@pytest.mark.parametrize("html", ["Text <script>alert(1)</script> end.", "<img src=x onerror=alert(1)>",
                                  "```{raw} html\n<a href='javascript:alert(1)'>x</a>\n```"])
def test_f5_raw_html_that_runs_script_is_refused_in_the_preview(tmp_path: Path, html: str):
    src = make_project(tmp_path, "Opening text.\n\n" + html + "\n", bibliography=False)
    out = build(src, "html")
    assert out.status != 0, out.output
    assert re.search(r"post\.md:13: ERROR: raw HTML with .* runs script in a reader's browser", out.output)
    assert not (tmp_path / "_build" / "html" / "post.html").exists()


def test_f5_f11_the_title_is_text_in_the_preview_as_on_the_page(tmp_path: Path):
    title = "T <img src=x onerror=alert(1)> *Starred* `Code` &amp; [link](https://example.com)"
    src = make_project(tmp_path, "Opening text.", front=front_matter(title=title.replace('"', "")),
                       bibliography=False)
    assert build(src, "html").status == 0
    heading = BeautifulSoup((tmp_path / "_build" / "html" / "post.html").read_text("utf-8"), "html.parser").h1
    assert heading is not None and not heading.find(["img", "em", "code", "a"], href=False)
    assert heading.get_text().rstrip("¶") == title


# F6: an SVG figure whose <use> loads a document with script from a data: URL.

def test_f6_an_svg_use_with_a_data_url_holding_script_is_refused(tmp_path: Path):
    inner = b"<svg id='x' xmlns='http://www.w3.org/2000/svg'><image href='x' onerror='alert(1)'/></svg>"
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg"><use href="data:image/svg+xml;base64,'
           + base64.b64encode(inner) + b'#x"/></svg>')
    src = make_project(tmp_path, "Opening text.\n\n```{figure} pic.svg\n:alt: A\n```\n", bibliography=False,
                       files={"pic.svg": svg})
    out = build(src, "hugo")
    assert out.status != 0
    assert re.search(r"post\.md:13: ERROR: pic\.svg: the SVG holds a data: URL in href= of <use> whose document "
                     r"holds an event handler \(onerror=\) on <image>", out.output), out.output


# F7 and F19: a post whose file name holds a line break.

def test_f7_f19_a_file_name_with_a_line_break_is_named_not_skipped(tmp_path: Path):
    src = make_project(tmp_path, "Opening text.", bibliography=False)
    (src / "a\nb.md").write_text(front_matter("other-post") + "\nText.\n", "utf-8")
    out = build(src, "hugo")
    assert out.status != 0
    assert re.search(r"a\\nb\.md:1: the file name holds a line break", out.output), out.output


# F9: a shortcode call in a code span of a figure caption.

def test_f9_a_shortcode_in_a_caption_code_span_shows_as_written(tmp_path: Path):
    src = make_project(tmp_path, "Opening text.\n\n```{figure} pic.svg\n:alt: A\n\nRun `{{< note >}}` here.\n```\n",
                       bibliography=False, files={"pic.svg": SVG})
    out = build(src, "hugo")
    assert out.status == 0, out.output
    site = HugoSite(tmp_path / "site")
    site.add_export(tmp_path / "_build" / "hugo")
    assert site.render().ok
    caption = site.soup().find("figcaption")
    assert caption is not None and caption.code is not None and caption.code.get_text() == "{{< note >}}"


# F10 and F18: an included file's NUL bytes and noncharacters.

@pytest.mark.parametrize(("data", "what"), [(b"x\xef\xb7\x905\xef\xb7\x91y\n", "the noncharacter U+FDD0"),
                                            (b"x\x00y\n", "a NUL byte")])
def test_f10_f18_an_included_file_keeps_no_hidden_character(tmp_path: Path, data: bytes, what: str):
    src = make_project(tmp_path, "Opening text.\n\n```{include} inc.txt\n```\n", bibliography=False,
                       files={"inc.txt": data})
    out = build(src, "hugo")
    assert out.status != 0
    assert f"post.md:13: ERROR: the included inc.txt holds {what} at its line 1" in out.output, out.output


def test_f10_a_literal_include_keeps_no_noncharacter(tmp_path: Path):
    src = make_project(tmp_path, "Opening text.\n\n```{literalinclude} inc.txt\n```\n", bibliography=False,
                       files={"inc.txt": "x\ufdd05\ufdd1y\n".encode()})
    out = build(src, "hugo")
    assert out.status == 2 and "holds the noncharacter U+FDD0" in out.output, out.output


# F12: a {cite:link} whose words hold "<".

@pytest.mark.parametrize("target", ["html", "hugo"])
def test_f12_cite_link_words_with_an_angle_bracket_are_an_error_at_the_line(tmp_path: Path, target: str):
    src = make_project(tmp_path, "See {cite:link}`the <b> tag paper <kaplan2016sev>`.")
    out = build(src, target)
    assert out.status != 0
    assert "post.md:11: ERROR: cite:link words cannot hold a '<'" in out.output, out.output
    refused(out.output)


# F13: make pdf-diff on a revision whose sources hold an absolute symbolic link.

@pytest.mark.slow  # XeLaTeX
def test_f13_pdf_diff_refuses_an_absolute_link_in_history(tmp_path: Path):
    src = make_project(tmp_path, "Opening text.", bibliography=False)
    (src / "link").symlink_to("/etc/passwd")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "link")
    with captured(SOURCE_DATE_EPOCH=EPOCH) as out:
        status = make_diff(src, tmp_path / "_build", "HEAD")
    assert status == 2, out.getvalue()
    assert re.search(r"pdf-diff: at \w+, 'source/link' is a link to an absolute path", out.getvalue())
    refused(out.getvalue())


# F14: a full disk. Writing through a link to /dev/full fails as a full disk does (ENOSPC).

@pytest.mark.parametrize("target", ["html", "hugo"])
def test_f14_a_full_disk_is_one_line_and_the_output_is_kept(tmp_path: Path, target: str):
    src = make_project(tmp_path, "Opening text.", bibliography=False)
    assert build(src, target).status == 0
    before = sorted(p.name for p in (tmp_path / "_build" / target).rglob("*"))
    saved = tmp_path / "_build" / ".doctrees" / target / "environment.pickle"  # Sphinx writes it again
    saved.unlink()
    saved.symlink_to("/dev/full")
    (src / "post.md").write_text((src / "post.md").read_text("utf-8") + "\nMore.\n", "utf-8")
    out = build(src, target)
    assert out.status == 2
    assert re.search(rf"^{target}: .*No space left on device", out.output, re.M), out.output
    refused(out.output)
    assert sorted(p.name for p in (tmp_path / "_build" / target).rglob("*")) == before


# F16: two outside includes of files with the same name.

def test_f16_each_outside_include_is_reported_at_its_own_line(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "same.txt").write_text("x")
    (tmp_path / "same.txt").write_text("y")
    src = make_project(tmp_path, "Opening text.\n\n```{include} ../a/same.txt\n```\n\n```{include} ../same.txt\n```\n",
                       bibliography=False)
    out = build(src, "html")
    lines = re.findall(r"post\.md:(\d+): ERROR: \{include\} of '([^']+)'", out.output)
    assert lines == [("13", "../a/same.txt"), ("16", "../same.txt")], out.output


# F17: code Pygments cannot lex.

def test_f17_code_pygments_cannot_lex_builds_in_every_output(tmp_path: Path):
    src = make_project(tmp_path, "Opening text.\n\n```yaml\n{% for n in nodes %}\nname: {{ n }}\n{% endfor %}\n```\n",
                       bibliography=False)
    for target in ("html", "hugo", "latex"):
        out = build(src, target)
        assert out.status == 0, out.output


# The minor ones: a title make new wrote that every target refused; an option with a line break.

def test_make_new_refuses_a_title_every_target_would_refuse(tmp_path: Path):
    from hugo_export.new import new_post

    src = make_project(tmp_path)
    with captured() as out:
        status = new_post(src, "a-post", "Line\u2028Sep Title")
    assert status == 2 and "control characters" in out.getvalue() and not (src / "a-post").exists()


def test_an_option_with_a_line_break_is_refused_by_name(tmp_path: Path):
    run = make("hugo", tmp_path / "source", tmp_path / "_build", "POST=a\nb")
    assert run.returncode == 2 and "POST holds a line break; give it on one line" in run.stderr, run.stderr



# What a review of this change found (its findings 1, 4, 5, 7 and 8), each refused as the rest are.

@pytest.mark.parametrize("target", ["hugo", "html"])
def test_front_matter_of_any_document_configures_nothing_however_it_is_fenced(tmp_path: Path, target: str):
    """MyST reads front matter from any document, opened by a line starting with ---, closed by the first
    line starting with --- or ... or never: none of it reaches MyST."""
    marker = tmp_path / "ran"
    src = make_project(tmp_path, "Opening text.", bibliography=False)
    (src / "_notes.md").write_text(f"----\nmyst:\n  enable_extensions: [substitution]\n----\n\n{runs(marker)}\n")
    (src / "bundle").mkdir()
    (src / "bundle" / "notes.md").write_text(
        f"---\nmyst:\n  enable_extensions: [substitution]\nx: \"{runs(tmp_path / 'ran2')}\"\n")
    build(src, target)
    assert not marker.exists() and not (tmp_path / "ran2").exists()


def test_a_script_link_in_restructured_text_is_refused_in_the_preview(tmp_path: Path):
    body = ("Opening text.\n\n```{eval-rst}\nAn rST `link <javascript:alert(document.domain)>`_.\n\n"
            ".. image:: pic.svg\n   :target: javascript:alert(3)\n   :alt: pic\n```\n")
    src = make_project(tmp_path, body, bibliography=False, files={"pic.svg": SVG})
    out = build(src, "html")
    assert out.status == 2
    assert "post.md:14: ERROR: a link to 'javascript:alert(document.domain)': a post links with http(s)" in out.output
    assert "a link to 'javascript:alert(3)'" in out.output
    assert not (tmp_path / "_build" / "html" / "post.html").exists()


NOSCRIPT = '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>'


def test_noscript_hides_no_script_from_the_check(tmp_path: Path):
    src = make_project(tmp_path, f"Opening text.\n\n<div>\n{NOSCRIPT}\n</div>\n", bibliography=False)
    out = build(src, "html")
    assert out.status == 2 and "raw HTML with an event handler (onerror=) on <img>" in out.output, out.output
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg"><p/>'
           b'<noscript><!-- </noscript><img src="x" onerror="a()"> --></noscript></svg>')
    src = make_project(tmp_path / "svg", "Opening text.\n\n```{figure} pic.svg\n:alt: A\n```\n", bibliography=False,
                       files={"pic.svg": svg})
    out = build(src, "hugo")
    assert out.status == 2 and "pic.svg: the SVG holds an event handler (onerror=) on <img>" in out.output, out.output


def test_an_include_of_a_pipe_or_a_device_is_refused_before_it_is_read(tmp_path: Path):
    """MyST reads an included file before any event sees it: a pipe would hang the build, /dev/zero never
    end. Run in a process of its own, which a hang would not pass."""
    os.mkfifo(tmp_path / "fifo")
    body = ("Opening text.\n\n- ```{include} ../fifo\n  ```\n\n```{include} ../../../../../../../../../dev/zero\n"
            "```\n\n```{literalinclude} pipe\n```\n")
    src = make_project(tmp_path, body, bibliography=False)
    os.mkfifo(src / "pipe")
    run = subprocess.run([sys.executable, "-m", "hugo_export", "build", "hugo", "--source", str(src), "--build",
                          str(tmp_path / "_build")], capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    assert "post.md:13: ERROR: {include} of '../fifo' reads a file outside the source directory" in run.stderr
    assert "post.md:16: ERROR: {include} of '../../../../../../../../../dev/zero' reads a file outside" in run.stderr
    assert "post.md:19: ERROR: {literalinclude} of 'pipe' names no regular file" in run.stderr


def test_a_hidden_character_in_the_bibliography_is_refused_at_its_line(tmp_path: Path):
    from helpers import BIB

    src = make_project(tmp_path, "Opening {cite:p}`kaplan2016sev`.",
                       bib=BIB.replace("author = {Kaplan, David", "author = {Kaplan\ufdd042\ufdd1x, David"))
    out = build(src, "hugo")
    assert out.status == 2
    assert "bibliography.bib:3: ERROR: the file holds the character U+FDD0, which no text needs" in out.output
