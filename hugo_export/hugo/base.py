"""The translator's state and helpers, shared by its node-family parts.

Modelled on Sphinx's text writer: block content collects in a stack of block
lists (one per open container: list item, quote, footnote, callout), inline
content in a stack of string buffers (paragraph, heading, link text). A node
the export cannot carry is a problem recorded at its source line and skipped,
so one run reports every such node of every post; nothing is dropped
silently, because the builder writes nothing while problems remain. Each
block carries the source line of the node that made it (:mod:`.sourcemap`).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, NoReturn

from docutils import nodes
from sphinx.util.docutils import SphinxTranslator

from ..sphinx_ext.authoring import root_relative
from ..sphinx_ext.sources import link_problem
from . import markdown
from .sourcemap import tag_block


class BundleNames(dict[str, str]):
    """The name of each image file in a post's page bundle, by its path in the sources: its own name,
    or with a number before its suffix when another file took it (``pic.svg``, ``pic1.svg``), as
    Sphinx names the files it copies."""

    def add(self, uri: str) -> str:
        if uri not in self:
            stem, suffix = posixpath.splitext(posixpath.basename(uri))
            taken, name, number = set(self.values()), stem + suffix, 0
            while name in taken:
                number += 1
                name = f"{stem}{number}{suffix}"
            self[uri] = name
        return self[uri]


class TranslatorBase(SphinxTranslator):
    """State (block and inline stacks, what the post collects) and helpers."""

    def __init__(self, document: nodes.document, builder: Any) -> None:
        super().__init__(document, builder)
        self.blocks: list[list[str]] = [[]]
        self.inlines: list[list[str]] = []
        self.section_level = 0
        self.list_starts: list[int | None] = []
        self.footnotes: list[str] = []
        self.references: dict[str, str] = {}
        self.cited: list[str] = []
        self.bundle = BundleNames()  # the post's images
        self.link_targets = {ref["refid"] for ref in document.findall(nodes.reference) if "refid" in ref}
        self.problems: list[tuple[nodes.Node, str]] = []
        self.place = markdown.PROSE  # where the text being written goes (see markdown.Place)
        self.body = ""
        self.open_nodes: list[nodes.Node] = []  # being visited, innermost last: whose line a block gets

    def dispatch_visit(self, node: nodes.Node) -> None:
        self.open_nodes.append(node)
        try:
            super().dispatch_visit(node)
        except nodes.SkipNode:  # no departure follows
            self.open_nodes.pop()
            raise

    def dispatch_departure(self, node: nodes.Node) -> None:
        super().dispatch_departure(node)
        self.open_nodes.pop()

    @property
    def images(self) -> list[tuple[Path, str]]:
        """The files of the post's page bundle, with their names there."""
        return [(Path(self.builder.srcdir, uri).resolve(), name) for uri, name in self.bundle.items()]

    def fail(self, node: nodes.Node, message: str) -> NoReturn:
        """Record a problem at *node* and skip it; the post is then not written."""
        self.problems.append((node, message))
        raise nodes.SkipNode

    def unknown_visit(self, node: nodes.Node) -> None:
        self.fail(
            node,
            f"the hugo exporter does not handle <{node.__class__.__name__}> nodes; "
            "rewrite this passage without it (kubernetes/website cannot render it either)",
        )

    def add_block(self, text: str) -> None:
        """Add a block, tagged with the source line of the node being visited or departed."""
        self.blocks[-1].append(tag_block(text, self.open_nodes[-1] if self.open_nodes else None))

    def push_blocks(self) -> None:
        self.blocks.append([])

    def pop_blocks(self, separator: str = "\n\n") -> str:
        return separator.join(self.blocks.pop())

    def push_inline(self) -> None:
        self.inlines.append([])

    def pop_inline(self) -> str:
        return "".join(self.inlines.pop()).strip()

    def write(self, text: str) -> None:
        self.inlines[-1].append(text)

    def at_line_start(self) -> bool:
        buffer = self.inlines[-1]
        return not buffer or "".join(buffer[-2:]).endswith("\n")

    def render_inline(self, node: nodes.Element) -> str:
        """The Markdown of *node*'s children, as one inline run."""
        self.push_inline()
        for child in node.children:
            child.walkabout(self)
        return self.pop_inline()

    def render_blocks(self, children: nodes.Element | list[nodes.Node], separator: str = "\n\n") -> str:
        """The Markdown of *children* (a node's, or a list), as blocks."""
        self.push_blocks()
        for child in children.children if isinstance(children, nodes.Element) else children:
            child.walkabout(self)
        return self.pop_blocks(separator)

    @staticmethod
    def indent(text: str, first: str, rest: str) -> str:
        lines = text.split("\n")
        out = [first + lines[0]] + [rest + line if line else "" for line in lines[1:]]
        return "\n".join(out)

    def section_anchor(self, section: nodes.Element) -> str | None:
        """The id the post gives *section*'s heading: its label's, else the one
        links use; ``None`` leaves it to Goldmark."""
        explicit = [
            self.document.nameids[name]
            for name in section["names"]
            if self.document.nametypes.get(name) and self.document.nameids.get(name)
        ]
        anchors = explicit or [i for i in section["ids"] if i in self.link_targets]
        return anchors[0] if anchors else None

    def link_url(self, node: nodes.reference) -> str:
        """Where *node* leads on kubernetes.io; a link the site could not follow is a problem."""
        if "refid" in node:
            target = self.document.ids.get(node["refid"])
            if not isinstance(target, nodes.section):
                kind = target.__class__.__name__ if target is not None else "target that does not exist"
                self.fail(node, f"a link to a {kind} (#{node['refid']}): only headings have anchors in the post "
                                "on kubernetes.io; link the section that holds it")
            return "#" + (self.section_anchor(target) or node["refid"])
        url = node.get("refuri", "")
        if not url:
            self.fail(node, "a link to a page that is not a post (such as the preview's index): kubernetes.io "
                            "has no such page; link a post or a web page")
        if problem := link_problem(url):  # a citation's link, made after the extension checked the rest
            self.fail(node, problem)
        return root_relative(url, self.config.hugo_site_url)

    @contextmanager
    def placed(self, **place: bool) -> Iterator[None]:
        """Write into another :class:`~.markdown.Place` (a cell, a parameter) for a while."""
        outer = self.place
        self.place = replace(outer, **place)
        try:
            yield
        finally:
            self.place = outer

    def render_parameter(self, node: nodes.Element) -> str:
        """*node*'s children as one line of Markdown for a quoted shortcode
        parameter the site renders with ``markdownify`` (a figure caption)."""
        with self.placed(parameter=True):
            return self.render_inline(node).replace("\n", " ")

    def refuse_in_parameter(self, node: nodes.Node, what: str) -> None:
        """A node a shortcode parameter cannot hold (a shortcode, a footnote mark)."""
        if self.place.parameter:
            self.fail(node, f"{what} inside a caption: kubernetes.io's figure caption cannot hold it; "
                            "move it to the text around the figure")

    def shortcode(self, node: nodes.Node, name: str, /, **params: str) -> str:
        """The opening call of shortcode *name*; a parameter value Hugo cannot
        read back as written is a problem at *node*."""
        try:
            return markdown.shortcode(name, **params)
        except ValueError as err:
            self.fail(node, f"the {err} of this {name} holds a backtick and a backslash that no Hugo shortcode "
                            "parameter can carry together (a quoted one reads \\\" and \\`, a raw one ends at a "
                            "backtick); rephrase it")

    def title_part(self, node: nodes.Element, attribute: str, what: str) -> str:
        """`` "title"`` for the Markdown of a link or image with a title in *attribute*, else ``""``; a title
        the site's hooks cannot show as written is a problem at *node*."""
        title = node.get(attribute)
        if not title:
            return ""
        if problem := markdown.title_problem(title, self.place):
            self.fail(node, f"the {what} title {title[:60]!r} {problem}; kubernetes.io's {what} hook shows a "
                            "title as written in Markdown, escapes included: rephrase it")
        return f" {markdown.link_title(title)}"

    def citation_style(self) -> str:
        return str(self.builder.config.hugo_citation_style)
