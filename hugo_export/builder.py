"""The ``hugo`` builder: each post document becomes a kubernetes/website post.

A post is a document with front matter. It is written to
``OUT/<hugo_section>/<YYYY>/<slug>.md``, or to ``<YYYY>/<slug>/index.md`` with
its images beside it (a page bundle) when it shows any. The whole tree is
written into a staging directory and swapped into place only once every post
exported cleanly, so a failed export never leaves a half-written tree behind.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Set
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from .frontmatter import FrontMatterError, PostMeta, hugo_front_matter, parse_post
from .translator import ExportError, MarkdownTranslator

logger = logging.getLogger(__name__)


class HugoBuilder(Builder):
    """Writes kubernetes/website blog posts (Markdown + Hugo shortcodes)."""

    name = "hugo"
    format = "markdown"
    epilog = "The kubernetes/website posts are in %(outdir)s."
    allow_parallel = False
    supported_image_types = ["image/svg+xml", "image/png", "image/jpeg", "image/gif", "image/webp"]
    default_translator_class = MarkdownTranslator

    def __init__(self, app: Sphinx, env: BuildEnvironment) -> None:
        super().__init__(app, env)
        # Builder.app is deprecated (Sphinx 9); the exit status and the -W
        # warning count still live on the application.
        self.application = app

    def init(self) -> None:
        # Citation tooltips become link titles we drop (see HugoCitations);
        # formatting every entry a second time for them costs a tenth of a
        # cold export. The value only matters to HTML builds' outdated check.
        self.config.bibtex_tooltips = False
        self.posts: dict[str, PostMeta] = {}
        self.broken: set[str] = set()  # posts whose front matter failed
        self.problems = 0
        self.staging = Path(self.outdir) / ".staging"

    @property
    def publish(self) -> bool:
        return bool(self.config.hugo_publish)

    def get_outdated_docs(self) -> Iterable[str]:
        return self.env.found_docs  # cheap to write; make skips a no-op build

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        meta = self.posts.get(docname)
        if meta is None:
            return ""
        return f"/blog/{meta.date:%Y/%m/%d}/{meta.slug}/"

    def get_relative_uri(self, from_: str, to: str, typ: str | None = None) -> str:
        return self.get_target_uri(to, typ)

    def site_link(self, url: str) -> str:
        """Links into the blog's own site are root-relative, as the site asks."""
        site = self.config.hugo_site_url.rstrip("/")
        if url == site or url.startswith(site + "/"):
            return url[len(site):] or "/"
        return url

    def problem(self, message: str, location: Any = None, subtype: str = "export") -> None:
        """Log an export error; the tree is then not swapped into place."""
        logger.error(message, location=location, type="hugo", subtype=subtype)
        self.problems += 1

    def prepare_writing(self, docnames: Set[str]) -> None:
        if self.config.hugo_citation_style not in ("links", "footnotes"):
            self.problem(
                f"hugo_citation_style must be 'links' or 'footnotes', "
                f"not {self.config.hugo_citation_style!r}"
            )
        for docname in sorted(self.env.found_docs):
            try:
                meta, _ = parse_post(Path(self.env.doc2path(docname)))
            except FrontMatterError as err:
                self.problem(err.reason, location=(docname, err.line), subtype="front_matter")
                self.broken.add(docname)
                continue
            if meta is not None:
                self.posts[docname] = meta
        shutil.rmtree(self.staging, ignore_errors=True)
        self.staging.mkdir(parents=True)

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        meta = self.posts.get(docname)
        if meta is None:
            if docname not in self.broken:
                logger.info("%s: no front matter, not a post; skipped", docname)
            return
        translator = self.create_translator(doctree, self)
        try:
            doctree.walkabout(translator)
        except ExportError as err:
            translator.problems.append(err)
        for err in translator.problems:
            self.problem(str(err), location=err.node)
        if translator.problems:
            return
        publish = self.publish or not meta.draft
        text = hugo_front_matter(meta, publish) + "\n" + translator.body
        base = self.staging / self.config.hugo_section / meta.year
        if translator.images:
            target = base / meta.slug / "index.md"
            target.parent.mkdir(parents=True, exist_ok=True)
            for source, name in translator.images:
                shutil.copyfile(source, target.parent / name)
        else:
            target = base / f"{meta.slug}.md"
            target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            self.problem(f"{meta.source}: another post already exports to {target}; change its slug")
            return
        target.write_text(text, encoding="utf-8")
        logger.info("%s -> %s", docname, target.relative_to(self.staging))

    def warnings_fail_build(self) -> bool:
        """True when ``-W`` is on and a warning was logged: the build fails.

        Sphinx decides the exit status only after ``finish``; with
        ``--keep-going`` it would still let us swap a failed export in. It
        keeps the count privately, hence ``getattr``.
        """
        app = self.application
        return bool(getattr(app, "_fail_on_warnings", False) and getattr(app, "_warncount", 0))

    def finish(self) -> None:
        if not self.problems and self.warnings_fail_build():
            shutil.rmtree(self.staging, ignore_errors=True)
            logger.info("warnings are errors (-W): the previous export in %s is unchanged", self.outdir)
            return
        if self.problems:
            shutil.rmtree(self.staging, ignore_errors=True)
            logger.error(
                "hugo export failed with %d problem(s); the previous export in %s is unchanged",
                self.problems, self.outdir, type="hugo", subtype="export",
            )
            self.application.statuscode = 2
            return
        self.swap_into_place()

    def swap_into_place(self) -> None:
        """Replace the previous export by the staged one with renames only."""
        top = self.config.hugo_section.split("/")[0]
        final = Path(self.outdir) / top
        old = Path(self.outdir) / f".old-{top}"
        shutil.rmtree(old, ignore_errors=True)
        if final.exists():
            os.replace(final, old)
        os.replace(self.staging / top, final)
        shutil.rmtree(old, ignore_errors=True)
        shutil.rmtree(self.staging, ignore_errors=True)
