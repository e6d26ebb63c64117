"""The Zensical engine: builds a project folder written by `generator.project` with Zensical, which reads the same
mkdocs.yml and runs no plugins. Zensical runs in a process of its own (this module is its entry point there), so
what it prints can be read, shown in Chinese, and its tracebacks kept from the reader.
"""
from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

from . import project
from .publish import EngineFailed

INSTALL = "没有安装 Zensical。请运行 pip install zensical（或 make site），或用 --engine mkdocs。"
_FAILED = "qingdan-zensical-failed: "
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_PLACE = re.compile(r"\[\s*([^\[\]]+?:\d+(?::\d+)?)\s*\]")
# Zensical's own words for the problems a project of ours can have, as a reader of the message needs them.
_WORDS = {"page does not exist": "链接指向的页面不存在", "anchor does not exist": "链接指向的标题不存在"}


def project_files() -> dict[str, str]:
    """Zensical needs nothing beyond the engine-neutral project."""
    return {}


def build_project(folder: Path) -> None:
    """Build the project in `folder` (its mkdocs.yml) into folder/site, strict: a warning fails the build."""
    if importlib.util.find_spec("zensical") is None:
        raise EngineFailed(INSTALL)
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-m", "generator.zensical", str(folder / project.CONFIG)], cwd=folder,
                          env=env, capture_output=True, text=True)
    problems = messages(proc.stdout + "\n" + proc.stderr)
    for line in problems:
        print(line, file=sys.stderr)
    if proc.returncode != 0 or not (folder / project.SITE / "index.html").is_file():
        raise EngineFailed("" if problems else "Zensical 没有生成手册，也没有说明原因。")


def messages(output: str) -> list[str]:
    """Zensical's warnings and errors, one line each, in Chinese words where we know them; its progress lines
    ("Build started") and Python tracebacks are left out."""
    out: list[str] = []
    for raw in _ANSI.sub("", output).splitlines():
        line = raw.strip()
        if line.startswith(("Warning:", "Error:")):
            kind, _, text = line.partition(":")
            out.append(f"{'警告' if kind == 'Warning' else '错误'}：Zensical：{_WORDS.get(text.strip(), text.strip())}")
        elif line.startswith(_FAILED):
            text = line.removeprefix(_FAILED)
            if text != "Aborted because --strict flag is set":  # the warnings above are the reason
                out.append(f"错误：Zensical：{text}")
        elif out and (place := _PLACE.search(line)) and "（" not in out[-1]:
            out[-1] += f"（{place.group(1)}）"
    return out


def _run(config_file: str) -> int:
    """In Zensical's own process: build, and say in one line why not."""
    import zensical

    try:
        zensical.build(os.path.abspath(config_file), {"clean": False, "strict": True})
    except Exception as exc:  # noqa: BLE001 - whatever stopped it is reported, without a traceback
        print(_FAILED + " ".join(str(exc).split()), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(_run(sys.argv[1]))
