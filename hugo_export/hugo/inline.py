"""Inline markup: text, emphasis, code, links, footnote marks, citations, glossary terms."""

from __future__ import annotations

from docutils import nodes

from ..sphinx_ext.roles import cite_link, k8s_term
from . import markdown
from .base import TranslatorBase
from .nodes import citation_group


class InlineMarkup(TranslatorBase):
    """Visitors of the nodes that live inside a paragraph, heading or cell."""

    def visit_Text(self, node: nodes.Text) -> None:
        self.write(markdown.escape_text(node.astext(), self.at_line_start()))

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
        self.write(markdown.code_span(node.astext()))
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
            text = markdown.escape_text(url, False)
        title = f" {markdown.link_title(node['reftitle'])}" if node.get("reftitle") else ""
        self.write(f"[{text}]({markdown.link_destination(url)}{title})")
        raise nodes.SkipNode

    def visit_footnote_reference(self, node: nodes.footnote_reference) -> None:
        self.write(f"[^{self.footnote_label(node['refid'])}]")
        raise nodes.SkipNode

    def visit_problematic(self, node: nodes.problematic) -> None:
        self.fail(node, f"the source has a markup error here ({node.astext()!r}); see the warning above")

    visit_system_message = visit_problematic

    # -- citations and glossary terms ------------------------------------------
    def visit_cite_link(self, node: cite_link) -> None:
        node[0].walkabout(self)  # the descriptive words, linked to the work
        if self.citation_style() == "footnotes":
            self.write(self.citation_marks(node))
        raise nodes.SkipNode

    def citation_marks(self, node: nodes.Element) -> str:
        keys = [ref["citekey"] for ref in node.findall(nodes.reference) if "citekey" in ref]
        for key in keys:
            if key not in self.cited:
                self.cited.append(key)
        return "".join(f"[^{key}]" for key in dict.fromkeys(keys))

    def visit_citation_group(self, node: citation_group) -> None:
        if self.citation_style() == "footnotes":
            self.write(self.citation_marks(node))
            raise nodes.SkipNode

    def depart_citation_group(self, node: citation_group) -> None:
        pass

    def visit_k8s_term(self, node: k8s_term) -> None:
        self.write(markdown.shortcode("glossary_tooltip", text=node.astext(), term_id=node["term_id"]))
        raise nodes.SkipNode
