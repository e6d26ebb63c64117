from __future__ import annotations

import shutil
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


def build_site(out: Path, data: Path, *extra: str) -> "subprocess.CompletedProcess[str]":
    """Run the real `qingdan build` as a user would, from the project folder."""
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "generator", "build", "--data", str(data), "--out", str(out),
                           "--as-of", AS_OF, *extra], cwd=ROOT, capture_output=True, text=True)


@pytest.fixture(scope="session")
def bundled_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bundled") / "site"
    result = build_site(out, ROOT / "responsibilities")
    assert result.returncode == 0, result.stdout + result.stderr
    return out
