"""Post metadata: read from a document's MyST front matter, written as Hugo's.

The MyST front matter is the single source of a post's metadata. myst-parser
turns it into strings for ``env.metadata``, losing types and lines, so we read
the YAML block ourselves (with PyYAML's composer, which keeps line numbers for
error messages) and emit kubernetes/website's front matter with a YAML dumper,
never by pasting strings together.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

#: Keys a post's front matter may carry; anything else earns a warning.
KNOWN_KEYS = frozenset(
    {"title", "slug", "date", "authors", "draft", "canonical_url", "evergreen", "description"}
)
#: Keys myst-parser itself reads from front matter.
MYST_KEYS = frozenset({"myst", "html_meta", "substitutions", "orphan", "tocdepth", "nocomments"})
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
AUTHOR_RE = re.compile(r"^[^()\n,]+ \([^()\n]+\)$")


class FrontMatterError(ValueError):
    """Bad front matter; ``str()`` reads ``file:line: what. How to fix.``"""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.reason = message


@dataclass(frozen=True)
class PostMeta:
    """The validated metadata of one post."""

    source: Path
    title: str
    slug: str
    date: dt.date
    authors: tuple[str, ...]
    draft: bool
    canonical_url: str | None = None
    evergreen: bool | None = None
    description: str | None = None

    @property
    def year(self) -> str:
        return f"{self.date.year:04d}"


def read_block(path: Path) -> tuple[dict[str, Any], dict[str, int]]:
    """Return the front matter of *path* and the 1-based line of each key.

    An empty dict means the document has no front matter (it is not a post).
    """
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        raise FrontMatterError(
            path, line, f"the file is not UTF-8 (byte 0x{raw[err.start]:02x}); save it as UTF-8"
        ) from None
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return {}, {}
    try:
        end = next(i for i, line in enumerate(lines[1:], 1) if line.rstrip() in ("---", "..."))
    except StopIteration:
        raise FrontMatterError(
            path, 1, "front matter opened with '---' is never closed; add a '---' line after it"
        ) from None
    block = "\n".join(lines[1:end])
    try:
        node = yaml.compose(block, Loader=yaml.SafeLoader)
        data = yaml.safe_load(block)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        problem = getattr(err, "problem", None) or str(err)
        raise FrontMatterError(path, line, f"front matter is not valid YAML: {problem}") from None
    except ValueError:  # PyYAML builds dates eagerly: 2026-13-45 lands here
        bad = next(
            (k, v) for k, v in node.value
            if v.tag == "tag:yaml.org,2002:timestamp" and not _is_date(v.value)
        )
        raise FrontMatterError(
            path, bad[0].start_mark.line + 2, f"{bad[0].value} {bad[1].value!r} is not a calendar date; write YYYY-MM-DD"
        ) from None
    if data is None:
        return {}, {}
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise FrontMatterError(path, 2, "front matter must be a YAML mapping of key: value lines")
    key_lines = {k.value: k.start_mark.line + 2 for k, _ in node.value}
    return data, key_lines


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def parse_post(path: Path) -> tuple[PostMeta | None, list[tuple[int, str]]]:
    """Validate the front matter of *path*.

    Returns the post (``None`` when the document has no front matter) and a
    list of warnings, ``(line, message)``, for keys we do not know.
    Raises :class:`FrontMatterError` for anything that would break the post.
    conf.py, the source check and the builder all ask; the file is parsed
    once per version of it.
    """
    stat = path.stat()
    meta, warnings = _parse_post(path, stat.st_mtime_ns, stat.st_size)
    return meta, list(warnings)


@functools.lru_cache(maxsize=256)
def _parse_post(path: Path, mtime_ns: int, size: int) -> tuple[PostMeta | None, tuple[tuple[int, str], ...]]:
    data, key_lines = read_block(path)
    if not data:
        return None, ()

    def fail(key: str, message: str) -> FrontMatterError:
        return FrontMatterError(path, key_lines.get(key, 1), message)

    warnings = tuple(
        (key_lines[key], f"unknown front matter key {key!r}; known keys are {', '.join(sorted(KNOWN_KEYS))}")
        for key in data
        if key not in KNOWN_KEYS | MYST_KEYS
    )
    for key in ("title", "slug", "authors", "date"):
        if data.get(key) in (None, "", []):
            raise fail(key, f"front matter has no {key!r}; add '{key}: ...' to the block at the top")

    title = data["title"]
    if not isinstance(title, str):
        raise fail("title", "title must be a string; quote it")
    slug = str(data["slug"])
    if not SLUG_RE.match(slug):
        raise fail(
            "slug",
            f"slug {slug!r} must be lowercase letters, digits and single hyphens "
            "(no '/', '..', spaces or capitals), e.g. 'confidential-kubernetes'",
        )
    date = data["date"]
    if isinstance(date, dt.datetime):
        date = date.date()
    if not isinstance(date, dt.date):
        try:
            date = dt.date.fromisoformat(str(date))
        except ValueError:
            raise fail("date", f"date {data['date']!r} is not a calendar date; write YYYY-MM-DD") from None
    authors = data["authors"]
    if isinstance(authors, str):
        authors = [authors]
    if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
        raise fail("authors", "authors must be a list of 'Name (Affiliation)' strings")
    for author in authors:
        if not AUTHOR_RE.match(author.strip()):
            raise fail("authors", f"author {author!r} must read 'Name (Affiliation)', without commas")
    draft = data.get("draft", True)
    if not isinstance(draft, bool):
        raise fail("draft", "draft must be true or false")
    evergreen = data.get("evergreen")
    if evergreen is not None and not isinstance(evergreen, bool):
        raise fail("evergreen", "evergreen must be true or false")
    canonical = data.get("canonical_url")
    if canonical is not None and not str(canonical).startswith("https://"):
        raise fail("canonical_url", "canonical_url must be an https:// URL")
    description = data.get("description")
    meta = PostMeta(
        source=path,
        title=title.strip(),
        slug=slug,
        date=date,
        authors=tuple(a.strip() for a in authors),
        draft=draft,
        canonical_url=canonical,
        evergreen=evergreen,
        description=str(description).strip() if description is not None else None,
    )
    return meta, warnings


class _Quoted(str):
    """A string the dumper writes double-quoted (the site quotes titles)."""


class _AuthorLines(str):
    """The author field: one ``Name (Affiliation)`` per line, folded."""

    lines: tuple[str, ...]


class _Dumper(yaml.SafeDumper):
    """PyYAML's dumper, with the kubernetes/website author layout.

    A folded scalar reads its line breaks back as spaces, so breaking the
    author string after each comma keeps its value while giving reviewers one
    author per line. PyYAML folds at a width instead; we tell it where.
    """

    def write_folded(self, text: str) -> None:
        lines = getattr(self.event, "_author_lines", None)
        if lines is None:
            super().write_folded(text)
            return
        self.write_indicator(">" + self.determine_block_hints(text), True)
        self.write_line_break()
        for line in lines:
            self.write_indent()
            self.column += len(line)
            self.stream.write(line)
            self.write_line_break()

    def emit(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.ScalarEvent) and event.style == ">":
            event._author_lines = self._pending_lines.pop(event.value, None)  # type: ignore[attr-defined]
        super().emit(event)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pending_lines: dict[str, tuple[str, ...]] = {}


def _represent_quoted(dumper: _Dumper, data: _Quoted) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style='"')


def _represent_authors(dumper: _Dumper, data: _AuthorLines) -> yaml.ScalarNode:
    dumper._pending_lines[str(data)] = data.lines
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style=">")


_Dumper.add_representer(_Quoted, _represent_quoted)
_Dumper.add_representer(_AuthorLines, _represent_authors)


def hugo_front_matter(meta: PostMeta, publish: bool) -> str:
    """The post's Hugo front matter, ``---`` lines included.

    Review form (default while ``draft: true``): ``draft: true`` and no date,
    as kubernetes/website asks. Publish form: the date and no ``draft``.
    """
    lines = tuple(f"{a}," for a in meta.authors[:-1]) + (meta.authors[-1],)
    author = _AuthorLines(" ".join(lines) + "\n")
    author.lines = lines
    fields: dict[str, Any] = {"layout": "blog", "title": _Quoted(meta.title)}
    if publish:
        fields["date"] = meta.date
    else:
        fields["draft"] = True
    fields["slug"] = meta.slug
    fields["author"] = author
    if meta.canonical_url:
        fields["canonicalUrl"] = meta.canonical_url
    if meta.evergreen is not None:
        fields["evergreen"] = meta.evergreen
    if meta.description:
        fields["description"] = _Quoted(meta.description)
    body = yaml.dump(fields, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000)
    return f"---\n{body}---\n"
