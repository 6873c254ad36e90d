"""Cache pybtex's plugin lookups and LaTeX parsing of field values.

A profile of a cold export of an article with 400 citations showed two
repeated costs inside pybtex, both pure functions of their arguments:

- sphinxcontrib-bibtex asks ``pybtex.plugin.find_plugin`` for the plaintext
  backend once per citation it resolves, and every lookup walks all installed
  packages' entry points (about 4 ms each);
- formatting each citation label decodes the same author and title strings
  from LaTeX again (``Text.from_latex``, latexcodec), once per citation.

Plugins do not change during a build and pybtex's rich text objects are never
mutated in place (their operations return new objects), so one lookup and one
parse per distinct argument is enough. A plugin registered after it was first
looked up is not seen: register plugins in ``conf.py`` before use.
"""

from __future__ import annotations

import functools

import pybtex.plugin
from pybtex.richtext import Text


def cache_pybtex() -> None:
    """Install both caches, once per process."""
    if not hasattr(pybtex.plugin.find_plugin, "cache_info"):
        pybtex.plugin.find_plugin = functools.cache(pybtex.plugin.find_plugin)
    if not hasattr(Text.from_latex, "cache_info"):
        Text.from_latex = functools.lru_cache(maxsize=8192)(Text.from_latex)  # a bound classmethod
