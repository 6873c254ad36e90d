"""The reviewer PDF's LaTeX translator: source positions, numbered table rows, tables that read.

Sphinx's own ``LaTeXTranslator``, with what a reviewer needs added at its
visit methods; the macros it writes are defined in ``blogreview.sty``:

- each block (paragraph, heading, list item, code block, table row) names its
  source position in the right margin: ``L57``, or ``name.md:57`` for text
  that comes from another file than the post's own;
- each table row gets a line number of the document's running series;
- a table that may break across pages (one in the body, not in a box) is a
  ``longtable`` whose column widths follow the cells' text (:mod:`.tablewidths`),
  instead of a box that jumps to the next page and leaves half of this one blank;
- the running header names the post and the revision of its sources, and the
  PDF's subject is the post's description.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.writers.latex import CR, LaTeXTranslator

from ..post import find_posts, read_front_matter
from ..revision import describe, own_paths
from .tablewidths import table_columns

#: Capitalised parts joined by hyphens: a product (SEV-SNP), a name (Feldman-Fitzthum), an id (CVE-2025-29943).
BOUND = re.compile(r"\b[A-Z0-9][\w.]*(?:-[A-Z0-9][\w.]*)+\b")
#: The attribute of the section that holds the reference list (:class:`ReferencesSection`).
REFERENCES = "review_references"
#: Where a table may break across pages: the blocks that are not boxes.
FLOWING = (nodes.document, nodes.section, nodes.list_item, nodes.bullet_list, nodes.enumerated_list,
           nodes.block_quote)


class ReferencesSection(SphinxPostTransform):
    """Mark the section that holds the post's reference list, before Sphinx's LaTeX writer moves the
    list to the end of the document (its ``BibliographyTransform``, priority 750)."""

    builders = ("latex",)
    default_priority = 700

    def run(self, **kwargs: Any) -> None:
        for citation in self.document.findall(nodes.citation):
            section = citation.parent
            while section is not None and not isinstance(section, nodes.section):
                section = section.parent
            if section is not None:
                section[REFERENCES] = True


def in_flow(node: nodes.Node) -> bool:
    """Whether *node* sits in the text's own flow (sections, lists, quotes), not in a box."""
    parent = node.parent
    while isinstance(parent, FLOWING):
        parent = parent.parent
    return parent is None


def first_line(node: nodes.Node) -> int | None:
    """The first source line of *node* or of anything in it."""
    lines = [n.line for n in node.findall() if getattr(n, "line", None)]
    return min(lines) if lines else None


class ReviewTranslator(LaTeXTranslator):
    """``LaTeXTranslator`` plus the reviewer's margins and tables (see the module)."""

    def __init__(self, document: nodes.document, builder: Any, theme: Any) -> None:
        super().__init__(document, builder, theme)
        self.source = Path(document["source"])
        self.breakable: list[bool] = []  #: per open table: a longtable with numbered rows
        self.row_mark: str | None = None  #: \\RevRow of the current row, until a paragraph takes it
        srcdir = Path(builder.srcdir)
        meta = next((post.meta() for post in find_posts(srcdir) if post.path == self.source), None)
        bibfiles = [srcdir / name for name in builder.config.bibtex_bibfiles]
        revision = describe(srcdir, own_paths(self.source, bibfiles))  # "+ changes": this post's files
        setup = rf"\RevSetup{{{self.elements['title']}}}{{{self.escape(revision)}}}"
        if meta is not None:  # the title page gives the day the post is planned for, not the build's
            self.elements["date"] = self.escape(f"planned for {meta.date:%B} {meta.date.day}, {meta.date.year}")
        if meta is not None and meta.description:
            # At \begin{document}: only then does hyperref read \sphinxhyphen as "-" in PDF strings.
            setup += rf"\AtBeginDocument{{\hypersetup{{pdfsubject={{{self.escape(meta.description)}}}}}}}"
            self.elements["maketitle"] += self.abstract(meta.description)
        if builder.config.language:  # the PDF's /Lang, for screen readers and hyphenation in viewers
            setup += rf"\hypersetup{{pdflang={{{self.escape(builder.config.language.replace('_', '-'))}}}}}"
        self.elements["preamble"] += setup + CR

    def abstract(self, description: str) -> str:
        """The post's description as the abstract, after the title block, with its source line."""
        front = read_front_matter(self.source)
        where = rf"\RevSource{{L{front.line('description')}}}" if front is not None else ""
        return rf"\begin{{RevAbstract}}{where}{self.bound(description)}\end{{RevAbstract}}"

    def bound(self, text: str) -> str:
        """*text* encoded for LaTeX, with no line break at a hyphen between capitalised parts (:data:`BOUND`)."""
        out, last = [], 0
        for found in BOUND.finditer(text):
            out += [self.encode(text[last : found.start()]),
                    self.encode(found[0]).replace(r"\sphinxhyphen{}", r"\sphinxhyphennobreak{}")]
            last = found.end()
        return "".join([*out, self.encode(text[last:])])

    def visit_Text(self, node: nodes.Text) -> None:
        self.body.append(self.bound(node.astext()))

    def position(self, node: nodes.Node, line: int | None = None) -> str | None:
        """``L57``, or ``name.md:57`` for a node from another file than the post's."""
        line = line or getattr(node, "line", None)
        if not line:
            return None
        source = getattr(node, "source", None)
        if source and Path(source) != self.source:
            return self.escape(f"{Path(source).name}:{line}")
        return f"L{line}"

    def mark(self, command: str, node: nodes.Node, line: int | None = None) -> None:
        if (where := self.position(node, line)) is not None:
            self.body.append(rf"\{command}{{{where}}}")

    def visit_attribution(self, node: nodes.Element) -> None:
        # Sphinx writes "---" for the dash, a ligature the review font family does not have.
        self.body.append(CR + r"\begin{flushright}" + CR + r"\textemdash{} ")

    def visit_paragraph(self, node: nodes.Element) -> None:
        super().visit_paragraph(node)
        if self.row_mark is not None:  # where the row's first line of text starts
            self.body.append(self.row_mark)
            self.row_mark = None
        # Table rows carry their own marks; bibliography entries come from the bib file.
        elif self.table is None and not isinstance(node.parent, nodes.citation):
            self.mark("RevSource", node)

    def visit_title(self, node: nodes.Element) -> None:
        super().visit_title(node)  # skips the document's title
        if isinstance(node.parent, nodes.section):
            if node.parent.get(REFERENCES):  # unnumbered, as journals set it, and once in the bookmarks
                command = self.body.pop().removesuffix("{")
                self.body.append(rf"\phantomsection\addcontentsline{{toc}}{{{command[1:]}}}"
                                 rf"{{{self.escape(node.astext())}}}{command}*{{")
            self.mark("RevSource", node)

    def visit_transition(self, node: nodes.Element) -> None:
        if "footnotes" in node["classes"]:  # MyST's rule above the footnotes, which LaTeX sets at the page foot
            raise nodes.SkipNode
        super().visit_transition(node)

    def visit_thebibliography(self, node: nodes.Element) -> None:
        # The widest label Sphinx names here sets no width in blogreview.sty's list; one that changes
        # with the entries would make pdf-diff mark the whole list's opening as changed.
        self.body.append(CR + r"\begin{sphinxthebibliography}{}" + CR)

    def visit_literal_block(self, node: nodes.Element) -> None:
        if node.rawsource == node.astext() and not self.table:  # fancyvrb, numbered line by line
            self.body.append(rf"\RevKeepLines{{{len(node.astext().splitlines())}}}")
            self.mark("RevSourceNext", node)
        super().visit_literal_block(node)

    def visit_table(self, node: nodes.Element) -> None:
        breakable = in_flow(node)
        if breakable and "longtable" not in node["classes"]:
            node["classes"].append("longtable")
        super().visit_table(node)
        assert self.table is not None
        if breakable and not self.table.colspec:  # a tabularcolumns directive wins
            self.table.colspec = "{" + "".join(rf"\Y{{{f:.3f}}}" for f in table_columns(node)) + "}" + CR
        self.breakable.append(breakable)

    def depart_table(self, node: nodes.Element) -> None:
        super().depart_table(node)
        self.breakable.pop()

    def visit_row(self, node: nodes.Element) -> None:
        super().visit_row(node)
        if self.breakable[-1]:
            self.row_mark = rf"\RevRow{{{self.position(node, first_line(node)) or ''}}}"

    def visit_entry(self, node: nodes.Element) -> None:
        super().visit_entry(node)
        self.body.append(r"\RevCell")
        if self.row_mark is not None and not isinstance(node.next_node(), nodes.paragraph):
            self.body.append(self.row_mark)  # a cell that does not start with text
            self.row_mark = None
        self.body.append("%" + CR)
