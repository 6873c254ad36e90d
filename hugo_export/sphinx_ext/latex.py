"""The reviewer PDF's LaTeX settings: one document per post, title and authors escaped.

Each post becomes its own LaTeX document (``<slug>.tex``), made from its front
matter; the front matter strings go through Sphinx's LaTeX escaping, as body
text does, so "AT&T" or "100%" print as written and no ``\\input`` in a title
is ever run. The layout settings (line numbers for reviewers, the red TODO box,
one bibliography heading) live here, not in each project's ``conf.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import texescape

from ..post import FrontMatterError, find_posts
from .posts import selected

PREAMBLE = r"""
\usepackage[switch,pagewise]{lineno}
\renewcommand\linenumberfont{\normalfont\tiny\sffamily\color{gray}}
\usepackage{etoolbox}
\patchcmd{\thebibliography}{\section*{\refname}}{}{}%
  {\PackageError{k8s-blog}{could not remove the second References heading}%
    {Sphinx's thebibliography changed; update hugo_export/sphinx_ext/latex.py}}
"""

ELEMENTS: dict[str, str] = {
    "papersize": "a4paper",
    "pointsize": "11pt",
    "printindex": "",
    "makeindex": "",
    "tableofcontents": "",
    # Reviewers point at text by line number; the post's own "References"
    # section heads the bibliography, so LaTeX's second heading goes.
    "preamble": PREAMBLE,
    "maketitle": r"\sphinxmaketitle\linenumbers",
    # Open editorial TODOs stand out in red.
    "sphinxsetup": (
        "div.todo_border-TeXcolor={rgb}{0.8,0.1,0.1},"
        "div.todo_background-TeXcolor={rgb}{1,0.93,0.91},"
        "div.todo_title-background-TeXcolor={rgb}{0.95,0.7,0.66},"
        "div.todo_border-width=1.5pt"
    ),
}


def latex_documents(srcdir: Path, config: Any) -> list[tuple[str, str, str, str, str]]:
    """One LaTeX document per (selected) post; posts with bad front matter are left
    to the source check, which reports them at their line.

    Sphinx fills its escaping tables only when the LaTeX builder starts, after
    this runs: before that, ``escape`` returns its input unchanged.
    """
    texescape.init()
    documents = []
    for post in find_posts(srcdir):
        try:
            meta = post.meta()
        except FrontMatterError:
            continue
        if meta is None or not selected(config, meta.slug):
            continue
        authors = r" \and ".join(texescape.escape(author, "xelatex") for author in meta.authors)
        title = texescape.escape(meta.title, "xelatex")
        documents.append((post.docname, f"{meta.slug}.tex", title, authors, "howto"))
    return documents


def configure_latex(app: Sphinx, config: Config) -> None:
    """``config-inited``: the posts' documents and the review layout, under conf.py's own values."""
    config.latex_engine = "xelatex"
    config.latex_use_xindy = False
    config.latex_show_urls = "no"
    config.latex_documents = latex_documents(Path(app.srcdir), config)
    config.latex_elements = {**ELEMENTS, **config.latex_elements}
