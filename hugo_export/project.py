"""The project: its posts, the bibliography it cites from and where its posts go on the website, read once.

``conf.py`` is where a project's settings live; Sphinx runs it for a build.
The rest of the pipeline (the no-op fingerprint, ``make preview``'s watch,
``make check``, ``make pr``, the lint) reads the two it needs, the bib files
(``bibtex_bibfiles``) and the website folder of the posts (``hugo_section``),
as the literals they are, with :mod:`ast`: without running ``conf.py`` and
without importing Sphinx. Every reader takes them from one :class:`Project`.
"""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass
from pathlib import Path

from .post import PostMeta, PostSource, select_posts

#: Where kubernetes/website keeps blog posts, and so where the export writes them (``hugo_section``).
DEFAULT_SECTION = "content/en/blog/_posts"
#: The settings of ``conf.py`` the pipeline reads outside Sphinx, and their defaults.
SETTINGS = {"bibtex_bibfiles": [], "hugo_section": DEFAULT_SECTION}


class ProjectError(ValueError):
    """A setting of ``conf.py`` the pipeline cannot read as a literal."""


@dataclass(frozen=True)
class Project:
    """A folder of posts (``source/``) and the settings its ``conf.py`` gives."""

    source: Path
    bibfiles: tuple[Path, ...]  #: resolved, in the order conf.py lists them
    section: str = DEFAULT_SECTION

    @classmethod
    def read(cls, source: Path) -> Project:
        """The project whose sources are *source*; raises :class:`ProjectError` on a setting it cannot read."""
        conf = source / "conf.py"
        stat = conf.stat() if conf.is_file() else None
        return _read(source, stat.st_mtime_ns if stat else 0, stat.st_size if stat else 0)

    def select(self, slug: str | None = None) -> list[tuple[PostSource, PostMeta]]:
        """The posts an output is made for: every post whose front matter reads, or the one whose slug is
        *slug* (``POST=...``); the build names the others at their line."""
        return select_posts(self.source, slug, lenient=True)


@functools.lru_cache(maxsize=16)
def _read(source: Path, mtime_ns: int, size: int) -> Project:
    settings = dict(SETTINGS)
    conf = source / "conf.py"
    if conf.is_file():
        try:
            tree = ast.parse(conf.read_bytes(), str(conf))
        except SyntaxError as err:
            raise ProjectError(f"{conf}:{err.lineno}: conf.py is not valid Python: {err.msg}") from None
        for node in ast.walk(tree):
            if not isinstance(node, ast.stmt | ast.expr):
                continue
            for name, value in _bindings(node):
                if name not in SETTINGS:
                    continue
                if value is None or not isinstance(node, (ast.Assign, ast.AnnAssign)) or node not in tree.body:
                    raise ProjectError(f"{conf}:{node.lineno}: set {name} in one plain assignment at the top level "
                                       "of conf.py, as the pipeline reads it without running conf.py")
                try:
                    settings[name] = ast.literal_eval(value)
                except ValueError:
                    raise ProjectError(f"{conf}:{node.lineno}: write {name} as a literal value, as the pipeline "
                                       "reads it without running conf.py") from None
    bibfiles, section = settings["bibtex_bibfiles"], settings["hugo_section"]
    if not isinstance(bibfiles, list) or not all(isinstance(b, str) for b in bibfiles):
        raise ProjectError(f"{conf}: bibtex_bibfiles must be a list of file names")
    if not isinstance(section, str):
        raise ProjectError(f"{conf}: hugo_section must be a string")
    return Project(source, tuple((source / name).resolve() for name in bibfiles), section)


def _bindings(node: ast.AST) -> list[tuple[str, ast.expr | None]]:
    """The names *node* binds, each with the value it gives when that is a plain assignment's."""
    if isinstance(node, ast.Assign):
        return [(t.id, node.value) if isinstance(t, ast.Name) else (n.id, None)
                for t in node.targets for n in ast.walk(t) if isinstance(n, ast.Name)]
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [(node.target.id, node.value)]
    if isinstance(node, (ast.AugAssign, ast.NamedExpr)) and isinstance(node.target, ast.Name):
        return [(node.target.id, None)]
    return []
