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

from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util.docutils import SphinxTranslator

from .sourcemap import tag_block

if TYPE_CHECKING:
    from .builder import HugoBuilder


class TranslatorBase(SphinxTranslator):
    """State (block and inline stacks, what the post collects) and helpers."""

    builder: HugoBuilder

    def __init__(self, document: nodes.document, builder: Any) -> None:
        super().__init__(document, builder)
        self.blocks: list[list[str]] = [[]]
        self.inlines: list[list[str]] = []
        self.section_level = 0
        self.list_starts: list[int | None] = []
        self.footnotes: list[str] = []
        self.references: dict[str, str] = {}
        self.cited: list[str] = []
        self.images: list[tuple[Path, str]] = []
        self.link_targets = {ref["refid"] for ref in document.findall(nodes.reference) if "refid" in ref}
        self.problems: list[tuple[nodes.Node, str]] = []
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

    def fail(self, node: nodes.Node, message: str) -> None:
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

    def footnote_label(self, footnote_id: str) -> str:
        footnote = self.document.ids[footnote_id]
        names = footnote.get("names") or [footnote_id]
        return str(names[0]).replace(" ", "-")

    def citation_style(self) -> str:
        return str(self.builder.config.hugo_citation_style)
