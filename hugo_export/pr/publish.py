"""``make pr PUBLISH=1``: after the merge, the post as the default branch has it, dated.

The follow-up changes only the front matter of the post on the default
branch (``draft`` out, ``date`` in), so it carries what was merged, not
today's source. When the source changed after the export that reached the
merged post, it says so, naming the source commits, so that a forgotten round
goes to kubernetes.io in a pull request of its own first.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..post import PostMeta
from ..revision import commits_since, head_state
from .branch import Identity, same_slug
from .git import TRAILER, Changes, Checkout, Refusal

#: make pr's export trailer, wherever it stands in a message.
_EXPORTED = re.compile(rf"^{TRAILER}:[ \t]*(\S+)[ \t]+(\S+)[ \t]*$", re.M)


def publish_changes(repo: Checkout, default: str, start: str, meta: PostMeta, section: str) -> Changes:
    """The post already on *default*, with ``date`` instead of ``draft``: nothing else changes."""
    merged = [p for p in same_slug(repo.files(default, section), meta.slug, section) if p.endswith(".md")]
    if not merged:
        raise Refusal(f"{meta.slug!r} is not on {default} yet: the publish follow-up comes once the post's "
                      "pull request is merged; run make pr without PUBLISH=1 first")
    path = merged[0]
    return Changes({path: publish_form(repo.show(start, path), meta.date, path).encode()}, [])


def publish_form(text: str, date: dt.date, path: str) -> str:
    """*text* with its front matter's ``draft`` line (or an earlier ``date``) replaced by ``date: <date>``."""
    lines = text.split("\n")
    end = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() == "---"), 0) if lines[0] == "---" else 0
    keys = {m[1]: i for i, line in enumerate(lines[1:end], 1) if (m := re.match(r"(\w+):", line))}
    if "draft" in keys and "date" in keys:
        raise Refusal(f"{path} has both 'draft' and 'date' in its front matter; keep one")
    key = "draft" if "draft" in keys else "date"
    if key not in keys:
        raise Refusal(f"{path} has no 'draft: true' front matter line for the publish follow-up to replace")
    lines[keys[key]] = f"date: {date:%Y-%m-%d}"
    return "\n".join(lines)


def merged_origin(repo: Checkout, default: str, post: Identity, path: str) -> str | None:
    """The source commit (as make pr's trailer gave it) of the export that reached *path* on *default*. A squash
    merge lists every round's message, the newest last, and GitHub ends it with co-author lines: so the whole
    message is read, not only its trailers."""
    for commit in repo.commits(default, path):
        exported = [origin for slug, origin in _EXPORTED.findall(repo.message(commit.sha))
                    if post.history.knows(slug=slug)]
        if exported:
            return exported[-1]
    return None


def unpublished(source: Path, own: list[Path], merged: str, today: str, origin: str | None) -> list[str]:
    """The lines of a warning when today's export (*today*, the publish form) is not the merged post's
    publish form (*merged*): the source commits since *origin*, and uncommitted changes."""
    if merged == today:
        return []
    sha = origin.removesuffix("-dirty") if origin and origin != "unversioned" else None
    since = commits_since(source, sha, own) if sha else None
    state = head_state(source, own)
    lines = [f"  {line}" for line in since or []]
    if state is not None and state[1]:
        lines.append("  (and changes not committed yet)")
    where = f" (source commit {origin})" if origin else ""
    head = (f"the source changed after the export that reached the merged post{where}, and this follow-up does "
            "not carry it:" if lines else f"the merged post{where} differs from today's export of the source, and "
            "this follow-up carries the merged one")
    return [head, *lines, "to bring the changes to kubernetes.io, run make pr without PUBLISH=1 first: another "
                          "pull request, before this one"]
