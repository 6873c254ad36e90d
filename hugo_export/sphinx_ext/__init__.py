"""The Sphinx extension every output of a post uses: HTML preview, reviewer PDF, Hugo export.

It adds the roles posts are written with (``{cite:link}``, ``{k8s-term}``),
checks the sources and the bibliography where Sphinx or pybtex would crash or
let a mistake pass, formats bibliography entries only where shown, finds the
posts (one LaTeX document and one bibliography per post) and registers the
``hugo`` builder. ``conf.py`` lists it as ``"hugo_export.sphinx_ext"``; the ``sphinx.builders``
entry point ``hugo`` names it too, so ``sphinx-build -b hugo`` loads it whatever ``conf.py`` lists.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinxcontrib.bibtex.domain import BibtexDomain

from .. import __version__
from . import bibstyle, plugins
from .attribution import attach
from .authoring import DashAttribution, SiteLinks
from .bibliography import setup_bibliography
from .boundary import setup_boundary
from .byline import Byline
from .roles import NODES, CiteLinkRole, CiteLinkUrls, K8sTermRole, NoBangCiteRole
from .sources import (
    check_links,
    check_raw,
    check_source,
    refuse_hidden_characters,
    refuse_toctree_cycles,
    require_utf8,
)

#: Bumped when what the extension stores in the environment changes shape.
ENV_VERSION = 3


def keep_characters(app: Sphinx, config: Config) -> None:
    """No smart quotes or dashes in the export: kubernetes.io keeps the author's."""
    excludes = dict(config.smartquotes_excludes)
    excludes["builders"] = [*excludes.get("builders", []), "hugo"]
    config.smartquotes_excludes = excludes


def leave_out(app: Sphinx, config: Config) -> None:
    """The posts ``k8s-blog build`` found broken (their front matter does not read, it said so): not read,
    so they add no message of their own and keep their earlier outputs."""
    config.exclude_patterns = [*config.exclude_patterns, *config.blog_left_out]


def lenient_highlighting(app: Sphinx, config: Config) -> None:
    """Code Pygments cannot lex (a Jinja template in a ``yaml`` fence) shows unhighlighted, as
    kubernetes.io shows it, instead of failing the preview and the PDF."""
    config.suppress_warnings = [*config.suppress_warnings, "misc.highlighting_failure"]


def setup(app: Sphinx) -> dict[str, Any]:
    """Register roles, checks, the bib style, the posts' settings and the hugo builder."""
    plugins.register()
    bibstyle.register()
    app.setup_extension("sphinxcontrib.bibtex")
    app.setup_extension("sphinx.ext.todo")
    setup_bibliography(app)
    app.setup_extension("hugo_export.pdf")
    for name in BibtexDomain.roles:  # the same roles, a leading "!" an error instead of a traceback
        app.add_role_to_domain("cite", name, NoBangCiteRole())
    app.add_role("cite", NoBangCiteRole(), override=True)  # the bare {cite}, sphinxcontrib-bibtex's {cite:p}
    app.add_role_to_domain("cite", "link", CiteLinkRole())
    app.add_role("k8s-term", K8sTermRole())
    # A kubernetes/website checkout whose glossary {k8s-term} checks ids against (WEBSITE=); "": the shipped one.
    app.add_config_value("k8s_website", "", "env", types=frozenset({str}))
    for node, visitors in NODES.items():
        app.add_node(node, override=False, **visitors)
    # The site every post links into: /docs/... links go there in HTML and PDF, and back to root-relative
    # in the export (authoring.py).
    app.add_config_value("hugo_site_url", "https://kubernetes.io", "env", types=frozenset({str}))
    app.add_transform(SiteLinks)
    app.add_transform(DashAttribution)
    app.add_post_transform(CiteLinkUrls)
    app.add_post_transform(Byline)
    app.connect("builder-inited", attach, priority=100)  # before anything a builder's start-up logs
    app.connect("config-inited", keep_characters)
    app.connect("config-inited", lenient_highlighting)
    app.add_config_value("blog_left_out", [], "env", types=frozenset({list}))
    app.connect("config-inited", leave_out)
    app.connect("env-before-read-docs", require_utf8)
    app.connect("source-read", check_source)
    app.connect("doctree-read", check_raw)
    app.connect("doctree-read", check_links)
    app.connect("doctree-read", refuse_hidden_characters)
    setup_boundary(app)
    app.connect("env-updated", refuse_toctree_cycles, priority=400)  # before sphinxcontrib-bibtex walks them
    app.setup_extension("hugo_export.hugo")
    return {"version": __version__, "env_version": ENV_VERSION,
            "parallel_read_safe": True, "parallel_write_safe": True}
