"""pybtex's and sphinxcontrib-bibtex's plugin lookups: the same plugins, from one reading of the entry points.

Each case runs in a fresh interpreter, since the caches are process-wide.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

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


def python(code: str) -> object:
    """Run *code* in a fresh interpreter; it prints one JSON value."""
    run = subprocess.run([sys.executable, "-c", LOOKUPS + textwrap.dedent(code)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_the_caches_find_the_same_plugins_and_latex_text():
    before, after = python("""
        import json
        from pybtex.richtext import Text
        latex = r"Fran{\\c c}ois and {\\v S}imon --- {TDX}"
        before = [found(), str(Text.from_latex(latex))]
        import hugo_export  # installs the caches
        first, again = str(Text.from_latex(latex)), str(Text.from_latex(latex))  # a miss, then a hit
        assert Text.from_latex.cache_info().hits == 1
        print(json.dumps([before, [found(), again]]))
    """)
    assert after == before
    assert "François" in before[1]


def test_one_reading_of_the_entry_points_serves_every_lookup():
    scans = python("""
        import importlib.metadata, json
        scans = []
        real = importlib.metadata.entry_points
        def counting(**params):
            scans.append(params)
            return real(**params)
        importlib.metadata.entry_points = counting
        import hugo_export  # installs the caches before sphinxcontrib-bibtex's own lookups
        found()
        print(json.dumps(len(scans)))
    """)
    assert scans == 1
