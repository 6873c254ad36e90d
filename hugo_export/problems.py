"""A message about a place in a file: what the bib check and the lint report; the nearest names for a mistyped one."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """``file:line: message``, the form editors and CI logs link to."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


def nearest(word: str, known: Iterable[str]) -> str | None:
    """"did you mean 'a' or 'b'?" for the known words nearest *word*, if any is near."""
    close = difflib.get_close_matches(word, sorted(known), n=3, cutoff=0.6)
    return f"did you mean {' or '.join(map(repr, close))}?" if close else None
