"""What in markup runs in a reader's browser: one answer for the export and the lint.

kubernetes.io inlines SVG figures in the page and passes a post's raw HTML
through, so the export refuses an SVG figure that holds script
(:mod:`.hugo.figures`) and the lint reports raw HTML or shortcode parameters
that do (:mod:`.qa.lint`). Both ask the same question of each element, its
tag and its attributes (:func:`what_runs`), and read markup as a browser reads
it (:func:`html_runs`): an SVG that is clean XML can still hold script for an
HTML parser (``<!--><img onerror=...>-->`` is a comment to one, an image to the
other). Nothing in this module imports Sphinx.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable
from urllib.parse import unquote_to_bytes
from xml.etree import ElementTree

#: Elements that run or embed code (``foreignObject`` carries HTML into an SVG).
ELEMENTS = frozenset({"script", "iframe", "object", "embed", "foreignobject"})
_SCRIPT_URL = re.compile(r"(?:javascript|vbscript):")


def script_url(value: str) -> bool:
    """Whether *value* is, or lists (SVG animation ``values="a;b"``), a URL that runs script, read
    as a browser reads it: it drops whitespace and control characters inside the scheme."""
    return any(_SCRIPT_URL.match("".join(c for c in item if c > " ").lower()) for item in value.split(";"))


def what_runs(tag: str, attributes: Iterable[tuple[str, str | None]]) -> list[str]:
    """What in one element runs script: the element itself, ``on*=`` handlers (also as SVG
    ``<animate attributeName="onclick">`` sets them), script URLs, and what the ``data:`` URL of an
    SVG ``<use>`` holds (a document of its own, which some browsers run). Names may carry an XML
    namespace."""
    tag = tag.rsplit("}", 1)[-1].lower()
    found = [f"a <{tag}> element"] if tag in ELEMENTS else []
    for name, value in attributes:
        name = name.rsplit("}", 1)[-1].lower()
        if name.startswith("on") or (name == "attributename" and (value or "").lower().startswith("on")):
            found.append(f"an event handler ({name}=) on <{tag}>")
        elif value and script_url(value):
            found.append(f"a script URL in {name}= of <{tag}>")
        elif tag == "use" and name == "href" and value and value.strip().lower().startswith("data:"):
            inner = data_url(value.strip())
            problem = "cannot be read" if inner is None else svg_runs(inner)
            if problem:
                found.append(f"a data: URL in href= of <use> whose document {problem}")
    return found


def data_url(url: str) -> bytes | None:
    """The bytes a ``data:`` URL carries (RFC 2397: base64 or percent-encoded), ``None`` if unreadable;
    a ``#fragment`` after them is not part of them."""
    header, comma, payload = url[len("data:"):].partition(",")
    if not comma:
        return None
    payload = payload.split("#", 1)[0]
    if header.lower().endswith(";base64"):
        try:
            return base64.b64decode("".join(payload.split()), validate=True)
        except (binascii.Error, ValueError):
            return None
    return unquote_to_bytes(payload)


def svg_runs(data: bytes) -> str | None:
    """What in an SVG document runs script once inlined in a page, if anything: read as XML (what the
    SVG is) and as the page's HTML parser reads it (what the reader gets)."""
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as err:
        return f"is not well-formed XML ({err})"
    for element in root.iter():
        if found := what_runs(str(element.tag), element.attrib.items()):
            return f"holds {found[0]}"
    if found := html_runs(data):
        return f"holds {found[0]} for an HTML parser, which reads it inlined in the page"
    return None


def html_runs(markup: str | bytes) -> list[str]:
    """What in *markup* runs script once a browser parses it inside a page (html5lib: the HTML
    standard's parser, so comments, CDATA and doctypes end where a browser ends them). Read twice:
    with scripting on, as browsers parse (``<noscript>`` holds raw text), and off (it holds markup),
    so neither reading hides an element from the other."""
    import html5lib  # only where there is markup to read: most lint runs have none

    found: list[str] = []
    for scripting in (True, False):
        parser = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False)
        fragment = parser.parseFragment(markup, container="div", scripting=scripting)
        found += [problem for element in fragment.iter() if isinstance(element.tag, str)
                  for problem in what_runs(element.tag, element.attrib.items()) if problem not in found]
    return found
