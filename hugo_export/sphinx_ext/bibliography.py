"""The bibliography in a build: its files checked first, and one list of works per post.

The bib files ``conf.py`` names are read and checked (:mod:`hugo_export.bibfile`)
before sphinxcontrib-bibtex parses them: a file that is missing, not UTF-8, has
a syntax error or a repeated key would make pybtex raise inside
sphinxcontrib-bibtex and end the build with a traceback, and an entry missing
a field it needs would crash its formatter. Each problem is logged at its bib
line and the build stops there, so no citation of a bad entry adds a second
message about it.

Posts are the files :func:`hugo_export.post.find_posts` finds; nothing in
``conf.py`` names them. Each post's ``{bibliography}`` lists the works that
post cites and no others (sphinxcontrib-bibtex would list everything cited
anywhere in the project), so two posts may cite the same key: each lists it,
and each citation resolves to its own post's list first, as
sphinxcontrib-bibtex does. The warning it gives for a key listed twice is
about that very case and is silenced; a key listed twice in one post still
warns (``bibtex.duplicate_local_citation``). So is the warning for one label
in two lists: labels are unique within each post's list (see
:mod:`.biblabels`), and "Kammel, 2023a" may name another work in another post.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docutils import nodes
from pybtex.database.input.bibtex import Parser
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging
from sphinx.util.logging import is_suppressed_warning
from sphinxcontrib.bibtex.directives import BibliographyDirective
from sphinxcontrib.bibtex.nodes import bibliography

from ..bibfile import check_entries, parse
from .sources import stop_build

logger = logging.getLogger(__name__)


def guard_bibfiles(app: Any) -> None:
    """``builder-inited``, before sphinxcontrib-bibtex parses: report bad bib files, and stop."""
    parser = Parser(encoding=app.config.bibtex_encoding)
    stop = False
    for name in app.config.bibtex_bibfiles:
        path = (Path(app.confdir) / name).resolve()
        known = set(parser.data.entries)
        data, problems = parse(path, parser)
        if data is not None:
            problems += check_entries(path, {k: e for k, e in data.entries.items() if k not in known})
        # unparsed, pybtex inside sphinxcontrib-bibtex would raise; a problem said is a problem unless silenced
        stop |= data is None or (bool(problems) and not is_suppressed_warning("bibtex", "bibcheck",
                                                                             app.config.suppress_warnings))
        for problem in problems:
            if problem.line:  # a location with a colon is shown as it is (a bib file is no document)
                logger.error("%s", problem.message, location=f"{problem.path}:{problem.line}", type="bibtex",
                             subtype="bibcheck")
            else:  # no line to point at: the file itself is missing
                logger.error("%s", problem, type="bibtex", subtype="bibcheck")
    if stop:
        stop_build()

#: The filter the directive takes when the author gives none: this post's citations.
THIS_POST = "docname in docnames"


class PostBibliography(BibliographyDirective):
    """``{bibliography}``: by default, the entries this post cites (the directive's documented
    ``:filter:`` option, set for the author when they give no selection of their own)."""

    def run(self) -> Sequence[nodes.Node]:
        if not {"filter", "all", "cited", "notcited"} & set(self.options):
            self.options["filter"] = THIS_POST
        return super().run()


def one_list_per_post(app: Sphinx, config: Config) -> None:
    """``config-inited``: a key cited by two posts is listed by each, labelled for its list."""
    config.suppress_warnings = [*config.suppress_warnings, "bibtex.duplicate_citation", "bibtex.duplicate_label"]


def require_references(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: a post that cites works lists them, so its citations resolve into its own list
    (without one they would report keys as unknown, or resolve into another post's list)."""
    cites = [node for node in doctree.findall(addnodes.pending_xref) if node.get("refdomain") == "cite"]
    if cites and not any(doctree.findall(bibliography)):
        logger.error("the post cites works but lists none: end it with a '## References' heading and a "
                     "```{bibliography}``` block under it (the HTML preview and the PDF show the list; the "
                     "export leaves it out)", location=cites[0], type="bibtex", subtype="references")
        for cite in cites:  # nothing to resolve them into: no second message for each
            cite.replace_self(cite.children)


def setup_bibliography(app: Sphinx) -> None:
    app.add_config_value("blog_post", "", "", types=frozenset({str}))
    app.add_directive("bibliography", PostBibliography, override=True)
    app.connect("builder-inited", guard_bibfiles, priority=400)  # before sphinxcontrib-bibtex parses
    app.connect("config-inited", one_list_per_post)
    app.connect("doctree-read", require_references)


def selected(config: Any, slug: str) -> bool:
    """Whether *slug* is among the posts this build writes (``blog_post``, else all)."""
    return not config.blog_post or config.blog_post == slug
