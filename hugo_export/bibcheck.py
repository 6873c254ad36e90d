"""Checks of ``bibliography.bib`` that BibTeX and Sphinx would miss or crash on.

pybtex parses the file; each problem is reported as ``file:line: message``:
duplicate keys, entries never cited, citations of keys that do not exist,
fields an entry type requires, malformed or ``http://`` URLs, malformed DOIs.
The same checks run inside Sphinx builds (see :func:`check_in_sphinx`), where
a missing required field would otherwise crash pybtex's formatter.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

from pybtex.database import BibliographyData, Entry
from pybtex.database.input.bibtex import Parser
from pybtex.scanner import PybtexError, PybtexSyntaxError

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
_CITE_ROLE = re.compile(r"\{cite(?::\w+)?\}`([^`]*)`")
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")


def entry_lines(path: Path) -> list[tuple[str, int]]:
    """``(key, line)`` of every entry in the file, duplicates included."""
    text = path.read_text(encoding="utf-8")
    return [
        (m[2], text.count("\n", 0, m.start()) + 1)
        for m in _ENTRY_START.finditer(text)
        if m[1].lower() not in ("comment", "preamble", "string")
    ]


def citations(sources: Iterable[Path]) -> list[tuple[str, Path, int]]:
    """``(key, file, line)`` of every ``{cite:...}`` role in the sources."""
    found = []
    for path in sources:
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in _CITE_ROLE.finditer(line):
                target = match[1].rsplit("<", 1)[-1].rstrip(">")
                found += [(key.strip(), path, lineno) for key in target.split(",") if key.strip()]
    return found


def parse(path: Path, parser: Parser | None = None) -> tuple[BibliographyData | None, list[Problem]]:
    """Parse *path*; a syntax error is a problem at its line, not a crash.

    Entries go into *parser*'s data, which may already hold other files'
    entries (as in a Sphinx build with several bib files); that data is returned.
    """
    parser = parser or Parser(encoding="utf-8-sig")
    if not path.is_file():
        return None, [Problem(path, 0, "bibliography file not found; create it or fix bibtex_bibfiles in conf.py")]
    try:
        # A repeated key is reported with both lines; pybtex would stop at it
        # with no line at all, so such a file is not parsed until it is fixed.
        if duplicates := duplicate_keys(path, parser.data.entries):
            return None, duplicates
        return parser.parse_file(path), []
    except PybtexSyntaxError as err:
        detail = str(err).split(": ", 1)[-1]  # pybtex says "syntax error in line N: what"
        return None, [Problem(path, err.lineno, f"BibTeX syntax error: {detail}; check the braces and commas of the entry above")]
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
            problems.append(Problem(path, line, f"duplicate key {key!r} (first at line {first_line[key.lower()]}); rename or remove one"))
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
        parts = urlsplit(str(url))
        if parts.scheme == "http":
            messages.append(f"url {url!r} uses http://; use https://")
        elif parts.scheme != "https" or not parts.netloc or " " in str(url):
            messages.append(f"url {url!r} is not a well-formed https:// URL")
    if (doi := entry.fields.get("doi")) and not _DOI.match(str(doi)):
        messages.append(f"doi {doi!r} is malformed; write it bare, like 10.1145/3533737.3535098")
    return messages


def check(bib: Path, sources: Iterable[Path]) -> list[Problem]:
    """Every problem of *bib* against the citations in *sources*."""
    data, problems = parse(bib)
    if data is None:
        return problems
    problems += check_entries(bib, data.entries)
    keys = {key.lower() for key in data.entries}
    cited = citations(sources)
    problems += [
        Problem(path, line, f"citation of unknown key {key!r}; add it to {bib.name} or fix the key")
        for key, path, line in cited
        if key.lower() not in keys
    ]
    cited_keys = {key.lower() for key, _, _ in cited}
    lines = dict((k.lower(), line) for k, line in entry_lines(bib))
    problems += [
        Problem(bib, lines.get(key.lower(), 1), f"entry {key!r} is never cited; cite it or remove it")
        for key in data.entries
        if key.lower() not in cited_keys
    ]
    return problems


def guard_bibfiles(app: Any) -> None:
    """``builder-inited``, before sphinxcontrib-bibtex: report bad bib files.

    A missing file, a syntax error or a repeated key would make pybtex raise
    inside sphinxcontrib-bibtex, ending the build with a traceback; we log
    each problem at its file and line and stop cleanly instead. Lesser
    problems (fields, URLs) are warnings, which ``-W`` builds treat as errors.

    The files are parsed as sphinxcontrib-bibtex parses them (one pybtex
    parser, the configured encoding), and the result is handed to it as its
    up-to-date cache, so it does not parse them a second time.
    """
    from sphinx.util import logging
    from sphinxcontrib.bibtex.bibfile import BibData, BibFile, get_mtime

    logger = logging.getLogger(__name__)
    encoding = app.config.bibtex_encoding
    parser = Parser(encoding=encoding)
    bibfiles: dict[Path, BibFile] = {}
    fatal = False
    for name in app.config.bibtex_bibfiles:
        path = (Path(app.confdir) / name).resolve()
        known = set(parser.data.entries)
        data, problems = parse(path, parser)
        if data is not None:
            new = {key: entry for key, entry in data.entries.items() if key not in known}
            bibfiles[path] = BibFile(mtime=get_mtime(path), keys=dict.fromkeys(new))
            problems += check_entries(path, new)
        for problem in problems:
            is_fatal = data is None  # unparsed: pybtex inside sphinxcontrib-bibtex would raise
            fatal |= is_fatal
            log = logger.error if is_fatal else logger.warning
            # A location with a colon is shown as it is (a bib file is no document).
            if problem.line:
                log("%s", problem.message, location=f"{problem.path}:{problem.line}", type="bibtex", subtype="bibcheck")
            else:  # no line to point at: the file itself is missing
                log("%s", problem, type="bibtex", subtype="bibcheck")
    if fatal:
        raise SystemExit(2)  # pybtex would raise from inside sphinxcontrib-bibtex
    app.env.get_domain("cite").data["bibdata"] = BibData(encoding=encoding, bibfiles=bibfiles, data=parser.data)


def drop_unformattable(app: Any) -> None:
    """``builder-inited``, after sphinxcontrib-bibtex: keep out entries pybtex
    cannot format (already reported by :func:`guard_bibfiles`), so their
    citations read as unknown keys instead of crashing the formatter."""
    from sphinxcontrib.bibtex.domain import BibtexDomain

    domain = cast(BibtexDomain, app.env.get_domain("cite"))
    entries = domain.bibdata.data.entries
    for key in [k for k, entry in entries.items() if unformattable(entry)]:
        del entries[key]
        for bibfile in domain.bibdata.bibfiles.values():
            bibfile.keys.pop(key, None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bibcheck", description=__doc__.splitlines()[0])
    parser.add_argument("bib", type=Path, help="the BibTeX file")
    parser.add_argument("sources", type=Path, nargs="+", help="Markdown files or directories citing it")
    args = parser.parse_args(argv)
    sources = sorted(
        p for s in args.sources for p in ([s] if s.is_file() else s.rglob("*.md")) if "editorial" not in p.parts
    )
    problems = check(args.bib, sources)
    for problem in problems:
        print(problem)
    data, _ = parse(args.bib)
    count = len(data.entries) if data else 0
    print(f"bibcheck: {count} entries, {len(problems)} problem(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
