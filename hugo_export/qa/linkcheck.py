"""``make linkcheck``: Sphinx's linkcheck builder over the posts.

Without a network every link would fail one by one; we first try to reach
kubernetes.io (where the post is going) and, when it cannot be reached, say so
in one line and exit 2 (nothing was checked) instead of printing a failure per
link. A dead link of the article's own is linkcheck's to report, not a probe's.
"""

from __future__ import annotations

import socket
import sys
from pathlib import Path

from ..outputs import Options, run_sphinx


def reachable(host: str, port: int = 443, timeout: float = 5.0) -> str | None:
    """``None`` when *host* answers on *port*, else the reason it does not."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return None
    except OSError as err:
        return str(err) or err.__class__.__name__


def linkcheck(source: Path, build_dir: Path, probe: str = "kubernetes.io", port: int = 443) -> int:
    """Check every link of the posts; 2 when there is no network to check them on."""
    if (reason := reachable(probe, port)) is not None:
        print(f"linkcheck: no network: cannot reach {probe}:{port} ({reason}); no link was checked. "
              "Run make linkcheck on a machine with internet access.", file=sys.stderr)
        return 2
    outdir = build_dir / "linkcheck"
    overrides = {"linkcheck_timeout": 15, "linkcheck_retries": 2}
    status = run_sphinx(Options("linkcheck", source, build_dir), outdir, overrides).status
    report = outdir / "output.txt"
    if report.exists():
        broken = [ln for ln in report.read_text("utf-8").splitlines() if "[broken]" in ln]
        print(f"linkcheck: {len(broken)} broken link(s); report in {report}")
    return status
