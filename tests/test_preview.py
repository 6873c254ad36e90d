"""``make preview``: the post served by hugo server on 127.0.0.1, rebuilt on save."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from helpers import ROOT, make_project


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, want: str, seconds: float) -> str:
    """The page at *url* once it contains *want* (or the last page seen)."""
    deadline, page = time.monotonic() + seconds, ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                page = response.read().decode("utf-8")
            if want in page:
                return page
        except OSError:
            pass
        time.sleep(0.2)
    return page


def test_preview_serves_the_post_and_shows_an_edit(tmp_path: Path):
    src = make_project(tmp_path, "The first version of the opening words.\n", bibliography=False)
    build = tmp_path / "_build"
    make = ["make", "--no-print-directory", "-s", "-C", str(ROOT), f"SRC={src}", f"BUILD={build}"]
    assert subprocess.run([*make, "hugo"], capture_output=True).returncode == 0
    port = free_port()
    preview = subprocess.Popen([*make, "preview", f"PORT={port}"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        home = f"http://127.0.0.1:{port}/"
        index = fetch(home, "test-post/", 30)
        link = re.search(r'href="(/blog/[^"]*test-post/)"', index)
        assert link, index
        url = home.rstrip("/") + link[1]
        assert "The first version" in fetch(url, "The first version", 10)
        post = src / "post.md"
        post.write_text(post.read_text().replace("The first version", "The second version"))
        assert "The second version" in fetch(url, "The second version", 20)
    finally:
        os.killpg(preview.pid, 15)
        preview.wait(timeout=10)
