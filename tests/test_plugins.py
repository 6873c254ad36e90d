"""The plugins a build uses, registered once: the same classes, no second reading of the entry points.

Each case runs in a fresh interpreter, since the registries are process-wide.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from typing import Any

LOOKUPS = """
PYBTEX = [("pybtex.backends", "docutils"), ("pybtex.backends", "plaintext"), ("pybtex.style.formatting", "plain"),
          ("pybtex.style.names", "last"), ("pybtex.style.labels", "number"),
          ("pybtex.style.sorting", "author_year_title")]
BIBTEX = [("sphinxcontrib.bibtex.style.referencing", "author_year"),
          ("sphinxcontrib.bibtex.style.referencing", "foot")]
def found():
    import pybtex.plugin
    import sphinxcontrib.bibtex.plugin
    return ([pybtex.plugin.find_plugin(*k).__qualname__ for k in PYBTEX]
            + [sphinxcontrib.bibtex.plugin.find_plugin(*k).__qualname__ for k in BIBTEX])
"""


def python(code: str) -> Any:
    """Run *code* in a fresh interpreter; it prints one JSON value."""
    run = subprocess.run([sys.executable, "-c", LOOKUPS + textwrap.dedent(code)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_the_plugins_a_build_looks_up_again_and_again_are_found_without_reading_the_entry_points():
    before, registered, after, scans = python("""
        import importlib.metadata, json
        scans = []
        real = importlib.metadata.entry_points
        def counting(**params):
            scans.append(params)
            return real(**params)
        importlib.metadata.entry_points = counting
        before = found()  # each library's own way
        from hugo_export.sphinx_ext import plugins
        registered = plugins.register()
        del scans[:]
        after = found()
        for _ in range(100):  # as a citation each
            import pybtex.plugin
            pybtex.plugin.find_plugin("pybtex.backends", "plaintext")
        print(json.dumps([before, registered, after, len(scans)]))
    """)
    assert registered == 2
    assert after == before  # the same classes
    assert scans == len(before) - registered  # the others are looked up once each, the library's way


def test_a_plugin_not_listed_is_still_found():
    found = python("""
        import json
        from hugo_export.sphinx_ext import plugins
        plugins.register()
        import pybtex.plugin
        print(json.dumps(pybtex.plugin.find_plugin("pybtex.backends", "html").__qualname__))
    """)
    assert found == "Backend"
