"""The Sphinx extension every output of a post uses: HTML preview, reviewer PDF, Hugo export.

It adds the roles posts are written with (``{cite:link}``, ``{k8s-term}``),
checks the sources and the bibliography where Sphinx or pybtex would crash or
let a mistake pass, formats bibliography entries only where shown, finds the
posts (one LaTeX document and one bibliography per post) and registers the
``hugo`` builder. ``conf.py`` lists it as ``"hugo_export"``.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinxcontrib.bibtex.domain import BibtexDomain

from .. import __version__
from . import bibstyle, speedups
from .bibguard import drop_unformattable, guard_bibfiles
from .checks import SourceLiteralInclude, check_source, refuse_outside_includes, refuse_toctree_cycles, require_utf8
from .latex import setup_latex
from .posts import setup_posts
from .roles import NODES, CiteLinkRole, CiteLinkUrls, K8sTermRole, NoBangCiteRole

#: Bumped when what the extension stores in the environment changes shape.
ENV_VERSION = 2


def keep_characters(app: Sphinx, config: Config) -> None:
    """No smart quotes or dashes in the export: kubernetes.io keeps the author's."""
    excludes = dict(config.smartquotes_excludes)
    excludes["builders"] = [*excludes.get("builders", []), "hugo"]
    config.smartquotes_excludes = excludes


def setup(app: Sphinx) -> dict[str, Any]:
    """Register roles, checks, the bib style, the posts' settings and the hugo builder."""
    speedups.install()
    bibstyle.register()
    app.setup_extension("sphinxcontrib.bibtex")
    app.setup_extension("sphinx.ext.todo")
    setup_posts(app)
    setup_latex(app)
    for name in BibtexDomain.roles:  # the same roles, a leading "!" an error instead of a traceback
        app.add_role_to_domain("cite", name, NoBangCiteRole())
    app.add_role("cite", NoBangCiteRole(), override=True)  # the bare {cite}, sphinxcontrib-bibtex's {cite:p}
    app.add_role_to_domain("cite", "link", CiteLinkRole())
    app.add_role("k8s-term", K8sTermRole())
    # A kubernetes/website checkout whose glossary {k8s-term} checks ids against (WEBSITE=); "": the shipped one.
    app.add_config_value("k8s_website", "", "env", types=frozenset({str}))
    for node, visitors in NODES.items():
        app.add_node(node, override=False, **visitors)
    app.add_post_transform(CiteLinkUrls)
    app.connect("config-inited", keep_characters)
    app.connect("builder-inited", guard_bibfiles, priority=400)  # before sphinxcontrib-bibtex parses
    app.connect("builder-inited", drop_unformattable, priority=600)  # after it
    app.connect("env-before-read-docs", require_utf8)
    app.connect("source-read", check_source)
    app.connect("include-read", refuse_outside_includes)
    app.add_directive("literalinclude", SourceLiteralInclude, override=True)
    app.connect("env-updated", refuse_toctree_cycles, priority=400)  # before sphinxcontrib-bibtex walks them
    app.setup_extension("hugo_export.hugo")
    return {"version": __version__, "env_version": ENV_VERSION,
            "parallel_read_safe": True, "parallel_write_safe": True}
