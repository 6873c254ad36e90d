"""Kubernetes glossary terms: tooltips on kubernetes.io, links elsewhere.

``{k8s-term}`Pods <pod>``` (or ``{k8s-term}`pod```) marks a term a newcomer
may want explained. The blog renders it with the site's ``glossary_tooltip``
shortcode, whose ``term_id`` must name a file under
``content/en/docs/reference/glossary/`` or the site's build fails; so we check
the id against the list we keep in ``data/glossary_ids.txt`` at parse time,
where the error can name the source line.
"""

from __future__ import annotations

import functools
from importlib import resources

from docutils import nodes
from sphinx.util.docutils import SphinxRole

GLOSSARY_URL = "https://kubernetes.io/docs/reference/glossary/?all=true#term-{}"


class k8s_term(nodes.inline):
    """A Kubernetes glossary term; its child is a link to the definition."""


@functools.cache
def glossary_ids() -> frozenset[str]:
    """Term ids of kubernetes/website's glossary (file names, without .md)."""
    text = resources.files("hugo_export").joinpath("data/glossary_ids.txt").read_text("utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


class K8sTermRole(SphinxRole):
    """``{k8s-term}`text <term_id>``` or ``{k8s-term}`term_id```."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        text, _, rest = self.text.partition("<")
        if rest.endswith(">") and text.strip():
            text, term_id = text.strip(), rest[:-1].strip()
        else:
            text = term_id = self.text.strip()
        if term_id not in glossary_ids():
            msg = self.inliner.reporter.error(
                f"unknown Kubernetes glossary term id {term_id!r}: kubernetes/website's build "
                "would fail. Use a file name from content/en/docs/reference/glossary/ "
                "(listed in hugo_export/data/glossary_ids.txt), e.g. {k8s-term}`Pods <pod>`",
                line=self.lineno,
            )
            return [self.inliner.problematic(self.rawtext, self.rawtext, msg)], [msg]
        link = nodes.reference(text, text, refuri=GLOSSARY_URL.format(term_id))
        return [k8s_term("", "", link, term_id=term_id)], []
