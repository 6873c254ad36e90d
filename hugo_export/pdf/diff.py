"""``make pdf-diff REV=...``: the review PDF with what changed since a git revision marked.

The second review round needs to see what the authors changed. The post's
sources at REV come out of git (``git archive``) into a temporary folder and
are built with today's pipeline and today's ``conf.py``, so the two LaTeX
files differ only where the sources do; latexdiff marks the difference (added
text coloured and underlined, removed text struck out) and latexmk sets it in
a fresh folder, with the line numbers and source positions of ``make pdf``.
The post is found at REV by its slug, else by the paths and slugs git's
history gives it (a renamed file or slug), saying so; a post that did not exist
at REV is marked as added throughout, saying that too. The PDF is
written aside and renamed into place, like every output.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from .. import atomic
from ..outputs import Options, build
from ..post import FrontMatterError, PostMeta, select_posts
from ..revision import Commit, RevisionError, git, lineage, resolve
from .latexmk import latex_build, latexmk, put_pdfs

#: latexdiff as make pdf-diff runs it. Sphinx's commands whose last argument is text (diffed inside), and
#: those safe inside a change; a citation (\hyperlink) or URL that changed runs as \DEL... and \ADD...
#: (blogdiff.sty) instead of being hidden; no unchanged word between two changes is marked.
LATEXDIFF = ["latexdiff", "--no-label", "--append-textcmd=PYG,sphinxhref,DUrole",
             "--append-safecmd=sphinxhyphen,sphinxstyleemphasis,sphinxstylestrong,sphinxcode,sphinxupquote,sphinxhyphennobreak,RevOpen,RevClose,PYGZ[a-z]+",
             "--config=CUSTOMDIFCMD=hyperlink;sphinxurl,MINWORDSBLOCK=1"]
#: What latexdiff puts at the end of the marked document's preamble, instead of its own definitions.
PREAMBLE = "\\usepackage{blogdiff}\n"
BEGIN = "\\begin{document}"
END = "\\end{document}"
#: Where the title block ends (documents.py): the note of what is compared goes below it.
TITLE = "\\sphinxmaketitle"
#: The source positions the translator writes (see writer.py): L57 is the post's line 57.
POSITION = re.compile(r"(\\Rev(?:Source|SourceNext|Row)\{L)(\d+)\}")
#: What latexdiff writes around a change: inside a code block, the space after it would show.
DIF_COMMAND = re.compile(r"(\\DIF(?:add|del)(?:begin|end)) ")
#: Beyond this many pairs of lines a changed block is paired by place, not by likeness.
PAIRING_LIMIT = 2500
#: A footnote as Sphinx writes it: its number, its text.
FOOTNOTE = re.compile(r"\\begin\{footnote\}\[(\d+)\]\\sphinxAtStartFootnote\n(.*?)\\end\{footnote\}", re.S)
FOOTNOTE_NUMBER = re.compile(r"(\\begin\{footnote(?:text)?\}\[|\\sphinxfootnotemark\[)(\d+)\]")
#: A reference list entry, up to the next one or the list's end.
ENTRY = re.compile(r"(\\bibitem\[[^\]]*\]\{([^}]*)\}.*?)(?=\\bibitem\[|\\end\{sphinxthebibliography\})", re.S)
#: A citation's link and the brackets Sphinx writes around it: braced, latexdiff takes the one after it for
#: a third argument and the one before it for a command of its own.
CITATION = re.compile(r"(\{\[\})?(\\hyperlink\{[^{}]*\}\{(?:[^{}]|\{[^{}]*\})*\})(\{\]\})?")
#: The LaTeX name of the post's document (Sphinx's docname), which starts the name of every label in it.
DOCUMENT = re.compile(r"\\label\{\\detokenize\{(.*?)::doc\}\}")
#: A code block's length, which keeps a short one on one page, and its position (writer.py).
CODE_LENGTH = re.compile(r"\\RevKeepLines\{(\d+)\}(\\RevSourceNext\{[^}]*\})")
#: A mark whose words end in a space or line end, which ulem would underline or strike on a line of its own.
TRAILING_SPACE = re.compile(r"(\\DIF(?:add|del)(?:FL)?\{[^{}%]*?)(\s+)\}")
VERBATIM = re.compile(r"\\begin\{sphinxVerbatim\}.*?\\end\{sphinxVerbatim\}", re.S)


def old_sources(commit: Commit, source: Path, into: Path) -> Path | None:
    """The source folder and the bib files beside it as they were at *commit*, or ``None``."""
    folder = source.resolve().relative_to(commit.top)
    # -z: names as they are; without it git quotes any name beyond ASCII and git archive finds no such file.
    listed = git(commit.top, "ls-tree", "-r", "-z", "--name-only", commit.sha, "--", folder.as_posix()).stdout
    files = [name for name in listed.split("\0") if name]
    if not files:
        return None
    beside = git(commit.top, "ls-tree", "-z", "--name-only", commit.sha, "--", f"{folder.parent.as_posix()}/").stdout
    files += [name for name in beside.split("\0") if name.endswith(".bib")]
    tar = subprocess.run(["git", "-C", str(commit.top), "archive", "--format=tar", commit.sha, "--", *files],
                         capture_output=True, check=True)
    with tarfile.open(fileobj=io.BytesIO(tar.stdout)) as archive:
        try:
            archive.extractall(into, filter="data")  # nothing lands outside *into*, whatever the commit holds
        except tarfile.FilterError as err:  # a link to an absolute path or out of the tree
            raise RevisionError(f"at {commit.short}, {err}, out of the sources: a post's files lie "
                                "inside source/; that revision cannot be compared") from None
    return into / folder


@dataclass(frozen=True)
class Side:
    """One side of the comparison: a post's LaTeX file and its Markdown source."""

    tex: Path
    source: Path


def old_latex(commit: Commit, source: Path, work: Path, post: str | None) -> dict[str, Side] | None:
    """Each post's LaTeX file and Markdown source as at *commit*, by today's slug (``None``: they do
    not build). A post is found there by its slug, else by the paths and slugs git's history gives it
    (:func:`.revision.lineage`); each one found under another slug, or not at all, is said."""
    now = [meta for _, meta in select_posts(source, post)]
    old = old_sources(commit, source, work / "old")
    then: list[tuple[str, str]] = []  # (path relative to the repository's top, slug) of each post at commit
    if old is not None:
        shutil.copyfile(source / "conf.py", old / "conf.py")  # today's settings on both sides
        try:
            then = [(p.path.relative_to(work / "old").as_posix(), meta.slug) for p, meta in select_posts(old)]
        except FrontMatterError as err:
            print(f"pdf-diff: at {commit.short}: {err}", file=sys.stderr)
            return None
    found: dict[str, tuple[str, str]] = {}  # today's slug: (path, slug) at commit
    for meta in sorted(now, key=lambda meta: not any(slug == meta.slug for _, slug in then)):  # same slug first
        if match := counterpart(meta, [post for post in then if post not in found.values()], source):
            found[meta.slug] = match
            if match[1] != meta.slug:
                print(f"pdf-diff: {meta.slug} was {match[1]!r} ({match[0]}) at {commit.short}", file=sys.stderr)
        else:
            print(f"pdf-diff: {meta.slug} did not exist at {commit.short}; all of it is marked as added",
                  file=sys.stderr)
    if not found or old is None:
        return {}
    only = next(iter(found.values()))[1] if len(found) == 1 else None
    with contextlib.redirect_stdout(io.StringIO()):  # its output paths are temporary
        status = build(Options("latex", old, work / "old-build", post=only)).status
    if status:
        print(f"pdf-diff: the sources at {commit.short} do not build; see the messages above", file=sys.stderr)
        return None
    return {slug: Side(work / "old-build" / "latex" / f"{then_slug}.tex", work / "old" / path)
            for slug, (path, then_slug) in found.items()}


@dataclass(frozen=True)
class LineCounts:
    """How the post's source changed, in lines."""

    added: int
    changed: int
    removed: int


def edited_pairs(old: list[str], new: list[str]) -> list[tuple[int, int]]:
    """The lines of a changed block that are edits of each other, in order: each old line with the
    most alike new line after the last one paired, if at least half of them is alike."""
    if len(old) * len(new) > PAIRING_LIMIT:  # a rewrite: pair them by place
        return list(zip(range(len(old)), range(len(new)), strict=False))
    pairs: list[tuple[int, int]] = []
    for i, line in enumerate(old):
        start = pairs[-1][1] + 1 if pairs else 0
        likeness = {j: SequenceMatcher(None, line, new[j], autojunk=False).ratio() for j in range(start, len(new))}
        if likeness and max(likeness.values()) >= 0.5:
            pairs.append((i, max(likeness, key=lambda j: likeness[j])))
    return pairs


def compare_lines(old: list[str], new: list[str]) -> tuple[LineCounts, dict[int, int]]:
    """The line counts of the change from *old* to *new*, and where each old line (1-based) that
    was kept or edited stands in *new*."""
    added = changed = removed = 0
    moved: dict[int, int] = {}
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        pairs = [(i1 + k, j1 + k) for k in range(i2 - i1)] if tag == "equal" else edited_pairs(old[i1:i2], new[j1:j2])
        if tag != "equal":
            pairs = [(i1 + i, j1 + j) for i, j in pairs]
            changed += len(pairs)
            added += (j2 - j1) - len(pairs)
            removed += (i2 - i1) - len(pairs)
        moved.update((i + 1, j + 1) for i, j in pairs)
    return LineCounts(added, changed, removed), moved


def follow_positions(tex: str, moved: dict[int, int]) -> str:
    """*tex* (the old side) with each source position of the post renamed to where that line stands
    now: a paragraph that moved down because one was added above it is not a change."""
    return POSITION.sub(lambda m: f"{m[1]}{moved.get(int(m[2]), m[2])}}}", tex)


def follow_document(old: str, new: str) -> str:
    """*old* with its labels named after the document of *new*: a post whose file was renamed
    keeps its slug, and its citations and references are no change."""
    was, now = DOCUMENT.search(old), DOCUMENT.search(new)
    if was is None or now is None or was[1] == now[1]:
        return old
    prefix = re.compile(r"(\\detokenize\{|\\hyperlink\{cite\.|\\bibitem\[[^\]]*\]\{)" + re.escape(was[1]) + ":")
    return prefix.sub(lambda m: f"{m[1]}{now[1]}:", old)


def follow_footnotes(old: str, new: str) -> str:
    """*old* with each footnote numbered as the footnote with the same text is in *new*: the
    footnote after one that was added keeps its words, and its new number is no change of them."""
    now = {text: number for number, text in FOOTNOTE.findall(new)}
    renumbered = {number: now[text] for number, text in FOOTNOTE.findall(old) if text in now}
    return FOOTNOTE_NUMBER.sub(lambda m: f"{m[1]}{renumbered.get(m[2], m[2])}]", old)


def follow_code_lengths(old: str, new: str) -> str:
    """*old* with each code block's length as the block at its position has now: a line added to a
    code block is marked at that line, not again at the block's start."""
    now = {position: length for length, position in CODE_LENGTH.findall(new)}
    return CODE_LENGTH.sub(lambda m: rf"\RevKeepLines{{{now.get(m[2], m[1])}}}{m[2]}", old)


def counterpart(meta: PostMeta, then: list[tuple[str, str]], source: Path) -> tuple[str, str] | None:
    """The ``(path, slug)`` of the post *meta* among the posts of an earlier revision: the same slug,
    else a path or slug of its history."""
    same = [post for post in then if post[1] == meta.slug]
    if same or not then:
        return same[0] if same else None
    history = lineage(meta.source, meta.slug, source.resolve().parent)
    return next((post for post in then if history.knows(path=post[0]) or history.knows(slug=post[1])), None)


def opaque(tex: str) -> str:
    """*tex* with the TeX code Sphinx puts in the body (``\\makeatletter`` ... ``\\makeatother``: the
    longtable margins) in one ``\\RevTeX`` argument: latexdiff would mark its ``-`` as added words
    inside a dimension when a whole table is new."""
    preamble, begin, body = tex.partition(BEGIN)
    return preamble + begin + re.sub(r"\\makeatletter\n(.*?)\\makeatother",
                                     lambda code: rf"\makeatletter\RevTeX{{{code.group(1)}}}\makeatother",
                                     body, flags=re.S)


def closed_entries(tex: str) -> str:
    """*tex* with each reference list entry ended by its key (``\\RevEntryEnd``, which prints nothing):
    else latexdiff may take the full stop that ends one entry for the one that ends the next."""
    return ENTRY.sub(lambda entry: rf"{entry[1].rstrip()}\RevEntryEnd{{{entry[2]}}}" + "\n", tex)


def bracket_commands(tex: str) -> str:
    """*tex* with the brackets around each citation as ``\\RevOpen{}`` and ``\\RevClose{}`` (blogdiff.sty),
    which latexdiff may mark: as Sphinx braces them, it reads the closing one as part of the citation
    (a changed citation takes the unchanged bracket with it) and hides the opening one of a removed
    citation."""
    return CITATION.sub(lambda m: (r"\RevOpen{}" if m[1] else "") + m[2] + (r"\RevClose{}" if m[3] else ""), tex)


def tight_marks(tex: str) -> str:
    """*tex* with the space that ends a mark's words put after the mark (marked, it can fill a line
    alone) and, in code blocks, without the space latexdiff leaves after its marks, where spaces
    print, and with no mark on the lines that open and close the block, which fancyvrb drops."""
    tex = TRAILING_SPACE.sub(lambda mark: mark[1] + "}" + mark[2], tex)
    return VERBATIM.sub(lambda block: code_marks(DIF_COMMAND.sub(r"\1{}", block[0])), tex)


def code_marks(block: str) -> str:
    """A code block with the marks latexdiff put on its first or last line moved to the code lines."""
    if block.count("\n") < 2:  # no code line to move them to
        return block
    first, _, rest = block.partition("\n")
    begin = re.match(r"\\begin\{sphinxVerbatim\}(?:\[[^\n]*?\](?=\\|$))?", first)
    assert begin is not None, first
    body, _, last = rest.rpartition("\n")
    end = last.index(r"\end{sphinxVerbatim}")
    return f"{first[: begin.end()]}\n{first[begin.end():]}{body}{last[:end]}\n{last[end:]}"


def mark_changes(old: Side | None, new: Side, commit: Commit) -> str:
    """latexdiff of the two LaTeX files, noting REV in the running header and on page 1;
    no *old*: all of it is new."""
    text = new.tex.read_text("utf-8")
    new_lines = new.source.read_text("utf-8").splitlines()
    if old is None:
        before = text[: text.index(BEGIN) + len(BEGIN)] + "\n" + END + "\n"
        counts = LineCounts(len(new_lines), 0, 0)
    else:
        counts, moved = compare_lines(old.source.read_text("utf-8").splitlines(), new_lines)
        before = follow_positions(old.tex.read_text("utf-8"), moved)
        before = follow_code_lengths(follow_footnotes(follow_document(before, text), text), text)
    sides = []
    for side, tex in (("old", before), ("new", text)):
        sides.append(new.tex.with_name(f"{new.tex.stem}-{side}.tex"))
        sides[-1].write_text(bracket_commands(closed_entries(opaque(tex))), "utf-8")
    preamble = new.tex.with_name("diff-preamble.tex")
    preamble.write_text(PREAMBLE, "utf-8")
    marked = subprocess.run([*LATEXDIFF, f"--preamble={preamble}", *map(str, sides)],
                            capture_output=True, check=True).stdout.decode()
    note = rf"\renewcommand*\RevDiffNote{{; marked: changes since {commit.short}}}"
    lines = [f"{count} line{'s' if count != 1 else ''}" for count in (counts.added, counts.changed, counts.removed)]
    summary = rf"\RevDiffSummary{{{commit.short}}}" + "".join(f"{{{count}}}" for count in lines)
    marked = marked.replace(BEGIN, note + "\n" + BEGIN, 1).replace(TITLE, TITLE + summary, 1)
    return tight_marks(marked)


def make_diff(source: Path, build_dir: Path, rev: str, post: str | None = None) -> int:
    """Write ``<slug>-diff-<rev>.pdf`` for every post (or *post*); returns the exit status.

    The marked LaTeX stays beside the posts' own, as ``latex/<slug>-diff-<rev>.tex``, so a
    reviewer's "line 412 of the diff" can be looked up.
    """
    try:
        commit = resolve(source, rev)
    except RevisionError as err:
        print(f"pdf-diff: {err}", file=sys.stderr)
        return 2
    status, posts = latex_build(source, build_dir, post, "pdf-diff")
    if status:
        return status
    with tempfile.TemporaryDirectory(prefix="k8s-blog-pdf-diff-") as tmp:
        try:
            olds = old_latex(commit, source, Path(tmp), post)
        except RevisionError as err:
            print(f"pdf-diff: {err}", file=sys.stderr)
            return 2
        if olds is None:
            return 2
        work = Path(tmp, "work")
        shutil.copytree(build_dir / "latex", work)
        names = {slug: f"{slug}-diff-{commit.short}" for slug in posts}
        for slug, name in names.items():
            try:
                marked = mark_changes(olds.get(slug), Side(work / f"{slug}.tex", posts[slug]), commit)
            except subprocess.CalledProcessError as err:
                print(f"pdf-diff: latexdiff failed on {slug}.tex: {err.stderr.decode().strip()}", file=sys.stderr)
                return 1
            (work / f"{name}.tex").write_text(marked, "utf-8")
            with atomic.build_lock(build_dir, "pdf-diff"):  # kept, to look a line up even when LaTeX fails
                atomic.replace_file(marked.encode(), build_dir / "latex" / f"{name}.tex")
            if not latexmk(work, name, posts[slug]):
                print(f"pdf-diff: the marked LaTeX is {build_dir / 'latex' / name}.tex; "
                      "the previous diff PDFs, if any, are unchanged", file=sys.stderr)
                return 1
        with atomic.build_lock(build_dir, "pdf-diff"):
            placed = put_pdfs(work, names.values(), build_dir)
    for path in placed:
        print(f"pdf-diff: {path}")
    return 0
