"""The reviewer PDF's LaTeX translator: source positions, numbered table rows, tables that read.

Sphinx's own ``LaTeXTranslator``, with what a reviewer needs added at its
visit methods; the macros it writes are defined in ``data/latex/blogreview.sty``:

- each block (paragraph, heading, list item, code block, table row) names its
  source position in the right margin: ``L57``, or ``name.md:57`` for text
  that comes from another file than the post's own;
- each table row gets a line number of the document's running series;
- a table that may break across pages (one in the body, not in a box) is a
  ``longtable`` whose column widths follow the cells' text, as tabulary would
  size them, instead of a box that jumps to the next page and leaves half of
  this one blank;
- the running header names the post and the revision of its sources, and the
  PDF's subject is the post's description.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.writers.latex import CR, LaTeXTranslator

from ..post import find_posts
from ..revision import describe, own_paths

#: Lower-case characters a line of a table holds at its font size (DejaVu Serif, \\small).
LINE_CHARS = 92
#: A cell's padding (\\tabcolsep on either side), in characters.
PAD = 3
#: Where a table may break across pages: the blocks that are not boxes.
FLOWING = (nodes.document, nodes.section, nodes.list_item, nodes.bullet_list, nodes.enumerated_list,
           nodes.block_quote)


def column_fractions(lengths: list[list[int]], words: list[int]) -> list[float]:
    """Column widths as fractions of the line, from each column's cell lengths (characters).

    As tabulary sizes columns: when the table fits the line each column keeps
    its natural width; otherwise a column narrower than its fair share of what
    is left keeps its natural width, and the widest columns share the rest in
    proportion to their text, each keeping at least its longest word.
    """
    natural = [max(column, default=0) + PAD for column in lengths]
    least = [min(word + PAD, width) for word, width in zip(words, natural, strict=True)]
    if sum(natural) <= LINE_CHARS:
        return [width / LINE_CHARS for width in natural]
    if sum(least) >= LINE_CHARS:
        return [width / sum(least) for width in least]
    widths: dict[int, float] = {}
    while True:
        rest = [i for i in range(len(natural)) if i not in widths]
        share = (LINE_CHARS - sum(widths.values())) / len(rest)
        narrow = [i for i in rest if natural[i] <= share]
        if not narrow:
            break
        widths.update((i, natural[i]) for i in narrow)
    spare, wanted = LINE_CHARS - sum(widths.values()), sum(natural[i] for i in rest)
    widths.update((i, max(least[i], spare * natural[i] / wanted)) for i in rest)
    return [widths[i] / max(LINE_CHARS, sum(widths.values())) for i in range(len(natural))]


def text_width(text: str) -> float:
    """*text*'s width in lower-case characters: capitals and digits are wider."""
    return len(text) + 0.4 * sum(c.isupper() or c.isdigit() for c in text)


def table_columns(table: nodes.table) -> list[float]:
    """:func:`column_fractions` of a docutils table (cells spanning columns do not count)."""
    count = len(list(table.findall(nodes.colspec)))
    lengths: list[list[int]] = [[] for _ in range(count)]
    words = [0] * count
    for row in table.findall(nodes.row):
        header = isinstance(row.parent, nodes.thead)
        column = 0
        for entry in row.children:
            text = " ".join(entry.astext().split())
            if not entry.get("morecols") and column < count:
                lengths[column].append(round(text_width(text) * (1.1 if header else 1)))  # headers are bold
                words[column] = max([words[column], *(round(text_width(word)) for word in text.split())])
            column += entry.get("morecols", 0) + 1
    return column_fractions(lengths, words)


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
        self.elements["preamble"] += setup + CR

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
            self.mark("RevSource", node)

    def visit_literal_block(self, node: nodes.Element) -> None:
        if node.rawsource == node.astext() and not self.table:  # fancyvrb, numbered line by line
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
