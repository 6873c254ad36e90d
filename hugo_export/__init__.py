"""Kubernetes blog posts from MyST sources: HTML preview, reviewer PDF, kubernetes/website export.

``conf.py`` lists ``"hugo_export"`` in ``extensions``; Sphinx then calls
:func:`setup`, which loads the extension (:mod:`.sphinx_ext`). Importing the
package does nothing else: the command line's lint, bibcheck and ``pr`` import
no Sphinx at all.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.2.0"


def setup(app: Any) -> dict[str, Any]:
    """Sphinx's entry point: see :mod:`hugo_export.sphinx_ext`."""
    from .sphinx_ext import setup as setup_extension

    return setup_extension(app)
