"""``make bench``: how fast the pipeline is, against pandoc, on this machine.

Every figure is the median of several runs, with the spread (min-max). Timed
commands are the real ones (make targets, the build command make runs,
pandoc) on copies of the project under bench/work, so the author's _build is
never touched. The table is printed and written to bench/results.md with the
machine's description, and each target is marked pass or fail.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pypandoc

from hugo_export.pdf.latexmk import LATEXMK
from hugo_export.post import find_posts

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"


@dataclass
class Timing:
    name: str
    runs: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    def row(self) -> str:
        return f"| {self.name} | {self.median:.3f} | {min(self.runs):.3f}–{max(self.runs):.3f} | {len(self.runs)} |"


def timed(command: list[str], cwd: Path = ROOT, prepare: Callable[[], None] | None = None, runs: int = 5,
          env: dict[str, str] | None = None) -> list[float]:
    """Wall-clock seconds of *command*, *runs* times, *prepare* run untimed before each."""
    out = []
    for _ in range(runs):
        if prepare:
            prepare()
        start = time.perf_counter()
        result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env={**os.environ, **(env or {})})
        out.append(time.perf_counter() - start)
        if result.returncode:
            raise SystemExit(f"bench: {' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return out


def interleaved(commands: dict[str, tuple[list[str], Callable[[], None] | None]], runs: int) -> dict[str, list[float]]:
    """Each command of *commands* (name -> command, prepare) timed *runs* times, taking turns.

    A ratio of two timings is only as good as the conditions they share: this
    machine's speed drifts by a third from minute to minute, so commands that
    are compared run one after the other in every round, not in separate
    batches minutes apart.
    """
    out: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (command, prepare) in commands.items():
            out[name] += timed(command, prepare=prepare, runs=1)
    return out


def sphinx_floor() -> tuple[list[str], Callable[[], None]]:
    """``sphinx-build -b dummy`` of a one-page MyST project: what any Sphinx build costs before its work."""
    root = WORK / "sphinx-floor"
    shutil.rmtree(root, ignore_errors=True)
    (root / "source").mkdir(parents=True)
    (root / "source" / "conf.py").write_text('extensions = ["myst_parser"]\n')
    (root / "source" / "index.md").write_text("# A page\n\nOne paragraph.\n")
    command = [str(Path(sys.executable).with_name("sphinx-build")), "-b", "dummy", "-q",
               str(root / "source"), str(root / "build")]
    return command, lambda: shutil.rmtree(root / "build", ignore_errors=True)


def fresh_project(name: str) -> Path:
    """A copy of source/ and the bibliography under bench/work/<name>."""
    root = WORK / name
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(ROOT / "source", root / "source", ignore=shutil.ignore_patterns("editorial"))
    shutil.copyfile(ROOT / "bibliography.bib", root / "bibliography.bib")
    return root


def make(target: str, project: Path) -> list[str]:
    return ["make", "--no-print-directory", "-s", "-C", str(ROOT), target,
            f"SRC={project / 'source'}", f"BUILD={project / 'build'}"]


def make_latex(project: Path) -> list[str]:
    """The LaTeX build ``make pdf`` starts with, without make's venv check."""
    return [str(Path(sys.executable).with_name("k8s-blog")), "build", "latex", "--force",
            "--source", str(project / "source"), "--build", str(project / "build")]


def the_slug(project: Path) -> str:
    """The slug of the one post of a copied project."""
    [post] = find_posts(project / "source")
    meta = post.meta()
    assert meta is not None, post.path
    return meta.slug


def export(project: Path) -> list[str]:
    """The command ``make hugo`` runs, without make's venv check."""
    return [str(Path(sys.executable).with_name("k8s-blog")), "build", "hugo", "--force",
            "--source", str(project / "source"), "--build", str(project / "build")]


def the_post(project: Path) -> Path:
    """The one post of a copied project (whatever its name)."""
    [post] = find_posts(project / "source")
    return post.path


def edited(text: str, marker: str) -> str:
    """*text* with *marker* put before the first paragraph of its body."""
    front, body = text.split("\n---\n", 1)
    lead = len(body) - len(body.lstrip("\n"))
    return f"{front}\n---\n{body[:lead]}{marker} {body[lead:]}"


def to_pandoc_markdown(myst: str) -> str:
    """The article as pandoc Markdown: [@key] citations, no MyST roles."""
    text = re.sub(r"\{cite:link\}`([^`<]*?)\s*<([^>]+)>`", r"\1 [@\2]", myst)
    text = re.sub(r"\{cite:[pt]\}`([^`]+)`",
                  lambda m: "[" + "; ".join("@" + k.strip() for k in m[1].split(",")) + "]", text)
    text = re.sub(r"\{k8s-term\}`([^`<]*?)\s*(<[^>]+>)?`", r"\1", text)
    return re.sub(r"```\{bibliography\}\n```", "", text)


def pandoc(markdown: Path, bib: Path) -> list[str]:
    return [pypandoc.get_pandoc_path(), "-f", "markdown", "-t", "gfm", "--citeproc",
            "--bibliography", str(bib), str(markdown), "-o", str(markdown.with_suffix(".gfm"))]


def pandoc_pdf(markdown: Path, bib: Path) -> list[str]:
    """pandoc's own way to a PDF of the article: citeproc, its LaTeX template, one XeLaTeX run."""
    return [pypandoc.get_pandoc_path(), "-f", "markdown", "--citeproc", "--bibliography", str(bib),
            "--pdf-engine=xelatex", str(markdown), "-o", str(markdown.with_suffix(".pdf"))]


def diff_project(name: str) -> Path:
    """A copy of the project as a git repository whose last commit edits the article as a review
    round would: a sentence added at the top, one changed further down."""
    root = fresh_project(name)
    env = {**os.environ, "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.invalid",
           "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.invalid",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    article = the_post(root)
    for step, message in (("init", None), ("edit", "round two")):
        if step == "edit":
            text = edited(article.read_text(), "A sentence added in the second round.")
            article.write_text(text.replace("routinely", "usually", 1))
        else:
            subprocess.run(["git", "init", "-q"], cwd=root, check=True, env=env)
        subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=env)
        subprocess.run(["git", "commit", "-q", "-m", message or "round one"], cwd=root, check=True, env=env)
    return root


@dataclass
class Passes:
    """What latexmk spends on one LaTeX file: each XeLaTeX pass, then xdvipdfmx (seconds)."""

    xelatex: list[float]
    xdvipdfmx: float


def tex_passes(latex: Path, name: str, runs: int) -> Passes:
    """latexmk's own timing (``-time``) of *name* in a copy of the LaTeX folder *latex*, from no
    auxiliary files, as a cold build; the median of *runs* runs, pass by pass."""
    found: list[tuple[list[float], float]] = []
    for _ in range(runs):
        work = WORK / "passes"
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(latex, work, ignore=shutil.ignore_patterns("*.aux", "*.fdb_latexmk", "*.fls", "*.xdv"))
        run = subprocess.run([*LATEXMK, "-time", f"{name}.tex"], cwd=work, capture_output=True, text=True)
        if run.returncode:
            raise SystemExit(f"bench: latexmk failed on {name}.tex:\n{run.stdout[-2000:]}")
        times = re.findall(r"^'(xelatex|xdvipdfmx)': time = ([\d.]+)", run.stdout, re.M)
        found.append(([float(s) for rule, s in times if rule == "xelatex"],
                      sum(float(s) for rule, s in times if rule == "xdvipdfmx")))
    count = statistics.mode(len(xelatex) for xelatex, _ in found)
    same = [xelatex for xelatex, _ in found if len(xelatex) == count]
    return Passes([statistics.median(p[i] for p in same) for i in range(count)],
                  statistics.median(x for _, x in found))


def citation_article(project: Path, citations: int = 400, entries: int = 60) -> None:
    """Replace the article body by *citations* citations of *entries* entries."""
    bib = "".join(
        f"@article{{gen{i:02d},\n  author = {{Author{i}, Ann and Other, Otto}},\n"
        f"  title = {{Generated Paper {i}}},\n  journal = {{Journal of Benchmarks}},\n"
        f"  year = {{{2000 + i % 25}}},\n  url = {{https://example.org/p/{i}}}\n}}\n"
        for i in range(entries)
    )
    (project / "bibliography.bib").write_text(bib)
    article = the_post(project)
    front = article.read_text().split("\n---\n", 1)[0] + "\n---\n\n"
    sentences = [
        f"Sentence {n} relies on {{cite:link}}`a finding <gen{n % entries:02d}>` "
        f"and {{cite:p}}`gen{(n * 7) % entries:02d}`."
        for n in range(citations // 2)
    ]
    paragraphs = ["\n".join(sentences[i : i + 10]) for i in range(0, len(sentences), 10)]
    article.write_text(front + "\n\n".join(paragraphs) + "\n\n## References\n\n```{bibliography}\n```\n")


def many_posts(project: Path, count: int) -> None:
    """*count* copies of the article under other slugs: posts are found, nothing lists them."""
    path = the_post(project)
    article = path.read_text()
    path.unlink()
    for i in range(count):
        name = f"post-{i:02d}"
        text = re.sub(r"^slug: .*$", f"slug: {name}", article, count=1, flags=re.M)
        text = re.sub(r"^\(([\w-]+)\)=$", rf"(\1-{i})=", text, flags=re.M)  # labels are global in Sphinx
        (project / "source" / f"{name}.md").write_text(text)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def served(url: str, want: str, timeout: float = 60) -> str:
    """The page at *url* once it contains *want* (polled every 20 ms)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if want in (page := response.read().decode("utf-8")):
                    return page
        except (OSError, http.client.HTTPException):  # the server may be rewriting the page
            pass
        time.sleep(0.02)
    raise SystemExit(f"bench: {url} did not show {want!r} within {timeout:.0f} s")


def preview_edits(target: str, project: Path, runs: int) -> list[float]:
    """Seconds from saving an edit of the article to ``make <target>``'s page showing it.

    The article's page is the one the served home page links to.
    """
    port = free_port()
    server = subprocess.Popen([*make(target, project), f"PORT={port}"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    article = the_post(project)
    original = article.read_text()
    home = f"http://127.0.0.1:{port}/"
    try:
        link = re.search(rf'href="([^"]*{article.stem}[^"#]*)"', served(home, article.stem))
        assert link, f"bench: {home} does not link to the article"
        url = urllib.parse.urljoin(home, link[1])
        served(url, "</html>")
        out = []
        for i in range(runs):
            article.write_text(edited(original, f"Preview{i}."))
            start = time.perf_counter()
            served(url, f"Preview{i}.")
            out.append(time.perf_counter() - start)
        return out
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        article.write_text(original)


def machine() -> str:
    cpu = platform.processor()
    if Path("/proc/cpuinfo").exists():
        lines = Path("/proc/cpuinfo").read_text().splitlines()
        cpu = next((ln.split(":", 1)[1].strip() for ln in lines if ln.startswith("model name")), cpu)
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    mem = next((ln.split()[1] for ln in meminfo if ln.startswith("MemTotal")), "?")
    return (f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({cpu}), "
            f"{int(mem) // 1024 // 1024 if mem != '?' else '?'} GiB, Python {platform.python_version()}, "
            f"pandoc {pypandoc.get_pandoc_version()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.md")
    args = parser.parse_args(argv)
    n = args.runs
    timings: dict[str, Timing] = {}

    def record(key: str, name: str, runs: list[float]) -> None:
        timings[key] = Timing(name, runs)
        print(timings[key].row(), flush=True)

    print("| measurement | median s | spread s | runs |\n|---|---|---|---|")
    base = fresh_project("article")
    clean = lambda: shutil.rmtree(base / "build", ignore_errors=True)  # noqa: E731  (what make clean does)
    record("cold_html", "cold `make html`", timed(make("html", base), prepare=clean, runs=n))
    article = the_post(base)
    original = article.read_text()
    pandoc_md = base / "pandoc.md"
    pandoc_md.write_text(to_pandoc_markdown(original))
    cold = interleaved({"cold_hugo": (make("hugo", base), clean),
                        "pandoc": (pandoc(pandoc_md, base / "bibliography.bib"), None),
                        "sphinx_floor": sphinx_floor()}, runs=n)
    record("cold_hugo", "cold `make hugo`", cold["cold_hugo"])
    pdfs = interleaved({"cold_pdf": (make("pdf", base), clean),
                        "pandoc_pdf": (pandoc_pdf(pandoc_md, base / "bibliography.bib"), None),
                        "latex": (make_latex(base), clean)}, runs=n)
    record("cold_pdf", "cold `make pdf`", pdfs["cold_pdf"])
    record("pandoc_pdf", "pandoc --citeproc --pdf-engine=xelatex, the article (taking turns with cold `make pdf`)",
           pdfs["pandoc_pdf"])
    record("latex", "Sphinx's LaTeX build alone, what `make pdf` runs before XeLaTeX (taking turns too)", pdfs["latex"])
    timed(make("pdf", base), runs=1)  # the LaTeX of the article, for the passes below
    passes = tex_passes(base / "build" / "latex", the_slug(base), runs=3)
    diff = diff_project("diff")
    wipe_diff = lambda: shutil.rmtree(diff / "build", ignore_errors=True)  # noqa: E731
    record("cold_diff", "cold `make pdf-diff REV=HEAD~1` (one commit of a review round)",
           timed([*make("pdf-diff", diff), "REV=HEAD~1"], prepare=wipe_diff, runs=max(2, n // 2)))
    diff_tex = next((diff / "build" / "latex").glob("*-diff-*.tex"))
    diff_passes = tex_passes(diff / "build" / "latex", diff_tex.stem, runs=1)
    timed(make("html", base), runs=1)  # bring both outputs up to date first
    timed(make("hugo", base), runs=1)
    record("noop_hugo", "no-op `make hugo`", timed(make("hugo", base), runs=n))
    record("noop_html", "no-op `make html`", timed(make("html", base), runs=n))
    counter = iter(range(10**6))

    def edit() -> None:
        article.write_text(edited(original, f"Edit{next(counter)}."))

    record("edit_hugo", "one paragraph edited, `make hugo`", timed(make("hugo", base), prepare=edit, runs=n))

    record("preview_hugo", "edit to page, `make preview` (hugo server)",
           preview_edits("preview", fresh_project("preview"), n))
    record("preview_html", "edit to page, `make preview-html` (sphinx-autobuild)",
           preview_edits("preview-html", fresh_project("preview-html"), n))

    record("pandoc", "pandoc --citeproc, the article (taking turns with cold `make hugo`)", cold["pandoc"])
    record("sphinx_floor", "`sphinx-build -b dummy`, a one-page MyST project (taking turns too)",
           cold["sphinx_floor"])

    for count in (1, 10, 50):
        project = fresh_project(f"posts-{count}")
        many_posts(project, count)
        wipe = lambda p=project: shutil.rmtree(p / "build", ignore_errors=True)  # noqa: E731
        record(f"posts_{count}", f"{count} post(s), cold export",
               timed(export(project), prepare=wipe, runs=max(2, n // 2)))

    cites = fresh_project("citations")
    citation_article(cites)
    cite_md = cites / "pandoc.md"
    cite_md.write_text(to_pandoc_markdown(the_post(cites).read_text()))
    wipe_cites = lambda: shutil.rmtree(cites / "build", ignore_errors=True)  # noqa: E731
    cited = interleaved({"cite_hugo": (export(cites), wipe_cites),
                         "cite_pandoc": (pandoc(cite_md, cites / "bibliography.bib"), None)}, runs=n)
    record("cite_hugo", "400 citations of 60 entries, cold export", cited["cite_hugo"])
    record("cite_pandoc", "400 citations, pandoc --citeproc (taking turns)", cited["cite_pandoc"])

    # The suite, as a contributor runs it: the inner loop and the whole of it (what CI runs).
    record("test_fast", "`make test-fast` (ruff; the tests without XeLaTeX and real-time processes)",
           timed(["make", "--no-print-directory", "-s", "-C", str(ROOT), "test-fast"], runs=1))
    record("test", "`make test` (ruff, mypy, every test: what CI runs)",
           timed(["make", "--no-print-directory", "-s", "-C", str(ROOT), "test"], runs=1))

    t = {k: v.median for k, v in timings.items()}

    def per_round(a: str, b: str) -> float:
        """The median of a/b over rounds: for commands timed in turns, each round's own conditions."""
        return statistics.median(x / y for x, y in zip(timings[a].runs, timings[b].runs, strict=True))

    cold_ratio, cite_ratio = per_round("cold_hugo", "pandoc"), per_round("cite_hugo", "cite_pandoc")
    pdf_ratio = per_round("cold_pdf", "pandoc_pdf")
    floor = t["latex"] + sum(passes.xelatex) + passes.xdvipdfmx  # what a cold make pdf cannot go below

    def listed(seconds: list[float]) -> str:
        return ", ".join(f"{s:.2f}" for s in seconds)
    floor_ratio, pdf_floor_ratio = per_round("cold_hugo", "sphinx_floor"), t["cold_pdf"] / floor
    # Targets are set against floors measured in this run: Sphinx's own start-up for the export, Sphinx's
    # LaTeX build and the TeX passes for the PDF. The ratios to pandoc are for information.
    targets = [
        ("no-op `make hugo` ≤ 0.3 s", t["noop_hugo"], t["noop_hugo"] <= 0.3),
        ("one-edit rebuild ≤ 1.5 s", t["edit_hugo"], t["edit_hugo"] <= 1.5),
        ("edit shows in `make preview` in about a second (≤ 1.2 s)", t["preview_hugo"], t["preview_hugo"] <= 1.2),
        ("cold `make hugo` ≤ 1.2× Sphinx's floor", floor_ratio, floor_ratio <= 1.2),
        ("50 posts ≤ 40× one post", t["posts_50"] / t["posts_1"], t["posts_50"] <= 40 * t["posts_1"]),
        ("400 citations ≤ 3× pandoc", cite_ratio, cite_ratio <= 3),
        ("cold `make pdf` ≤ 1.3× its floor (Sphinx's LaTeX build and the TeX passes)", pdf_floor_ratio,
         pdf_floor_ratio <= 1.3),
    ]
    information = [
        ("cold `make hugo` / pandoc", cold_ratio),
        ("cold `make pdf` / pandoc+xelatex", pdf_ratio),
        ("`make test-fast` / `make test`", t["test_fast"] / t["test"]),
    ]
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {machine()}.",
        f"Written by `make bench` (bench/run.py); medians of {n} runs "
        f"({max(2, n // 2)} for `make pdf-diff` and the post-count rows).",
        "",
        "| measurement | median s | spread s | runs |",
        "|---|---|---|---|",
        *(v.row() for v in timings.values()),
        "",
        f"Per post: {t['posts_1']:.3f} s for one, {t['posts_10'] / 10:.3f} s each for 10, "
        f"{t['posts_50'] / 50:.3f} s each for 50.",
        "",
        f"Sphinx's floor (starting Sphinx and MyST-Parser on one page, writing nothing) is "
        f"{per_round('sphinx_floor', 'pandoc'):.2f}× pandoc's time for the article; a cold export is "
        f"{per_round('cold_hugo', 'sphinx_floor'):.2f}× that floor (medians of each round's ratio).",
        "",
        f"A cold `make pdf` is Sphinx's LaTeX build ({t['latex']:.2f} s) and latexmk, which runs "
        f"{len(passes.xelatex)} XeLaTeX passes ({listed(passes.xelatex)} s: the first finds where the page "
        f"breaks and margin marks fall, the second places the marks and \"page x of y\") and xdvipdfmx "
        f"({passes.xdvipdfmx:.2f} s); pandoc runs XeLaTeX once. Those steps alone take {floor:.2f} s, "
        f"{floor / t['pandoc_pdf']:.2f}× pandoc+xelatex: the floor of a cold build, against "
        f"{pdf_ratio:.2f}× measured (median of each round's ratio). A cold `make pdf-diff` also builds the "
        f"base revision's LaTeX and runs latexdiff, then {len(diff_passes.xelatex)} XeLaTeX passes "
        f"({listed(diff_passes.xelatex)} s; the change bars are placed from the second pass's positions) "
        f"and xdvipdfmx ({diff_passes.xdvipdfmx:.2f} s).",
        "",
        "| target | measured | verdict |",
        "|---|---|---|",
        *(f"| {name} | {value:.2f} | {'pass' if ok else 'FAIL'} |" for name, value, ok in targets),
        "",
        "For information (no target: pandoc is no floor of a Sphinx build):",
        "",
        "| ratio | measured |",
        "|---|---|",
        *(f"| {name} | {value:.2f} |" for name, value in information),
        "",
    ]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines[-len(targets) - len(information) - 8 :]))
    print(f"bench: written to {args.out}")
    return 0 if all(ok for _, _, ok in targets) else 1


if __name__ == "__main__":
    sys.exit(main())
