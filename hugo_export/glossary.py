"""kubernetes/website's glossary: the term ids ``{k8s-term}`` must name, and what the tooltips show.

The site's ``glossary_tooltip`` shortcode fails the site's build on an id that
is not a file under ``content/en/docs/reference/glossary/``, and shows the
term's ``short_description`` on hover, linking its ``full_link``. We ship the
terms in ``data/glossary.json``, generated from a website tree (which one, and
of what date, is recorded in it), so the role and the lint can check ids where
the error can name the source line, and the stand-in site can show what the
website shows. With a website checkout at hand (``WEBSITE=path``), its own
glossary is read instead: :func:`glossary` says which list it is.
``k8s-blog glossary --website path`` (``make glossary``) rewrites the shipped file.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path

from .atomic import replace_file
from .post import FrontMatterError, read_front_matter
from .problems import nearest

GLOSSARY_URL = "https://kubernetes.io/docs/reference/glossary/?all=true#term-{}"
#: Where a kubernetes/website checkout keeps its English glossary, one file per term.
GLOSSARY_DIR = Path("content/en/docs/reference/glossary")
#: The files of that folder that are no terms (the glossary page itself).
_NOT_TERMS = frozenset({"index", "_index"})


class GlossaryError(ValueError):
    """A website checkout with no glossary to read."""


@dataclass(frozen=True)
class Term:
    """What the site's tooltip shows of a term: its title (the text when none is given), the
    definition on hover (Markdown) and the page it links (empty: the glossary's own entry)."""

    title: str
    short_description: str
    full_link: str


@dataclass(frozen=True)
class Glossary:
    """The terms of one glossary, where they come from, in words for the author, and where to look them up."""

    source: str
    terms: Mapping[str, Term]
    listed: str = "listed in hugo_export/data/glossary.json"

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(self.terms)

    def unknown(self, term_id: str) -> str:
        """Why *term_id* is refused, with the nearest ids that exist."""
        hint = nearest(term_id, self.terms)
        return (f"unknown Kubernetes glossary term id {term_id!r}: kubernetes/website's build would fail. Use a "
                f"file name from content/en/docs/reference/glossary/ ({self.listed}), e.g. {{k8s-term}}`Pods <pod>`"
                + (f"; {hint}" if hint else ""))

    def dumps(self) -> str:
        terms = {key: asdict(term) for key, term in sorted(self.terms.items())}
        return json.dumps({"source": self.source, "terms": terms}, indent=1, ensure_ascii=False) + "\n"


def shipped_file() -> Path:
    return Path(str(resources.files("hugo_export").joinpath("data/glossary.json")))


def _load(text: str) -> Glossary:
    data = json.loads(text)
    return Glossary(data["source"], {key: Term(**term) for key, term in data["terms"].items()})


def read_website(website: Path) -> Glossary:
    """The glossary of the kubernetes/website checkout at *website*."""
    folder = website / GLOSSARY_DIR
    files = sorted(p for p in folder.glob("*.md") if p.stem not in _NOT_TERMS) if folder.is_dir() else []
    if not files:
        raise GlossaryError(f"{website}: no glossary terms in {GLOSSARY_DIR}/; "
                            "give WEBSITE the path of a kubernetes/website checkout")
    terms = {}
    for path in files:
        try:
            front = read_front_matter(path)
            data = front.data if front else {}
        except FrontMatterError:  # the website's own build reports it; the id exists all the same
            data = {}
        terms[path.stem] = Term(*(str(data.get(key) or "").strip() for key in
                                  ("title", "short_description", "full_link")))
    return Glossary(f"{len(terms)} terms of {folder}", terms, f"of {website}")


def describe_tree(website: Path) -> str:
    """The website tree a glossary is generated from: its commit and that commit's date, when it has one."""
    from .revision import git, head_state

    state = head_state(website / GLOSSARY_DIR, [])
    if state is None:
        return f"a kubernetes/website tree ({website.name}, not a git checkout)"
    date = git(website, "log", "-1", "--format=%cs").stdout.strip()
    changed = ", with uncommitted changes" if state[1] else ""
    return f"kubernetes/website at commit {state[0]} of {date}{changed}"


@functools.cache
def glossary(website: Path | None = None) -> Glossary:
    """The glossary of the checkout at *website*, else the shipped one."""
    if website is not None:
        return read_website(website)
    shipped = _load(shipped_file().read_text("utf-8"))
    return Glossary(f"the shipped list, {len(shipped.terms)} terms of {shipped.source}", shipped.terms)


def with_glossary(website: Path) -> Path | None:
    """*website* when it is a checkout holding the glossary, else ``None``: the shipped list then."""
    return website if (website / GLOSSARY_DIR).is_dir() else None


def refresh(website: Path, target: Path | None = None) -> Glossary:
    """Rewrite the shipped glossary (or *target*) from the checkout at *website*, atomically."""
    read = read_website(website)
    fresh = Glossary(f"{GLOSSARY_DIR}/ of {describe_tree(website)}", read.terms)
    replace_file(fresh.dumps().encode("utf-8"), target or shipped_file())
    return fresh
