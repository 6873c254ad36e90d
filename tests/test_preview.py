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

from helpers import BIN, EPOCH, ROOT, HugoSite, build, env, front_matter, make_project, wait_for

pytestmark = pytest.mark.slow  # signals and servers in real time

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


def preview_command(src: Path, port: int, *extra: str) -> list[str]:
    return [str(BIN / "k8s-blog"), "preview", "--source", str(src), "--build", str(src.parent / "_build"),
            "--port", str(port), *extra]


def test_a_future_post_is_served_in_its_publish_form(tmp_path: Path):
    """The publish form is dated; a date after today must still be previewed, as the website's previews build
    future posts (make preview PUBLISH=1 served a 404)."""
    src = make_project(tmp_path, "The words of a post for later.\n", bibliography=False,
                       front=front_matter(date="2099-06-01").replace("date: 2026-12-10\n", ""))
    port = free_port()
    with Preview(preview_command(src, port, "--publish")) as preview:
        url = preview.url()
        assert url == f"http://127.0.0.1:{port}/blog/2099/06/01/test-post/"
        assert "The words of a post for later." in fetch(url, "The words of a post for later.", 30)
        preview.stop(signal.SIGTERM)
    assert_freed(port)


def test_sigkill_to_the_preview_takes_its_hugo_server_along(exported: Path):
    """adversarial-3 F15: a preview killed by SIGKILL left hugo server holding the port."""
    port = free_port()
    with Preview(preview_command(exported, port)) as preview:
        url = preview.url()
        assert "The words of the post." in fetch(url, "The words of the post.", 20)
        preview.stop(signal.SIGKILL)
        assert preview.process.returncode == -signal.SIGKILL
    assert_freed(port)


def test_a_server_left_behind_is_stopped_by_the_next_preview(exported: Path):
    """The Hugo server a preview recorded, when that preview is gone (killed before it could stop it), is
    stopped by the next preview of the same build, which then serves on the same port."""
    port = free_port()
    build_dir = exported.parent / "_build"
    left = HugoSite(build_dir / "left-behind")  # a server of this build, as an earlier preview started it
    left.add_export(build_dir / "hugo")
    orphan = subprocess.Popen(left.command("--bind", "127.0.0.1", "--port", str(port), server=True),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for(lambda: listening(port), 30)
        start = Path(f"/proc/{orphan.pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
        record = build_dir / ".hugo-server"
        record.write_text(f"{orphan.pid} {start} 4194304 0\n")  # its preview: a pid above Linux's limit, gone
        with Preview(preview_command(exported, port)) as preview:
            url = preview.url()
            assert "The words of the post." in fetch(url, "The words of the post.", 20)
            assert orphan.poll() is not None
            preview.stop(signal.SIGINT)
        assert any("stopping the Hugo server" in line for line in preview.seen)
    finally:
        if orphan.poll() is None:
            os.killpg(orphan.pid, signal.SIGKILL)
        orphan.wait()
    assert_freed(port)


def listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
    except OSError:
        return False
    return True


def test_with_a_website_the_post_is_served_in_that_websites_look(tmp_path: Path):
    from test_website import BODY, untouched, website

    site = website(tmp_path / "website")
    src = make_project(tmp_path / "project", BODY)
    port = free_port()
    with Preview(preview_command(src, port, "--website", str(site))) as preview:
        url = preview.url()
        page = fetch(url, "own-tooltip", 60)
        assert '<body class="own-site">' in page and 'title="A term *only* this website has.' in page
        preview.stop(signal.SIGTERM)
    assert any(f"preview: in {site}, with its own configuration" in line for line in preview.seen)
    assert_freed(port)
    assert untouched(site) == ""
