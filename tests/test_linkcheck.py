"""``make linkcheck`` without a network says so in one line instead of a failure per link."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT, make_project


def test_unreachable_network_is_said_plainly(tmp_path: Path):
    links = "\n".join(f"- [link {i}](https://host{i}.invalid/page)" for i in range(50))
    src = make_project(tmp_path, f"Links:\n\n{links}\n", bibliography=False)
    # No network reaches a .invalid host (RFC 2606), here or anywhere.
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "linkcheck.py"), "--source", str(src),
                          "--build", str(tmp_path / "out"), "--probe", "probe.invalid"], capture_output=True, text=True)
    assert run.returncode == 2
    lines = (run.stdout + run.stderr).strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("linkcheck: no network: cannot reach probe.invalid:443")
    assert "no link was checked" in lines[0]
