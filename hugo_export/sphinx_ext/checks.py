"""Checks of the sources that Sphinx and MyST would crash on or let pass.

Sphinx stops with a bare "Encoding error!" report on a file that is not UTF-8,
and CommonMark lets an unclosed code fence swallow the rest of the document
without a word. Both are an author's slip, so we name the file and line.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, NoReturn

from markdown_it import MarkdownIt
from sphinx.util import logging

from ..post import FrontMatterError, parse_post

logger = logging.getLogger(__name__)
#: Fences are blocks; parsing the inline content too would take four times as long.
_BLOCKS = MarkdownIt("commonmark").disable("inline")


def stop_build() -> NoReturn:
    """End the build with status 2 after the problems were logged.

    An exception would do the same with Sphinx's crash report (a traceback
    and "please report this"), which blames the tool for the author's slip.
    ``SystemExit`` skips Sphinx's ``build-finished`` handlers; nothing of ours
    needs them, and ``hugo_export.build`` turns it into the exit status.
    """
    raise SystemExit(2)


def require_utf8(app: Any, env: Any, docnames: Iterable[str]) -> None:
    """``env-before-read-docs``: stop before Sphinx meets an undecodable file."""
    bad = 0
    for docname in sorted(docnames):
        path = Path(env.doc2path(docname))
        raw = path.read_bytes()
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as err:
            line = raw.count(b"\n", 0, err.start) + 1
            logger.error(
                "the file is not UTF-8 (byte 0x%02x); save it as UTF-8",
                raw[err.start], location=(docname, line), type="source", subtype="encoding",
            )
            bad += 1
    if bad:
        stop_build()  # Sphinx would only report "Encoding error!" with a traceback


def unclosed_fence(text: str) -> int | None:
    """The 1-based line of a code fence that looks unclosed, if any.

    CommonMark runs an unclosed fence to the end of the file, or to the next
    bare fence line, which then belongs to a later block. Either way the fence
    ends at the file's end or holds a line that opens a fence of its own
    (a marker with an info string), which cannot happen when it is closed.
    """
    lines = text.split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    for token in _BLOCKS.parse("\n".join(lines)):
        if token.type != "fence" or not token.map:
            continue
        start, end = token.map
        last = lines[end - 1].strip()
        closed = end - start > 1 and last.startswith(token.markup) and not last.strip(token.markup[0])
        inner_opener = any(
            line.lstrip().startswith(token.markup) and line.strip().strip(token.markup[0])
            for line in token.content.splitlines()
        )
        if not closed or inner_opener:
            return start + 1
    return None


def check_source(app: Any, docname: str, source: list[str]) -> None:
    """``source-read``: front matter and unclosed fences, as warnings with lines."""
    if (line := unclosed_fence(source[0])) is not None:
        logger.warning(
            "code fence opened here is never closed, so it swallows the rest of the file; "
            "close it with a matching fence line", location=(docname, line), type="source", subtype="fence",
        )
    path = Path(app.env.doc2path(docname))
    name = path.parent.name if path.name == "index.md" else path.stem
    try:
        _, warnings = parse_post(path, name)
    except FrontMatterError as err:
        warnings = [(err.line, err.reason)]
    for line, message in warnings:
        logger.warning("%s", message, location=(docname, line), type="hugo", subtype="front_matter")
