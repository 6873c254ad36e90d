"""``make absorb``: the reviewers' commits on the post's branch, taken back into its MyST source.

Reviewers on kubernetes/website comment on the exported Markdown, and often
commit "suggested changes" to the pull request's branch. make absorb reads the
commits on the post's branch after make pr's newest one, finds what they
changed word by word (:mod:`.review`), and takes each change to the source
line the export's line came from (the source map, as ``k8s-blog where``
reads it), where the source carries the same words: prose, headings, list
items, table cells, code lines, link texts, callouts, footnotes, and the front
matter's title and description. Word by word: a sentence keeps the roles,
citations and links around the words that changed.

The map is the one of the export of the source as it is now, which is
committed (make absorb refuses a post with uncommitted changes): the
reviewers' version is compared with that export, so its lines are exact for
today's source whatever happened since make pr (an export of uncommitted
edits, a ``make clean``, another machine), and a line the author changed since
is reported instead of guessed at.

What it cannot take (a shortcode's parameter, a link's address, a line with no
counterpart in the source, words the source no longer has, a file beside the
post) it prints as ``source/<post>.md:<line>: commit <sha> changed "<old>" to
"<new>"; apply it by hand`` and exits 1. A reviewer's text is data: never run,
and never copied into the source where it would add markup (a MyST role or
directive, a shortcode or template ``{{``, HTML, a link, a new block), which is
left to the author too. Only the post's own Markdown is written, atomically.
"""

from __future__ import annotations

import codecs
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml
from markdown_it import MarkdownIt

from .. import atomic
from ..hugo.sourcemap import MAPS, SourceMap
from ..post import post_root
from ..project import Project
from ..revision import head_state
from .branch import Identity, find_branch, identify, round_on
from .git import Checkout, Refusal, printable
from .review import Edit, Review, Text, Token, matcher, pairs, read_review, side_by_side, tokenize
from .submit import check_checkout, exported_post

#: What the export writes as markup around words: a shortcode call, a link's address, a footnote's label, HTML.
_EXPORT_MARKUP = re.compile(r"\{\{[<%].*?[>%]\}\}|\]\((?:[^()\\]|\\.)*\)|\[\^[^\]]*\]|</?[A-Za-z][^>]*>")
#: The same in MyST: a role's name and target, a link's address, a footnote's label, HTML, a substitution,
#: backticks, and the lines of a directive (its fence and its options).
_SOURCE_MARKUP = re.compile(r"\{[^{}\s]*\}`|\s<[^<>`]*>`|`|\]\([^)]*\)|\[\^[^\]]*\]|<[^>]*>|\{\{.*?\}\}"
                            r"|^[ \t]*(?:`{3,}|~{3,}|:{3,}|:[\w-]+:).*$", re.M)
#: What makes MyST read a line as markup, counted before and after each change: it must stay the same.
_SIGNATURE = re.compile(r"\{[^{}\s]*\}|\}`|\{\{|\{%|<|>|\]\(|\[\^"
                        r"|^[ \t]*(?:[#>%|]|[*+-][ \t]|\d+[.)]|`{3,}|~{3,}|:{3,})"
                        r"|^[ \t]*(?:=+|-{2,}|_{3,}|\*{3,})[ \t]*$", re.M)  # setext underlines, thematic breaks
#: A line that ends the source's block: a blank one, a fence.
_BLOCK_END = re.compile(r"[ \t]*(?:$|`{3,}|~{3,}|:{3,})")
#: A block's marker at the start of a line.
_LINE_START = re.compile(r"[ \t]*(?:[#>%|:=]|[*+-](?:[ \t]|$)|-{2,}|_{3,}|\*{3,}|\d+[.)]|`{3}|~{3})")
_EDITABLE_FRONT = ("title:", "description:")


@dataclass(frozen=True)
class Change:
    """One reviewer edit as it lands in the source."""

    line: int  #: 1-based line of the source
    edit: Edit
    span: tuple[int, int] | None = None  #: the source's characters it replaces, when it can be applied
    new: str = ""

    def report(self, source: str, applied: bool) -> str:
        commits = " ".join(sha[:12] for sha in self.edit.commits)
        old, new = (printable(text.strip()) for text in self.edit.shown)
        done = "applied" if applied else "apply it by hand"
        return f'{source}:{self.line}: commit{"s" if len(self.edit.commits) > 1 else ""} {commits} changed "{old}" ' \
               f'to "{new}"; {done}'


def absorb(source: Path, build_dir: Path, website: Path, *, slug: str | None = None,
           branch: str | None = None) -> int:
    """Run ``make absorb`` with the export in *build_dir*; returns the exit status."""
    try:
        return _absorb(source, build_dir, Checkout(website.resolve()), slug, branch)
    except Refusal as refusal:
        print(f"absorb: refused: {refusal}", file=sys.stderr)
        return 2


def _absorb(source: Path, build_dir: Path, repo: Checkout, slug: str | None, branch: str | None) -> int:
    check_checkout(repo, Project.read(source).section)
    export = build_dir / "hugo"
    post = exported_post(export, source, slug)
    meta = post.meta
    source_map = SourceMap.load(export / MAPS / f"{meta.slug}.json")
    shown = source_map.source
    target = source.resolve().parent / shown
    if target.resolve() != meta.source.resolve() or not source_map.describes(post.markdown):
        raise Refusal(f"the source map of {meta.slug!r} does not describe {post.markdown}; run make hugo again")
    state = head_state(source, [post_root(meta.source)])
    if state is None:
        raise Refusal(f"{shown} is not in a git checkout; make absorb changes it in place, so keep it in git")
    if state[1]:
        raise Refusal(f"{shown} has uncommitted changes; commit them first, so that what make absorb changes "
                      "shows in git diff and can be undone")
    post_id = identify(meta, source)
    default = repo.default_branch()
    name = find_branch(repo, default, post_id, False, branch)
    if not repo.has_branch(name):
        raise Refusal(f"{repo.root} has no branch {name!r}; make pr makes it (or name it with BRANCH=)")
    round_ = round_on(repo, default, name, post_id)
    ours = post.markdown.read_text("utf-8")
    review = read_review(repo, round_, post_id, ours)
    if review is None:
        raise Refusal(f"branch {name!r} holds no commit make pr made of {meta.slug!r}; nothing to compare with")
    if not review.commits:
        print(f"absorb: branch {name!r} has no commits after make pr's last one; nothing to absorb")
        print("absorb: 0 applied, 0 to apply by hand")
        return 0
    print(f"absorb: branch {name!r} in {repo.root}: {len(review.commits)} commit(s) after make pr's last one "
          f"({round_.made[0].sha[:12]}):")
    for commit in review.commits:
        print(f"  {commit}")
    return _take(review, post_id, shown, target, ours, source_map)


def _take(review: Review, post: Identity, shown: str, target: Path, ours: str, source_map: SourceMap) -> int:
    """Apply what can be applied to *target*, report the rest; the exit status."""
    raw = target.read_bytes()
    bom = raw.startswith(codecs.BOM_UTF8)
    text = raw.decode("utf-8-sig")
    crlf = "\r\n" in text
    text = text.replace("\r\n", "\n")
    by_hand = [f"{shown}:1: commit {c.sha[:12]} changed {printable(path)}, which is not the post's Markdown; apply "
               "it by hand" for c in review.commits for path in review.elsewhere(c)]
    if review.unreadable:
        by_hand.append(f"{shown}:1: the reviewers' commits left {printable(review.unreadable)}; apply their changes "
                       "by hand")
    mapper = _Mapper(Text(ours), source_map, Text(text))
    changes = [mapper.change(edit) for edit in review.edits if not edit.carried]
    applied: list[Change] = []
    for change in sorted(changes, key=lambda c: c.line):
        taken = change.span is not None and not any(_overlap(change, other) for other in applied)
        if taken and _keeps_markup(text, [*applied, change]):
            applied.append(change)
            print(change.report(shown, True))
        else:
            by_hand.append(change.report(shown, False))
    for line in by_hand:
        print(line)
    if applied:
        new = _apply(text, applied)
        data = (codecs.BOM_UTF8 if bom else b"") + (new.replace("\n", "\r\n") if crlf else new).encode("utf-8")
        mode = target.stat().st_mode
        atomic.replace_file(data, target)
        os.chmod(target, mode)
    carried = sum(edit.carried for edit in review.edits)
    print(f"absorb: {len(applied)} applied, {len(by_hand)} to apply by hand"
          + (f" ({carried} already in the source)" if carried else "")
          + (f"; {shown} written" if applied else ""))
    if applied or by_hand:
        print(f"absorb: next: read the changes (git diff {shown}){', apply the rest by hand' if by_hand else ''}, "
              "commit them, and run make pr: it records the commits it takes back")
    return 1 if by_hand else 0


def _overlap(one: Change, other: Change) -> bool:
    assert one.span is not None and other.span is not None
    return _touches(one.span, other.span[0], other.span[1]) or one.span == other.span


def _touches(span: tuple[int, int], start: int, end: int) -> bool:
    """Whether the characters *span* (or, empty, the point between two) touch ``[start, end)``'s inside."""
    return (span[0] < end and start < span[1]) or start < span[0] < end


def _apply(text: str, changes: list[Change]) -> str:
    for change in sorted(changes, key=lambda c: c.span or (0, 0), reverse=True):
        assert change.span is not None
        text = text[:change.span[0]] + change.new + text[change.span[1]:]
    return text


def _keeps_markup(text: str, changes: list[Change]) -> bool:
    """Whether the source reads as the same markup once *changes* are applied: the same roles, directives,
    shortcodes, HTML, links and block markers, only other words."""
    return sorted(_SIGNATURE.findall(text)) == sorted(_SIGNATURE.findall(_apply(text, changes)))


class _Mapper:
    """Each edit placed in the export of today's source, taken to that source's words."""

    def __init__(self, ours: Text, source_map: SourceMap, source: Text) -> None:
        self.ours, self.map, self.source = ours, source_map, source
        self.front = next((i for i, line in enumerate(ours.lines[1:], 1) if line == "---"), 0) if ours.lines[
            0] == "---" else -1
        self.code = _code_lines(ours.lines, self.front + 1)

    def source_line(self, line: int) -> int:
        """The 1-based source line of the export's 0-based *line*."""
        lines = self.map.lines
        return lines[min(line, len(lines) - 1)] if lines else 1

    def change(self, edit: Edit) -> Change:
        at = self.source_line(edit.line)
        if edit.placed is None:
            return Change(at, edit)
        start, end = edit.placed
        first, last = self.ours.line_at(start), self.ours.line_at(max(start, end - 1))
        mode = "front" if first <= self.front else "code" if first in self.code else "prose"
        if (first <= self.front) != (last <= self.front) or (first in self.code) != (last in self.code) or (
                mode == "front" and (first != last or not self.ours.lines[first].startswith(_EDITABLE_FRONT))):
            return Change(at, edit)
        region, offset = self.ours.chunk(first, last + 1)
        region = region[:len(region) - region.endswith("\n")]
        if mode != "code" and any(_touches((start - offset, end - offset), m.start(), m.end())
                                  for m in _EXPORT_MARKUP.finditer(region)):
            return Change(at, edit)  # a shortcode's parameter, a link's address, ...
        for shift, new in _slides(region, start - offset, end - offset, edit.new):
            if found := self._in_source(edit, new, mode, region, start - offset + shift, end - offset + shift, first,
                                        last):
                return found
        return Change(at, edit)

    def _in_source(self, edit: Edit, new: str, mode: str, region: str, start: int, end: int, first: int,
                   last: int) -> Change | None:
        """The source's characters that hold the edit's words, and the text to put there."""
        lines = self.map.lines
        top = lines[first] - 1
        bottom = max(self._last_source_line(line, mode) for line in range(first, last + 1))
        if top < 0 or bottom >= len(self.source.lines) or bottom - top > 40:
            return None
        text, offset = self.source.chunk(top, bottom + 1)
        text = text[:len(text) - text.endswith("\n")]
        theirs, mine = tokenize(region), tokenize(text)
        paired = pairs(matcher(_keys(theirs, mode), _keys(mine, mode)))
        starts = {token.start: i for i, token in enumerate(theirs)} | {len(region): len(theirs)}
        if start not in starts or end not in starts:
            return None
        i1, i2 = starts[start], starts[end]
        span = _span(paired, mine, i1, i2, len(text))
        if span is None or (mode != "code" and any(_touches(span, m.start(), m.end())
                                                  for m in _SOURCE_MARKUP.finditer(text))):
            return None
        if not _safe(new, mode, text, span) or (mode == "front" and not _same_value(
                region[:start] + new + region[end:], text[:span[0]] + new + text[span[1]:])):
            return None
        line = self.source.line_at(offset + span[0]) + 1
        return Change(line, edit, (offset + span[0], offset + span[1]), new)

    def _last_source_line(self, line: int, mode: str) -> int:
        """The last 0-based source line the export's *line* may have come from: its own in code and front
        matter; in prose the rest of its block (a paragraph, a list, a list-table's row and the rows after it)."""
        here = self.map.lines[line] - 1
        if mode != "prose":
            return here
        last = here
        while last + 1 < min(len(self.source.lines), here + 40) and not _BLOCK_END.match(self.source.lines[last + 1]):
            last += 1
        return last


def _slides(region: str, start: int, end: int, new: str) -> list[tuple[int, str]]:
    """An insertion as difflib placed it, and slid over the blank beside it: "TDX | " + "and SGX " is also
    "TDX" + " and SGX": the source may have the word without the blank."""
    out = [(0, new)]
    if start == end:
        if (blank := re.search(r"[^\S\n]+$", new)) and region[:start].endswith(blank[0]):
            out.append((-len(blank[0]), blank[0] + new[:-len(blank[0])]))
        if (blank := re.match(r"[^\S\n]+", new)) and region[start:].startswith(blank[0]):
            out.append((len(blank[0]), new[len(blank[0]):] + blank[0]))
    return out


def _code_lines(lines: list[str], body: int) -> set[int]:
    """The 0-based lines inside the export's code blocks (a fence's own lines excluded)."""
    out: set[int] = set()
    for token in MarkdownIt("commonmark").parse("\n".join(lines[body:])):
        if token.type in ("fence", "code_block") and token.map:
            first, stop = token.map
            if token.type == "fence":
                first, stop = first + 1, stop - 1 if lines[body + stop - 1].strip().startswith(token.markup) else stop
            out.update(range(body + first, body + stop))
    return out


def _keys(tokens: list[Token], mode: str) -> list[str]:
    """What is compared of each token: in prose a backslash escape as its character, blanks as one space or one
    line break; in code what is written, but a line's indent."""
    out = []
    for token in tokens:
        if token.blank:
            out.append("\n" if "\n" in token.text else token.text if mode == "code" else " ")
        elif mode != "code" and len(token.text) == 2 and token.text[0] == "\\":
            out.append(token.text[1])
        else:
            out.append(token.text)
    return out


def _span(paired: list[int | None], mine: list[Token], i1: int, i2: int, size: int) -> tuple[int, int] | None:
    """The source's characters for the export's tokens ``[i1, i2)``; for an insertion, the point beside the words
    around it that the source has too."""
    if i1 < i2:
        if (found := side_by_side(paired, i1, i2)) is None:
            return None
        first, last = found
        before = i1 == 0 or paired[i1 - 1] == first - 1
        after = i2 == len(paired) or paired[i2] == last + 1
        return (mine[first].start, mine[last].end) if before or after else None
    left = paired[i1 - 1] if i1 > 0 else None
    right = paired[i1] if i1 < len(paired) else None
    if left is not None and (right is None or right == left + 1):
        return mine[left].end, mine[left].end
    if right is not None and left is None:
        return mine[right].start, mine[right].start
    return None


def _same_value(exported: str, source: str) -> bool:
    """Whether a front matter line of the source reads as the same key and string value as the export's."""
    try:
        theirs, mine = yaml.safe_load(exported), yaml.safe_load(source)
    except yaml.YAMLError:
        return False
    return isinstance(theirs, dict) and theirs == mine and all(isinstance(v, str) for v in theirs.values())


def _safe(new: str, mode: str, text: str, span: tuple[int, int]) -> bool:
    """Whether *new* can go in the source's *text* at *span* as the same words, adding no markup."""
    if any(not ch.isprintable() and ch != "\t" for ch in new):  # a line break, a control character
        return False
    if mode == "code":
        return not any(mark in new for mark in ("```", "~~~", "{{"))
    if mode == "front":
        return "{{" not in new
    if set(new) & set("{}<>[]") or re.search(r"(?<!\\)\|", new) or new.count("`") % 2:
        return False
    if (new.startswith("`") and text[span[0] - 1:span[0]] in ("`", "}")) or (
            new.endswith("`") and text[span[1]:span[1] + 1] == "`"):
        return False
    line_start = text.rfind("\n", 0, span[0]) + 1
    return not (text[line_start:span[0]].strip() == "" and _LINE_START.match(new))
