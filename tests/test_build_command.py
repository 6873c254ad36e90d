"""``python -m hugo_export.build`` behaves as ``sphinx-build`` does, only ends sooner.

It leaves the process with ``os._exit``; these tests hold it to the same exit
status, the same printed lines (stdout is a pipe here, so a missing flush
loses them) and the same files as ``sphinx-build`` for a good build, a build
with a warning under ``-W`` and a build a check stops.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import make_project

SPHINX_BUILD = [str(Path(sys.executable).parent / "sphinx-build")]
OURS = [sys.executable, "-m", "hugo_export.build"]
# Sphinx prints sets (the seed fixes their order); stdout is a buffered pipe, as under make
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}, "PYTHONHASHSEED": "0"}


def run(command: list[str], src: Path, where: Path, *options: str) -> tuple[int, str, str, dict[str, bytes]]:
    """Exit status, stdout, stderr and the files written, building into *where*/out.

    Run from *where*, so both commands print the same relative output path;
    absolute paths under *where* read WHERE.
    """
    out = where / "out"
    where.mkdir()
    done = subprocess.run(
        [*command, "-b", "hugo", "--no-color", *options, str(src), "out"],
        capture_output=True, text=True, env=ENV, cwd=where,
    )
    files = {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and ".doctrees" not in p.parts
    }
    return done.returncode, done.stdout.replace(str(where), "WHERE"), done.stderr.replace(str(where), "WHERE"), files


GOOD = "Kubernetes needs {cite:link}`a TEE <kaplan2016sev>`."
CASES = {  # body, bib (None: the default), options, expected status
    "good build": (GOOD, None, (), 0),
    # -q: nothing is logged to stdout after conf.py's print, so only a flush brings it out
    "good build, quiet": (GOOD, None, ("-q",), 0),
    "warning under -W": ("Kubernetes needs {cite:link}`a TEE <nosuchkey2020>`.", None, ("-W", "--keep-going"), 1),
    "stopped by the bib check": (GOOD, "@article{broken,\n  title = {x\n", ("-W", "--keep-going"), 2),
}


@pytest.mark.parametrize("case", CASES)
def test_same_status_output_and_files_as_sphinx_build(tmp_path: Path, case: str) -> None:
    body, bib, options, status = CASES[case]
    # conf.py prints, as authors' debugging does: lost if the buffer is not flushed
    src = make_project(tmp_path, body, conf='print("conf.py was read")', **({"bib": bib} if bib else {}))
    theirs = run(SPHINX_BUILD, src, tmp_path / "theirs", *options)
    ours = run(OURS, src, tmp_path / "ours", *options)
    assert ours[0] == theirs[0] == status
    assert ours[1] == theirs[1]
    assert ours[2] == theirs[2]
    assert ours[3] == theirs[3]
    assert "conf.py was read" in ours[1]
    if status == 0:
        assert any(name.endswith("test-post.md") for name in ours[3])
