"""The column widths of the reviewer PDF's tables, from the cells' text.

LaTeX's longtable, which lets a table break across pages, needs its column
widths up front; tabulary, which would measure the cells, cannot break. So
the widths are worked out here, in characters of the table's type: each
column is at least as wide as its longest word (cells are ragged right and
never hyphenated, so a narrower column would push the word into the next
one), and the rest of the line goes to the columns where it saves the most
wrapped lines for its width, so short phrases ("Virtual machine") stay on
one line and long cells wrap instead. A header may wrap between its
words: it adds only its longest word to its column's width.
"""

from __future__ import annotations

from docutils import nodes

#: Lower-case characters a line of a table holds at its font size (DejaVu Serif, \\small).
LINE_CHARS = 92
#: A cell's padding (\\tabcolsep on either side), in characters.
PAD = 3
#: Headers are set in bold, wider than the body's type.
BOLD = 1.1


def text_width(text: str) -> float:
    """*text*'s width in lower-case characters: capitals and digits are wider."""
    return len(text) + 0.4 * sum(c.isupper() or c.isdigit() for c in text)


def wrapped_lines(words: list[float], width: float) -> int:
    """How many lines a cell of words this wide (characters each) takes in a column of *width*."""
    lines, used = 1, 0.0
    for word in words:
        if used and used + 1 + word > width:
            lines, used = lines + 1, word
        else:
            used += (1 if used else 0) + word
    return lines


def rows_height(rows: list[list[list[float] | None]], widths: list[float]) -> int:
    """The table's height in lines: each row as high as its most wrapped cell."""
    return sum(max((wrapped_lines(words, widths[c] - PAD) for c, words in enumerate(row) if words), default=1)
               for row in rows)


def column_fractions(rows: list[list[list[float] | None]]) -> list[float]:
    """Column widths as fractions of the line, from each row's cells, given as the widths of their
    words (``None``: a cell that spans columns, which does not count)."""
    count = len(rows[0]) if rows else 0
    cells = [[row[c] or [] for row in rows] for c in range(count)]
    least = [max((max(words, default=0) for words in column), default=0) + PAD for column in cells]
    natural = [max((sum(words) + len(words) - 1 for words in column if words), default=0) + PAD for column in cells]
    if sum(natural) <= LINE_CHARS:
        return [width / LINE_CHARS for width in natural]
    if sum(least) >= LINE_CHARS:
        return [width / sum(least) for width in least]
    widths, spare = list(least), LINE_CHARS - sum(least)
    while spare >= 1:
        now, best = rows_height(rows, widths), None
        for c in range(count):  # the fewest characters that save this column a line, and how many lines
            for more in range(1, int(spare) + 1):
                if (saved := now - rows_height(rows, [w + more * (i == c) for i, w in enumerate(widths)])) > 0:
                    if best is None or saved / more > best[0]:
                        best = (saved / more, c, more)
                    break
        if best is None:  # no line to save: the rest goes to the columns in proportion to what they lack
            lack = [max(0.0, n - w) for n, w in zip(natural, widths, strict=True)]
            share = [gap / sum(lack) if sum(lack) else 1 / count for gap in lack]
            widths = [w + spare * part for w, part in zip(widths, share, strict=True)]
            break
        widths[best[1]] += best[2]
        spare -= best[2]
    return [width / max(LINE_CHARS, sum(widths)) for width in widths]


def table_columns(table: nodes.table) -> list[float]:
    """:func:`column_fractions` of a docutils table: sized by its body, the headers adding only
    their longest words (a table of headers only is sized by them)."""
    count = len(list(table.findall(nodes.colspec)))
    body: list[list[list[float] | None]] = []
    head: list[list[list[float] | None]] = []
    for row in table.findall(nodes.row):
        header = isinstance(row.parent, nodes.thead)
        cells: list[list[float] | None] = [None] * count
        column = 0
        for entry in row.children:
            if not entry.get("morecols") and column < count:
                cells[column] = [text_width(word) * (BOLD if header else 1) for word in entry.astext().split()]
            column += entry.get("morecols", 0) + 1
        (head if header else body).append(cells)
    if not body:
        return column_fractions(head)
    longest: list[list[float] | None] = [[max(w for row in head for w in row[c] or [0.0])] for c in range(count)]
    return column_fractions([*body, longest])
