"""``make preview``: the post as the blog will show it, rebuilt on save, and stopped cleanly.

Serves the stand-in site (:mod:`hugo_export.qa.site`) with ``hugo server`` on
127.0.0.1 and prints each post's page; a draft has no date, so it is at
``/blog/1/01/01/<slug>/``, as on the deploy preview of its pull request.

``watchfiles`` reports each save under the sources (inotify, no polling); the
export is rebuilt and mirrored into the site's content directory, which Hugo
watches: changed files are rewritten in place, files the export no longer has
are removed, so a post that loses its page bundle leaves no stale bundle to
win over it. ``make bench`` measures edit to page.

Hugo runs in a process group of its own, which Ctrl-C at a terminal does not
reach; SIGINT, SIGTERM and SIGHUP to the preview stop it, and Hugo with it,
before the preview exits, so the port is free again.
"""

from __future__ import annotations

import datetime as dt
import filecmp
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

from watchfiles import watch

from . import atomic
from .build import Options, build
from .post import page_path, post_name, read_front_matter
from .qa.site import StandInSite

#: The signals that stop the preview.
STOPS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def mirror(export: Path, site: Path) -> None:
    """Make ``site/content`` hold exactly what ``export/content`` holds."""
    source, target = export / "content", site / "content"
    wanted = {p.relative_to(source) for p in source.rglob("*") if p.is_file()}
    for path in sorted(target.rglob("*"), reverse=True):  # a folder's files before the folder
        if path.is_dir():
            if not any(path.iterdir()):
                path.rmdir()
        elif path.relative_to(target) not in wanted:
            path.unlink()
    for relative in sorted(wanted):
        new, old = source / relative, target / relative
        if not (old.is_file() and filecmp.cmp(new, old, shallow=False)):
            old.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(new, old)


def page_urls(export: Path, port: int) -> list[str]:
    """The address of each exported post's page on the preview server."""
    urls = []
    for post in sorted((export / "content").rglob("*.md")):
        front = read_front_matter(post)
        data = front.data if front else {}
        date = data.get("date")
        slug = str(data.get("slug") or post_name(post))
        urls.append(f"http://127.0.0.1:{port}{page_path(slug, date if isinstance(date, dt.date) else None)}")
    return urls


def stop(server: subprocess.Popen[bytes]) -> None:
    """End the Hugo server's process group, and wait for it."""
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=5)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
    server.wait()


def serve(options: Options, port: int) -> int:
    """Serve the export until a stop signal, re-exporting on every save; 1 if Hugo stops by itself."""
    export, site = options.outdir, options.build / "preview-site"
    watched = [options.source, *sorted(options.source.resolve().parent.glob("*.bib"))]  # what the export reads
    hugo_ended = threading.Event()
    server, interrupted = None, False
    previous = {sig: signal.signal(sig, signal.default_int_handler) for sig in STOPS}
    try:
        stand_in = StandInSite(site)
        mirror(export, site)
        server = subprocess.Popen(stand_in.command("--bind", "127.0.0.1", "--port", str(port), "--disableFastRender",
                                                   server=True), start_new_session=True)
        threading.Thread(target=_when_ended, args=(server, hugo_ended), daemon=True).start()
        urls = show(page_urls(export, port), [])
        for _changes in watch(*watched, stop_event=hugo_ended):
            # In this process: Sphinx stays imported, a third of each rebuild on a cold process.
            if (rebuilt := build(options)).status == 0 or rebuilt.whole:
                with atomic.build_lock(options.build, "preview"):  # no other build swaps the export while it is copied
                    mirror(export, site)
                urls = show(page_urls(export, port), urls)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        for sig in STOPS:  # a second Ctrl-C must not cut the clean-up short
            signal.signal(sig, signal.SIG_IGN)
        if server is not None:
            stop(server)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if interrupted:
        return 0
    print(f"preview: hugo server stopped by itself (exit status {server.returncode if server else '?'}); "
          "its messages are above", file=sys.stderr)
    return 1


def _when_ended(server: subprocess.Popen[bytes], ended: threading.Event) -> None:
    server.wait()
    ended.set()


def show(urls: list[str], shown: list[str]) -> list[str]:
    """Print the pages' addresses when they change (a new post, a new slug or date)."""
    if urls != shown:
        for url in urls:
            print(f"preview: {url}", flush=True)
    return urls
