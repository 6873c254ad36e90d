"""Sphinx configuration shared by every post under source/.

Nothing here names a post: posts are found (``<name>.md`` or
``<name>/index.md`` with front matter; see ``hugo_export.post``), and the
extension gives each its own LaTeX document and bibliography.
"""

project = "Kubernetes blog posts"
author = "the authors"
copyright = "the authors"
root_doc = "index"
language = "en"
exclude_patterns = ["_build", "editorial/**"]

extensions = ["myst_parser", "sphinxcontrib.bibtex", "hugo_export.sphinx_ext"]

# The blog keeps straight quotes and dashes (typographer = false); so does the preview.
smartquotes = False

myst_title_to_header = True
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence", "deflist"]

bibtex_bibfiles = ["../bibliography.bib"]
bibtex_default_style = "authoryear"  # author-year list, titles as written (hugo_export.sphinx_ext.bibstyle)
bibtex_reference_style = "authoryear"  # author-year citations, 2026a/2026b as labelled

# Editorial TODOs show, marked, in the review builds; the export refuses them.
todo_include_todos = True

html_theme = "alabaster"
html_title = "Kubernetes blog posts (preview)"
html_last_updated_fmt = None
html_copy_source = False
html_show_sourcelink = False

# The hugo builder: kubernetes/website conventions (see hugo_export.hugo).
hugo_citation_style = "links"
hugo_references = False
