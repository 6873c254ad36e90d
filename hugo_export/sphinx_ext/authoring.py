"""Posts written the way kubernetes/website authors write them, for every output.

Two habits of the site's authors that MyST would otherwise misread, turned
into what they mean while a post is read, so the HTML preview, the PDF and
the export agree:

- a root-relative link to the site (``[RuntimeClass](/docs/concepts/...)``),
  which MyST takes for a cross-reference it cannot find, is a link to
  ``hugo_site_url``: a full link in HTML and PDF, root-relative again in the
  export (:func:`root_relative`);
- a block quote's last paragraph starting with ``--`` or ``—`` is its
  attribution, which the export writes after an em dash (the site's
  typographer is off, so ``--`` would show as it is).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform

_ATTRIBUTION = re.compile(r"(?:--|—)\s*")


class SiteLinks(SphinxTransform):
    """``/docs/...`` (a path in no source file) links to that page of the site."""

    default_priority = 500

    def apply(self, **kwargs: Any) -> None:
        site = self.config.hugo_site_url.rstrip("/")
        for xref in list(self.document.findall(addnodes.pending_xref)):
            target = xref.get("reftarget", "")
            if xref.get("reftype") == "myst" and xref.get("refdomain") is None and self.site_path(target):
                link = nodes.reference("", "", *xref.children, refuri=site + target)
                xref.replace_self(link)

    def site_path(self, target: str) -> bool:
        """A root-relative path that names no document of this project."""
        docname = target.split("#")[0].strip("/").removesuffix(".md")
        return target.startswith("/") and not target.startswith("//") and docname not in self.env.found_docs


def root_relative(url: str, site_url: str) -> str:
    """*url*, root-relative when it links into the blog's own site (``http://`` and ``www.`` forms of
    *site_url* included), as the site asks; any other URL as it is."""
    site, link = urlsplit(site_url.rstrip("/")), urlsplit(url)
    if (
        link.scheme.lower() in ("http", "https")
        and link.netloc.lower().removeprefix("www.") == site.netloc.lower().removeprefix("www.")
        and (link.path == site.path or link.path.startswith(site.path + "/"))
    ):
        return urlunsplit(("", "", link.path[len(site.path):] or "/", link.query, link.fragment))
    return url


class DashAttribution(SphinxTransform):
    """``> -- Name`` under a quote is the quote's attribution."""

    default_priority = 500

    def apply(self, **kwargs: Any) -> None:
        for quote in list(self.document.findall(nodes.block_quote)):
            last = quote.children[-1] if len(quote) > 1 else None
            if not isinstance(last, nodes.paragraph) or not isinstance(last[0], nodes.Text):
                continue
            dash = _ATTRIBUTION.match(last[0].astext())
            if dash is None or dash.end() == len(last[0].astext()):
                continue
            attribution = nodes.attribution("", "", nodes.Text(last[0].astext()[dash.end():]), *last.children[1:])
            attribution.source, attribution.line = last.source, last.line
            quote.replace(last, attribution)
