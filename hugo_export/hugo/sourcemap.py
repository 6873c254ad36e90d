"""Which source line each line of an exported post came from: a PR comment, back to the MyST.

Reviewers comment on lines of the exported Markdown; authors edit the MyST
source. The translator tags each block it adds (``TranslatorBase.add_block``)
with the source line of the node that made it, in-band: ``\\ufdd0<line>\\ufdd1``
at the block's start. Those are Unicode noncharacters, set aside for a
program's internal use, so no text of a post collides with them. A tag rides
along whatever the translator does to the block afterwards (list markers,
indents, quote prefixes, shortcodes around it), so the visitors need not know
about the map. Table rows, which a Markdown table puts one per line, are
tagged one by one.

:func:`untag` strips the tags from the finished body and gives each output
line the line of the last tag on it (the innermost block), or one more than
the line before it: the next line of a paragraph, a code block or a table.
The front matter, which the export writes from the post's metadata, is mapped
key by key (:func:`front_matter_lines`).

The map of each post is written beside the export, never into it:
``<outdir>/.sourcemap/<slug>.json``, with a digest of the export it
describes (:class:`SourceMap`). Its readers are where they are used: the
checks and ``k8s-blog where`` (:mod:`hugo_export.qa.where`), ``make absorb``.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..post import read_front_matter, read_text

if TYPE_CHECKING:  # the readers of maps (the lint, where, absorb) import no docutils
    from docutils import nodes

OPEN, CLOSE = "\ufdd0", "\ufdd1"
_TAG = re.compile(f"{OPEN}(\\d+){CLOSE}")
#: The folder of the maps, inside the hugo builder's output.
MAPS = ".sourcemap"
#: Export keys the website spells differently from the source's front matter.
_SOURCE_KEYS = {"author": "authors", "canonicalUrl": "canonical_url"}


def _tag(line: int) -> str:
    return f"{OPEN}{line}{CLOSE}"


def tag_block(text: str, node: nodes.Node | None) -> str:
    """*text*, the Markdown of *node*, tagged with its source line (unchanged when it has none)."""
    from docutils import nodes

    if not text or node is None or not node.line:
        return text
    if isinstance(node, nodes.table):
        return _tag_rows(text, node)
    return _tag(node.line) + text


def _tag_rows(text: str, table: nodes.table) -> str:
    """Each row of a GFM table tagged with its own line (a list-table spreads rows over lines)."""
    from docutils import nodes

    rows = [min((p.line for p in row.findall(nodes.paragraph) if p.line), default=0)
            for row in table.findall(nodes.row)]
    if all(rows) and rows == sorted(set(rows)):
        row_lines = [rows[0], *rows]  # the header row, the delimiter row, the body rows
    else:  # a pipe table: the source has the same lines as the export
        row_lines = [table.line + i for i in range(len(rows) + 1)]
    lines = text.split("\n")
    table_rows = [i for i, line in enumerate(lines) if line.startswith("|")]
    if not table_rows:
        return _tag(table.line) + text
    titles = [t.line for t in table.children if isinstance(t, nodes.title) and t.line]
    before = titles[0] if titles else max(row_lines[0] - 1, 1)
    for i in range(table_rows[0]):
        lines[i] = _tag(before) + lines[i]
    for i, line in zip(table_rows, row_lines, strict=False):  # extra lines keep the increment
        lines[i] = _tag(line) + lines[i]
    return "\n".join(lines)


def untag(text: str) -> tuple[str, list[int | None]]:
    """*text* without its tags, and the source line of each of its lines (``None`` before the first tag)."""
    out: list[str] = []
    lines: list[int | None] = []
    last: int | None = None
    for line in text.split("\n"):
        tags = _TAG.findall(line)
        if tags:
            last = int(tags[-1])
        elif last is not None:
            last += 1
        out.append(_TAG.sub("", line) if tags else line)
        lines.append(last)
    return "\n".join(out), lines


def front_matter_lines(front: str, source: Path) -> list[int]:
    """The source line of each line of the export's front matter *front* (``---`` lines included).

    A key maps to the same key in the source (``author`` to ``authors``), each
    author line to that author's line in the source list; what the export adds
    (``layout``) maps to the source's first line.
    """
    block = read_front_matter(source)
    end, keys, items = (block.end, block.lines, block.items) if block else (1, {}, {})
    out: list[int] = []
    key, index = "", 0
    for i, line in enumerate(front.rstrip("\n").split("\n")):
        if line == "---":
            out.append(1 if i == 0 else end)
        elif match := re.match(r"(\w+):", line):
            key, index = _SOURCE_KEYS.get(match[1], match[1]), 0
            out.append(keys.get(key, 1))
        else:  # a continuation: an author of the folded block
            listed = items.get(key, [])
            out.append(listed[index] if index < len(listed) else keys.get(key, 1))
            index += 1
    return out


@dataclass(frozen=True)
class SourceMap:
    """One exported post's lines, each with the source line it came from."""

    export: str  #: the post's path in the export (``<hugo_section>/YYYY/...``)
    source: str  #: the MyST file, relative to the project (``source/<post>.md``)
    sha256: str  #: of the export this map describes
    lines: tuple[int, ...]  #: ``lines[n - 1]``: the source line of export line *n*

    @classmethod
    def make(cls, export: str, source: Path, shown: str, front: str, body: str,
             body_lines: list[int | None]) -> SourceMap:
        """The map of the export *front* + a blank line + *body*, made from *source* (shown as *shown*)."""
        head = front_matter_lines(front, source)
        after = head[-1] + 1
        last = len(read_text(source).splitlines())
        lines = [min(line, last) for line in [*head, after, *(after if n is None else n for n in body_lines)]]
        text = f"{front}\n{body}"
        return cls(export, shown, hashlib.sha256(text.encode()).hexdigest(), tuple(lines[: text.count("\n")]))

    def dumps(self) -> str:
        return json.dumps(asdict(self), sort_keys=True) + "\n"

    @classmethod
    def load(cls, path: Path) -> SourceMap:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(data["export"], data["source"], data["sha256"], tuple(data["lines"]))

    def at(self, line: int) -> str:
        """``source/<post>.md:<line>`` for export line *line* (1-based)."""
        return f"{self.source}:{self.lines[line - 1]}"

    def describes(self, export_file: Path) -> bool:
        """Whether *export_file* holds the very export this map was made from."""
        try:
            return hashlib.sha256(export_file.read_bytes()).hexdigest() == self.sha256
        except OSError:
            return False
