"""``make preview``: the post as the blog will show it, rebuilt on save, and stopped cleanly.

Serves the stand-in site (:mod:`hugo_export.qa.site`), or with ``WEBSITE=path``
the author's own kubernetes/website checkout (:mod:`hugo_export.qa.website`,
the post in the website's own look), with ``hugo server`` on 127.0.0.1, and
prints each post's page. Drafts and future posts are built, as the website's
previews build them; a draft has no date, so it is at ``/blog/1/01/01/<slug>/``,
as on the deploy preview of its pull request. A post the server makes no page
for is an error naming it.

``watchfiles`` reports each save under the sources (inotify, no polling); the
export is rebuilt and mirrored into the site's content directory, which Hugo
watches: changed files are rewritten in place, files the export no longer has
are removed, so a post that loses its page bundle leaves no stale bundle to
win over it. ``make bench`` measures edit to page.

Hugo runs in a process group of its own, which Ctrl-C at a terminal does not
reach; SIGINT, SIGTERM and SIGHUP to the preview stop it, and Hugo with it,
before the preview exits, so the port is free again. A preview that dies
without a chance to (SIGKILL) takes Hugo along too: Hugo is started with the
kernel's parent-death signal set (``PR_SET_PDEATHSIG``, Linux). And each
server's pid and start time are kept in the site folder, so the next preview
of the same build stops a server an earlier one left behind all the same.
"""

from __future__ import annotations

import contextlib
import ctypes
import filecmp
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from watchfiles import watch

from . import atomic
from .glossary import glossary
from .outputs import Options, build
from .qa.site import StandInSite, exported_posts, post_page
from .qa.website import WebsiteRender

#: The signals that stop the preview.
STOPS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
#: In the site folder: the pid and start time of the Hugo server serving it.
SERVER_FILE = ".hugo-server"
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def mirror(source: Path, target: Path) -> None:
    """Make the folder *target* hold exactly what *source* holds."""
    wanted = {p.relative_to(source) for p in source.rglob("*") if p.is_file()}
    target.mkdir(parents=True, exist_ok=True)
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
    return [f"http://127.0.0.1:{port}{post_page(post)}" for post in exported_posts(export / "content")]


def started_at(pid: int) -> str | None:
    """When process *pid* started (clock ticks since boot, from /proc), or ``None`` if there is none."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def alive(pid: int, start: str) -> bool:
    """Whether the process *pid* that started at *start* still runs (not another that got its pid since)."""
    return started_at(pid) == start


def serves(pid: int, build_dir: Path) -> bool:
    """Whether process *pid* is a ``hugo server`` of a site under *build_dir* (its command line says so)."""
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return b"server" in words and any(os.fsencode(build_dir.resolve()) in word for word in words)


def stop_stale(build_dir: Path) -> str | None:
    """Stop the Hugo server an earlier preview of *build_dir* left running when it died without stopping it
    (SIGKILL before the parent-death signal was set, or a preview of an older pipeline). Returns why this
    preview cannot start instead, when that earlier preview still runs."""
    record = build_dir / SERVER_FILE
    try:
        server, server_start, preview, preview_start = record.read_text().split()
    except (OSError, ValueError):
        return None
    if alive(int(preview), preview_start):
        return f"another preview of {build_dir} runs (pid {preview}); stop it first (Ctrl-C where it runs)"
    if alive(int(server), server_start) and serves(int(server), build_dir):
        print(f"preview: stopping the Hugo server (pid {server}) an earlier preview left running", file=sys.stderr)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(int(server), signal.SIGTERM)
        deadline = time.monotonic() + 5
        while alive(int(server), server_start) and time.monotonic() < deadline:
            time.sleep(0.05)
        with contextlib.suppress(ProcessLookupError):
            if alive(int(server), server_start):
                os.killpg(int(server), signal.SIGKILL)
    record.unlink(missing_ok=True)
    return None


def die_with(parent: int) -> Callable[[], None]:
    """A ``preexec_fn`` that makes the child get SIGTERM when *parent* dies, even by SIGKILL."""
    libc = ctypes.CDLL(None, use_errno=True)  # loaded here: the child only calls it

    def preexec() -> None:
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the signal was set
            os._exit(1)

    return preexec


def start_server(command: list[str], build_dir: Path) -> subprocess.Popen[bytes]:
    """``hugo server`` in a process group of its own, which dies with this process, recorded in *build_dir*."""
    me = os.getpid()
    server = subprocess.Popen(command, start_new_session=True, preexec_fn=die_with(me))
    record = f"{server.pid} {started_at(server.pid)} {me} {started_at(me)}\n"
    atomic.replace_file(record.encode(), build_dir / SERVER_FILE)
    return server


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


def missing_pages(urls: list[str], server: subprocess.Popen[bytes]) -> list[str]:
    """The pages of *urls* the server answers with "not found", once it answers (while it runs)."""
    missing = []
    for url in urls:
        while server.poll() is None:
            try:
                with urllib.request.urlopen(url, timeout=5):
                    break
            except urllib.error.HTTPError as err:
                if err.code == 404:
                    missing.append(url)
                break
            except OSError:  # not listening yet
                time.sleep(0.2)
    return missing


def serve(options: Options, port: int) -> int:
    """Serve the export until a stop signal, re-exporting on every save; 1 if Hugo stops by itself,
    or makes no page for a post."""
    if refusal := stop_stale(options.build):
        print(f"preview: {refusal}", file=sys.stderr)
        return 1
    export = options.outdir
    watched = [options.source, *options.project.bibfiles]  # what the export reads
    hugo_ended = threading.Event()
    server, interrupted = None, False
    previous = {sig: signal.signal(sig, signal.default_int_handler) for sig in STOPS}
    try:
        # Empty sets come every 200 ms; the first says the watcher is set up: an edit made from then on,
        # even before the page is first served, is seen.
        saves = watch(*watched, stop_event=hugo_ended, yield_on_timeout=True, rust_timeout=200)
        next(saves)
        site = preview_site(options)
        mirror(export / "content" / "en", site.content / "en")
        command = site.command("--bind", "127.0.0.1", "--port", str(port), "--disableFastRender", server=True)
        server = start_server(command, options.build)
        threading.Thread(target=_when_ended, args=(server, hugo_ended), daemon=True).start()
        if missing := missing_pages(page_urls(export, port), server):  # the addresses shown are served
            for url in missing:
                print(f"preview: error: Hugo made no page at {url}; the post is not served", file=sys.stderr)
            return 1
        urls = show(page_urls(export, port), [])
        for changes in saves:
            # In this process: Sphinx stays imported, a third of each rebuild on a cold process.
            if changes and ((rebuilt := build(options)).status == 0 or rebuilt.whole):
                with atomic.build_lock(options.build, "preview"):  # no other build swaps the export while it is copied
                    mirror(export / "content" / "en", site.content / "en")
                urls = show(page_urls(export, port), urls)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        for sig in STOPS:  # a second Ctrl-C must not cut the clean-up short
            signal.signal(sig, signal.SIG_IGN)
        if server is not None:
            stop(server)
            (options.build / SERVER_FILE).unlink(missing_ok=True)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if interrupted:
        return 0
    print(f"preview: hugo server stopped by itself (exit status {server.returncode if server else '?'}); "
          "its messages are above", file=sys.stderr)
    return 1


def preview_site(options: Options) -> StandInSite | WebsiteRender:
    """The site to serve: the website checkout of ``WEBSITE=`` when it has what its build needs, else the
    stand-in (with that checkout's glossary)."""
    if options.website is None:
        return StandInSite(options.build / "preview-site")
    print(f"preview: glossary ids: {glossary(options.website).source}", flush=True)
    website = WebsiteRender(options.website, options.build / "preview-website")
    if lacking := website.lacking():
        print(f"preview: {options.website} lacks what its build needs: {', '.join(lacking)}; "
              f"{website.install_hint()}. Serving the stand-in site instead, with its glossary", flush=True)
        return StandInSite(options.build / "preview-site", glossary(options.website))
    print(f"preview: in {options.website}, with its own configuration, layouts and theme "
          "(a post added or renamed meanwhile shows after a restart)", flush=True)
    return website


def _when_ended(server: subprocess.Popen[bytes], ended: threading.Event) -> None:
    server.wait()
    ended.set()


def show(urls: list[str], shown: list[str]) -> list[str]:
    """Print the pages' addresses when they change (a new post, a new slug or date)."""
    if urls != shown:
        for url in urls:
            print(f"preview: {url}", flush=True)
    return urls
