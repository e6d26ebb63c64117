"""Ownership pictures: DOT text from the graph, laid out by Graphviz `dot` into inline SVG at build time.

Many graphs share a `dot` process (it accepts many graphs on stdin), so a province-sized handbook does not pay a
process start per picture. Links in the pictures are relative .md paths, like Markdown links; the site
engine turns them into URLs. Without Graphviz the pages still build and say why the picture is missing.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess

import networkx as nx

from . import graph
from .markdown import rel
from .model import Dataset

FONT = "sans-serif"
LEAD_COLOR, SUPPORT_COLOR, DUTY_FILL, UNIT_FILL = "#3f51b5", "#9e9e9e", "#e8eaf6", "#fff8e1"
MISSING = ("关系图需要 Graphviz 的 dot 程序，生成本手册时没有找到，所以这里没有画图。"
           "安装 graphviz（例如 apt-get install graphviz）后重新生成即可；下面的表格不受影响。")


def available() -> bool:
    return shutil.which("dot") is not None


def q(value: object) -> str:
    return graph.dot_quote(str(value))


def _head(name: str, rankdir: str = "LR") -> list[str]:
    return [f"digraph {q(name)} {{", f"  graph [rankdir={rankdir}, fontname={q(FONT)}, fontsize=11, nodesep=0.25, "
            "ranksep=0.6, bgcolor=transparent];",
            f"  node [fontname={q(FONT)}, fontsize=11, style=filled, penwidth=0.8];",
            f"  edge [fontname={q(FONT)}, fontsize=9, arrowsize=0.6];"]


def _unit(data: Dataset, uid: str, page: str, focus: bool = False) -> str:
    unit = data.units[uid]
    extra = ", penwidth=2.2" if focus else ""
    return (f"  {q(uid)} [label={q(unit.label)}, shape=ellipse, fillcolor={q(UNIT_FILL)}, tooltip={q(unit.name)}, "
            f"URL={q(rel(f'units/{uid}.md', page))}{extra}];")


def wrap(title: str, width: int = 10, lines: int = 3) -> str:
    """A title broken into short lines (Chinese has no spaces to break at), cut with … past `lines` lines."""
    parts = [title[i:i + width] for i in range(0, len(title), width)] or [""]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][:-1] + "…"
    return "\n".join(parts)


def _duty(data: Dataset, did: str, page: str, focus: bool = False) -> str:
    duty = data.duties[did]
    extra = ", penwidth=2.2" if focus else ""
    return (f"  {q(did)} [label={q(wrap(duty.title))}, shape=box, fillcolor={q(DUTY_FILL)}, tooltip={q(duty.title)}, "
            f"URL={q(rel(f'duties/{did}.md', page))}{extra}];")


def _owner_edges(g: nx.MultiDiGraph, duties: list[str], units: set[str]) -> list[str]:
    out = []
    for did in duties:
        for uid in graph.led_by(g, did):
            if uid in units:
                out.append(f"  {q(uid)} -> {q(did)} [color={q(LEAD_COLOR)}, penwidth=1.4];")
        for uid in graph.supported_by(g, did):
            if uid in units:
                out.append(f"  {q(uid)} -> {q(did)} [color={q(SUPPORT_COLOR)}, style=dashed];")
    return out


def document_dot(data: Dataset, g: nx.MultiDiGraph, doc_id: str, page: str) -> str:
    """A document's duties clustered by protection line, with the units that lead (solid) or support (dashed)."""
    duties = sorted(graph.related(g, doc_id, "cites", incoming=True))
    by_line: dict[str, list[str]] = {}
    for did in duties:
        by_line.setdefault(data.duties[did].line, []).append(did)
    units = sorted({u for d in duties for u in graph.led_by(g, d) + graph.supported_by(g, d)})
    out = _head(doc_id)
    for lid in sorted(by_line, key=lambda x: (data.lines[x].order, x)):
        out += [f"  subgraph {q('cluster_' + lid)} {{", f"    label={q(data.lines[lid].name)}; style=rounded; "
                "color=\"#c5cae9\";"]
        out += ["  " + _duty(data, did, page) for did in by_line[lid]]
        out.append("  }")
    out += [_unit(data, uid, page) for uid in units]
    out += _owner_edges(g, duties, set(units))
    out += [f"  {q(d)} -> {q(dep)} [style=dotted, constraint=false];" for d in duties
            for dep in graph.related(g, d, "depends_on") if dep in set(duties)]
    return "\n".join(out + ["}"]) + "\n"


def unit_dot(data: Dataset, g: nx.MultiDiGraph, uid: str, page: str) -> str:
    """The unit on the left, its duties in the middle, the other units on those duties on the right."""
    duties = sorted(set(graph.related(g, uid, "leads")) | set(graph.related(g, uid, "supports")))
    partners = sorted({u for d in duties for u in graph.led_by(g, d) + graph.supported_by(g, d)} - {uid})
    out = _head(uid)
    out += [_unit(data, uid, page, focus=True)]
    out += [_duty(data, d, page) for d in duties]
    out += [_unit(data, u, page) for u in partners]
    out += _owner_edges(g, duties, {uid})
    for did in duties:  # drawn duty → partner with the arrow turned back, so partners sit to the right
        for u in graph.led_by(g, did):
            if u != uid:
                out.append(f"  {q(did)} -> {q(u)} [dir=back, color={q(LEAD_COLOR)}, penwidth=1.4];")
        for u in graph.supported_by(g, did):
            if u != uid:
                out.append(f"  {q(did)} -> {q(u)} [dir=back, color={q(SUPPORT_COLOR)}, style=dashed];")
    return "\n".join(out + ["}"]) + "\n"


def duty_dot(data: Dataset, g: nx.MultiDiGraph, did: str, page: str) -> str:
    """A duty with its lead and support units, what it needs first and what needs it."""
    needs = graph.related(g, did, "depends_on")
    needed_by = graph.dependents(g, did)
    units = set(graph.led_by(g, did) + graph.supported_by(g, did))
    out = _head(did)
    out += [_duty(data, d, page, focus=(d == did)) for d in sorted({did, *needs, *needed_by})]
    out += [_unit(data, u, page) for u in sorted(units)]
    out += _owner_edges(g, [did], units)
    out += [f"  {q(did)} -> {q(dep)} [style=dotted, label=\"须先完成\"];" for dep in needs]
    out += [f"  {q(d)} -> {q(did)} [style=dotted, label=\"须先完成\"];" for d in needed_by]
    return "\n".join(out + ["}"]) + "\n"


def chain_dot(data: Dataset, chain, page: str) -> str:
    """A reporting chain as a top-to-bottom column of roles (boxes) and units (ellipses): a row of five scaled
    to the text column made its words too small to read, on paper and on phones alike."""
    out = _head(chain.id, rankdir="TB")
    names = []
    for i, step in enumerate(chain.steps):
        name = f"s{i}"
        names.append(name)
        if step.role:
            role = data.roles[step.role]
            out.append(f"  {q(name)} [label={q(wrap(role.name, 8))}, shape=box, style=\"filled,rounded\", "
                       f"fillcolor={q(DUTY_FILL)}, URL={q(rel(f'roles/{role.id}.md', page))}];")
        else:
            unit = data.units[step.unit]
            out.append(f"  {q(name)} [label={q(wrap(unit.label, 8))}, shape=ellipse, fillcolor={q(UNIT_FILL)}, "
                       f"tooltip={q(unit.name)}, URL={q(rel(f'units/{unit.id}.md', page))}];")
    for a, b, step in zip(names, names[1:], chain.steps[1:]):
        label = f", label={q(' ' + wrap(step.when, 16, 2))}" if step.when else ""
        out.append(f"  {q(a)} -> {q(b)} [color={q(LEAD_COLOR)}, penwidth=1.4{label}];")
    return "\n".join(out + ["}"]) + "\n"


BATCH = 200
_COMMENT = re.compile(r"<!--.*?-->\s*", re.S)
_TITLE = re.compile(r"<title>[^<]*</title>\s*")
# In a multi-graph run dot names each graph's ids after its position ("page0,1_graph0"); dropped so that a
# picture's SVG does not depend on which other pictures shared its process.
_PAGE_ID = re.compile(r'\bid="page\d+,\d+_')


def render(sources: dict[str, str], memo: dict[str, str | None] | None = None) -> dict[str, str | None]:
    """{key: DOT} → {key: inline SVG}; None for every picture when Graphviz is absent.

    Pictures without clusters are laid out many to a `dot` process, a run per core at a time: starting dot costs more
    than laying out a small graph. A graph's layout does not depend on the graphs before it in the same run, except
    that clusters come out in a different order, so pictures with clusters (one per document) get a process each and
    pages stay byte-identical between builds. `memo` (kept by `qingdan serve` between rebuilds) maps a DOT source to
    its laid-out SVG, so only changed pictures are redrawn.
    """
    if not sources or not available():
        return {key: None for key in sources}
    memo = {} if memo is None else memo
    todo = sorted({source for source in sources.values() if source not in memo})
    if todo:
        from concurrent.futures import ThreadPoolExecutor

        workers = os.cpu_count() or 2
        alone = [[source] for source in todo if "subgraph \"cluster_" in source]
        together = [source for source in todo if "subgraph \"cluster_" not in source]
        # Batches of BATCH: process starts stay rare, and no single run's output is a province's worth of SVG.
        batches = alone + [together[i:i + BATCH] for i in range(0, len(together), BATCH)]
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for batch, svgs in zip(batches, pool.map(layout, batches)):
                memo.update(zip(batch, svgs))
    return {key: (_clean(memo[source], key) if memo[source] else None) for key, source in sources.items()}


def layout(sources: list[str]) -> list[str | None]:
    """SVG for each DOT source, from one `dot` run; a failed run is retried one picture per run."""
    if len(sources) > 1:
        svgs = _run("".join(sources), len(sources))
        if svgs is not None:
            return svgs
    return [(_run(source, 1) or [None])[0] for source in sources]


def _run(source: str, count: int) -> list[str] | None:
    try:
        proc = subprocess.run(["dot", "-Tsvg"], input=source, capture_output=True, text=True,
                              timeout=120 + count)
    except (OSError, subprocess.TimeoutExpired):
        return None
    svgs = ["<?xml " + part for part in proc.stdout.split("<?xml ")[1:]]
    if proc.returncode != 0 or len(svgs) != count:
        return None
    return [_PAGE_ID.sub('id="', svg) for svg in svgs]


def _clean(svg: str, key: str) -> str:
    """Inline-ready SVG: no prolog, comments or blank lines; unique element ids; scales to the column width."""
    svg = svg[svg.index("<svg"):]
    svg = _COMMENT.sub("", svg)
    svg = _TITLE.sub("", svg)  # dot titles every node and edge with its DOT name (an id): browsers show it on hover
    prefix = re.sub(r"[^a-z0-9]+", "-", key.lower())
    svg = re.sub(r'\bid="', f'id="{prefix}-', svg)
    svg = re.sub(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"',
                 r'<svg class="qd-svg" style="max-width:\1pt" width="100%"', svg, count=1)
    return "\n".join(line for line in svg.splitlines() if line.strip())


def block(svg: str | None, caption: str) -> list[str]:
    """Markdown lines for a picture (raw HTML) or, without Graphviz, a note saying why it is missing."""
    if svg is None:
        return ['!!! note "没有关系图"', "", f"    {MISSING}", ""]
    return ['<figure class="qd-graph" markdown="0">', svg, f"<figcaption>{caption}</figcaption>", "</figure>", ""]
