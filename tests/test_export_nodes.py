"""One test per node kind: a MyST snippet, the hugo builder, real Hugo, the page.

Each test asserts on the HTML that Hugo renders from the export, in the
stand-in site with kubernetes/website's markup settings and shortcodes. The
snippets of this module are the posts of one project, exported and rendered
once (the ``snippets`` fixture); tests that need their own configuration or
a failing build make their own project.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from helpers import build, make_project, template_url, text
from hugo_export.glossary import glossary

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
#: A 1x1 PNG.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082")

SNIPPETS: dict[str, str | tuple[str, dict[str, bytes]]] = {
    "sections": "Opening words.\n\n## First part\n\ntext one\n\n### Detail\n\ntext two\n",
    "label": "See [the part](#why-us).\n\n(why-us)=\n## Why we do it\n\nBecause.\n",
    "inline": "Plain, *emphasis*, **strong** and `inline code` here.",
    "links": 'A [link](https://example.com/a_b "The title") and <https://example.org/x>.',
    "k8s-links": "Read [RuntimeClass](https://kubernetes.io/docs/concepts/containers/runtime-class/).",
    "lists": "- one\n- two\n  - nested a\n  - nested b\n- three\n\n5. five\n6. six\n",
    "deflist": "Enclave\n: An isolated region of a process.\n\nTEE\n: A trusted execution environment.\n",
    "quote": "> Data exists in three states.\n>\n> — The Consortium\n",
    "line-block": "```{eval-rst}\n| First line\n| Second line\n```\n",
    "code": "```yaml\nkind: Pod\n```\n\n```\nno language\n```\n",
    "table": "| TEE | Unit |\n|-----|------|\n| SGX | process |\n| SEV-SNP | VM |\n",
    "captioned-table": "```{list-table} TEEs *compared*\n:header-rows: 1\n\n* - TEE\n  - Unit\n* - TDX\n  - VM\n```\n",
    "footnotes": "A claim.[^src]\n\n[^src]: Where it comes from.\n",
    "figures": ("```{figure} diagram.svg\n:alt: Boxes and arrows\n\nThe *whole* picture.\n```\n\n"
                "![Just an image](img/dot.svg)\n", {"diagram.svg": SVG, "img/dot.svg": SVG}),
    "admonitions": ("```{note}\nA *note*.\n```\n\n```{tip}\nA tip.\n```\n\n```{caution}\nCareful.\n```\n\n"
                    "```{danger}\nDanger.\n```\n"),
    "glossary": "Each {k8s-term}`Pod <pod>` runs on a {k8s-term}`node`.",
    "citations": ("As {cite:link}`AMD's paper <amd2020snp>` says, and {cite:p}`kaplan2016sev` and "
                  "{cite:t}`doi2022paper` agree."),
    "comments": "Visible.\n\n% a private remark\n\nAlso visible.\n",
    "transition": "Before.\n\n---\n\nAfter.\n",
    "characters": "It's \"quoted\" -- and --- dashed... ok",
    "hugo-specials": ("Prose {{< note >}} and {{% x %}} and {{\\<b>}}.\n\n"
                      "Code `{{< note >}}` and `{{< open`.\n\n"
                      "```go\n{{% note %}}\nfmt.Println(\"{{<\")\n```\n\n"
                      "A [link {{< x >}}](https://example.com).\n"),
    "markdown-specials": r"Stars \*a\* under\_score \# hash \[brackets\] \<tag\> a|b ~~x~~ \&amp; 1\. \\ back",
    "hard-breaks": "One line\\\nthe next after a backslash  \nand after two spaces.\n",
    "images-in-place": ("An inline ![dot](dot.svg \"Dot title\") in text, linked "
                        "[![linked dot](dot.svg)](https://example.com/d) too.\n\n"
                        "| Picture | Name |\n|---|---|\n| ![cell dot](dot.svg) | dot |\n\n"
                        "[![standing link](dot.svg)](https://example.com/big)\n\n"
                        "```{image} dot.svg\n:alt: Directive link\n:target: https://example.com/directive\n```\n\n"
                        "![Titled](dot.svg \"The figure title\")\n", {"dot.svg": SVG}),
    "pipe-in-cell-code": "| Code | Count |\n|---|---|\n| `x \\| y` | 2 |\n| a \\| b | 3 |\n",
    "footnote-rule": "A claim.[^src]\n\n[^src]: Where it comes from.\n",
    "attributions": ("> Data exists in three states.\n>\n> -- The *Consortium*\n\n"
                     "```{epigraph}\nAn epigraph.\n\n-- Its Author\n```\n"),
    "site-links": ("Read [the docs](/docs/concepts/overview/), [the blog](http://kubernetes.io/blog/) and "
                   "[a page](https://www.kubernetes.io/docs/home/#top)."),
    "image-candidates": ("```{figure} diagram.*\n:alt: Picked for the web\n```\n",
                         {"diagram.svg": SVG, "diagram.png": PNG}),
    "fences-in-containers": "> ```yaml\n> kind: Pod\n> ```\n\n- An item:\n\n  ~~~text\n  inside\n  ~~~\n",
    "heading-ends": "Opening.\n\n## Trusted execution {#evil style=\"display:none\"}\n\nText.\n\n## Written in C\\#\n",
    "titles": ("[Quoted](https://example.com/q \"It's (nearly) \\\\*all* &amp;amp; {{ here\") and "
               "[Other](https://example.com/o 'Say \"other\"'), with ![a dot](dot.svg \"The dot's \\\\[title]\").\n",
               {"dot.svg": SVG}),
    "paren-links": ("See [Foo (bar)](https://en.wikipedia.org/wiki/Foo_(bar)), [half](<https://example.com/a(b>), "
                    "[closed](https://example.com/a\\)b), <https://example.com/c(d)e> and "
                    "[q](https://example.com/it's#x(y)).\n"),
    "bare-urls": ("See https://example.com/a_b here, www.example.com/x_y, http://example.com/x_(y) and "
                  "mail me@example.com or ftp://example.com/f_g.\n"),
}
WITH_HTML = True


def test_title_goes_to_front_matter_and_sections_start_at_h2(snippets):
    r = snippets["sections"]
    front = yaml.safe_load(r.markdown.split("---\n")[1])
    assert front["title"] == "A Test Post About Things"
    assert "\n# " not in r.markdown
    assert [h.name for h in r.body.find_all(re.compile("^h[1-6]$"))] == ["h2", "h3"]
    assert r.soup.select_one("div.td-content > h1").get_text() == "A Test Post About Things"
    assert r.body.find("h2").get("id") == "first-part"


def test_label_becomes_heading_id_and_internal_link_works(snippets):
    r = snippets["label"]
    assert "## Why we do it {#why-us}" in r.markdown
    assert r.body.find("h2")["id"] == "why-us"
    assert r.body.find("a", string="the part")["href"] == "#why-us"


def test_paragraph_inline_markup(snippets):
    p = snippets["inline"].body.find("p")
    assert p.find("em").get_text() == "emphasis"
    assert p.find("strong").get_text() == "strong"
    assert p.find("code").get_text() == "inline code"
    assert text(p) == "Plain, emphasis , strong and inline code here."


def test_links_with_titles_and_autolinks(snippets):
    body = snippets["links"].body
    a = body.find("a", string="link")
    assert a["href"] == "https://example.com/a_b" and a["title"] == "The title"
    assert a["target"] == "_blank"  # kubernetes.io's link hook opens a titled remote link in a new tab
    assert body.find("a", href="https://example.org/x").get_text() == "https://example.org/x"


def test_kubernetes_io_links_become_root_relative(snippets):
    r = snippets["k8s-links"]
    assert "](/docs/concepts/containers/runtime-class/)" in r.markdown
    assert r.body.find("a", string="RuntimeClass")["href"] == "/docs/concepts/containers/runtime-class/"


def test_bullet_ordered_nested_lists(snippets):
    body = snippets["lists"].body
    items = body.find("ul").find_all("li", recursive=False)
    assert [text(li) for li in items] == ["one", "two nested a nested b", "three"]
    assert [text(li) for li in items[1].find("ul").find_all("li")] == ["nested a", "nested b"]
    ol = body.find("ol")
    assert ol["start"] == "5" and [text(li) for li in ol.find_all("li")] == ["five", "six"]


def test_definition_list(snippets):
    dl = snippets["deflist"].body.find("dl")
    assert [text(dt) for dt in dl.find_all("dt")] == ["Enclave", "TEE"]
    assert text(dl.find_all("dd")[1]) == "A trusted execution environment."


def test_block_quote_with_attribution(snippets):
    quote = snippets["quote"].body.find("blockquote")
    paragraphs = [text(p) for p in quote.find_all("p")]
    assert paragraphs == ["Data exists in three states.", "— The Consortium"]


def test_line_block(snippets):
    p = snippets["line-block"].body.find("p")
    assert p.find("br") is not None
    assert text(p) == "First line Second line"


def test_fenced_code_names_its_language(snippets):
    r = snippets["code"]
    assert "```yaml\nkind: Pod\n```" in r.markdown
    assert "```text\nno language\n```" in r.markdown
    codes = r.body.find_all("code")
    assert codes[0]["data-lang"] == "yaml" and "kind: Pod" in codes[0].get_text()
    assert codes[1]["data-lang"] == "text" and codes[1].get_text().strip() == "no language"


def test_table(snippets):
    rows = [[text(c) for c in tr.find_all(["th", "td"])] for tr in snippets["table"].body.find("table").find_all("tr")]
    assert rows == [["TEE", "Unit"], ["SGX", "process"], ["SEV-SNP", "VM"]]


def test_table_with_caption_uses_table_shortcode(snippets):
    r = snippets["captioned-table"]
    assert '{{< table caption="TEEs <em>compared</em>" >}}' in r.markdown
    table = r.body.find("table")
    caption = table.find("caption")
    assert text(caption) == "TEEs compared" and caption.find("em").get_text() == "compared"
    assert caption["style"] == "display: none;"  # as kubernetes.io's table shortcode writes it
    assert [text(td) for td in table.find_all("td")] == ["TDX", "VM"]


def test_footnotes(snippets):
    r = snippets["footnotes"]
    assert "[^src]" in r.markdown
    ref = r.body.find("sup").find("a")
    note = r.body.select_one(ref["href"].replace(":", "\\:"))
    assert "Where it comes from." in text(note)


def test_figure_and_image_are_bundle_files(snippets):
    r = snippets["figures"]
    assert '{{< figure src="diagram.svg" alt="Boxes and arrows" caption="The *whole* picture." >}}' in r.markdown
    figures = r.body.find_all("figure")
    assert figures[0].img["alt"] == "Boxes and arrows" and figures[0].img["src"].endswith("diagram.svg")
    assert text(figures[0].figcaption) == "The whole picture."
    assert figures[0].figcaption.find("em").get_text() == "whole"  # the caption's markup, not its flat text
    assert figures[1].img["alt"] == "Just an image" and figures[1].img["src"].endswith("dot.svg")


def test_figure_files_are_copied_into_the_page_bundle(tmp_path: Path):
    src = make_project(tmp_path, "```{figure} diagram.svg\n:alt: A\n```\n", files={"diagram.svg": SVG})
    out = build(src, "hugo")
    assert out.status == 0, out.output
    bundle = out.post().parent
    assert sorted(p.name for p in bundle.iterdir()) == ["diagram.svg", "index.md"]
    assert (bundle / "diagram.svg").read_bytes() == SVG


def test_admonitions_map_to_callout_shortcodes(snippets):
    alerts = snippets["admonitions"].body.select("div.alert")
    assert [a["class"][1] for a in alerts] == ["alert-info", "alert-info", "alert-caution", "alert-danger"]
    assert [text(a.h4) for a in alerts] == ["Note:", "Note:", "Caution:", "Warning:"]  # as kubernetes.io labels them
    assert alerts[0].find("em").get_text() == "note"
    assert "Danger." in text(alerts[3])


def test_glossary_term_becomes_tooltip_shortcode(snippets):
    r = snippets["glossary"]
    assert '{{< glossary_tooltip text="Pod" term_id="pod" >}}' in r.markdown
    links = r.body.select("a.glossary-tooltip")
    assert [(a.get_text(), a["href"]) for a in links] == [  # the terms' full_link pages, as on kubernetes.io
        ("Pod", glossary().terms["pod"].full_link),
        ("node", glossary().terms["node"].full_link),
    ]
    pod = glossary().terms["pod"]
    assert links[0]["title"] == pod.short_description and pod.full_link  # the definition, shown on hover


def test_glossary_term_links_to_kubernetes_io_in_html(snippets):
    link = snippets["glossary"].html.find("a", string="Pod")
    assert link["href"] == "https://kubernetes.io/docs/reference/glossary/?all=true#term-pod"


def test_unknown_glossary_term_fails_with_file_and_line(tmp_path: Path):
    src = make_project(tmp_path, "Line one.\n\nA {k8s-term}`Pod <pdo>`.")
    out = build(src, "hugo")
    assert out.status != 0
    assert re.search(r"post\.md:\d+: (ERROR|WARNING): unknown Kubernetes glossary term id 'pdo'", out.output)


def test_citations_are_links_to_the_works(snippets):
    r = snippets["citations"]
    assert "[AMD's paper](https://www.amd.com/snp.pdf)" in r.markdown
    hrefs = {a.get_text(" ", strip=True): a["href"] for a in r.body.find_all("a")}
    assert hrefs["AMD's paper"] == "https://www.amd.com/snp.pdf"
    assert hrefs["Kaplan et al. , 2016"] == "https://www.usenix.org/conference/usenixsecurity16"
    assert hrefs["2022"] == "https://doi.org/10.1145/3533737.3535098"
    assert "References" not in text(r.body)  # no list by default, no dangling labels
    assert not any(a["href"].startswith("#") for a in r.body.find_all("a"))


def test_citation_footnotes_style_and_references_list(render):
    r = render(
        "As {cite:link}`AMD's paper <amd2020snp>` says {cite:p}`kaplan2016sev`.",
        conf='hugo_citation_style = "footnotes"\nhugo_references = True\n',
    )
    assert "[^amd2020snp]" in r.markdown and "[^kaplan2016sev]" in r.markdown
    notes = r.body.select("div.footnotes li")
    assert len(notes) == 2
    assert any("strengthening vm isolation" in text(li).lower() for li in notes)
    heading = r.body.find(lambda tag: tag.name == "h2" and text(tag) == "References")
    assert heading is not None and len(heading.find_next("ul").find_all("li")) == 2


def test_todo_fails_the_export_with_file_and_line(tmp_path: Path):
    src = make_project(tmp_path, "Text.\n\n```{todo}\nWrite the ending.\n```\n")
    out = build(src, "hugo")
    assert out.status != 0
    assert re.search(r"post\.md:\d+: ERROR: open editorial TODO: Write the ending\.", out.output)
    assert not (out.root / "hugo" / "content").exists()


def test_todo_allowed_in_a_draft_export(render):
    r = render("Text.\n\n```{todo}\nWrite the ending.\n```\n", allow_todo=True)
    assert "Editorial TODO: Write the ending." in text(r.body.select_one("div.alert-caution"))


def test_comments_are_dropped(snippets):
    r = snippets["comments"]
    assert "private remark" not in r.markdown
    assert [text(p) for p in r.body.find_all("p")] == ["Visible.", "Also visible."]


def test_raw_html_passes_through_with_a_warning(tmp_path: Path):
    strict = build(make_project(tmp_path / "a", '<div class="boxed">raw</div>\n'), "hugo")
    assert strict.status != 0 and "raw HTML passed through" in strict.output
    src = make_project(tmp_path / "b", '<div class="boxed">raw</div>\n\nPress <kbd>Ctrl</kbd> now.\n',
                       conf='suppress_warnings = ["hugo.raw"]\n')
    lenient = build(src, "hugo")
    assert lenient.status == 0, lenient.output
    export = lenient.post().read_text()
    assert '<div class="boxed">raw</div>' in export
    assert "Press <kbd>Ctrl</kbd> now." in export  # inline HTML stays in its sentence


def test_transition(snippets):
    assert snippets["transition"].body.find("hr") is not None


def test_unknown_node_is_an_error_naming_class_and_line(tmp_path: Path):
    src = make_project(tmp_path, "Some text.\n\n```{math}\ne = mc^2\n```\n")
    out = build(src, "hugo")
    assert out.status != 0
    assert re.search(r"post\.md:\d+: ERROR: the hugo exporter does not handle <math_block> nodes", out.output)


def test_every_unknown_node_of_every_post_is_reported_in_one_run(tmp_path: Path):
    src = make_project(tmp_path, "Text.\n\n```{math}\nx\n```\n\n```{sidebar} Aside\nMore.\n```\n")
    (src / "other.md").write_text((src / "post.md").read_text().replace("slug: test-post", "slug: other")
                                  .replace("{sidebar} Aside", "{topic} Aside"))
    out = build(src, "hugo")
    assert out.status != 0
    found = re.findall(r"(post|other)\.md:\d+: ERROR: the hugo exporter does not handle <(\w+)> nodes", out.output)
    assert sorted(found) == [("other", "math_block"), ("other", "topic"), ("post", "math_block"), ("post", "sidebar")]


def test_author_characters_are_kept(snippets):
    r = snippets["characters"]
    assert "It's \"quoted\" -- and --- dashed... ok" in r.markdown
    assert text(r.body.find("p")) == "It's \"quoted\" -- and --- dashed... ok"


def test_hugo_specials_everywhere_stay_literal(snippets):
    body = snippets["hugo-specials"].body
    ps = body.find_all("p")
    assert text(ps[0]) == "Prose {{< note >}} and {{% x %}} and {{<b>}}."
    assert [c.get_text() for c in ps[1].find_all("code")] == ["{{< note >}}", "{{< open"]
    assert body.find("pre").get_text() == '{{% note %}}\nfmt.Println("{{<")'
    assert body.find("a", href="https://example.com").get_text() == "link {{< x >}}"


def test_markdown_specials_stay_literal(snippets):
    p = snippets["markdown-specials"].body.find("p")
    assert text(p) == r"Stars *a* under_score # hash [brackets] <tag> a|b ~~x~~ &amp; 1. \ back"


def test_two_images_with_one_name_get_two_bundle_names(tmp_path: Path, render):
    r = render("![A](a/pic.svg)\n\n![B](b/pic.svg)\n", files={"a/pic.svg": SVG, "b/pic.svg": SVG + b" "})
    assert '{{< figure src="pic.svg" alt="A" >}}\n\n{{< figure src="pic1.svg" alt="B" >}}' in r.markdown
    assert [img["src"].rsplit("/", 1)[1] for img in r.body.find_all("img")] == ["pic.svg", "pic1.svg"]


def test_hard_breaks_are_markdown_breaks(snippets):
    r = snippets["hard-breaks"]
    assert "One line\\\nthe next after a backslash\\\nand after two spaces." in r.markdown
    p = r.body.find("p")
    assert len(p.find_all("br")) == 2 and text(p) == "One line the next after a backslash and after two spaces."


def test_images_stay_where_the_author_put_them(snippets):
    body = snippets["images-in-place"].body
    paragraph = body.find("p")
    assert [c.name or "text" for c in paragraph.children if c.name or c.strip()] == ["text", "img", "text", "a", "text"]
    inline = paragraph.find("img")
    # Hugo's image hook (on for a multilingual site, as kubernetes.io is) links the bundle's file
    assert (inline["alt"], inline["title"]) == ("dot", "Dot title")
    assert inline["src"] == "/blog/1/01/01/images-in-place/dot.svg"
    assert paragraph.find("a")["href"] == "https://example.com/d" and paragraph.a.img["alt"] == "linked dot"
    cell = body.find("td")
    assert cell.img["alt"] == "cell dot" and text(body.find_all("td")[1]) == "dot"
    figures = body.find_all("figure")
    assert [(f.a["href"], f.img["alt"]) for f in figures[:2]] == [
        ("https://example.com/big", "standing link"), ("https://example.com/directive", "Directive link")]
    assert figures[2].img["alt"] == "Titled" and text(figures[2].find("h4")) == "The figure title"


def test_pipe_in_code_in_a_table_cell_keeps_the_row(snippets):
    rows = [[c for c in tr.find_all("td")] for tr in snippets["pipe-in-cell-code"].body.find_all("tr")[1:]]
    assert [[c.get_text() for c in row] for row in rows] == [["x | y", "2"], ["a | b", "3"]]
    assert rows[0][0].code.get_text() == "x | y"


def test_footnotes_get_one_rule(snippets):
    body = snippets["footnote-rule"].body
    assert len(body.find_all("hr")) == 1 and body.find("hr").parent["class"] == ["footnotes"]


def test_quote_attributions_follow_an_em_dash(snippets):
    quotes = snippets["attributions"].body.find_all("blockquote")
    assert [text(q.find_all("p")[-1]) for q in quotes] == ["— The Consortium", "— Its Author"]
    assert quotes[0].find_all("p")[-1].em.get_text() == "Consortium"
    assert snippets["attributions"].html.find("p", class_="attribution") is not None  # the preview agrees


def test_links_to_kubernetes_io_either_way(snippets):
    r = snippets["site-links"]
    hrefs = [a["href"] for a in r.body.find_all("a")]
    assert hrefs == ["/docs/concepts/overview/", "/blog/", "/docs/home/#top"]
    preview = [a["href"] for a in r.html.select("div.body a.reference")]
    assert preview[0] == "https://kubernetes.io/docs/concepts/overview/"  # a full link where the site is not


def test_image_candidates_are_picked_as_sphinx_picks_them(snippets):
    r = snippets["image-candidates"]
    assert '{{< figure src="diagram.svg" alt="Picked for the web" >}}' in r.markdown
    assert r.body.find("img")["src"].endswith("/diagram.svg")


def test_heading_text_is_never_read_as_markup(snippets):
    headings = snippets["heading-ends"].body.find_all("h2")
    assert [text(h) for h in headings] == ['Trusted execution {#evil style="display:none"}', "Written in C#"]
    assert not headings[0].has_attr("style") and headings[0]["id"] != "evil"


def test_fences_inside_quotes_and_list_items_are_closed_fences(snippets):
    body = snippets["fences-in-containers"].body
    assert body.find("blockquote").find("code")["data-lang"] == "yaml"
    assert body.find("li").find("code").get_text().strip() == "inside"


def test_an_included_file_is_an_input_of_the_export(tmp_path: Path):
    src = make_project(tmp_path, "```{literalinclude} examples/pod.yaml\n:language: yaml\n```\n",
                       files={"examples/pod.yaml": b"kind: Pod\n"})
    assert build(src, "hugo").status == 0
    (src / "examples" / "pod.yaml").write_text("kind: Deployment\n")
    again = build(src, "hugo")  # not forced: the fingerprint must see the change
    assert again.status == 0, again.output
    assert "```yaml\nkind: Deployment\n```" in again.post().read_text()


def test_links_reach_the_sites_link_hook_as_the_urls_themselves(snippets):
    """kubernetes.io's link hook writes .Destination as Goldmark hands it over, backslash escapes and all:
    the export writes each destination as the URL itself (the <...> form where parentheses do not balance)."""
    r = snippets["paren-links"]
    assert "[Foo (bar)](https://en.wikipedia.org/wiki/Foo_(bar))" in r.markdown
    assert "[half](<https://example.com/a(b>)" in r.markdown
    assert "\\(" not in r.markdown and "\\)" not in r.markdown
    urls = ["https://en.wikipedia.org/wiki/Foo_(bar)", "https://example.com/a(b", "https://example.com/a)b",
            "https://example.com/c(d)e", "https://example.com/it's#x(y)"]
    assert [a["href"] for a in r.body.find_all("a")] == [template_url(u) for u in urls]
    assert [a["href"] for a in r.html.select("div.body a.reference")] == urls  # the preview links the same


def test_bare_urls_are_text_on_the_page_as_in_the_preview(snippets):
    """Goldmark's linkify (on at kubernetes.io) would link a bare URL the preview shows as text, cut at the
    export's escapes (adversarial-3 F8): the export keeps it text, whole."""
    r = snippets["bare-urls"]
    paragraph = r.body.find("p")
    expected = ("See https://example.com/a_b here, www.example.com/x_y, http://example.com/x_(y) and "
                "mail me@example.com or ftp://example.com/f_g.")
    assert paragraph.find("a") is None and text(paragraph) == expected
    preview = r.html.find("p", string=lambda s: s is not None and s.startswith("See https"))
    assert preview is not None and preview.find("a") is None and text(preview) == expected


def test_titles_reach_the_hooks_as_written(snippets):
    """The link hook and Hugo's image hook show .Title raw: the export writes titles without escapes."""
    r = snippets["titles"]
    links = r.body.find_all("a")
    assert [(a["href"], a["title"]) for a in links] == [
        ("https://example.com/q", "It's (nearly) \\*all* &amp; {{ here"), ("https://example.com/o", 'Say "other"')]
    image = r.body.find("img")
    assert (image["alt"], image["title"]) == ("a dot", "The dot's \\[title]")


def test_a_title_or_alt_the_hooks_would_show_otherwise_is_an_error(tmp_path: Path):
    src = make_project(tmp_path, 'See [x](https://example.com "both \\"a\\" and \'b\' (c)") here.\n\n'
                                 "Text ![a \\*b\\* c](dot.svg) and more.\n", files={"dot.svg": SVG})
    out = build(src, "hugo")
    assert out.status != 0
    assert re.search(r"post\.md:\d+: ERROR: the link title .* holds both kinds of quote mark", out.output)
    assert re.search(r"post\.md:\d+: ERROR: the alt text of an image in a sentence .* reads as Markdown", out.output)


def test_code_the_site_would_draw_is_shown_as_written(render):
    """Docsy passes a mermaid block into the page as HTML, and Hugo draws goat: the export writes them as text.
    (The HTML preview refuses both languages, which Pygments does not know; make hugo alone takes them.)"""
    r = render("```mermaid\ngraph TD; A-->B; <b>bold</b>\n```\n\n```goat\n+--+\n```\n")
    assert [b.get_text() for b in r.body.find_all("pre")] == ["graph TD; A-->B; <b>bold</b>", "+--+"]
    assert r.body.find("b") is None and r.body.find("svg") is None


def test_headings_and_code_go_through_the_sites_hooks(snippets):
    body = snippets["sections"].body
    self_link = body.find("h2").find("a", class_="td-heading-self-link")
    assert self_link["href"] == "#first-part" and self_link["aria-label"] == "Heading self-link"
    code = snippets["code"].body.find("div", class_="codeblock-with-copy")
    assert code.button["aria-label"] == "Copy code to clipboard" and code.find("code")["data-lang"] == "yaml"


def test_the_page_has_the_blogs_byline(snippets):
    byline = snippets["sections"].soup.select_one("div.td-byline")
    assert byline.b.get_text() == "Ada Lovelace (Analytical Engines), Grace Hopper (Navy)"
    assert text(byline).startswith("By ") and byline.time["datetime"] == "0001-01-01"  # a draft: no date yet
