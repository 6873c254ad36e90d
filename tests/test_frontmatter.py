"""Front matter: read once (hugo_export.post), written as kubernetes/website's (hugo_export.hugo.frontmatter)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from helpers import FRONT_MATTER, build, make_project
from hugo_export.hugo.frontmatter import hugo_front_matter
from hugo_export.post import FrontMatterError, parse_post
from hugo_export.qa.check import run_checks


def post(tmp_path: Path, front: str, name: str = "post.md", raw: bytes | None = None) -> Path:
    path = tmp_path / name
    path.write_bytes(raw if raw is not None else (front + "\nBody.\n").encode())
    return path


def test_review_form_has_draft_and_no_date(tmp_path: Path):
    meta, warnings = parse_post(post(tmp_path, FRONT_MATTER))
    assert warnings == [] and meta is not None
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
    assert meta is not None
    data = yaml.safe_load(hugo_front_matter(meta, publish=True).split("---\n")[1])
    assert data["date"] == dt.date(2026, 12, 10) and "draft" not in data


def test_optional_fields_are_carried(tmp_path: Path):
    front = FRONT_MATTER.replace("draft: true\n", 'draft: true\nevergreen: true\ncanonical_url: '
                                 'https://example.com/p\ndescription: \'Say "hi": a lead.\'\n')
    meta, _ = parse_post(post(tmp_path, front))
    assert meta is not None
    data = yaml.safe_load(hugo_front_matter(meta, publish=False).split("---\n")[1])
    assert data["evergreen"] is True
    assert data["canonicalUrl"] == "https://example.com/p"
    assert data["description"] == 'Say "hi": a lead.'


def test_slug_comes_from_the_file_name_when_the_front_matter_has_none(tmp_path: Path):
    path = post(tmp_path, FRONT_MATTER.replace("slug: test-post\n", ""), name="my-post.md")
    meta, _ = parse_post(path, "my-post")
    assert meta is not None and meta.slug == "my-post"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.replace('title: "A Test Post About Things"\n', ""), r"post.md:1: front matter has no 'title'"),
        (lambda f: f.replace('"A Test Post About Things"', '"   "'), r"post.md:2: front matter has no 'title'"),
        (lambda f: re.sub(r"authors:\n(  - .*\n)+", "", f), r"post.md:1: front matter has no 'authors'"),
        (lambda f: f.replace("authors:", "author:"), r"post.md:6: write `authors:` as a list"),
        (lambda f: f.replace("2026-12-10", "2026-13-45"),
         r"post.md:4: date '2026-13-45' has no month 13: months run from 01 to 12"),
        (lambda f: f.replace("2026-12-10", "20 January 2027"), r"post.md:4: date '20 January 2027' is not a"),
        (lambda f: f.replace("slug: test-post", "slug: ../escape"), r"post.md:3: slug '../escape' is not a slug"),
        (lambda f: f.replace("slug: test-post", "slug: a/b"), r"post.md:3: slug 'a/b' is not a slug"),
        (lambda f: f.replace("slug: test-post", 'slug: "test-post\\n"'), r"post.md:3: slug 'test-post\\n' is not"),
        (lambda f: f.replace("slug: test-post", "slug: " + "a" * 81), r"post.md:3: slug 'a+' is not a slug.*80"),
        (lambda f: f.replace("Grace Hopper (Navy)", "Grace Hopper, Navy"), r"post.md:\d+: author 'Grace Hopper, Navy'"),
        (lambda f: f.replace("Grace Hopper (Navy)", '"Grace Hopper\\Lurl: /docs/ # (Navy)"'),
         r"post.md:\d+: author .* must read 'Name \(Affiliation\)' on one line"),
        (lambda f: f.replace("draft: true", "draft: maybe"), r"post.md:5: draft must be true or false"),
        (lambda f: f.replace("title: ", "title: [unclosed"), r"post.md:\d+: this line does not read as 'key: value'"),
        (lambda f: f.replace("draft: true", "draft: true\nextra: [2026-13-45]"),
         r"post.md:6: '2026-13-45' has no month 13"),
        (lambda f: "---\n- a list\n- not a mapping\n---\n", r"post.md:2: front matter must be a YAML mapping"),
    ],
)
def test_bad_front_matter_names_file_and_line(tmp_path: Path, change, message):
    with pytest.raises(FrontMatterError, match=message):
        parse_post(post(tmp_path, change(FRONT_MATTER)))


def test_numeric_slug_is_a_string(tmp_path: Path):
    meta, _ = parse_post(post(tmp_path, FRONT_MATTER.replace("slug: test-post", "slug: 2026")))
    assert meta is not None and meta.slug == "2026"
    assert yaml.safe_load(hugo_front_matter(meta, publish=False).split("---\n")[1])["slug"] == "2026"


@pytest.mark.parametrize("encode", [
    lambda text: b"\xef\xbb\xbf" + text.encode(),
    lambda text: text.replace("\n", "\r\n").encode(),
    lambda text: text.replace("\n", "\r").encode(),
], ids=["bom", "crlf", "cr"])
def test_bom_and_any_line_ending_read_the_same(tmp_path: Path, encode):
    meta, _ = parse_post(post(tmp_path, "", raw=encode(FRONT_MATTER + "\nBody.\n")))
    assert meta is not None and meta.slug == "test-post" and meta.authors[1] == "Grace Hopper (Navy)"


def test_unknown_key_is_a_warning_naming_it(tmp_path: Path):
    _, warnings = parse_post(post(tmp_path, FRONT_MATTER.replace("draft: true", "draft: true\ntags: [x]")))
    assert len(warnings) == 1
    line, message = warnings[0]
    assert line == 6 and message.startswith("unknown front matter key 'tags'; known keys are")


def test_bad_front_matter_is_one_line_for_every_target(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    src = make_project(tmp_path, "Body.", front=FRONT_MATTER.replace("2026-12-10", "someday"))
    expected = f"{src / 'post.md'}:4: date 'someday' is not a calendar date; write YYYY-MM-DD"
    for builder in ("hugo", "html", "latex"):
        out = build(src, builder)
        assert out.status == 2
        assert out.output.strip() == expected, out.output
    assert run_checks(src, tmp_path / "_build") != 0
    shown = capsys.readouterr()
    assert expected in shown.out + shown.err
    assert "Traceback" not in shown.out + shown.err and "sphinx-doc" not in shown.out + shown.err


def test_publish_flag_switches_the_export_form(tmp_path: Path):
    src = make_project(tmp_path, "Body.")
    out = build(src, "hugo", publish=True)
    assert out.status == 0, out.output
    data = yaml.safe_load(out.post().read_text().split("---\n")[1])
    assert data["date"] == dt.date(2026, 12, 10) and "draft" not in data


def test_a_post_saved_with_a_bom_and_cr_line_ends_exports_as_with_lf(tmp_path: Path):
    plain = build(make_project(tmp_path / "lf", "Body.\n\n## Part\n\nMore."), "hugo")
    odd = make_project(tmp_path / "cr", "Body.\n\n## Part\n\nMore.")
    post = odd / "post.md"
    post.write_bytes(b"\xef\xbb\xbf" + post.read_bytes().replace(b"\n", b"\r"))
    exported = build(odd, "hugo")
    assert plain.status == exported.status == 0, exported.output
    assert exported.post().read_bytes() == plain.post().read_bytes()
