"""The author's kubernetes/website checkout as the renderer: the post as the website itself builds it.

With ``WEBSITE=path``, ``make check`` and ``make preview`` render the exported
posts with the checkout's own Hugo configuration, layouts, theme, shortcodes
and glossary, without changing a byte of it: Hugo reads the checkout, and a
configuration file of ours, given after the site's own, adds only

- a content mount of an overlay folder (under the build folder) holding the
  export, before the checkout's English content (from which any older copy
  of the same posts is left out),
- a render segment holding only those posts (the site reads all its pages,
  and renders just these), with drafts and future posts built as its
  previews build them,
- its resources, caches and output kept under the build folder, and no git
  information (the overlay has none) or build stats.

What the site's build needs and the checkout lacks (its theme, its node
modules) is named with the command of the website's own README that installs
it; :func:`lacking` finds it before Hugo runs.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import yaml

from .site import Render, exported_posts, hugo_binary, page_missing

#: The configuration files Hugo reads at a site's root, in its order.
CONFIG_NAMES = ("hugo.toml", "hugo.yaml", "hugo.json", "config.toml", "config.yaml", "config.json")
#: The render segment of the exported posts, in our configuration file.
SEGMENT = "k8sblogposts"
#: A command of the website's README that installs its node modules.
_INSTALL = re.compile(r"^\s*(npm (?:ci|install)\b.*)$")


class WebsiteRender:
    """Renders exported posts in the kubernetes/website checkout *root*, working in *work* (ours)."""

    def __init__(self, root: Path, work: Path) -> None:
        self.root = root.resolve()
        self.work = work.resolve()

    @property
    def content(self) -> Path:
        """The overlay folder the export's ``content`` goes into (``content/en/blog/...`` inside)."""
        return self.work / "overlay"

    def config_file(self) -> Path | None:
        return next((self.root / name for name in CONFIG_NAMES if (self.root / name).is_file()), None)

    def config(self) -> dict[str, Any]:
        found = self.config_file()
        if found is None:
            return {}
        text = found.read_text("utf-8")
        data = tomllib.loads(text) if found.suffix == ".toml" else (
            yaml.safe_load(text) if found.suffix == ".yaml" else json.loads(text))
        return data if isinstance(data, dict) else {}

    def lacking(self) -> list[str]:
        """What the site's build needs that the checkout lacks: a configuration, its theme, the node
        packages its package.json names, and those of a theme installed as one."""
        if self.config_file() is None:
            return ["a Hugo configuration (hugo.toml)"]
        config = self.config()
        themes_dir = self.root / str(config.get("themesDir", "themes"))
        themes = [str(t) for t in (config.get("theme") or [])] if not isinstance(config.get("theme"), str) \
            else [config["theme"]]
        missing = [f"{(themes_dir / t).relative_to(self.root)}/ (its theme)" for t in themes
                   if not (themes_dir / t).is_dir()]
        packages = _node_packages(self.root)
        if themes_dir == self.root / "node_modules":  # a theme installed as a node package brings its own
            packages = (packages - set(themes)) | {p for t in themes for p in _node_packages(themes_dir / t)}
        missing += [f"node_modules/{name}/" for name in sorted(packages)
                    if not (self.root / "node_modules" / name / "package.json").is_file()]
        return missing

    def install_hint(self) -> str:
        """The command of the website's README that installs its node modules (theme included)."""
        readme = self.root / "README.md"
        lines = readme.read_text("utf-8", errors="replace").splitlines() if readme.is_file() else []
        for number, line in enumerate(lines, 1):
            if found := _INSTALL.match(line):
                return f"run `{found[1].strip()}` in {self.root} (its README.md:{number})"
        return f"install them as {self.root}/README.md says"

    def pinned_hugo(self) -> str | None:
        """The Hugo version the website builds with (``HUGO_VERSION`` in its netlify.toml), if it says."""
        netlify = self.root / "netlify.toml"
        if not netlify.is_file():
            return None
        found = re.search(r'^\s*HUGO_VERSION\s*=\s*"([^"]+)"', netlify.read_text("utf-8"), re.M)
        return found[1] if found else None

    def add_export(self, export: Path) -> None:
        """The export's posts, alone, in the overlay."""
        shutil.rmtree(self.content, ignore_errors=True)
        shutil.copytree(export / "content", self.content)

    def write_config(self) -> Path:
        """Our configuration, read after the site's: the overlay, the posts' segment, nothing in the checkout."""
        posts = [p.relative_to(self.content / "en") for p in exported_posts(self.content / "en")]
        pages = [str(Path("/", p.parent if p.name == "index.md" else p.with_suffix(""))) for p in posts]
        excluded = [str(p.parent / "**") if p.name == "index.md" else str(p) for p in posts]
        lines = [
            "# Written by k8s-blog: render the exported posts from an overlay; nothing is written in the checkout.",
            "enableGitInfo = false",
            f"resourceDir = {json.dumps(str(self.work / 'resources'))}",
            "[build.buildStats]", "enable = false",
            "[[module.mounts]]", f"source = {json.dumps(str(self.content / 'en'))}", 'target = "content"',
            'lang = "en"',
            "[[module.mounts]]", f"source = {json.dumps(str(self.config().get('contentDir', 'content')))}",
            'target = "content"', 'lang = "en"',
            f"excludeFiles = {json.dumps(excluded)}",
            f"[[segments.{SEGMENT}.includes]]", f"path = {json.dumps('{' + ','.join(pages) + '}')}",
        ]
        self.work.mkdir(parents=True, exist_ok=True)
        path = self.work / "k8s-blog.toml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    def command(self, *extra: str, server: bool = False) -> list[str]:
        """``hugo`` (or ``hugo server``) in the checkout as its preview builds run, on the exported posts."""
        site_config = self.config_file()
        configs = ",".join(str(p) for p in (site_config, self.write_config()) if p is not None)
        return [hugo_binary(), *(["server"] if server else []), "--source", str(self.root), "--config", configs,
                "--buildDrafts", "--buildFuture", "--environment", "preview", "--renderSegments", SEGMENT,
                "--noBuildLock", "--cacheDir", str(self.work / "cache"), "--destination", str(self.public), *extra]

    @property
    def public(self) -> Path:
        """Where Hugo writes the site (``hugo server`` too, which renders to disk): ours, not the checkout's."""
        return self.work / "public"

    def render(self) -> Render:
        shutil.rmtree(self.public, ignore_errors=True)
        run = subprocess.run(self.command(), capture_output=True, text=True)
        missing = page_missing(self.public, self.content) if run.returncode == 0 else []
        return Render(run.returncode, run.stdout + run.stderr, missing)


def _node_packages(folder: Path) -> set[str]:
    """The packages a package.json in *folder* depends on (dependencies and devDependencies)."""
    try:
        data = json.loads((folder / "package.json").read_text("utf-8"))
    except (OSError, ValueError):
        return set()
    return {name for key in ("dependencies", "devDependencies") for name in (data.get(key) or {})}
