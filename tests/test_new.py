"""``make new``: a post skeleton that builds, with one example of every construct the export supports."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from helpers import BIB, build, make, make_project
from hugo_export.new import new_post
from hugo_export.qa.check import run_checks

TODAY = dt.date(2026, 11, 30)


def without_todo(post: Path) -> None:
    text = post.read_text("utf-8")
    post.write_text(re.sub(r"```\{todo\}\n.*?\n```\n", "", text, flags=re.S), "utf-8")


def test_the_skeleton_builds_exports_and_checks_once_its_todo_is_gone(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]):
    src = make_project(tmp_path, bib=BIB.split("@techreport")[0])  # one entry, which the example cites
    assert new_post(src, "pod-security-in-practice", "Pod Security in Practice", TODAY) == 0
    post = src / "pod-security-in-practice" / "index.md"
    assert post.is_file() and (post.parent / "diagram.svg").is_file()
    assert build(src, "html").status == 0
    refused = build(src, "hugo")
    errors = re.findall(r"ERROR: (.*) \[hugo\.export\]", refused.output)
    assert refused.status != 0 and errors[0].startswith("open editorial TODO: Replace these examples")
    assert len([e for e in errors if not e.startswith("hugo export")]) == 1, refused.output  # but the summary
    without_todo(post)
    exported = build(src, "hugo")
    assert exported.status == 0, exported.output
    markdown = exported.post("pod-security-in-practice").read_text("utf-8")
    for shortcode in ("figure", "table", "note", "glossary_tooltip"):
        assert "{{< " + shortcode + " " in markdown or "{{< " + shortcode + " >}}" in markdown, shortcode
    assert "[^remark]" in markdown and "```yaml" in markdown
    assert "](/docs/concepts/containers/runtime-class/)" in markdown
    assert "date: 2026-12-14" in post.read_text("utf-8")
    capsys.readouterr()
    assert run_checks(src, tmp_path / "_build", "pod-security-in-practice") == 0, capsys.readouterr().out


def test_new_refuses_to_overwrite_and_bad_slugs(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    src = make_project(tmp_path, "Body.", name="taken")
    before = (src / "taken.md").read_text()
    assert new_post(src, "taken", today=TODAY) == 2
    assert new_post(src, "test-post", today=TODAY) == 2  # the slug of taken.md
    assert new_post(src, "Not A Slug", today=TODAY) == 2
    err = capsys.readouterr().err
    assert "already exists" in err and "is not a slug" in err
    assert (src / "taken.md").read_text() == before and not (src / "test-post").exists()


def test_make_new_through_the_makefile(tmp_path: Path):
    src = make_project(tmp_path)
    run = make("new", src, tmp_path / "_build", "SLUG=from-make", "TITLE=From Make")
    assert run.returncode == 0, run.stderr
    assert 'title: "From Make"' in (src / "from-make" / "index.md").read_text()
    assert make("new", src, tmp_path / "_build").returncode == 2  # no SLUG
