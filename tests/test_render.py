"""Structural assertions on the generated Markdown, page kind by page kind."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from generator import exports, render, schedule
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


def test_a_unit_page_offers_a_calendar_only_when_there_is_something_to_put_in_it(bundled):
    """61 of 83 calendars were empty and their pages still offered the 日历（ICS） button, with no word why."""
    data, pages = bundled
    files = exports.downloads(data, AS_OF)
    past = pages["units/zhangdu.moral-education.md"]  # 2021's one-off dates, then ongoing work
    assert "zhangdu.moral-education.ics" not in past and "downloads/zhangdu.moral-education.ics" not in files
    assert "没有日历（ICS）文件：本单位职责中写明日期的时限都已过去（最晚的是 2021年11月30日）" in past
    undated = pages["units/model.gongan.md"]  # only 发生时 work
    assert "没有日历（ICS）文件：本单位的职责没有写明日期的时限" in undated
    for uid in data.units:
        offered = f"../downloads/{uid}.ics" in pages[f"units/{uid}.md"]
        assert offered == (f"downloads/{uid}.ics" in files) != ("没有日历（ICS）文件" in pages[f"units/{uid}.md"]), uid


def test_no_editors_note_inside_a_label_and_the_units_list_names_every_download(bundled):
    data, pages = bundled
    assert "利息" not in pages["units/zhangdu.school.md"]  # the typo note was part of a deadline's label
    labels = [d.label for duty in data.duties.values() for d in duty.deadlines if d.label]
    assert not [x for x in labels if "原文" in x], "an editor's note belongs outside the label"
    intro = pages["units/index.md"].split("## ")[0]
    assert all(word in intro for word in ("Excel", "Word", "CSV", "日历"))


def test_the_guide_describes_every_section_of_a_unit_page():
    """docs/guide/index.md's list of what a unit page holds left out 变更历史."""
    from generator.history import history

    result = load_dataset(ROOT / "responsibilities")
    pages = render.pages(result.dataset, result.graph, AS_OF, history(ROOT / "responsibilities"))
    headings = {re.sub(r"（.*", "", h).strip() for h in re.findall(r"^## (\S+)", pages["units/wansheng.minzheng.md"], re.M)}
    assert "变更历史" in headings or not history(ROOT / "responsibilities").available
    guide = (ROOT / "docs/guide/index.md").read_text(encoding="utf-8")
    listed = guide.split("单位页面从上到下依次是：")[1].split("###")[0]
    assert headings and [h for h in headings if f"**{h}**" not in listed] == []


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
    assert "| 每年一次 | — |" in page and "| 2024年12月31日前 | <span class=\"qd-date\">2024-12-31</span> |" in page
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
    targets = set(pages) | set(exports.downloads(bundled[0], AS_OF))  # the files really written
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


# ---------------------------------------------------------------- what a reader of a unit page must not miss

def checklist_line(page: str, duty_id: str) -> str:
    return next(x for x in page.splitlines() if x.startswith("- [ ]") and f"duties/{duty_id}.md" in x)


def test_running_duties_show_and_count_their_past_milestones(bundled):
    """A duty whose other work recurs or goes on is listed under 周期性工作 / 长期开展; its dated milestones that
    are over used to read like any other deadline, and the page counted none of them."""
    _, pages = bundled
    page = pages["units/zhangdu.principal-office.md"]
    assert "“宪法小卫士”学习：2021年10月31日前（编者推定，已过）" in checklist_line(page, "zhangdu-school-2021.01")
    assert "### 周期性工作（1，其中 1 项有已过的时限）" in page
    assert "另有 1 项仍在进行的职责（周期性、长期或还有以后的时限）中，1 个时限已过" in page
    page = pages["units/zhangdu.moral-education.md"]  # 02: 11月初 then ongoing; 07: 11月底 then running
    assert "2021年11月10日前（编者推定，已过）" in checklist_line(page, "zhangdu-school-2021.02")
    assert "2021年11月30日前（已过）" in checklist_line(page, "zhangdu-school-2021.07")
    assert "长期开展" in checklist_line(page, "zhangdu-school-2021.07")
    duty = pages["duties/zhangdu-school-2021.07.md"]
    assert '| 场所、人员、制度到位：2021年11月30日前（已过） | <span class="qd-date">2021-11-30</span> |' in duty


def test_a_school_rolls_up_its_offices_duties(bundled):
    """章渡学校 itself has no duty in its plan; its page and downloads were empty although its offices have ten."""
    data, pages = bundled
    page = pages["units/zhangdu.school.md"]
    school = [d for d in data.duties.values() if d.document == "zhangdu-school-2021"]
    assert len(school) == 10
    for duty in school:
        assert f"../duties/{duty.id}.md" in links(page)
    assert "文件没有给本单位单列职责；下面汇总了 11 个下级单位的全部职责" in page
    assert "牵头：[德育处](zhangdu.moral-education.md)" in checklist_line(page, "zhangdu-school-2021.02")
    assert "| [章渡学校](zhangdu.school.md) | 学校 | 10 | 0 |" in pages["units/index.md"]
    assert "| [章渡学校](zhangdu.school.md) | 章渡学校 | 10 | 0 |" in pages["units/kind-school.md"]


def test_at_least_keeps_its_words(bundled):
    """每年不少于一次 read 每年一次: the data could not say "at least"."""
    _, pages = bundled
    assert "公益性家庭教育指导服务：每年不少于一次" in pages["duties/wansheng-2021-3.01.md"]
    assert "每学期不少于一次" in pages["duties/wansheng-2021-3.09.md"]
    assert "法制副校长到校授课：每季度一次" in pages["duties/zhangdu-school-2021.01.md"]  # exactly once stays so
    assert "| 每年 | 不少于 1 |" in pages["deadlines.md"]


def test_inferred_deadlines_say_so_and_why(bundled):
    _, pages = bundled
    page = pages["duties/zhangdu-school-2021.02.md"]
    assert "制定信息报告制度：2021年11月10日前（编者推定，已过）" in page
    assert '!!! note "编者推定的时限"' in page and "编者按11月上旬的最后一天（11月10日）计" in page
    assert "第一阶段（建立机制）（2021年7月30日前，编者推定，已过）" in pages["duties/tongzi-2021.organisation.md"]
    assert "编者推定" not in pages["duties/wansheng-2021-3.10.md"]


def test_units_list_puts_the_template_last(bundled):
    _, pages = bundled
    areas = re.findall(r"^## (.+)$", pages["units/index.md"], re.M)
    assert areas[-1] == "某县（范本）"
    assert areas == ["重庆市万盛经开区", "贵州省桐梓县", "章渡学校", "某县（范本）"]  # pinyin: chong, gui, zhang


def test_units_list_puts_the_handbooks_own_jurisdictions_first():
    result = load_dataset(ROOT / "responsibilities")
    pages = render.pages(result.dataset, result.graph, AS_OF, first=["章渡学校", "贵州省桐梓县"])
    areas = re.findall(r"^## (.+)$", pages["units/index.md"], re.M)
    assert areas == ["章渡学校", "贵州省桐梓县", "重庆市万盛经开区", "某县（范本）"]


def test_navigation_lists_jurisdictions_in_the_same_order():
    from generator.project import nav_sections

    data = load_dataset(ROOT / "responsibilities").dataset
    units = next(s["单位清单"] for s in nav_sections(data) if "单位清单" in s)
    assert [next(iter(x)) for x in units[1:]] == ["重庆市万盛经开区", "贵州省桐梓县", "章渡学校", "某县（范本）"]
