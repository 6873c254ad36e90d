"""Any post, any number: posts are found, share one bibliography, and each gets its own outputs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import build, front_matter, make_project, post_text

FIRST = "The first post cites {cite:p}`kaplan2016sev` and {cite:link}`a report <amd2020snp>`."
SECOND = "The second post cites {cite:p}`kaplan2016sev` too, and {cite:t}`doi2022paper`."


@pytest.fixture(scope="module")
def two_posts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two posts citing one shared key, one of them a page bundle."""
    root = tmp_path_factory.mktemp("posts")
    src = make_project(root, FIRST, name="first-post", front=front_matter("first-post"))
    (src / "second").mkdir()
    (src / "second" / "index.md").write_text(post_text(SECOND, front=front_matter("second-post")))
    for builder in ("html", "hugo", "latex"):
        out = build(src, builder)
        assert out.status == 0, out.output
        assert "duplicate" not in out.output
    return root


def test_each_post_lists_only_the_works_it_cites(two_posts: Path):
    html = two_posts / "_build" / "html"
    first = (html / "first-post.html").read_text().lower()
    second = (html / "second" / "index.html").read_text().lower()
    assert "memory encryption" in first and "memory encryption" in second  # the shared key, in both
    assert "strengthening" in first and "strengthening" not in second
    assert "only a" in second and "only a" not in first


def test_each_post_has_its_own_export_and_latex_document(two_posts: Path):
    posts = two_posts / "_build" / "hugo" / "content" / "en" / "blog" / "_posts" / "2026"
    assert sorted(p.relative_to(posts).as_posix() for p in posts.rglob("*.md")) == [
        "first-post.md", "second-post.md"]
    latex = two_posts / "_build" / "latex"
    assert sorted(p.name for p in latex.glob("*.tex")) == ["first-post.tex", "second-post.tex"]
    first, second = (latex / "first-post.tex").read_text(), (latex / "second-post.tex").read_text()
    assert "The first post cites" in first and "The second post" not in first
    assert "The second post cites" in second and "The first post" not in second
    assert "strengthening" in first.lower() and "strengthening" not in second.lower()


def test_one_post_at_a_time(two_posts: Path, tmp_path: Path):
    out = build(two_posts / "source", "hugo", tmp_path / "_build", post="second-post")
    assert out.status == 0, out.output
    exported = sorted(p.name for p in (tmp_path / "_build" / "hugo").rglob("*.md"))
    assert exported == ["second-post.md"]
    for builder in ("hugo", "html", "latex"):
        missing = build(two_posts / "source", builder, tmp_path / "_build", post="no-such-post")
        assert missing.status == 2, builder
        assert missing.output.strip() == "no post has the slug 'no-such-post'; the posts are: first-post, second-post"


def test_renaming_a_post_needs_no_other_edit(tmp_path: Path):
    src = make_project(tmp_path, FIRST, name="old-name", front=front_matter("old-name"))
    assert build(src, "hugo").status == 0
    (src / "old-name.md").rename(src / "new-name.md")
    text = (src / "new-name.md").read_text().replace("slug: old-name\n", "")  # the slug follows the file name
    (src / "new-name.md").write_text(text)
    for builder in ("html", "hugo", "latex"):
        out = build(src, builder)
        assert out.status == 0, out.output
    assert build(src, "hugo").post("new-name").is_file()
    assert not build(src, "hugo").post("old-name").exists()
    assert (tmp_path / "_build" / "latex" / "new-name.tex").is_file()


def test_two_posts_with_one_slug_are_refused(tmp_path: Path):
    src = make_project(tmp_path, FIRST, name="a", front=front_matter("same"))
    (src / "b.md").write_text(post_text(SECOND, front=front_matter("same")))
    out = build(src, "hugo")
    assert out.status == 2 and re.search(r"b\.md:1: slug 'same' is already the slug of .*a\.md", out.output)
