"""``make linkcheck``: Sphinx's linkcheck on the posts; without a network, one line instead of a failure per link."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pytest

from helpers import cli, make_project
from hugo_export.qa.linkcheck import linkcheck


def test_unreachable_network_is_said_plainly(tmp_path: Path):
    links = "\n".join(f"- [link {i}](https://host{i}.invalid/page)" for i in range(50))
    src = make_project(tmp_path, f"Links:\n\n{links}\n", bibliography=False)
    # No network reaches a .invalid host (RFC 2606), here or anywhere.
    run = cli("linkcheck", "--source", str(src), "--build", str(tmp_path / "_build"), "--probe", "probe.invalid")
    assert run.returncode == 2
    lines = (run.stdout + run.stderr).strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("linkcheck: no network: cannot reach probe.invalid:443")
    assert "no link was checked" in lines[0]


class Pages(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200 if self.path == "/ok" else 404)
        self.end_headers()
        self.wfile.write(b"<html><body>page</body></html>")

    do_HEAD = do_GET

    def log_message(self, *args: object) -> None:
        pass


def test_broken_links_are_found_on_a_local_server(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        src = make_project(tmp_path, f"A [good]({base}/ok) and a [bad]({base}/missing) link.\n", bibliography=False)
        status = linkcheck(src, tmp_path / "_build", "127.0.0.1", server.server_port)
    finally:
        server.shutdown()
    shown = capsys.readouterr()
    assert status == 2, shown.out + shown.err
    assert "linkcheck: 1 broken link(s)" in shown.out
    report = (tmp_path / "_build" / "linkcheck" / "output.txt").read_text()
    assert "/missing" in report and "/ok" not in report.replace("/missing", "")
