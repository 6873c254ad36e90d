"""Read the installed packages' entry points once per build, not once per plugin lookup.

pybtex (``pybtex.plugin._load_entry_point``) and sphinxcontrib-bibtex
(``sphinxcontrib.bibtex.plugin``) look every plugin that was not registered
at run time up in ``importlib.metadata.entry_points()``, which reads the
metadata of every installed package again and then goes through all of
it: several times in a cold export of a post, and once per citation for the
plaintext backend sphinxcontrib-bibtex formats each citation with, which
makes the 400-citation bench about a third slower (``make bench``).
Installed packages do not change during a build, so one reading serves every
lookup, and each query is answered once.

Installed by the extension's ``setup()``, never on import, and only on the
versions it was verified with (pybtex 0.26.1, sphinxcontrib-bibtex 2.7.0):
both modules call the module-level name ``entry_points`` at lookup time. It
becomes unnecessary once pybtex caches its plugin lookups itself.
"""

from __future__ import annotations

import functools
import importlib.metadata
from typing import Any

#: (pybtex, sphinxcontrib-bibtex) versions whose lookups go through ``entry_points``.
VERIFIED = {("0.26.1", "2.7.0")}


@functools.cache
def installed_entry_points() -> Any:
    """Every installed package's entry points, read once (``SelectableGroups`` on 3.11)."""
    return importlib.metadata.entry_points()


@functools.cache
def _selected(params: tuple[tuple[str, Any], ...]) -> importlib.metadata.EntryPoints:
    # Selecting goes through every entry point of every package: once per query is enough.
    return installed_entry_points().select(**dict(params))  # type: ignore[no-any-return,unused-ignore]


def entry_points(**params: Any) -> importlib.metadata.EntryPoints:
    """``importlib.metadata.entry_points(**params)``, from the one reading, each query answered once."""
    return _selected(tuple(sorted(params.items())))


def install() -> bool:
    """Install the memo where both packages look; ``False`` on unverified versions."""
    import pybtex.plugin
    import sphinxcontrib.bibtex.plugin

    versions = (importlib.metadata.version("pybtex"), importlib.metadata.version("sphinxcontrib-bibtex"))
    if versions not in VERIFIED:
        return False
    pybtex.plugin.entry_points = entry_points
    sphinxcontrib.bibtex.plugin.entry_points = entry_points  # type: ignore[assignment]
    return True
