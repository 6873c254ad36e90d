"""One project value: conf.py's bib files and hugo_section, read once as literals, honoured by every reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import GIT_ENV, build, captured, git, make_project
from hugo_export.outputs import Options, fingerprint
from hugo_export.pr.submit import submit
from hugo_export.project import DEFAULT_SECTION, Project, ProjectError
from hugo_export.qa.lint import lint_file

SECTION = "content/en/posts"


def test_conf_py_settings_are_read_as_literals_without_running_it(tmp_path: Path):
    src = make_project(tmp_path, "Text.", conf=f'hugo_section = "{SECTION}"\nbibtex_bibfiles = ["../refs/a.bib"]\n'
                                                'import os; os.system("touch ran")\n')
    project = Project.read(src)
    assert project.section == SECTION and project.bibfiles == ((tmp_path / "refs" / "a.bib").resolve(),)
    assert not (tmp_path / "ran").exists() and not Path("ran").exists()
    assert Project.read(make_project(tmp_path / "plain", "Text.")).section == DEFAULT_SECTION


def test_a_setting_that_is_no_literal_is_named(tmp_path: Path):
    src = make_project(tmp_path, "Text.", conf='hugo_section = "content/" + "x"\n')
    with pytest.raises(ProjectError, match=r"conf\.py:\d+: write hugo_section as a literal value"):
        Project.read(src)


def test_a_bib_file_anywhere_conf_py_names_is_in_the_no_op_fingerprint(tmp_path: Path):
    src = make_project(tmp_path, "Text {cite:p}`kaplan2016sev`.", conf='bibtex_bibfiles = ["../refs/more.bib"]\n')
    (tmp_path / "refs").mkdir()
    (tmp_path / "bibliography.bib").rename(tmp_path / "refs" / "more.bib")
    options = Options("hugo", src, tmp_path / "_build")
    before = fingerprint(options)
    (tmp_path / "refs" / "more.bib").write_text((tmp_path / "refs" / "more.bib").read_text() + "\n")
    assert fingerprint(options) != before


def test_hugo_section_is_honoured_by_the_export_the_lint_and_make_pr(tmp_path: Path):
    src = make_project(tmp_path / "blog", "Text.", conf=f'hugo_section = "{SECTION}"\n', bibliography=False)
    out = build(src, "hugo")
    assert out.status == 0, out.output
    post = tmp_path / "blog" / "_build" / "hugo" / SECTION / "2026" / "test-post.md"
    assert post.is_file()
    assert [f for f in lint_file(post, section=SECTION) if f.rule == "path-form"] == []
    website = tmp_path / "website"
    (website / SECTION).mkdir(parents=True)
    (website / "hugo.toml").write_text('baseURL = "https://kubernetes.io/"\n')
    (website / SECTION / ".keep").write_text("")
    git(website, "init", "--quiet", "--initial-branch", "main")
    git(website, "add", ".")
    git(website, "commit", "--quiet", "-m", "Initial")
    with captured(**GIT_ENV):  # an identity of its own, none of the machine's
        status = submit(src, tmp_path / "blog" / "_build", website)
    assert status == 0
    assert f"{SECTION}/2026/test-post.md" in git(website, "ls-tree", "-r", "--name-only", "blog-test-post")


@pytest.mark.parametrize(("conf", "message"), [
    ("if True:\n", r"conf\.py:\d+: conf\.py is not valid Python"),
    ('bibtex_bibfiles += ["../more.bib"]\n', r"conf\.py:\d+: set bibtex_bibfiles in one plain assignment"),
])
def test_conf_py_that_cannot_be_read_as_literals_is_named(tmp_path: Path, conf: str, message: str):
    src = make_project(tmp_path, "Text.", conf=conf)
    with pytest.raises(ProjectError, match=message):
        Project.read(src)


def test_an_annotated_setting_is_read_too(tmp_path: Path):
    src = make_project(tmp_path, "Text.", conf=f'hugo_section: str = "{SECTION}"\n')
    assert Project.read(src).section == SECTION
