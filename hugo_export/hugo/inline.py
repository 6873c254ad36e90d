"""Inline markup: text, emphasis, code, links, footnote marks, citations, glossary terms."""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes

from ..sphinx_ext.roles import cite_link, k8s_term
from . import markdown
from .figures import Figures
from .nodes import citation_group


class InlineMarkup(Figures):
    """Visitors of the nodes that live inside a paragraph, heading or cell."""

    def visit_Text(self, node: nodes.Text) -> None:
        self.write(markdown.escape_text(node.astext(), self.at_line_start(), self.place))

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
        self.write(markdown.code_span(node.astext(), self.place))
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

    # -- links -------------------------------------------------------------------
    def visit_reference(self, node: nodes.reference) -> None:
        if not isinstance(node.parent, nodes.TextElement):  # an image with a :target:, standing alone
            self.add_block(self.image_block(node))
            raise nodes.SkipNode
        url = self.link_url(node)
        text = self.render_inline(node) or markdown.escape_text(url, False, self.place)
        self.write(f"[{text}]({markdown.link_destination(url)}{self.title_part(node, 'reftitle', 'link')})")
        raise nodes.SkipNode

    def visit_download_reference(self, node: addnodes.download_reference) -> None:
        self.fail(node, "a {download} link: kubernetes.io posts carry no downloadable files; "
                        "link the file where it is published instead")

    def visit_footnote_reference(self, node: nodes.footnote_reference) -> None:
        self.refuse_in_parameter(node, "a footnote mark")
        self.write(f"[^{node['refid']}]")  # docutils ids: unique, and safe in a label
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
        self.refuse_in_parameter(node, "a citation footnote")
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
        self.refuse_in_parameter(node, "a glossary term")
        self.write(self.shortcode(node, "glossary_tooltip", text=node.astext(), term_id=node["term_id"]))
        raise nodes.SkipNode
