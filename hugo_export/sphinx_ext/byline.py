"""The byline of the HTML preview: who wrote the post and when it is to appear, as kubernetes.io shows it.

kubernetes.io prints the authors and the date under a post's title; the PDF
has them on its title page. The preview gets a paragraph of its own under the
title, from the front matter (:mod:`hugo_export.post`): the authors, then the
date, "planned" while the post is a draft.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from ..post import FrontMatterError, parse_post, post_name


class Byline(SphinxPostTransform):
    """Under the title of each post in the HTML preview: ``By A (X), B (Y) | 10 December 2026 (planned)``."""

    default_priority = 900
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        path = Path(self.env.doc2path(self.env.docname))
        try:
            meta = parse_post(path, post_name(path))[0]
        except FrontMatterError:
            return  # the build reports it
        title = next(iter(self.document.findall(nodes.title)), None)
        if meta is None or title is None:
            return
        day = f"{meta.date.day} {meta.date:%B %Y}" + (" (planned)" if meta.draft else "")
        byline = nodes.paragraph("", "", nodes.Text(f"By {', '.join(meta.authors)} | {day}"), classes=["byline"])
        title.parent.insert(title.parent.index(title) + 1, byline)
