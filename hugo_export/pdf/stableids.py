"""Names in the reviewer PDF's LaTeX that stay put when something is added before them.

``make pdf-diff`` compares the LaTeX of two revisions of a post word by word
(latexdiff). Docutils names what has no name of its own by counting (``id68``),
so one TODO box, footnote or citation added near the top renamed everything
after it, and latexdiff saw every bibliography entry and every citation of
the post as changed. Two things keep the names still:

- citations and bibliography entries are named by the bib key, through
  sphinxcontrib-bibtex's public templates (``bibtex_cite_id``, set here unless
  ``conf.py`` sets it);
- whatever else the LaTeX builder would label with a counted id (TODO and note
  boxes, figures, tables, footnotes) is named by its kind and its content
  (:class:`ContentIds`); two blocks with the same content are told apart by
  their order among themselves.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.transforms.post_transforms import SphinxPostTransform

#: The ids docutils and Sphinx count (``settings.auto_id_prefix``, Sphinx's ``id``).
COUNTED = re.compile(r"id\d+")
#: sphinxcontrib-bibtex's templates: one bibliography's entries by key, the bibliographies by number.
BIBTEX_IDS = {"bibtex_cite_id": "cite-{bibliography_count}-{key}",
              "bibtex_bibliography_id": "bibliography-{bibliography_count}"}


def name_citations(app: Sphinx, config: Config) -> None:
    """``config-inited``: citations and entries named by their key, unless conf.py names them."""
    for name, template in BIBTEX_IDS.items():
        if not getattr(config, name):
            setattr(config, name, template)


def content_id(node: nodes.Element) -> str:
    """``figure-1a2b3c4d``: the node's kind and a digest of its text."""
    digest = hashlib.sha256(" ".join(node.astext().split()).encode()).hexdigest()[:10]
    return f"{node.tagname.replace('_', '-')}-{digest}"


class ContentIds(SphinxPostTransform):
    """Rename each counted id of the LaTeX document to :func:`content_id`, and every reference to it."""

    builders = ("latex",)
    default_priority = 800  # after Sphinx's LaTeX footnote (600) and bibliography (750) transforms

    def run(self, **kwargs: Any) -> None:
        renamed: dict[str, str] = {}
        seen: Counter[str] = Counter()
        for node in self.document.findall(nodes.Element):
            if isinstance(node, nodes.citation):  # named by sphinxcontrib-bibtex, which links to the name it gave
                continue
            for i, old in enumerate(node["ids"]):
                if COUNTED.fullmatch(old):
                    new = content_id(node)
                    seen[new] += 1
                    renamed[old] = node["ids"][i] = new if seen[new] == 1 else f"{new}-{seen[new]}"
        if not renamed:
            return
        for node in self.document.findall(nodes.Element):
            if node.get("refid") in renamed:
                node["refid"] = renamed[node["refid"]]
            if node.get("backrefs"):
                node["backrefs"] = [renamed.get(ref, ref) for ref in node["backrefs"]]
            uri, _, fragment = node.get("refuri", "").partition("#")
            if fragment in renamed and (not uri or uri.startswith("%")):  # a link within the LaTeX document
                node["refuri"] = f"{uri}#{renamed[fragment]}"
        for old, new in renamed.items():
            if old in self.document.ids:
                self.document.ids[new] = self.document.ids.pop(old)


def setup_stable_ids(app: Sphinx) -> None:
    app.connect("config-inited", name_citations)
    app.add_post_transform(ContentIds)
