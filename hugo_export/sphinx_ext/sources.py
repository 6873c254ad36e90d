"""Checks of the sources that Sphinx and MyST would crash on or let pass.

Sphinx stops with a bare "Encoding error!" report on a file that is not UTF-8,
and sphinxcontrib-bibtex recurses without end on a toctree cycle; CommonMark
lets an unclosed code fence swallow the rest of the document without a word,
and markdown-it stops reading at lists nested ten deep; an include reads any
file it is given. Each is an author's slip, so we name the file and line.
"""

from __future__ import annotations

import json
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
from sphinx.util import logging

from ..post import NO_FRONT_MATTER, FrontMatterError, find_posts, front_matter_end, parse_post, post_name, undecodable
from ..scripting import html_runs

logger = logging.getLogger(__name__)
#: Unicode's noncharacters U+FDD0 to U+FDEF: the export tags its blocks with two of them.
NONCHARACTER = re.compile("[\ufdd0-\ufdef]")
_HIDDEN = re.compile("[\x00\ufdd0-\ufdef]")
#: Fences are blocks; parsing the inline content too would take four times as long.
_BLOCKS = MarkdownIt("commonmark").disable("inline")
#: What a line inside block quotes and list items starts with before its content.
_CONTAINER = re.compile(r"^(?:\s*>)*")


def stop_build() -> NoReturn:
    """End the build with status 2 after the problems were logged.

    An exception would do the same with Sphinx's crash report (a traceback
    and "please report this"), which blames the tool for the author's slip.
    ``SystemExit`` skips Sphinx's ``build-finished`` handlers; nothing of ours
    needs them, and ``hugo_export.outputs`` turns it into the exit status.
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
        elif found := NONCHARACTER.search(text):  # the export's source map uses them
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
    meta = None
    try:
        meta, warnings = parse_post(path, post_name(path))
    except FrontMatterError as err:
        warnings = [(err.line, err.reason)]
    if meta is None and not warnings and docname in {post.docname for post in find_posts(Path(app.srcdir))}:
        warnings = [(1, NO_FRONT_MATTER)]
    for line, message in warnings:
        logger.warning("%s", message, location=(docname, line), type="hugo", subtype="front_matter")
    source[0] = myst_front_matter(source[0], meta.title if meta else None)


#: ASCII punctuation, which a backslash makes literal in CommonMark.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def myst_front_matter(text: str, title: str | None) -> str:
    """*text* with its front matter as MyST is to read it: the title alone, its markup escaped.

    MyST takes configuration from front matter (``myst:`` can switch on its
    Jinja2 substitutions, which would run code from the post) and parses the
    title as Markdown for the page heading. The pipeline reads the front matter
    itself (:mod:`hugo_export.post`), so MyST gets only the title, every ASCII
    punctuation character backslash-escaped: it shows as written, as on
    kubernetes.io. The block keeps its lines, so every later line keeps its number. The block is
    found by MyST's own rule (:func:`~hugo_export.post.front_matter_end`), in every document: a
    ``----`` line opens one too, and an unclosed one runs to the end.
    """
    lines = text.split("\n")
    if (end := front_matter_end(lines)) is None:
        return text
    block = [""] * (end - 1)  # unclosed, MyST reads the whole text as its YAML: all of it goes
    if block:  # an empty mapping when there is no title to show: MyST warns of an empty block
        block[0] = "title: " + json.dumps(_PUNCTUATION.sub(r"\\\1", title), ensure_ascii=False) if title else "{}"
    return "\n".join([lines[0], *block, *lines[end:]])


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


#: URL schemes a post may link with; ``javascript:`` and the like would run in the reader's browser
#: (kubernetes.io's link hook marks every URL safe).
LINK_SCHEMES = frozenset({"http", "https", "mailto", "ftp"})
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")


def link_problem(url: str) -> str | None:
    """What is wrong with a post linking to *url*, if anything: a scheme other than :data:`LINK_SCHEMES`.
    Read as a browser reads it: whitespace and control characters in the scheme dropped."""
    scheme = _SCHEME.match("".join(c for c in url if c > " "))
    if scheme and scheme[1].lower() not in LINK_SCHEMES:
        return (f"a link to {url[:60]!r}: a post links with http(s) or mailto only; anything else would run or "
                "break in the reader's browser")
    return None


def check_links(app: Any, doctree: nodes.document) -> None:
    """``doctree-read``: every link a post makes (Markdown, reStructuredText in ``{eval-rst}``, an image's
    ``:target:``) has a scheme a post may use, in every output; another is an error at its line and
    shows as text."""
    for node in list(doctree.findall(nodes.reference)):
        if problem := link_problem(node.get("refuri", "")):
            logger.error("%s", problem, location=node, type="source", subtype="link")
            node.replace_self(nodes.inline("", "", *node.children))


#: The raw LaTeX node MyST writes for a hard line break (beside its HTML twin), the only raw LaTeX a post has.
_LATEX_BREAK = "\\\\\n"


def check_raw(app: Any, doctree: nodes.document) -> None:
    """``doctree-read``: raw markup a post may not hold, an error at its line in every output.

    - Raw HTML that would run script in a reader's browser shows as text instead: the HTML preview a
      reviewer reads runs nothing the page would not.
    - Raw LaTeX goes: in the reviewer PDF it would be TeX's own language, which reads and writes files
      and feeds latexmk's rules (kubernetes.io leaves it out anyway).
    """
    for node in list(doctree.findall(nodes.raw)):
        formats = node.get("format", "").split()
        if "latex" in formats and node.astext() != _LATEX_BREAK:
            logger.error("raw LaTeX in a post: it would run as TeX in the reviewer PDF, and kubernetes.io leaves "
                         "it out; write the text in Markdown", location=node, type="source", subtype="raw_latex")
            node.parent.remove(node)
        elif "html" in formats and (found := html_runs(node.astext())):
            logger.error("raw HTML with %s runs script in a reader's browser; remove it (to show the markup, "
                         "put it in a code span or a code block)", found[0], location=node, type="source",
                         subtype="raw_html")
            text = node.astext()
            inline = isinstance(node.parent, nodes.TextElement)
            node.replace_self(nodes.Text(text) if inline else nodes.literal_block(text, text))


def refuse_hidden_characters(app: Any, doctree: nodes.document) -> None:
    """``doctree-read``: text a post took from another file (``{literalinclude}``, a table's ``:file:``)
    holds no NUL and no noncharacter, which the post's own file may not hold either (:func:`require_utf8`):
    the export's source map would take them, and the digits between them, off the page."""
    for text in doctree.findall(nodes.Text):
        if found := _HIDDEN.search(text):
            what = "a NUL byte" if found[0] == "\x00" else f"the noncharacter U+{ord(found[0]):04X}"
            logger.error("the text taken from another file here holds %s, which no text needs; remove it from "
                         "that file", what, location=text.parent, type="source", subtype="encoding")
            stop_build()

