"""``make check`` passes the repository's post and fails each broken project, with the build's strictness."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import SOURCE, make_project
from hugo_export.qa.check import run_checks

OPENING = ("Confidential computing keeps data encrypted while it is processed, and Kubernetes can schedule "
           "workloads onto hardware that supports it; this post explains how the pieces fit together and "
           "what each one protects, citing {cite:p}`kaplan2016sev` along the way.")
BODY = (OPENING + "\n\n## How it works\n\n"
        "The {cite:link}`AMD whitepaper <amd2020snp>` and {cite:t}`doi2022paper` explain it.\n")


def check(src: Path, build: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = run_checks(src, build)
    return status, capsys.readouterr().out


def test_check_passes_on_the_repository_post(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    status, out = check(SOURCE, tmp_path / "_build", capsys)
    assert status == 0, out
    assert out.splitlines()[-1].startswith("check: PASS: export ok (1 post(s)); bib 0 problem(s); todo 0 open")


def test_check_passes_a_good_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    status, out = check(make_project(tmp_path, BODY), tmp_path / "_build", capsys)
    assert status == 0, out


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("\n## ", "\nA hard\\\nbreak.\n\n## "),
        ("\n## ", "\nRead [the docs](/docs/concepts/) as they stand.\n\n## "),
    ],
    ids=["hard-break", "root-relative-link"],
)
def test_check_passes_what_the_build_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str):
    src = make_project(tmp_path, BODY)
    text = (src / "post.md").read_text("utf-8")
    (src / "post.md").write_text(text.replace(old, new, 1), encoding="utf-8")
    status, out = check(src, tmp_path / "_build", capsys)
    assert status == 0, out


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("\n## ", "\nThe recieved wisdom.\n\n## ", "codespell 1 typo(s)"),
        ("\n## ", "\n```{todo}\nFinish this.\n```\n\n## ", "export failed"),
        ("\n## ", "\n~~~{todo}\nFinish this.\n~~~\n\n## ", "export failed"),
        ("\n## ", "\nSee [this](http://example.com/page).\n\n## ", "lint 1 error(s)"),
        ("\n## ", "\nAs {cite:p}`nosuchkey2020` said.\n\n## ", "export failed"),
        ("{cite:p}`kaplan2016sev`", "{cite:p}`Kaplan2016SEV`", "export failed"),
        ("\n## How", "\n### How", "export failed"),
        ("{cite:t}`doi2022paper`", "nobody", "bib 1 problem(s)"),
    ],
    ids=["typo", "todo", "tilde-todo", "lint", "unknown-key", "key-case", "skipped-level", "uncited"],
)
def test_check_fails_where_the_build_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str,
                                           expected: str):
    src = make_project(tmp_path, BODY)
    text = (src / "post.md").read_text("utf-8")
    assert old in text
    (src / "post.md").write_text(text.replace(old, new, 1), encoding="utf-8")
    status, out = check(src, tmp_path / "_build", capsys)
    assert status == 1
    summary = out.strip().splitlines()[-1]
    assert summary.startswith("check: FAIL") and expected in summary, out
