"""``make preview``: the post as the blog will show it, rebuilt on save.

Serves the test fixture site (kubernetes/website's markup settings and
shortcode parameters) with ``hugo server`` on 127.0.0.1. The export is copied
into the site's own content directory, which Hugo watches; a poll of the
sources re-runs ``make hugo`` (incremental) on every save and copies the
result in, so an edit shows in the browser about a second later: ``make
bench`` measures it (half the time is the rebuild, most of the rest Hugo's
own wait before it reacts to changed files).
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hugo_export.verify import FixtureSite, hugo_binary  # noqa: E402


def sources_stamp(paths: list[Path]) -> float:
    return max((p.stat().st_mtime for d in paths for p in ([d] if d.is_file() else d.rglob("*")) if p.is_file()), default=0)


def sync(export: Path, site: Path) -> None:
    """Copy changed export files into the site (Hugo sees in-place writes)."""
    content = export / "content"
    for source in content.rglob("*"):
        target = site / "content" / source.relative_to(content)
        if source.is_file() and not (target.exists() and filecmp.cmp(source, target, shallow=False)):
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ROOT / "source")
    parser.add_argument("--build", type=Path, default=ROOT / "_build", help="make's BUILD directory")
    parser.add_argument("--port", type=int, default=1313)
    args = parser.parse_args(argv)
    export, site = args.build / "hugo", args.build / "preview-site"
    FixtureSite(ROOT / "tests" / "hugo_site", site)
    sync(export, site)
    server = subprocess.Popen([hugo_binary(), "server", "--source", str(site), "--bind", "127.0.0.1",
                               "--port", str(args.port), "--buildDrafts", "--disableFastRender"])
    rebuild = ["make", "-s", "-C", str(ROOT), "hugo", f"SRC={args.source}", f"BUILD={args.build}"]
    watched = [args.source, *args.source.resolve().parent.glob("*.bib")]  # as make hugo depends on them
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


if __name__ == "__main__":
    sys.exit(main())
