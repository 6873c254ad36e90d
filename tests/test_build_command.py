"""``k8s-blog build`` builds what ``sphinx-build`` builds, ends sooner and never half-writes.

The command ends the process with ``os._exit``; these tests hold it to
``sphinx-build``'s exit status, its messages (stdout is a pipe here, so a
missing flush loses them) and its files, for a good build, a build with a
warning under ``-W`` and a build a check stops. Then: a no-op when nothing
changed, a rebuild when anything it depends on changed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import BIB, build, cli, front_matter, git, make_project
from hugo_export.cli import parser
from hugo_export.outputs import Options, fingerprint
from hugo_export.pr.git import source_commit
from hugo_export.revision import describe

SPHINX_BUILD = str(Path(sys.executable).parent / "sphinx-build")
# stdout is a buffered pipe, as under make
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}, "NO_COLOR": "1"}
GOOD = "Kubernetes needs {cite:link}`a TEE <kaplan2016sev>`."
CASES = {  # body, bib (None: the default), expected status: sphinx-build's, ours (2: an author's mistake)
    "good build": (GOOD, None, (0, 0)),
    "warning under -W": ("Kubernetes needs {cite:link}`a TEE <nosuchkey2020>`.", None, (1, 2)),
}


def files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(out).parts)}


@pytest.mark.parametrize("case", CASES)
def test_same_status_messages_and_files_as_sphinx_build(tmp_path: Path, case: str) -> None:
    body, bib, (status, our_status) = CASES[case]
    # conf.py prints, as authors' debugging does: lost if the buffer is not flushed
    src = make_project(tmp_path, body, conf='print("conf.py was read")', bib=bib or BIB)
    theirs = subprocess.run([SPHINX_BUILD, "-b", "hugo", "-W", "--keep-going", "-q", "-d", str(tmp_path / "dt"),
                             str(src), str(tmp_path / "theirs")], capture_output=True, text=True, env=ENV)
    ours = subprocess.run([str(Path(sys.executable).parent / "k8s-blog"), "build", "hugo", "--source", str(src),
                           "--build", str(tmp_path / "_build")], capture_output=True, text=True,
                          env={**ENV, "LC_ALL": "fr_FR.UTF-8"})  # a locale the machine lacks: no matter
    assert (theirs.returncode, ours.returncode) == (status, our_status), ours.stderr + theirs.stderr
    assert "conf.py was read" in ours.stdout
    # the same messages; under -W each fails the build, so ours says ERROR where Sphinx says WARNING
    assert {line.replace(": WARNING: ", ": ERROR: ") for line in theirs.stderr.splitlines()} <= set(
        ours.stderr.splitlines())
    assert files(tmp_path / "_build" / "hugo") == (files(tmp_path / "theirs") if status == 0 else {})
    if status == 0:
        assert any(name.endswith("test-post.md") for name in files(tmp_path / "_build" / "hugo"))
        assert ours.stdout.splitlines()[-1].endswith("_posts/2026/test-post.md")


def test_nothing_changed_nothing_runs_and_each_input_rebuilds(tmp_path: Path):
    src = make_project(tmp_path, GOOD)
    assert build(src, "hugo").status == 0
    again = build(src, "hugo")
    assert again.status == 0 and "up to date" in again.output
    for touch in (src / "post.md", tmp_path / "bibliography.bib", src / "conf.py"):
        time.sleep(0.01)
        touch.write_text(touch.read_text() + "\n")
        rebuilt = build(src, "hugo")
        assert rebuilt.status == 0 and "up to date" not in rebuilt.output, touch
    (src / "new-post.md").write_text((src / "post.md").read_text().replace("slug: test-post", "slug: new-post"))
    assert "new-post.md" in build(src, "hugo").output
    (src / "new-post.md").unlink()
    gone = build(src, "hugo")
    assert "up to date" not in gone.output and not gone.post("new-post").exists()
    assert "up to date" not in build(src, "hugo", publish=True).output  # the options count too


def test_a_failed_build_reports_its_warnings_again_next_time(tmp_path: Path):
    src = make_project(tmp_path, "Text {cite:p}`nosuchkey`.")
    first, second = build(src, "html"), build(src, "html")
    assert first.status == second.status == 2
    assert "nosuchkey" in first.output and "nosuchkey" in second.output


def test_the_command_line_imports_no_sphinx_for_lint_rules_bibcheck_pr(tmp_path: Path):
    src = make_project(tmp_path, GOOD)
    assert build(src, "hugo").status == 0
    post = next((tmp_path / "_build" / "hugo").rglob("*.md"))
    website = tmp_path / "not-a-website"  # refused before any build
    website.mkdir()
    for args in (["lint", str(post)], ["rules"], ["bibcheck", str(tmp_path / "bibliography.bib")],
                 ["pr", "--source", str(src), "--build", str(tmp_path / "_build"), "--website", str(website)]):
        run = subprocess.run([sys.executable, "-X", "importtime", "-m", "hugo_export", *args],
                             capture_output=True, text=True)
        imported = [line.split("|")[-1].strip() for line in run.stderr.splitlines() if "|" in line]
        heavy = [m for m in imported if m.split(".")[0] in ("sphinx", "docutils", "sphinxcontrib")]
        assert imported and not heavy, args


def test_importing_the_package_changes_nothing():
    code = ("import importlib.metadata, pybtex.plugin, sys; before = pybtex.plugin.entry_points; import hugo_export; "
            "print(pybtex.plugin.entry_points is before, 'sphinx' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.stdout.split() == ["True", "False"]


def test_help_of_every_subcommand(capsys: pytest.CaptureFixture[str]):
    assert cli("--help").returncode == 0
    names = list(parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr,arg-type]
    assert {"build", "pdf", "check", "lint", "rules", "bibcheck", "linkcheck", "preview", "pr"} <= set(names)
    for name in names:
        with pytest.raises(SystemExit) as done:
            parser().parse_args([name, "--help"])
        assert done.value.code == 0 and "usage: k8s-blog " + name in capsys.readouterr().out, name


def test_the_pdf_sources_are_rebuilt_after_a_commit_that_changes_no_file(tmp_path: Path):
    """The review PDF's header names the revision: a new commit is a new input, epoch pinned or not."""
    src = make_project(tmp_path, GOOD)
    git = ["git", "-C", str(tmp_path), "-c", "user.name=T", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "one"], check=True)
    latex, hugo = Options("latex", src, tmp_path / "_build"), Options("hugo", src, tmp_path / "_build")
    before = fingerprint(latex), fingerprint(hugo)
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "two"], check=True)
    assert fingerprint(latex) != before[0]
    assert fingerprint(hugo) == before[1]  # the export names no revision


def test_the_revision_says_when_the_sources_differ_from_their_commit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The PDF's header and make pr's trailer name the sources' commit, and say when the post or its bib changed."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    src, bib = make_project(tmp_path, GOOD), tmp_path / "bibliography.bib"
    assert (describe(src, [bib]), source_commit(src, bib)) == ("no revision", "unversioned")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "one")
    short, long = (git(tmp_path, "rev-parse", f"--short{n}", "HEAD").strip() for n in ("", "=12"))
    (tmp_path / "notes.txt").write_text("beside the sources: not theirs")
    assert (describe(src, [bib]), source_commit(src, bib)) == (f"rev {short}", long)
    bib.write_text(bib.read_text() + "\n")
    assert (describe(src, [bib]), source_commit(src, bib)) == (f"rev {short} + changes", f"{long}-dirty")


def test_sphinx_build_writes_no_post_that_has_a_warning(tmp_path: Path):
    """``sphinx-build -b hugo -W``, the builder on its own: a post with a warning is not written, the
    clean one is (the builder attributes each warning to its post: hugo/attribution.py)."""
    src = make_project(tmp_path, "Some <span>raw HTML</span>, which the export passes through with a warning.")
    (src / "zz.md").write_text(front_matter("clean-post") + "\nNothing wrong here.\n")
    run = subprocess.run([SPHINX_BUILD, "-b", "hugo", "-W", "--keep-going", "-q", str(src), str(tmp_path / "out")],
                         capture_output=True, text=True, env=ENV)
    assert run.returncode != 0 and "[hugo.raw]" in run.stderr, run.stderr
    written = sorted(p.name for p in (tmp_path / "out").rglob("*.md"))
    assert written == ["clean-post.md"], written
