"""The ``hugo`` builder: posts as kubernetes/website Markdown with Hugo shortcodes.

The extension (:mod:`hugo_export.sphinx_ext`) sets it up.
"""

from __future__ import annotations

from typing import Any


def no_tooltips(app: Any) -> None:
    """``builder-inited``: the export drops citation tooltips, so none are formatted for it."""
    if app.builder.name == "hugo":
        app.config.bibtex_tooltips = False


def setup(app: Any) -> dict[str, Any]:
    """Register the builder, its ``hugo_*`` settings and its doctree transforms."""
    from sphinx.config import ENUM

    from .. import __version__
    from ..project import DEFAULT_SECTION
    from .builder import HugoBuilder
    from .transforms import DropCiteLinkCitations, DropUnusedBibliographies, PointCitationsAtWorks

    app.add_builder(HugoBuilder)
    # Only the hugo builder reads these: changing one rebuilds nothing else.
    app.add_config_value("hugo_publish", False, "", types=frozenset({bool}))
    app.add_config_value("hugo_allow_todo", False, "", types=frozenset({bool}))
    app.add_config_value("hugo_citation_style", "links", "", types=ENUM("links", "footnotes"))
    app.add_config_value("hugo_references", False, "", types=frozenset({bool}))
    app.add_config_value("hugo_section", DEFAULT_SECTION, "", types=frozenset({str}))
    app.add_post_transform(DropCiteLinkCitations)
    app.add_post_transform(DropUnusedBibliographies)
    app.add_post_transform(PointCitationsAtWorks)
    app.connect("builder-inited", no_tooltips)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
