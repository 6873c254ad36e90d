"""``make preview``: the post served by hugo server on 127.0.0.1, rebuilt on save, stopped by each of its signals."""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from helpers import BIN, EPOCH, ROOT, build, env, make_project

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
FIGURE = "\n```{figure} diagram.svg\n:alt: A diagram\n\nThe caption.\n```\n"


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
        time.sleep(0.1)
    return page


def assert_freed(port: int) -> None:
    """Nothing listens on *port* any more, at the latest a second from now."""
    deadline = time.monotonic() + 1
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        except ConnectionRefusedError:
            return
        assert time.monotonic() < deadline, f"hugo server still holds port {port} a second after the preview ended"
        time.sleep(0.05)


class Preview:
    """A running preview, its printed lines read as they come (the pipe never fills)."""

    def __init__(self, command: list[str]) -> None:
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        env=env(), start_new_session=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout or []:
            self.lines.put(line)

    def url(self, seconds: float = 60) -> str:
        """The first page address the preview prints."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                continue
            self.seen.append(line)
            if line.startswith("preview: http"):
                return line.split()[1]
        raise AssertionError("the preview printed no page address:\n" + "".join(self.seen))

    def stop(self, signum: int) -> None:
        """Send *signum* to the process started (not its group), and wait for its end."""
        os.kill(self.process.pid, signum)
        self.process.wait(timeout=10)

    def __enter__(self) -> Preview:
        return self

    def __exit__(self, *exc: object) -> None:
        """After a failure: the preview's process group stopped as a terminal's Ctrl-C would."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project whose export is up to date for the preview (the same SOURCE_DATE_EPOCH)."""
    src = make_project(tmp_path_factory.mktemp("preview"), "The words of the post.\n", bibliography=False)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        assert build(src, "hugo").status == 0
    return src


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
def test_each_stop_signal_ends_the_hugo_server_too(exported: Path, signum: signal.Signals):
    port = free_port()
    with Preview([str(BIN / "k8s-blog"), "preview", "--source", str(exported),
                  "--build", str(exported.parent / "_build"), "--port", str(port)]) as preview:
        url = preview.url()
        assert url == f"http://127.0.0.1:{port}/blog/1/01/01/test-post/"
        assert "The words of the post." in fetch(url, "The words of the post.", 20)
        preview.stop(signum)
        assert preview.process.returncode == 0
    assert_freed(port)


def test_make_preview_shows_edits_mirrors_deletions_and_stops_with_make(tmp_path: Path):
    src = make_project(tmp_path, "The first version.\n" + FIGURE, bibliography=False, files={"diagram.svg": SVG})
    build_dir = tmp_path / "_build"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        assert build(src, "hugo").status == 0
    port = free_port()
    with Preview(["make", "--no-print-directory", "-s", "-C", str(ROOT), "preview", f"SRC={src}",
                  f"BUILD={build_dir}", f"PORT={port}"]) as preview:
        url = preview.url()
        assert "The first version." in fetch(url, "The first version.", 20)
        post = src / "post.md"
        post.write_text(post.read_text().replace("The first version.", "The second version.").replace(FIGURE, ""))
        # The post loses its only figure: its page bundle becomes a plain file, and the old bundle must go.
        assert "The second version." in fetch(url, "The second version.", 20)
        served = build_dir / "preview-site/content/en/blog/_posts/2026"
        assert sorted(p.name for p in served.iterdir()) == ["test-post.md"]
        preview.stop(signal.SIGTERM)  # to make alone, which passes it on to the preview, then ends by it
    assert_freed(port)
