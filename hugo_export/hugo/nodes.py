"""Nodes the hugo builder substitutes for sphinxcontrib-bibtex's output."""

from docutils import nodes


class citation_group(nodes.inline):
    """One resolved citation (``{cite:p}`` etc.): its links point at the works."""


class references_list(nodes.Element):
    """The bibliography of a post: shown as a list, or used for footnotes."""
