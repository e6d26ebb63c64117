from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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
def bundled_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bundled") / "site"
    result = build_site(out, ROOT / "responsibilities")
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole session: Playwright's sync API allows one running instance per thread."""
    from browser import chromium

    with chromium() as launched:
        yield launched


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
