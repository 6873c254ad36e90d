"""A post's metadata written as kubernetes/website front matter.

Every field but the author block goes through PyYAML's dumper, never string
pasting. The site wants the authors as a folded block, one ``Name
(Affiliation)`` per line; PyYAML folds at a width, not where we ask, so that
block is written as text. That is safe because :mod:`hugo_export.post` only
lets one-line ``Name (Affiliation)`` strings through, and the result is read
back and compared before it is used.
"""

from __future__ import annotations

from typing import Any

import yaml

from ..post import PostMeta


class _Quoted(str):
    """A string the dumper writes double-quoted (the site quotes titles)."""


def _represent_quoted(dumper: yaml.SafeDumper, data: _Quoted) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style='"')


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, with double-quoted titles and descriptions."""


_Dumper.add_representer(_Quoted, _represent_quoted)


def _dump(fields: dict[str, Any]) -> str:
    return yaml.dump(fields, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000)


def hugo_front_matter(meta: PostMeta, publish: bool) -> str:
    """The post's Hugo front matter, ``---`` lines included.

    Review form (default while ``draft: true``): ``draft: true`` and no date,
    as kubernetes/website asks. Publish form: the date and no ``draft``.
    """
    head: dict[str, Any] = {"layout": "blog", "title": _Quoted(meta.title)}
    if publish:
        head["date"] = meta.date
    else:
        head["draft"] = True
    head["slug"] = meta.slug
    tail: dict[str, Any] = {}
    if meta.canonical_url:
        tail["canonicalUrl"] = meta.canonical_url
    if meta.evergreen is not None:
        tail["evergreen"] = meta.evergreen
    if meta.description:
        tail["description"] = _Quoted(meta.description)
    lines = [f"  {author}," for author in meta.authors[:-1]] + [f"  {meta.authors[-1]}"]
    author = "author: >\n" + "\n".join(lines) + "\n"
    text = _dump(head) + author + (_dump(tail) if tail else "")
    expected = {**head, "author": ", ".join(meta.authors) + "\n", **tail}
    if yaml.safe_load(text) != {k: str(v) if isinstance(v, _Quoted) else v for k, v in expected.items()}:
        raise ValueError(f"{meta.source}: the front matter would not read back as written; "
                         "simplify the title, description or author names")
    return f"---\n{text}---\n"
