"""The responsibility matrix, the ownership pictures and the review page."""
from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest

from generator import diagrams, graph, render
from generator.pipeline import load_dataset
from generator.publish import build

from conftest import AS_OF, FIXTURES, ROOT


@pytest.fixture(scope="module")
def bundled():
    result = load_dataset(ROOT / "responsibilities")
    return result, render.pages(result.dataset, result.graph, dt.date(2026, 11, 25))


def test_matrix_counts_match_the_data(bundled):
    result, pages = bundled
    page = pages["matrix.md"]
    row = next(line for line in page.splitlines() if line.startswith("| [区教育局](units/wansheng.jiaoyu.md)"))
    cells = [c.strip() for c in row.strip("|").split("|")][1:]
    lines = sorted(result.dataset.lines.values(), key=lambda x: x.order)
    for line, cell in zip(lines, cells):
        n_lead = sum(1 for d in result.dataset.duties.values() if "wansheng.jiaoyu" in d.lead and d.line == line.id)
        assert (f"牵{n_lead}" in cell) == bool(n_lead), (line.id, cell)
    # the duty × unit table marks each lead with ● in the unit's column
    section = page[page.index("### 万盛实施意见"):]
    header = next(line for line in section.splitlines() if line.startswith("| 条款 | 职责 |"))
    columns = re.findall(r"\(units/([^)]+)\.md\)", header)
    duty_row = next(line for line in section.splitlines() if "(duties/wansheng-2021-3.10.md)" in line)
    marks = [c.strip() for c in duty_row.strip("|").split("|")][2:]
    duty = result.dataset.duties["wansheng-2021-3.10"]
    assert {u for u, m in zip(columns, marks) if m == "●"} == set(duty.lead)
    assert {u for u, m in zip(columns, marks) if m == "○"} == set(duty.support)


def test_review_page_asks_the_graph(bundled):
    result, pages = bundled
    page = pages["review.md"]
    assigned = graph.assigned_only(result.dataset)
    assert f"## 牵头单位待确认（{len(assigned)}）" in page
    for did in assigned:
        assert f"(duties/{did}.md)" in page
    assert "| [区教育局](units/wansheng.jiaoyu.md) | 重庆市万盛经开区 | 10 | 2 |" in page and "| 偏多 |" in page
    assert "## 时限倒挂（0）" in page


@pytest.mark.skipif(not diagrams.available(), reason="Graphviz dot is installed by `make test`")
def test_pictures_are_files_of_their_own_with_links(bundled):
    """Engines copy a picture file unchanged and keep it out of search, so its links are already URLs."""
    result, pages = bundled
    page = pages["graph.md"]
    assert page.count('<figure class="qd-graph"') == len(result.dataset.documents) and "<svg" not in page
    assert 'data="../pictures/documents/wansheng-2021-3.svg"' in page  # graph.md is served as graph/
    assert 'xlink:href="../../duties/wansheng-2021-3.10/"' in pages["pictures/documents/wansheng-2021-3.svg"]
    unit_page = pages["units/wansheng.minzheng.md"]
    assert 'data="../../pictures/units/wansheng.minzheng.svg"' in unit_page and "<svg" not in unit_page
    picture = pages["pictures/units/wansheng.minzheng.svg"]
    assert 'xlink:href="../../duties/wansheng-2021-3.13/"' in picture and 'target="_top"' in picture
    assert ".md\"" not in picture and "<script" not in picture


@pytest.mark.skipif(not diagrams.available(), reason="Graphviz dot is installed by `make test`")
def test_pictures_for_file_urls_link_html_files():
    result = load_dataset(ROOT / "responsibilities")
    pages = render.pages(result.dataset, result.graph, dt.date(2026, 11, 25), directory_urls=False)
    assert 'data="../pictures/units/wansheng.minzheng.svg"' in pages["units/wansheng.minzheng.md"]
    assert 'xlink:href="../../duties/wansheng-2021-3.13.html"' in pages["pictures/units/wansheng.minzheng.svg"]


def test_without_graphviz_pages_say_why(monkeypatch, tmp_path):
    monkeypatch.setattr(diagrams, "available", lambda: False)
    result = load_dataset(FIXTURES / "minimal")
    pages = render.pages(result.dataset, result.graph, dt.date(2024, 5, 1))
    assert "<svg" not in pages["graph.md"] and "Graphviz" in pages["graph.md"]
    assert "没有关系图" in pages["units/demo.minzheng.md"]
    out = tmp_path / "site"
    build(ROOT / "mkdocs.yml", out, data=FIXTURES / "minimal", as_of=dt.date(2024, 5, 1))  # strict: no warnings
    assert "需要 Graphviz" in (out / "graph" / "index.html").read_text(encoding="utf-8")


@pytest.mark.skipif(not diagrams.available(), reason="Graphviz dot is installed by `make test`")
def test_built_pictures_link_to_pages_and_escape_names(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "minimal", data)
    base = data / "base.yaml"
    base.write_text(base.read_text(encoding="utf-8").replace("short_name: 县妇联", "short_name: '县妇联<b>&\"'"),
                    encoding="utf-8")
    out = tmp_path / "site"
    build(ROOT / "mkdocs.yml", out, data=data, as_of=dt.date.fromisoformat(AS_OF))
    html = (out / "units" / "demo.fulian" / "index.html").read_text(encoding="utf-8")
    figure = html[html.index('<figure class="qd-graph"'):html.index("</figure>")]
    assert 'data="../../pictures/units/demo.fulian.svg"' in figure and "<svg" not in figure
    svg = (out / "pictures" / "units" / "demo.fulian.svg").read_text(encoding="utf-8")
    assert 'xlink:href="../../duties/demo-2024.02/"' in svg  # a URL, not a .md path
    assert ".md\"" not in svg
    assert "县妇联&lt;b&gt;&amp;&quot;" in svg and "<b>" not in svg


@pytest.mark.skipif(not diagrams.available(), reason="Graphviz dot is installed by `make test`")
def test_pictures_laid_out_together_match_pictures_laid_out_alone(bundled):
    """Sharing a dot process (for speed) must not change a picture: pages stay the same whoever shares the run."""
    result, _ = bundled
    data, g = result.dataset, result.graph
    link = lambda target: target  # noqa: E731 - where the links point does not matter here
    sources = [diagrams.unit_dot(data, g, u, link) for u in sorted(data.units)[:8]]
    sources += [diagrams.duty_dot(data, g, d, link) for d in sorted(data.duties)[:12]]
    together = diagrams.layout(sources)
    alone = [diagrams.layout([source])[0] for source in sources]
    assert all(together) and together == alone
    assert diagrams.layout(list(reversed(sources))) == list(reversed(together))


@pytest.mark.skipif(not diagrams.available(), reason="Graphviz dot is installed by `make test`")
def test_a_picture_dot_rejects_does_not_take_its_batch_with_it():
    good = 'digraph "a" { "x" -> "y"; }\n'
    pictures = diagrams.layout([good, 'digraph "b" { "x" -> ; }\n', good])
    assert pictures[0] and pictures[0] == pictures[2] and pictures[1] is None
