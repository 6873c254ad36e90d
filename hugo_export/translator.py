"""Doctree to kubernetes/website Markdown: one visitor, ``visit_``/``depart_`` per node.

Modelled on Sphinx's text writer: block content collects in a stack of block
lists (one per open container: list item, quote, footnote, callout), inline
content in a stack of string buffers (paragraph, heading, link text). A node
class without a visitor is an error naming the class and its source line, so
nothing is ever dropped silently.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

from docutils import nodes
from sphinx import addnodes
from sphinx.ext.todo import todo_node
from sphinx.util import logging
from sphinx.util.docutils import SphinxTranslator

from . import escaping
from .citations import cite_link
from .glossary import k8s_term
from .nodes import citation_group, references_list

logger = logging.getLogger(__name__)

#: Docutils admonitions and the k8s callout shortcode each maps to.
CALLOUTS = {
    "note": "note", "tip": "note", "hint": "note", "important": "note", "seealso": "note",
    "caution": "caution",
    "warning": "warning", "danger": "warning", "error": "warning", "attention": "warning",
}


class ExportError(Exception):
    """A node the export cannot carry; logged at the node's file and line."""

    def __init__(self, node: nodes.Node, message: str) -> None:
        super().__init__(message)
        self.node = node


class MarkdownTranslator(SphinxTranslator):
    """Writes one post's body as Goldmark Markdown with Hugo shortcodes."""

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
        self.problems: list[ExportError] = []
        self.body = ""

    # -- helpers ---------------------------------------------------------
    def fail(self, node: nodes.Node, message: str) -> NoReturn:
        raise ExportError(node, message)

    def unknown_visit(self, node: nodes.Node) -> None:
        self.fail(
            node,
            f"the hugo exporter does not handle <{node.__class__.__name__}> nodes; "
            "rewrite this passage without it (kubernetes/website cannot render it either)",
        )

    def add_block(self, text: str) -> None:
        self.blocks[-1].append(text)

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

    def render_blocks(self, node: nodes.Element, separator: str = "\n\n") -> str:
        """The Markdown of *node*'s children, as blocks."""
        self.push_blocks()
        for child in node.children:
            child.walkabout(self)
        return self.pop_blocks(separator)

    @staticmethod
    def indent(text: str, first: str, rest: str) -> str:
        lines = text.split("\n")
        out = [first + lines[0]] + [rest + line if line else "" for line in lines[1:]]
        return "\n".join(out)

    # -- document and structure -------------------------------------------
    def visit_document(self, node: nodes.document) -> None:
        pass

    def depart_document(self, node: nodes.document) -> None:
        parts = [self.pop_blocks()]
        notes = self.footnotes + [f"[^{key}]: {self.references[key]}" for key in self.cited]
        if notes:
            parts.append("\n\n".join(notes))
        self.body = "\n\n".join(p for p in parts if p).strip() + "\n"

    def visit_section(self, node: nodes.section) -> None:
        self.section_level += 1

    def depart_section(self, node: nodes.section) -> None:
        self.section_level -= 1

    def visit_title(self, node: nodes.title) -> None:
        parent = node.parent
        if isinstance(parent, nodes.section):
            if self.section_level == 1:
                raise nodes.SkipNode  # the post title lives in the front matter
            text = self.render_inline(node).replace("\n", " ")
            explicit = [
                self.document.nameids[name]
                for name in parent["names"]
                if self.document.nametypes.get(name) and self.document.nameids.get(name)
            ]
            anchors = explicit or [i for i in parent["ids"] if i in self.link_targets]
            suffix = f" {{#{anchors[0]}}}" if anchors else ""
            self.add_block("#" * self.section_level + " " + text + suffix)
            raise nodes.SkipNode
        if isinstance(parent, (nodes.table, nodes.Admonition, nodes.topic)):
            raise nodes.SkipNode  # read by the parent's visitor
        self.unknown_visit(node)

    def visit_paragraph(self, node: nodes.paragraph) -> None:
        self.push_inline()

    def depart_paragraph(self, node: nodes.paragraph) -> None:
        self.add_block(self.pop_inline())

    def visit_compound(self, node: nodes.compound) -> None:
        pass

    def depart_compound(self, node: nodes.compound) -> None:
        pass

    def visit_container(self, node: nodes.container) -> None:
        pass

    def depart_container(self, node: nodes.container) -> None:
        pass

    def visit_transition(self, node: nodes.transition) -> None:
        self.add_block("---")
        raise nodes.SkipNode

    def visit_comment(self, node: nodes.comment) -> None:
        raise nodes.SkipNode

    def visit_target(self, node: nodes.target) -> None:
        raise nodes.SkipNode  # labels become heading ids, see visit_title

    def visit_raw(self, node: nodes.raw) -> None:
        if "html" in node.get("format", "").split():
            logger.warning(
                "raw HTML passed through to the post as it is; prefer Markdown or a shortcode",
                location=node, type="hugo", subtype="raw",
            )
            self.add_block(node.astext())
        raise nodes.SkipNode

    # -- inline markup ---------------------------------------------------------
    def visit_Text(self, node: nodes.Text) -> None:
        self.write(escaping.escape_text(node.astext(), self.at_line_start()))

    def depart_Text(self, node: nodes.Text) -> None:
        pass

    def visit_emphasis(self, node: nodes.emphasis) -> None:
        self.write("*")

    def depart_emphasis(self, node: nodes.emphasis) -> None:
        self.write("*")

    def visit_strong(self, node: nodes.strong) -> None:
        self.write("**")

    def depart_strong(self, node: nodes.strong) -> None:
        self.write("**")

    visit_title_reference = visit_emphasis
    depart_title_reference = depart_emphasis

    def visit_literal(self, node: nodes.literal) -> None:
        self.write(escaping.code_span(node.astext()))
        raise nodes.SkipNode

    def visit_inline(self, node: nodes.inline) -> None:
        pass

    def depart_inline(self, node: nodes.inline) -> None:
        pass

    def visit_subscript(self, node: nodes.subscript) -> None:
        self.write("<sub>")

    def depart_subscript(self, node: nodes.subscript) -> None:
        self.write("</sub>")

    def visit_superscript(self, node: nodes.superscript) -> None:
        self.write("<sup>")

    def depart_superscript(self, node: nodes.superscript) -> None:
        self.write("</sup>")

    def visit_reference(self, node: nodes.reference) -> None:
        text = self.render_inline(node)
        if "refuri" in node:
            url = self.builder.site_link(node["refuri"])
        elif "refid" in node:
            url = "#" + node["refid"]
        else:
            self.fail(node, "link without a target")
        if not text:
            text = escaping.escape_text(url, False)
        title = f" {escaping.link_title(node['reftitle'])}" if node.get("reftitle") else ""
        self.write(f"[{text}]({escaping.link_destination(url)}{title})")
        raise nodes.SkipNode

    def visit_footnote_reference(self, node: nodes.footnote_reference) -> None:
        self.write(f"[^{self.footnote_label(node['refid'])}]")
        raise nodes.SkipNode

    def footnote_label(self, footnote_id: str) -> str:
        footnote = self.document.ids[footnote_id]
        names = footnote.get("names") or [footnote_id]
        return names[0].replace(" ", "-")

    def visit_footnote(self, node: nodes.footnote) -> None:
        label = self.footnote_label(node["ids"][0])
        content = self.render_blocks(
            nodes.Element("", *[c for c in node.children if not isinstance(c, nodes.label)])
        )
        self.footnotes.append(self.indent(content, f"[^{label}]: ", "    "))
        raise nodes.SkipNode

    def visit_problematic(self, node: nodes.problematic) -> None:
        self.fail(node, f"the source has a markup error here ({node.astext()!r}); see the warning above")

    visit_system_message = visit_problematic

    # -- citations and glossary --------------------------------------------------
    def visit_cite_link(self, node: cite_link) -> None:
        node[0].walkabout(self)  # the descriptive words, linked to the work
        if self.builder.config.hugo_citation_style == "footnotes":
            self.write(self.citation_marks(node))
        raise nodes.SkipNode

    def citation_marks(self, node: nodes.Element) -> str:
        keys = [ref["citekey"] for ref in node.findall(nodes.reference) if "citekey" in ref]
        for key in keys:
            if key not in self.cited:
                self.cited.append(key)
        return "".join(f"[^{key}]" for key in dict.fromkeys(keys))

    def visit_citation_group(self, node: citation_group) -> None:
        if self.builder.config.hugo_citation_style == "footnotes":
            self.write(self.citation_marks(node))
            raise nodes.SkipNode

    def depart_citation_group(self, node: citation_group) -> None:
        pass

    def visit_references_list(self, node: references_list) -> None:
        entries = {c["citekey"]: self.render_inline(c[-1]) for c in node.children}
        if self.builder.config.hugo_citation_style == "footnotes":
            self.references.update(entries)
        if node["show"]:
            self.add_block("\n".join(f"- {text}" for text in entries.values()))
        raise nodes.SkipNode

    def depart_references_list(self, node: references_list) -> None:
        pass

    def visit_k8s_term(self, node: k8s_term) -> None:
        self.write(
            escaping.shortcode("glossary_tooltip", text=node.astext(), term_id=node["term_id"])
        )
        raise nodes.SkipNode

    # -- lists -------------------------------------------------------------------
    def visit_bullet_list(self, node: nodes.bullet_list) -> None:
        self.list_starts.append(None)
        self.push_blocks()

    def visit_enumerated_list(self, node: nodes.enumerated_list) -> None:
        self.list_starts.append(node.get("start", 1))
        self.push_blocks()

    def depart_bullet_list(self, node: nodes.Element) -> None:
        self.list_starts.pop()
        tight = all(len(item.children) <= 1 or self._is_tight(item) for item in node.children)
        self.add_block(self.pop_blocks("\n" if tight else "\n\n"))

    depart_enumerated_list = depart_bullet_list

    @staticmethod
    def _is_tight(item: nodes.Element) -> bool:
        """A paragraph followed by nested lists only: still a tight item."""
        return isinstance(item[0], nodes.paragraph) and all(
            isinstance(c, (nodes.bullet_list, nodes.enumerated_list)) for c in item.children[1:]
        )

    def visit_list_item(self, node: nodes.list_item) -> None:
        start = self.list_starts[-1]
        if start is None:
            marker = "- "
        else:
            marker = f"{start + node.parent.index(node)}. "
        separator = "\n" if self._is_tight(node) else "\n\n"
        content = self.render_blocks(node, separator) if len(node) else ""
        self.add_block(self.indent(content, marker, " " * len(marker)))
        raise nodes.SkipNode

    def visit_definition_list(self, node: nodes.definition_list) -> None:
        self.push_blocks()

    def depart_definition_list(self, node: nodes.definition_list) -> None:
        self.add_block(self.pop_blocks())

    def visit_definition_list_item(self, node: nodes.definition_list_item) -> None:
        terms = [self.render_inline(t) for t in node.children if isinstance(t, nodes.term)]
        definitions = [
            self.indent(self.render_blocks(d), ": ", "  ")
            for d in node.children
            if isinstance(d, nodes.definition)
        ]
        self.add_block("\n".join(terms + definitions))
        raise nodes.SkipNode

    # -- quotes, line blocks, code ------------------------------------------------
    def visit_block_quote(self, node: nodes.block_quote) -> None:
        self.push_blocks()

    def depart_block_quote(self, node: nodes.block_quote) -> None:
        self.add_block(self.indent(self.pop_blocks(), "> ", "> ").replace("\n\n", "\n>\n"))

    def visit_attribution(self, node: nodes.attribution) -> None:
        self.add_block("— " + self.render_inline(node))
        raise nodes.SkipNode

    def visit_line_block(self, node: nodes.line_block) -> None:
        lines = []
        for line in node.findall(nodes.line):
            depth = sum(1 for a in _ancestors(line) if isinstance(a, nodes.line_block)) - 1
            lines.append("&nbsp;" * (2 * depth) + self.render_inline(line))
        self.add_block("\\\n".join(lines))
        raise nodes.SkipNode

    def visit_literal_block(self, node: nodes.literal_block) -> None:
        language = node.get("language") or "text"
        if language in ("default", "none"):
            language = "text"
        self.add_block(escaping.fenced_code(node.astext(), language))
        raise nodes.SkipNode

    visit_doctest_block = visit_literal_block

    # -- callouts, TODOs -------------------------------------------------------------
    def visit_Admonition(self, node: nodes.Element) -> None:
        """Every docutils/Sphinx admonition class dispatches here (by MRO)."""
        kind = CALLOUTS.get(node.__class__.__name__, "note")
        titles = [c for c in node.children if isinstance(c, nodes.title)]
        heading = f"**{self.render_inline(titles[0])}**\n\n" if titles else ""
        content = heading + self.render_blocks(node)
        self.add_block(f"{{{{< {kind} >}}}}\n{content}\n{{{{< /{kind} >}}}}")
        raise nodes.SkipNode

    def visit_todo_node(self, node: todo_node) -> None:
        if not self.builder.config.hugo_allow_todo:
            text = " ".join(node.astext().removeprefix("Todo").split())
            self.problems.append(ExportError(node, f"open editorial TODO: {text[:100]}"))
            raise nodes.SkipNode
        content = self.render_blocks(node)
        self.add_block(f"{{{{< caution >}}}}\n**Editorial TODO:** {content}\n{{{{< /caution >}}}}")
        raise nodes.SkipNode

    # -- tables ----------------------------------------------------------------------
    def visit_table(self, node: nodes.table) -> None:
        tgroup = next(c for c in node.children if isinstance(c, nodes.tgroup))
        rows: list[list[str]] = []
        head_rows = 0
        for part in tgroup.children:
            if isinstance(part, (nodes.thead, nodes.tbody)):
                for row in part.children:
                    rows.append([self.table_cell(entry) for entry in row.children])
                head_rows += len(part.children) if isinstance(part, nodes.thead) else 0
        if head_rows != 1:
            self.fail(node, "a GFM table needs exactly one header row; give the table one")
        aligns = [
            {"left": ":--", "center": ":-:", "right": "--:"}.get(c.get("align", ""), "---")
            for c in tgroup.children
            if isinstance(c, nodes.colspec)
        ]
        lines = [_row(rows[0]), _row(aligns)] + [_row(r) for r in rows[1:]]
        table = "\n".join(lines)
        titles = [c for c in node.children if isinstance(c, nodes.title)]
        if titles:
            caption = titles[0].astext()
            table = f"{escaping.shortcode('table', caption=caption)}\n{table}\n{{{{< /table >}}}}"
        self.add_block(table)
        raise nodes.SkipNode

    def table_cell(self, entry: nodes.entry) -> str:
        if entry.get("morerows") or entry.get("morecols"):
            self.fail(entry, "GFM tables have no spanning cells; split the cell")
        if len(entry) > 1 or (len(entry) and not isinstance(entry[0], nodes.paragraph)):
            self.fail(entry, "a GFM table cell holds one paragraph; simplify the cell")
        return self.render_inline(entry[0]).replace("\n", " ") if len(entry) else ""

    # -- figures and images ---------------------------------------------------------------
    def visit_figure(self, node: nodes.figure) -> None:
        image = next(node.findall(nodes.image))
        captions = [self.render_plain(c) for c in node.children if isinstance(c, (nodes.caption, nodes.legend))]
        self.add_block(self.figure(image, " ".join(captions)))
        raise nodes.SkipNode

    def visit_image(self, node: nodes.image) -> None:
        self.add_block(self.figure(node, ""))
        raise nodes.SkipNode

    def render_plain(self, node: nodes.Element) -> str:
        return node.astext().replace("\n", " ").strip()

    def figure(self, image: nodes.image, caption: str) -> str:
        uri = image["uri"]
        if "://" in uri:
            self.fail(image, "remote images do not belong in a post; add the file to source/")
        source = Path(self.builder.srcdir, uri).resolve()
        if not source.is_relative_to(Path(self.builder.srcdir).resolve()):
            self.fail(image, f"image {uri!r} lies outside the source directory; copy it into source/")
        if not source.is_file():
            self.fail(image, f"image file {uri!r} does not exist")
        clash = next((s for s, name in self.images if name == source.name and s != source), None)
        if clash is not None:
            self.fail(image, f"images {clash} and {source} would share the name {source.name!r} "
                             "in the page bundle; rename one")
        self.images.append((source, source.name))
        params = {"src": source.name, "alt": image.get("alt", "")}
        if caption:
            params["caption"] = caption
        return escaping.shortcode("figure", **params)

    # -- Sphinx nodes that say nothing in a post -------------------------------------------
    def visit_index(self, node: addnodes.index) -> None:
        raise nodes.SkipNode

    visit_meta = visit_index


def _ancestors(node: nodes.Node) -> list[nodes.Node]:
    out = []
    while node.parent is not None:
        node = node.parent
        out.append(node)
    return out


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"
