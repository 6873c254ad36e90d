"""Text as Goldmark and Hugo will read it: literal, whatever it holds, wherever it sits.

Hugo expands shortcodes before Markdown, everywhere, so ``{{<`` and ``{{%``
need care in prose and code alike; Goldmark then reads Markdown specials.
Each function here writes a string for one place in a post (prose, code, a
link's destination or title, a heading, a table cell, a shortcode parameter)
so that the rendered page shows exactly that string there.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import quote

from markdown_it import MarkdownIt

#: What Markdown reads as markup anywhere in a line: ASCII punctuation that
#: starts or ends inline markup (``"`` only matters in a shortcode parameter),
#: ``&`` that starts a character reference, and runs of braces (Hugo's ``{{``).
_INLINE = re.compile(r'[\\`*_\[\]<>|~"]|&(?=#?[A-Za-z0-9]+;)|\{(?=\{)|(?<=\{)\{')
#: In a shortcode parameter, as character references: Hugo's lexer reads ``\"``
#: and refuses a backslash before a backtick.
_IN_PARAMETER = {"\\": "&#92;", '"': "&quot;", "`": "&#96;"}
#: Characters that only mean something at the start of a line.
_LINE_START = re.compile(r"^([#>+=:\-]|\d+(?=[.)]))")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_SHORTCODE_OPEN = re.compile(r"\{\{([<%])")
#: A complete shortcode call, which Hugo's comment form can print verbatim.
_INNER = r"(?:(?!\{\{[<%]).)*?"
_SHORTCODE_CALL = re.compile(rf"\{{\{{(?:<(?P<angle>{_INNER})>|%(?P<percent>{_INNER})%)\}}\}}", re.S)
#: What a link destination keeps as it is (RFC 3986's reserved and unreserved
#: characters but brackets, and ``%``); Goldmark percent-encodes the rest, and so do we.
URL_SAFE = "-._~:/?#@!$&'()*+,;=%"
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_TITLE = re.compile(r"[\\'\"|]|&(?=#?[A-Za-z0-9]+;)|\{(?=\{)|(?<=\{)\{")
#: A code fence's language: one word Goldmark and Chroma read as a name.
LANGUAGE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_+#.-]*")


@dataclass(frozen=True)
class Place:
    """Where a piece of a post goes, as far as writing it literally cares."""

    #: In a quoted shortcode parameter that the site renders as Markdown (a
    #: figure caption): ``"``, ``\`` and backticks must be character references.
    parameter: bool = False
    #: In a GFM table cell: ``|`` ends the cell, inside code spans too.
    cell: bool = False
    #: In a shortcode's inner content, which Hugo reads for shortcodes twice:
    #: as part of the page, then again in the shortcode's ``markdownify``.
    inner: bool = False


PROSE = Place()


def escape_text(text: str, at_line_start: bool, place: Place = PROSE) -> str:
    """Escape *text* so Goldmark shows it literally.

    Markdown lets a backslash escape any ASCII punctuation; we use that for the
    characters that can form markup, and for line-start markers only at the
    start of a line, so the Markdown stays readable. Braces in a run of two
    or more get the same backslash (``\\{\\{<``): no ``{{`` is left for Hugo
    to read as a shortcode, whatever markup follows, and Goldmark prints them.
    In a shortcode parameter (see :class:`Place`) ``"``, ``\\`` and backticks
    are written as character references, which Hugo leaves alone.
    """
    lines = _INLINE.sub(lambda m: _escape_char(m[0], place), text).split("\n")
    for i, line in enumerate(lines):
        if i > 0 or at_line_start:
            lines[i] = _LINE_START.sub(_escape_marker, line.lstrip(" \t"))
    return "\n".join(lines)


def _escape_char(char: str, place: Place) -> str:
    if place.parameter and char in _IN_PARAMETER:
        return _IN_PARAMETER[char]
    return char if char == '"' else "\\" + char


def _escape_marker(match: re.Match[str]) -> str:
    marker = match.group(1)
    if marker.isdigit():
        return f"{marker}\\"  # "1." -> "1\." keeps the number
    return f"\\{marker}"


def heading_text(text: str) -> str:
    """A heading's Markdown, with the ends Goldmark would take away escaped.

    A closing ``#`` sequence is dropped from an ATX heading, and a trailing
    ``{...}`` is read as the heading's attributes (the site turns attribute
    parsing on): ``## Setup {#x style=...}`` would set an id and a style.
    """
    if text.endswith(("#", "}")):
        return text[:-1] + "\\" + text[-1]
    return text


def protect_shortcodes(code: str) -> str | None:
    """Rewrite shortcode calls in *code* in Hugo's comment form.

    ``{{< x >}}`` becomes ``{{</* x */>}}``, which Hugo prints as written.
    Returns ``None`` when an opener has no matching closer: Hugo would fail on
    it, and only raw HTML (:func:`html_code`) can carry it then.
    """
    protected = _SHORTCODE_CALL.sub(_comment_form, code)
    stripped = _SHORTCODE_CALL.sub("", code)
    return None if _SHORTCODE_OPEN.search(stripped) else protected


def _comment_form(match: re.Match[str]) -> str:
    if match["angle"] is not None:
        return f"{{{{</*{match['angle']}*/>}}}}"
    return f"{{{{%/*{match['percent']}*/%}}}}"


def html_code(code: str) -> str:
    """*code* as HTML text; braces as entities, so no ``{{`` reaches Hugo,
    not even with the ``</code>`` that follows."""
    return html.escape(code).replace("{", "&#123;")


def code_span(code: str, place: Place = PROSE) -> str:
    """Inline code with a backtick fence longer than any run inside.

    Shortcode calls in the code are written in Hugo's comment form, which
    Hugo prints once; where it reads the text twice (:attr:`Place.inner`) or
    not at all (a shortcode parameter, which it never unwraps: the comment
    form would show), and where Hugo's lexer cannot take the code (an unclosed ``{{<``; ``"`` or
    ``\\`` in a parameter, where code spans would show character references
    as they are), the code is HTML with its specials as references. In a
    table cell, Goldmark splits the row at every ``|`` without a backslash,
    code spans included, and takes the backslash of each ``\\|`` in a code
    span away again: so every ``|`` of the code gets one.
    """
    protected = protect_shortcodes(code)
    if (
        protected is None
        or ((place.inner or place.parameter) and protected != code)
        or (place.parameter and set(code) & set(_IN_PARAMETER))
    ):
        # Between inline HTML tags Goldmark still reads Markdown: escape it too.
        escaped = re.sub(r"[\\`*_\[\]<>|~]", lambda m: _escape_char(m[0], place), html_code(code))
        return f"<code>{escaped}</code>"
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if protected.startswith(("`", " ")) or protected.endswith(("`", " ")) else ""
    if place.cell:
        protected = protected.replace("|", "\\|")
    return f"{fence}{pad}{protected}{pad}{fence}"


def fenced_code(code: str, language: str, place: Place = PROSE) -> str:
    """A fenced code block that always names its language (a :data:`LANGUAGE`);
    HTML where Hugo could not print its shortcode calls (see :func:`code_span`)."""
    code = code.rstrip("\n")
    protected = protect_shortcodes(code)
    if protected is None or (place.inner and protected != code):
        return f'<pre><code class="language-{language}">{html_code(code)}</code></pre>'
    longest = max((len(run) for run in re.findall(r"^ {0,3}(`{3,}|~{3,})", code, re.M)), default=2)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{protected}\n{fence}"


def linked_url(url: str) -> str:
    """*url* as the page's link shows it: percent-encoded outside :data:`URL_SAFE`,
    and a ``%`` that starts no ``%XX`` escape too."""
    return quote(_LONE_PERCENT.sub("%25", url), safe=URL_SAFE)


def link_destination(url: str) -> str:
    """A link destination Goldmark reads back as :func:`linked_url` of *url*.

    No space, brace, angle bracket or backslash is left to end the link or
    open a shortcode; parentheses and character references are escaped.
    """
    destination = _ENTITY.sub("&amp;", linked_url(url))
    return destination.replace("(", "\\(").replace(")", "\\)")


def link_title(title: str) -> str:
    """A link title in single quotes; ``"`` and ``\\`` as character references,
    so the title fits in a shortcode parameter too, and ``|`` escaped for a
    table cell."""

    def escape(match: re.Match[str]) -> str:
        return _IN_PARAMETER.get(match[0], "\\" + match[0])

    return "'" + _TITLE.sub(escape, title.replace("\n", " ")) + "'"


def inline_html(markdown: str) -> str:
    """One line of inline *markdown* as HTML, for a parameter the site prints as
    HTML as it is (the ``table`` caption), with nothing Hugo would read as it
    passes: backslashes and backticks (its parameter lexer), braces (its
    shortcodes) and ``$`` (the site's ``replaceRE`` expands ``$1``) as
    character references."""
    rendered = _commonmark().renderInline(markdown).replace("\n", " ")
    return re.sub(r"[\\`{$]", lambda m: f"&#{ord(m[0])};", rendered)


@cache
def _commonmark() -> MarkdownIt:
    return MarkdownIt("commonmark")  # built when a table has a caption, not at every build's start


def shortcode_value(value: str) -> str | None:
    """A shortcode parameter value Hugo reads back as *value*, or ``None``.

    Hugo's lexer ends a quoted value at a ``"`` unless a backslash precedes
    it, refuses a backslash before a backtick, and once a value holds
    ``\\"`` drops every backslash in it; a raw string in backticks holds
    anything but a backtick. A newline (which no quoted value may hold) is a
    space, as on the page. A value with both a backtick and a backslash, and
    a ``"``, a final backslash or a backslash before a backtick, has no form.
    """
    value = value.replace("\n", " ")
    if '"' not in value and not value.endswith("\\") and "\\`" not in value:
        return f'"{value}"'
    if "`" not in value:
        return f"`{value}`"
    if "\\" not in value:
        return '"' + value.replace('"', '\\"') + '"'
    return None


def shortcode(name: str, /, **params: str) -> str:
    """An opening shortcode call with named parameters, in the given order.

    Raises :class:`ValueError` naming the parameter whose value has no form
    Hugo reads back (see :func:`shortcode_value`).
    """
    args = []
    for key, value in params.items():
        written = shortcode_value(value)
        if written is None:
            raise ValueError(key)
        args.append(f" {key}={written}")
    return f"{{{{< {name}{''.join(args)} >}}}}"
