"""Front matter: validated from MyST, written as kubernetes/website's with PyYAML."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from conftest import FRONT_MATTER, make_project, sphinx
from hugo_export.frontmatter import FrontMatterError, hugo_front_matter, parse_post


def post(tmp_path: Path, front: str) -> Path:
    path = tmp_path / "post.md"
    path.write_text(front + "\nBody.\n")
    return path


def test_review_form_has_draft_and_no_date(tmp_path: Path):
    meta, warnings = parse_post(post(tmp_path, FRONT_MATTER))
    assert warnings == []
    text = hugo_front_matter(meta, publish=False)
    data = yaml.safe_load(text.split("---\n")[1])
    assert data == {
        "layout": "blog",
        "title": "A Test Post About Things",
        "draft": True,
        "slug": "test-post",
        "author": "Ada Lovelace (Analytical Engines), Grace Hopper (Navy)\n",
    }
    assert 'title: "A Test Post About Things"' in text
    assert "author: >\n  Ada Lovelace (Analytical Engines),\n  Grace Hopper (Navy)\n" in text


def test_publish_form_has_date_and_no_draft(tmp_path: Path):
    meta, _ = parse_post(post(tmp_path, FRONT_MATTER))
    data = yaml.safe_load(hugo_front_matter(meta, publish=True).split("---\n")[1])
    assert data["date"] == dt.date(2026, 12, 10) and "draft" not in data


def test_optional_fields_are_carried(tmp_path: Path):
    front = FRONT_MATTER.replace("draft: true\n", 'draft: true\nevergreen: true\ncanonical_url: https://example.com/p\ndescription: \'Say "hi": a lead.\'\n')
    meta, _ = parse_post(post(tmp_path, front))
    data = yaml.safe_load(hugo_front_matter(meta, publish=False).split("---\n")[1])
    assert data["evergreen"] is True
    assert data["canonicalUrl"] == "https://example.com/p"
    assert data["description"] == 'Say "hi": a lead.'


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.replace('title: "A Test Post About Things"\n', ""), r"post.md:1: front matter has no 'title'"),
        (lambda f: f.replace("slug: test-post\n", ""), r"post.md:1: front matter has no 'slug'"),
        (lambda f: re.sub(r"authors:\n(  - .*\n)+", "", f), r"post.md:1: front matter has no 'authors'"),
        (lambda f: f.replace("2026-12-10", "2026-13-45"), r"post.md:4: date '2026-13-45' is not a calendar date"),
        (lambda f: f.replace("slug: test-post", "slug: ../escape"), r"post.md:3: slug '../escape' must be lowercase"),
        (lambda f: f.replace("slug: test-post", "slug: a/b"), r"post.md:3: slug 'a/b' must be lowercase"),
        (lambda f: f.replace("Grace Hopper (Navy)", "Grace Hopper, Navy"), r"post.md:\d+: author 'Grace Hopper, Navy' must read"),
        (lambda f: f.replace("draft: true", "draft: maybe"), r"post.md:5: draft must be true or false"),
        (lambda f: f.replace("title: ", "title: [unclosed"), r"post.md:\d+: front matter is not valid YAML"),
    ],
)
def test_bad_front_matter_names_file_and_line(tmp_path: Path, change, message):
    with pytest.raises(FrontMatterError, match=message):
        parse_post(post(tmp_path, change(FRONT_MATTER)))


def test_unknown_key_is_a_warning_naming_it(tmp_path: Path):
    _, warnings = parse_post(post(tmp_path, FRONT_MATTER.replace("draft: true", "draft: true\ntags: [x]")))
    assert len(warnings) == 1
    line, message = warnings[0]
    assert line == 6 and message.startswith("unknown front matter key 'tags'; known keys are")


def test_bad_front_matter_fails_the_export_and_html(tmp_path: Path):
    src = make_project(tmp_path, "Body.", front_matter=FRONT_MATTER.replace("2026-12-10", "someday"))
    hugo = sphinx(src, "hugo", tmp_path / "out")
    assert hugo.returncode != 0
    assert re.search(r"post.md:4: ERROR: date 'someday' is not a calendar date; write YYYY-MM-DD", hugo.output)
    assert "Traceback" not in hugo.output
    html = sphinx(src, "html", tmp_path / "html")
    assert html.returncode != 0 and "is not a calendar date" in html.output


def test_publish_flag_switches_the_export_form(tmp_path: Path):
    src = make_project(tmp_path, "Body.")
    build = sphinx(src, "hugo", tmp_path / "out", "-D", "hugo_publish=1")
    assert build.returncode == 0, build.output
    data = yaml.safe_load(build.post().read_text().split("---\n")[1])
    assert data["date"] == dt.date(2026, 12, 10) and "draft" not in data
