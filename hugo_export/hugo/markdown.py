"""Text as Goldmark and Hugo will read it: literal, whatever it holds, wherever it sits.

Hugo expands shortcodes before Markdown, everywhere, so ``{{<`` and ``{{%``
need care in prose and code alike; Goldmark then reads Markdown specials.
Each function here writes a string for one place in a post (prose, code, a
link's destination or title, a heading, a table cell, a shortcode parameter)
so that the rendered page shows exactly that string there.

Some places are read raw, not as Markdown: kubernetes.io renders links through
its own hook, which writes ``.Destination`` and ``.Title`` as Goldmark hands
them over, backslash escapes and character references included, and Markdown
images in text through Hugo's embedded image hook, which shows ``.Title`` and
the alt text's ``.PlainText`` the same way. There the export writes the
string itself and refuses what has no such form (:func:`title_problem`,
:func:`alt_problem`). Headings, link text and code blocks reach their hooks
rendered, so escapes there are read as meant.
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
_SHORTCODE_OPEN = re.compile(r"\{\{([<%])")
#: A complete shortcode call, which Hugo's comment form can print verbatim.
_INNER = r"(?:(?!\{\{[<%]).)*?"
_SHORTCODE_CALL = re.compile(rf"\{{\{{(?:<(?P<angle>{_INNER})>|%(?P<percent>{_INNER})%)\}}\}}", re.S)
#: What a link destination keeps as it is (RFC 3986's reserved and unreserved
#: characters but brackets, and ``%``); Goldmark percent-encodes the rest, and so do we.
URL_SAFE = "-._~:/?#@!$&'()*+,;=%"
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
#: A code fence's language: one word Goldmark and Chroma read as a name.
LANGUAGE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_+#.-]*")
#: Code fence languages the site draws instead of showing: Docsy's render hooks for ``math``, ``chem``
#: and ``mermaid`` pass the code into the page as HTML, and Hugo draws ``goat`` as an SVG.
DRAWN_LANGUAGES = frozenset({"math", "chem", "mermaid", "goat"})
#: Where Goldmark's linkify (on at kubernetes.io, off in the preview) would start a link in text: the
#: ``:`` of a scheme it knows, the ``.`` after ``www``, an e-mail address's ``@``. A backslash before
#: it keeps the address text, whole, as the preview shows it.
_LINKIFY = re.compile(r"(?i)(?:https?|ftp)(?=://)|www(?=\.)|(?<=[\w.!#$%&'*+/=?^`{|}~-])(?=@[A-Za-z0-9])")


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
    are written as character references, which Hugo leaves alone. A bare URL
    or e-mail address gets a backslash where Goldmark's linkify would start a
    link (:data:`_LINKIFY`): text in the preview, text on the page.
    """
    escaped = _INLINE.sub(lambda m: _escape_char(m[0], place), text)
    lines = _LINKIFY.sub(lambda m: m[0] + "\\", escaped).split("\n")
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
    HTML where Hugo could not print its shortcode calls (see :func:`code_span`),
    and where the site would draw the code instead of showing it
    (:data:`DRAWN_LANGUAGES`: a ``mermaid`` block would reach the page as HTML)."""
    code = code.rstrip("\n")
    if language.lower() in DRAWN_LANGUAGES:
        return f"<pre><code>{html_code(code)}</code></pre>"
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
    """A link destination whose ``.Destination`` is :func:`linked_url` of *url* itself.

    The site's link hook and Hugo's image hook write ``.Destination`` as
    Goldmark hands it over, without resolving backslash escapes or character
    references: so none is written. No space, brace, angle bracket or
    backslash is left in the URL to end the link or open a shortcode;
    parentheses stand as they are where they balance, and the destination is
    written in the ``<...>`` form where they do not.
    """
    destination = linked_url(url)
    depth = 0
    for char in destination:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            break
    return destination if depth == 0 else f"<{destination}>"


def title_problem(title: str, place: Place = PROSE) -> str | None:
    """Why *title* cannot be a link's or image's title that the site's hooks show as written, or ``None``.

    The hooks show ``.Title`` raw, so the title is written as it is, between
    delimiters it does not hold (:func:`link_title`).
    """
    title = title.replace("\n", " ")
    if '"' in title and "'" in title and ("(" in title or ")" in title):
        return "holds both kinds of quote mark and a parenthesis, so nothing can delimit it as written"
    if title.endswith("\\"):
        return "ends in a backslash, which would escape its closing quote"
    if _SHORTCODE_OPEN.search(title):
        return "holds '{{<' or '{{%', which Hugo reads as a shortcode"
    if place.cell and "|" in title:
        return "holds '|' in a table cell, which ends the cell unless escaped, and the escape would show"
    return None


def link_title(title: str) -> str:
    """A link or image title as it is, between ``"``, ``'`` or parentheses, whichever it does not
    hold (see :func:`title_problem` for the titles that have no such form)."""
    title = title.replace("\n", " ")
    for left, right in ('""', "''", "()"):
        if left not in title and right not in title:
            return f"{left}{title}{right}"
    raise ValueError(f"no delimiter for the title {title!r}")


def alt_problem(alt: str, place: Place = PROSE) -> str | None:
    """Why *alt* cannot be the alt text of a Markdown image as written, or ``None``.

    Hugo's image hook writes the alt text's ``.PlainText``: the Markdown of
    its text runs as written, backslashes and character references shown,
    markup dropped. So the alt text must read as one plain run of text.
    """
    alt = alt.replace("\n", " ")
    if not alt:
        return None
    if set(alt) & set("\\&") or _SHORTCODE_OPEN.search(alt) or (place.cell and "|" in alt):
        return "holds a backslash, '&', '|' in a table cell or a shortcode opening"
    children = _commonmark().parseInline(f"![{alt}](x)")[0].children or []
    image = children[0] if len(children) == 1 and children[0].type == "image" else None
    if image is None or [(t.type, t.content) for t in image.children or []] != [("text", alt)]:
        return "reads as Markdown markup (emphasis, code, a link or brackets)"
    return None


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
    # built when a table has a caption or an image stands in text, not at every build's start;
    # with strikethrough, as Goldmark reads ~~ on kubernetes.io
    return MarkdownIt("commonmark").enable("strikethrough")


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
