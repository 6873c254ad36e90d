"""``make linkcheck``: Sphinx's linkcheck builder over the article.

Without a network every link would fail one by one; we first try to reach
kubernetes.io (where the post is going) and, when it cannot be reached, say so
in one line and exit 2 (nothing was checked) instead of printing a failure per
link. A dead link of the article's own is linkcheck's to report, not a probe's.
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
from pathlib import Path


def reachable(host: str, timeout: float = 5.0) -> str | None:
    """``None`` when *host* answers on port 443, else the reason it does not."""
    try:
        with socket.create_connection((host, 443), timeout=timeout):
            return None
    except OSError as err:
        return str(err) or err.__class__.__name__


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=Path("source"))
    parser.add_argument("--build", type=Path, default=Path("_build/linkcheck"))
    parser.add_argument("--probe", default="kubernetes.io", help="host that must answer for a network to count")
    args = parser.parse_args(argv)
    host = args.probe
    if (reason := reachable(host)) is not None:
        print(f"linkcheck: no network: cannot reach {host}:443 ({reason}); no link was checked. "
              "Run make linkcheck on a machine with internet access.", file=sys.stderr)
        return 2
    sphinx = [sys.executable, "-m", "hugo_export.build", "-b", "linkcheck", "-q",
              "-D", "linkcheck_timeout=15", "-D", "linkcheck_retries=2"]
    run = subprocess.run([*sphinx, str(args.source), str(args.build)])
    report = args.build / "output.txt"
    if report.exists():
        broken = [ln for ln in report.read_text("utf-8").splitlines() if "[broken]" in ln]
        print(f"linkcheck: {len(broken)} broken link(s); report in {report}")
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
