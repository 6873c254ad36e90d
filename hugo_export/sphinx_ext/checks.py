"""Checks of the sources that Sphinx and MyST would crash on or let pass.

Sphinx stops with a bare "Encoding error!" report on a file that is not UTF-8,
and sphinxcontrib-bibtex recurses without end on a toctree cycle; CommonMark
lets an unclosed code fence swallow the rest of the document without a word,
and markdown-it stops reading at lists nested ten deep; an include reads any
file it is given. Each is an author's slip, so we name the file and line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from graphlib import CycleError, TopologicalSorter
from itertools import pairwise
from pathlib import Path
from typing import Any, NoReturn

from docutils import nodes
from markdown_it import MarkdownIt
from markdown_it.token import Token
from sphinx import addnodes
from sphinx.directives.code import LiteralInclude
from sphinx.util import logging

from ..post import FrontMatterError, parse_post, post_name, undecodable

logger = logging.getLogger(__name__)
#: Unicode's noncharacters U+FDD0 to U+FDEF: the export tags its blocks with two of them.
_NONCHARACTER = re.compile("[\ufdd0-\ufdef]")
#: Fences are blocks; parsing the inline content too would take four times as long.
_BLOCKS = MarkdownIt("commonmark").disable("inline")
#: What a line inside block quotes and list items starts with before its content.
_CONTAINER = re.compile(r"^(?:\s*>)*")


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
            text = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            line, message = undecodable(raw, err)
            logger.error("%s", message, location=(docname, line), type="source", subtype="encoding")
            bad += 1
            continue
        if (nul := raw.find(b"\x00")) >= 0:  # docutils would show it as U+FFFD without a word
            logger.error("the file holds a NUL byte; remove it (an editor or a bad copy put it there)",
                         location=(docname, raw.count(b"\n", 0, nul) + 1), type="source", subtype="encoding")
            bad += 1
        elif found := _NONCHARACTER.search(text):  # the export's source map uses them
            logger.error("the file holds the noncharacter U+%04X, which no text needs; remove it", ord(found[0]),
                         location=(docname, text.count("\n", 0, found.start()) + 1), type="source",
                         subtype="encoding")
            bad += 1
    if bad:
        stop_build()  # Sphinx would only report "Encoding error!" with a traceback


def unclosed_fence(lines: list[str], tokens: list[Token]) -> int | None:
    """The 1-based line of a code fence that looks unclosed, if any.

    CommonMark runs an unclosed fence to the end of the file (or of the quote
    or list item that holds it), or to the next bare fence line, which then
    belongs to a later block. Either way the fence's last line is no closing
    marker, or it holds a line that opens a fence of its own (a marker with
    an info string), which cannot happen when it is closed.
    """
    for token in tokens:
        if token.type != "fence" or not token.map:
            continue
        start, end = token.map
        last = _CONTAINER.sub("", lines[end - 1]).strip()
        closed = end - start > 1 and last.startswith(token.markup) and not last.strip(token.markup[0])
        inner_opener = any(
            line.lstrip().startswith(token.markup) and line.strip().strip(token.markup[0])
            for line in token.content.splitlines()
        )
        if not closed or inner_opener:
            return start + 1
    return None


def too_deep(tokens: list[Token]) -> int | None:
    """The 1-based line where lists and quotes nest so deep that markdown-it
    (MyST's parser) stops reading the file, silently, if they do."""
    limit = _BLOCKS.options["maxNesting"]
    return next((t.map[0] + 1 for t in tokens if t.nesting == 1 and t.level >= limit - 1 and t.map), None)


def check_source(app: Any, docname: str, source: list[str]) -> None:
    """``source-read``: front matter, unclosed fences and too deep nesting, as warnings with lines."""
    lines = source[0].split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    tokens = _BLOCKS.parse("\n".join(lines))
    if (line := unclosed_fence(lines, tokens)) is not None:
        logger.warning(
            "code fence opened here is never closed, so it swallows the rest of the file; "
            "close it with a matching fence line", location=(docname, line), type="source", subtype="fence",
        )
    if (line := too_deep(tokens)) is not None:
        logger.warning(
            "lists and quotes nest so deep here that MyST stops reading: the rest of the file would be "
            "left out of every output; nest them less deeply", location=(docname, line), type="source",
            subtype="nesting",
        )
    path = Path(app.env.doc2path(docname))
    try:
        _, warnings = parse_post(path, post_name(path))
    except FrontMatterError as err:
        warnings = [(err.line, err.reason)]
    for line, message in warnings:
        logger.warning("%s", message, location=(docname, line), type="hugo", subtype="front_matter")


def refuse_toctree_cycles(app: Any, env: Any) -> None:
    """``env-updated``, before sphinxcontrib-bibtex walks the toctrees, which
    recurses without end when one leads back to a document that includes it."""
    try:
        TopologicalSorter(env.toctree_includes).prepare()
    except CycleError as err:
        chain = list(reversed(err.args[1]))  # each document includes the next
        edges = list(pairwise(chain))
        parent, child = next(((p, c) for p, c in edges if p != env.config.root_doc), edges[0])
        toctree = next((t for t in env.get_doctree(parent).findall(addnodes.toctree) if child in t["includefiles"]),
                       None)
        logger.error(
            "this toctree includes %r, which leads back here (%s): toctrees must not make a cycle; a post "
            "needs no toctree, the index lists every post", child, " -> ".join(chain),
            location=toctree or parent, type="source", subtype="toctree",
        )
        stop_build()


_OUTSIDE = ("%s of %r reads a file outside the source directory, which a build does not track and a pull "
            "request would publish; copy the file into source/")
_INCLUDE = re.compile(r"\{include\}|\binclude::")  # the line of an include, in MyST or reStructuredText


def _outside(path: str | Path, srcdir: str | Path) -> bool:
    return not Path(srcdir, path).resolve().is_relative_to(Path(srcdir).resolve())


def refuse_outside_includes(app: Any, relative_path: Path, parent_docname: str, content: list[str]) -> None:
    """``include-read``: an ``{include}`` of a file outside the source
    directory is an error, and its text is left out."""
    if not _outside(relative_path, app.srcdir):
        return
    docname = app.env.current_document.docname  # MyST names the parent by its file's stem only
    source = Path(app.env.doc2path(docname)).read_text(encoding="utf-8").split("\n")
    line = next((i for i, text in enumerate(source, 1) if _INCLUDE.search(text) and relative_path.name in text), None)
    logger.error(_OUTSIDE, "{include}", str(relative_path), location=(docname, line), type="source",
                 subtype="include")
    content[0] = ""


class SourceLiteralInclude(LiteralInclude):
    """``{literalinclude}`` of files inside the source directory only."""

    def run(self) -> list[nodes.Node]:
        _, path = self.env.relfn2path(self.arguments[0])
        if _outside(path, self.env.srcdir):
            logger.error(_OUTSIDE, "{literalinclude}", self.arguments[0], location=self.get_location(),
                         type="source", subtype="include")
            return []
        return super().run()
