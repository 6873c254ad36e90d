"""``make hugo`` and ``make html`` rebuild exactly when their output would change.

They skip Sphinx when nothing changed (a no-op costs milliseconds), and
rebuild when a source, the bibliography beside the sources, or the options
the output was made with (``PUBLISH``, ``ALLOW_TODO``) change.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

POST = Path("hugo/content/en/blog/_posts/2026/confidential-kubernetes.md")
AMD_URL = "https://www.amd.com/system/files/TechDocs/SEV-SNP-strengthening"


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """The article and its bibliography, laid out as in the repository."""
    shutil.copytree(ROOT / "source", tmp_path / "source", ignore=shutil.ignore_patterns("editorial"))
    shutil.copy(ROOT / "bibliography.bib", tmp_path)
    return tmp_path


def make_hugo(project: Path, *options: str, target: str = "hugo") -> subprocess.CompletedProcess[str]:
    run = subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), target, f"SRC={project / 'source'}",
         f"BUILD={project / 'build'}", *options],
        capture_output=True, text=True, env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600"},
    )
    assert run.returncode == 0, run.stdout + run.stderr
    return run


def front_matter(project: Path) -> dict[str, object]:
    return yaml.safe_load((project / "build" / POST).read_text("utf-8").split("---\n")[1])


@pytest.mark.parametrize(("target", "output"), [("hugo", POST), ("html", Path("html/confidential-kubernetes.html"))])
def test_nothing_changed_nothing_runs(project: Path, target: str, output: Path):
    make_hugo(project, target=target)
    written = (project / "build" / output).stat().st_mtime_ns
    again = make_hugo(project, target=target)
    assert "hugo_export.build" not in again.stdout  # make ran no build command
    assert (project / "build" / output).stat().st_mtime_ns == written
    (project / "source" / "confidential-kubernetes.md").touch()
    assert "hugo_export.build" in make_hugo(project, target=target).stdout


def test_switching_publish_rebuilds_the_export(project: Path):
    make_hugo(project)
    assert front_matter(project)["draft"] is True
    make_hugo(project, "PUBLISH=1")
    published = front_matter(project)
    assert "draft" not in published and str(published["date"]) == "2026-12-10"
    make_hugo(project)
    assert front_matter(project)["draft"] is True


def test_editing_the_bibliography_beside_the_sources_rebuilds_the_export(project: Path):
    make_hugo(project)
    bib = project / "bibliography.bib"
    assert AMD_URL in bib.read_text("utf-8")
    bib.write_text(bib.read_text("utf-8").replace(AMD_URL, "https://www.amd.com/en/moved/SEV-SNP-strengthening"))
    make_hugo(project)
    post = (project / "build" / POST).read_text("utf-8")
    assert "https://www.amd.com/en/moved/SEV-SNP-strengthening" in post and AMD_URL not in post
