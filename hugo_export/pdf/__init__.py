"""The reviewer PDF: Sphinx's LaTeX builder with a translator and a layout of our own, then latexmk.

As Sphinx gives LaTeX ``builders/latex/`` and ``writers/latex.py``, the PDF has
its one place: :mod:`.documents` (one LaTeX document per post, the review
layout's settings), :mod:`.writer` (the reviewer's margins, line numbers and
tables), :mod:`.tablewidths`, :mod:`.stableids` (names that do not shift when an
earlier box is added), ``blogreview.sty`` and ``blogdiff.sty``; then the jobs,
:mod:`.latexmk` (``make pdf``) and :mod:`.diff` (``make pdf-diff``).
The extension sets the LaTeX side up by name, as it does the ``hugo`` builder.
"""

from __future__ import annotations

from typing import Any


def setup(app: Any) -> dict[str, Any]:
    """Register the review layout for Sphinx's LaTeX builder."""
    from .. import __version__
    from .documents import setup_latex

    setup_latex(app)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
