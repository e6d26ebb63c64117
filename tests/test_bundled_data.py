"""The bundled data set: clean, complete against the source documents, honest about its leads."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.pipeline import load_dataset

ROOT = Path(__file__).resolve().parent.parent

# 万盛未保组〔2021〕3号: 二、重点任务 numbers its 27 items straight through six sections; 三、保障措施 has five.
WANSHENG_SECTIONS = {"一": range(1, 5), "二": range(5, 10), "三": range(10, 15), "四": range(15, 18),
                     "五": range(18, 24), "六": range(24, 28)}
WANSHENG_CLAUSES = {f"二({s}){n}" for s, numbers in WANSHENG_SECTIONS.items() for n in numbers} \
    | {f"三({s})" for s in "一二三四五"}

# Every "由…牵头" item of the 桐梓 plan (seed 004 part-04), read off the source text by hand.
TONGZI_LEADS = {
    "(二)4": {"tongzi.zhengfawei"},
    "(四)1": {"tongzi.minzheng"},
    "(四)2": {"tongzi.zhengfawei", "tongzi.tuanxianwei"},
    "(四)3": {"tongzi.jianchayuan"},
    "(四)4": {"tongzi.weijian"},
    "(四)5": {"tongzi.jiaoyu"},
    "(五)1": {"tongzi.fulian"},
    "(五)2": {"tongzi.jiaoyu"},
    "(五)3": {"tongzi.tuanxianwei"},
    "(五)4": {"tongzi.wangxinban"},
    "(五)5": {"tongzi.jianchayuan"},
}


@pytest.fixture(scope="module")
def result():
    return load_dataset(ROOT / "responsibilities")


def test_validates_without_errors_or_warnings(result):
    assert result.report.without_infos().findings == (), result.report.to_text()


def by_document(result, doc_id):
    return {d.clause: d for d in result.dataset.duties.values() if d.document == doc_id}


def test_wansheng_has_all_27_items_and_5_measures(result):
    duties = by_document(result, "wansheng-2021-3")
    assert WANSHENG_CLAUSES <= set(duties)
    assert len(WANSHENG_CLAUSES) == 32


def test_wansheng_milestones(result):
    goals = result.dataset.duties["wansheng-2021-3.goals"]
    got = {(d.kind, d.month or d.year) for d in goals.deadlines}
    assert got == {("month", "2022-06"), ("year", 2025), ("year", 2035)}


def test_wansheng_recurring_duties_are_recurring(result):
    # "每年不少于一次" (item 1) and "每学期至少一次" (item 9) are recurring obligations, not dates.
    items = by_document(result, "wansheng-2021-3")
    assert ("year", 1) in {(d.every, d.times) for d in items["二(一)1"].deadlines if d.kind == "recurring"}
    assert "semester" in {d.every for d in items["二(二)9"].deadlines if d.kind == "recurring"}


def test_tongzi_every_stated_lead(result):
    duties = by_document(result, "tongzi-2021")
    for clause, leads in TONGZI_LEADS.items():
        assert set(duties[clause].lead) == leads, clause
        assert duties[clause].lead_basis == "stated", clause
    stated = {c for c, d in duties.items() if d.lead_basis == "stated"}
    assert stated == set(TONGZI_LEADS)  # nothing else claims the text says 牵头


def test_tongzi_three_phases(result):
    phases = {(d.start, d.end) for duty in result.dataset.duties.values() if duty.document == "tongzi-2021"
              for d in duty.deadlines if d.kind == "phase"}
    ends = sorted(str(end) for _, end in phases)
    assert {"2021-07-30", "2021-12-31", "2022-12-31"} == set(ends)


def test_tongzi_five_lines(result):
    duties = by_document(result, "tongzi-2021")
    assert {duties[f"(五){n}"].line for n in range(1, 6)} == {"family", "school", "society", "network", "judicial"}


def test_school_plan_all_ten_items(result):
    duties = by_document(result, "zhangdu-school-2021")
    assert set(duties) == {str(n) for n in range(1, 11)}
    assert all(d.lead and d.lead_basis == "stated" for d in duties.values())
    assert all(d.deadlines for d in duties.values())
    dates = {str(dl.date) for d in duties.values() for dl in d.deadlines if dl.kind == "date"}
    assert "2021-11-05" in dates  # "2021年11月5日之前"


def test_every_duty_cites_a_clause_and_basis_is_explained(result):
    for duty in result.dataset.duties.values():
        assert duty.clause.strip()
        if duty.lead_basis == "assigned":
            assert duty.lead_note, f"{duty.id}: an assigned lead needs a note saying why"


def test_each_jurisdiction_has_its_own_units(result):
    data = result.dataset
    for duty in data.duties.values():
        area = data.documents[duty.document].jurisdiction
        for uid in duty.lead + duty.support:
            assert data.units[uid].jurisdiction == area, (duty.id, uid)


# ---------------------------------------------------------------- labels from a clause-by-clause audit

EDITORS_CHOICES = {
    # 二(五)18 names 民政部门 only as the one who appoints guardians; 二(六)25/26 name no actor at all (少年法庭 and
    # 检察法律监督 are what is done, not who is told to); 桐梓 (三)2 names 公安、民政、教育 as where reports go.
    "wansheng-2021-3.18": "wansheng.minzheng", "wansheng-2021-3.25": "wansheng.fayuan",
    "wansheng-2021-3.26": "wansheng.jianchayuan", "tongzi-2021.detection-reporting": "tongzi.gongan",
}


@pytest.mark.parametrize("duty_id,lead", EDITORS_CHOICES.items())
def test_editors_choices_are_labelled_assigned(result, duty_id, lead):
    duty = result.dataset.duties[duty_id]
    assert duty.lead_basis == "assigned" and lead in duty.lead
    assert "编者" in duty.lead_note and "确认" in duty.lead_note


def test_inferred_deadlines_are_marked(result):
    duties = result.dataset.duties
    school = {d.label: d for d in duties["zhangdu-school-2021.01"].deadlines}
    assert school["“宪法小卫士”学习"].inferred and "年份" in school["“宪法小卫士”学习"].inferred  # 10月底, no year
    early_november = duties["zhangdu-school-2021.02"].deadlines[0]
    assert early_november.text.endswith("11月初制定完成") and early_november.inferred
    assert not duties["zhangdu-school-2021.04"].deadlines[0].inferred  # "2021年11月5日之前" is written out
    # 桐梓's three phases are for the county's work as a whole: which task falls in which is the editor's reading
    tasks = [d for d in duties.values() if d.document == "tongzi-2021" and d.id != "tongzi-2021.goals"]
    phases = [x for d in tasks for x in d.deadlines if x.kind == "phase"]
    assert phases and all(x.inferred for x in phases)
    # a repeat whose start the text does not give starts on a date the editor wrote down, and says so
    for duty in duties.values():
        for x in duty.deadlines:
            if x.kind == "recurring" and x.start:
                assert x.inferred, duty.id
    assert not any(x.inferred for d in duties.values() if d.document == "wansheng-2021-3" for x in d.deadlines)


def test_tongzi_goals_and_phases_record(result):
    goals = result.dataset.duties["tongzi-2021.goals"]
    assert goals.clause == "工作目标与步骤" and goals.line == "leadership"
    assert [(x.start, x.end) for x in goals.deadlines] == [
        (None, dt.date(2021, 7, 30)), (dt.date(2021, 8, 1), dt.date(2021, 12, 31)),
        (dt.date(2022, 1, 1), dt.date(2022, 12, 31))]
    assert not any(x.inferred for x in goals.deadlines)  # the text dates these phases itself


def test_tongzi_county_congress_supervises(result):
    data = result.dataset
    duty = data.duties["tongzi-2021.congress-supervision"]
    assert duty.clause == "保障措施(二)" and duty.lead_basis == "named"
    assert [data.units[u].kind for u in duty.lead] == ["congress"]
    assert data.units[duty.lead[0]].jurisdiction == "贵州省桐梓县"
