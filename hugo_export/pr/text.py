"""What ``make pr`` tells the submitter: the pull request's title and text, and what to run next.

The text says what the blog's submission guide asks of every post's pull
request (the CNCF CLA signed, English only and alone in its pull request, a
first commit message that describes the post, the commits squashed before the
merge), and where the deploy preview shows the post: a draft has no date, so
Hugo serves it under year 1 (``/blog/1/01/01/<slug>/``).
"""

from __future__ import annotations

import shlex
from pathlib import Path

from ..post import PostMeta, page_path

TEASER = 300


def title(meta: PostMeta, publish: bool, on_default: bool) -> str:
    """The pull request's title, and its first commit's subject: it describes the post, as the guide asks."""
    if publish:
        return f"Publish blog post on {meta.title} on {meta.date:%Y-%m-%d}"
    return f"{'Update' if on_default else 'Add'} blog post on {meta.title}"


def teaser(markdown: str) -> str:
    """The post's opening paragraph (what the blog index shows), shortened."""
    body = markdown.split("\n---\n", 1)[-1]
    first = next((b for b in body.split("\n\n") if b.strip()[:1].isalnum()), "")
    text = " ".join(first.split())
    return text if len(text) <= TEASER else text[:TEASER].rsplit(" ", 1)[0] + " …"


def pull_request(meta: PostMeta, pr_title: str, summary: str, publish: bool, source: str) -> str:
    """The title, a blank line and the text of the pull request."""
    authors = ", ".join(meta.authors)
    if publish:
        lead = (f'This follow-up schedules the blog post "{meta.title}" for {meta.date:%Y-%m-%d}: it removes '
                f"`draft: true` and adds `date: {meta.date:%Y-%m-%d}`, and changes nothing else.")
        where = (f"- Page on the deploy preview, and on kubernetes.io from that day: "
                 f"`{page_path(meta.slug, meta.date)}`")
        asks = ["- [ ] The blog team agreed on this date (they schedule posts on weekdays).",
                "- [ ] Every author of this pull request has signed the CNCF CLA."]
    else:
        lead = f'This pull request adds the blog post "{meta.title}" as a draft.'
        where = (f"- Page on the deploy preview: `{page_path(meta.slug, None)}` (a draft has no date yet, so "
                 f"Hugo files it under year 1; the follow-up pull request sets `date: {meta.date:%Y-%m-%d}`)")
        asks = [
            "- [ ] Every author has signed the CNCF CLA (the EasyCLA check on this pull request says so).",
            "- [ ] The post is in English and alone in this pull request; translations come in pull requests "
            "of their own.",
            f'- [ ] The first commit message describes the post ("{pr_title}").',
            "- [ ] Once review is done, the commits are squashed into one before the merge.",
        ]
    lines = [pr_title, "", lead, "", *([f"> {summary}", ""] if summary else []), where,
             f"- Authors: {authors}", f"- Written in MyST and exported by k8s-blog (source commit {source})", "",
             "What the blog's submission guide asks:", *asks]
    return "\n".join(lines) + "\n"


def next_steps(website: Path, branch: str, default: str, text_file: Path, pr_title: str, update: bool) -> list[str]:
    """The commands that push the branch and open (or update) the pull request; nothing is pushed for you."""
    checkout, quoted = shlex.quote(str(website)), shlex.quote(branch)
    push = f"git -C {checkout} push --set-upstream origin {quoted}"
    if update:
        return [push, "the pull request already open from that branch shows the new commit; open no other"]
    return [push,
            f"cd {checkout} && tail -n +3 {shlex.quote(str(text_file.resolve()))} | gh pr create --repo "
            f"kubernetes/website --base {shlex.quote(default)} --title {shlex.quote(pr_title)} --body-file -",
            "(or open the pull request on GitHub from that branch, with the title and text above)"]
