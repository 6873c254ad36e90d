"""Kubernetes blog posts from MyST sources: HTML preview, reviewer PDF, kubernetes/website export.

The package's parts follow the flow of a post: its sources (:mod:`.post`,
:mod:`.project`), the Sphinx extension every output uses (:mod:`.sphinx_ext`,
which ``conf.py`` lists), the writers (:mod:`.hugo`, :mod:`.pdf`), the checks
(:mod:`.qa`) and the submission (:mod:`.pr`); :mod:`.cli` runs them. Importing
the package imports nothing else: the command line's lint, bibcheck and ``pr``
import no Sphinx at all.
"""

__version__ = "0.2.0"
