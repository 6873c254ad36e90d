"""Citations exported as real links: doctree post-transforms, before the translator.

The export keeps a ``{cite:link}``'s linked words only (or a footnote), and
points every citation at the work's own URL, never at a bibliography anchor
the blog would not have. The tree is rewritten here, so the translator never
patches Markdown after the fact.
"""

from __future__ import annotations

from typing import Any, cast

from docutils import nodes
from pybtex.database import Entry
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinxcontrib.bibtex.domain import BibtexDomain
from sphinxcontrib.bibtex.nodes import bibliography

from ..sphinx_ext.roles import cite_link, entry_url
from .nodes import citation_group, references_list


class DropCiteLinkCitations(SphinxPostTransform):
    """In a links-style export, drop the citation that follows a ``cite:link``'s words.

    The export shows only the words, linked to the work (see the
    translator); resolving the citation would format an author-year label
    for nothing. An unknown key is still reported, as sphinxcontrib-bibtex
    reports it.
    """

    default_priority = 5  # before Sphinx resolves references (10)
    builders = ("hugo",)

    def run(self, **kwargs: Any) -> None:
        if self.config.hugo_citation_style != "links":
            return  # footnotes are numbered from the resolved citations
        for node in self.document.findall(cite_link):
            del node[1:]


class PointCitationsAtWorks(SphinxPostTransform):
    """Turn resolved citations into links to the works, for the hugo builder.

    sphinxcontrib-bibtex formats citations (author-year, as in the HTML
    preview) and links them to its bibliography; the blog has no such list by
    default, so each link is re-pointed at the cited work's URL. The
    bibliography becomes a :class:`references_list` the exporter shows only
    when ``hugo_references`` is on; a section left holding nothing else goes.
    """

    default_priority = 11  # after Sphinx's ReferencesResolver (10)
    builders = ("hugo",)

    def run(self, **kwargs: Any) -> None:
        domain = cast(BibtexDomain, self.env.get_domain("cite"))
        # The domain's citations and the class of their nodes: undocumented in sphinxcontrib-bibtex 2.7, not
        # underscored; this goes once it lets a builder choose where a citation links.
        by_id = {c.citation_id: c for c in domain.citations}
        for group in list(self.document.findall(nodes.inline)):
            if "bibtex-citation" in group["classes"]:
                for ref in group.findall(nodes.reference):
                    citation = by_id.get(ref.get("refid", ""))
                    if citation is not None:
                        self.point_at_work(ref, citation.key, citation.entry)
                group.replace_self(citation_group("", "", *group.children, **group.attributes))
        show = bool(self.config.hugo_references)
        for container in list(self.document.findall(nodes.container)):
            citations = [c for c in container.children if isinstance(c, nodes.citation)]
            if not citations or len(citations) != len(container.children):
                continue
            listing = references_list("", show=show)
            for citation in citations:
                citation["citekey"] = by_id[citation["ids"][0]].key
                listing += citation
            container.replace_self(listing)
        if not show:  # no empty "References" heading; footnotes still need the list
            for section in list(self.document.findall(nodes.section)):
                if section.get("hugo_bibliography_only"):
                    parent, index = section.parent, section.parent.index(section)
                    parent[index : index + 1] = list(section.findall(references_list))

    def point_at_work(self, ref: nodes.reference, key: str, entry: Entry) -> None:
        if (url := entry_url(entry)) is None:  # the bib check has said, at the entry, that it needs one
            ref.replace_self(ref.children)
            return
        for attr in ("refid", "internal", "reftitle"):
            ref.attributes.pop(attr, None)
        ref["refuri"] = url
        ref["citekey"] = key


class DropUnusedBibliographies(SphinxPostTransform):
    """Before sphinxcontrib-bibtex renders bibliographies, for the export:
    drop those it does not use and mark sections that hold nothing but one.

    The export uses a bibliography's entries only to list them
    (``hugo_references``) or as footnote texts (``hugo_citation_style =
    "footnotes"``). Otherwise each bibliography, with a section holding
    nothing else, goes before its entries are rendered, so that with the
    ``authoryear`` style (see :mod:`.bibstyle`) no entry text is formatted.
    """

    default_priority = 4  # sphinxcontrib-bibtex renders bibliographies at 5
    builders = ("hugo",)

    def run(self, **kwargs: Any) -> None:
        used = bool(self.config.hugo_references) or self.config.hugo_citation_style == "footnotes"
        for bib in list(self.document.findall(bibliography)):
            section = bib.parent
            only = isinstance(section, nodes.section) and len(section) == 2
            if used and only:
                section["hugo_bibliography_only"] = True  # see PointCitationsAtWorks
            elif not used:
                dropped = section if only else bib
                dropped.parent.remove(dropped)
