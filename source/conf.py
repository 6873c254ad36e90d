"""Sphinx configuration of the Confidential Kubernetes post.

The post's metadata lives in its MyST front matter only; the PDF's title page
reads it from there through the exporter's front matter parser.
"""

from pathlib import Path

from hugo_export.frontmatter import parse_post

POST = "confidential-kubernetes-2026"
meta, _ = parse_post(Path(__file__).parent / f"{POST}.md")
assert meta is not None, f"{POST}.md has no front matter"

project = meta.title
author = ", ".join(meta.authors)
copyright = f"{meta.date.year}, the authors"
root_doc = "index"
language = "en"
exclude_patterns = ["_build", "editorial/**"]

extensions = ["myst_parser", "sphinxcontrib.bibtex", "sphinx.ext.todo", "hugo_export"]

# The blog keeps straight quotes and dashes (typographer = false); so does the preview.
smartquotes = False

myst_title_to_header = True
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence", "deflist"]

bibtex_bibfiles = ["../bibliography.bib"]
bibtex_default_style = "plain_deferred"  # "plain", formatted only where shown (hugo_export.bibstyle)
bibtex_reference_style = "author_year"

# Editorial TODOs show, marked, in the review builds; the export refuses them.
todo_include_todos = True

html_theme = "alabaster"
html_title = meta.title
html_last_updated_fmt = None
html_copy_source = False
html_show_sourcelink = False

today = f"{meta.date:%B} {meta.date.day}, {meta.date.year} (planned)"
latex_engine = "xelatex"
latex_use_xindy = False
latex_documents = [(POST, f"{POST}.tex", meta.title, " \\and ".join(meta.authors), "howto")]
latex_show_urls = "no"
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "11pt",
    "printindex": "",
    "makeindex": "",
    "tableofcontents": "",
    # Reviewers point at text by line number; the article's own "References"
    # section heads the bibliography, so LaTeX's second heading goes.
    "preamble": r"""
\usepackage[switch,pagewise]{lineno}
\renewcommand\linenumberfont{\normalfont\tiny\sffamily\color{gray}}
\usepackage{etoolbox}
\patchcmd{\thebibliography}{\section*{\refname}}{}{}{}
""",
    "maketitle": r"\sphinxmaketitle\linenumbers",
    # Open editorial TODOs stand out in red.
    "sphinxsetup": (
        "div.todo_border-TeXcolor={rgb}{0.8,0.1,0.1},"
        "div.todo_background-TeXcolor={rgb}{1,0.93,0.91},"
        "div.todo_title-background-TeXcolor={rgb}{0.95,0.7,0.66},"
        "div.todo_border-width=1.5pt"
    ),
}

# The hugo builder: kubernetes/website conventions (see hugo_export).
hugo_citation_style = "links"
hugo_references = False
