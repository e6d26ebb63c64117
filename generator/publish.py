"""`qingdan build`: validate, write the project folder (generator.project), let a site engine build it, swap the
result in. The same guarantees for every engine: bad data writes nothing, the output folder is never half-written,
a folder qingdan did not make is never replaced.
"""
from __future__ import annotations

import datetime as dt
import importlib
import os
import shutil
import tempfile
from pathlib import Path

from . import project
from .findings import Report
from .history import history
from .output import write_tree
from .pipeline import load_dataset

# Engine name -> module with build_project(folder) and project_files(). MkDocs (Material) stays the default.
ENGINES = {"mkdocs": "generator.site", "zensical": "generator.zensical"}
DEFAULT_ENGINE = "mkdocs"


class OutputRefused(Exception):
    """The output folder holds something a build would destroy: a file, or files qingdan did not build."""


class ValidationFailed(Exception):
    def __init__(self, report: Report) -> None:
        super().__init__(report.summary())
        self.report = report


class EngineFailed(Exception):
    """The engine stopped. Its reasons were already shown in Chinese; the message adds what they did not say."""


# Every handbook qingdan builds carries this file; a non-empty folder without it is someone's own.
SITE_MARK = "assets/qingdan/qingdan.css"


def check_output(out: Path, config_file: Path) -> None:
    """Refuse an output folder whose contents a build would replace without having made them."""
    out = out.resolve()
    root = config_file.resolve().parent
    if out == root or out in root.parents:
        raise OutputRefused(f"输出目录 {out} 包含本项目本身（mkdocs.yml 所在目录），生成会把项目删除。"
                            "请换一个输出目录，例如 site。")
    if out == root / "docs" or root / "docs" in out.parents:
        raise OutputRefused(f"输出目录 {out} 在 docs/（手写页面的目录）里面。请换一个输出目录，例如 site。")
    if out.exists() and not out.is_dir():
        raise OutputRefused(f"{out} 是一个文件，不是目录。请换一个输出目录，例如 site。")
    if out.is_dir() and any(out.iterdir()) and not ((out / SITE_MARK).is_file() and (out / "index.html").is_file()):
        raise OutputRefused(f"输出目录 {out} 里已有不是 qingdan 生成的内容，生成手册会替换整个目录，"
                            "所以没有生成。请换一个空目录或不存在的目录（例如 site），或先自行清空它。")


def engine(name: str):
    return importlib.import_module(ENGINES[name])


def build(config_file: Path, out: Path, *, data: Path, as_of: dt.date | None = None, offline: bool = False,
          engine_name: str = DEFAULT_ENGINE) -> None:
    """Validate, write the project into a scratch folder next to `out`, build it there with the engine, then swap
    the site in: `out` is never half-written, and nothing is written at all when the data or the output is wrong."""
    check_output(out, config_file)
    result = load_dataset(data)
    if result.dataset is None:
        raise ValidationFailed(result.report)
    builder = engine(engine_name)  # before any writing: an engine that is not installed changes nothing
    files = project.project_files(config_file, result.dataset, result.graph, as_of or dt.date.today(),
                                  history(data), offline=offline)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    # Next to `out`, so the finished site is moved in by a rename; Zensical wants site_dir inside the project.
    scratch = Path(tempfile.mkdtemp(prefix=f".{out.name}-building-", dir=out.parent))
    try:
        write_tree(files, scratch)
        del files  # on disk now; the engine reads it from there, and MkDocs runs in this process
        builder.build_project(scratch)
        _swap(scratch / project.SITE, out)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def keep_unchanged_times(new: Path, old: Path) -> int:
    """Give files that came out byte-identical their old modification time, so a rebuild after a small edit
    leaves everything else looking untouched (rsync, web caches and people's eyes see only what changed)."""
    kept = 0
    for path in new.rglob("*"):
        if not path.is_file():
            continue
        before = old / path.relative_to(new)
        try:
            if before.stat().st_size == path.stat().st_size and before.read_bytes() == path.read_bytes():
                stat = before.stat()
                os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
                kept += 1
        except OSError:
            continue
    return kept


def _swap(new: Path, out: Path) -> None:
    """Replace `out` by `new` in two renames: a reader never sees a half-written site."""
    if out.is_dir():
        keep_unchanged_times(new, out)
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}-old-{os.getpid()}")
        out.rename(old)
    new.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
