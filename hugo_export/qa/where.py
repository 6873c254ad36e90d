"""Where a line of an exported post came from: the messages about the export, and ``k8s-blog where``.

The export's lint findings, Hugo's errors and a reviewer's comment name a line
of the exported Markdown; the author edits the MyST source. Each export has a
map beside it (:mod:`hugo_export.hugo.sourcemap`); this reads it, for a file
in the build or the same file in a kubernetes/website checkout (found by slug).
"""

from __future__ import annotations

from pathlib import Path

from ..hugo.sourcemap import MAPS, SourceMap
from ..post import post_name
from ..problems import Problem


def find_map(export_file: Path, build: Path | None = None) -> SourceMap | None:
    """The map of *export_file*: beside the export it lies in, else in *build*'s export (by slug)."""
    name = f"{post_name(export_file)}.json"
    folders = [*export_file.absolute().parents, *([build / "hugo"] if build else [])]
    return next((SourceMap.load(f / MAPS / name) for f in folders if (f / MAPS / name).is_file()), None)


def locate(export_file: Path, line: int, build: Path | None = None) -> str | None:
    """``source/<post>.md:<line>`` for a line of *export_file*, when a map of that very file exists."""
    found = find_map(export_file, build)
    if found is None or not found.describes(export_file) or not 0 < line <= len(found.lines):
        return None
    return found.at(line)


def annotate(finding: Problem, build: Path | None = None) -> str:
    """A lint finding's text, followed by the source line it points at when that is known."""
    origin = locate(finding.path, finding.line, build)
    return f"{finding} (source: {origin})" if origin else str(finding)


def where(location: str, build: Path) -> tuple[str, str | None]:
    """``source/<post>.md:<line>`` for ``<export file>:<line>``, and a warning when the file has changed.

    Raises :class:`LookupError` with a message for the author.
    """
    path, _, number = location.rpartition(":")
    if not path or not number.isdigit():
        raise LookupError(f"{location!r}: give an exported post's path and line, as FILE:LINE")
    export_file, line = Path(path), int(number)
    found = find_map(export_file, build)
    if found is None:
        raise LookupError(f"no source map of {post_name(export_file)!r} beside {export_file} or in "
                          f"{build / 'hugo' / MAPS}; run make hugo first")
    if not 0 < line <= len(found.lines):
        raise LookupError(f"{found.export} has {len(found.lines)} lines, not {line}")
    warning = None
    if export_file.exists() and not found.describes(export_file):
        warning = (f"{export_file} is not the export the map was made from ({found.export}); "
                   "the line may have moved since (make hugo, or compare the two)")
    return found.at(line), warning
