"""Figures and images: the ``figure`` shortcode, or a Markdown image inside text.

An image standing alone (a ``{figure}``, an ``{image}``, a paragraph holding
only an image, with or without a link around it) becomes the site's
``figure`` shortcode; an image inside text or a table cell stays a Markdown
image there. Either way its file goes into the page bundle, named as Sphinx
names the files it copies (:class:`.base.BundleNames`: two ``pic.svg``
become ``pic.svg`` and ``pic1.svg``; another post's files do not rename
this one's), chosen among ``diagram.*`` candidates as Sphinx chooses
them (``Builder.post_process_images``). kubernetes.io inlines SVG figures in the
page, so an SVG holding script is refused.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from docutils import nodes

from ..scripting import svg_runs
from . import markdown
from .base import TranslatorBase

#: Bundle file names the site's ``figure`` shortcode finds as they are (it
#: looks them up as glob patterns, and cuts them at a ``?``).
FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


class Figures(TranslatorBase):
    """Visitors of figures and images, and the bundle files they bring."""

    def visit_figure(self, node: nodes.figure) -> None:
        legend = node.next_node(nodes.legend)
        if legend is not None:
            self.fail(legend, "a figure legend: kubernetes.io's figure shortcode has one caption; "
                              "put the legend in the caption or in the text after the figure")
        captions = [c for c in node.children if isinstance(c, nodes.caption)]
        caption = self.render_parameter(captions[0]) if captions else ""
        self.add_block(self.image_block(node.children[0], caption))
        raise nodes.SkipNode

    def visit_image(self, node: nodes.image) -> None:
        if not self.inlines:  # an {image} directive: standing alone
            self.add_block(self.image_block(node))
            raise nodes.SkipNode
        self.refuse_in_parameter(node, "an image")
        alt = node.get("alt", "").replace("\n", " ")
        if problem := markdown.alt_problem(alt, self.place):
            self.fail(node, f"the alt text of an image in a sentence or a table cell {problem}: Hugo's image hook "
                            "on kubernetes.io shows it as written in Markdown; rephrase it, or give the image a "
                            "paragraph of its own (a figure)")
        title = self.title_part(node, "title", "image")
        self.write(f"![{alt}]({markdown.link_destination(self.bundle_file(node))}{title})")
        raise nodes.SkipNode

    def image_block(self, node: nodes.Node, caption: str = "") -> str:
        """The ``figure`` shortcode for an image standing alone (see :func:`lone_image`)."""
        found = lone_image(node)
        if found is None:
            self.fail(node, "a link standing alone around more than an image; put it in a sentence")
        image, link = found
        params = {"src": self.bundle_file(image), "alt": image.get("alt", "")}
        if image.get("title"):
            params["title"] = image["title"]
        if caption:
            params["caption"] = caption
        if link is not None:
            params["link"] = markdown.linked_url(self.link_url(link))
        return self.shortcode(image, "figure", **params)

    def bundle_file(self, image: nodes.image) -> str:
        """The name of *image*'s file in the page bundle, which it joins."""
        uri = image["uri"]
        if "://" in uri or uri.startswith("data:"):
            self.fail(image, "remote and inline (data:) images do not belong in a post; "
                             "add the file to source/")
        source = Path(self.builder.srcdir, uri)  # inside: sphinx_ext.boundary took any other out
        if uri not in self.builder.env.images or not source.is_file():  # Sphinx has warned already
            self.fail(image, f"image file {uri!r} does not exist")
        if not FILE_NAME.fullmatch(source.name):
            self.fail(image, f"image file name {source.name!r}: kubernetes.io's figure shortcode reads some "
                             "characters as a pattern; rename the file with letters, digits, '.', '-' and '_'")
        if source.suffix.lower() == ".svg" and (problem := unsafe_svg(source)):
            self.fail(image, f"{uri}: {problem}; kubernetes.io inlines SVG figures in the page, so remove it")
        return self.bundle.add(uri)


def lone_image(node: nodes.Node) -> tuple[nodes.image, nodes.reference | None] | None:
    """The one image *node* is, or holds with nothing else (a paragraph, a link
    or both around it), and the link around it, if any."""
    if isinstance(node, nodes.image):
        return node, None
    if not isinstance(node, (nodes.paragraph, nodes.reference)):
        return None
    content = [c for c in node.children if not (isinstance(c, nodes.Text) and not c.strip())]
    found = lone_image(content[0]) if len(content) == 1 else None
    if found is None or not isinstance(node, nodes.reference):
        return found
    return (found[0], node) if found[1] is None else None


def unsafe_svg(path: Path) -> str | None:
    """What in the SVG at *path* would run in a reader's browser once inlined, if anything."""
    return svg_problem(path.read_bytes())


@functools.lru_cache(maxsize=32)  # make preview re-exports on every save; html5lib reads 300 KiB in ~0.7 s
def svg_problem(data: bytes) -> str | None:
    """:func:`unsafe_svg` of an SVG's bytes."""
    problem = svg_runs(data)
    return f"the SVG {problem}" if problem else None
