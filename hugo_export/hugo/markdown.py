"""Text as Goldmark and Hugo will read it: literal, whatever it holds.

Hugo expands shortcodes before Markdown, everywhere, so ``{{<`` and ``{{%``
need care in prose and code alike; Goldmark then reads Markdown specials. The
functions here write a string so that the rendered page shows exactly it.
"""

from __future__ import annotations

import html
import re

#: ASCII punctuation that can start or end inline markup anywhere in a line.
_INLINE_SPECIALS = re.compile(r"([\\`*_\[\]<>|~])")
#: Characters that only mean something at the start of a line.
_LINE_START = re.compile(r"^([ \t]*)([#>+=:\-]|\d+(?=[.)]))")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_BRACE_RUN = re.compile(r"\{(?=\{)|(?<=\{)\{")
_SHORTCODE_OPEN = re.compile(r"\{\{([<%])")
#: A complete shortcode call, which Hugo's comment form can print verbatim.
_INNER = r"(?:(?!\{\{[<%]).)*?"
_SHORTCODE_CALL = re.compile(rf"\{{\{{(?:<(?P<angle>{_INNER})>|%(?P<percent>{_INNER})%)\}}\}}", re.S)
_URL_UNSAFE = re.compile(r"[\s<>()\\]")


def escape_text(text: str, at_line_start: bool) -> str:
    """Escape *text* so Goldmark shows it literally.

    Markdown lets a backslash escape any ASCII punctuation; we use that for the
    characters that can form markup, and for line-start markers only at the
    start of a line, so the Markdown stays readable. Braces in a run of two
    or more get the same backslash (``\\{\\{<``): no ``{{`` is left for Hugo
    to read as a shortcode, whatever markup follows, and Goldmark prints them.
    """
    text = _INLINE_SPECIALS.sub(r"\\\1", text)
    text = _ENTITY.sub(r"\\&", text)
    text = _BRACE_RUN.sub(r"\\{", text)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if i > 0 or at_line_start:
            lines[i] = _LINE_START.sub(_escape_marker, line.lstrip(" \t"))
    return "\n".join(lines)


def _escape_marker(match: re.Match[str]) -> str:
    marker = match.group(2)
    if marker.isdigit():
        return f"{match.group(1)}{marker}\\"  # "1." -> "1\." keeps the number
    return f"{match.group(1)}\\{marker}"


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
    return html.escape(code, quote=False).replace("{", "&#123;")


def code_span(code: str) -> str:
    """Inline code with a backtick fence longer than any run inside."""
    protected = protect_shortcodes(code)
    if protected is None:
        # Between inline HTML tags Goldmark still reads Markdown: escape it too.
        return "<code>" + _INLINE_SPECIALS.sub(r"\\\1", html_code(code)) + "</code>"
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if protected.startswith(("`", " ")) or protected.endswith(("`", " ")) else ""
    return f"{fence}{pad}{protected}{pad}{fence}"


def fenced_code(code: str, language: str) -> str:
    """A fenced code block that always names its language."""
    code = code.rstrip("\n")
    protected = protect_shortcodes(code)
    if protected is None:
        return f'<pre><code class="language-{language}">{html_code(code)}</code></pre>'
    longest = max((len(run) for run in re.findall(r"^ {0,3}(`{3,}|~{3,})", code, re.M)), default=2)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{protected}\n{fence}"


def link_destination(url: str) -> str:
    """A link destination Goldmark reads back as *url*."""
    if _URL_UNSAFE.search(url):
        return "<" + url.replace("\\", "\\\\").replace("<", "%3C").replace(">", "%3E") + ">"
    return url


def link_title(title: str) -> str:
    """A quoted link title."""
    return '"' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'


def shortcode_value(value: str) -> str:
    """A double-quoted shortcode parameter value (Hugo reads ``\\"``)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def shortcode(name: str, /, **params: str) -> str:
    """An opening shortcode call with named parameters, in the given order."""
    args = "".join(f" {key}={shortcode_value(val)}" for key, val in params.items())
    return f"{{{{< {name}{args} >}}}}"
