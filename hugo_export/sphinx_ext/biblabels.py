"""Author-year labels and order for a post's reference list (pybtex label and sorting styles).

A reader who meets "[Edgeless Systems, 2026b]" in the text must find exactly
one entry with that label in the list, where the list's order leads to it: by
author, then year, then title. So:

- the label is what the text cites, author and year (``Van Bulck et al.,
  2018``), the author part as sphinxcontrib-bibtex's author template writes
  it (see :func:`who`), so label and text never differ; works that would
  share a label get ``a``, ``b``, ... after the year, in list order;
- the sort key reads names as printed (``{Van Bulck}`` under V,
  ``{Advanced Micro Devices}`` under A, not after Z for its braces); a work
  without author or editor sorts by its title, as it is cited.

Labels are unique within one bibliography, which is one post's list.
"""

from __future__ import annotations

import functools
import string
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from pybtex.database import Entry, Person
from pybtex.richtext import Text
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting import BaseSortingStyle
from sphinxcontrib.bibtex.style.referencing import PersonStyle

#: Between the author and the year of a label; the year part never holds it.
SEPARATOR = ", "
NO_YEAR = "n.d."

#: The names in a citation, as the referencing style (:mod:`.citestyle`) prints them.
PERSON = PersonStyle()


@functools.lru_cache(maxsize=4096)  # strings in, strings out: the same names come back for every citation
def plain(latex: str) -> str:
    """A bib field as printed: braces dropped, accents decoded (latexcodec, slow, only if there is one)."""
    return str(Text.from_latex(latex)) if "\\" in latex else latex.replace("{", "").replace("}", "")


def who(entry: Entry) -> str:
    """The author part of a citation of *entry*: last names, "and", "et al."; else the title.

    What sphinxcontrib-bibtex's ``author_or_editor_or_title`` template prints
    with :data:`PERSON` (the tests compare the two on every entry), without
    its rich-text machinery, which would make labelling the article's list
    cost a tenth of a cold export.
    """
    text = who_text(entry)
    return plain(entry.fields.get("title", "")) if text is None else str(text)


def who_text(entry: Entry) -> Text | None:
    """:func:`who` as rich text ("et al." stays emphasised); ``None`` for a work without people.

    The citations use it too (:mod:`.citestyle`): formatting the names through
    pybtex's templates decodes them from LaTeX once per citation, most of the
    time a 400-citation post takes to resolve.
    """
    persons = entry.persons.get("author") or entry.persons.get("editor")
    if not persons:
        return None
    names = [plain(" ".join(person.prelast_names + person.last_names)) for person in persons]
    if len(names) > 2:
        return Text(names[0], PERSON.other)
    return Text(names[0], PERSON.sep2, names[1]) if len(names) == 2 else Text(names[0])


def year(entry: Entry) -> str:
    return str(entry.fields.get("year", NO_YEAR))


def suffix(index: int) -> str:
    """``a``, ``b``, ... ``z``, ``aa``, ``ab``, ..."""
    letters = string.ascii_lowercase
    return suffix(index // 26 - 1) + letters[index % 26] if index >= 26 else letters[index]


class LabelStyle(BaseLabelStyle):
    """``Author, 2026``, or ``Author, 2026a`` and ``Author, 2026b`` for two such works."""

    def format_labels(self, sorted_entries: Iterable[Entry]) -> Iterator[str]:
        bases = [f"{who(entry)}{SEPARATOR}{year(entry)}" for entry in sorted_entries]
        shared = {base for base, count in Counter(bases).items() if count > 1}
        seen: Counter[str] = Counter()
        for base in bases:
            if base in shared:
                yield base + suffix(seen[base])
                seen[base] += 1
            else:
                yield base


def label_year(label: str) -> str:
    """The year part of an :class:`LabelStyle` label, suffix included."""
    return label.rpartition(SEPARATOR)[2]


class SortingStyle(BaseSortingStyle):
    """By author (or editor, or title) as printed, then year, then title."""

    def sorting_key(self, entry: Entry) -> Any:
        persons = entry.persons.get("author") or entry.persons.get("editor") or []
        title = plain(entry.fields.get("title", "")).casefold()
        names = [self.person_key(person) for person in persons] or [(title, "")]
        return (names, year(entry), title)

    def person_key(self, person: Person) -> tuple[str, str]:
        return (plain(" ".join(person.prelast_names + person.last_names)).casefold(),
                plain(" ".join(person.first_names + person.middle_names)).casefold())
