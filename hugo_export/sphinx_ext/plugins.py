"""The pybtex and sphinxcontrib-bibtex plugins a build uses, registered once through their public route.

Both libraries look a plugin up in their run-time registry first and, when
it is not there, in ``importlib.metadata.entry_points()``, which reads the
metadata of every installed package again: once per citation for the
plaintext backend sphinxcontrib-bibtex formats each citation with (without
this, the 400-citation export reads them 207 times, with it 7). So the
extension's ``setup()`` registers the plugins a build looks up again and again
with each library's ``register_plugin(..., force=True)``; the others are found
the libraries' own way. (``register_plugin`` itself reads the entry points
once per call, even forced: an upstream change that skipped that read when
forcing would make registering free.)
"""

from __future__ import annotations

import importlib.metadata

import pybtex.plugin
import sphinxcontrib.bibtex.plugin

#: (group, name) of the plugins a build looks up more than once: the plaintext backend, once per citation
#: (sphinxcontrib-bibtex formats each with it), and the name style. Each registration reads the entry
#: points once itself (``register_plugin`` looks for an installed plugin of the name even with
#: ``force=True``), so a plugin looked up once is left to the library's own lookup.
PYBTEX = [("pybtex.backends", "plaintext"), ("pybtex.style.names", "last")]
BIBTEX: list[tuple[str, str]] = []


def register() -> int:
    """Register the plugins of :data:`PYBTEX` and :data:`BIBTEX` from one reading of the entry points; the
    number registered."""
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
