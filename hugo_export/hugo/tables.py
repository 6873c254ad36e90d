"""Tables (GFM, in the site's ``table`` shortcode when captioned) and figures (the ``figure`` shortcode)."""

from __future__ import annotations

from pathlib import Path

from docutils import nodes

from . import markdown
from .base import TranslatorBase


class TablesAndFigures(TranslatorBase):
    """Visitors of tables, figures and images."""

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
            table = f"{markdown.shortcode('table', caption=caption)}\n{table}\n{{{{< /table >}}}}"
        self.add_block(table)
        raise nodes.SkipNode

    def table_cell(self, entry: nodes.entry) -> str:
        if entry.get("morerows") or entry.get("morecols"):
            self.fail(entry, "GFM tables have no spanning cells; split the cell")
        if len(entry) > 1 or (len(entry) and not isinstance(entry[0], nodes.paragraph)):
            self.fail(entry, "a GFM table cell holds one paragraph; simplify the cell")
        return self.render_inline(entry[0]).replace("\n", " ") if len(entry) else ""

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
        return markdown.shortcode("figure", **params)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"
