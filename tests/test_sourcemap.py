"""From a line of the export (a reviewer's PR comment) back to the MyST source: ``k8s-blog where`` and the lint."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import Build, build, make_project, post_text
from hugo_export.cli import main
from hugo_export.outputs import Result
from hugo_export.qa.check import Context, check_lint

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
BODY = """
Opening paragraph, its first line
and its second line, with a {k8s-term}`Pod <pod>` term.

## A section

- item one
- item two
  continued on a second line

```yaml
apiVersion: v1
kind: Pod
```

```{list-table} Caption of the list table
:header-rows: 1

* - Head A
  - Head B
* - cell-a1
  - cell-b1
* - cell-a2
  - cell-b2
```

| P | Q |
|---|---|
| p1 | q1 |
| p2 | q2 |

```{figure} diagram.svg
:alt: A diagram

The caption.
```

```{note}
A note body.
```
"""

#: kind -> (text on the export line, text on the source line it must map to)
KINDS = {
    "front-matter-key": ('title: "A Test Post About Things"', 'title: "A Test Post About Things"'),
    "front-matter-author": ("  Grace Hopper (Navy)", "  - Grace Hopper (Navy)"),
    "front-matter-added": ("layout: blog", "---"),
    "heading": ("## A section", "## A section"),
    "paragraph": ("and its second line", "and its second line"),
    "glossary-shortcode": ("glossary_tooltip", "{k8s-term}"),
    "list-item": ("  continued on a second line", "  continued on a second line"),
    "code-line": ("kind: Pod", "kind: Pod"),
    "code-fence": ("```yaml", "```yaml"),
    "list-table-caption": ("{{< table caption=", "```{list-table}"),
    "list-table-row": ("| cell-a2 | cell-b2 |", "* - cell-a2"),
    "pipe-table-row": ("| p2 | q2 |", "| p2 | q2 |"),
    "figure-shortcode": ("{{< figure", "```{figure}"),
    "callout-shortcode": ("{{< note >}}", "```{note}"),
    "callout-body": ("A note body.", "A note body."),
}


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Build:
    src = make_project(tmp_path_factory.mktemp("map"), files={"post/diagram.svg": SVG})
    (src / "post" / "index.md").write_text(post_text(BODY, bibliography=False), "utf-8")
    done = build(src, "hugo")
    assert done.status == 0, done.output
    return done


def source(export: Build) -> str:
    return (export.root.parent / "source" / "post" / "index.md").read_text("utf-8")


def line_of(text: str, needle: str) -> int:
    """The number of the first line of *text* that holds *needle*."""
    return next(n for n, line in enumerate(text.split("\n"), 1) if needle in line)


def where(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["where", *args])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("kind", KINDS)
def test_where_maps_each_kind_of_export_line_to_its_source_line(export: Build, capsys: pytest.CaptureFixture[str],
                                                                  kind: str):
    exported, written = KINDS[kind]
    post = export.post()
    status, out, err = where(capsys, f"{post}:{line_of(post.read_text('utf-8'), exported)}")
    assert (status, err) == (0, "")
    assert out == f"source/post/index.md:{line_of(source(export), written)}\n"


def test_the_map_covers_every_line_and_leaves_no_tag_in_the_export(export: Build, capsys: pytest.CaptureFixture[str]):
    text = export.post().read_text("utf-8")
    assert not any("\ufdd0" <= ch <= "\ufdef" for ch in text)
    lines = text.count("\n")
    assert where(capsys, f"{export.post()}:{lines}")[0] == 0
    status, _, err = where(capsys, f"{export.post()}:{lines + 1}")
    assert status == 2 and f"has {lines} lines, not {lines + 1}" in err


def test_where_finds_the_map_of_the_same_file_in_a_website_checkout(export: Build, tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]):
    copy = tmp_path / "website/content/en/blog/_posts/2026/test-post/index.md"
    copy.parent.mkdir(parents=True)
    shutil.copyfile(export.post(), copy)
    line = line_of(copy.read_text("utf-8"), "kind: Pod")
    status, out, err = where(capsys, f"{copy}:{line}", "--build", str(export.root))
    assert (status, err) == (0, "") and out.startswith("source/post/index.md:")
    copy.write_text("---\nchanged\n" + copy.read_text("utf-8"))
    status, out, err = where(capsys, f"{copy}:{line}", "--build", str(export.root))
    assert status == 0 and "is not the export the map was made from" in err
    status, out, err = where(capsys, f"{copy}:{line}")  # the default build folder holds no map of it
    assert status == 2 and "no source map of 'test-post'" in err


def test_lint_findings_name_the_source_line_too(export: Build, capsys: pytest.CaptureFixture[str]):
    post = export.post()
    expected = f"(source: source/post/index.md:{line_of(source(export), '```{note}')})"
    assert main(["lint", str(post), "--build", str(export.root)]) == 0
    [callout] = [line for line in capsys.readouterr().out.splitlines() if "[callout]" in line]
    assert callout.startswith(f"{post}:{line_of(post.read_text('utf-8'), '{{< note >}}')}: warning")
    assert callout.endswith(expected)
    lint = check_lint(Context(export.root.parent / "source", export.root, None, None, Result(0)))
    assert [line for line in lint.lines if "[callout]" in line] == [callout]
