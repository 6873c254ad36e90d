"""``python -m hugo_export.build``: ``sphinx-build``, minus the interpreter's teardown.

It takes ``sphinx-build``'s arguments and prints what it prints. ``make html``
and ``make hugo`` run it, because a profile of a cold ``make hugo`` (see
bench/results.md) found a fifth of the wall time spent after Sphinx had
finished: the interpreter freeing, one by one, the hundred thousand objects
Sphinx, docutils and pybtex leave behind.

Nothing in that teardown writes output. When Sphinx's ``main`` returns,
every output file and the pickled environment are written and closed, and
parallel workers have been joined; Sphinx's log handlers flush every line.
So we flush the standard streams, for whatever ``conf.py`` or an extension
printed, and end the process with ``os._exit``, as mypy does for the same
reason. A build that ends by an exception (``SystemExit`` from a check
that stops the build) leaves through the normal path.
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn

from sphinx.cmd.build import main as sphinx_build


def exit_now(status: int) -> NoReturn:
    """End the process with *status* once everything printed has left."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    exit_now(sphinx_build(sys.argv[1:]))
