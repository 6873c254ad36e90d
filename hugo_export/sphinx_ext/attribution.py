"""Which post each problem of a build is about, so that one post's mistake never blocks another's output.

Every warning and error Sphinx, docutils, MyST, sphinxcontrib-bibtex and the
pipeline log goes through Python's logger ``sphinx`` with a location: a
``(docname, line)`` pair, a node or a ``path:line`` string. A handler on that
logger (standard :mod:`logging`; Sphinx's own set-up of a new application
removes it again) notes the document each one is about. A problem that names
no document (the configuration, the bibliography file, the command line) is
one of the whole build. The extension attaches one per build (:func:`attach`);
the hugo builder and ``k8s-blog build`` read it (:func:`problems_of`).
"""

from __future__ import annotations

import logging
import re
import weakref
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.util.logging import NAMESPACE, is_suppressed_warning
from sphinx.util.nodes import get_node_source

_LINE = re.compile(r":\d+$")


class ProblemsByDocument(logging.Handler):
    """Warnings and errors of a build, by the document they are about."""

    def __init__(self, app: Any) -> None:
        super().__init__(logging.WARNING)
        self.app = app
        self.documents: set[str] = set()
        self.unplaced = 0  #: problems of the whole build

    def attach(self) -> ProblemsByDocument:
        logging.getLogger(NAMESPACE).addHandler(self)
        return self

    def emit(self, record: logging.LogRecord) -> None:
        kind, subtype = getattr(record, "type", "") or "", getattr(record, "subtype", "") or ""
        if is_suppressed_warning(kind, subtype, self.app.config.suppress_warnings):
            return
        docname = self.docname(getattr(record, "location", None))
        if docname is None:
            self.unplaced += 1
        else:
            self.documents.add(docname)

    def docname(self, location: Any) -> str | None:
        """The document a log record's *location* names, if any."""
        if isinstance(location, tuple):
            return str(location[0]) if location and location[0] else None
        if isinstance(location, nodes.Node):
            try:
                location = get_node_source(location)
            except ValueError:  # a node with no source of its own or above it
                return None
        if not isinstance(location, str):
            return None
        path = _LINE.sub("", location)
        if not Path(path).suffix:
            return path  # already a docname
        return self.app.env.path2doc(path)


_BY_APP: weakref.WeakKeyDictionary[Any, ProblemsByDocument] = weakref.WeakKeyDictionary()


def attach(app: Any) -> None:
    """``builder-inited``: note the problems of this build by document, from here on."""
    _BY_APP[app] = ProblemsByDocument(app).attach()


def problems_of(app: Any) -> ProblemsByDocument:
    """The problems of *app*'s build so far (none noted, when the extension did not set up)."""
    return _BY_APP.get(app) or ProblemsByDocument(app)
