"""The MkDocs engine (with Material for MkDocs): the only module that knows MkDocs.

`build_project()` builds a project folder written by `generator.project` with MkDocs, the way `mkdocs build` in
that folder would. `QingdanPlugin` hands the same pages, navigation and styles to MkDocs from its hooks instead, so
plain `mkdocs build` / `mkdocs serve` in this repository work, and `serve()` (`qingdan serve`) rebuilds on edits.
The pages themselves come from `render` and `exports`, which know nothing of MkDocs.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import re
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel

from . import project
from .history import History, head_commit, history
from .pipeline import load_dataset
from .publish import EngineFailed
from .search import SEPARATOR, add_words_to_segmenter, fixed_search_worker, quiet_segmenter

log = logging.getLogger("mkdocs.plugins.qingdan")


class QingdanConfig(base.Config):
    data_dir = c.Type(str, default="responsibilities")
    """Data directory, relative to mkdocs.yml."""
    as_of = c.Optional(c.Type((str, dt.date)))
    """Date the deadline groups are computed against (YYYY-MM-DD); empty means today."""
    nav = c.Type(bool, default=True)
    """Put the generated sections into the navigation."""
    history = c.Type(bool, default=True)
    """Build the change log from the git history of the data directory."""
    history_limit = c.Type(int, default=50)
    """How many of the latest commits the change log reads."""
    jurisdictions = c.ListOfItems(c.Type(str), default=[])
    """The handbook's own jurisdictions, listed first in the units list and the navigation (others follow in
    pinyin order, model texts last)."""


def parse_as_of(value: str | dt.date | None) -> dt.date:
    if isinstance(value, dt.date):
        return value
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise PluginError(f"qingdan: as_of 应写作 YYYY-MM-DD，现在是 {value!r}。") from None


class QingdanPlugin(BasePlugin[QingdanConfig]):
    """What `generator.project` writes into a project folder, handed to MkDocs from hooks instead of files."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.generated: dict[str, str | bytes] = {}
        self.data_dir: Path | None = None
        self.memo: dict | None = None  # only while serving: what earlier rebuilds already laid out and wrote
        self.history_memo: tuple[str, History] | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this plugin object alive across `mkdocs serve` rebuilds, so caches survive.
        self.memo = {} if command == "serve" else None

    # Validation runs here, before MkDocs cleans site/: a failed validation leaves the previous site untouched.
    @event_priority(100)
    def on_config(self, config):
        root = Path(config.config_file_path or ".").resolve().parent
        self.data_dir = (root / self.config.data_dir).resolve()
        if not self.data_dir.is_dir():
            raise PluginError(f"qingdan: 找不到数据目录 {self.data_dir}。")
        as_of = parse_as_of(self.config.as_of)
        result = load_dataset(self.data_dir)
        if result.dataset is None:
            raise PluginError("qingdan: 数据校验未通过，未生成手册。\n" + result.report.to_text() + "\n"
                              + result.report.summary())
        log_ = self.history() if self.config.history else None
        # The offline plugin turns directory URLs off only in its own on_config, which runs after this one.
        offline = config.plugins.get("material/offline")
        directory_urls = config.use_directory_urls and not (offline and offline.config.enabled)
        first = self.config.jurisdictions
        self.generated = project.generate(result.dataset, result.graph, as_of, log_, self.memo, directory_urls, first)
        self.generated.update(project_files())
        conflicts = sorted(p for p in self.generated if (Path(config.docs_dir) / p).exists())
        if conflicts:
            raise PluginError("qingdan: " + project.ProjectConflict(conflicts).message())
        add_words_to_segmenter(result.dataset)
        searching = config.plugins.get("material/search") or config.plugins.get("search")
        if searching is not None and not searching.config.separator:
            searching.config.separator = SEPARATOR  # brackets split words (generator.search)
        for extension in project.MARKDOWN_EXTENSIONS:
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        config.extra_css = [*config.extra_css, *project.STYLES]
        config.extra_javascript = [*config.extra_javascript, *project.SCRIPTS]
        polyfills = list(config.extra.get("polyfills") or [])
        config.extra["polyfills"] = [*polyfills, *project.POLYFILLS]
        if self.config.nav:
            config.nav = project.nav_sections(result.dataset, first) + list(config.nav or [])
        return config

    def history(self) -> History:
        """The change log; while serving, read again only when HEAD moved (editing does not change history)."""
        if self.memo is None:
            return history(self.data_dir, self.config.history_limit)
        head = head_commit(self.data_dir)
        if self.history_memo is None or self.history_memo[0] != head:
            self.history_memo = (head, history(self.data_dir, self.config.history_limit))
        return self.history_memo[1]

    def on_files(self, files: Files, *, config) -> Files:
        in_nav = set(project.nav_paths(config.nav or []))
        for path, content in self.generated.items():
            theirs = files.get_file_from_path(path)
            if theirs is not None:  # the theme's search worker, replaced by the fixed one (as a docs/ file would)
                files.remove(theirs)
            # Duty and kind pages are reached through tables; telling MkDocs so keeps builds quiet.
            inclusion = InclusionLevel.UNDEFINED if path in in_nav or not path.endswith(".md") \
                else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, path, content=content, inclusion=inclusion))
        return files

    def on_pre_template(self, template, *, template_name: str, config):
        """The theme's 404 page says "404 - Not found"; readers get the project's Chinese page instead (a project
        folder carries the same page as a theme override, project.NOT_FOUND)."""
        if template_name != "404.html":
            return template
        return template.environment.from_string(project.NOT_FOUND)

    def on_serve(self, server, *, config, builder):
        if self.data_dir:
            server.watch(str(self.data_dir))
        return server


def project_files() -> dict[str, str]:
    """What a project folder needs for MkDocs with Material beyond the engine-neutral pages: the fixed search
    worker (generator.search)."""
    return fixed_search_worker()


@contextmanager
def _environment(**values: str | None) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    try:
        for key, value in values.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


class _MkDocsMessages(logging.Handler):
    """Shows MkDocs' warnings and errors (never its INFO chatter) on stderr, in the CLI's words."""

    @staticmethod
    def text(record: logging.LogRecord) -> str:
        return re.sub(r"^\[[\d:]+\] ", "", record.getMessage())  # the file watcher stamps its lines with the time

    def emit(self, record: logging.LogRecord) -> None:
        text = self.text(record)
        if text.startswith("An error happened during the rebuild"):
            text = "重新生成失败（原因见上）。改正后再保存，预览会自动恢复。"
        label = "错误" if record.levelno >= logging.ERROR else "警告"
        print(f"{label}：{text}", file=sys.stderr)


class _ServeMessages(_MkDocsMessages):
    """While serving, also says in Chinese where the preview is and when it was rebuilt (MkDocs' INFO lines)."""

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            return super().emit(record)
        text = self.text(record)
        if text.startswith("Serving on "):
            url = text.removeprefix("Serving on ").split(" ")[0]
            print(f"预览地址：{url}　修改 YAML 数据或 docs/ 中的页面后自动重新生成；按 Ctrl+C 停止。", flush=True)
        elif text.startswith("Building documentation"):
            print("正在生成手册…", flush=True)
        elif text.startswith("Documentation built in "):
            seconds = text.removeprefix("Documentation built in ").split(" ")[0]
            print(f"手册已生成（{seconds} 秒）。", flush=True)
        elif text.startswith("Detected file changes"):
            print("检测到文件改动，重新生成。", flush=True)
        elif text.startswith("Shutting down"):
            print("已停止预览。", flush=True)


@contextmanager
def _mkdocs_messages(handler: logging.Handler | None = None) -> Iterator[None]:
    logger = logging.getLogger("mkdocs")
    handler = handler or _MkDocsMessages(logging.WARNING)
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(min(handler.level, logging.WARNING))
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def build_project(folder: Path) -> None:
    """Build the project in `folder` (its mkdocs.yml) into folder/site, as `mkdocs build --strict` run there would:
    a warning fails the build. MkDocs' warnings and errors are shown in Chinese; nothing else is printed."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    quiet_segmenter()
    try:
        # Material reads the search words file relative to the working directory: the project folder.
        with _mkdocs_messages(), _working_directory(folder):
            mkdocs_build(load_config(str(folder / project.CONFIG), strict=True))
    except MkDocsException as exc:  # Abort only says it stopped; the reason was logged already
        raise EngineFailed("" if isinstance(exc, Abort) else str(exc)) from None


@contextmanager
def _working_directory(folder: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def serve(config_file: Path, *, data: Path | None = None, as_of: dt.date | None = None,
          address: str = "127.0.0.1:8000") -> None:
    from mkdocs.commands.serve import serve as mkdocs_serve

    with _environment(QINGDAN_DATA=str(data.resolve()) if data else None,
                      QINGDAN_AS_OF=as_of.isoformat() if as_of else None), \
            _mkdocs_messages(_ServeMessages(logging.INFO)), _without_abort_line():
        mkdocs_serve(config_file=str(config_file), dev_addr=address, livereload=True)


@contextmanager
def _without_abort_line() -> Iterator[None]:
    """MkDocs' file watcher prints "Aborted with a BuildError!" straight to stderr after a failed rebuild (the abort
    is a SystemExit, not a log record); the reason was already said, in Chinese, so that line is dropped."""
    real = sys.stderr

    class Filtered:
        def write(self, text: str) -> int:
            return len(text) if text.strip() == "Aborted with a BuildError!" else real.write(text)

        def __getattr__(self, name: str):
            return getattr(real, name)

    sys.stderr = Filtered()
    try:
        yield
    finally:
        sys.stderr = real
