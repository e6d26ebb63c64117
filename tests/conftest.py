from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from browser import build_sites, serve

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    """A fresh copy of the minimal valid data set, safe to edit."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURES / "minimal", target)
    return target


AS_OF = "2026-11-25"


def build_site(out: Path, data: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Run the real `qingdan build` as a user would, from the project folder."""
    return subprocess.run([sys.executable, "-m", "generator", "build", "--data", str(data), "--out", str(out),
                           "--as-of", AS_OF, *extra], cwd=ROOT, capture_output=True, text=True)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for every browser test: Playwright's sync API allows one running instance at a time."""
    from browser import chromium

    with chromium() as launched:
        yield launched


@pytest.fixture(scope="session")
def bundled_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bundled") / "site"
    result = build_site(out, ROOT / "responsibilities")
    assert result.returncode == 0, result.stdout + result.stderr
    return out


# ---- temporary git repositories (diff and history tests)

GIT_ENV = {"GIT_AUTHOR_NAME": "审核员", "GIT_AUTHOR_EMAIL": "review@example.org",
           "GIT_COMMITTER_NAME": "审核员", "GIT_COMMITTER_EMAIL": "review@example.org"}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                          env={**os.environ, **GIT_ENV}).stdout


def edit(repo: Path, old: str, new: str, name: str = "base.yaml") -> None:
    path = repo / "responsibilities" / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """An office's data repository: the minimal data set committed once on main."""
    root = tmp_path / "office"
    shutil.copytree(FIXTURES / "minimal", root / "responsibilities")
    git(root, "init", "-q", "-b", "main")
    commit(root, "初始清单")
    return root


# ---- the built handbook in headless Chromium (test_browser, test_search, test_accessibility, test_hostile)

@pytest.fixture(scope="session")
def sites(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("sites")
    return build_sites(http=(root / "http", False), offline=(root / "offline", True))


@pytest.fixture(scope="session")
def http_site(sites) -> Path:
    return sites["http"]


@pytest.fixture(scope="session")
def offline_site(sites) -> Path:
    return sites["offline"]


@pytest.fixture(scope="session")
def base_url(http_site) -> str:
    with serve(http_site) as url:
        yield url


class Watched:
    """A page plus everything that went wrong on it: script errors, console errors, requests that left the disk."""

    def __init__(self, page) -> None:
        self.page = page
        self.errors: list[str] = []
        self.network: list[str] = []
        page.on("pageerror", lambda exc: self.errors.append(f"页面错误：{exc}"))
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(f"控制台：{msg.text}"))


@pytest.fixture
def watched(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield Watched(page)
    context.close()


@pytest.fixture
def offline(watched):
    """A watched page on which every http(s) request is blocked and recorded: the offline handbook needs none."""
    def block(route):
        watched.network.append(route.request.url)
        route.abort()

    watched.page.route("http://**/*", block)
    watched.page.route("https://**/*", block)
    return watched
