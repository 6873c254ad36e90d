"""Citations written as descriptive links, and their export as real links.

kubernetes.io posts cite by linking descriptive words to the cited work. The
``{cite:link}`AMD's whitepaper <amd2020sevsnp>``` role lets authors write that
while the bibliography stays managed: HTML and PDF show the linked words plus
the sphinxcontrib-bibtex citation; the Hugo export keeps the linked words only
(or a footnote), pointing at the work's own URL, never at a bibliography anchor
that the blog would not have.
"""

from __future__ import annotations

from typing import Any, cast

from docutils import nodes
from pybtex.database import Entry
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinxcontrib.bibtex.citation_target import parse_citation_targets
from sphinxcontrib.bibtex.domain import BibtexDomain
from sphinxcontrib.bibtex.nodes import bibliography
from sphinxcontrib.bibtex.roles import CiteRole

from .nodes import citation_group, references_list

logger = logging.getLogger(__name__)


class cite_link(nodes.inline):
    """Descriptive words linked to a cited work, followed by its citation."""


class CiteLinkRole(CiteRole):
    """``{cite:link}`text <key>```: *text* links to the work, then a citation."""

    def result_nodes(self, document, env, node, is_ref):  # type: ignore[no-untyped-def]
        targets = list(parse_citation_targets(self.target))
        if not self.has_explicit_title or len(targets) != 1:
            msg = self.inliner.reporter.error(
                "cite:link takes descriptive words and exactly one key, "
                "for example {cite:link}`AMD's whitepaper <amd2020sevsnp>`",
                line=self.lineno,
            )
            prb = self.inliner.problematic(self.rawtext, self.rawtext, msg)
            return [prb], [msg]
        node["reftype"] = "p"
        cited, messages = super().result_nodes(document, env, node, is_ref)
        link = nodes.reference(self.title, self.title, refuri="")
        wrapper = cite_link("", "", link, nodes.Text(" "), *cited, key=targets[0].key)
        return [wrapper], messages


def entry_url(entry: Entry) -> str | None:
    """The URL a citation of *entry* links to: its ``url``, else its DOI."""
    if url := entry.fields.get("url"):
        return str(url)
    if doi := entry.fields.get("doi"):
        return f"https://doi.org/{doi}"
    return None


def bib_entries(env: Any) -> dict[str, Entry]:
    """All entries of the project's bibliography, by key."""
    domain = cast(BibtexDomain, env.get_domain("cite"))
    return dict(domain.bibdata.data.entries)


class CiteLinkUrls(SphinxPostTransform):
    """Point the descriptive words of each ``cite:link`` at the cited work."""

    default_priority = 4  # before sphinxcontrib-bibtex resolves the citations

    def run(self, **kwargs: Any) -> None:
        entries = bib_entries(self.env)
        for node in self.document.findall(cite_link):
            entry = entries.get(node["key"])
            if entry is None:
                continue  # sphinxcontrib-bibtex reports the unknown key
            url = entry_url(entry)
            if url is None:
                logger.warning(
                    "cited work %r has no url or doi field; add one to the bibliography",
                    node["key"],
                    location=node,
                    type="hugo",
                    subtype="citation",
                )
                continue
            node[0]["refuri"] = url


class DropCiteLinkCitations(SphinxPostTransform):
    """In a links-style export, drop the citation that follows a ``cite:link``'s words.

    The export shows only the words, linked to the work (see the
    translator). Resolving the citation would format an author-year label
    for nothing: 5 % of a cold export of the article. An unknown key is
    still reported, as sphinxcontrib-bibtex reports it.
    """

    default_priority = 5  # before Sphinx resolves references (10)
    builders = ("hugo",)

    def run(self, **kwargs: Any) -> None:
        if self.config.hugo_citation_style != "links":
            return  # footnotes are numbered from the resolved citations
        entries = bib_entries(self.env)
        for node in self.document.findall(cite_link):
            if node["key"] not in entries:
                logger.warning(
                    'could not find bibtex key "%s"', node["key"], location=node, type="bibtex", subtype="key_not_found"
                )
            del node[1:]


def visit_passthrough(translator: Any, node: nodes.Node) -> None:
    """Render nothing of our own: the children carry the content."""


def depart_passthrough(translator: Any, node: nodes.Node) -> None:
    """Close nothing: see :func:`visit_passthrough`."""


def visit_cite_link_html(translator: Any, node: cite_link) -> None:
    """A span, so readers (and the parity test) can tell the words from the citation."""
    translator.body.append('<span class="cite-link">')


def depart_cite_link_html(translator: Any, node: cite_link) -> None:
    translator.body.append("</span>")


class HugoCitations(SphinxPostTransform):
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
        url = entry_url(entry)
        if url is None:
            logger.warning(
                "cited work %r has no url or doi field; add one to the bibliography",
                key, location=ref, type="hugo", subtype="citation",
            )
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
    ``plain_deferred`` style (see :mod:`.bibstyle`) no entry text is formatted.
    """

    default_priority = 4  # sphinxcontrib-bibtex renders bibliographies at 5
    builders = ("hugo",)

    def run(self, **kwargs: Any) -> None:
        used = bool(self.config.hugo_references) or self.config.hugo_citation_style == "footnotes"
        for bib in list(self.document.findall(bibliography)):
            section = bib.parent
            only = isinstance(section, nodes.section) and len(section) == 2
            if used and only:
                section["hugo_bibliography_only"] = True  # see HugoCitations
            elif not used:
                dropped = section if only else bib
                dropped.parent.remove(dropped)
