# mypy: disable-error-code="union-attr"
# (bs4 returns Optional elements: a missing one fails the test as an AttributeError.)
"""Property-based tests: generated MyST through the exporter and real Hugo, many posts per run.

``test_every_channel_is_literal`` writes generated strings full of Markdown,
HTML and Hugo specials (``{{<``, ``"``, a final ``\\``, ``|``, ``$1``,
``&amp;``) into every place a post's text can land (prose, headings, link text,
titles and destinations, bibliography URLs and DOIs, code, table cells and
captions, figure alt, title and caption, glossary text, footnote labels, code
languages) and asserts that the rendered page's element for each shows exactly
the string. ``test_generated_documents_keep_every_text_run`` builds documents
from a small grammar (nested lists, code, tables, inline markup, citations,
footnotes) and asserts export plus Hugo keep every text run. Each example is
a batch of posts in one project: one Sphinx build, one Hugo render. CI runs
them derandomized with few examples; ``make fuzz`` sets FUZZ_EXAMPLES for a
longer run.
"""

from __future__ import annotations

import os
import re
import string
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pybtex.database
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from helpers import BIB, HugoSite, build, front_matter, make_project, post_text, template_url, text

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2"))
BATCH = 6  # posts per project: one Sphinx build and one Hugo render for all of them
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize="FUZZ_EXAMPLES" not in os.environ,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    # Each example is a Sphinx build and a Hugo render; shrinking only pays
    # off in the long make fuzz run.
    phases=list(Phase) if "FUZZ_EXAMPLES" in os.environ else [Phase.explicit, Phase.reuse, Phase.generate],
)
TOKENS = [
    "{{<", "{{%", ">}}", "%}}", "{{< note >}}", "{{</* x */>}}", "*", "**", "_", "__", "`", "[", "]", "(", ")",
    "<", ">", "<b>", "&amp;", "&", "#", "|", "~", "~~", "\\", "!", "-", "+", "=", ":", ".", "1.", "2)",
    "{", "}", "{#id}", "%", '"', "'", "$", "$1", "^", "word", "Kubernetes", "é", "—", " ",
]
#: The characters a link destination keeps (the exporter's and Goldmark's set).
URL_SAFE = "-._~:/?#@!$&'()*+,;=%"
PIC = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'


def myst_escape(value: str) -> str:
    """MyST source whose parsed text is exactly *value* (backslash-escape all punctuation)."""
    return "".join("\\" + c if c in string.punctuation else c for c in value)


def squash(value: str) -> str:
    return " ".join(value.split())


def export_and_render(posts: list[str], *, conf: str = "", bib: str = BIB,
                      files: dict[str, bytes] | None = None) -> list[tuple[str, Any]]:
    """The exported Markdown and Hugo's page body of each MyST body in *posts*, built as one project."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        src = make_project(root, conf=conf, bib=bib, files=files)
        for i, body in enumerate(posts):
            (src / f"p{i}").mkdir()
            text = post_text(body, front=front_matter(f"p{i}"))  # each with its own list of works
            (src / f"p{i}" / "index.md").write_text(text, "utf-8")
            for name, data in (files or {}).items():
                (src / f"p{i}" / name).write_bytes(data)
        out = build(src, "hugo")
        assert out.status == 0, out.output
        site = HugoSite(root / "site")
        site.add_export(out.root / "hugo")
        run = site.render()
        assert run.ok, run.output
        return [(out.post(f"p{i}").read_text(), site.soup(f"p{i}").select_one("div.post-body"))
                for i in range(len(posts))]


# -- every channel ----------------------------------------------------------------
def tokens(alphabet: list[str]) -> st.SearchStrategy[str]:
    """Text joined from *alphabet*, as Markdown and HTML would trim it."""
    return st.lists(st.sampled_from(alphabet), min_size=1, max_size=8).map("".join).map(squash).filter(bool)


def carried(value: str) -> bool:
    """Whether a Hugo shortcode parameter can hold *value* as it is: a quoted one
    reads ``\\"`` (and then drops every backslash) and refuses ``\\```; a raw one
    ends at a backtick. (The export refuses the rest: see test_bad_input.)"""
    return "`" not in value or "\\" not in value or not ('"' in value or value.endswith("\\") or "\\`" in value)


def titled(value: str) -> bool:
    """Whether a link title can be written as it is, as kubernetes.io's link hook shows it: between
    delimiters it lacks, not ending in the closing one's escape, with no shortcode opening. (The export
    refuses the rest: see test_export_nodes.)"""
    delimited = '"' not in value or "'" not in value or not set(value) & set("()")
    return delimited and not value.endswith("\\") and "{{<" not in value and "{{%" not in value


inline_text = tokens(TOKENS)
plain_text = inline_text.filter(carried)  # shown by the site as it is, from a shortcode parameter
code_text = tokens([t for t in TOKENS if "`" not in t])  # a code span holds no backtick here
cell_code = tokens([t for t in TOKENS if "`" not in t and "\\" not in t])
#: Role text, {k8s-term}'s and {cite:link}'s own escaping aside (and a leading "!": Sphinx's "no link").
role_text = tokens([t for t in TOKENS if not set(t) & set("`<>\\")]).filter(lambda v: not v.startswith("!"))
url_path = tokens([t for t in TOKENS if not set(t) & set("`\\{}") or t in ("{{< note >}}",)])
language = st.from_regex(r"[A-Za-z][A-Za-z0-9_+#.-]{0,8}", fullmatch=True)
label = st.from_regex(r"[A-Za-z0-9{}<>%_-]{1,8}", fullmatch=True)


@dataclass
class Channels:
    """One post's generated strings, one per place text can land."""

    prose: str
    heading: str
    link_text: str
    title: str
    cite_words: str
    url: str  #: the path of the bibliography entry's url (or its doi, with the DOI flag)
    doi: bool
    code: str
    alt: str
    image_title: str
    caption: str
    table_caption: str
    cell: str
    cell_code: str
    glossary: str
    label: str
    language: str
    block: str
    callout: str  #: text and code in a callout, whose inner content Hugo reads twice

    def body(self, key: str) -> str:
        return "\n\n".join([
            myst_escape(self.prose),
            f"## {myst_escape(self.heading)}",
            f'See [{myst_escape(self.link_text)}](https://example.com/page "{myst_escape(self.title)}") and '
            f"{{cite:link}}`{self.cite_words} <{key}>`.",
            f"Code: `{self.code}` ends.",
            f'![{myst_escape(self.alt)}](pic.svg "{myst_escape(self.image_title)}")',
            f"```{{figure}} pic.svg\n:alt: Figure\n\n{myst_escape(self.caption)}\n```",
            f":::{{table}} {myst_escape(self.table_caption)}\n| Text | Code |\n|---|---|\n"
            f"| {myst_escape(self.cell)} | `{self.cell_code.replace('|', chr(92) + '|')}` |\n:::",
            f"A {{k8s-term}}`{self.glossary} <pod>` and a note[^{self.label}].",
            f"```{self.language}\n{self.block}\n```",
            f"```{{note}}\n{myst_escape(self.callout)} `{self.callout}`\n```",
            f"[^{self.label}]: The note of {key}.",
        ])

    def bib_entry(self, key: str) -> str:
        field, value = ("doi", self.url) if self.doi else ("url", f"https://example.com/{self.url}")
        return f"@misc{{{key},\n  title = {{Work {key}}},\n  year = {{2020}},\n  {field} = {{{value}}}\n}}\n"


channels = st.builds(
    Channels, prose=inline_text, heading=inline_text, link_text=inline_text, title=inline_text.filter(titled),
    cite_words=role_text, url=url_path, doi=st.booleans(), code=code_text, alt=plain_text,
    image_title=plain_text, caption=inline_text, table_caption=inline_text, cell=inline_text, cell_code=cell_code,
    glossary=role_text, label=label, language=language, block=code_text, callout=code_text,
)
TRICKY = Channels(
    prose="'{{<{{<{{<\\\n- not a list\n1. nor this", heading="Setup {#id}", link_text="{{< note >}}",
    title='a "b" \\ (c)', cite_words='"quoted"', url='x"{{< note >}}|<y>', doi=False, code="{{<\\",
    alt="C:\\Temp\\", image_title='"$1" \\', caption='a "b"\nnext \\', table_caption="Costs in $1 <b> &amp; {{<",
    cell="a|b", cell_code="x | y", glossary='say "pod"', label="{{<n>}}", language="c#",
    block="{{< note >}}\n{{<", callout="{{< note >}} {{</* x */>}}",
)


@FUZZ
@given(batch=st.lists(channels, min_size=BATCH, max_size=BATCH))
@example(batch=[TRICKY])
def test_every_channel_is_literal(batch: list[Channels]):
    keys = [f"fuzz{i}" for i in range(len(batch))]
    bib = "".join(c.bib_entry(k) for c, k in zip(batch, keys, strict=True))
    works = pybtex.database.parse_string(bib, "bibtex").entries
    pages = export_and_render([c.body(k) for c, k in zip(batch, keys, strict=True)], bib=bib,
                              conf='suppress_warnings = ["bibtex.bibcheck"]\n', files={"pic.svg": PIC})
    for c, key, (markdown, page) in zip(batch, keys, pages, strict=True):
        paragraphs, figures, table = page.find_all("p"), page.find_all("figure"), page.find("table")
        link, cited = paragraphs[1].find_all("a")
        cells, pre, callout = table.find_all("td"), page.find("pre"), page.select_one("div.alert-info")
        shown = {
            "prose": text(paragraphs[0]), "heading": text(page.find("h2")), "link_text": text(link),
            "title": link["title"], "cite_words": text(cited), "code": paragraphs[2].code.get_text(),
            "alt": figures[0].img["alt"], "image_title": text(figures[0].h4), "caption": text(figures[1].figcaption),
            "table_caption": text(table.caption), "cell": text(cells[0]), "cell_code": cells[1].code.get_text(),
            "glossary": text(page.select_one("a.glossary-tooltip")),
            "language": pre.code["class"][0].removeprefix("language-"), "block": pre.get_text().rstrip("\n"),
            "callout": callout.code.get_text(),
        }
        callout.h4.decompose()  # the callout's own heading
        assert text(callout).startswith(squash(c.callout)), (c.callout, text(callout), markdown)
        for channel, value in shown.items():
            written = getattr(c, channel)
            expected = written if channel in ("code", "block", "cell_code") else squash(written)  # code keeps spaces
            assert value == expected, (channel, written, value, markdown)
        field = works[key].fields["doi" if c.doi else "url"]
        url = ("https://doi.org/" if c.doi else "") + field
        # percent-encoded as Goldmark would, then normalized by html/template in the site's link hook
        expected_url = template_url(quote(re.sub(r"%(?![0-9A-Fa-f]{2})", "%25", url), safe=URL_SAFE))
        assert cited["href"] == expected_url, (field, cited["href"], markdown)
        assert link["href"] == "https://example.com/page" and link["target"] == "_blank", markdown
        note = page.select_one(page.find("sup").a["href"].replace(":", "\\:"))
        assert text(note).startswith(f"The note of {key}."), markdown


# -- a small grammar of MyST documents ------------------------------------------
run_text = st.lists(st.sampled_from(["alpha", "beta", "gamma", "#", "*", "<x>", "{{<", "%}}", "|", "[a]", "&amp;",
                                    "1."]),
                    min_size=1, max_size=5).map(" ".join)
plain_run = st.tuples(st.sampled_from(["alpha", "beta", "delta"]), run_text).map(" ".join)


@st.composite
def inline(draw) -> tuple[str, list[str]]:
    """MyST inline markup and the text runs it must show."""
    kind = draw(st.sampled_from(["plain", "emphasis", "strong", "code", "cite", "footnote"]))
    run = draw(plain_run)
    if kind == "plain":
        return myst_escape(run), [run]
    if kind == "emphasis":
        return f"*{myst_escape(run)}*", [run]
    if kind == "strong":
        return f"**{myst_escape(run)}**", [run]
    if kind == "code":
        return f"`{run}`", [run]
    if kind == "cite":
        return f"{myst_escape(run)} {{cite:link}}`the paper <kaplan2016sev>`", [run, "the paper"]
    return f"{myst_escape(run)}[^n{draw(st.integers(0, 3))}]", [run]


@st.composite
def paragraph(draw) -> tuple[str, list[str]]:
    parts = draw(st.lists(inline(), min_size=1, max_size=3))
    return "alpha " + " ".join(p for p, _ in parts), [r for _, runs in parts for r in runs]


@st.composite
def bullet_list(draw, depth: int = 0) -> tuple[str, list[str]]:
    items, runs = [], []
    for _ in range(draw(st.integers(1, 3))):
        item, item_runs = draw(paragraph())
        items.append("- " + item)
        runs += item_runs
        if depth < 2 and draw(st.booleans()):
            nested, nested_runs = draw(bullet_list(depth + 1))
            items.append("\n".join("  " + line for line in nested.splitlines()))
            runs += nested_runs
    return "\n".join(items), runs


@st.composite
def table(draw) -> tuple[str, list[str]]:
    cells = draw(st.lists(plain_run, min_size=4, max_size=4))
    code = draw(plain_run)
    row = lambda a, b: f"| {myst_escape(a)} | {myst_escape(b)} |"  # noqa: E731  (\| escapes a pipe in a cell)
    code_row = f"| `{code.replace('|', chr(92) + '|')}` | x |"  # a pipe in code in a cell: \| in MyST and GFM
    return "\n".join([row(cells[0], cells[1]), "|---|---|", row(cells[2], cells[3]), code_row]), [*cells, code]


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
@given(docs=st.lists(document(), min_size=BATCH, max_size=BATCH))
def test_generated_documents_keep_every_text_run(docs: list[tuple[str, list[str]]]):
    pages = export_and_render([body for body, _ in docs])
    for (_, runs), (markdown, page) in zip(docs, pages, strict=True):
        # Highlighted code splits tokens into spans: compare without whitespace.
        shown = re.sub(r"\s+", "", page.get_text())
        for run in runs:
            assert re.sub(r"\s+", "", run) in shown, (run, markdown)
