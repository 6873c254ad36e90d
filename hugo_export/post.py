"""A post's source: where posts are, and their front matter, read once.

A post is ``source/<name>.md`` or a folder ``source/<name>/index.md`` holding
its images; nothing lists posts by hand. Its MyST front matter is the single
source of its metadata. myst-parser turns front matter into strings for
``env.metadata``, losing types and lines, so we read the YAML block ourselves
with PyYAML's composer, which keeps the line of each key for messages. The
Sphinx extension, the builders, the lint and ``pr`` all read through here;
nothing in this module imports Sphinx.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

#: Keys a post's front matter may carry; anything else earns a warning.
KNOWN_KEYS = frozenset(
    {"title", "slug", "date", "authors", "draft", "canonical_url", "evergreen", "description"}
)
#: Keys Sphinx reads from front matter, harmless in a post.
SPHINX_KEYS = frozenset({"orphan", "tocdepth", "nocomments"})
#: Keys that would configure MyST for the post (extensions, Jinja2 substitutions, HTML meta tags): a post
#: is data and configures nothing, so each is an error. MyST never sees them (sphinx_ext.sources).
CONFIG_KEYS = frozenset({"myst", "mystnb", "substitutions", "html_meta"})
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_MAX = 80
AUTHOR_RE = re.compile(r"[^(),]+ \([^()]+\)")
#: What a Markdown file under the source directory lacks to be a post.
NO_FRONT_MATTER = ("a post starts with a front matter block between '---' lines; "
                   "run `make new SLUG=...` to see one")
#: Folders under the source directory that never hold posts (and names starting with "_" or ".").
NOT_POSTS = frozenset({"editorial"})


class FrontMatterError(ValueError):
    """Bad front matter; ``str()`` reads ``file:line: what; how to fix``."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{shown(path)}:{line}: {message}")
        self.path = path
        self.line = line
        self.reason = message


def shown(path: Path) -> str:
    """*path* on one line: a control character in a name (a line break) shown as Python writes it."""
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in str(path))


@dataclass(frozen=True)
class FrontMatter:
    """A YAML front matter block: its data and the 1-based line of each key (and of each item of a list)."""

    data: dict[str, Any]
    lines: dict[str, int]
    end: int  #: 1-based line of the closing ``---``
    items: dict[str, list[int]] = field(default_factory=dict)  #: the line of each item of a list value

    def line(self, key: str) -> int:
        return self.lines.get(key, 1)


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


def undecodable(raw: bytes, err: UnicodeDecodeError) -> tuple[int, str]:
    """The line of the first byte of *raw* that is not UTF-8, and what to do: one message for
    posts, included files and bib files alike."""
    return raw.count(b"\n", 0, err.start) + 1, f"the file is not UTF-8 (byte 0x{raw[err.start]:02x}); save it as UTF-8"


def read_text(path: Path) -> str:
    """*path* as text: UTF-8 with or without a BOM, any line ending.

    Sphinx reads sources the same way (``utf-8-sig``, universal newlines), so
    a file it builds is a file we can read.
    """
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise FrontMatterError(path, *undecodable(raw, err)) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def front_matter_end(lines: list[str]) -> int | None:
    """The index of the line that closes the front matter block at the top of *lines*; ``None`` when
    there is no block, ``len(lines)`` when it is never closed. MyST's rule (``read_topmatter``), the
    one every reader follows: the first line starts with ``---``, the first later line that starts
    with ``---`` or ``...`` closes it."""
    if not lines or not lines[0].startswith("---"):
        return None
    return next((i for i, line in enumerate(lines[1:], 1) if line.startswith(("---", "..."))), len(lines))


def read_front_matter(path: Path) -> FrontMatter | None:
    """The front matter block at the top of *path*, or ``None`` when it has none."""
    lines = read_text(path).split("\n")
    end = front_matter_end(lines)
    if end is None:
        return None
    if end == len(lines):
        raise FrontMatterError(path, 1, "front matter opened with '---' is never closed; add a '---' line after it")
    block = "\n".join(lines[1:end])
    try:
        node = yaml.compose(block, Loader=yaml.SafeLoader)
        data = yaml.SafeLoader("").construct_document(node) if node is not None else None  # one parse
    except yaml.YAMLError as err:
        line, problem = yaml_problem(lines[1:end], err)
        raise FrontMatterError(path, line + 2, problem) from None
    except ValueError:  # PyYAML builds dates eagerly: 2026-13-45 lands here, wherever it stands
        bad = next((n for n in _scalars(node) if n.tag == "tag:yaml.org,2002:timestamp" and not _is_date(n.value)),
                   None)
        line = bad.start_mark.line + 2 if bad is not None else 2
        keys = {id(v): k.value for k, v in node.value} if isinstance(node, yaml.MappingNode) else {}
        if bad is None:
            raise FrontMatterError(path, line, "a value is not a calendar date; write YYYY-MM-DD") from None
        key = f"{keys[id(bad)]} " if id(bad) in keys else ""
        raise FrontMatterError(path, line, f"{key}{not_a_day(bad.value)}") from None
    if data is None:
        return FrontMatter({}, {}, end + 1)
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise FrontMatterError(path, 2, "front matter must be a YAML mapping of key: value lines")
    key_lines = {str(k.value): k.start_mark.line + 2 for k, _ in node.value}
    items = {str(k.value): [item.start_mark.line + 2 for item in v.value]
             for k, v in node.value if isinstance(v, yaml.SequenceNode)}
    return FrontMatter({str(k): v for k, v in data.items()}, key_lines, end + 1, items)


#: A value (of a key or a list item) that starts with a quote, and what follows the quote.
_QUOTED = re.compile(r"^\s*(?:-\s+|[^\s:#'\"][^:#]*:\s+)(['\"])(.*)$")


def yaml_problem(lines: list[str], err: yaml.YAMLError) -> tuple[int, str]:
    """The 0-based line of *lines* (a front matter block) that *err* is about, and what to do, in an
    author's words: PyYAML reports an unclosed quote where the next quote happens to be, and an
    unquoted ': ' in a title as "mapping values are not allowed here"."""
    for number, text in enumerate(lines):
        if (found := _QUOTED.match(text)) and not _closes(found[1], found[2]):
            kind = "single" if found[1] == "'" else "double"
            return number, (f"the {kind} quote that opens this value is never closed on its line; "
                            f"end the value with {found[1]}")
    mark = getattr(err, "problem_mark", None)
    number = mark.line if mark else 0
    problem = str(getattr(err, "problem", None) or err)
    if "mapping values are not allowed" in problem:
        key = lines[number].split(":", 1)[0].strip() if number < len(lines) else "title"
        return number, (f"the value holds ': ', which YAML reads as another key; put the whole value in "
                        f'double quotes: {key}: "..."')
    if "'\\t'" in problem:
        return number, "a tab character: YAML indents with spaces only; replace the tab with spaces"
    return number, (f"this line does not read as 'key: value' ({problem}); a value holding quotes, ': ' "
                    "or ' #' goes in double quotes, and list items are indented with spaces under their key")


def _closes(quote: str, rest: str) -> bool:
    """Whether a value opened with *quote* closes within *rest* (its line)."""
    if quote == "'":
        return "'" in rest.replace("''", "")
    return re.search(r'(?<!\\)"', rest) is not None


def _scalars(node: yaml.Node | None) -> list[yaml.ScalarNode]:
    """Every scalar in a composed YAML tree, in document order."""
    if isinstance(node, yaml.ScalarNode):
        return [node]
    if isinstance(node, yaml.SequenceNode):
        return [s for child in node.value for s in _scalars(child)]
    if isinstance(node, yaml.MappingNode):
        return [s for pair in node.value for child in pair for s in _scalars(child)]
    return []


def not_a_day(text: str) -> str:
    """Why *text* is no date: a day the calendar lacks (in the right form), or the wrong form."""
    if found := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
        year, month, _ = map(int, found.groups())
        if not 1 <= month <= 12:
            return f"{text!r} has no month {month}: months run from 01 to 12"
        return (f"{text!r} is not a day of the calendar: {calendar.month_name[month]} {year} has "
                f"{calendar.monthrange(year, month)[1]} days")
    return f"{text!r} is not a calendar date; write YYYY-MM-DD"


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def unprintable(text: str) -> str | None:
    """The first character of *text* that would break a line or a YAML scalar."""
    return next(
        (ch for ch in text if ch in "\n\r\x85\u2028\u2029" or unicodedata.category(ch) in ("Cc", "Cs", "Co")),
        None,
    )


def parse_post(path: Path, name: str | None = None) -> tuple[PostMeta | None, list[tuple[int, str]]]:
    """Validate the front matter of *path*.

    Returns the post (``None`` when the document has no front matter) and
    ``(line, message)`` warnings for keys we do not know. *name* is the
    post's file or folder name, the slug when the front matter gives none.
    Raises :class:`FrontMatterError` for anything that would break the post.
    Every reader asks here; the file is parsed once per version of it.
    """
    stat = path.stat()
    meta, warnings = _parse_post(path, name, stat.st_mtime_ns, stat.st_size)
    return meta, list(warnings)


@functools.lru_cache(maxsize=256)
def _parse_post(
    path: Path, name: str | None, mtime_ns: int, size: int
) -> tuple[PostMeta | None, tuple[tuple[int, str], ...]]:
    if unprintable(path.name) or (name is not None and unprintable(name)):
        raise FrontMatterError(path, 1, "the file name holds a line break or another control character, which "
                                        "Sphinx and git read otherwise; rename it with letters, digits and hyphens")
    front = read_front_matter(path)
    if front is None or not front.data:
        return None, ()
    data = front.data

    def fail(key: str, message: str) -> FrontMatterError:
        return FrontMatterError(path, front.line(key), message)

    if "author" in data and "authors" not in data:
        raise fail("author", "write `authors:` as a list, one '- Name (Affiliation)' per line "
                             "(the export writes the website's `author:` block from it)")
    for key in data:
        if key in CONFIG_KEYS:
            raise fail(key, f"front matter key {key!r} would configure how the post is read (MyST extensions, "
                            "substitutions, HTML meta tags); a post cannot change the build's configuration: "
                            "remove it")
    warnings = tuple(
        (front.line(key), f"unknown front matter key {key!r}; known keys are {', '.join(sorted(KNOWN_KEYS))}")
        for key in data
        if key not in KNOWN_KEYS | SPHINX_KEYS
    )
    for key in ("title", "authors", "date"):
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()) or value == []:
            raise fail(key, f"front matter has no {key!r}; add '{key}: ...' to the block at the top")
    title = data["title"]
    if not isinstance(title, str):
        raise fail("title", "title must be a string; quote it")
    slug = _slug(data, name, fail)
    date = _date(data, fail)
    authors = data["authors"]
    if isinstance(authors, str):
        authors = [authors]
    if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
        raise fail("authors", "authors must be a list of 'Name (Affiliation)' strings")
    for author in authors:
        if not AUTHOR_RE.fullmatch(author.strip()) or unprintable(author):
            raise fail("authors", f"author {author!r} must read 'Name (Affiliation)' on one line, without commas")
    for key in ("title", "description"):
        if isinstance(data.get(key), str) and (bad := unprintable(data[key])):
            raise fail(key, f"{key} holds the control character U+{ord(bad):04X}; remove it")
    draft = data.get("draft", True)
    if not isinstance(draft, bool):
        raise fail("draft", "draft must be true or false")
    evergreen = data.get("evergreen")
    if evergreen is not None and not isinstance(evergreen, bool):
        raise fail("evergreen", "evergreen must be true or false")
    canonical = data.get("canonical_url")
    if canonical is not None and not re.fullmatch(r"https://[^\s\"'<>]+", str(canonical)):
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


def is_slug(text: str) -> bool:
    """Lowercase letters, digits and single hyphens, at most :data:`SLUG_MAX` characters."""
    return bool(SLUG_RE.fullmatch(text)) and len(text) <= SLUG_MAX


def _slug(data: dict[str, Any], name: str | None, fail: Any) -> str:
    raw = data.get("slug", name)
    if raw is None:
        raise fail("slug", "front matter has no 'slug'; add 'slug: ...' to the block at the top")
    slug = str(raw)
    where = "slug" if "slug" in data else "the file name"
    if not is_slug(slug):
        raise fail(
            "slug",
            f"{where} {slug!r} is not a slug: use lowercase letters, digits and single hyphens, "
            f"at most {SLUG_MAX} characters (no '/', spaces or capitals), e.g. 'confidential-kubernetes'",
        )
    return slug


def _date(data: dict[str, Any], fail: Any) -> dt.date:
    date = data["date"]
    if isinstance(date, dt.datetime):
        return date.date()
    if isinstance(date, dt.date):
        return date
    try:
        return dt.date.fromisoformat(str(date))
    except ValueError:
        raise fail("date", f"date {not_a_day(str(date))}") from None


@dataclass(frozen=True)
class PostSource:
    """Where one post lives under the source directory."""

    path: Path  #: its Markdown file
    docname: str  #: Sphinx's name for it: ``<name>`` or ``<name>/index``
    name: str  #: the file or folder name: the slug when the front matter has none

    def meta(self) -> PostMeta | None:
        return parse_post(self.path, self.name)[0]


def post_name(path: Path) -> str:
    """The name of the post whose Markdown (source or export) is *path*: its folder's for a
    ``<name>/index.md`` bundle, else the file's; the slug when the front matter has none."""
    return path.parent.name if path.name == "index.md" else path.stem


def post_root(path: Path) -> Path:
    """All of a post: the bundle folder of a ``<name>/index.md``, else the file itself."""
    return path.parent if path.name == "index.md" else path


def page_path(slug: str, date: dt.date | None) -> str:
    """Where the website serves a post (``/:section/:year/:month/:day/:slug/``); a draft without a date: year 1."""
    return f"/blog/{date:%Y/%m/%d}/{slug}/" if date else f"/blog/1/01/01/{slug}/"


def find_posts(srcdir: Path) -> list[PostSource]:
    """Every post under *srcdir*, in name order: ``<name>.md`` and ``<name>/index.md``."""
    found: list[PostSource] = []
    for path in sorted(srcdir.iterdir()):
        if path.name.startswith((".", "_")) or path.name in NOT_POSTS:
            continue
        if path.is_file() and path.suffix == ".md" and path.name != "index.md":
            found.append(PostSource(path, path.stem, path.stem))
        elif path.is_dir() and (path / "index.md").is_file():
            found.append(PostSource(path / "index.md", f"{path.name}/index", path.name))
    return found


def iter_metas(srcdir: Path) -> Iterator[tuple[PostSource, PostMeta]]:
    """Each post with its metadata; raises :class:`FrontMatterError` on the first bad one."""
    for post in find_posts(srcdir):
        meta = post.meta()
        if meta is None:
            raise FrontMatterError(post.path, 1, NO_FRONT_MATTER)
        yield post, meta


def unknown_slug(slug: str, slugs: Iterable[str]) -> str:
    """The message for ``POST=<slug>`` that names no post."""
    return f"no post has the slug {slug!r}; the posts are: {', '.join(sorted(slugs)) or 'none'}"


def select_posts(srcdir: Path, slug: str | None = None, *, lenient: bool = False) -> list[tuple[PostSource, PostMeta]]:
    """The posts an output is made for: every post, or the one whose slug is *slug* (``POST=...``). One
    whose front matter does not read raises :class:`FrontMatterError`, or, *lenient*, is left out: its
    build says so at its line."""
    found = iter_metas(srcdir) if not lenient else ((p, m) for p, m in posts_leniently(srcdir) if m is not None)
    return [(post, meta) for post, meta in found if slug in (None, meta.slug)]


def posts_leniently(srcdir: Path) -> Iterator[tuple[PostSource, PostMeta | None]]:
    """Each post with its metadata, ``None`` where the front matter does not read: for code that
    leaves reporting the problem to the build, which names its line."""
    for post in find_posts(srcdir):
        try:
            yield post, post.meta()
        except FrontMatterError:
            yield post, None
