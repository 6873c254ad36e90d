"""What the reviewers changed in the post's exported Markdown, edit by edit, and what an export carries of it.

Three versions of the export meet here: *base*, what make pr last committed;
*theirs*, the branch's tip, with the reviewers' commits on top; *ours*, the
export of the source as it is now. Their change is found line by line, then
word by word inside the lines that changed (difflib), and each edit is
anchored on the nearest words all three versions share around it. An edit is
*carried* when ours reads as theirs between those anchors: make pr then knows
the reviewer's commit is taken back, whoever took it (make absorb, the author
by hand, a co-author on another machine). An edit ours does not carry yet is
*placed* in ours when ours still holds the very words it changes; that is
where make absorb takes it to the MyST source. Each edit names the reviewer
commits that wrote it, from a blame of the branch's versions, word by word.

Nothing here runs or writes anything: the reviewers' text is data.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from .branch import Identity, Round
from .git import ABSORBED, FORCED, Checkout, Commit, Refusal

#: The largest export the reviewers' version may be: difflib's time grows with its square.
_LARGEST = 2_000_000
#: A word, a run of blanks (a line break with the next line's indent is one), a backslash escape, or one character.
TOKEN = re.compile(r"\\[!-/:-@\[-`{-~]|\w+|[^\S\n]+|\n[^\S\n]*|.", re.S)


@dataclass(frozen=True)
class Token:
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def blank(self) -> bool:
        return self.text.isspace()


def tokenize(text: str) -> list[Token]:
    return [Token(m[0], m.start()) for m in TOKEN.finditer(text)]


def pairs(matcher: SequenceMatcher[str]) -> list[int | None]:
    """For each item of the matcher's first sequence, the index of the item of the second it is paired with."""
    blocks = matcher.get_matching_blocks()
    out: list[int | None] = [None] * blocks[-1][0]  # the last block is (len(a), len(b), 0)
    for i, j, size in blocks:
        out[i:i + size] = range(j, j + size)
    return out


def matcher(a: Sequence[str], b: Sequence[str]) -> SequenceMatcher[str]:
    return SequenceMatcher(None, a, b, autojunk=False)  # autojunk would drop "the" and " " from long texts


class Text:
    """One version of the export: its lines and where each starts."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.split("\n")
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line) + 1)

    def chunk(self, first: int, stop: int) -> tuple[str, int]:
        """Lines *first* to *stop* (exclusive) with their line breaks, and the offset where they start."""
        return self.text[self.starts[first]:self.starts[stop]], self.starts[first]

    def line_at(self, offset: int) -> int:
        """The 0-based line that holds *offset* (the last line for the end of the text)."""
        return min(bisect.bisect_right(self.starts, offset) - 1, len(self.lines) - 1)


@dataclass(frozen=True)
class Edit:
    """One change of the reviewers, word by word."""

    old: str  #: the words they replaced, as the export wrote them
    new: str  #: what they wrote instead
    shown: tuple[str, str]  #: old and new, with the word before when one of them is empty
    commits: tuple[str, ...]  #: the reviewer commits that wrote it
    carried: bool  #: ours reads as theirs here
    placed: tuple[int, int] | None  #: where ours holds the words it changes (offsets), when it does
    line: int  #: the 0-based line of ours where it stands


class _Line:
    """A line of one version of the export, with the commits that wrote each of its tokens and those that
    deleted tokens before each (``gaps[n]``: before token n)."""

    def __init__(self, text: str, sha: str | None = None) -> None:
        self.text = text
        self.tokens = [token.text for token in tokenize(text)]
        self.labels: list[frozenset[str]] = [frozenset({sha} if sha else ())] * len(self.tokens)
        self.gaps: list[frozenset[str]] = [frozenset()] * (len(self.tokens) + 1)

    def step(self, text: str, sha: str) -> _Line:
        """This line as commit *sha* rewrote it: its words keep who wrote them; the new ones are *sha*'s."""
        new = _Line(text, sha)
        for tag, a1, a2, b1, b2 in matcher(self.tokens, new.tokens).get_opcodes():
            if tag == "equal":
                new.labels[b1:b2] = self.labels[a1:a2]
                new.gaps[b1:b2 + 1] = [old | mine for old, mine in zip(self.gaps[a1:a2 + 1], new.gaps[b1:b2 + 1],
                                                                       strict=True)]
            elif tag == "delete":
                new.gaps[b1] |= {sha}
        return new


class Blame:
    """Who wrote each word of the last of a series of versions (a word replaced is its last writer's alone:
    a suggestion changed again was settled by the later one), and who deleted what between them."""

    def __init__(self, base: str, versions: list[tuple[str, str]]) -> None:
        lines = [_Line(text) for text in base.split("\n")]
        gaps: list[frozenset[str]] = [frozenset()] * (len(lines) + 1)  # whole lines deleted before line n
        for sha, text in versions:
            texts = text.split("\n")
            new: list[_Line] = []
            new_gaps: list[frozenset[str]] = [frozenset()] * (len(texts) + 1)
            for tag, a1, a2, b1, b2 in matcher([line.text for line in lines], texts).get_opcodes():
                if tag == "equal":
                    new += lines[a1:a2]
                    for k in range(a2 - a1 + 1):
                        new_gaps[b1 + k] |= gaps[a1 + k]
                elif tag == "replace" and a2 - a1 == b2 - b1:
                    new += [line.step(texts[b1 + k], sha) for k, line in enumerate(lines[a1:a2])]
                else:
                    new += [_Line(texts[k], sha) for k in range(b1, b2)]
                    if a2 > a1:
                        new_gaps[b1] |= {sha}
            lines, gaps = new, new_gaps
        self.lines, self.gaps = lines, gaps

    def commits(self, text: Text, start: int, end: int) -> set[str]:
        """Who wrote the characters ``[start, end)`` of the last version (*text*), or deleted something there."""
        out: set[str] = set()
        first, last = text.line_at(start), text.line_at(max(start, end - 1))
        for n in range(first, last + 1):
            line, offset = self.lines[n], text.starts[n]
            if start == offset:
                out |= self.gaps[n]
            at = offset
            for k, token in enumerate(line.tokens):
                if start <= at <= end and (at < end or start == end):
                    out |= line.gaps[k]
                if at < end and start < at + len(token):
                    out |= line.labels[k]
                at += len(token)
            if start <= at <= end:
                out |= line.gaps[len(line.tokens)]
        return out


def edits(base: str, theirs: str, ours: str, versions: list[tuple[str, str]]) -> list[Edit]:
    """The reviewers' edits of *base* into *theirs*, each judged against *ours* (see the module)."""
    b, t, o = Text(base), Text(theirs), Text(ours)
    lines = matcher(b.lines, t.lines)
    bt, bo = pairs(lines), pairs(matcher(b.lines, o.lines))
    windows: list[tuple[int, int]] = []
    for tag, a1, a2, _, _ in lines.get_opcodes():
        if tag == "equal":
            continue
        p, q = a1 - 1, a2  # the nearest lines all three versions share
        while p >= 0 and (bt[p] is None or bo[p] is None):
            p -= 1
        while q < len(b.lines) and (bt[q] is None or bo[q] is None):
            q += 1
        if windows and p < windows[-1][1]:
            windows[-1] = (windows[-1][0], max(q, windows[-1][1]))
        else:
            windows.append((p, q))
    blame = Blame(base, versions)
    order = {sha: i for i, (sha, _) in enumerate(versions)}
    out = []
    for p, q in windows:
        window = _Window(b.chunk(p + 1, q), _side(bt, t, p, q, len(b.lines)), _side(bo, o, p, q, len(b.lines)))
        out += [edit.located(t, o, blame, order) for edit in window.edits()]
    return out


def _side(paired: list[int | None], text: Text, p: int, q: int, size: int) -> tuple[str, int]:
    """The lines of *text* between the anchors *p* and *q* of base (exclusive)."""
    return text.chunk(_after(paired, p), _before(paired, q, size, len(text.lines)))


@dataclass
class _Found:
    """An edit in window coordinates, before it is placed in the whole texts."""

    old: str
    new: str
    shown: tuple[str, str]
    theirs: tuple[int, int]  #: offsets in the whole of theirs
    carried: bool
    placed: tuple[int, int] | None
    near: int  #: an offset in ours where it stands

    def located(self, theirs: Text, ours: Text, blame: Blame, order: dict[str, int]) -> Edit:
        commits = tuple(sorted(blame.commits(theirs, *self.theirs), key=lambda sha: order.get(sha, 0))) or tuple(
            order)  # no word of it to blame (a blank moved): every commit that changed the file
        at = self.placed[0] if self.placed else self.near
        return Edit(self.old, self.new, self.shown, commits, self.carried, self.placed, ours.line_at(at))


@dataclass
class _Window:
    """Lines that changed, the same stretch in the three versions, each ``(text, offset)``."""

    base: tuple[str, int]
    theirs: tuple[str, int]
    ours: tuple[str, int]

    def edits(self) -> list[_Found]:
        bk, tk, ok = (tokenize(text) for text, _ in (self.base, self.theirs, self.ours))
        keys = [[token.text for token in tokens] for tokens in (bk, tk, ok)]
        words = matcher(keys[0], keys[1])
        bt, bo = pairs(words), pairs(matcher(keys[0], keys[2]))
        groups: list[list[int]] = []
        for tag, i1, i2, j1, j2 in words.get_opcodes():
            if tag == "equal":
                continue
            gap = bk[groups[-1][1]:i1] if groups else []
            if groups and sum(not token.blank for token in gap) <= 1 and all("\n" not in t.text for t in gap):
                groups[-1][1], groups[-1][3] = i2, j2  # one edit: "the quick brown" to "a quick red"
            else:
                groups.append([i1, i2, j1, j2])
        found = []
        for i1, i2, j1, j2 in groups:
            p, q = i1 - 1, i2
            while p >= 0 and (bt[p] is None or bo[p] is None):
                p -= 1
            while q < len(bk) and (bt[q] is None or bo[q] is None):
                q += 1
            t_span = (_after(bt, p), _before(bt, q, len(bk), len(tk)))
            o_span = (_after(bo, p), _before(bo, q, len(bk), len(ok)))
            carried = keys[1][slice(*t_span)] == keys[2][slice(*o_span)]
            old = _text(self.base[0], bk, i1, i2)
            new = _text(self.theirs[0], tk, j1, j2)
            shown = (old, new)
            if not old or not new:
                shown = (_text(self.base[0], bk, *_widened(bk, i1, i2)),
                         _text(self.theirs[0], tk, *_widened(tk, j1, j2)))
            t0 = (tk[j1].start if j1 < len(tk) else len(self.theirs[0])) + self.theirs[1]
            t1 = (tk[j2 - 1].end if j2 > j1 else t0 - self.theirs[1]) + self.theirs[1]
            placed = self._placed(bo, ok, i1, i2, len(bk))
            near = (ok[o_span[0]].start if o_span[0] < len(ok) else len(self.ours[0])) + self.ours[1]
            found.append(_Found(old, new, shown, (t0, t1), carried, placed, near))
        return found

    def _placed(self, bo: list[int | None], ok: list[Token], i1: int, i2: int, size: int) -> tuple[int, int] | None:
        """Where ours holds the words base had at ``[i1, i2)`` (or, for an insertion, the two around it)."""
        offset = self.ours[1]
        if i1 < i2:
            if (found := side_by_side(bo, i1, i2)) is None:
                return None
            return ok[found[0]].start + offset, ok[found[1]].end + offset
        left = bo[i1 - 1] if i1 > 0 else -1
        right = bo[i1] if i1 < size else len(ok)
        if left is None or right is None or left + 1 != right:
            return None
        position = (ok[right].start if right < len(ok) else len(self.ours[0])) + offset
        return position, position


def side_by_side(paired: list[int | None], i1: int, i2: int) -> tuple[int, int] | None:
    """The first and last item paired with ``[i1, i2)`` when those are paired, one after another."""
    at = paired[i1:i2]
    if not at or any(k is None for k in at) or any(b != a + 1 for a, b in itertools.pairwise(at)):  # type: ignore[operator]
        return None
    return at[0], at[-1]  # type: ignore[return-value]


def _after(paired: list[int | None], p: int) -> int:
    return paired[p] + 1 if p >= 0 and paired[p] is not None else 0  # type: ignore[operator]


def _before(paired: list[int | None], q: int, size: int, other: int) -> int:
    return paired[q] if q < size and paired[q] is not None else other  # type: ignore[return-value]


def _text(text: str, tokens: list[Token], i1: int, i2: int) -> str:
    return text[tokens[i1].start:tokens[i2 - 1].end] if i2 > i1 else ""


def _widened(tokens: list[Token], i1: int, i2: int) -> tuple[int, int]:
    """``[i1, i2)`` with the word before it and the word after it (and what lies between)."""
    first, stop = i1 - 1, i2
    while first >= 0 and not tokens[first].text[0].isalnum():
        first -= 1
    while stop < len(tokens) and not tokens[stop].text[0].isalnum():
        stop += 1
    return max(first, 0) if first >= 0 else i1, min(stop + 1, len(tokens)) if stop < len(tokens) else i2


@dataclass(frozen=True)
class Review:
    """The reviewers' commits after make pr's newest one, and what they did to the post's Markdown."""

    commits: list[Commit]  #: oldest first
    path: str  #: the post's Markdown in the website, as make pr's newest commit has it
    changed: dict[str, list[str]]  #: the paths each commit changed
    edits: list[Edit]
    unreadable: str | None = None  #: why the branch's tip has no Markdown to compare (moved, a link, not UTF-8)

    def elsewhere(self, commit: Commit) -> list[str]:
        """What *commit* changed beyond the post's Markdown."""
        return [path for path in self.changed.get(commit.sha, []) if path != self.path]

    def taken_back(self) -> list[Commit]:
        """The commits whose every change the export of the source carries."""
        pending = {sha for edit in self.edits if not edit.carried for sha in edit.commits}
        if self.unreadable:
            pending |= {sha for sha, paths in self.changed.items() if self.path in paths}
        return [c for c in self.commits if c.sha not in pending and not self.elsewhere(c)]


def read_review(repo: Checkout, round_: Round, post: Identity, ours: str) -> Review | None:
    """The review on *round_*'s branch after make pr's newest commit, judged against the export *ours*;
    ``None`` when make pr has no commit of the post there."""
    found = round_.markdown(repo, post)
    if round_.newest is None or found is None:
        return None
    path = found[1]
    changed = {c.sha: repo.changed(c.sha) for c in round_.after}
    base = _decoded(repo.blob(round_.newest.sha, path))
    theirs = _decoded(repo.blob(round_.branch, path))
    if theirs is not None and len(theirs) > _LARGEST:
        return Review(round_.after, path, changed, [], f"{path} larger than {_LARGEST} characters on {round_.branch}")
    if base is None or theirs is None:
        reason = f"{path} is no longer a UTF-8 file on {round_.branch}" if base is not None else f"{path} unreadable"
        return Review(round_.after, path, changed, [], reason)
    versions, last = [], base
    for c in round_.after:
        if path in changed[c.sha]:
            text = _decoded(repo.blob(c.sha, path))
            if text is not None and text != last:
                versions.append((c.sha, text))
                last = text
    return Review(round_.after, path, changed, edits(base, theirs, ours, versions))


def _decoded(data: bytes | None) -> str | None:
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


@dataclass(frozen=True)
class Settled:
    """What make pr's commit says of the reviewers' commits since its last one."""

    absorbed: list[Commit]  #: their changes are in the export
    forced: list[Commit]  #: committed over (FORCE=1)

    def trailers(self) -> str:
        return "".join(f"{key}: {' '.join(c.sha[:12] for c in commits)}\n"
                       for key, commits in ((ABSORBED, self.absorbed), (FORCED, self.forced)) if commits)


def settle(repo: Checkout, round_: Round, post: Identity, ours: str, force: bool, absorb: str) -> Settled:
    """The reviewers' commits on *round_*'s branch that the export *ours* carries, and the others, which only
    *force* commits over; refuses otherwise, naming them and *absorb*, the command that takes them back."""
    if round_.newest is None:
        if round_.commits and not force:
            raise Refusal(f"branch {round_.branch!r} holds commits make pr did not make for this post:\n  "
                          + "\n  ".join(map(str, round_.commits))
                          + "\nif it is another post's branch, pass BRANCH=another-name; FORCE=1 commits the "
                            "export over them")
        return Settled([], round_.after)
    review = read_review(repo, round_, post, ours) if round_.after else None
    taken = review.taken_back() if review else []
    pending = [c for c in round_.after if c not in taken]
    if pending and not force:
        raise Refusal(f"branch {round_.branch!r} holds commits make pr did not make, after its last one, whose "
                      "changes the export does not carry:\n  " + "\n  ".join(map(str, pending))
                      + f"\ntake them into the source with {absorb}, commit it and run make pr again; or pass "
                        "FORCE=1 to commit the export over them (this once: the next round starts after it)")
    return Settled(taken, pending)
