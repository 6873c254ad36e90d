"""Sphinx extension: export MyST posts as kubernetes/website blog posts.

List ``hugo_export`` in ``extensions`` and run ``sphinx-build -b hugo SRC OUT``.
Besides the ``hugo`` builder it adds the roles posts need in every output:
``{cite:link}`` (descriptive-word citations) and ``{k8s-term}`` (glossary
tooltips).
"""

from __future__ import annotations

from typing import Any

from pybtex.plugin import register_plugin
from sphinx.application import Sphinx
from sphinx.config import Config

from . import bibstyle
from .pybtex_cache import cache_pybtex

cache_pybtex()  # before sphinxcontrib-bibtex is imported (below): it looks plugins up on import

from .citations import (  # noqa: E402
    CiteLinkRole,
    CiteLinkUrls,
    DropCiteLinkCitations,
    DropUnusedBibliographies,
    HugoCitations,
    cite_link,
    depart_cite_link_html,
    depart_passthrough,
    visit_cite_link_html,
    visit_passthrough,
)
from .glossary import K8sTermRole, k8s_term  # noqa: E402

__version__ = "0.1.0"

_PASSTHROUGH = (visit_passthrough, depart_passthrough)


def keep_characters(app: Sphinx, config: Config) -> None:
    """No smart quotes or dashes in the export: kubernetes.io keeps the author's."""
    excludes = dict(config.smartquotes_excludes)
    excludes["builders"] = [*excludes.get("builders", []), "hugo"]
    config.smartquotes_excludes = excludes


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the builder, its ``hugo_*`` settings, roles and transforms."""
    from .bibcheck import drop_unformattable, guard_bibfiles
    from .builder import HugoBuilder
    from .sourcecheck import check_source, require_utf8

    register_plugin("pybtex.style.formatting", bibstyle.NAME, bibstyle.Style)

    app.setup_extension("sphinxcontrib.bibtex")
    app.setup_extension("sphinx.ext.todo")
    app.add_builder(HugoBuilder)
    app.add_config_value("hugo_publish", False, "env", bool)
    app.add_config_value("hugo_allow_todo", False, "env", bool)
    app.add_config_value("hugo_citation_style", "links", "env", str)
    app.add_config_value("hugo_references", False, "env", bool)
    app.add_config_value("hugo_site_url", "https://kubernetes.io", "env", str)
    app.add_config_value("hugo_section", "content/en/blog/_posts", "env", str)
    app.add_role_to_domain("cite", "link", CiteLinkRole())
    app.add_role("k8s-term", K8sTermRole())
    app.add_node(
        cite_link, html=(visit_cite_link_html, depart_cite_link_html), latex=_PASSTHROUGH, text=_PASSTHROUGH
    )
    app.add_node(k8s_term, html=_PASSTHROUGH, latex=_PASSTHROUGH, text=_PASSTHROUGH)
    app.add_post_transform(CiteLinkUrls)
    app.add_post_transform(DropCiteLinkCitations)
    app.add_post_transform(DropUnusedBibliographies)
    app.add_post_transform(HugoCitations)
    app.connect("config-inited", keep_characters)
    app.connect("builder-inited", guard_bibfiles, priority=400)  # before sphinxcontrib-bibtex parses
    app.connect("builder-inited", drop_unformattable, priority=600)  # after it
    app.connect("env-before-read-docs", require_utf8)
    app.connect("source-read", check_source)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
