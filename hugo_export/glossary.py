"""The ids of kubernetes/website's glossary terms, which ``{k8s-term}`` must name.

The site's ``glossary_tooltip`` shortcode fails the site's build on an id that
is not a file under ``content/en/docs/reference/glossary/``; we keep their list
in ``data/glossary_ids.txt`` so the role and the lint can check ids where the
error can name the source line.
"""

from __future__ import annotations

import functools
from importlib import resources

GLOSSARY_URL = "https://kubernetes.io/docs/reference/glossary/?all=true#term-{}"


@functools.cache
def glossary_ids() -> frozenset[str]:
    """Term ids of kubernetes/website's glossary (file names, without .md)."""
    text = resources.files("hugo_export").joinpath("data/glossary_ids.txt").read_text("utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip())
