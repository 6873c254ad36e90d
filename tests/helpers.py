"""What the tests share: small real projects, real builds, real Hugo renders.

Nothing is mocked. :func:`make_project` lays out a project the way the
repository is laid out (``source/`` with the real ``conf.py`` and
``index.md``, ``bibliography.bib`` beside it); :func:`build` runs the build
command's own code in this process (Sphinx is imported once per test process,
which is most of a subprocess's cost); :func:`make` and :func:`cli` run the
real Makefile and console script where the command line itself is under test;
:class:`HugoSite` renders exports in the stand-in site with the pinned Hugo.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from hugo_export.outputs import Options
from hugo_export.outputs import build as run_build
from hugo_export.post import find_posts
from hugo_export.qa.site import StandInSite

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "source"
BIN = Path(sys.executable).parent
EPOCH = "1767225600"  # 2026-01-01, as SOURCE_DATE_EPOCH


def front_matter(slug: str = "test-post", title: str = "A Test Post About Things", **extra: str) -> str:
    lines = [f'title: "{title}"', f"slug: {slug}", "date: 2026-12-10", "draft: true",
             "authors:", "  - Ada Lovelace (Analytical Engines)", "  - Grace Hopper (Navy)",
             *(f"{key}: {value}" for key, value in extra.items())]
    return "---\n" + "\n".join(lines) + "\n---\n"


FRONT_MATTER = front_matter()

BIB = r"""
@inproceedings{kaplan2016sev,
  author = {Kaplan, David and Powell, Jeremy and Woller, Tom},
  title = {{AMD} Memory Encryption},
  booktitle = {25th {USENIX} Security Symposium},
  year = {2016},
  url = {https://www.usenix.org/conference/usenixsecurity16}
}
@techreport{amd2020snp,
  author = {{Advanced Micro Devices}},
  title = {{AMD SEV-SNP}: Strengthening {VM} Isolation with Integrity Protection and More},
  institution = {Advanced Micro Devices},
  year = {2020},
  url = {https://www.amd.com/snp.pdf}
}
@article{doi2022paper,
  author = {Doe, Jane},
  title = {A Paper With Only a {DOI}},
  journal = {Journal of Tests},
  year = {2022},
  doi = {10.1145/3533737.3535098}
}
"""

REFERENCES = "\n\n## References\n\n```{bibliography}\n```\n"


def post_text(body: str, *, front: str = FRONT_MATTER, bibliography: bool = True) -> str:
    return front + "\n" + textwrap.dedent(body).strip() + (REFERENCES if bibliography else "\n")


def make_project(
    root: Path,
    body: str | None = None,
    *,
    front: str = FRONT_MATTER,
    bib: str = BIB,
    name: str = "post",
    bibliography: bool = True,
    conf: str = "",
    files: dict[str, bytes] | None = None,
) -> Path:
    """A project in *root* laid out as the repository is; returns its source folder.

    *body* becomes ``source/<name>.md`` after *front*; *conf* is appended to
    the real ``conf.py``; *files* are written under ``source/``.
    """
    src = root / "source"
    src.mkdir(parents=True, exist_ok=True)
    (src / "conf.py").write_text((SOURCE / "conf.py").read_text("utf-8") + textwrap.dedent(conf), "utf-8")
    shutil.copyfile(SOURCE / "index.md", src / "index.md")
    (root / "bibliography.bib").write_text(bib, "utf-8")
    if body is not None:
        (src / f"{name}.md").write_text(post_text(body, front=front, bibliography=bibliography), "utf-8")
    for path, data in (files or {}).items():
        (src / path).parent.mkdir(parents=True, exist_ok=True)
        (src / path).write_bytes(data)
    return src


@dataclass
class Build:
    """The outcome of one build."""

    status: int
    output: str
    root: Path  #: the build folder (``_build``)

    def post(self, slug: str = "test-post", year: str = "2026") -> Path:
        """Path of an exported post (plain file or page bundle)."""
        base = self.root / "hugo" / "content" / "en" / "blog" / "_posts" / year
        plain = base / f"{slug}.md"
        return plain if plain.exists() else base / slug / "index.md"


@contextlib.contextmanager
def captured(**environ: str) -> Iterator[io.StringIO]:
    """What code run in this process prints (stdout and stderr), with *environ* set meanwhile."""
    out = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        for key, value in environ.items():
            patch.setenv(key, value)
        yield out


def build(src: Path, builder: str, root: Path | None = None, *, post: str | None = None,
          publish: bool = False, allow_todo: bool = False, force: bool = False) -> Build:
    """The build command's code, in this process, with its output captured."""
    root = root or src.parent / "_build"
    with captured() as out:
        result = run_build(Options(builder, src, root, post, publish, allow_todo), force=force)
    return Build(result.status, out.getvalue(), root)


def env(**extra: str) -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_COLOR": "1", **extra}


#: A git identity of its own, and none of the machine's settings.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str, **environ: str) -> str:
    """Real git in *repo* (with :data:`GIT_ENV` and *environ*); its output."""
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True,
                          env={**os.environ, **GIT_ENV, **environ}).stdout


#: Where kubernetes/website keeps blog posts.
WEBSITE_POSTS = "content/en/blog/_posts"


def website_checkout(repo: Path) -> Path:
    """A git repository shaped like kubernetes/website: ``hugo.toml``, one older post, on ``main``."""
    (repo / WEBSITE_POSTS / "2025").mkdir(parents=True)
    (repo / "hugo.toml").write_text('baseURL = "https://kubernetes.io/"\n')
    (repo / WEBSITE_POSTS / "2025/older-post.md").write_text("---\ntitle: Old\n---\n\nOld.\n")
    git(repo, "init", "--quiet", "--initial-branch", "main")
    git(repo, "add", ".")
    git(repo, "commit", "--quiet", "-m", "Initial")
    return repo


def make(target: str, src: Path, build_dir: Path, *extra: str, **environ: str) -> subprocess.CompletedProcess[str]:
    """The real ``make <target>`` of the repository, on a project elsewhere."""
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), target, f"SRC={src}", f"BUILD={build_dir}", *extra],
        capture_output=True, text=True, env=env(**environ),
    )


def cli(*args: str, cwd: Path = ROOT, **environ: str) -> subprocess.CompletedProcess[str]:
    """The installed ``k8s-blog`` console script."""
    return subprocess.run([str(BIN / "k8s-blog"), *args], capture_output=True, text=True, cwd=cwd, env=env(**environ))


def start(*args: str) -> subprocess.Popen[str]:
    """``k8s-blog *args`` in a process group of its own, as a terminal starts it (for signals)."""
    return subprocess.Popen([str(BIN / "k8s-blog"), *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env=env(), start_new_session=True)


def running(name: str, group: int) -> bool:
    """Whether a process called *name* runs in the process group *group*."""
    return subprocess.run(["pgrep", "-g", str(group), "-x", name], capture_output=True).returncode == 0


def wait_for(condition: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "what the test waits for never happened"
        time.sleep(0.005)


class HugoSite(StandInSite):
    """The stand-in site in a temporary folder, its pages read back as parsed HTML."""

    def soup(self, slug: str = "test-post") -> BeautifulSoup:
        return BeautifulSoup(self.page(slug).read_text(encoding="utf-8"), "html.parser")


def article() -> Path:
    """The repository's post (the one post under source/)."""
    posts = find_posts(SOURCE)
    assert len(posts) == 1, posts
    return posts[0].path


def template_url(url: str) -> str:
    """*url* (already percent-encoded where a link needs it) in an href written by Go's html/template, as
    kubernetes.io's link hook writes it (``href="{{ $link | safeURL }}"``): its URL normalizer also
    percent-encodes ``'``, ``(`` and ``)``, in lower-case hex."""
    return url.replace("'", "%27").replace("(", "%28").replace(")", "%29")


def text(node: object) -> str:
    """An element's text with whitespace squeezed, as a reader sees it."""
    return " ".join(node.get_text(" ").split())  # type: ignore[attr-defined]
