"""The handbook as a project folder that any engine reading mkdocs.yml builds as it is (MkDocs with Material,
Zensical): docs/ holds the generated pages, their pictures, the downloads, qingdan's styles and scripts and the
hand-written pages; mkdocs.yml is the project's own configuration plus what the generated pages need (navigation,
styles, the file:// worker, pages left out of the navigation). Nothing in it relies on a plugin's hooks, so the
handbook outlives any one engine. Knows the mkdocs.yml format, not any engine's code.
"""
from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Sequence

import networkx as nx
import yaml

from . import exports, labels, paths, render
from .history import History
from .markdown import title
from .model import Dataset
from .search import dictionary, search_options
from .training import onboarding_steps

ASSETS = {"assets/qingdan/qingdan.css": "qingdan.css", "assets/qingdan/iframe-worker.js": "iframe-worker.js",
          "assets/qingdan/search-zh.js": "search-zh.js", "assets/qingdan/checklist.js": "checklist.js"}
STYLES = ["assets/qingdan/qingdan.css"]
SCRIPTS = ["assets/qingdan/checklist.js",  # remembers checklist ticks in this browser
           "assets/qingdan/search-zh.js"]  # the search dialog named, and in Chinese under Zensical
MARKDOWN_EXTENSIONS = ["generator.checklist"]  # names each checklist box for screen readers
# Material's offline plugin and Zensical's both skip their own (unpkg.com) shim when a polyfill named iframe-worker
# is listed: this one is ours, on disk.
POLYFILLS = ["assets/qingdan/iframe-worker.js"]
CONFIG = "mkdocs.yml"
DOCS = "docs"
SITE = "site"
# Words the Chinese segmenter of Material's search index keeps whole (a jieba user dictionary). MkDocs reads it
# relative to the folder it runs in: the project folder.
SEARCH_WORDS = "search-words.txt"
# Theme templates of the project's own (theme.custom_dir): the Chinese 404 page. Both engines read overrides there.
OVERRIDES = "overrides"
NOT_FOUND = """{% extends "main.html" %}
{% block content %}
  <h1>找不到这一页</h1>
  <p>这个地址没有对应的页面：可能是地址输错了，也可能这一页已经改名或删除（例如职责被撤销、单位合并）。</p>
  <p>可以回到<a href="{{ nav.homepage.url | url }}">首页</a>，从“单位清单”找到自己的单位，或者用页面上方的搜索框查找单位、职责和术语。</p>
{% endblock %}
"""
HEADER = ("# 由 qingdan 生成，请勿手工修改：改动会在下次生成时丢失。改项目根目录的 mkdocs.yml、docs/ 或数据。\n"
          "# 在本目录中运行 `mkdocs build` 或 `zensical build` 都能生成手册。\n")


class ProjectConflict(Exception):
    """Hand-written pages carry the names of generated ones; neither is dropped silently."""

    def __init__(self, paths: list[str]) -> None:
        super().__init__("、".join(paths))
        self.paths = paths

    def message(self) -> str:
        return ("docs/ 中的手写页面与生成页面同名，不会覆盖它们：" + "、".join(self.paths) + "。请给手写页面改名。")


def generate(dataset: Dataset, g: nx.MultiDiGraph, as_of: dt.date, history: History | None = None,
             memo: dict | None = None, directory_urls: bool = True, first: Sequence[str] = ()) -> dict[str, str | bytes]:
    """All generated content, keyed by path under docs/. `memo` keeps pictures and downloads between rebuilds;
    `first` are the jurisdictions listed first."""
    memo = {} if memo is None else memo
    files: dict[str, str | bytes] = dict(render.pages(dataset, g, as_of, history, memo.setdefault("pictures", {}),
                                                      first, directory_urls))
    files.update(exports.downloads(dataset, as_of, memo.setdefault("downloads", {})))
    folder = resources.files("generator.assets")
    for target, name in ASSETS.items():
        files[target] = folder.joinpath(name).read_text(encoding="utf-8")
    return files


def nav_sections(dataset: Dataset, first: Sequence[str] = ()) -> list[dict]:
    """Navigation for the generated pages. Duty pages are reached from tables, not the sidebar. Titles from the
    data are escaped: the themes print navigation titles as HTML."""
    units_by_area: dict[str, list] = {}
    for unit in dataset.units.values():
        units_by_area.setdefault(unit.jurisdiction, []).append(unit)
    kind_order = list(labels.UNIT_KINDS)
    units: list = []
    for area in sorted(units_by_area, key=render.area_order(dataset, first)):
        members = sorted(units_by_area[area], key=lambda u: (kind_order.index(u.kind), u.id))
        units.append({title(area): [{title(u.label): paths.unit_path(u.id)} for u in members]})
    lines = sorted(dataset.lines.values(), key=lambda x: (x.order, x.id))
    onboarding = [f"{paths.ONBOARDING}/index.md"] + [{title(name): path}
                                                     for path, name, _ in onboarding_steps(dataset)]
    return [
        {"首页": "index.md"},
        {"新人入门": onboarding},
        {"单位清单": ["units/index.md"] + units},
        {"保护条线": ["lines/index.md"] + [{title(x.name): paths.line_path(x.id)} for x in lines]},
        {"岗位": ["roles/index.md"] + [{title(r.name): paths.role_path(r.id)} for r in dataset.roles.values()]},
        {"文件": ["documents/index.md"] + [{title(d.label): paths.document_path(d.id)}
                                          for d in dataset.documents.values()]},
        {"时限总览": "deadlines.md"},
        {"术语表": paths.GLOSSARY},
        {"分工审核": ["review.md", {"责任矩阵": "matrix.md"}, {"关系图": "graph.md"}, {"变更记录": "changes.md"}]},
    ]


def nav_paths(nav: list) -> list[str]:
    out: list[str] = []
    for item in nav:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict):
            for value in item.values():
                out.extend(nav_paths(value) if isinstance(value, list) else [value])
    return out


def not_in_nav(pages: list[str], nav: list[str]) -> str:
    """Gitignore-style patterns (mkdocs.yml's not_in_nav) for the generated pages reached only through tables and
    links: whole folders where the navigation has none of their pages (duties/), single pages elsewhere."""
    in_nav = set(nav)
    nav_folders = {"/".join(p.split("/")[:i]) for p in in_nav for i in range(1, p.count("/") + 1)}
    patterns = set()
    for page in pages:
        if page in in_nav or not page.endswith(".md"):
            continue
        parts = page.split("/")
        outside = next((i for i in range(1, len(parts)) if "/".join(parts[:i]) not in nav_folders), None)
        patterns.add(f"/{'/'.join(parts[:outside])}/" if outside else f"/{page}")
    return "".join(f"{p}\n" for p in sorted(patterns))


# ---------------------------------------------------------------- mkdocs.yml, read and written back

@dataclass(frozen=True)
class _Tagged:
    """A value written with a Python tag (!!python/name:…, !!python/object/apply:…): kept as written, since the
    engine that reads the generated file resolves it, not qingdan."""
    node: yaml.Node


class _Loader(yaml.SafeLoader):
    pass


def _env(loader: _Loader, node: yaml.Node):
    """MkDocs' !ENV tag: the first variable that is set, else the last item as the default."""
    import os

    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        items = node.value
        names = [loader.construct_scalar(n) for n in (items[:-1] if len(items) > 1 else items)]
        default = loader.construct_object(items[-1]) if len(items) > 1 else None
    for name in names:
        if name in os.environ:
            value = os.environ[name]
            tag = loader.resolve(yaml.ScalarNode, value, (True, False))
            return loader.construct_object(yaml.ScalarNode(tag, value))
    return default


_Loader.add_constructor("!ENV", _env)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: _Tagged(node))


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Tagged, lambda dumper, value: value.node)
_Dumper.add_representer(str, lambda dumper, value: dumper.represent_scalar(
    "tag:yaml.org,2002:str", value, style="|" if "\n" in value else None))  # not_in_nav: one pattern a line


def read_config(config_file: Path) -> dict:
    with open(config_file, encoding="utf-8") as stream:
        config = yaml.load(stream, Loader=_Loader)  # noqa: S506 - a SafeLoader; Python tags are kept, not run
    return config if isinstance(config, dict) else {}


def _plugins(value) -> list:
    """The plugin list as [name or {name: options}], whichever of MkDocs' forms it was written in."""
    if isinstance(value, dict):
        return [{name: options} if options else name for name, options in value.items()]
    return list(value or [])


def _plugin_name(entry) -> str:
    return entry if isinstance(entry, str) else next(iter(entry))


def project_config(base: dict, nav: list, hidden: str, offline: bool) -> dict:
    """The project's mkdocs.yml: the hand-written one without the qingdan plugin, plus the generated navigation
    and what the generated pages need. `offline`: pages for file:// (units/x.html), search inlined in a script."""
    config = dict(base)
    config["docs_dir"] = DOCS
    config["site_dir"] = SITE
    config["use_directory_urls"] = not offline  # as the offline plugins would set it; pictures are linked for it
    config["nav"] = nav + list(base.get("nav") or [])
    config["not_in_nav"] = hidden
    theme = base.get("theme") or {}
    theme = {"name": theme} if isinstance(theme, str) else dict(theme)
    theme["custom_dir"] = OVERRIDES  # the hand-written custom_dir's files are copied there (`overrides`)
    config["theme"] = theme
    extensions = list(base.get("markdown_extensions") or [])
    names = {e if isinstance(e, str) else next(iter(e)) for e in extensions}
    config["markdown_extensions"] = extensions + [e for e in MARKDOWN_EXTENSIONS if e not in names]
    config["extra_css"] = [*(base.get("extra_css") or []), *STYLES]
    config["extra_javascript"] = [*(base.get("extra_javascript") or []), *SCRIPTS]
    extra = dict(base.get("extra") or {})
    extra["polyfills"] = [*(extra.get("polyfills") or []), *POLYFILLS]
    config["extra"] = extra
    plugins = []
    for entry in _plugins(base.get("plugins")):
        name = _plugin_name(entry)
        options = {} if isinstance(entry, str) else dict(entry[name] or {})
        if name == "qingdan":
            continue
        if name == "search":
            options = search_options(options)
            options["jieba_dict_user"] = SEARCH_WORDS
        if name == "offline":
            options["enabled"] = offline
        plugins.append({name: options} if options else name)
    if offline and "offline" not in map(_plugin_name, plugins):
        plugins.append({"offline": {"enabled": True}})
    config["plugins"] = plugins
    return config


def config_text(config: dict) -> str:
    return HEADER + yaml.dump(config, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)


# ---------------------------------------------------------------- the whole project

def handwritten(config_file: Path, base: dict) -> dict[str, bytes]:
    """The project's own pages and files under its docs_dir (hidden files left out, as the engines do)."""
    docs = (config_file.parent / (base.get("docs_dir") or DOCS)).resolve()
    if not docs.is_dir():
        return {}
    return {path.relative_to(docs).as_posix(): path.read_bytes() for path in sorted(docs.rglob("*"))
            if path.is_file() and not any(part.startswith(".") for part in path.relative_to(docs).parts)}


def engine_files() -> dict[str, str]:
    """Files one engine needs and every other engine copies as they are (Material's search worker, fixed)."""
    files: dict[str, str] = {}
    for name in ("generator.site", "generator.zensical"):
        try:
            module = importlib.import_module(name)
        except ImportError:  # that engine is not installed: nothing of it to fix
            continue
        files.update(module.project_files())
    return files


def project_files(config_file: Path, dataset: Dataset, g: nx.MultiDiGraph, as_of: dt.date,
                  history: History | None = None, *, offline: bool = False) -> dict[str, str | bytes]:
    """Every file of the project, keyed by path relative to the project folder."""
    base = read_config(config_file)
    first = _qingdan_options(base).get("jurisdictions") or ()
    generated = generate(dataset, g, as_of, history, directory_urls=not offline, first=first)
    generated.update(engine_files())
    own = handwritten(config_file, base)
    conflicts = sorted(p for p in generated if p in own)
    if conflicts:
        raise ProjectConflict(conflicts)
    nav = nav_sections(dataset, first)
    config = project_config(base, nav, not_in_nav(sorted(generated), nav_paths(nav)), offline)
    files: dict[str, str | bytes] = {CONFIG: config_text(config), SEARCH_WORDS: dictionary(dataset)}
    files.update(overrides(config_file, base))
    files.update((f"{DOCS}/{path}", content) for path, content in {**own, **generated}.items())
    return files


def _qingdan_options(base: dict) -> dict:
    """The qingdan plugin's options in the hand-written mkdocs.yml (they hold for every engine)."""
    for entry in _plugins(base.get("plugins")):
        if _plugin_name(entry) == "qingdan" and isinstance(entry, dict):
            return dict(entry["qingdan"] or {})
    return {}


def overrides(config_file: Path, base: dict) -> dict[str, str | bytes]:
    """The project's theme overrides: those of the hand-written project's own custom_dir, and the Chinese 404 page
    unless it has its own."""
    files: dict[str, str | bytes] = {}
    own = base["theme"].get("custom_dir") if isinstance(base.get("theme"), dict) else None
    if own and (config_file.parent / own).is_dir():
        folder = (config_file.parent / own).resolve()
        files.update((f"{OVERRIDES}/{p.relative_to(folder).as_posix()}", p.read_bytes())
                     for p in sorted(folder.rglob("*")) if p.is_file())
    files.setdefault(f"{OVERRIDES}/404.html", NOT_FOUND)
    return files
