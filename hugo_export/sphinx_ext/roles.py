"""The two roles posts use in every output: ``{cite:link}`` and ``{k8s-term}``.

kubernetes.io posts cite by linking descriptive words to the cited work, and
explain Kubernetes terms with the site's glossary tooltips. In the HTML
preview and the PDF a ``{cite:link}`` shows its linked words plus the
sphinxcontrib-bibtex citation, and a ``{k8s-term}`` links to the glossary; the
Hugo export turns them into a plain link and a ``glossary_tooltip`` shortcode.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from docutils import nodes
from pybtex.database import Entry
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import ReferenceRole
from sphinxcontrib.bibtex.citation_target import parse_citation_targets
from sphinxcontrib.bibtex.domain import BibtexDomain
from sphinxcontrib.bibtex.roles import CiteRole

from ..glossary import GLOSSARY_URL, glossary
from ..problems import nearest


class cite_link(nodes.inline):
    """Descriptive words linked to a cited work, followed by its citation."""


class k8s_term(nodes.inline):
    """A Kubernetes glossary term; its child is a link to the definition."""


class NoBangCiteRole(CiteRole):
    """sphinxcontrib-bibtex's citation roles (``{cite:p}``, ``{cite:t}``, ...), with a leading
    ``!`` an error at the role: Sphinx reads it as "no link", and sphinxcontrib-bibtex meets
    that with an assertion, a traceback."""

    BANG = "a citation's keys cannot start with '!', which Sphinx reads as 'no link'; drop the '!'"

    def create_non_xref_node(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        return self.problem(self.BANG)

    def result_nodes(self, document, env, node, is_ref):
        """The citation, or one error naming the nearest keys when a key is not in the bibliography
        (sphinxcontrib-bibtex would say only that it could not find it)."""
        entries = bib_entries(env)
        try:
            unknown = [t.key for t in parse_citation_targets(self.target) if t.key not in entries]
        except ValueError:
            unknown = []  # a malformed target: sphinxcontrib-bibtex or cite:link says what is wrong
        if unknown:
            files = ", ".join(Path(bib).name for bib in env.config.bibtex_bibfiles)
            return self.problem(f"no work has the key {unknown[0]!r} in {files}; "
                                + (nearest(unknown[0], entries) or "add the work there, or correct the key"))
        return super().result_nodes(document, env, node, is_ref)

    def problem(self, message: str) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        msg = self.inliner.reporter.error(message, line=self.lineno)
        return [self.inliner.problematic(self.rawtext, self.rawtext, msg)], [msg]


class CiteLinkRole(NoBangCiteRole):
    """``{cite:link}`text <key>```: *text* links to the work, then a citation."""

    BANG = ("cite:link words cannot start with '!', which Sphinx reads as 'no link'; "
            "drop the '!' or link the work's URL yourself")

    def result_nodes(self, document, env, node, is_ref):
        try:
            targets = list(parse_citation_targets(self.target))
        except ValueError:  # the words held a "<", and the key was read from there on
            return self.problem("cite:link words cannot hold a '<': the role reads the key from the first "
                                "'<' on; reword them without it (or link the work's URL yourself)")
        if not self.has_explicit_title or len(targets) != 1:
            return self.problem("cite:link takes descriptive words and exactly one key, "
                                "for example {cite:link}`AMD's whitepaper <amd2020sevsnp>`")
        node["reftype"] = "p"
        cited, messages = super().result_nodes(document, env, node, is_ref)
        if messages:  # an unknown key, said once
            return cited, messages
        link = nodes.reference(self.title, self.title, refuri="")
        wrapper = cite_link("", "", link, nodes.Text(" "), *cited, key=targets[0].key)
        return [wrapper], messages


class K8sTermRole(ReferenceRole):
    """``{k8s-term}`text <term_id>``` or ``{k8s-term}`term_id```."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        term_id = self.target.strip()
        terms = glossary(Path(self.config.k8s_website) if self.config.k8s_website else None)
        if term_id not in terms.ids:
            msg = self.inliner.reporter.error(terms.unknown(term_id), line=self.lineno)
            return [self.inliner.problematic(self.rawtext, self.rawtext, msg)], [msg]
        link = nodes.reference(self.title, self.title, refuri=GLOSSARY_URL.format(term_id))
        return [k8s_term("", "", link, term_id=term_id)], []


def entry_url(entry: Entry) -> str | None:
    """The URL a citation of *entry* links to: its ``url``, else its DOI."""
    if url := entry.fields.get("url"):
        return str(url)
    if doi := entry.fields.get("doi"):
        return f"https://doi.org/{doi}"
    return None




def bib_entries(env: Any) -> dict[str, Entry]:
    """All entries of the project's bibliography, by key (sphinxcontrib-bibtex's domain data: undocumented,
    not underscored; it goes once the extension gives the parsed bibliography a public accessor)."""
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
            if (url := entry_url(entry)) is not None:
                node[0]["refuri"] = url
            else:  # the bib check has said, at the entry, that it needs a url: the words stay words
                node[0].replace_self(nodes.Text(node[0].astext()))


def visit_passthrough(translator: Any, node: nodes.Node) -> None:
    """Render nothing of our own: the children carry the content."""


def depart_passthrough(translator: Any, node: nodes.Node) -> None:
    """Close nothing: see :func:`visit_passthrough`."""


def visit_cite_link_html(translator: Any, node: cite_link) -> None:
    """A span, so readers (and the parity test) can tell the words from the citation."""
    translator.body.append('<span class="cite-link">')


def depart_cite_link_html(translator: Any, node: cite_link) -> None:
    translator.body.append("</span>")


PASSTHROUGH = (visit_passthrough, depart_passthrough)
NODES: dict[type[nodes.Element], dict[str, tuple[Any, Any]]] = {
    cite_link: {"html": (visit_cite_link_html, depart_cite_link_html), "latex": PASSTHROUGH, "text": PASSTHROUGH},
    k8s_term: {"html": PASSTHROUGH, "latex": PASSTHROUGH, "text": PASSTHROUGH},
}
