"""``authoryear``: the posts' bibliography style (pybtex), formatting an entry's text on first use.

The entries read as pybtex's ``plain`` style writes them, with two changes a
reviewer asked for: titles keep the capitals the bib file gives them ("Intel
Launches 4th Gen Xeon Scalable Processors, Dubbed Sapphire Rapids", not
"...dubbed sapphire rapids"), and labels and order are author-year
(:mod:`.biblabels`): the reference list is sorted by author, then year, and
each entry's label is what the text cites. The citations in the text use the
same labels (:mod:`.citestyle`).

sphinxcontrib-bibtex formats every entry of every bibliography when the
environment is updated, before any builder writes, because citation labels
must be known by then. The text of an entry (authors, title, venue, year as
one line) is needed only where a bibliography is shown: the HTML preview and
the PDF show it; the blog export, whose citations link to the works, does not
unless asked to (``hugo_references``, footnote citations). In a cold export of
the article that formatting took 0.09 s of 0.65 s, the largest cost of the
build after Sphinx's own start-up. So an entry of this style carries its key
and label and makes its text when the text is first read.

Set ``bibtex_default_style = "authoryear"`` and ``bibtex_reference_style =
"authoryear"``; the extension registers the styles (:func:`register`).
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import sphinxcontrib.bibtex.plugin
from pybtex.database import Entry
from pybtex.plugin import register_plugin
from pybtex.richtext import BaseText
from pybtex.style import FormattedEntry
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.names.plain import NameStyle as PlainNameStyle
from pybtex.style.template import Node, field, sentence

from . import biblabels, citestyle

NAME = "authoryear"


class DeferredEntry(FormattedEntry):
    """A formatted entry whose ``text`` is made when first read."""

    def __init__(self, style: Style, label: str, entry: Entry, bib_data: Any) -> None:
        # FormattedEntry.__init__ would need the text; key and label are cheap. What sphinxcontrib-bibtex
        # reads of it (key, label, text) is pybtex's public interface; this goes if pybtex formats lazily.
        self.key = entry.key
        self.label = label
        self._recipe = (style, entry, bib_data)

    @cached_property
    def text(self) -> BaseText:
        style, entry, bib_data = self._recipe
        return style.format_text(self.label, entry, bib_data)


class Style(PlainStyle):
    """``plain`` with titles as written, author-year labels and order, and deferred entry text."""

    default_label_style = biblabels.LabelStyle
    default_sorting_style = biblabels.SortingStyle
    # plain's own, given as the class: pybtex takes a class as it is, where a name costs a reading of every
    # installed package's entry points (see plugins.py).
    default_name_style = PlainNameStyle

    def format_title(self, e: Entry, which_field: str, as_sentence: bool = True) -> Node:
        """The title as the bib file writes it; ``plain`` would lower-case all but its first letter."""
        return sentence[field(which_field)] if as_sentence else field(which_field)

    def format_text(self, label: str, entry: Entry, bib_data: Any = None) -> BaseText:
        """The entry's text, formatted now."""
        return PlainStyle.format_entry(self, label, entry, bib_data).text

    def format_entry(self, label: str, entry: Entry, bib_data: Any = None) -> FormattedEntry:
        return DeferredEntry(self, label, entry, bib_data)


def register() -> None:
    """Make the formatting and referencing styles known by name, for ``conf.py``."""
    register_plugin("pybtex.style.formatting", NAME, Style)
    sphinxcontrib.bibtex.plugin.register_plugin(
        "sphinxcontrib.bibtex.style.referencing", citestyle.NAME, citestyle.ReferenceStyle)
