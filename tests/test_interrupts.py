"""Never lose, never half-write: builds killed at several points, and two builds at once.

(The PDF's own interrupt, the reviewers' wedge, is tested in test_pdf.py on its built project.)

Each build is the real command (``k8s-blog``, what every make target runs) in
its own process group, as a terminal's Ctrl-C reaches it. After each kill the
output must be the previous one or a complete new one, never missing or
mixed, and the next plain build must succeed with the new output.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import make_project, start, wait_for

pytestmark = pytest.mark.slow  # signals and servers in real time

OPENING = "Version {v} of the opening words, long enough to be a paragraph of a post about nothing much."


def digest(folder: Path) -> str:
    """One hash of every output file (fingerprints and leftovers of killed runs excluded)."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    h = hashlib.sha256()
    for path in files:
        h.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest() if files else ""


def staging_exists(build: Path) -> Callable[[], bool]:
    return lambda: any(p.name.startswith(".staging-") for p in build.glob("*"))


def project(tmp_path: Path, version: int) -> tuple[Path, Path]:
    src = make_project(tmp_path, OPENING.format(v=version) + "\n\n## A part\n\nText {cite:p}`kaplan2016sev`.\n")
    return src, tmp_path / "_build"


def set_version(src: Path, version: int) -> None:
    post = src / "post.md"
    post.write_text(re.sub(r"Version \d+", f"Version {version}", post.read_text()))


# When to interrupt: once the staging folder appears (Sphinx at work), or after some seconds.
POINTS: list[tuple[signal.Signals, str | float]] = [
    (signal.SIGINT, "staging"),
    (signal.SIGKILL, "staging"),
    (signal.SIGTERM, 0.3),
]


def test_a_killed_build_leaves_the_old_output_or_the_new_one_and_the_next_build_works(tmp_path: Path):
    builder = "hugo"
    src, build = project(tmp_path, 0)
    args = ["build", builder, "--source", str(src), "--build", str(build)]
    assert start(*args).wait() == 0
    outputs = {0: digest(build / builder)}
    for version, (sig, when) in enumerate(POINTS, 1):
        set_version(src, version)
        proc = start(*args)
        if when == "staging":
            wait_for(staging_exists(build))
        else:
            time.sleep(float(when))  # a number of seconds
        os.killpg(proc.pid, sig)
        proc.wait()
        now = digest(build / builder)
        assert now in outputs.values() or proc.returncode == 0, (sig, when)
        again = start(*args)
        log = again.communicate()[0]
        assert again.returncode == 0, log
        outputs[version] = digest(build / builder)
        assert outputs[version] not in (outputs[version - 1], ""), (sig, when)
    assert not [p for p in build.rglob(".staging-*")]


def test_two_builds_at_once_wait_for_each_other(tmp_path: Path):
    src, build = project(tmp_path, 0)
    args = ["build", "hugo", "--source", str(src), "--build", str(build)]
    assert start(*args).wait() == 0
    for version in (1,):
        set_version(src, version)
        pair = [start(*args), start(*args)]
        logs = [p.communicate()[0] for p in pair]
        assert [p.returncode for p in pair] == [0, 0], logs
        post = (build / "hugo/content/en/blog/_posts/2026/test-post.md").read_text()
        assert f"Version {version} of" in post
    html = ["build", "html", "--source", str(src), "--build", str(build)]
    pair = [start(*html), start(*args), start(*html)]
    logs = [p.communicate()[0] for p in pair]
    assert [p.returncode for p in pair] == [0, 0, 0], logs
    assert any("another build is using" in log for log in logs)
    assert (build / "html" / "post.html").is_file() and not (build / "html" / "html").exists()


def test_an_output_a_killed_swap_left_aside_is_put_back(tmp_path: Path):
    """SIGKILL between replace_dir's two renames: the old output waits in a trash folder."""
    from hugo_export import atomic

    build = tmp_path / "_build"
    (build / "hugo").mkdir(parents=True)
    (build / "hugo" / "post.md").write_text("the previous export")
    trash = build / f"{atomic.TRASH}hugo-x1"
    trash.mkdir()
    (build / "hugo").rename(trash / "hugo")  # the first rename done, the second never came
    with atomic.build_lock(build, "test"):
        pass
    assert (build / "hugo" / "post.md").read_text() == "the previous export"
    assert not trash.exists()
