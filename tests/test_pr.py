"""``make pr`` through review rounds, into real git repositories shaped like kubernetes/website.

The exports are built once per module, in process; ``submit()`` runs in
process too, with real git, and one test goes through ``make pr`` itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import EPOCH, FRONT_MATTER, GIT_ENV, HugoSite, build, cli, git, make, make_project, website_checkout
from hugo_export.pr.git import TRAILER

OPENING = (
    "Confidential computing protects data while it is in use. This test post is long enough for the "
    "blog index teaser, so the lint has nothing to say about its opening paragraph; it goes on a little "
    "more to be sure it passes the two hundred and fifty characters the index shows."
)
BODY = OPENING + "\n\n## A section\n\nText of the first round.\n"
FIGURE = "\n```{figure} diagram.svg\n:alt: A diagram\n\nThe caption.\n```\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
POSTS = "content/en/blog/_posts"
POST = f"{POSTS}/2026/test-post.md"

#: name -> (body, publish form, files beside the post, title)
PROJECTS = {
    "v1": (BODY, False, {}, None),
    "v2": (BODY.replace("first round", "second round"), False, {}, None),
    "bundle": (BODY + FIGURE, False, {"diagram.svg": SVG}, None),
    "publish": (BODY, True, {}, None),
    "lint": (BODY, False, {}, "A test post."),
}


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The source folder of each project, its export built (``make pr`` builds it first)."""
    root = tmp_path_factory.mktemp("pr")
    out = {}
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", EPOCH)  # as make sets it: make pr finds the export up to date
        for name, (body, publish, files, title) in PROJECTS.items():
            front = None if title is None else f'title: "{title}"'
            src = make_project(root / name, body, bibliography=False, files=files)
            if front:
                post = src / "post.md"
                post.write_text(post.read_text("utf-8").replace('title: "A Test Post About Things"', front))
            done = build(src, "hugo", publish=publish)
            assert done.status == 0, done.output
            out[name] = src
    git(root / "v1", "init", "--quiet")
    git(root / "v1", "add", "source", "bibliography.bib")
    git(root / "v1", "commit", "--quiet", "-m", "The post")
    return out


@pytest.fixture(autouse=True)
def identity(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)


@pytest.fixture
def website(tmp_path: Path) -> Path:
    return website_checkout(tmp_path / "website")


Run = Callable[..., tuple[int, str]]


@pytest.fixture
def pr(capsys: pytest.CaptureFixture[str]) -> Run:
    """``submit()`` on a project's export: the exit status and everything printed."""
    from hugo_export.pr.submit import submit

    def run(src: Path, website: Path, **options: object) -> tuple[int, str]:
        status = submit(src, src.parent / "_build", website, **options)  # type: ignore[arg-type]
        out = capsys.readouterr()
        return status, out.out + out.err

    return run


def commit_on(repo: Path, path: str, text: str, message: str, *, symlink: str | None = None) -> None:
    target = repo / path
    target.parent.mkdir(parents=True, exist_ok=True)
    if symlink:
        target.symlink_to(symlink)
    else:
        target.write_text(text)
    git(repo, "add", "--force", path)
    git(repo, "commit", "--quiet", "-m", message)


def state(repo: Path) -> tuple[str, ...]:
    """What a failed make pr must leave as it found: files, index, branches and HEAD."""
    return (git(repo, "status", "--porcelain", "--ignored", "--untracked-files=all"),
            git(repo, "for-each-ref", "--format=%(refname) %(objectname)"),
            git(repo, "branch", "--show-current"), git(repo, "rev-parse", "HEAD"))


def changed(repo: Path, revisions: str) -> list[str]:
    return git(repo, "diff", "--name-status", "--no-renames", revisions).splitlines()


def test_two_review_rounds_make_two_commits_on_one_branch(projects: dict[str, Path], website: Path, pr: Run):
    git(website, "switch", "--quiet", "--create", "elsewhere")  # the branch must not start here
    commit_on(website, "README.md", "Unrelated.\n", "Unrelated work")
    status, out = pr(projects["v1"], website)
    assert status == 0, out
    assert git(website, "merge-base", "main", "blog-test-post") == git(website, "rev-parse", "main")
    text = (projects["v1"].parent / "_build/pr/test-post.md").read_text()
    assert text.startswith("Add blog post on A Test Post About Things\n\n")
    for asked in ("`/blog/1/01/01/test-post/`", "Ada Lovelace (Analytical Engines), Grace Hopper (Navy)",
                  "CNCF CLA", "in English", "first commit message", "squashed"):
        assert asked in text and asked in out
    assert "gh pr create --repo kubernetes/website --base main" in out

    status, out = pr(projects["v2"], website)
    assert status == 0, out
    assert git(website, "branch", "--list", "--format=%(refname:short)").split() == [
        "blog-test-post", "elsewhere", "main"]
    assert git(website, "log", "--format=%s", "main..blog-test-post").splitlines() == [
        "Revise blog post on A Test Post About Things", "Add blog post on A Test Post About Things"]
    source = git(projects["v1"].parent, "rev-parse", "--short=12", "HEAD").strip()
    trailer = "--format=%(trailers:key=K8s-Blog-Export,valueonly)"
    assert git(website, "log", "-1", trailer, "blog-test-post~1").strip() == f"test-post {source}"
    diff = git(website, "diff", "--unified=0", "blog-test-post~1", "blog-test-post")
    assert [ln for ln in diff.splitlines() if ln[:1] in "+-" and ln[:3] not in ("+++", "---")] == [
        "-Text of the first round.", "+Text of the second round."]
    assert "open no other" in out and "gh pr create" not in out

    status, out = pr(projects["v2"], website)
    assert (status, git(website, "rev-list", "--count", "main..blog-test-post").strip()) == (0, "2")
    assert "already holds this export" in out


def test_a_default_branch_behind_its_remote_earns_a_warning(projects: dict[str, Path], website: Path, pr: Run,
                                                          tmp_path: Path):
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(website), str(clone))  # the website as origin
    commit_on(website, "README.md", "Upstream moved on.\n", "Upstream work")
    git(clone, "fetch", "--quiet")
    status, out = pr(projects["v1"], clone)
    assert status == 0, out
    assert "pr: warning: main is 1 commit(s) behind origin/main; the new branch starts from the older main" in out
    assert git(clone, "merge-base", "main", "blog-test-post") == git(clone, "rev-parse", "main")


def test_a_commit_make_pr_did_not_make_is_refused_unless_forced(projects: dict[str, Path], website: Path, pr: Run):
    assert pr(projects["v1"], website)[0] == 0
    commit_on(website, POST, "Fixed by a reviewer.\n", "Fix a typo")
    before = state(website)
    status, out = pr(projects["v1"], website)
    fix = git(website, "rev-parse", "--short=12", "HEAD").strip()
    assert status == 1 and "holds commits make pr did not make" in out and f"{fix} Fix a typo (Test)" in out
    assert state(website) == before
    status, out = pr(projects["v1"], website, force=True)
    assert status == 0, out
    assert git(website, "rev-list", "--count", "main..blog-test-post").strip() == "3"
    assert (website / POST).read_bytes() == (projects["v1"].parent / "_build/hugo" / POST).read_bytes()


def no_identity(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL"):
        monkeypatch.delenv(key, raising=False)
    git(repo, "config", "user.useConfigOnly", "true")


def failing_hook(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hook = repo / ".git/hooks/pre-commit"
    hook.write_text("#!/bin/sh\necho 'hook says no' >&2\nexit 1\n")
    hook.chmod(0o755)


def failing_signature(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    git(repo, "config", "commit.gpgSign", "true")
    git(repo, "config", "gpg.program", "false")


def file_in_the_way(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    git(repo, "switch", "--quiet", "main")
    commit_on(repo, f"{POSTS}/2026", "not a folder\n", "A file named like a year")


def symlinked_year(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    git(repo, "switch", "--quiet", "main")
    commit_on(repo, f"{POSTS}/2026", "", "A year folder elsewhere", symlink=str(repo.parent / "outside"))


def ignored_year(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    git(repo, "switch", "--quiet", "main")
    commit_on(repo, ".gitignore", f"/{POSTS}/2026/\n", "Ignore a year")


FAULTS = {
    "no-identity": (no_identity, 'git config --global user.name "Your Name"\n  git config --global user.email'),
    "failing-hook": (failing_hook, "hook says no"),
    "failing-signature": (failing_signature, "gpg failed to sign"),
    "file-in-the-way": (file_in_the_way, f"{POSTS}/2026 is a file where the post's folder goes"),
    "symlinked-year": (symlinked_year, f"{POSTS}/2026 is a symbolic link"),
    "ignored-year": (ignored_year, f"{POST} is ignored by git (.gitignore:1:/{POSTS}/2026/)"),
}


@pytest.mark.parametrize(("fault", "start"),
                         [*((fault, "new-branch") for fault in FAULTS), ("failing-hook", "second-round"),
                          ("failing-signature", "second-round"), ("failing-hook", "detached-head")],
                         ids=lambda value: str(value))
def test_a_failure_leaves_the_checkout_as_it_was(projects: dict[str, Path], website: Path, pr: Run,
                                                 monkeypatch: pytest.MonkeyPatch, fault: str, start: str):
    (website.parent / "outside").mkdir()
    if start == "second-round":
        assert pr(projects["v1"], website)[0] == 0
    git(website, "switch", "--quiet", "--create", "work", "main")
    commit_on(website, "notes.md", "Work in progress.\n", "Unrelated work")
    make_fault, cause = FAULTS[fault]
    make_fault(website, monkeypatch)
    git(website, "switch", "--quiet", *(["--detach"] if start == "detached-head" else []), "work")
    before = state(website)
    status, out = pr(projects["v2"], website)
    assert status == 1 and cause in out, out
    home = git(website, "rev-parse", "work").strip() if start == "detached-head" else "work"
    assert fault == "no-identity" or f"the checkout is back on {home}, as it was" in out
    assert state(website) == before
    assert list((website.parent / "outside").iterdir()) == []


def test_a_post_that_gains_or_loses_its_bundle_moves_in_one_commit(projects: dict[str, Path], website: Path,
                                                                   pr: Run, tmp_path: Path):
    assert pr(projects["v1"], website)[0] == 0
    git(website, "switch", "--quiet", "main")
    git(website, "merge", "--quiet", "--ff-only", "blog-test-post")  # the first pull request merged
    status, out = pr(projects["bundle"], website)
    assert status == 0, out
    assert git(website, "log", "-1", "--format=%s").strip() == "Update blog post on A Test Post About Things"
    assert sorted(changed(website, "main..blog-test-post")) == [
        f"A\t{POSTS}/2026/test-post/diagram.svg", f"A\t{POSTS}/2026/test-post/index.md", f"D\t{POST}"]
    site = HugoSite(tmp_path / "site")
    site.add_export(website)
    render = site.render()  # --printPathWarnings --panicOnWarning: two copies would fail it
    assert render.ok, render.output
    assert pr(projects["v1"], website)[0] == 0
    assert sorted(changed(website, "blog-test-post~1..blog-test-post")) == [
        f"A\t{POST}", f"D\t{POSTS}/2026/test-post/diagram.svg", f"D\t{POSTS}/2026/test-post/index.md"]


def test_a_post_moved_to_another_year_leaves_no_copy_and_a_stranger_needs_force(projects: dict[str, Path],
                                                                                 website: Path, pr: Run):
    commit_on(website, f"{POSTS}/2025/test-post.md", "Ours.\n",
              "Add blog post on it\n\nK8s-Blog-Export: test-post 0123456789ab")
    status, out = pr(projects["v1"], website)
    assert status == 0, out
    assert sorted(changed(website, "main..blog-test-post")) == [f"A\t{POST}", f"D\t{POSTS}/2025/test-post.md"]
    git(website, "switch", "--quiet", "main")
    git(website, "branch", "--quiet", "--delete", "--force", "blog-test-post")
    commit_on(website, f"{POSTS}/2024/test-post.md", "Someone else's.\n", "Another post with that slug")
    status, out = pr(projects["v1"], website)
    assert status == 1 and f"{POSTS}/2024/test-post.md on main has the slug 'test-post'" in out
    status, out = pr(projects["v1"], website, force=True)
    assert status == 0, out
    assert f"D\t{POSTS}/2024/test-post.md" in changed(website, "main..blog-test-post")


def test_the_publish_follow_up_changes_two_front_matter_lines(projects: dict[str, Path], website: Path, pr: Run):
    status, out = pr(projects["publish"], website, publish=True)
    assert status == 1 and "'test-post' is not on main yet" in out
    assert pr(projects["v1"], website)[0] == 0
    git(website, "switch", "--quiet", "main")
    git(website, "merge", "--quiet", "--ff-only", "blog-test-post")
    status, out = pr(projects["publish"], website, publish=True)
    assert status == 0, out
    assert git(website, "branch", "--show-current").strip() == "blog-test-post-publish"
    diff = git(website, "diff", "--unified=0", "main", "blog-test-post-publish")
    assert [ln for ln in diff.splitlines() if ln[:1] in "+-" and ln[:3] not in ("+++", "---")] == [
        "-draft: true", "+date: 2026-12-10"]
    assert "`/blog/2026/12/10/test-post/`" in out


def test_dry_run_changes_nothing(projects: dict[str, Path], website: Path, pr: Run):
    before = state(website)
    status, out = pr(projects["v1"], website, dry_run=True)
    assert status == 0, out
    assert "would create branch 'blog-test-post' from main" in out and f"would write {POST}" in out
    assert state(website) == before


@pytest.mark.parametrize("branch", ["main", "@", "refs/heads/x", "a b", "-b"])
def test_refuses_a_branch_that_is_not_its_own(projects: dict[str, Path], website: Path, pr: Run, branch: str):
    before = state(website)
    status, out = pr(projects["v1"], website, branch=branch)
    assert status == 1 and f"make pr commits on a branch of its own, not on {branch!r}" in out
    assert state(website) == before


def test_refuses_a_directory_that_is_not_the_website(projects: dict[str, Path], tmp_path: Path, pr: Run):
    other = tmp_path / "other"
    other.mkdir()
    git(other, "init", "--quiet")
    status, out = pr(projects["v1"], other)
    assert status == 1 and "is not a kubernetes/website checkout: it has no hugo.toml" in out


def test_refuses_a_dirty_tree(projects: dict[str, Path], website: Path, pr: Run):
    (website / "hugo.toml").write_text("changed = true\n")
    status, out = pr(projects["v1"], website)
    assert status == 1 and "uncommitted changes" in out
    assert git(website, "branch", "--list", "--format=%(refname:short)").split() == ["main"]


def test_refuses_a_checkout_in_the_middle_of_a_bisect(projects: dict[str, Path], website: Path, pr: Run):
    git(website, "bisect", "start")
    before = state(website)
    status, out = pr(projects["v1"], website)
    assert status == 1 and "in the middle of a bisect; finish or abort it first" in out
    assert state(website) == before


def test_refuses_lint_errors_naming_the_source_line(projects: dict[str, Path], website: Path, pr: Run):
    status, out = pr(projects["lint"], website)
    assert status == 1 and "lint errors" in out and "the title ends with a period" in out
    assert "(source: source/post.md:2)" in out
    assert git(website, "branch", "--list", "blog-test-post") == ""


def test_make_pr_commits_and_says_how_to_push(projects: dict[str, Path], website: Path):
    src = projects["v1"]
    run = make("pr", src, src.parent / "_build", f"WEBSITE={website}", **GIT_ENV)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "hugo: up to date" in run.stdout  # the build make pr runs is the one make hugo runs
    assert git(website, "show", "--name-only", "--format=", "blog-test-post").split() == [POST]
    assert f"git -C {website} push --set-upstream origin blog-test-post" in run.stdout


def test_several_posts_and_no_post_chosen_are_refused_naming_them(tmp_path: Path, website: Path, pr: Run):
    src = make_project(tmp_path / "two", BODY, bibliography=False)
    (src / "other.md").write_text((src / "post.md").read_text().replace("slug: test-post", "slug: other-post"))
    assert build(src, "hugo").status == 0
    before = git(website, "rev-parse", "HEAD"), git(website, "branch", "--list")
    status, output = pr(src, website)
    assert status == 1 and "choose it with POST=<slug>, one of: other-post, test-post" in output, output
    assert (git(website, "rev-parse", "HEAD"), git(website, "branch", "--list")) == before
    status, output = pr(src, website, slug="other-post")
    assert status == 0, output
    assert git(website, "show", "--name-only", "--format=", "blog-other-post").split() == [
        f"{POSTS}/2026/other-post.md"]


# --- make pr says what it carries: uncommitted edits, a renamed post, a dry run, the publish follow-up ---


@pytest.fixture
def versioned(tmp_path: Path) -> Path:
    """A project in git with two posts, test-post and other-post; its source folder."""
    src = make_project(tmp_path / "versioned", BODY, bibliography=False)
    (src / "other.md").write_text((src / "post.md").read_text().replace("slug: test-post", "slug: other-post"))
    git(src.parent, "init", "--quiet")
    git(src.parent, "add", "source", "bibliography.bib")
    git(src.parent, "commit", "--quiet", "-m", "Two posts")
    return src


def exported(src: Path, **options: object) -> None:
    done = build(src, "hugo", post="test-post", **options)  # type: ignore[arg-type]
    assert done.status == 0, done.output


def trailer(website: Path, key: str = "K8s-Blog-Export", rev: str = "blog-test-post") -> str:
    return git(website, "log", "-1", f"--format=%(trailers:key={key},valueonly)", rev).strip()


@pytest.mark.parametrize("relative", [False, True], ids=["absolute", "relative"])
def test_dirty_only_when_the_posts_own_files_differ(versioned: Path, website: Path, pr: Run,
                                                    monkeypatch: pytest.MonkeyPatch, relative: bool):
    """P2: the trailer and the PR text say -dirty for the post's own edits, and only for them."""
    from hugo_export.pr.submit import submit

    head = git(versioned.parent, "rev-parse", "--short=12", "HEAD").strip()
    if relative:  # as make runs it: SRC=source, from the project's folder
        monkeypatch.chdir(versioned.parent)
    src = Path("source") if relative else versioned
    (versioned / "other.md").write_text((versioned / "other.md").read_text() + "\nAnother post's edit.\n")
    (versioned / "conf.py").write_text((versioned / "conf.py").read_text() + "\n# a comment\n")
    exported(versioned)
    status = submit(src, versioned.parent / "_build", website, slug="test-post", dry_run=True)
    text = (versioned.parent / "_build/pr/test-post.md").read_text()
    assert status == 0 and f"(source commit {head})" in text
    (versioned / "post.md").write_text((versioned / "post.md").read_text().replace("first round", "next round"))
    exported(versioned)
    assert submit(src, versioned.parent / "_build", website, slug="test-post") == 0
    assert trailer(website) == f"test-post {head}-dirty"
    assert f"(source commit {head}-dirty)" in (versioned.parent / "_build/pr/test-post.md").read_text()


def test_the_pdf_header_says_changes_only_for_the_posts_own_files(versioned: Path):
    """P2, issue 24: ``+ changes`` in one post's PDF header is about that post's files."""
    head = git(versioned.parent, "rev-parse", "--short", "HEAD").strip()
    (versioned / "other.md").write_text((versioned / "other.md").read_text() + "\nAnother post's edit.\n")
    done = build(versioned, "latex")
    assert done.status == 0, done.output
    tex = {slug: (done.root / "latex" / f"{slug}.tex").read_text() for slug in ("test-post", "other-post")}
    header = {slug: re.findall(r"\\RevSetup\{.*", text) for slug, text in tex.items()}
    assert f"rev {head}" in header["test-post"][0] and "+ changes" not in header["test-post"][0], header
    assert f"rev {head} + changes" in header["other-post"][0], header


def test_a_renamed_slug_goes_on_in_the_posts_pull_request(versioned: Path, website: Path, pr: Run):
    """P7: the post keeps its branch (and its pull request) when its slug changes under review."""
    exported(versioned)
    assert pr(versioned, website, slug="test-post")[0] == 0
    post = versioned / "post.md"
    post.write_text(post.read_text().replace("slug: test-post", "slug: renamed-post"))
    git(versioned.parent, "commit", "--quiet", "-am", "A better slug")
    done = build(versioned, "hugo", post="renamed-post")
    assert done.status == 0, done.output
    status, out = pr(versioned, website, slug="renamed-post", dry_run=True)
    assert status == 0, out
    assert "the post was 'test-post'" in out and "would add a commit to branch 'blog-test-post'" in out
    status, out = pr(versioned, website, slug="renamed-post")
    assert status == 0, out
    assert "the post was 'test-post'" in out and "blog-test-post" in out
    assert git(website, "branch", "--list", "--format=%(refname:short)").split() == ["blog-test-post", "main"]
    assert sorted(changed(website, "blog-test-post~1..blog-test-post")) == [
        f"A\t{POSTS}/2026/renamed-post.md", f"D\t{POST}"]
    assert trailer(website, "K8s-Blog-Post") == "source/post.md"


def test_a_renamed_file_and_slug_is_found_by_its_history(versioned: Path, website: Path, pr: Run):
    """P7: git's rename detection follows the post's file to its earlier slug and branch."""
    exported(versioned)
    assert pr(versioned, website, slug="test-post")[0] == 0
    git(versioned.parent, "mv", "source/post.md", "source/renamed-post.md")
    post = versioned / "renamed-post.md"
    post.write_text(post.read_text().replace("slug: test-post\n", ""))  # the slug is the file name now
    git(versioned.parent, "commit", "--quiet", "-am", "Renamed")
    done = build(versioned, "hugo", post="renamed-post")
    assert done.status == 0, done.output
    status, out = pr(versioned, website, slug="renamed-post")
    assert status == 0, out
    assert "the post was 'test-post'" in out
    assert not git(website, "branch", "--list", "blog-renamed-post")


def test_pdf_diff_finds_a_renamed_post_and_says_when_a_post_is_new(versioned: Path, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]):
    """P7: make pdf-diff finds the post at REV by its identity, and says so when it did not exist there."""
    from hugo_export.pdf.diff import old_latex
    from hugo_export.revision import resolve

    rev = resolve(versioned, "HEAD")
    post = versioned / "post.md"
    post.write_text(post.read_text().replace("slug: test-post", "slug: renamed-post"))
    (versioned / "third.md").write_text(post.read_text().replace("slug: renamed-post", "slug: third-post"))
    git(versioned.parent, "add", "-A")
    git(versioned.parent, "commit", "--quiet", "-m", "Renamed, and a third post")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", EPOCH)
        olds = old_latex(rev, versioned, tmp_path / "work", None)
    out = capsys.readouterr()
    assert olds is not None and "renamed-post" in olds and "third-post" not in olds, out
    assert olds["renamed-post"].tex.name == "test-post.tex"
    text = out.out + out.err
    assert f"renamed-post was 'test-post' (source/post.md) at {rev.short}" in text
    assert f"third-post did not exist at {rev.short}; all of it is marked as added" in text


def test_dry_run_says_nothing_to_commit_as_the_real_run_does(projects: dict[str, Path], website: Path, pr: Run):
    """P8: the dry run and the real run agree, also when the branch already holds the export."""
    assert pr(projects["v1"], website)[0] == 0
    before = state(website)
    status, dry = pr(projects["v1"], website, dry_run=True)
    assert state(website) == before
    status, real = pr(projects["v1"], website)
    assert status == 0, real
    assert "already holds this export; nothing to commit" in real
    assert "already holds this export; nothing to commit" in dry and "would commit" not in dry, dry
    status, dry = pr(projects["v2"], website, dry_run=True)
    assert status == 0, dry
    assert "pr: would add a commit to branch 'blog-test-post'" in dry and "nothing to commit" not in dry


def test_publish_warns_about_source_changes_that_never_reached_the_merged_post(versioned: Path, website: Path,
                                                                             pr: Run):
    """P9: the follow-up names the source commits made after the export that was merged."""
    exported(versioned)
    assert pr(versioned, website, slug="test-post")[0] == 0
    git(website, "switch", "--quiet", "main")
    git(website, "merge", "--quiet", "--ff-only", "blog-test-post")
    exported(versioned, publish=True)
    status, out = pr(versioned, website, slug="test-post", publish=True, dry_run=True)
    assert status == 0 and "warning" not in out, out
    post = versioned / "post.md"
    post.write_text(post.read_text().replace("first round", "third round"))
    git(versioned.parent, "commit", "--quiet", "-am", "Round three")
    late = git(versioned.parent, "rev-parse", "--short=12", "HEAD").strip()
    exported(versioned, publish=True)
    status, out = pr(versioned, website, slug="test-post", publish=True)
    assert status == 0, out
    assert "pr: warning:" in out and f"{late} Round three" in out, out
    assert "Text of the first round." in git(website, "show", f"blog-test-post-publish:{POST}")


def test_make_pr_checks_glossary_ids_against_the_websites_own_glossary(tmp_path: Path):
    """The checkout's glossary is what its build will check: an id the shipped list lacks is taken."""
    src = make_project(tmp_path / "blog", "A {k8s-term}`new term <brand-new-term>` of the website.",
                       bibliography=False)
    website = website_checkout(tmp_path / "website")
    glossary = website / "content/en/docs/reference/glossary"
    glossary.mkdir(parents=True)
    (glossary / "brand-new-term.md").write_text("---\ntitle: Brand new term\nid: brand-new-term\n---\n")
    git(website, "add", ".")
    git(website, "commit", "--quiet", "-m", "A glossary")
    run = cli("pr", "--source", str(src), "--build", str(tmp_path / "blog" / "_build"), "--website", str(website))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "brand-new-term" in git(website, "show", "blog-test-post:content/en/blog/_posts/2026/test-post.md")


def test_make_pr_runs_no_template_of_a_post(tmp_path: Path):
    """F1 through make pr: the post is refused at its line, before anything is committed, and runs nothing."""
    marker = tmp_path / "ran"
    front = FRONT_MATTER.replace("\n---\n", "\nmyst:\n  enable_extensions: [substitution]\n---\n", 1)
    template = f"Hi {{{{ cycler.__init__.__globals__.os.popen('touch {marker}').read() }}}}."
    src = make_project(tmp_path / "blog", template, front=front, bibliography=False)
    website = website_checkout(tmp_path / "website")
    run = cli("pr", "--source", str(src), "--build", str(tmp_path / "blog" / "_build"), "--website", str(website))
    assert run.returncode != 0 and not marker.exists()
    assert "post.md:9: front matter key 'myst' would configure how the post is read" in run.stderr, run.stderr
    assert git(website, "branch", "--list", "blog-*") == ""


def test_a_reviewer_commit_carrying_make_prs_trailer_is_still_theirs(projects: dict[str, Path], website: Path,
                                                                     pr: Run):
    """Anyone can write make pr's trailer into a message: it counts only in commits of this checkout's own
    git identity, so a forged one is refused as any reviewer commit is, naming make absorb."""
    assert pr(projects["v1"], website)[0] == 0
    (website / POST).write_text("Taken over.\n")
    git(website, "commit", "-qam", f"Tidy up\n\n{TRAILER}: test-post 0123456789ab",
        GIT_COMMITTER_NAME="GitHub", GIT_COMMITTER_EMAIL="noreply@github.com")
    status, out = pr(projects["v1"], website)
    assert status == 1 and "Tidy up" in out and "make absorb" in out, out
