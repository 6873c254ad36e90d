"""The bibliography check inside Sphinx builds: problems at their bib line, never a traceback.

A bib file that is missing, not UTF-8, has a syntax error or a repeated key
would make pybtex raise inside sphinxcontrib-bibtex and end the build with a
traceback; an entry missing a required field would crash its formatter. We
check the files first (:mod:`hugo_export.qa.bibcheck`), log each problem at
its file and line, and stop cleanly; lesser problems (fields, URLs) are
warnings, which ``-W`` builds treat as errors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from pybtex.database.input.bibtex import Parser
from sphinx.util import logging

from ..qa.bibcheck import check_entries, parse, unformattable
from .checks import stop_build

logger = logging.getLogger(__name__)


def guard_bibfiles(app: Any) -> None:
    """``builder-inited``, before sphinxcontrib-bibtex parses: report bad bib files."""
    parser = Parser(encoding=app.config.bibtex_encoding)
    fatal = False
    for name in app.config.bibtex_bibfiles:
        path = (Path(app.confdir) / name).resolve()
        known = set(parser.data.entries)
        data, problems = parse(path, parser)
        if data is not None:
            problems += check_entries(path, {k: e for k, e in data.entries.items() if k not in known})
        fatal |= data is None  # unparsed: pybtex inside sphinxcontrib-bibtex would raise
        log = logger.error if data is None else logger.warning
        for problem in problems:
            if problem.line:  # a location with a colon is shown as it is (a bib file is no document)
                log("%s", problem.message, location=f"{problem.path}:{problem.line}", type="bibtex", subtype="bibcheck")
            else:  # no line to point at: the file itself is missing
                log("%s", problem, type="bibtex", subtype="bibcheck")
    if fatal:
        stop_build()


def drop_unformattable(app: Any) -> None:
    """``builder-inited``, after sphinxcontrib-bibtex: keep out entries pybtex
    cannot format (already reported by :func:`guard_bibfiles`), so their
    citations read as unknown keys instead of crashing the formatter."""
    from sphinxcontrib.bibtex.domain import BibtexDomain

    domain = cast(BibtexDomain, app.env.get_domain("cite"))
    entries = domain.bibdata.data.entries
    for key in [k for k, entry in entries.items() if unformattable(entry)]:
        del entries[key]
        for bibfile in domain.bibdata.bibfiles.values():
            bibfile.keys.pop(key, None)
