"""A BibTeX file read and checked: what BibTeX and Sphinx would miss or crash on, at its line.

Every reader of the bibliography goes through here: the extension before
sphinxcontrib-bibtex parses (:mod:`hugo_export.sphinx_ext.bibliography`),
``make check`` and ``k8s-blog bibcheck``.

pybtex parses the file; each problem is reported as ``file:line: message``:
a file that is not UTF-8, syntax errors, duplicate keys, fields an entry type
requires, URLs and DOIs that are malformed, use ``http://`` or hold anything
Hugo or a browser would read as markup (``{{``, spaces, quotes, control
characters). Which posts cite which entries comes from the environment of
the build that resolved every citation (:mod:`hugo_export.qa.check`); no regex
over the sources guesses it. This module imports no Sphinx.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from urllib.parse import urlsplit

from pybtex.database import BibliographyData, Entry
from pybtex.database.input.bibtex import Parser
from pybtex.scanner import PybtexError, PybtexSyntaxError

from .post import undecodable
from .problems import Problem

#: Fields each entry type needs: BibTeX's own, plus a link for the blog.
REQUIRED = {
    "article": ("author", "title", "journal", "year"),
    "inproceedings": ("author", "title", "booktitle", "year"),
    "techreport": ("author", "title", "institution", "year"),
    "book": ("title", "publisher", "year"),
    "misc": ("title", "year"),
}
_ENTRY_START = re.compile(r"@(\w+)\s*[{(]\s*([^,\s]+)\s*,")
_DOI = re.compile(r"10\.\d{4,9}/[^\s\"'<>{}\\]+")
#: What must never reach a link destination: Hugo's shortcode opener, quotes,
#: angle brackets, backslashes, whitespace and control characters.
_COMMENT = re.compile(r"(?<!\\)%")
_URL_UNSAFE = re.compile(r"\{\{|[\s\"'<>\\\x00-\x1f\x7f]")


def entry_lines(path: Path) -> list[tuple[str, int]]:
    """``(key, line)`` of every entry in the file, duplicates included."""
    text = path.read_text(encoding="utf-8-sig")
    return [
        (m[2], text.count("\n", 0, m.start()) + 1)
        for m in _ENTRY_START.finditer(text)
        if m[1].lower() not in ("comment", "preamble", "string")
    ]


#: What no bib text needs: NUL, and the noncharacters the export's source map uses to tag its lines.
_HIDDEN = re.compile("[\x00\ufdd0-\ufdef]")


def not_utf8(path: Path) -> Problem | None:
    """A problem at the first byte of *path* that is not UTF-8, or at the first NUL or noncharacter
    (the export would lose the text around it), if any."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        return Problem(path, *undecodable(raw, err))
    if found := _HIDDEN.search(text):
        return Problem(path, text.count("\n", 0, found.start()) + 1,
                       f"the file holds the character U+{ord(found[0]):04X}, which no text needs; remove it")
    return None


def parse(path: Path, parser: Parser | None = None) -> tuple[BibliographyData | None, list[Problem]]:
    """Parse *path*; a syntax error is a problem at its line, not a crash.

    Entries go into *parser*'s data, which may already hold other files'
    entries (as in a Sphinx build with several bib files); that data is returned.
    """
    parser = parser or Parser(encoding="utf-8-sig")
    if not path.is_file():
        return None, [Problem(path, 0, "bibliography file not found; create it or fix bibtex_bibfiles in conf.py")]
    if (problem := not_utf8(path)) is not None:
        return None, [problem]
    try:
        # A repeated key is reported with both lines; pybtex would stop at it
        # with no line at all, so such a file is not parsed until it is fixed.
        if duplicates := duplicate_keys(path, parser.data.entries):
            return None, duplicates
        return parser.parse_file(path), []
    except PybtexSyntaxError as err:
        detail = str(err).split(": ", 1)[-1]  # pybtex says "syntax error in line N: what"
        return None, [Problem(path, err.lineno, f"BibTeX syntax error: {detail}; "
                                                "check the braces and commas of the entry above")]
    except PybtexError as err:
        line = dict(entry_lines(path)).get(getattr(err, "key", ""), 1)
        return None, [Problem(path, line, f"BibTeX error: {err}")]


def duplicate_keys(path: Path, known: Iterable[str] = ()) -> list[Problem]:
    """A problem for every key used a second time, in *path* or after the
    *known* keys of bib files parsed before it (BibTeX keys ignore case)."""
    problems: list[Problem] = []
    first_line: dict[str, int] = {}
    earlier = {key.lower() for key in known}
    for key, line in entry_lines(path):
        if key.lower() in earlier:
            message = f"duplicate key {key!r}, already in an earlier bib file; rename or remove one"
            problems.append(Problem(path, line, message))
        elif key.lower() in first_line:
            problems.append(Problem(path, line, f"duplicate key {key!r} (first at line "
                                                f"{first_line[key.lower()]}); rename or remove one"))
        first_line.setdefault(key.lower(), line)
    return problems


def check_entries(path: Path, entries: Mapping[str, Entry]) -> list[Problem]:
    """Problems inside *path*'s *entries*: fields, URLs, DOIs."""
    problems: list[Problem] = []
    first_line = {key.lower(): line for key, line in reversed(entry_lines(path))}
    for key, entry in entries.items():
        line = first_line.get(key.lower(), 1)
        problems += [Problem(path, line, f"{key}: {msg}") for msg in entry_problems(entry)]
    return problems


def unformattable(entry: Entry) -> list[str]:
    """Why pybtex could not format *entry*: unknown type, missing fields."""
    kind = entry.type.lower()
    if kind not in REQUIRED:
        return [f"entry type @{entry.type} is not one we format; use one of @{', @'.join(REQUIRED)}"]
    has = {name.lower() for name in entry.fields} | {role.lower() for role in entry.persons}
    return [
        f"@{kind} needs a {field!r} field"
        for field in REQUIRED[kind]
        if field not in has and not (field == "author" and "editor" in has)
    ]


def entry_problems(entry: Entry) -> list[str]:
    """What is wrong with one entry, as messages."""
    messages = unformattable(entry)
    has = {name.lower() for name in entry.fields}
    if "url" not in has and "doi" not in has:
        messages.append("needs a 'url' (or 'doi') field so citations can link to the work")
    if url := entry.fields.get("url"):
        url = str(url)
        parts = urlsplit(url)
        if _URL_UNSAFE.search(url):
            messages.append(f"url {url!r} holds a space, quote, '{{{{', backslash or control character; "
                            "percent-encode it")
        elif parts.scheme == "http":
            messages.append(f"url {url!r} uses http://; use https://")
        elif parts.scheme != "https" or not parts.netloc:
            messages.append(f"url {url!r} is not a well-formed https:// URL")
    for name, value in entry.fields.items():  # links are taken as they are; every other field is LaTeX
        if name.lower() not in ("url", "doi") and _COMMENT.search(str(value)):
            messages.append(f"{name} holds a bare '%', which BibTeX reads as the start of a comment; write \\%")
    if (doi := entry.fields.get("doi")) and not _DOI.fullmatch(str(doi)):
        messages.append(f"doi {doi!r} is malformed; write it bare, like 10.1145/3533737.3535098")
    return messages


def check_file(bib: Path) -> tuple[BibliographyData | None, list[Problem]]:
    """The file on its own: encoding, syntax, duplicates, fields, links."""
    data, problems = parse(bib)
    if data is not None:
        problems += check_entries(bib, data.entries)
    return data, problems


def check_citations(bib: Path, data: BibliographyData, cited: Mapping[str, Iterable[str]]) -> list[Problem]:
    """Entries that no post cites. *cited* maps each key to the posts citing it."""
    lines = dict(entry_lines(bib))
    return [
        Problem(bib, lines.get(key, 1), f"entry {key!r} is cited by no post; cite it or remove it")
        for key in data.entries
        if not cited.get(key)
    ]
