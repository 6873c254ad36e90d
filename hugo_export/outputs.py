"""``k8s-blog build``: one Sphinx build, skipped when nothing changed, never half-written.

Every output (``html``, ``hugo``, ``latex``) is built the same way:

1. The inputs (every file under the source directory, the bib files beside
   it, this package, the options, ``SOURCE_DATE_EPOCH``) are fingerprinted.
   When the output holds the same fingerprint, the build is a no-op that
   imports nothing of Sphinx. File names of any shape are just paths here;
   none reaches a shell.
2. Front matter is checked first, so a mistake in it is one line
   (``file:line: what; how to fix``) instead of Sphinx's crash page.
3. Under the build directory's lock, Sphinx builds into a staging directory
   (a copy of the previous output for ``html`` and ``latex``, whose builders
   work incrementally; an empty one for ``hugo``, which writes every post).
   Only a successful build is renamed into place, fingerprint included; an
   error, a ``-W`` warning, an interrupt or a crash leaves the previous output
   as it was.

Run as a command, the process ends with ``os._exit`` once everything is
written: the interpreter's teardown of Sphinx's objects is a fifth of a cold
export and writes nothing (see the README's "Speed").
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import shutil
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any, NoReturn, TextIO, cast

from . import atomic
from .post import NO_FRONT_MATTER, FrontMatterError, PostSource, find_posts, posts_leniently, unknown_slug
from .project import Project

PACKAGE = Path(__file__).resolve().parent
FINGERPRINT = ".inputs"
#: In the doctrees folder while a build runs; left there by one that did not finish.
UNFINISHED = ".unfinished"
#: In each output: the posts it was built from. When they change (a post added, renamed or deleted), the
#: build starts afresh, so no page, sidebar entry, LaTeX file or doctree of a post that is gone stays.
POSTS = ".posts"


@dataclass(frozen=True)
class Options:
    """What a build is asked for; each field changes the output."""

    builder: str
    source: Path
    build: Path
    post: str | None = None
    publish: bool = False
    allow_todo: bool = False
    #: A kubernetes/website checkout whose glossary ``{k8s-term}`` ids are checked against (``WEBSITE=``).
    website: Path | None = None

    @property
    def project(self) -> Project:
        return Project.read(self.source)

    @property
    def outdir(self) -> Path:
        return self.build / self.builder

    @property
    def doctrees(self) -> Path:
        return self.build / ".doctrees" / self.builder

    def command(self) -> list[str]:
        """The command line that makes this build in a process of its own."""
        return [sys.executable, "-m", "hugo_export", "build", self.builder, "--source", str(self.source),
                "--build", str(self.build), *(["--post", self.post] if self.post else []),
                *(["--publish"] if self.publish else []), *(["--allow-todo"] if self.allow_todo else []),
                *(["--website", str(self.website)] if self.website else [])]

    def overrides(self) -> dict[str, Any]:
        """The ``-D`` settings these options stand for (conf.py decides the rest)."""
        settings = {"blog_post": self.post, "hugo_publish": self.publish, "hugo_allow_todo": self.allow_todo,
                    "k8s_website": str(self.website.resolve()) if self.website else None}
        return {key: value for key, value in settings.items() if value}


@dataclass(frozen=True)
class Result:
    """How a build ended, and the environment it read (``None`` when skipped or crashed)."""

    status: int
    env: Any = None
    #: the output holds every post that built, the others as they were: put it in place, failed or not
    whole: bool = False
    #: the documents (posts) a problem was about
    failed: frozenset[str] = frozenset()


def _files(root: Path) -> Iterable[Path]:
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            yield Path(folder, name)


def fingerprint(options: Options) -> str:
    """A digest of everything the output depends on."""
    digest = hashlib.sha256()
    digest.update(repr((options.builder, options.post, options.publish, options.allow_todo)).encode())
    if options.website is not None:  # the ids its glossary holds
        from .glossary import GLOSSARY_DIR

        digest.update(repr(options.website.resolve()).encode())
        digest.update("\0".join(sorted(p.name for p in (options.website / GLOSSARY_DIR).glob("*.md"))).encode())
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    if options.builder == "latex":  # the review PDF's header names the sources' revision
        from .revision import describe

        digest.update(describe(options.source, list(options.project.bibfiles)).encode())
    digest.update(f"{sys.prefix}\0{sys.version}".encode())
    source = options.source.resolve()
    inputs = [*_files(source), *options.project.bibfiles, *_files(PACKAGE), Path(sys.prefix, ".installed")]
    for path in inputs:
        try:
            stat = path.stat()
        except OSError:
            continue
        digest.update(os.fsencode(path) + b"\0" + f"{stat.st_size}:{stat.st_mtime_ns}".encode() + b"\0")
    return digest.hexdigest()


def _read(path: Path) -> str | None:
    try:
        return path.read_text()
    except OSError:
        return None


def moved(recorded: str, posts: dict[str, str]) -> bool:
    """Whether the posts (docname: slug, "" when the front matter does not read) differ from those an
    output *recorded*: one added, deleted, renamed or given another slug (a post whose front matter
    does not read now keeps its place: its outputs stay as they were)."""
    before = dict(line.partition(" ")[::2] for line in recorded.splitlines())
    return before.keys() != posts.keys() or any(slug and before[name] and slug != before[name]
                                                for name, slug in posts.items())


def up_to_date(options: Options, digest: str) -> bool:
    stamp = options.outdir / FINGERPRINT
    try:
        return stamp.read_text() == digest and any(p.name not in (FINGERPRINT, POSTS) for p in options.outdir.iterdir())
    except OSError:
        return False


def check_front_matter(source: Path, post: str | None = None) -> tuple[int, list[PostSource]]:
    """Every post's front matter: one line for each post whose front matter does not read (the build
    leaves it out and fails, the other posts are built); the number of problems of the whole run (two
    posts with one slug, a ``POST=`` slug no post has, no post to build), and the posts left out."""
    slugs: dict[str, Path] = {}
    broken = []
    for found in find_posts(source):
        try:
            if (meta := found.meta()) is None:
                raise FrontMatterError(found.path, 1, NO_FRONT_MATTER)
        except FrontMatterError as err:
            print(err, file=sys.stderr)
            broken.append(found)
            continue
        if meta.slug in slugs:
            print(f"{found.path}:1: slug {meta.slug!r} is already the slug of {slugs[meta.slug]}; "
                  "give each post its own", file=sys.stderr)
            return 1, broken
        slugs[meta.slug] = found.path
    if post is not None and post not in slugs:
        print(unknown_slug(post, slugs), file=sys.stderr)
        return 1, broken
    return int(bool(broken) and not slugs), broken


class AuthorStream(io.TextIOBase):
    """Sphinx's warning stream as an author reads it.

    Every build runs with warnings as errors, so a warning fails the build:
    it says ``ERROR``. A path under the current folder is written relative to
    it, as the pipeline's own messages write it (``source/post.md:12``).
    """

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.here = os.getcwd() + os.sep

    def write(self, text: str) -> int:
        shown = _WARNING.sub(r"\1ERROR: ", text)
        self.out.write(_ABSOLUTE.sub(lambda m: m[1] + m[2].removeprefix(self.here), shown))
        return len(text)

    def flush(self) -> None:
        self.out.flush()


#: Sphinx's prefix of a warning, at the start of a line or after its location.
_WARNING = re.compile(r"(^(?:\x1b\[[0-9;]*m)*|: )WARNING: ", re.M)
#: An absolute path that starts a message line (its location).
_ABSOLUTE = re.compile(r"^((?:\x1b\[[0-9;]*m)*)(/[^\n:]+)", re.M)  # after a colour's escape, if any


def finished(app: Any) -> Result:
    """How a build that ran to its end went. Under -W a warning is an author's mistake too: status 2, as
    for every other. When every problem is a post's, the output is whole for the others: the export
    keeps a failing post's earlier files itself; the preview and the LaTeX hold its page as it now
    reads (the PDF job sets no PDF from it)."""
    from .sphinx_ext.attribution import problems_of

    problems = problems_of(app)
    whole = getattr(app.builder, "exported", None)
    if whole is None:  # Sphinx's own builders: whole unless a problem concerned no post
        whole = not problems.unplaced
    return Result(2 if app.statuscode else 0, app.env, bool(whole), frozenset(problems.documents))


def run_sphinx(options: Options, outdir: Path, overrides: dict[str, Any] | None = None) -> Result:
    """Sphinx in this process, as ``sphinx-build -W --keep-going -q`` runs it."""
    from types import SimpleNamespace

    from sphinx.application import Sphinx
    from sphinx.cmd.build import handle_exception  # undocumented: sphinx-build's own crash report (see below)
    from sphinx.util.console import color_terminal, nocolor
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    # Colour only for a terminal: Sphinx colours whenever CI=true, and a message should read the same in a
    # log as it does on the screen.
    if not color_terminal() or not sys.stderr.isatty() or os.environ.get("NO_COLOR"):
        nocolor()
    app = None
    try:
        with patch_docutils(options.source), docutils_namespace():
            app = Sphinx(options.source, options.source, outdir, options.doctrees, options.builder,
                         confoverrides={**options.overrides(), **(overrides or {})}, status=None,
                         warning=cast(IO[str], AuthorStream(sys.stderr)), warningiserror=True)
            app.build()
            return finished(app)
    except OSError as err:  # a full disk, a folder that cannot be written: no crash report, no traceback
        print(f"{options.builder}: {atomic.os_problem(err)}", file=sys.stderr)
        return Result(2, None)
    except Exception as exc:  # Ctrl-C is not caught: the caller stops (the staging folder goes first)
        # sphinx-build's crash report, fed the options it reads; it goes once Sphinx's public API reports
        # a build's exception (its sphinx._cli is not public in Sphinx 9).
        handle_exception(app, SimpleNamespace(pdb=False, verbosity=0, traceback=False), exc, sys.stderr)
        return Result(2, None)
    except SystemExit as stop:  # a check that stopped the build after logging why
        return Result(stop.code if isinstance(stop.code, int) else 2, app.env if app else None)


def build(options: Options, *, force: bool = False) -> Result:
    """Build one output, or nothing when it is up to date (*force* builds anyway)."""
    what = f"build {options.builder}"
    if not options.source.is_dir():
        print(f"{what}: no source directory {options.source}", file=sys.stderr)
        return Result(2)
    digest = fingerprint(options)
    if not force and up_to_date(options, digest):
        for path in outputs(options):
            print(f"{options.builder}: up to date: {path}")
        return Result(0)
    stop, broken = check_front_matter(options.source, options.post)
    if stop:
        return Result(2)
    with atomic.build_lock(options.build, what):
        if not force and up_to_date(options, digest):  # built by the run we waited for
            return Result(0)
        # Sphinx saves what it read before it writes: after a build that failed or was cut
        # short (even by SIGKILL), the next one must read, and warn, again.
        listed = {post.docname: meta.slug if meta else "" for post, meta in posts_leniently(options.source)}
        afresh = moved(_read(options.outdir / POSTS) or "", listed)
        if afresh:  # Sphinx would keep the pages of a post that is gone, and other pages' links to it
            shutil.rmtree(options.doctrees, ignore_errors=True)
        unfinished = options.doctrees / UNFINISHED
        if unfinished.exists():
            (options.doctrees / "environment.pickle").unlink(missing_ok=True)
        unfinished.parent.mkdir(parents=True, exist_ok=True)
        unfinished.touch()
        # The export keeps a failing post's earlier files (the builder rewrites the rest); Sphinx's
        # other builders work incrementally, on a copy of their output, unless starting afresh.
        staged = atomic.staging_dir(options.outdir, clone=options.builder == "hugo" or not afresh)
        try:
            (staged / FINGERPRINT).unlink(missing_ok=True)
            (staged / POSTS).write_text("".join(f"{name} {slug}\n" for name, slug in listed.items()))
            left_out = [post.path.relative_to(options.source).as_posix() for post in broken]
            result = run_sphinx(options, staged, {"blog_left_out": left_out} if left_out else None)
            if broken:  # their lines are above; the build made the other posts
                result = replace(result, status=2, failed=result.failed | {post.docname for post in broken})
            if result.status == 0:
                (staged / FINGERPRINT).write_text(digest)
            elif result.whole:  # the other posts are written: worth putting in place, if there are any
                made = {post.docname for post, _ in options.project.select(options.post)} - result.failed
                result = replace(result, whole=bool(made))
                keep_earlier(options, staged, result.failed)
            if result.status == 0 or result.whole:
                atomic.replace_dir(staged, options.outdir)
            if result.status == 0:
                unfinished.unlink()
        finally:
            shutil.rmtree(staged, ignore_errors=True)
    if result.status:
        print(f"{options.builder}: failed; " + (f"the other posts are in {options.outdir}" if result.whole else
                                                f"the previous output in {options.outdir} is unchanged"),
              file=sys.stderr)
        return result
    for path in outputs(options):
        print(f"{options.builder}: {path}")
    return result


def keep_earlier(options: Options, staged: Path, failed: frozenset[str]) -> None:
    """Each failed post's page (HTML) or LaTeX file in *staged* as it was in the output, or none: what a
    build with a problem made of it is not shown. The export does the same itself (its builder)."""
    if options.builder == "hugo":
        return
    slugs = {post.docname: meta.slug for post, meta in posts_leniently(options.source) if meta is not None}
    for docname in failed:
        name = f"{docname}.html" if options.builder == "html" else f"{slugs.get(docname, docname)}.tex"
        earlier, now = options.outdir / name, staged / name
        if earlier.is_file():
            shutil.copy2(earlier, now)
        else:
            now.unlink(missing_ok=True)


def outputs(options: Options) -> list[Path]:
    """What an author opens: each post's page, export file or LaTeX file."""
    out = options.outdir
    if options.builder == "hugo":
        return sorted((out / options.project.section).rglob("*.md"))
    suffix = ".html" if options.builder == "html" else ".tex"
    posts = options.project.select(options.post)
    if options.builder == "latex":
        return [out / f"{meta.slug}{suffix}" for _, meta in posts]
    return [out / f"index{suffix}", *(out / f"{post.docname}{suffix}" for post, _ in posts)]


@contextlib.contextmanager
def reading(options: Options, what: str) -> Iterator[bool]:
    """Hold the build folder's lock while *what* reads the output of *options*.

    Yields whether that output is still the one these options make: another
    build (a ``make preview`` saving with other options) may have replaced it
    since this one finished.
    """
    with atomic.build_lock(options.build, what):
        yield up_to_date(options, fingerprint(options))


def exit_now(status: int) -> NoReturn:
    """End the process with *status* once everything printed has left."""
    sys.stdout.flush()
    sys.stderr.flush()
    if os.environ.get("K8S_BLOG_SLOW_EXIT"):  # for coverage and profilers, which write at exit
        sys.exit(status)
    os._exit(status)
