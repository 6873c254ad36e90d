"""The reviewer PDF's LaTeX settings: one document per post, title and authors escaped.

Each post becomes its own LaTeX document (``<slug>.tex``), made from its front
matter; the front matter strings go through Sphinx's LaTeX escaping, as body
text does, so "AT&T" or "100%" print as written and no ``\\input`` in a title
is ever run. The layout (line numbers and source positions for reviewers, the
type family, tables, the bibliography, the running header) lives in
``blogreview.sty`` beside this module and the translator of :mod:`.writer`, not in
each project's ``conf.py``. SVG figures are converted to PDF for LaTeX by
sphinxcontrib-svg2pdfconverter with ``rsvg-convert``; the other builders keep
the SVG.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import texescape

from ..post import posts_leniently
from ..sphinx_ext.bibliography import selected
from .stableids import setup_stable_ids
from .writer import ReferencesSection, ReviewTranslator

#: The review layout, and the marks of make pdf-diff (which loads the second one).
LATEX_DATA = Path(__file__).resolve().parent
STYLES = [LATEX_DATA / "blogreview.sty", LATEX_DATA / "blogdiff.sty"]

ELEMENTS: dict[str, str] = {
    "papersize": "a4paper",
    "pointsize": "10pt",
    "printindex": "",
    "makeindex": "",
    "tableofcontents": "",
    "fontpkg": "",  # blogreview.sty sets the type family
    "preamble": r"\usepackage{blogreview}",
    "maketitle": r"\sphinxmaketitle\linenumbers[1]",
    # Open editorial TODOs stand out in red. Red is also what pdf-diff strikes out, so Sphinx's marks
    # of a wrapped code line and its visible spaces are grey.
    "sphinxsetup": (
        r"verbatimvisiblespace={\textcolor{gray}{\textvisiblespace}},"
        r"verbatimcontinued={\makebox[2\fontcharwd\font`\x][r]{\textcolor{gray}{\tiny$\hookrightarrow$}}},"
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
    this runs: before that, ``escape`` returns its input unchanged. ``texescape.init``
    is undocumented; the call goes once Sphinx fills the tables on import.
    """
    texescape.init()
    documents = []
    for post, meta in posts_leniently(srcdir):
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
    config.latex_additional_files = [*config.latex_additional_files, *map(str, STYLES)]


def setup_latex(app: Sphinx) -> None:
    app.setup_extension("sphinxcontrib.rsvgconverter")
    app.set_translator("latex", ReviewTranslator)
    app.add_post_transform(ReferencesSection)
    setup_stable_ids(app)
    app.connect("config-inited", configure_latex)
