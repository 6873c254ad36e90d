"""Property-based tests: generated MyST through the exporter and real Hugo.

``test_specials_come_out_literally`` sends text full of Markdown and Hugo
specials through prose, inline code and code blocks and asserts the page
shows it as written. ``test_generated_documents_keep_every_text_run`` builds
documents from a small grammar (nested lists, code, tables, inline markup,
citations, footnotes) and asserts export plus Hugo never fail and keep every
text run. CI runs them derandomized with few examples; ``make fuzz`` sets
FUZZ_EXAMPLES for a longer run.
"""

from __future__ import annotations

import os
import re
import string
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from helpers import HugoSite, build, make_project

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize="FUZZ_EXAMPLES" not in os.environ,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    # Each example is a Sphinx build and a Hugo render; shrinking only pays
    # off in the long make fuzz run.
    phases=list(Phase) if "FUZZ_EXAMPLES" in os.environ else [Phase.explicit, Phase.reuse, Phase.generate],
)
TOKENS = [
    "{{<", "{{%", ">}}", "%}}", "{{< note >}}", "{{</* x */>}}", "*", "**", "_", "__", "`", "[", "]", "(", ")",
    "<", ">", "<b>", "&amp;", "&", "#", "|", "~", "~~", "\\", "!", "-", "+", "=", ":", ".", "1.", "2)",
    "{", "}", "%", '"', "'", "$", "^", "word", "Kubernetes", "é", "—", " ",
]
SAFE_FIRST = [t for t in TOKENS if t.strip() and t[0] not in "-+=:#>|~*_0123456789!\\"]


def myst_escape(text: str) -> str:
    """MyST source whose parsed text is exactly *text* (backslash-escape all punctuation)."""
    return "".join("\\" + c if c in string.punctuation else c for c in text)


def squash(text: str) -> str:
    return " ".join(text.split())


def export_and_render(body: str) -> tuple[str, Any]:
    """The exported Markdown and Hugo's page body for a MyST *body*."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        src = make_project(root, body)
        out = build(src, "hugo")
        assert out.status == 0, out.output
        site = HugoSite(root / "site")
        site.add_export(out.root / "hugo")
        run = site.render()
        assert run.ok, run.output + "\n" + out.post().read_text()
        return out.post().read_text(), site.soup().select_one("div.post-body")


words = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=12).map("".join)
prose = st.tuples(st.sampled_from(SAFE_FIRST), words).map("".join).map(str.strip).filter(bool)
code_text = words.map(lambda s: s.replace("`", "'").strip()).filter(bool)


@FUZZ
@given(paragraphs=st.lists(prose, min_size=1, max_size=4), code=code_text,
       block=st.lists(code_text, min_size=1, max_size=3))
# Found by make fuzz: "{{" before our own "</code>" made a closing shortcode;
# a backslash before "</code>" escaped its "<" inside raw inline HTML.
@example(paragraphs=["'{{<{{<{{<\\", "{{<{{<"], code="é{{<-", block=["{{<{{<{{<", "{{<{{"])
@example(paragraphs=["{{<{{<"], code="{{<\\", block=["{{<"])
def test_specials_come_out_literally(paragraphs: list[str], code: str, block: list[str]):
    body = "\n\n".join(myst_escape(p) for p in paragraphs)
    body += f"\n\nCode: `` {code} `` end.\n\n```text\n" + "\n".join(block) + "\n```\n"
    markdown, page = export_and_render(body)
    shown = [squash(p.get_text()) for p in page.find_all("p")]
    for paragraph in paragraphs:
        assert squash(paragraph) in shown, (paragraph, markdown)
    assert any(c.get_text() == code for c in page.find_all("code") if c.parent.name == "p"), markdown
    assert page.find("pre").get_text().rstrip("\n") == "\n".join(block), markdown


# -- a small grammar of MyST documents ------------------------------------------
run_text = st.lists(st.sampled_from(["alpha", "beta", "gamma", "#", "*", "<x>", "{{<", "%}}", "|", "[a]", "&amp;",
                                    "1."]),
                    min_size=1, max_size=5).map(" ".join)
plain_run = st.tuples(st.sampled_from(["alpha", "beta", "delta"]), run_text).map(" ".join)


@st.composite
def inline(draw) -> tuple[str, list[str]]:
    """MyST inline markup and the text runs it must show."""
    kind = draw(st.sampled_from(["plain", "emphasis", "strong", "code", "cite", "footnote"]))
    text = draw(plain_run)
    if kind == "plain":
        return myst_escape(text), [text]
    if kind == "emphasis":
        return f"*{myst_escape(text)}*", [text]
    if kind == "strong":
        return f"**{myst_escape(text)}**", [text]
    if kind == "code":
        return f"`{text}`", [text]
    if kind == "cite":
        return f"{myst_escape(text)} {{cite:link}}`the paper <kaplan2016sev>`", [text, "the paper"]
    return f"{myst_escape(text)}[^n{draw(st.integers(0, 3))}]", [text]


@st.composite
def paragraph(draw) -> tuple[str, list[str]]:
    parts = draw(st.lists(inline(), min_size=1, max_size=3))
    return "alpha " + " ".join(p for p, _ in parts), [r for _, runs in parts for r in runs]


@st.composite
def bullet_list(draw, depth: int = 0) -> tuple[str, list[str]]:
    items, runs = [], []
    for _ in range(draw(st.integers(1, 3))):
        text, item_runs = draw(paragraph())
        items.append("- " + text)
        runs += item_runs
        if depth < 2 and draw(st.booleans()):
            nested, nested_runs = draw(bullet_list(depth + 1))
            items.append("\n".join("  " + line for line in nested.splitlines()))
            runs += nested_runs
    return "\n".join(items), runs


@st.composite
def table(draw) -> tuple[str, list[str]]:
    cells = draw(st.lists(plain_run, min_size=4, max_size=4))
    row = lambda a, b: f"| {myst_escape(a)} | {myst_escape(b)} |"  # noqa: E731  (\| escapes a pipe in a cell)
    return "\n".join([row(cells[0], cells[1]), "|---|---|", row(cells[2], cells[3])]), cells


@st.composite
def code_block(draw) -> tuple[str, list[str]]:
    lines = draw(st.lists(run_text, min_size=1, max_size=3))
    return "```yaml\n" + "\n".join(lines) + "\n```", lines


@st.composite
def document(draw) -> tuple[str, list[str]]:
    blocks = draw(st.lists(st.one_of(paragraph(), bullet_list(), table(), code_block()), min_size=1, max_size=5))
    body = "\n\n".join(b for b, _ in blocks)
    notes = sorted(set(re.findall(r"\[\^(n\d)\]", body)))
    body += "".join(f"\n\n[^{n}]: Note {n} text." for n in notes)
    return body, [r for _, runs in blocks for r in runs] + [f"Note {n} text." for n in notes]


@FUZZ
@given(doc=document())
def test_generated_documents_keep_every_text_run(doc: tuple[str, list[str]]):
    body, runs = doc
    markdown, page = export_and_render(body)
    # Highlighted code splits tokens into spans: compare without whitespace.
    text = re.sub(r"\s+", "", page.get_text())
    for run in runs:
        assert re.sub(r"\s+", "", run) in text, (run, markdown)
