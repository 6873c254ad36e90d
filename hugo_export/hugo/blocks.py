"""Block structure: the document, sections, paragraphs, lists, quotes, code, callouts, footnotes."""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.ext.todo import todo_node
from sphinx.util import logging

from . import markdown
from .figures import Figures, lone_image
from .nodes import references_list

logger = logging.getLogger(__name__)
#: How MyST writes a hard line break (a backslash or two spaces before a newline).
_HARD_BREAK = [("html", "<br />\n"), ("latex", "\\\\\n")]

#: Docutils admonitions and the k8s callout shortcode each maps to.
CALLOUTS = {
    "note": "note", "tip": "note", "hint": "note", "important": "note", "seealso": "note",
    "caution": "caution",
    "warning": "warning", "danger": "warning", "error": "warning", "attention": "warning",
}


class Blocks(Figures):
    """Visitors of the nodes that make a post's blocks."""

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
                if parent is not self.document.next_node(nodes.section):
                    self.fail(node, f"a second top-level heading ('# {node.astext()}'): the post's title is its "
                                    "only H1 (from the front matter); make this one '##'")
                raise nodes.SkipNode  # the post title lives in the front matter
            text = markdown.heading_text(self.render_inline(node).replace("\n", " "))
            anchor = self.section_anchor(parent)
            suffix = f" {{#{anchor}}}" if anchor else ""
            self.add_block("#" * self.section_level + " " + text + suffix)
            raise nodes.SkipNode
        if isinstance(parent, (nodes.table, nodes.Admonition, nodes.topic)):
            raise nodes.SkipNode  # read by the parent's visitor
        self.unknown_visit(node)

    def visit_rubric(self, node: nodes.rubric) -> None:
        self.fail(node, f"a heading inside a list, quote or callout ({node.astext()!r}; a '-' or '=' line right "
                        "under a line of text makes one): a post's headings stand at the top level; move it "
                        "out, or leave a blank line before the '-'")

    def visit_paragraph(self, node: nodes.paragraph) -> None:
        if lone_image(node) is not None:
            self.add_block(self.image_block(node))  # an image standing alone: a figure
            raise nodes.SkipNode
        self.push_inline()

    def depart_paragraph(self, node: nodes.paragraph) -> None:
        self.add_block(self.pop_inline())

    def visit_compound(self, node: nodes.compound) -> None:
        pass

    def depart_compound(self, node: nodes.compound) -> None:
        pass

    visit_container = visit_compound
    depart_container = depart_compound

    def visit_transition(self, node: nodes.transition) -> None:
        if "footnotes" not in node["classes"]:  # MyST's rule before the footnotes: Goldmark draws its own
            self.add_block("---")
        raise nodes.SkipNode

    def visit_comment(self, node: nodes.comment) -> None:
        raise nodes.SkipNode

    def visit_target(self, node: nodes.target) -> None:
        raise nodes.SkipNode  # labels become heading ids, see visit_title

    def visit_raw(self, node: nodes.raw) -> None:
        formats = node.get("format", "").split()
        if _hard_break(node):
            self.refuse_in_parameter(node, "a line break")
            if "html" in formats:
                self.write("\\\n")  # Markdown's own hard break; the LaTeX twin says nothing here
        elif "html" in formats:
            self.refuse_in_parameter(node, "raw HTML")
            logger.warning(
                "raw HTML passed through to the post as it is; prefer Markdown or a shortcode",
                location=node, type="hugo", subtype="raw",
            )
            if isinstance(node.parent, nodes.TextElement):
                self.write(node.astext())
            else:
                self.add_block(node.astext())
        else:
            logger.warning(
                "raw %s shows in that output only: the post on kubernetes.io leaves it out",
                " ".join(formats) or "markup", location=node, type="hugo", subtype="raw_dropped",
            )
        raise nodes.SkipNode

    def visit_footnote(self, node: nodes.footnote) -> None:
        label = node["ids"][0]
        content = self.render_blocks([c for c in node.children if not isinstance(c, nodes.label)])
        self.footnotes.append(self.indent(content, f"[^{label}]: ", "    "))
        raise nodes.SkipNode

    def visit_references_list(self, node: references_list) -> None:
        entries = {c["citekey"]: self.render_inline(c[-1]) for c in node.children}
        if self.citation_style() == "footnotes":
            self.references.update(entries)
        if node["show"]:
            self.add_block("\n".join(f"- {text}" for text in entries.values()))
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
        return bool(len(item)) and isinstance(item[0], nodes.paragraph) and all(
            isinstance(c, (nodes.bullet_list, nodes.enumerated_list)) for c in item.children[1:]
        )

    def visit_list_item(self, node: nodes.list_item) -> None:
        if not len(node):
            self.fail(node, "an empty list item (a marker with no text): Markdown reads a nested one as a "
                            "heading underline; write its text, or remove the marker")
        start = self.list_starts[-1]
        marker = "- " if start is None else f"{start + node.parent.index(node)}. "
        separator = "\n" if self._is_tight(node) else "\n\n"
        content = self.render_blocks(node, separator)
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
            depth = len([a for a in _ancestors(line) if isinstance(a, nodes.line_block)]) - 1
            lines.append("&nbsp;" * (2 * depth) + self.render_inline(line))
        self.add_block("\\\n".join(lines))
        raise nodes.SkipNode

    def visit_literal_block(self, node: nodes.literal_block) -> None:
        language = node.get("language") or "text"
        if language in ("default", "none"):
            language = "text"
        if not markdown.LANGUAGE.fullmatch(language):
            self.fail(node, f"code language {language[:40]!r} is not a language name the site can highlight "
                            "(letters, digits and _+#.- only); name one, such as yaml, or text")
        self.add_block(markdown.fenced_code(node.astext(), language, self.place))
        raise nodes.SkipNode

    visit_doctest_block = visit_literal_block

    # -- callouts, TODOs -------------------------------------------------------------
    def visit_Admonition(self, node: nodes.Element) -> None:
        """Every docutils/Sphinx admonition class dispatches here (by MRO)."""
        kind = CALLOUTS.get(node.__class__.__name__, "note")
        titles = [c for c in node.children if isinstance(c, nodes.title)]
        with self.placed(inner=True):
            heading = f"**{self.render_inline(titles[0])}**\n\n" if titles else ""
            content = heading + self.render_blocks(node)
        self.add_block(f"{{{{< {kind} >}}}}\n{content}\n{{{{< /{kind} >}}}}")
        raise nodes.SkipNode

    def visit_todo_node(self, node: todo_node) -> None:
        if not self.builder.config.hugo_allow_todo:
            text = " ".join(node.astext().removeprefix("Todo").split())
            self.fail(node, f"open editorial TODO: {text[:100]} (resolve it and remove the {{todo}} block; "
                            "make preview ALLOW_TODO=1 shows a draft with it)")
        with self.placed(inner=True):
            content = self.render_blocks(node)
        self.add_block(f"{{{{< caution >}}}}\n**Editorial TODO:** {content}\n{{{{< /caution >}}}}")
        raise nodes.SkipNode

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


def _hard_break(node: nodes.raw) -> bool:
    """Whether *node* is one of the two raw nodes MyST writes for a hard line break."""
    siblings = node.parent.children if node.parent is not None else [node]
    at = siblings.index(node)
    pairs = (siblings[i : i + 2] for i in (at - 1, at) if i >= 0)
    return any([(n.get("format"), n.astext()) if isinstance(n, nodes.raw) else None for n in pair] == _HARD_BREAK
               for pair in pairs)
