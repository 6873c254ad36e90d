"""Cache pybtex's plugin lookups and LaTeX parsing of field values.

Profiles of cold exports showed three repeated costs inside pybtex and
sphinxcontrib-bibtex, all pure functions of their arguments during a build:

- sphinxcontrib-bibtex asks ``pybtex.plugin.find_plugin`` for the plaintext
  backend once per citation it resolves (400 citations, 400 lookups);
- every lookup of a plugin not registered at run time, in pybtex and in
  sphinxcontrib-bibtex, reads the entry points of every installed package
  again: nine such scans in a cold export of the article, 2 ms each;
- formatting each citation label decodes the same author and title strings
  from LaTeX again (``Text.from_latex``, latexcodec), once per citation.

Installed packages and plugins do not change during a build, and pybtex's
rich text objects are never mutated in place (their operations return new
objects), so one scan, one lookup and one parse per distinct argument is
enough. A plugin registered after it was first looked up is not seen:
register plugins in ``conf.py`` before use. sphinxcontrib-bibtex looks
plugins up when it is imported, so the caches go in before it is.
"""

from __future__ import annotations

import functools
import importlib.metadata
from typing import Any

import pybtex.plugin
from pybtex.richtext import Text


@functools.cache
def installed_entry_points() -> importlib.metadata.EntryPoints:
    """Every installed package's entry points, read once."""
    return importlib.metadata.entry_points()


def entry_points(**params: Any) -> importlib.metadata.EntryPoints:
    """``importlib.metadata.entry_points(**params)``, from the one reading."""
    return installed_entry_points().select(**params)


def cache_pybtex() -> None:
    """Install the caches, once per process, before sphinxcontrib-bibtex is imported."""
    pybtex.plugin.entry_points = entry_points
    import sphinxcontrib.bibtex.plugin  # its package looks pybtex plugins up: after the line above

    sphinxcontrib.bibtex.plugin.entry_points = entry_points  # what its _entry_points calls
    if not hasattr(pybtex.plugin.find_plugin, "cache_info"):
        pybtex.plugin.find_plugin = functools.cache(pybtex.plugin.find_plugin)
    if not hasattr(Text.from_latex, "cache_info"):
        Text.from_latex = functools.lru_cache(maxsize=8192)(Text.from_latex)  # a bound classmethod
