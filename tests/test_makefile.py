"""The Makefile: each target one call of the command line, no input reaching a shell,
options from the command line only."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from helpers import ROOT, make, make_project

OPENING = "The opening words of a test post, long enough to say something about the subject at hand."


def front(post: Path) -> dict[str, object]:
    return yaml.safe_load(post.read_text("utf-8").split("---\n")[1])


def test_a_file_name_never_reaches_a_shell(tmp_path: Path):
    src = make_project(tmp_path, OPENING)
    witness = ROOT / "pwned-by-a-file-name"  # make runs in the repository: a command would write here
    (src / "x'$(touch pwned-by-a-file-name)'.svg").write_bytes(b"<svg/>")
    (src / 'y"`touch pwned-by-a-file-name`".svg').write_bytes(b"<svg/>")
    (src / "Screenshot 2026-01-01 at 10.00.png").write_bytes(b"")
    try:
        run = make("hugo", src, tmp_path / "_build")  # the Makefile lists no file: one target tells
        assert run.returncode == 0, run.stdout + run.stderr
        assert not witness.exists()
    finally:
        witness.unlink(missing_ok=True)


def test_values_on_the_command_line_stay_literal(tmp_path: Path):
    src = make_project(tmp_path, OPENING)
    witness = tmp_path / "pwned"
    run = make("pr", src, tmp_path / "_build", f"WEBSITE=$(touch {witness})'\"", "DRY_RUN=1")
    assert run.returncode != 0 and "is not a git checkout" in run.stderr
    assert not witness.exists()


def test_options_come_from_the_command_line_not_the_environment(tmp_path: Path):
    src = make_project(tmp_path, OPENING)
    run = make("hugo", src, tmp_path / "_build", PUBLISH="1", ALLOW_TODO="1", POST="nothing")
    assert run.returncode == 0, run.stdout + run.stderr
    post = tmp_path / "_build" / "hugo/content/en/blog/_posts/2026/test-post.md"
    assert front(post)["draft"] is True
    given = make("hugo", src, tmp_path / "_build", "-n", "PUBLISH=1", "POST=test-post")  # what make would run
    assert given.returncode == 0 and "--publish" in given.stdout and "--post 'test-post'" in given.stdout


def test_nothing_changed_nothing_runs_and_make_prints_no_plumbing(tmp_path: Path):
    src = make_project(tmp_path, OPENING)
    first = make("hugo", src, tmp_path / "_build")
    assert first.returncode == 0 and first.stdout.strip().endswith("_posts/2026/test-post.md")
    again = make("hugo", src, tmp_path / "_build")
    assert again.returncode == 0 and "up to date" in again.stdout
    assert not re.search(r"k8s-blog|\|\||\$\(", first.stdout + again.stdout)


def test_pr_refuses_allow_todo(tmp_path: Path):
    src = make_project(tmp_path, OPENING)
    run = make("pr", src, tmp_path / "_build", f"WEBSITE={tmp_path}", "ALLOW_TODO=1")
    assert run.returncode == 2 and "never carries open TODOs" in run.stderr
