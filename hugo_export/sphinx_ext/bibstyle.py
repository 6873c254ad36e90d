"""``plain_deferred``: pybtex's ``plain`` style, formatting an entry's text on first use.

sphinxcontrib-bibtex formats every entry of every bibliography when the
environment is updated, before any builder writes, because citation labels
must be known by then. The text of an entry (authors, title, venue, year as
one line) is needed only where a bibliography is shown: the HTML preview and
the PDF show it; the blog export, whose citations link to the works, does not
unless asked to (``hugo_references``, footnote citations). In a cold export of
the article that formatting took 0.09 s of 0.65 s, the largest cost of the
build after Sphinx's own start-up.

Entries of this style carry the same key and label as ``plain``'s and make
their text, the same text, when it is first read. Set
``bibtex_default_style = "plain_deferred"``; the exporter registers the style.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from pybtex.database import Entry
from pybtex.richtext import BaseText
from pybtex.style import FormattedEntry
from pybtex.style.formatting.plain import Style as PlainStyle

NAME = "plain_deferred"


class DeferredEntry(FormattedEntry):
    """A formatted entry whose ``text`` is made when first read."""

    def __init__(self, style: PlainStyle, label: str, entry: Entry, bib_data: Any) -> None:
        # FormattedEntry.__init__ would need the text; key and label are cheap.
        self.key = entry.key
        self.label = label
        self._recipe = (style, entry, bib_data)

    @cached_property
    def text(self) -> BaseText:
        style, entry, bib_data = self._recipe
        return PlainStyle.format_entry(style, self.label, entry, bib_data).text


class Style(PlainStyle):
    """``plain``, with each entry's text deferred (see :class:`DeferredEntry`)."""

    def format_entry(self, label: str, entry: Entry, bib_data: Any = None) -> FormattedEntry:
        return DeferredEntry(self, label, entry, bib_data)
