"""``make pr`` into a real git repository shaped like kubernetes/website."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from helpers import ROOT, make_project

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
}
OPENING = (
    "Confidential computing protects data while it is in use. This test post is long enough for the "
    "blog index teaser, so the lint has nothing to say about its opening paragraph; it goes on a little "
    "more to be sure it passes the two hundred and fifty characters the index shows."
)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True,
                          env={**os.environ, **GIT_ENV}).stdout


@pytest.fixture
def website(tmp_path: Path) -> Path:
    repo = tmp_path / "website"
    (repo / "content/en/blog/_posts/2025").mkdir(parents=True)
    (repo / "hugo.toml").write_text('baseURL = "https://kubernetes.io/"\n')
    (repo / "content/en/blog/_posts/2025/older-post.md").write_text("---\ntitle: Old\n---\n\nOld.\n")
    git(repo, "init", "--quiet", "--initial-branch", "main")
    git(repo, "add", ".")
    git(repo, "commit", "--quiet", "-m", "Initial")
    return repo


@pytest.fixture
def export(tmp_path: Path) -> Path:
    """The source folder of a project with one post (make pr exports it first)."""
    return make_project(tmp_path / "proj", OPENING + "\n\n## A section\n\nText.\n", bibliography=False)


def make_pr(src: Path, website: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    variables = [f"SRC={src}", f"BUILD={src.parent / '_build'}", f"WEBSITE={website}", *flags]
    return subprocess.run(["make", "--no-print-directory", "-C", str(ROOT), "pr", *variables],
                          capture_output=True, text=True, env={**os.environ, **GIT_ENV})


def test_pr_makes_one_commit_with_only_the_post(export: Path, website: Path):
    run = make_pr(export, website)
    assert run.returncode == 0, run.stdout + run.stderr
    assert git(website, "branch", "--show-current").strip() == "blog-test-post"
    assert git(website, "rev-list", "--count", "main..HEAD").strip() == "1"
    files = git(website, "show", "--name-only", "--format=%s", "HEAD").split()
    assert files[:5] == ["Add", "blog", "post", "on", "A"]
    assert git(website, "show", "--name-only", "--format=", "HEAD").split() == [
        "content/en/blog/_posts/2026/test-post.md"
    ]
    assert "git -C" in run.stdout and "push" in run.stdout


def test_dry_run_changes_nothing(export: Path, website: Path):
    before = git(website, "rev-parse", "HEAD"), git(website, "branch", "--list")
    run = make_pr(export, website, "DRY_RUN=1")
    assert run.returncode == 0, run.stderr
    assert "would write content/en/blog/_posts/2026/test-post.md" in run.stdout
    assert (git(website, "rev-parse", "HEAD"), git(website, "branch", "--list")) == before
    assert git(website, "status", "--porcelain") == ""


def test_refuses_a_directory_that_is_not_the_website(export: Path, tmp_path: Path):
    other = tmp_path / "other"
    other.mkdir()
    git(other, "init", "--quiet")
    run = make_pr(export, other)
    assert run.returncode != 0 and "is not a kubernetes/website checkout: it has no hugo.toml" in run.stderr


def test_refuses_a_dirty_tree(export: Path, website: Path):
    (website / "hugo.toml").write_text("changed = true\n")
    run = make_pr(export, website)
    assert run.returncode != 0 and "uncommitted changes" in run.stderr
    assert git(website, "branch", "--show-current").strip() == "main"


def test_refuses_a_different_post_at_the_target_unless_forced(export: Path, website: Path):
    target = website / "content/en/blog/_posts/2026/test-post.md"
    target.parent.mkdir(parents=True)
    target.write_text("---\ntitle: Someone else's\n---\n")
    git(website, "add", ".")
    git(website, "commit", "--quiet", "-m", "Another post")
    run = make_pr(export, website)
    assert run.returncode != 0 and "a different post is already at" in run.stderr
    forced = make_pr(export, website, "FORCE=1")
    assert forced.returncode == 0, forced.stderr
    assert git(website, "show", "--name-only", "--format=", "HEAD").split() == [
        "content/en/blog/_posts/2026/test-post.md"
    ]


def test_refuses_lint_errors(export: Path, website: Path):
    post = export / "post.md"
    post.write_text(post.read_text().replace('title: "A Test Post About Things"', 'title: "A test post."'))
    run = make_pr(export, website)
    assert run.returncode != 0 and "lint errors" in run.stderr and "the title ends with a period" in run.stderr
    assert git(website, "branch", "--list", "blog-test-post") == ""
