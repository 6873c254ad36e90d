"""The kubernetes/website lint: for each rule, a post that breaks it and one that passes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from helpers import cli
from hugo_export.qa.lint import RULES, lint_file

GOOD = """\
---
layout: blog
title: "Confidential Kubernetes: Use Enclaves to Improve Your Cluster Security"
draft: true
slug: confidential-kubernetes
author: >
  Ada Lovelace (Analytical Engines),
  Grace Hopper (Navy)
---

Confidential computing protects data while it is in use, the last of the three states of data that
still lacked a common protection. This post explains the hardware behind it, how Kubernetes clusters
can use it today, and which open source projects help, with the limits and costs that come with it.

## Why data in use needs protection

A {{< glossary_tooltip text="Pod" term_id="pod" >}} runs in a [RuntimeClass](/docs/concepts/containers/runtime-class/)
that [AMD documents](https://www.amd.com/en.html).

### Intel SGX and AMD SEV

```yaml
kind: Pod
```

{{< figure src="diagram.svg" alt="Two boxes" >}}
"""

#: rule -> (text to replace in GOOD, replacement)
BREAKS: dict[str, tuple[str, str]] = {
    "front-matter": ("layout: blog\n", ""),
    "review-form": ("draft: true\n", "draft: true\ndate: 2026-12-10\n"),
    "title-case": ("Cluster Security\"", "cluster security.\""),
    "author-form": ("Ada Lovelace (Analytical Engines),", "Ada Lovelace (Analytical Engines)"),
    "no-h1": ("## Why data", "# Why data"),
    "heading-order": ("### Intel SGX", "#### Intel SGX"),
    "deep-heading": ("### Intel SGX", "### Intel SGX\n\n#### Deeper still"),
    "sentence-case": ("## Why data in use needs protection", "## Why Data In Use Needs Protection"),
    "heading-link": ("### Intel SGX and AMD SEV", "### Intel SGX and [AMD SEV](https://www.amd.com/en.html)"),
    "bold-heading": ("### Intel SGX and AMD SEV", "**Intel SGX and AMD SEV**"),
    "callout": ("```yaml", "{{< note >}}\nCareful.\n{{< /note >}}\n\n```yaml"),
    "code-language": ("```yaml", "```"),
    "image-alt": (' alt="Two boxes"', ""),
    "http-link": ("https://www.amd.com/en.html", "http://www.amd.com/en.html"),
    "kubernetes-io-link": ("(/docs/concepts", "(https://kubernetes.io/docs/concepts"),
    "glossary-id": ('term_id="pod"', 'term_id="pods"'),
    "table-caption": ("```yaml", '{{< table caption="Costs" >}}\n| a |\n|---|\n| 1 |\n{{< /table >}}\n\n```yaml'),
    "script": ("```yaml", '<img src="x.png" onerror="alert(1)">\n\n```yaml'),
    "trailing-whitespace": ("kind: Pod\n", "kind: Pod  \n"),
    "tab": ("kind: Pod", "kind:\tPod"),
    "control-character": ("kind: Pod", "kind: Pod\x07"),
    "teaser": ("still lacked a common protection. This post", "still lacked one.\n\nThis post"),
}
PATH_BREAKS = {
    "path-form": "content/en/blog/_posts/2026/2026-12-10-confidential-kubernetes.md",
}


def write(tmp_path: Path, text: str, rel: str = "content/en/blog/_posts/2026/confidential-kubernetes.md") -> Path:
    path = tmp_path / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_every_rule_has_a_breaking_case():
    assert set(BREAKS) | set(PATH_BREAKS) == set(RULES)


def test_good_post_passes_every_rule(tmp_path: Path):
    assert lint_file(write(tmp_path, GOOD)) == []


@pytest.mark.parametrize("rule", sorted(BREAKS))
def test_rule_fires_on_its_breaking_post(tmp_path: Path, rule: str):
    old, new = BREAKS[rule]
    assert old in GOOD
    findings = lint_file(write(tmp_path, GOOD.replace(old, new, 1)))
    assert rule in {f.rule for f in findings}, [str(f) for f in findings]
    finding = next(f for f in findings if f.rule == rule)
    assert finding.line >= 1 and str(finding).startswith(f"{finding.path}:{finding.line}: ")


def test_path_form_rule(tmp_path: Path):
    findings = lint_file(write(tmp_path, GOOD, PATH_BREAKS["path-form"]))
    assert {f.rule for f in findings} == {"path-form"}
    assert any("no date in the file name" in f.message for f in findings)


def test_page_bundle_path_passes(tmp_path: Path):
    assert lint_file(write(tmp_path, GOOD, "content/en/blog/_posts/2026/confidential-kubernetes/index.md")) == []


def test_cli_exit_codes(tmp_path: Path):
    def run(text: str) -> subprocess.CompletedProcess[str]:
        return cli("lint", str(write(tmp_path, text)))

    assert run(GOOD).returncode == 0
    warned = run(GOOD.replace("```yaml", "{{< note >}}\nx\n{{< /note >}}\n\n```yaml"))
    assert warned.returncode == 0 and "warning: note callout" in warned.stdout
    failed = run(GOOD.replace("## Why", "# Why"))
    assert failed.returncode == 1 and "error: H1 in the body" in failed.stdout
    assert "2 error(s)" in failed.stderr  # the H1, and the H3 that now skips a level


@pytest.mark.parametrize("title", [
    "Kubernetes v1.33: Octarine", "Introducing kubectl Debug for Kubernetes", "Running etcd on iOS Devices",
    "What's New in containerd 2.0", "Using eBPF and gVisor for Sandboxing", "Why x86 Matters",
])
def test_title_case_accepts_real_titles(tmp_path: Path, title: str):
    findings = lint_file(write(tmp_path, GOOD.replace("Confidential Kubernetes: Use Enclaves to Improve Your Cluster "
                                                      "Security", title)))
    assert findings == [], [str(f) for f in findings]


@pytest.mark.parametrize("markup", [
    "<script>alert(1)</script>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href=" java&#9;script:alert(1)">x</a>',
    '<svg onload="alert(1)"></svg>',
    '<!--><img src=x onerror="alert(1)">-->',
    "[x](javascript:alert(1))",
    '{{< figure src="d.svg" alt="A" caption=`<img src=x onerror="alert(1)">` >}}',
    '{{< table caption="<iframe src=https://example.com></iframe>" >}}\n| a |\n|---|\n| 1 |\n{{< /table >}}',
])
def test_script_rule_reports_every_kind_of_markup_that_runs(tmp_path: Path, markup: str):
    findings = lint_file(write(tmp_path, GOOD + "\n" + markup + "\n"))
    assert [f.rule for f in findings if f.severity == "error"] == ["script"], [str(f) for f in findings]


def test_export_of_a_numeric_slug_passes_the_lint(tmp_path: Path):
    """The front matter writer quotes ``slug: '2026'``; the lint reads it as YAML does."""
    text = GOOD.replace("slug: confidential-kubernetes", "slug: '2026'")
    assert lint_file(write(tmp_path, text, "content/en/blog/_posts/2026/2026.md")) == []
