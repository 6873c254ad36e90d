"""Every file a build reads lies inside the source directory: one rule, applied wherever a post can open a file.

A post comes from a contributor's branch, and whatever a build reads can
reach the export (and so the pull request), the HTML preview or the PDF. So a
path that resolves outside ``source/``, symbolic links followed, is an error
at its line in every output, and the file is not read:

- the directives that open files: ``include`` (MyST's and reStructuredText's,
  every option), ``literalinclude`` and its ``:diff:``, ``csv-table :file:``,
  ``raw :file:``; their ``:url:`` options, which would fetch from the network,
  are refused outright;
- images, figures and ``{download}`` links, before Sphinx's collectors record
  them for copying into the output;
- and, as the net under all of them, every dependency a document recorded
  while it was read (docutils and MyST note each file they open), so a
  directive added by a later docutils or MyST is held to the same rule.

The bibliography files named in ``conf.py`` are the project's, not the post's,
and may lie beside ``source/``.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Sequence
from glob import glob
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst.directives.misc import Raw
from docutils.parsers.rst.directives.tables import CSVTable
from sphinx import addnodes
from sphinx.directives.code import LiteralInclude
from sphinx.directives.other import Include
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .sources import NONCHARACTER, myst_front_matter, stop_build

logger = logging.getLogger(__name__)

OUTSIDE = ("%s of %r reads a file outside the source directory, which a build does not track and a pull "
           "request would publish; copy the file into source/")
NOT_A_FILE = "%s of %r names no regular file (a folder, a pipe or a device); name a file under source/"
NETWORK = ("%s with :url: would fetch %r from the network while the post is built; put the data in the post "
           "or in a file under source/")


def inside(path: str | Path, srcdir: str | Path) -> bool:
    """Whether *path* (relative to *srcdir*, or absolute) is *srcdir* or under it, symbolic links followed."""
    root = Path(srcdir).resolve()
    return Path(root, path).resolve().is_relative_to(root)


def unreadable(path: str | Path, srcdir: str | Path) -> str | None:
    """Why a post may not read *path*, if it may not: it lies outside *srcdir*, or it is there but no
    regular file (reading a pipe or a device would hang the build, or never end). A missing file is
    left to the directive, which says so."""
    if not inside(path, srcdir):
        return OUTSIDE
    full = Path(srcdir, path).resolve()
    return NOT_A_FILE if full.exists() and not full.is_file() else None


def refuse(what: str, path: str, location: Any, problem: str = OUTSIDE) -> None:
    logger.error(problem, what, path, location=location, type="source", subtype="include")


class _Guarded(SphinxDirective):
    """A directive that opens files: refuses what it may not read before the file is read."""

    def outside(self, what: str, path: str, base: Path) -> bool:
        """Whether *path*, read relative to *base*, may not be read; says why at this directive's line."""
        if (problem := unreadable(base / path, self.env.srcdir)) is None:
            return False
        refuse(what, path, self.get_location(), problem)
        return True

    def here(self) -> Path:
        """The folder of the file this directive stands in (an included file's, inside an include)."""
        return Path(self.state.document.current_source or self.env.doc2path(self.env.docname)).parent

    def refuse_url(self) -> bool:
        if "url" not in self.options:
            return False
        logger.error(NETWORK, f"{{{self.name}}}", self.options["url"], location=self.get_location(),
                     type="source", subtype="include")
        return True


class SourceInclude(Include, _Guarded):
    """``include`` in reStructuredText (``{eval-rst}``): the file, in every option's form, from ``source/`` only.

    MyST's ``{include}`` reads the file itself and hands its text to the
    ``include-read`` event (:func:`hugo_export.sphinx_ext.boundary.check_include`).
    """

    def run(self) -> Sequence[nodes.Node]:
        argument = self.arguments[0]
        if argument.startswith("<") and argument.endswith(">"):  # docutils' own files: none is a post's
            refuse("{include}", argument, self.get_location())
            return []
        if "parser" in self.options:  # a document of its own, which no include-read check would see
            logger.error("an include with :parser: reads the file as a document of its own; write "
                         "```{include} %s``` in the post's Markdown instead", argument,
                         location=self.get_location(), type="source", subtype="include")
            return []
        _, path = self.env.relfn2path(argument)
        if self.outside("{include}", argument, Path(path).parent) or not inside(path, self.env.srcdir):
            return []
        return super().run()


class SourceLiteralInclude(LiteralInclude, _Guarded):
    """``{literalinclude}`` of files inside the source directory only, ``:diff:`` included."""

    def run(self) -> list[nodes.Node]:
        base = Path(self.env.relfn2path(".")[1])
        for what, argument in (("{literalinclude}", self.arguments[0]), (":diff:", self.options.get("diff"))):
            if argument is not None and self.outside(what, argument, base):
                return []
        return super().run()


class SourceCSVTable(CSVTable, _Guarded):
    """``csv-table`` with ``:file:`` inside the source directory; ``:url:`` refused."""

    def run(self) -> list[nodes.Node]:
        if self.refuse_url() or ("file" in self.options and self.outside(":file:", self.options["file"], self.here())):
            return []
        return super().run()


class SourceRaw(Raw, _Guarded):
    """``raw`` with ``:file:`` inside the source directory; ``:url:`` refused."""

    def run(self) -> list[nodes.Node]:
        if self.refuse_url() or ("file" in self.options and self.outside(":file:", self.options["file"], self.here())):
            return []
        return super().run()


#: An include in MyST (a ```` ``` ````, ``~~~`` or ``:::`` fence, in quotes and lists too) or in
#: reStructuredText, and what it names.
_INCLUDE_LINE = re.compile(r"^(?P<lead>[ \t>*+\-0-9.)]*?(?:`{3,}|~{3,}|:{3,})[ \t]*)\{include\}[ \t]*(?P<md>.+?)[ \t]*$"
                           r"|^\s*\.\. include::\s*(?P<rst>.+?)\s*$")


def read_includes_first(env: Any, docname: str, text: str, location: int | None = None) -> str:
    """*text* (a document's, or a file it includes) with each MyST ``{include}`` of a file it may not read
    made an empty code block, after an error at its line (or at *location*): MyST reads the file
    before any event could refuse it, and a pipe or ``/dev/zero`` would never end."""
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if (found := _INCLUDE_LINE.match(line)) is None or found["md"] is None:
            continue
        _, full = env.relfn2path(found["md"], docname)
        if (problem := unreadable(full, env.srcdir)) is not None:
            refuse("{include}", found["md"], (docname, location or number + 1), problem)
            lines[number] = found["lead"] + "text"
    return "\n".join(lines)


def check_source_includes(app: Any, docname: str, source: list[str]) -> None:
    """``source-read``: see :func:`read_includes_first`."""
    source[0] = read_includes_first(app.env, docname, source[0])


def include_line(env: Any, docname: str, relative_path: Path) -> int | None:
    """The line of *docname* whose include names *relative_path* (the file as MyST hands it to
    ``include-read``: relative to the source directory), if the document itself holds it."""
    wanted = os.path.normpath(relative_path)
    source = Path(env.doc2path(docname)).read_text(encoding="utf-8").split("\n")
    for number, text in enumerate(source, 1):
        if (match := _INCLUDE_LINE.match(text)) is not None:
            _, full = env.relfn2path(match["md"] or match["rst"], docname)
            if os.path.normpath(os.path.relpath(full, env.srcdir)) == wanted:
                return number
    return None


def check_include(app: Any, relative_path: Path, parent_docname: str, content: list[str]) -> None:
    """``include-read``: an included file lies inside the source directory and holds only text; its
    front matter, if any, is not read (MyST would take a title from it). Otherwise its text is
    left out, with an error at the include's line."""
    env = app.env
    docname = env.current_document.docname  # MyST names the parent by its file's stem only
    text = content[0]
    if not inside(relative_path, app.srcdir):
        problem = OUTSIDE % ("{include}", str(relative_path))
    elif (nul := text.find("\x00")) >= 0:
        problem = (f"the included {relative_path} holds a NUL byte at its line {text.count(chr(10), 0, nul) + 1}; "
                   "remove it (an editor or a bad copy put it there)")
    elif found := NONCHARACTER.search(text):
        problem = (f"the included {relative_path} holds the noncharacter U+{ord(found[0]):04X} at its line "
                   f"{text.count(chr(10), 0, found.start()) + 1}, which no text needs; remove it")
    else:  # and the files it includes in turn: MyST reads them before this event
        content[0] = read_includes_first(env, docname, myst_front_matter(text, None),
                                         include_line(env, docname, relative_path))
        return
    logger.error("%s", problem, location=(docname, include_line(env, docname, relative_path)), type="source",
                 subtype="include")
    content[0] = ""


DIRECTIVES = {"include": SourceInclude, "literalinclude": SourceLiteralInclude, "csv-table": SourceCSVTable,
              "raw": SourceRaw}


def _files(uri: str, docname: str, env: Any) -> list[str]:
    """The files an image or download *uri* of *docname* names (every ``diagram.*`` candidate, as
    Sphinx's image collector globs them)."""
    _, full = env.relfn2path(uri, docname)
    return (glob(str(full)) or [full]) if "*" in str(full) else [full]


def check_assets(app: Any, doctree: nodes.document) -> None:
    """``doctree-read``, before Sphinx's collectors note images and downloads for copying: one that
    lies outside the source directory, or an image whose file is missing, is an error at its line
    and leaves the document (a figure goes whole). Sphinx would say "not readable" of a missing
    image, then crash on it in the PDF's image converters."""
    env = app.env
    for node in list(doctree.findall(lambda n: isinstance(n, (nodes.image, addnodes.download_reference)))):
        uri = node["uri"] if isinstance(node, nodes.image) else node.get("reftarget", "")
        if not uri or "://" in uri or uri.startswith("data:"):
            continue  # not a file: the export refuses remote images itself
        files = _files(uri, env.docname, env)
        problem = next((found for path in files if (found := unreadable(path, app.srcdir))), None)
        if problem == OUTSIDE and isinstance(node, nodes.image):
            logger.error("image %r lies outside the source directory; copy it into source/", uri,
                         location=node, type="source", subtype="include")
        elif problem is not None:
            refuse("image" if isinstance(node, nodes.image) else "{download}", uri, node, problem)
        elif isinstance(node, nodes.image) and not any(Path(path).is_file() for path in files):
            folder = Path(files[0]).parent
            near = difflib.get_close_matches(Path(uri).name, [f.name for f in folder.iterdir()] if folder.is_dir()
                                             else [], n=1, cutoff=0.6)
            logger.error("image file %r does not exist beside the post; add it, or correct the name%s", uri,
                         f" (did you mean {near[0]!r}?)" if near else "", location=node, type="source",
                         subtype="image")
        else:
            continue
        if isinstance(node, addnodes.download_reference):
            node.replace_self(nodes.Text(node.astext()))
        else:
            whole = node.parent if isinstance(node.parent, nodes.figure) else node
            whole.parent.remove(whole)


def refuse_outside_dependencies(app: Any, doctree: nodes.document) -> None:
    """``doctree-read``, after Sphinx collected the files each document read: any outside the
    source directory (but the bibliography ``conf.py`` names) stops the build."""
    env = app.env
    allowed = {Path(app.srcdir, bib).resolve() for bib in app.config.bibtex_bibfiles}
    outside = sorted(str(path) for path in env.dependencies.get(env.docname, ())
                     if not inside(path, app.srcdir) and Path(app.srcdir, path).resolve() not in allowed)
    for path in outside:
        logger.error("the post read %r, outside the source directory; copy what it needs into source/",
                     os.path.relpath(Path(app.srcdir, path), app.srcdir), location=(env.docname, None),
                     type="source", subtype="include")
    if outside:
        stop_build()


def setup_boundary(app: Any) -> None:
    for name, directive in DIRECTIVES.items():
        app.add_directive(name, directive, override=True)
    app.connect("source-read", check_source_includes)
    app.connect("include-read", check_include)
    app.connect("doctree-read", check_assets, priority=400)  # Sphinx's collectors: 500
    app.connect("doctree-read", refuse_outside_dependencies, priority=900)
