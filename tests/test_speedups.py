"""The entry-points memo: the same plugins, from one reading, installed by setup() only.

Each case runs in a fresh interpreter, since the memo is process-wide.
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


def test_one_reading_of_the_entry_points_finds_the_same_plugins_for_every_lookup():
    before, installed, after, scans = python("""
        import importlib.metadata, json
        scans = []
        real = importlib.metadata.entry_points
        def counting(**params):
            scans.append(params)
            return real(**params)
        importlib.metadata.entry_points = counting
        before = found()  # without the memo
        from hugo_export.sphinx_ext import speedups
        installed = speedups.install()
        del scans[:]
        after = found()
        found()  # the same lookups again: nothing new to read
        print(json.dumps([before, installed, after, len(scans)]))
    """)
    assert installed is True
    assert after == before
    assert scans == 1


def test_unverified_versions_get_no_memo():
    result = python("""
        import json
        from hugo_export.sphinx_ext import speedups
        speedups.VERIFIED.clear()
        import pybtex.plugin
        before = pybtex.plugin.entry_points
        print(json.dumps([speedups.install(), pybtex.plugin.entry_points is before]))
    """)
    assert result == [False, True]
