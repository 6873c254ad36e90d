"""``authoryear`` citations (a sphinxcontrib-bibtex referencing style): author-year, year as labelled.

sphinxcontrib-bibtex's ``author_year`` style prints the entry's own year, so
three works by one author in one year are all cited "Edgeless Systems, 2026".
This style is that one with the year taken from the entry's label in the
post's reference list (:mod:`.biblabels`), where such works are told apart
as ``2026a``, ``2026b``: ``{cite:p}`` prints "[Edgeless Systems, 2026b]",
``{cite:t}`` "Edgeless Systems [2026b]", ``{cite:year}`` "2026b", in the HTML
preview, the PDF and the export alike.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from pybtex.richtext import Text
from pybtex.style.template import Node
from sphinxcontrib.bibtex.style.referencing import BaseReferenceStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle
from sphinxcontrib.bibtex.style.referencing.basic_author_year import (
    BasicAuthorYearParentheticalReferenceStyle,
    BasicAuthorYearTextualReferenceStyle,
)
from sphinxcontrib.bibtex.style.referencing.extra_year import ExtraYearReferenceStyle
from sphinxcontrib.bibtex.style.template import join, join2, node, post_text, pre_text, reference

from .biblabels import label_year, who_text

NAME = "authoryear"


@node
def authors(children: list[Any], data: dict[str, Any]) -> Text:
    """The citation's author part as the label writes it (:func:`.biblabels.who_text`); a work
    without people, or a role that lists every author, goes through the template given as child."""
    [template] = children
    text = who_text(data["entry"])
    return text if text is not None else template.format_data(data)


@node
def labelled_year(children: list[Any], data: dict[str, Any]) -> Text:
    """The year of the entry's label, with its suffix (``2026b``)."""
    assert not children
    return Text(label_year(data["formatted_entry"].label))


class Memo:
    """Make each role's template once: sphinxcontrib-bibtex asks for it again for every citation,
    and building the template tree costs more than formatting with it (templates are not changed
    by formatting)."""

    def inner(self, role_name: str) -> Node:
        # sphinxcontrib-bibtex's style classes are frozen dataclasses: the memo lives in the instance's own
        # __dict__, a name of ours; it goes once the extension caches its templates.
        templates: dict[str, Node] = self.__dict__.setdefault("_templates", {})
        if role_name not in templates:
            templates[role_name] = self.template(role_name)
        return templates[role_name]

    def template(self, role_name: str) -> Node:
        raise NotImplementedError

    def _authors(self, role_name: str) -> Node:
        person = self.person  # type: ignore[attr-defined]  # every author-year style has one
        if "s" in role_name:  # {cite:ps}, {cite:ts}: every author, as sphinxcontrib-bibtex writes them
            return person.author_or_editor_or_title(full=True)
        return authors[person.author_or_editor_or_title(full=False)]


@dataclass
class Parenthetical(Memo, BasicAuthorYearParentheticalReferenceStyle):
    def template(self, role_name: str) -> Node:
        return join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[
            pre_text,
            reference[join(sep=self.author_year_sep)[self._authors(role_name), labelled_year]],
            post_text,
        ]


@dataclass
class Textual(Memo, BasicAuthorYearTextualReferenceStyle):
    def template(self, role_name: str) -> Node:
        return join(sep=self.text_reference_sep)[
            self._authors(role_name),
            join[self.bracket.left,
                 join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[pre_text, reference[labelled_year], post_text],
                 self.bracket.right],
        ]


@dataclass
class Year(Memo, ExtraYearReferenceStyle):
    def template(self, role_name: str) -> Node:
        return reference[labelled_year]


LABELLED: dict[type[BaseReferenceStyle], type[BaseReferenceStyle]] = {
    BasicAuthorYearParentheticalReferenceStyle: Parenthetical,
    BasicAuthorYearTextualReferenceStyle: Textual,
    ExtraYearReferenceStyle: Year,
}


@dataclass
class ReferenceStyle(AuthorYearReferenceStyle):
    """``author_year``, with each part that prints a year printing the labelled year."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.styles = [_labelled(style) for style in self.styles]
        self.role_style.update((role, style) for style in self.styles for role in style.role_names())


def _labelled(style: BaseReferenceStyle) -> BaseReferenceStyle:
    """*style* as its labelled-year counterpart, with the same settings."""
    kind = LABELLED.get(type(style))
    if kind is None:
        return style
    return kind(**{f.name: getattr(style, f.name) for f in dataclasses.fields(style) if f.init})
