"""Reading a review PDF back as a reviewer sees it: words where they are on the page, their colour, the bars.

poppler's ``pdftotext -bbox`` gives each word with its box; ``pdftohtml
-xml`` gives each run of text with its font's colour; ``pdftoppm`` draws the
pages, where pdf-diff's change bars are dark marks just left of the text. The
page's text block starts 1 in from the left edge and is 451 pt wide (A4,
Sphinx's margins): what lies left of it is a line number (and, in a diff, a
change bar between the number and the text), what lies right of it a source
position.
"""

from __future__ import annotations

import contextlib
import html
import re
import subprocess
import tempfile
import zlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from helpers import EPOCH, captured
from hugo_export.pdf.latexmk import make_pdfs

TEXT_LEFT = 72.0
TEXT_RIGHT = 72.0 + 451.0
#: Where pdf-diff draws its bars (blogdiff.sty: 2 pt wide, 4 pt left of the text); line numbers end 10 pt left of it.
BAR_COLUMN = range(65, 70)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
_FONT = re.compile(r'<fontspec id="(\d+)"[^>]*family="([^"]*)" color="(#[0-9a-f]{6})"')
_TEXT = re.compile(r'<text [^>]*font="(\d+)"[^>]*>(.*?)</text>')


@dataclass(frozen=True)
class Word:
    page: int
    x: float
    y: float  #: bottom of the word's box: words of one line, of any size, share it within a few points
    x_end: float
    text: str


@dataclass
class Line:
    """A line of a page: its number in the left margin, its text, its source position in the right one."""

    page: int
    number: int | None
    text: str
    source: str | None
    y: int = 0  #: the bottom of the line's words, in points from the top of the page


def run_pdf(source: Path, build: Path, post: str | None = None) -> tuple[int, str]:
    """``make pdf``'s code in this process (latexmk is a real subprocess); status and output."""
    with captured(SOURCE_DATE_EPOCH=EPOCH) as out:
        status = make_pdfs(source, build, post)
    return status, out.getvalue()


def words(pdf: Path) -> list[Word]:
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    found = []
    for page, body in enumerate(xml.split("<page ")[1:], start=1):
        for x, x_end, y, text in _WORD.findall(body):
            found.append(Word(page, float(x), round(float(y)), float(x_end), html.unescape(text)))
    return found


def lines(pdf: Path) -> list[Line]:
    """Every line of every page, top to bottom; a margin mark belongs to the line it stands beside."""
    rows: dict[tuple[int, float], list[Word]] = defaultdict(list)
    for word in words(pdf):
        rows[word.page, word.y].append(word)
    out: list[Line] = []
    for (page, _), row in sorted(_merge_baselines(rows).items()):
        row.sort(key=lambda w: w.x)
        number = [w.text for w in row if w.x_end < TEXT_LEFT]
        source = [w.text for w in row if w.x > TEXT_RIGHT]
        text = " ".join(w.text for w in row if w.x_end >= TEXT_LEFT and w.x <= TEXT_RIGHT)
        out.append(Line(page, int(number[0]) if number and number[0].isdigit() else None, text,
                        source[0] if source else None, round(max(w.y for w in row))))
    return out


def _merge_baselines(rows: dict[tuple[int, float], list[Word]]) -> dict[tuple[int, float], list[Word]]:
    """Margin marks are set smaller than the text beside them: their boxes end a little higher."""
    merged: dict[tuple[int, float], list[Word]] = {}
    for (page, y), row in sorted(rows.items(), reverse=True):
        near = next((key for key in merged if key[0] == page and 0 <= key[1] - y <= 3), None)
        merged.setdefault(near or (page, y), []).extend(row)
    return merged


def pdf_objects(pdf: Path) -> bytes:
    """The PDF's objects as text, the compressed ones (object streams: the catalog) unpacked."""
    data = pdf.read_bytes()
    out = [data]
    for found in re.finditer(rb"stream\r?\n", data):
        with contextlib.suppress(zlib.error):
            out.append(zlib.decompress(data[found.end() : data.find(b"endstream", found.end())]))
    return b"\n".join(out)


def barred(pdf: Path, lines: list[Line]) -> list[bool]:
    """For each of *lines*, whether a change bar stands beside it (a dark mark left of the text)."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-gray", "-r", "72", str(pdf), f"{tmp}/page"], check=True)
        dark: set[tuple[int, int]] = set()
        for page, image in enumerate(sorted(Path(tmp).iterdir()), start=1):
            width, height, pixels = _pgm(image.read_bytes())
            dark |= {(page, row) for row in range(height) for x in BAR_COLUMN if pixels[row * width + x] < 128}
    return [any((line.page, row) in dark for row in range(line.y - 6, line.y - 1)) for line in lines]


def _pgm(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and grey values of a binary PGM image (what ``pdftoppm -gray`` writes)."""
    magic, width, height, top, pixels = data.split(maxsplit=4)
    assert magic == b"P5" and top == b"255", magic
    return int(width), int(height), pixels


def coloured(pdf: Path, colour: str) -> list[str]:
    """The runs of text set in *colour* (``#0000ff``), except ulem's wavy-underline glyphs."""
    xml = subprocess.run(["pdftohtml", "-xml", "-stdout", "-i", str(pdf)], capture_output=True, text=True,
                         check=True).stdout
    fonts = {fid: (family, color) for fid, family, color in _FONT.findall(xml)}
    runs = [re.sub(r"<[^>]+>", "", text) for fid, text in _TEXT.findall(xml)
            if fonts[fid][1] == colour and "LASY" not in fonts[fid][0]]
    return [html.unescape(run).strip() for run in runs if run.strip()]
