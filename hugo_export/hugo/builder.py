"""The ``hugo`` builder: each post becomes a kubernetes/website blog post.

A post (see :mod:`hugo_export.post`) is written to
``OUT/<hugo_section>/<YYYY>/<slug>.md``, or to ``<YYYY>/<slug>/index.md`` with
its images beside it (a page bundle) when it shows any. Beside the posts, in
``.sourcemap/``, each post's map from export lines to source lines.

Posts are independent: every problem of every post is reported in one run,
and a post with a problem (its own, or any warning about its document; see
:mod:`hugo_export.sphinx_ext.attribution`) keeps its earlier export, if it had one, while the others
are written. A problem of the whole build (the settings, a slug no post has)
writes nothing. The builder writes in place, as Sphinx's builders do;
``k8s-blog build`` runs it in a copy of the previous output and renames that
into place, so its output is never half-written.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Set
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from ..post import FrontMatterError, PostMeta, PostSource, find_posts, page_path, unknown_slug
from ..project import DEFAULT_SECTION
from ..sphinx_ext.attribution import problems_of
from ..sphinx_ext.bibliography import selected
from .frontmatter import hugo_front_matter
from .sourcemap import MAPS, SourceMap, untag
from .translator import MarkdownTranslator

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Export:
    """One post, written out: its Markdown and the images of its bundle."""

    meta: PostMeta
    front: str
    body: str
    body_lines: list[int | None]  #: the source line of each line of *body*
    images: tuple[tuple[Path, str], ...]

    @property
    def text(self) -> str:
        return f"{self.front}\n{self.body}"

    def target(self, section: Path) -> Path:
        base = section / self.meta.year
        return base / self.meta.slug / "index.md" if self.images else base / f"{self.meta.slug}.md"


class HugoBuilder(Builder):
    """Writes kubernetes/website blog posts (Markdown + Hugo shortcodes)."""

    name = "hugo"
    format = "markdown"
    epilog = "The kubernetes/website posts are in %(outdir)s."
    allow_parallel = False
    supported_image_types: ClassVar[list[str]] = ["image/svg+xml", "image/png", "image/jpeg", "image/gif", "image/webp"]
    supported_remote_images = True  # left for the translator to refuse, without touching the network
    default_translator_class = MarkdownTranslator

    def __init__(self, app: Sphinx, env: BuildEnvironment) -> None:
        super().__init__(app, env)
        # Builder.app is deprecated (Sphinx 9); the exit status and the -W
        # warning count still live on the application.
        self.application = app

    def init(self) -> None:
        self.posts: dict[str, PostMeta] = {}  # every post, for links between them
        self.selected: set[str] = set()  # the docnames this build writes
        self.exports: dict[str, Export] = {}  # by docname
        self.exported = False  #: whether the output now holds every post that built (the others as they were)
        self.unread: list[PostSource] = []  # posts whose front matter does not read: they keep their export

    @property
    def publish(self) -> bool:
        return bool(self.config.hugo_publish)

    def get_outdated_docs(self) -> Iterable[str]:
        return self.env.found_docs  # cheap to write; the build command skips a no-op

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        meta = self.posts.get(docname)
        if meta is None:
            return ""
        return page_path(meta.slug, meta.date)

    def get_relative_uri(self, from_: str, to: str, typ: str | None = None) -> str:
        return self.get_target_uri(to, typ)

    def problem(self, message: str, location: Any = None, subtype: str = "export") -> None:
        """Log an export error: the post it is about is not written; one about no post stops the export."""
        logger.error(message, location=location, type="hugo", subtype=subtype)

    def prepare_writing(self, docnames: Set[str]) -> None:
        section = Path(self.config.hugo_section)
        if section.is_absolute() or ".." in section.parts or not section.parts:
            self.problem(f"hugo_section {str(section)!r} must be a relative path inside the output, "
                         f"like {DEFAULT_SECTION}")
        wanted = self.config.blog_post
        slugs = []
        for post in find_posts(Path(self.srcdir)):
            try:
                meta = post.meta()
            except FrontMatterError:  # said at its line: by the source check, or before the build
                meta = None
            if meta is None:  # left out of the build (k8s-blog build), or failed in the source check
                self.unread.append(post)
                continue
            slugs.append(meta.slug)
            self.posts[post.docname] = meta
            if selected(self.config, meta.slug):
                self.selected.add(post.docname)
        if wanted and wanted not in slugs:
            self.problem(unknown_slug(wanted, slugs))

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        meta = self.posts.get(docname)
        if meta is None or docname not in self.selected:
            return  # the index page, or a post this build does not select
        self.post_process_images(doctree)  # each image's candidate, as Sphinx picks it: diagram.* is the SVG
        translator = self.create_translator(doctree, self)
        doctree.walkabout(translator)
        for node, message in translator.problems:
            self.problem(message, location=node)
        if translator.problems:
            return
        publish = self.publish or not meta.draft
        try:
            front = hugo_front_matter(meta, publish)
        except ValueError as err:  # it would not read back as written
            self.problem(str(err), location=(docname, 1), subtype="front_matter")
            return
        body, body_lines = untag(translator.body)
        self.exports[docname] = Export(meta, front, body, body_lines, tuple(translator.images))

    def finish(self) -> None:
        problems = problems_of(self.application)
        if not self.selected and not problems.unplaced:
            self.problem(f"no post to export in {self.srcdir}: a post is <name>.md or <name>/index.md "
                         "with front matter; run `make new SLUG=...` to start one")
        if problems.unplaced:
            logger.error("hugo export failed: a problem above concerns no single post; nothing was written",
                         type="hugo", subtype="export")
            self.application.statuscode = 2
            return
        failed = sorted(d for d in self.selected if d in problems.documents or d not in self.exports)
        if not self.write_exports([e for d, e in sorted(self.exports.items()) if d not in failed], failed):
            self.application.statuscode = 2
            return
        self.exported = True
        if names := [self.posts[d].slug for d in failed] + [str(p.path.relative_to(self.srcdir)) for p in self.unread]:
            logger.error("hugo export: %s failed (see above) and kept its earlier export, if any; the other "
                         "posts were written", ", ".join(names), type="hugo", subtype="export")
            self.application.statuscode = 2

    def write_exports(self, exports: list[Export], failed: list[str]) -> bool:
        """Make the export hold *exports*, and the earlier export of each *failed* post; the source maps too.

        Whatever else the output held (a post since renamed or deleted) goes. False, with nothing
        changed, when two posts would be written to one file.
        """
        section = Path(self.config.hugo_section)
        top, maps = Path(self.outdir) / section.parts[0], Path(self.outdir) / MAPS
        targets: dict[Path, PostMeta] = {}
        for export in exports:
            target = export.target(section)
            if target in targets:
                self.problem(f"{export.meta.source} and {targets[target].source} both export to {target}; "
                             "give one another slug")
                return False
            targets[target] = export.meta
        slugs = [self.posts[d].slug for d in failed] + [s for p in self.unread if (s := exported_slug(self, p))]
        kept = {path: path.read_bytes() for slug in slugs for path in earlier_files(Path(self.outdir), section, slug)}
        shutil.rmtree(top, ignore_errors=True)
        shutil.rmtree(maps, ignore_errors=True)
        for path, data in kept.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        project = Path(self.srcdir).parent
        for export in exports:
            target = Path(self.outdir) / export.target(section)
            target.parent.mkdir(parents=True, exist_ok=True)
            for source, name in export.images:
                shutil.copyfile(source, target.parent / name)
            target.write_text(export.text, encoding="utf-8")
            source_map = SourceMap.make(export.target(section).as_posix(), export.meta.source,
                                        export.meta.source.relative_to(project).as_posix(),
                                        export.front, export.body, export.body_lines)
            maps.mkdir(exist_ok=True)
            (maps / f"{export.meta.slug}.json").write_text(source_map.dumps(), encoding="utf-8")
        return True


def exported_slug(builder: HugoBuilder, post: PostSource) -> str | None:
    """The slug the earlier export of *post* had, which its front matter cannot give now: its source map's."""
    shown = post.path.relative_to(Path(builder.srcdir).parent).as_posix()
    for found in sorted((Path(builder.outdir) / MAPS).glob("*.json")):
        if SourceMap.load(found).source == shown:
            return found.stem
    return None


def earlier_files(outdir: Path, section: Path, slug: str) -> list[Path]:
    """The files of the export of the post *slug* in *outdir* (a file or a page bundle, in any year),
    and its source map."""
    years = outdir / section
    found = [*years.glob(f"*/{slug}.md"), *(f for d in years.glob(f"*/{slug}") if d.is_dir() for f in d.rglob("*"))]
    found.append(outdir / MAPS / f"{slug}.json")
    return sorted(path for path in found if path.is_file())
