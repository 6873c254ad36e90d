"""``make new SLUG=... [TITLE=...]``: a new post that already builds, one example of each construct.

The skeleton is a page bundle (``source/<slug>/index.md`` with an SVG figure
beside it) so that every construct the export supports has a short, commented
example an author can copy or delete: a citation of the shared bibliography,
a glossary term, a figure, a captioned table introduced by a sentence, a note,
a footnote, code, a quote, a kubernetes.io link and an editorial TODO. It
builds, checks and exports as it is, except for that TODO, which the export
refuses until it is resolved, as it refuses every open TODO.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

from pybtex.database.input.bibtex import Parser
from pybtex.scanner import PybtexError

from .post import SLUG_MAX, is_slug, posts_leniently, unprintable

DIAGRAM = """\
<svg xmlns="http://www.w3.org/2000/svg" width="320" height="80" viewBox="0 0 320 80">
  <title>Two boxes joined by an arrow</title>
  <rect x="10" y="20" width="110" height="40" fill="#326ce5"/>
  <rect x="200" y="20" width="110" height="40" fill="#326ce5"/>
  <path d="M125 40 H190 M180 32 L192 40 L180 48" stroke="#333" stroke-width="3" fill="none"/>
</svg>
"""

TEMPLATE = """\
---
title: "{title}"
slug: {slug}
date: {date}
draft: true
authors:
  - Your Name (Your Organization)
description: "One sentence that says what the reader gets from this post."
---

% Lines that start with % are comments: no output shows them. Delete each
% example below once you have used it. README.md ("Writing a post") lists
% what each construct becomes on kubernetes.io.

This opening paragraph is what the blog index shows as the teaser, so it says in plain words what \
the post is about and why a reader should care. Keep it to two or three sentences, without a \
heading before it, and make sure its first 250 characters stand on their own.

## A first section

% Citations: add the work to bibliography.bib once, then cite it where the text relies on it.
{citation}

% A Kubernetes glossary term, shown as a tooltip on kubernetes.io.
Every {{k8s-term}}`Pod <pod>` runs on a {{k8s-term}}`node`. Link kubernetes.io pages with their full \
address, like the [documentation on RuntimeClass](https://kubernetes.io/docs/concepts/containers/runtime-class/);
the export makes them root-relative.

% A figure: the image sits beside this file (SVG is preferred), with alt text and a caption.
```{{figure}} diagram.svg
:alt: Two boxes joined by an arrow

What the figure shows, in one sentence.
```

% kubernetes.io hides table captions, so a sentence like this one says what the table shows.
The table below compares the two options by what each protects.

```{{list-table}} The two options compared
:header-rows: 1

* - Option
  - Protects
* - First
  - Data in use
* - Second
  - Data at rest
```

### A smaller section

% A callout; the blog guide asks for few of them.
```{{note}}
A note for the reader.
```

A claim that needs a remark.[^remark] Code always names its language:

```yaml
apiVersion: v1
kind: Pod
metadata:
  name: example
```

> A quotation, in the speaker's own words.
>
> — The Speaker

[^remark]: The remark, shown as a footnote.

% An editorial TODO: marked in the HTML preview and the PDF; the export refuses it until it is gone.
```{{todo}}
Replace these examples with the post's text.
```

## References

```{{bibliography}}
```
"""


def first_entry(bib: Path) -> str | None:
    """The key of the bibliography's first entry, for the citation example."""
    if not bib.is_file():
        return None
    try:
        entries = Parser(encoding="utf-8-sig").parse_file(bib).entries
    except (PybtexError, UnicodeDecodeError):  # bibcheck reports a broken bib; the example goes without
        return None
    return next(iter(entries), None)


def citation_example(key: str | None) -> str:
    if key is None:
        return ("% No entry in bibliography.bib yet: add one, then cite it with "
                "{cite:link}`descriptive words <key>` or {cite:p}`key`.")
    return (f"As {{cite:link}}`this work <{key}>` shows, descriptive words link to the cited work; "
            f"{{cite:p}}`{key}` gives an author-year citation instead.")


def slug_taken(source: Path, slug: str) -> Path | None:
    """The post that already has *slug* as its name or its slug, if any."""
    for post, meta in posts_leniently(source):
        if post.name == slug or (meta is not None and meta.slug == slug):
            return post.path
    return None


def title_of(slug: str) -> str:
    return " ".join(word.capitalize() for word in slug.split("-"))


def new_post(source: Path, slug: str, title: str | None = None, today: dt.date | None = None) -> int:
    """Write ``source/<slug>/`` for a new post; 2 when the slug is bad or taken."""
    if not is_slug(slug):
        print(f"new: {slug!r} is not a slug: use lowercase letters, digits and single hyphens, "
              f"at most {SLUG_MAX} characters, e.g. SLUG=pod-security-in-practice", file=sys.stderr)
        return 2
    folder = source / slug
    if (taken := slug_taken(source, slug)) or folder.exists():
        print(f"new: a post named {slug!r} already exists ({taken or folder}); choose another SLUG", file=sys.stderr)
        return 2
    title = title or title_of(slug)
    if re.search(r'["\\]', title) or unprintable(title):
        print("new: write the TITLE without double quotes, backslashes, line breaks or other control characters",
              file=sys.stderr)
        return 2
    date = (today or dt.date.today()) + dt.timedelta(days=14)
    text = TEMPLATE.format(title=title, slug=slug, date=date.isoformat(),
                           citation=citation_example(first_entry(source.parent / "bibliography.bib")))
    folder.mkdir(parents=True)
    (folder / "diagram.svg").write_text(DIAGRAM, encoding="utf-8")
    (folder / "index.md").write_text(text, encoding="utf-8")
    print(f"new: {folder / 'index.md'}")
    print("new: edit it, then: make html (preview), make check POST=" + slug + ", make pdf POST=" + slug)
    return 0
