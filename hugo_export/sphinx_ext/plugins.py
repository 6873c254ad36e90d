"""The pybtex and sphinxcontrib-bibtex plugins a build uses, registered once through their public route.

Both libraries look a plugin up in their run-time registry first and, when
it is not there, in ``importlib.metadata.entry_points()``, which reads the
metadata of every installed package again: several times in a cold export,
and once per citation for the plaintext backend sphinxcontrib-bibtex formats
each citation with (the 400-citation bench takes about a third longer). So
the extension's ``setup()`` reads the entry points once, and registers the
plugins a build looks up with each library's ``register_plugin(..., force=True)``;
a plugin not listed here is still found, the libraries' own slower way.
"""

from __future__ import annotations

import importlib.metadata

import pybtex.plugin
import sphinxcontrib.bibtex.plugin

#: (group, name) of each plugin a build of a post looks up, by library.
PYBTEX = [("pybtex.backends", "plaintext"), ("pybtex.backends", "docutils"), ("pybtex.style.formatting", "plain"),
          ("pybtex.style.names", "last"), ("pybtex.style.names", "plain"), ("pybtex.style.labels", "number"),
          ("pybtex.style.sorting", "author_year_title"), ("pybtex.style.sorting", "none")]
BIBTEX = [("sphinxcontrib.bibtex.style.referencing", name) for name in ("author_year", "foot", "label", "super")]


def register() -> int:
    """Register the plugins of :data:`PYBTEX` and :data:`BIBTEX` from one reading of the entry points;
    the number registered."""
    installed = importlib.metadata.entry_points()
    count = 0
    for plugins, register_plugin in ((PYBTEX, pybtex.plugin.register_plugin),
                                     (BIBTEX, sphinxcontrib.bibtex.plugin.register_plugin)):
        for group, name in plugins:
            for entry_point in installed.select(group=group, name=name):
                register_plugin(group, name, entry_point.load(), force=True)
                count += 1
                break
    return count
