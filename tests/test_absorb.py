"""``make absorb``: a reviewer's commits on the pull request's branch, taken back into the MyST source.

Real git on both sides: the project is a git repository, the website a
checkout shaped like kubernetes/website; the export is built in process,
``make pr`` and ``make absorb`` run in process too, and one test goes through
``make absorb`` itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers import GIT_ENV, build, front_matter, git, make, make_project, website_checkout

BODY = """
Confidential computing protects data while it is in use, as {cite:p}`kaplan2016sev` showed for
memory encryption. This test post is long enough for the blog index teaser, so the lint has nothing to
say about its opening paragraph; it goes on a little more to be sure it passes the limit.

## Hardware support today

The vendors describe it in {cite:link}`AMD's whitepaper <amd2020snp>` and elsewhere; a {k8s-term}`Pod <pod>`
runs inside a confidential VM.

```{list-table} Hardware
:header-rows: 1

* - Vendor
  - Technology
* - AMD
  - SEV-SNP protects whole VMs
* - Intel
  - TDX
```

```yaml
apiVersion: v1
kind: Pod
metadata:
  name: confidential
```

```{note}
Attestation comes first. Check the report before you trust the node.
```

A footnote here[^one] and a [link to the docs](/docs/concepts/) too.

- first item of the list
- second item with *emphasis*

| Column | Other |
|---|---|
| pipe cell | more text |

[^one]: The footnote text is short.
"""
POSTS = "content/en/blog/_posts"
POST = f"{POSTS}/2026/test-post.md"
REVIEWER = {"GIT_AUTHOR_NAME": "Rita Reviewer", "GIT_AUTHOR_EMAIL": "rita@example.com"}

#: A reviewer's six suggestions on the export, and what each must become in the MyST source.
SIX = [
    ("Confidential computing protects data", "Confidential computing shields data",
     "Confidential computing shields data while it is in use, as {cite:p}`kaplan2016sev` showed for"),
    ("## Hardware support today", "## Hardware support now", "## Hardware support now"),
    ("| AMD | SEV-SNP protects whole VMs |", "| AMD | SEV-SNP isolates whole VMs |", "  - SEV-SNP isolates whole VMs"),
    ("  name: confidential\n", "  name: confidential-app\n", "  name: confidential-app"),
    ("[AMD's whitepaper]", "[AMD's white paper]",
     "The vendors describe it in {cite:link}`AMD's white paper <amd2020snp>` and elsewhere; "
     "a {k8s-term}`Pod <pod>`"),
    ("Check the report before", "Verify the report before",
     "Attestation comes first. Verify the report before you trust the node."),
]


@pytest.fixture(autouse=True)
def identity(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)


@dataclass
class Review:
    """A project in git, its post on a pull request's branch of a website checkout."""

    project: Path
    website: Path
    run: Callable[..., tuple[int, str]]

    @property
    def source(self) -> Path:
        return self.project / "source"

    @property
    def post(self) -> Path:
        return self.source / "post.md"

    def export(self) -> None:
        done = build(self.source, "hugo")
        assert done.status == 0, done.output

    def pr(self, **options: object) -> tuple[int, str]:
        from hugo_export.pr.submit import submit

        self.export()
        return self.run(submit, self.source, self.project / "_build", self.website, **options)

    def absorb(self, **options: object) -> tuple[int, str]:
        from hugo_export.pr.absorb import absorb

        self.export()
        return self.run(absorb, self.source, self.project / "_build", self.website, **options)

    def suggest(self, *changes: tuple[str, str], message: str = "Apply suggestions from code review") -> str:
        """A reviewer's commit on the branch (GitHub's "commit suggestion"); its sha."""
        text = (self.website / POST).read_text("utf-8")
        for old, new in changes:
            assert text.count(old) == 1, old
            text = text.replace(old, new)
        (self.website / POST).write_text(text, "utf-8")
        git(self.website, "commit", "--quiet", "-am", message, **REVIEWER)
        return git(self.website, "rev-parse", "HEAD").strip()

    def commit_source(self, message: str = "Take the review in") -> None:
        git(self.project, "commit", "--quiet", "-am", message)

    def commits(self) -> list[str]:
        return git(self.website, "log", "--format=%s", "main..blog-test-post").splitlines()


@pytest.fixture
def review(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Review:
    project = tmp_path / "project"
    make_project(project, BODY, front=front_matter(description='"What confidential computing is, in short."'))
    git(project, "init", "--quiet")
    git(project, "add", "source", "bibliography.bib")
    git(project, "commit", "--quiet", "-m", "The post")
    website = website_checkout(tmp_path / "website")

    def run(function: Callable[..., int], *args: object, **options: object) -> tuple[int, str]:
        status = function(*args, **options)
        out = capsys.readouterr()
        return status, out.out + out.err

    done = Review(project, website, run)
    status, out = done.pr()
    assert status == 0, out
    return done


def by_hand(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.endswith("; apply it by hand")]


def test_six_suggestions_come_back_and_the_next_round_needs_no_force(review: Review):
    before = review.post.read_text("utf-8")
    sha = review.suggest(*((old, new) for old, new, _ in SIX))
    reviewed = git(review.website, "show", f"{sha}:{POST}")
    status, out = review.absorb()
    assert status == 0, out
    assert "6 applied, 0 to apply by hand" in out
    after = review.post.read_text("utf-8")
    lines = after.split("\n")
    for _, _, expected in SIX:
        assert expected in lines, expected
    assert after.count("{cite:p}`kaplan2016sev`") == 1 and after.count("{k8s-term}`Pod <pod>`") == 1
    changed = [(a, b) for a, b in zip(before.split("\n"), lines, strict=True) if a != b]
    assert len(changed) == 6, changed  # nothing else moved

    review.commit_source()
    status, out = review.pr()  # no FORCE
    assert status == 0, out
    assert len(review.commits()) == 3  # the first round, the reviewer's, this one
    assert git(review.website, "show", f"blog-test-post:{POST}") == reviewed  # byte for byte
    trailer = "--format=%(trailers:key=K8s-Blog-Absorbed,valueonly)"
    assert git(review.website, "log", "-1", trailer, "blog-test-post").split() == [sha[:12]]

    status, out = review.absorb()  # again: everything is in the source already
    assert status == 0 and "0 applied, 0 to apply by hand" in out, out

    seventh = review.suggest(('term_id="pod"', 'term_id="node"'), message="Link the node")
    status, out = review.absorb()
    assert status == 1, out
    assert by_hand(out) == [f'source/post.md:18: commit {seventh[:12]} changed "pod" to "node"; apply it by hand']
    assert "0 applied, 1 to apply by hand" in out
    assert review.post.read_text("utf-8") == after  # nothing written for it

    status, out = review.pr()  # neither absorbed nor forced: refused, naming make absorb
    assert status == 1, out
    assert f"{seventh[:12]} Link the node (Rita Reviewer)" in out and "make absorb" in out
    assert len(review.commits()) == 4

    status, out = review.pr(force=True)
    assert status == 0, out
    trailer = "--format=%(trailers:key=K8s-Blog-Forced,valueonly)"
    assert git(review.website, "log", "-1", trailer, "blog-test-post").split() == [seventh[:12]]

    review.post.write_text(after.replace("short.", "short, and true."), "utf-8")  # the next round
    review.commit_source("Round three")
    status, out = review.pr()  # P1: FORCE once is enough, the forced commit does not come back
    assert status == 0, out
    assert len(review.commits()) == 6


def test_a_suggestion_the_source_already_carries_counts_as_absorbed(review: Review):
    """The author took the change in by hand (or on another machine): make pr sees it in the export."""
    sha = review.suggest(("Check the report before", "Verify the report before"))
    review.post.write_text(review.post.read_text("utf-8").replace("Check the report", "Verify the report"))
    review.commit_source()
    status, out = review.absorb()
    assert status == 0 and "0 applied, 0 to apply by hand" in out, out
    status, out = review.pr()
    assert status == 0, out
    trailer = "--format=%(trailers:key=K8s-Blog-Absorbed,valueonly)"
    assert git(review.website, "log", "-1", trailer, "blog-test-post").split() == [sha[:12]]


def test_a_word_the_author_changed_since_is_left_to_the_author(review: Review):
    review.suggest(("Check the report before", "Verify the report before"))
    review.post.write_text(review.post.read_text("utf-8").replace("Check the report", "Read the report"))
    review.commit_source()
    status, out = review.absorb()
    assert status == 1, out
    assert len(by_hand(out)) == 1 and by_hand(out)[0].startswith("source/post.md:40: commit ")
    assert '"Check" to "Verify"' in out
    assert "Read the report" in review.post.read_text("utf-8")


def test_uncommitted_changes_to_the_post_are_refused_before_anything_is_written(review: Review):
    review.suggest(("Check the report before", "Verify the report before"))
    edited = review.post.read_text("utf-8") + "\nAn edit not yet committed.\n"
    review.post.write_text(edited, "utf-8")
    status, out = review.absorb()
    assert status == 2 and "source/post.md has uncommitted changes" in out, out
    assert review.post.read_text("utf-8") == edited


UNSAFE = {
    "a role": ("shields data", "shields {k8s-term}`data <pod>`"),
    "a link": ("shields data", "shields [data](https://example.com/)"),
    "a heading": ("- first item of the list", "# first item of the list"),
    "a comment": ("- first item of the list", "% first item of the list"),
    "a template in the title": ('About Things"', 'About {{< param secret >}}"'),
    "a quote that breaks the YAML": ('in short."', 'in "short.""'),
    "a directive": ("  name: confidential\n", "```{raw} html\n"),
    "a shortcode": ("shields data", "shields {{< glossary_tooltip text=\"data\" term_id=\"pod\" >}}"),
    "a template": ("shields data", "shields {{ .Site.Params.secret }}"),
    "html": ("shields data", "shields <script>alert(1)</script>"),
    # A whole line of a paragraph replaced: the line before would become a heading, or a rule (a review's find).
    "a setext underline": ("say about its opening paragraph; it goes on a little more to be sure it passes the limit.",
                           "==="),
    "a thematic break": ("say about its opening paragraph; it goes on a little more to be sure it passes the limit.",
                         "***"),
}


@pytest.mark.parametrize("case", UNSAFE)
def test_markup_a_reviewer_writes_is_never_copied_into_the_source(review: Review, case: str):
    old, new = UNSAFE[case]
    review.suggest((old.replace("shields", "protects"), new.replace("shields", "protects")))
    before = review.post.read_text("utf-8")
    status, out = review.absorb()
    assert status == 1, out
    assert len(by_hand(out)) >= 1 and "0 applied" in out, out
    assert review.post.read_text("utf-8") == before


def test_what_a_reviewer_wrote_cannot_rewrite_the_terminal(review: Review):
    review.suggest(("Check the report", "Check the \x1b[2Jreport\x07"), message="Clear \x1b[2J the screen")
    status, out = review.absorb()
    assert status == 1 and "\x07" not in review.post.read_text("utf-8")  # left to the author, shown inert
    assert "\x1b" not in out and "Clear \\x1b[2J the screen" in out and "\\x1b[2Jreport" in out, out


def test_a_reviewer_commit_that_adds_a_file_is_reported_not_copied(review: Review):
    (review.website / POSTS / "2026" / "evil.sh").write_text("#!/bin/sh\ntouch pwned\n")
    (review.website / POST).write_text((review.website / POST).read_text().replace("Check the", "Verify the"))
    git(review.website, "add", ".")
    git(review.website, "commit", "--quiet", "-m", "Two things", **REVIEWER)
    status, out = review.absorb()
    assert status == 1, out
    assert "1 applied, 1 to apply by hand" in out
    assert any(f"{POSTS}/2026/evil.sh" in line for line in by_hand(out)), out
    assert sorted(p.name for p in review.source.iterdir()) == ["conf.py", "index.md", "post.md"]
    assert not list(review.project.rglob("pwned"))


def test_a_branch_without_reviewer_commits_has_nothing_to_absorb(review: Review):
    status, out = review.absorb()
    assert status == 0 and "nothing to absorb" in out, out


def test_make_absorb(review: Review):
    review.suggest(("Check the report before", "Verify the report before"))
    run = make("absorb", review.source, review.project / "_build", f"WEBSITE={review.website}", **GIT_ENV)
    assert run.returncode == 0, run.stdout + run.stderr
    assert re.search(r"^source/post\.md:40: commit [0-9a-f]{12} changed \"Check\" to \"Verify\"; applied$",
                     run.stdout, re.M), run.stdout
    assert "Verify the report" in review.post.read_text("utf-8")


#: The other places a word can change, and what the source must read then.
MORE = [
    ('title: "A Test Post About Things"', 'title: "A Test Post: About Many Things"',
     'title: "A Test Post: About Many Things"'),
    ("in short.", "in brief.", 'description: "What confidential computing is, in brief."'),
    ("- first item of the list", "- first entry of the list", "- first entry of the list"),
    ("| pipe cell | more text |", "| pipe cell | much more text |", "| pipe cell | much more text |"),
    ("The footnote text is short.", "The footnote text is very short.", "[^one]: The footnote text is very short."),
    ("[link to the docs]", "[link to the concepts docs]",
     "A footnote here[^one] and a [link to the concepts docs](/docs/concepts/) too."),
    ("| Intel | TDX |", "| Intel | TDX and SGX |", "  - TDX and SGX"),
    ("second item with *emphasis*", "second item with *strong emphasis*", "- second item with *strong emphasis*"),
    ("This test post is long", "This post is long",
     "memory encryption. This post is long enough for the blog index teaser, so the lint has nothing to"),
    ("runs inside a confidential VM.", "runs inside a `confidential` VM.", "runs inside a `confidential` VM."),
]


def test_front_matter_lists_tables_footnotes_and_links_come_back_too(review: Review):
    sha = review.suggest(*((old, new) for old, new, _ in MORE))
    reviewed = git(review.website, "show", f"{sha}:{POST}")
    status, out = review.absorb()
    assert status == 0 and f"{len(MORE)} applied, 0 to apply by hand" in out, out
    lines = review.post.read_text("utf-8").split("\n")
    for _, _, expected in MORE:
        assert expected in lines, expected
    review.commit_source()
    status, out = review.pr()
    assert status == 0, out
    assert git(review.website, "show", f"blog-test-post:{POST}") == reviewed


def test_the_authors_own_edit_of_the_same_sentence_stays(review: Review):
    """A three-way merge, word by word: the reviewer's word and the author's meet in the source."""
    review.suggest(("Check the report before", "Verify the report before"))
    review.post.write_text(review.post.read_text("utf-8").replace("you trust the node", "you use the node"))
    review.commit_source()
    status, out = review.absorb()
    assert status == 0 and "1 applied, 0 to apply by hand" in out, out
    assert "Attestation comes first. Verify the report before you use the node." in review.post.read_text("utf-8")


def test_a_merge_of_the_default_branch_is_not_in_the_way(review: Review):
    """GitHub's "Update branch": the merge brings nothing of the reviewers', and make pr goes on."""
    git(review.website, "switch", "--quiet", "main")
    (review.website / "README.md").write_text("Unrelated work.\n")
    git(review.website, "add", "README.md")
    git(review.website, "commit", "--quiet", "-m", "Unrelated work")
    git(review.website, "switch", "--quiet", "blog-test-post")
    git(review.website, "merge", "--quiet", "--no-edit", "main")
    sha = review.suggest(("Check the report before", "Verify the report before"))
    status, out = review.absorb()
    assert status == 0 and "1 applied, 0 to apply by hand" in out, out
    review.commit_source()
    status, out = review.pr()
    assert status == 0, out
    trailer = "--format=%(trailers:key=K8s-Blog-Absorbed,valueonly)"
    assert git(review.website, "log", "-1", trailer, "blog-test-post").split()[-1] == sha[:12]


def test_a_suggestion_committed_on_github_is_pulled_first(review: Review, tmp_path: Path):
    hub, reviewer = tmp_path / "hub.git", tmp_path / "reviewer"
    git(tmp_path, "clone", "--quiet", "--bare", str(review.website), str(hub))
    git(review.website, "remote", "add", "origin", str(hub))
    git(review.website, "fetch", "--quiet", "origin")
    git(review.website, "branch", "--quiet", "--set-upstream-to=origin/blog-test-post", "blog-test-post")
    git(tmp_path, "clone", "--quiet", "--branch", "blog-test-post", str(hub), str(reviewer))
    text = (reviewer / POST).read_text("utf-8")
    (reviewer / POST).write_text(text.replace("Check the report before", "Verify the report before"), "utf-8")
    git(reviewer, "commit", "--quiet", "-am", "Apply suggestions from code review", **REVIEWER)
    git(reviewer, "push", "--quiet", "origin", "blog-test-post")
    git(review.website, "fetch", "--quiet", "origin")
    status, out = review.absorb()
    assert status == 2 and "lacks 1 commit(s) of origin/blog-test-post" in out and "merge --ff-only" in out, out
    git(review.website, "merge", "--quiet", "--ff-only", "origin/blog-test-post")
    status, out = review.absorb()
    assert status == 0 and "1 applied" in out, out


def test_make_absorb_passes_what_it_is_given_literally(tmp_path: Path):
    src = make_project(tmp_path / "project", BODY)
    witness = tmp_path / "witness"
    run = make("absorb", src, tmp_path / "_build", f"WEBSITE=$(touch {witness})'\"", f"BRANCH=`touch {witness}`")
    assert run.returncode != 0 and "is not a git checkout" in run.stderr, run.stdout + run.stderr
    assert not witness.exists()
