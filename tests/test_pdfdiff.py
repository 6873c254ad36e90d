"""``make pdf-diff``: what changed since a git revision, marked in the review PDF; real git, latexdiff, latexmk.

The project is a git repository with three commits: the first has one post,
the second adds another, the third renames the first post's file (its slug
stays) and changes one word in it. The diff against the first commit must
mark that word only in the first post, and all of the second post as added.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from helpers import EPOCH, captured, front_matter, git, make, make_project, post_text
from hugo_export.pdfdiff import make_diff
from pdfread import coloured, lines

pytestmark = pytest.mark.slow
ADDED, REMOVED = "#0000ff", "#ff0000"
FIRST = """
The first post says how confidential computing works {cite:p}`kaplan2016sev`, with a
[link to the spec](https://example.com/spec) and `inline code`.

| Part | Role |
|---|---|
| guest | runs the Pod |

```yaml
kind: Pod
metadata:
  name: app
```
"""
SECOND = "The second post came later.\n\n| Part | Role |\n|---|---|\n| host | untrusted |\n\n```yaml\nkind: Secret\n```"


def commit_git(repo: Path, *args: str) -> str:
    """git with the commits dated, so the PDF's header is the same every run."""
    return git(repo, *args, GIT_AUTHOR_DATE="2026-01-01T00:00:00Z", GIT_COMMITTER_DATE="2026-01-01T00:00:00Z").strip()


def diff(source: Path, build: Path, rev: str, post: str | None = None) -> tuple[int, str]:
    with captured(SOURCE_DATE_EPOCH=EPOCH) as out:
        status = make_diff(source, build, rev, post)
    return status, out.getvalue()


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path | str]:
    root = tmp_path_factory.mktemp("repo")
    source = make_project(root, FIRST, name="first")
    (source / "editorial").mkdir()
    (source / "editorial" / "Notizen über.md").write_text("A name git quotes unless asked not to.\n")
    commit_git(root, "init", "-q")
    commit_git(root, "add", "-A")
    commit_git(root, "commit", "-q", "-m", "first")
    base = commit_git(root, "rev-parse", "--short", "HEAD")
    (source / "second.md").write_text(post_text(SECOND, front=front_matter("second")), "utf-8")
    commit_git(root, "add", "-A")
    commit_git(root, "commit", "-q", "-m", "second")
    commit_git(root, "mv", "source/first.md", "source/renamed.md")
    renamed = source / "renamed.md"
    renamed.write_text(renamed.read_text("utf-8").replace("says how", "shows how"), "utf-8")
    commit_git(root, "commit", "-q", "-am", "one word")
    return {"root": root, "source": source, "base": base, "head": commit_git(root, "rev-parse", "--short", "HEAD")}


@pytest.fixture(scope="module")
def diffs(repo: dict[str, Path | str]) -> dict[str, Path]:
    """pdf-diff against the first commit; again in another build folder, for the second post."""
    source, root = Path(repo["source"]), Path(repo["root"])
    for run, post in (("one", None), ("two", "second")):
        status, output = diff(source, root / run, "HEAD~2", post)
        assert status == 0, output
    return {"one": root / "one" / "pdf", "two": root / "two" / "pdf"}


def test_a_one_word_change_is_marked_and_nothing_else(diffs: dict[str, Path], repo: dict[str, Path | str]):
    pdf = diffs["one"] / f"test-post-diff-{repo['base']}.pdf"
    assert coloured(pdf, REMOVED) == ["says"]
    assert coloured(pdf, ADDED) == ["shows"]


def test_citations_links_tables_and_code_survive(diffs: dict[str, Path], repo: dict[str, Path | str]):
    pdf = diffs["one"] / f"test-post-diff-{repo['base']}.pdf"
    text = [line.text for line in lines(pdf)]
    assert any("[Kaplan et al., 2016]" in line for line in text)
    assert "guest runs the Pod" in text and "name: app" in text
    xml = subprocess.run(["pdftohtml", "-xml", "-stdout", "-i", str(pdf)], capture_output=True, text=True).stdout
    assert '<a href="https://example.com/spec">' in xml
    numbered = [line.number for line in lines(pdf) if line.number is not None]
    assert numbered == list(range(1, len(numbered) + 1)) and len(numbered) > 8


def test_a_post_that_did_not_exist_at_the_revision_is_all_added(diffs: dict[str, Path], repo: dict[str, Path | str]):
    pdf = diffs["one"] / f"second-diff-{repo['base']}.pdf"
    added = " ".join(coloured(pdf, ADDED))
    assert added.startswith("The second post came later.") and added.endswith("References")
    assert all(word in added.split() for word in ("Part", "Role", "host", "untrusted", "kind", "Secret"))
    assert coloured(pdf, REMOVED) == []


def test_the_header_names_both_revisions(diffs: dict[str, Path], repo: dict[str, Path | str]):
    header = lines(diffs["one"] / f"second-diff-{repo['base']}.pdf")[0].text
    assert header.endswith(f"rev {repo['head']}, 2026-01-01; marked: changes since {repo['base']}")


def test_two_runs_give_the_same_bytes(diffs: dict[str, Path], repo: dict[str, Path | str]):
    name = f"second-diff-{repo['base']}.pdf"
    assert [p.name for p in diffs["two"].iterdir()] == [name]
    assert (diffs["one"] / name).read_bytes() == (diffs["two"] / name).read_bytes()


def test_a_revision_that_is_not_a_commit_is_refused(repo: dict[str, Path | str], tmp_path: Path):
    status, output = diff(Path(repo["source"]), tmp_path, "no-such-branch")
    assert status == 2
    assert "'no-such-branch' is not a commit of" in output and "git log --oneline" in output
    run = make("pdf-diff", Path(repo["source"]), tmp_path)
    assert run.returncode == 2 and "set REV=<git revision>" in run.stderr
