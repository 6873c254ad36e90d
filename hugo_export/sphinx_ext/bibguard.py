"""The bibliography check inside Sphinx builds: problems at their bib line, never a traceback.

A bib file that is missing, not UTF-8, has a syntax error or a repeated key
would make pybtex raise inside sphinxcontrib-bibtex and end the build with a
traceback; an entry missing a required field would crash its formatter. We
check the files first (:mod:`hugo_export.qa.bibcheck`), log each problem at
its file and line, and stop the build there: nothing is built on a bibliography
with a problem, so no citation of a bad entry adds a second message about it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pybtex.database.input.bibtex import Parser
from sphinx.util import logging
from sphinx.util.logging import is_suppressed_warning

from ..qa.bibcheck import check_entries, parse
from .checks import stop_build

logger = logging.getLogger(__name__)


def guard_bibfiles(app: Any) -> None:
    """``builder-inited``, before sphinxcontrib-bibtex parses: report bad bib files."""
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

