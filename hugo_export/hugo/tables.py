"""Tables: GFM pipe tables, in the site's ``table`` shortcode when captioned."""

from __future__ import annotations

from docutils import nodes

from . import markdown
from .base import TranslatorBase


class Tables(TranslatorBase):
    """Visitors of tables."""

    def visit_table(self, node: nodes.table) -> None:
        tgroup = next(c for c in node.children if isinstance(c, nodes.tgroup))
        titles = [c for c in node.children if isinstance(c, nodes.title)]
        rows: list[list[str]] = []
        head_rows = 0
        with self.placed(inner=bool(titles)):  # a captioned table is the table shortcode's inner content
            for part in tgroup.children:
                if isinstance(part, (nodes.thead, nodes.tbody)):
                    rows.extend([self.table_cell(entry) for entry in row.children] for row in part.children)
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
        if titles:
            # The site prints the caption into the table's HTML as it is.
            caption = markdown.inline_html(self.render_parameter(titles[0]))
            table = f"{self.shortcode(node, 'table', caption=caption)}\n{table}\n{{{{< /table >}}}}"
        self.add_block(table)
        raise nodes.SkipNode

    def table_cell(self, entry: nodes.entry) -> str:
        if entry.get("morerows") or entry.get("morecols"):
            self.fail(entry, "GFM tables have no spanning cells; split the cell")
        if len(entry) > 1 or (len(entry) and not isinstance(entry[0], nodes.paragraph)):
            self.fail(entry, "a GFM table cell holds one paragraph; simplify the cell")
        if not len(entry):
            return ""
        with self.placed(cell=True):
            return self.render_inline(entry[0]).replace("\n", " ")


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"
