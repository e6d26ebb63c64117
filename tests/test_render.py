"""Structural assertions on the generated Markdown, page kind by page kind."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from generator import render, schedule
from generator.model import Deadline, Duty
from generator.pipeline import load_dataset

from conftest import FIXTURES, ROOT

AS_OF = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def bundled():
    result = load_dataset(ROOT / "responsibilities")
    return result.dataset, render.pages(result.dataset, result.graph, AS_OF)


@pytest.fixture(scope="module")
def minimal():
    result = load_dataset(FIXTURES / "minimal")
    return result.dataset, render.pages(result.dataset, result.graph, dt.date(2024, 5, 1))


def links(markdown: str) -> list[str]:
    return re.findall(r"\]\(([^)]+)\)", markdown)


def test_unit_page_lists_led_then_supported_duties(bundled):
    data, pages = bundled
    page = pages["units/wansheng.minzheng.md"]
    lead = [d for d in data.duties.values() if "wansheng.minzheng" in d.lead]
    support = [d for d in data.duties.values() if "wansheng.minzheng" in d.support]
    assert f"## 牵头的职责（{len(lead)} 项）" in page and f"## 配合的职责（{len(support)} 项）" in page
    assert page.index("## 牵头的职责") < page.index("## 配合的职责") < page.index("## 协作单位")
    for duty in lead + support:
        assert f"../duties/{duty.id}.md" in links(page)
    assert page.count("- [ ] **[") == len(lead) + len(support)
    for ext in ("xlsx", "docx", "csv", "ics"):
        assert f"../downloads/wansheng.minzheng.{ext}" in page


def test_checklist_names_everyone_else_on_a_duty(bundled):
    """A unit that co-leads sees its co-leads; a supporter sees the lead and the other supporters."""
    data, pages = bundled
    item = next(line for line in pages["units/wansheng.jiaoyu.md"].splitlines()
                if "(../duties/wansheng-2021-3.01.md)" in line and line.startswith("- [ ]"))
    assert "共同牵头：[区妇联](wansheng.fulian.md)" in item and "（牵头待确认）" in item
    assert "配合：[区民政局](wansheng.minzheng.md)、[区法院](wansheng.fayuan.md)" in item
    assert "[区教育局]" not in item  # not itself
    item = next(line for line in pages["units/wansheng.minzheng.md"].splitlines()
                if "(../duties/wansheng-2021-3.01.md)" in line and line.startswith("- [ ]"))
    assert "牵头：[区妇联](wansheng.fulian.md)、[区教育局](wansheng.jiaoyu.md)（待确认）" in item
    assert "配合：[区法院](wansheng.fayuan.md)" in item and "[区民政局]" not in item


def test_unit_page_groups_by_deadline(minimal):
    _, pages = minimal
    page = pages["units/demo.fulian.md"]
    assert "### 以后到期（1）" in page  # 2024-12-31 is after 2024-05-01, beyond 30 days


@pytest.mark.parametrize("deadlines,group", [
    ([Deadline(kind="date", date=dt.date(2024, 5, 20))], "soon"),
    ([Deadline(kind="date", date=dt.date(2024, 4, 30))], "overdue"),
    ([Deadline(kind="year", year=2025)], "later"),
    ([Deadline(kind="recurring", every="month")], "recurring"),
    ([Deadline(kind="date", date=dt.date(2024, 1, 1)), Deadline(kind="ongoing")], "ongoing"),
    ([Deadline(kind="date", date=dt.date(2024, 1, 1)), Deadline(kind="month", month="2024-05")], "soon"),
    ([], "open"),
])
def test_deadline_groups(deadlines, group):
    duty = Duty(id="x", title="t", document="d", clause="1", line="family", summary="s", actions=("a",),
                lead=("u",), lead_basis="stated", deadlines=tuple(deadlines))
    assert schedule.group_of(duty, dt.date(2024, 5, 1)) == group


def test_duty_page(minimal):
    _, pages = minimal
    page = pages["duties/demo-2024.02.md"]
    assert "- **牵头**：[县妇联](../units/demo.fulian.md)" in page
    assert "- **配合**：[村（居）民委员会](../units/demo.village.md)" in page
    assert "原文点名" in page and "!!! warning" not in page
    assert "须先完成：[建立协调机制](demo-2024.01.md)" in page
    assert "| 每年一次 | — |" in page and "| 2024年12月31日前 | 2024-12-31 |" in page
    assert "[儿童主任](../roles/child-director.md)" in page
    assert "以本项为前提：[家庭教育指导](demo-2024.02.md)" in pages["duties/demo-2024.01.md"]


def test_assigned_lead_is_flagged(minimal):
    _, pages = minimal
    page = pages["duties/demo-2024.03.md"]
    assert '!!! warning "牵头单位待确认"' in page and "原文未写牵头单位" in page
    assert "牵头待确认" in pages["units/demo.village.md"]


def test_document_page_in_clause_order(bundled):
    data, pages = bundled
    page = pages["documents/wansheng-2021-3.md"]
    clauses = re.findall(r"^\| (\S+) \| \[", page, re.M)
    assert len(clauses) == len([d for d in data.duties.values() if d.document == "wansheng-2021-3"])
    keys = [render.clause_key(c.replace("\\", "")) for c in clauses]
    assert keys == sorted(keys)
    assert clauses[0] == "一" and clauses[1] == r"二\(一\)1" and clauses[-1] == r"三\(五\)"


def test_line_page_table(bundled):
    data, pages = bundled
    page = pages["lines/network.md"]
    for duty in (d for d in data.duties.values() if d.line == "network"):
        assert f"../duties/{duty.id}.md" in page
    assert "| 职责 | 牵头 | 配合 | 时限 | 条款 |" in page


def test_role_page(bundled):
    data, pages = bundled
    page = pages["roles/child-director.md"]
    for duty in (d for d in data.duties.values() if "child-director" in d.roles):
        assert f"../duties/{duty.id}.md" in page


def test_deadlines_page(bundled):
    _, pages = bundled
    page = pages["deadlines.md"]
    assert "## 2021 年" in page and "## 2035 年" in page
    assert "## 工作阶段" in page and "第一阶段" in page
    assert "## 周期性工作" in page and "| 每季度 |" in page


def test_home_counts(bundled):
    data, pages = bundled
    page = pages["index.md"]
    assert f"{len(data.documents)} 份文件中的 {len(data.duties)} 项职责，涉及 {len(data.units)} 个单位" in page
    assert "2026年11月25日" in page


def test_kind_pages_for_each_unit_kind(bundled):
    data, pages = bundled
    for kind in {u.kind for u in data.units.values()}:
        assert f"units/kind-{kind}.md" in pages


def test_all_internal_links_resolve(bundled):
    import posixpath

    _, pages = bundled
    targets = set(pages) | {f"downloads/{uid}.{ext}" for uid in bundled[0].units for ext in ("csv", "xlsx", "docx", "ics")}
    for path, page in pages.items():
        for target in links(page):
            target = target.split("#", 1)[0] or posixpath.basename(path)  # anchors: glossary terms, same-page links
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
            assert resolved in targets, (path, target)


@pytest.mark.parametrize("clause,numbers", [("二(三)10", (2, 3, 10)), ("(四)1", (4, 1)), ("三(一)", (3, 1)),
                                            ("十二", (12,)), ("二十三", (23,)), ("7", (7,))])
def test_clause_key(clause, numbers):
    assert render.clause_key(clause) == (0, "", *numbers)


def test_worded_clauses_sort_after_the_outline():
    clauses = ["保障措施(二)", "(五)5", "保障措施(一)", "(一)", "(二)4"]
    assert sorted(clauses, key=render.clause_key) == ["(一)", "(二)4", "(五)5", "保障措施(一)", "保障措施(二)"]


def test_relative_links_agree_with_posixpath():
    import posixpath

    from generator.markdown import rel

    paths = ["index.md", "graph.md", "units/a.md", "units/index.md", "duties/x-1.2.md", "roles/briefs/a.md",
             "onboarding/steps/one.md", "downloads/units/a.docx", "units", "roles/briefs/index.md"]
    for page in paths:
        for target in paths:
            assert rel(target, page) == posixpath.relpath(target, posixpath.dirname(page) or "."), (target, page)
