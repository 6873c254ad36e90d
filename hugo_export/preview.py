"""``make preview``: the post as the blog will show it, rebuilt on save.

Serves the stand-in site (:mod:`hugo_export.qa.site`) with ``hugo server`` on
127.0.0.1. The export is copied into the site's own content directory, which
Hugo watches; a poll of the sources re-runs the export on every save and
copies the result in, so an edit shows in the browser about a second later:
``make bench`` measures it (half the time is the rebuild, most of the rest
Hugo's own wait before it reacts to changed files).
"""

from __future__ import annotations

import filecmp
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .qa.site import StandInSite, hugo_binary


def sources_stamp(paths: list[Path]) -> float:
    files = (p for d in paths for p in ([d] if d.is_file() else d.rglob("*")) if p.is_file())
    return max((p.stat().st_mtime for p in files), default=0)


def sync(export: Path, site: Path) -> None:
    """Copy changed export files into the site (Hugo sees in-place writes)."""
    content = export / "content"
    for source in content.rglob("*"):
        target = site / "content" / source.relative_to(content)
        if source.is_file() and not (target.exists() and filecmp.cmp(source, target, shallow=False)):
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)


def serve(source: Path, build_dir: Path, port: int, build_args: list[str]) -> int:
    """Serve the export until interrupted, re-exporting on every save."""
    export, site = build_dir / "hugo", build_dir / "preview-site"
    StandInSite(site)
    sync(export, site)
    server = subprocess.Popen([hugo_binary(), "server", "--source", str(site), "--bind", "127.0.0.1",
                               "--port", str(port), "--buildDrafts", "--disableFastRender"])
    rebuild = [sys.executable, "-m", "hugo_export", "build", "hugo", "--source", str(source),
               "--build", str(build_dir), *build_args]
    watched = [source, *source.resolve().parent.glob("*.bib")]  # what the export depends on
    stamp = sources_stamp(watched)
    try:
        while server.poll() is None:
            time.sleep(0.1)  # a stat of the sources per poll: cheap next to the rebuild
            if (now := sources_stamp(watched)) != stamp:
                stamp = now
                if subprocess.run(rebuild).returncode == 0:
                    sync(export, site)
    except KeyboardInterrupt:
        pass
    finally:
        server.terminate()
        server.wait()
    return 0
