"""Lint an exported post against kubernetes/website's blog conventions.

Each rule has an id, a severity and a message naming file and line; errors
fail the lint (exit 1), warnings are shown but pass. The post's Markdown is
tokenized with markdown-it-py (the parser myst-parser is built on); shortcode
calls, which Markdown does not know, are matched on the raw lines.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from ..glossary import glossary
from ..post import AUTHOR_RE, SLUG_RE, FrontMatterError, read_front_matter
from ..problems import Problem
from ..project import DEFAULT_SECTION
from ..scripting import html_runs, script_url

ERROR, WARNING = "error", "warning"
#: How a rule reports: ``add(line, rule, message)``.
Add = Callable[[int, str, str], None]

#: rule id -> (severity, what it checks)
RULES: dict[str, tuple[str, str]] = {
    "front-matter": (ERROR, "a YAML front matter block with layout, title, slug and author"),
    "review-form": (ERROR, "draft: true and no date while in review (publish form: a date, no draft)"),
    "title-case": (ERROR, "the title is in Title Case with no trailing period"),
    "author-form": (ERROR, "author is a folded block, one 'Name (Affiliation)' per line"),
    "path-form": (ERROR, f"{DEFAULT_SECTION}/YYYY/<slug>.md or <slug>/index.md, no date in the name"),
    "no-h1": (ERROR, "no H1 in the body: the title is the H1"),
    "heading-order": (ERROR, "no skipped heading level"),
    "deep-heading": (WARNING, "H4 and deeper do not show in the side table of contents"),
    "sentence-case": (WARNING, "body headings are in sentence case"),
    "heading-link": (ERROR, "no links inside headings"),
    "bold-heading": (WARNING, "no bold paragraph standing in for a heading"),
    "callout": (WARNING, "the blog guide asks posts to avoid note/caution/warning callouts"),
    "code-language": (ERROR, "fenced code names its language"),
    "image-alt": (ERROR, "every figure and image has alt text"),
    "http-link": (ERROR, "no http:// links"),
    "kubernetes-io-link": (ERROR, "links to kubernetes.io pages are root-relative (/docs/...)"),
    "glossary-id": (ERROR, "glossary_tooltip term_id names a glossary file"),
    "table-caption": (WARNING, "a table's caption is hidden on kubernetes.io: a sentence before it says its point"),
    "script": (ERROR, "no markup that runs in the browser: <script>, on*= handlers, javascript: URLs"),
    "trailing-whitespace": (ERROR, "no trailing whitespace"),
    "tab": (ERROR, "no tab characters"),
    "control-character": (ERROR, "no control characters"),
    "teaser": (WARNING, "the opening paragraph fills the blog index's 250-character teaser"),
}

TEASER_LENGTH = 250
_SMALL_WORDS = frozenset(
    {"a", "an", "the", "and", "but", "or", "nor", "for", "so", "yet", "as", "at", "by", "in", "of", "on", "to",
     "up", "via", "vs", "with", "from", "into", "over", "per"}
)
#: Names written in lower case even in a title (words with a digit or an inner
#: capital, such as v1.33, x86, iOS or eBPF, keep their case too).
LOWERCASE_NAMES = frozenset(
    {"kubectl", "kubeadm", "kubelet", "kube-proxy", "kube-apiserver", "kube-scheduler", "kube-controller-manager",
     "etcd", "containerd", "cri-o", "crictl", "runc", "crun", "minikube", "kind", "kustomize", "kops", "k3s", "k0s",
     "cgroup", "cgroups", "iptables", "nftables", "ipvs", "systemd", "cert-manager"}
)
_DATED_NAME = re.compile(r"\d{4}-\d{2}-\d{2}-")
#: A shortcode parameter value: quoted (with ``\"`` inside) or raw, in backticks.
_VALUE = r'"(?:[^"\\]|\\.)*"|`[^`]*`'
_SHORTCODE = re.compile(rf"\{{\{{[<%]\s*(/?)\s*([\w-]+)((?:\s+\w+=(?:{_VALUE}))*)\s*[>%]\}}\}}")
_PARAM = re.compile(rf"(\w+)=({_VALUE})")
#: URL schemes that run code in the browser (after the browser drops blanks and control characters).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_KUBERNETES_IO = re.compile(r"^https?://(www\.)?kubernetes\.io(/|$)")


@dataclass(frozen=True)
class Finding(Problem):
    """A lint finding: a problem with a rule id, hence a severity."""

    rule: str = ""

    @property
    def severity(self) -> str:
        return RULES[self.rule][0]

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message} [{self.rule}]"


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable("table").use(footnote_plugin).use(deflist_plugin)
    # Goldmark links javascript: URLs too; the script rule must see them.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


def lint_file(path: Path, publish: bool = False, website: Path | None = None,
              section: str = DEFAULT_SECTION) -> list[Finding]:
    """Every finding for one exported post, in line order; glossary ids are checked against the
    glossary of the kubernetes/website checkout at *website*, else the shipped one; the post lies in
    the website's folder of posts, *section*."""
    text = path.read_text(encoding="utf-8")  # the export's own file: always UTF-8, LF
    lines = text.split("\n")
    findings: list[Finding] = []

    def add(line: int, rule: str, message: str) -> None:
        findings.append(Finding(path, line, message, rule))

    offset, front = _front_matter(path, lines, publish, add)
    _raw_lines(lines, add)
    _path_form(path, front.get("slug"), section, add)
    body = "\n".join(lines[offset:])
    tokens = _parser().parse(body)
    _structure(tokens, offset, add)
    _links(tokens, offset, [m[0] for m in _SHORTCODE.finditer(body)], add)
    _shortcodes(lines, offset, add, website)
    return sorted(findings, key=lambda f: (f.line, f.rule))


def _front_matter(path: Path, lines: list[str], publish: bool, add: Add) -> tuple[int, dict[str, Any]]:
    """Check the front matter; return the index of the first body line, and the data."""
    try:
        front = read_front_matter(path)
    except FrontMatterError as err:
        add(err.line, "front-matter", err.reason)
        return 0, {}
    if front is None:
        add(1, "front-matter", "no YAML front matter between '---' lines at the top")
        return 0, {}
    data, line_of = front.data, front.line
    for key in ("layout", "title", "slug", "author"):
        if not data.get(key):
            add(1, "front-matter", f"front matter has no {key!r}")
    if data.get("layout") not in (None, "blog"):
        add(line_of("layout"), "front-matter", f"layout must be 'blog', not {data['layout']!r}")
    if data.get("slug") and not SLUG_RE.fullmatch(str(data["slug"])):
        add(line_of("slug"), "front-matter", f"slug {data['slug']!r} must be lowercase words joined by hyphens")
    if publish:
        if "date" not in data:
            add(1, "review-form", "a post to publish needs 'date: YYYY-MM-DD'")
        if "draft" in data:
            add(line_of("draft"), "review-form", "a post to publish has no 'draft' field")
    else:
        if data.get("draft") is not True:
            add(line_of("draft"), "review-form", "a post in review has 'draft: true'")
        if "date" in data:
            add(line_of("date"), "review-form", "no date while in review: the follow-up PR adds it")
    title = data.get("title")
    if isinstance(title, str):
        if title.rstrip().endswith("."):
            add(line_of("title"), "title-case", "the title ends with a period; remove it")
        if wrong := _not_title_case(title):
            add(line_of("title"), "title-case", f"title is not in Title Case: capitalize {', '.join(wrong)}")
        if not lines[line_of("title") - 1].startswith('title: "'):
            add(line_of("title"), "title-case", "quote the title")
    if "author" in data:
        block = lines[line_of("author") - 1 : front.end - 1]
        authors = [ln.strip() for ln in block[1:] if ln.startswith("  ")]
        if block[0].strip() != "author: >" or not authors:
            add(line_of("author"), "author-form", "write 'author: >' then one 'Name (Affiliation)' per line")
        for i, author in enumerate(authors):
            comma = i < len(authors) - 1
            if not re.fullmatch(AUTHOR_RE.pattern + ("," if comma else ""), author):
                add(line_of("author") + 1 + i, "author-form",
                    f"{author!r}: write 'Name (Affiliation)'"
                    + (" with a comma after it" if comma else " with no comma"))
    return front.end, data


def _not_title_case(title: str) -> list[str]:
    words = re.findall(r"[A-Za-z][\w'’-]*|[:—–]", title)
    wrong, first = [], True
    for word in words:
        if word in ":—–":
            first = True
            continue
        keeps_case = word in LOWERCASE_NAMES or any(c.isdigit() or c.isupper() for c in word[1:])
        if word[0].islower() and not keeps_case and (first or word.lower() not in _SMALL_WORDS):
            wrong.append(repr(word))
        first = False
    return wrong


def _raw_lines(lines: list[str], add: Add) -> None:
    for number, line in enumerate(lines, 1):
        if line != line.rstrip(" \t"):
            add(number, "trailing-whitespace", "trailing whitespace; remove it")
        if "\t" in line:
            add(number, "tab", "tab character; indent with spaces")
        if _CONTROL.search(line.replace("\t", "")):
            add(number, "control-character", "control character; remove it")


def _path_form(path: Path, slug: Any, section: str, add: Add) -> None:
    match = re.search(rf"{re.escape(section)}/(?P<year>\d{{4}})/(?P<slug>[^/]+?)(?:\.md|/index\.md)$", path.as_posix())
    if match is None:
        add(1, "path-form", f"a post lives at {section}/YYYY/<slug>.md (or <slug>/index.md)")
        return
    if _DATED_NAME.match(match["slug"]):
        add(1, "path-form", "no date in the file name since 2026: name it <slug>.md")
    if slug is not None and str(slug) != match["slug"]:
        add(1, "path-form", f"file name {match['slug']!r} differs from slug {slug!r}")


def _walk(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        yield from _walk(token.children or [])


def _structure(tokens: list[Token], offset: int, add: Add) -> None:
    level, first_paragraph = 1, True
    for i, token in enumerate(tokens):  # block tokens; inline ones are children
        line = (token.map[0] if token.map else 0) + offset + 1
        if token.type == "heading_open":
            depth = int(token.tag[1])
            inline = tokens[i + 1]
            text = inline.content
            if depth == 1:
                add(line, "no-h1", "H1 in the body; the title is the page's H1, start at ##")
            elif depth > level + 1:
                add(line, "heading-order", f"H{depth} after H{level} skips a level")
            if depth >= 4:
                add(line, "deep-heading", f"H{depth}: use H2 and H3 only")
            if any(t.type == "link_open" for t in _walk([inline])):
                add(line, "heading-link", "link inside a heading; move it to the text")
            if _title_cased(text):
                add(line, "sentence-case", f"heading {text!r} looks Title Case; use sentence case")
            level = depth
            first_paragraph = False
        elif token.type == "paragraph_open" and token.level == 0:
            inline = tokens[i + 1]
            kinds = [t.type for t in inline.children or [] if not (t.type == "text" and not t.content.strip())]
            if kinds and kinds[0] == "strong_open" and kinds[-1] == "strong_close" and kinds.count("strong_open") == 1:
                add(line, "bold-heading", "a bold line standing alone reads as a heading; use ## or plain text")
            if first_paragraph:
                plain = "".join(t.content for t in _walk([inline]) if t.type in ("text", "code_inline"))
                if len(plain) < TEASER_LENGTH:
                    add(line, "teaser", f"the opening paragraph has {len(plain)} characters; "
                                        f"the blog index shows {TEASER_LENGTH}")
                first_paragraph = False
        elif token.type == "fence" and not token.info.strip():
            add(line, "code-language", "code fence without a language; name one (text if none fits)")


def _title_cased(text: str) -> bool:
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", text)[1:] if len(w) > 3 and not w.isupper()]
    capitalized = [w for w in words if w[0].isupper() and not any(c.isupper() for c in w[1:])]
    return len(capitalized) >= 2 and len(capitalized) * 2 >= len(words)


def _links(tokens: list[Token], offset: int, shortcodes: list[str], add: Add) -> None:
    line = offset + 1
    for token in _walk(tokens):
        if token.map:
            line = token.map[0] + offset + 1
        href = token.attrs.get("href") or token.attrs.get("src") if token.attrs else None
        if token.type == "image" and not token.content.strip():
            add(line, "image-alt", "image without alt text; describe it in ![...]")
        if token.type in ("html_block", "html_inline") and not any(token.content in c for c in shortcodes):
            for problem in html_runs(token.content):  # what shortcode parameters hold: see _shortcodes
                add(line, "script", f"{problem} in raw HTML; remove it (kubernetes.io would run it)")
        if not isinstance(href, str):
            continue
        if script_url(html.unescape(href)):
            add(line, "script", f"{href[:40]}: a link that runs script; link a web page")
        elif _KUBERNETES_IO.match(href):
            add(line, "kubernetes-io-link",
                f"{href}: link kubernetes.io pages root-relative, as {re.sub(_KUBERNETES_IO, '/', href)}")
        elif href.startswith("http://"):
            add(line, "http-link", f"{href}: use https://")


#: A paragraph that introduces a table: it names the table.
_INTRODUCED = re.compile(r"\b(?:the|this|following) table\b", re.I)


def _before(lines: list[str], number: int) -> str:
    """The paragraph that ends before the 1-based line *number* (blank lines skipped)."""
    end = number - 1
    while end > 0 and not lines[end - 1].strip():
        end -= 1
    start = end
    while start > 0 and lines[start - 1].strip():
        start -= 1
    return " ".join(lines[start:end])


def _shortcodes(lines: list[str], offset: int, add: Add, website: Path | None) -> None:
    terms = glossary(website)
    for number, line in enumerate(lines[offset:], offset + 1):
        for match in _SHORTCODE.finditer(line):
            closing, name, args = match.groups()
            params = {key: value[1:-1] for key, value in _PARAM.findall(args)}
            if name in ("note", "caution", "warning") and not closing:
                add(number, "callout", f"{name} callout; the blog guide asks posts to avoid callouts")
            if name == "figure" and not params.get("alt"):
                add(number, "image-alt", "figure without alt text; in the post's MyST give the figure "
                                         "':alt: What it shows' (the export writes it as alt=\"...\")")
            if name == "glossary_tooltip" and params.get("term_id") not in terms.ids:
                add(number, "glossary-id", terms.unknown(str(params.get("term_id"))))
            if name == "table" and params.get("caption") and not _INTRODUCED.search(_before(lines, number)):
                add(number, "table-caption", "kubernetes.io hides table captions from readers; say what the table "
                                             "shows in the paragraph before it, naming 'the table' there (which "
                                             "clears this warning)")
            for value in params.values():
                if value.startswith("http://"):
                    add(number, "http-link", f"{value}: use https://")
                for problem in html_runs(value):  # captions are rendered as Markdown or HTML
                    add(number, "script", f"{problem} in a {name} parameter; remove it")
