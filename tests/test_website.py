"""The glossary from kubernetes/website, and WEBSITE=: the author's checkout as glossary and renderer.

A checkout here is a small real site made in the test (the real one is too big for a test; the README
records a run against it): its own configuration, layouts and shortcodes, a glossary with a term the
shipped list lacks, a README that says how to install its node modules, and git, to prove that a
render leaves it as it was.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest

from helpers import build, cli, git, make, make_project
from hugo_export.qa.check import run_checks
from hugo_export.qa.site import StandInSite

TERM = """\
---
title: {title}
id: {id}
full_link: {link}
short_description: >
  {description}
---
 The long text of the term.
"""

#: A site of its own, with what kubernetes/website's build has that a post meets: languages, the blog's
#: permalinks, a glossary bundle the tooltip reads, callouts (here: refused, with the shortcode's position).
HUGO_TOML = """\
baseURL = "https://example.org"
title = "A website"
contentDir = "content/en"
defaultContentLanguage = "en"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[languages.en]
weight = 1
[languages.fr]
weight = 2
contentDir = "content/fr"
[permalinks]
blog = "/:section/:year/:month/:day/:slug/"
[markup.goldmark.renderer]
unsafe = true
"""
LAYOUTS = {
    "_default/baseof.html": '<html><body class="own-site">{{ block "main" . }}{{ end }}</body></html>\n',
    "_default/single.html": '{{ define "main" }}<h1>{{ .Title }}</h1><div class="own-body">{{ .Content }}</div>'
                            "{{ end }}\n",
    "_default/list.html": '{{ define "main" }}{{ .Title }}{{ end }}\n',
    "index.html": '{{ define "main" }}home{{ end }}\n',
    "shortcodes/glossary_tooltip.html": (
        '{{- $term := (site.GetPage "docs/reference/glossary").Resources.GetMatch (printf "%s.md" (.Get "term_id")) -}}'
        '{{- if not $term }}{{ errorf "%q is not a valid glossary term_id" (.Get "term_id") }}{{ end -}}'
        '<a class="own-tooltip" title="{{ $term.Params.short_description }}">{{ .Get "text" }}</a>'),
    "shortcodes/note.html": '{{ .Inner }}{{ errorf "%s: this website takes no callouts" .Position }}',
    "shortcodes/caution.html": '{{ .Inner }}{{ errorf "%q: this website takes no cautions" .Page.Path }}',
}
README = "# A website\n\nInstall what it needs:\n\n```bash\nnpm ci\nmake serve\n```\n"
BODY = ("Confidential computing keeps data encrypted while it is processed, and Kubernetes can schedule "
        "workloads onto hardware that supports it; this post explains how the pieces fit together and what "
        "each one protects, as {cite:t}`kaplan2016sev` and {cite:p}`amd2020snp` and {cite:p}`doi2022paper` "
        "explain.\n\n## How it works\n\n"
        "Each {k8s-term}`Pod <pod>` can {k8s-term}`drain <drain>`, and {k8s-term}`this <newterm>` too.\n")


def term(folder: Path, id: str, description: str, link: str = "") -> None:
    (folder / f"{id}.md").write_text(TERM.format(title=id.title(), id=id, link=link, description=description))


def website(root: Path, *, site: bool = True) -> Path:
    """A kubernetes/website-like checkout, committed: a glossary with pod, drain and newterm, and with *site* a
    Hugo configuration and layouts of its own."""
    glossary_dir = root / "content/en/docs/reference/glossary"
    glossary_dir.mkdir(parents=True)
    (glossary_dir / "index.md").write_text("---\ntitle: Glossary\n---\n")
    term(glossary_dir, "pod", "The smallest unit.", "/docs/concepts/workloads/pods/")
    term(glossary_dir, "drain", "Safely evicting Pods from a Node.")
    term(glossary_dir, "newterm", "A term *only* this website has.")
    (root / "content/en/blog").mkdir(parents=True)
    (root / "content/en/blog/_index.md").write_text("---\ntitle: Blog\n---\n")
    (root / "README.md").write_text(README)
    if site:
        (root / "hugo.toml").write_text(HUGO_TOML)
        for name, text in LAYOUTS.items():
            (root / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
            (root / "layouts" / name).write_text(text)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "A website")
    return root


def untouched(root: Path) -> str:
    """What git sees changed or added in *root*, ignored files included: nothing, for an untouched checkout."""
    return git(root, "status", "--porcelain", "--ignored", "--untracked-files=all")


def test_the_shipped_glossary_is_the_websites_of_2026(tmp_path: Path):
    src = make_project(tmp_path / "ok", "A {k8s-term}`drain <drain>` of the node.\n")
    out = build(src, "hugo")
    assert out.status == 0, out.output
    src = make_project(tmp_path / "old", "The {k8s-term}`CRI <container-runtime-interface>` is gone.\n")
    out = build(src, "hugo")
    assert out.status != 0
    assert "unknown Kubernetes glossary term id 'container-runtime-interface'" in out.output
    assert "did you mean 'container-runtime'" in out.output  # the nearest ids
    from hugo_export.glossary import glossary  # here: the tests run against older code too

    shipped = glossary()
    assert "drain" in shipped.ids and "container-runtime-interface" not in shipped.ids
    assert re.search(r"kubernetes/website at commit [0-9a-f]{10} of 2026-01-22", shipped.source)


def test_an_unknown_id_gets_the_nearest_ids(tmp_path: Path):
    out = build(make_project(tmp_path, "Each {k8s-term}`Pod <pdo>` runs.\n"), "hugo")
    assert out.status != 0
    assert re.search(r"post\.md:\d+: (ERROR|WARNING): unknown Kubernetes glossary term id 'pdo'.*did you mean 'pod'",
                     out.output)


def test_check_with_a_website_takes_its_glossary_and_says_what_its_build_lacks(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    site = website(tmp_path / "website", site=False)
    (site / "hugo.toml").write_text('theme = ["docsy"]\nthemesDir = "node_modules"\n')
    (site / "package.json").write_text('{"devDependencies": {"docsy": "github:google/docsy#v0.6.x"}}\n')
    git(site, "add", "-A")
    git(site, "commit", "-qm", "Its theme, from npm")
    src = make_project(tmp_path / "project", BODY)
    assert run_checks(src, tmp_path / "shipped") == 1  # the shipped list has no newterm
    assert "unknown Kubernetes glossary term id 'newterm'" in capsys.readouterr().err
    status = run_checks(src, tmp_path / "_build", website=site)
    out = capsys.readouterr().out
    assert status == 0, out
    assert f"glossary ids: 3 terms of {site}/content/en/docs/reference/glossary" in out
    assert (f"{site} lacks what its build needs: node_modules/docsy/ (its theme); run `npm ci` in {site} "
            "(its README.md:6). Rendering in the stand-in site instead, with its glossary") in out
    page = next((tmp_path / "_build/check-site/public/blog").rglob("test-post/index.html")).read_text()
    assert "title='A term only this website has.'" in page  # the website's definition, as Markdown made plain
    assert untouched(site) == ""


def test_make_check_renders_in_the_website_checkout_and_leaves_it_as_it_was(tmp_path: Path):
    site = website(tmp_path / "website")
    src = make_project(tmp_path / "project", BODY)
    run = make("check", src, tmp_path / "_build", f"WEBSITE={site}")
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"hugo: rendering in {site} with its own configuration, layouts and theme" in run.stdout
    assert run.stdout.strip().splitlines()[-1].endswith("hugo renders in the website checkout")
    page = next((tmp_path / "_build/website-render/public/blog").rglob("test-post/index.html")).read_text()
    assert '<body class="own-site">' in page and 'class="own-tooltip" title="A term *only* this website has.' in page
    assert untouched(site) == ""


def test_the_websites_errors_about_the_post_name_its_source_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    site = website(tmp_path / "website")
    src = make_project(tmp_path / "project", BODY + "\n```{note}\nA callout.\n```\n\n```{caution}\nMore.\n```\n")
    line = (src / "post.md").read_text().splitlines().index("```{note}") + 1
    assert run_checks(src, tmp_path / "_build", website=site) == 1
    out = capsys.readouterr().out
    assert re.search(rf"hugo: ERROR .*this website takes no callouts.* \(source: source/post\.md:{line}\)", out), out
    assert re.search(r'hugo: ERROR .*"/blog/_posts/2026/test-post": this website takes no cautions '
                     r"\(source: source/post\.md\)", out), out
    assert out.strip().splitlines()[-1].startswith("check: FAIL") and "hugo failed" in out
    assert untouched(site) == ""


def test_a_website_without_a_glossary_is_refused(tmp_path: Path):
    src = make_project(tmp_path, BODY)
    run = cli("check", "--source", str(src), "--build", str(tmp_path / "_build"), "--website", str(tmp_path))
    assert run.returncode == 2
    assert "no glossary terms in content/en/docs/reference/glossary/; give WEBSITE the path of a " \
           "kubernetes/website checkout" in run.stderr


def test_make_glossary_rewrites_the_list_from_a_website(tmp_path: Path):
    site = website(tmp_path / "website", site=False)
    target = tmp_path / "glossary.json"
    run = cli("glossary", "--website", str(site), "--output", str(target))
    assert run.returncode == 0, run.stderr
    data = json.loads(target.read_text())
    assert sorted(data["terms"]) == ["drain", "newterm", "pod"]
    assert data["terms"]["pod"] == {"title": "Pod", "short_description": "The smallest unit.",
                                    "full_link": "/docs/concepts/workloads/pods/"}
    head = git(site, "log", "-1", "--format=%h %cs").split()
    assert data["source"] == ("content/en/docs/reference/glossary/ of kubernetes/website at commit "
                              f"{head[0]} of {head[1]}")
    unset = make("glossary", tmp_path / "source", tmp_path / "_build")
    assert unset.returncode == 2 and "make glossary: set WEBSITE=path/to/kubernetes/website" in unset.stderr


def test_a_post_hugo_makes_no_page_for_is_a_problem_naming_it(tmp_path: Path):
    site = StandInSite(tmp_path / "site")
    post = site.content / "en/blog/_posts/2026/expired.md"
    post.parent.mkdir(parents=True)
    post.write_text(textwrap.dedent("""\
        ---
        title: "Expired"
        slug: expired
        date: 2026-01-01
        expiryDate: 2026-01-02
        ---
        Gone already.
        """))
    render = site.render()
    assert not render.ok
    assert render.problems == ["ERROR Hugo made no page for content/en/blog/_posts/2026/expired.md: "
                               "the site would not show it"]
