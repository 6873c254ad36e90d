"""Doctree to kubernetes/website Markdown: one visitor, ``visit_``/``depart_`` per node.

The visitor is assembled from its node families, each in its own module:
:mod:`.inline` (text, links, citations, glossary terms), :mod:`.blocks`
(sections, paragraphs, lists, quotes, code, callouts), :mod:`.figures`
(figures and images, which both of those hold) and :mod:`.tables`, over the
shared state of :mod:`.base`. A node class without a visitor is a problem
naming the class and its source line.
"""

from __future__ import annotations

from .blocks import Blocks
from .inline import InlineMarkup
from .tables import Tables


class MarkdownTranslator(InlineMarkup, Blocks, Tables):
    """Writes one post's body as Goldmark Markdown with Hugo shortcodes."""
