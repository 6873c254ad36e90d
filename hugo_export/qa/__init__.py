"""Checks after the export: the website lint, the bibliography, the stand-in site's render, links."""
