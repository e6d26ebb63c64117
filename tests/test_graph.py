"""The ownership graph on a small fixture built to trip every check (tests/fixtures/graph/data.yaml)."""
from __future__ import annotations

import json

import networkx as nx
import pytest
from click.testing import CliRunner

from generator import checks, graph
from generator.cli import main
from generator.pipeline import load_dataset

from conftest import FIXTURES, ROOT

DATA = FIXTURES / "graph"


@pytest.fixture(scope="module")
def result():
    return load_dataset(DATA)


def codes(result, code):
    return [f for f in result.report.findings if f.code == code]


def test_graph_nodes_and_edges(result):
    g = result.graph
    assert g.nodes["jia.minzheng"]["kind"] == "unit" and g.nodes["a1"]["kind"] == "duty"
    assert g.nodes["family"]["kind"] == "line" and g.nodes["doc-a"]["kind"] == "document"
    assert g.has_edge("jia.minzheng", "a1", key="leads")
    assert g.has_edge("jia.fulian", "a3", key="supports")
    assert g.has_edge("a2", "a1", key="depends_on")
    assert g.has_edge("a2", "family", key="in_line") and g.has_edge("a2", "doc-a", key="cites")


def test_no_lead_only_assigned(result):
    assert graph.assigned_only(result.dataset) == ["a6"]
    (finding,) = codes(result, "I701")
    assert finding.path == "duties[5].lead" and finding.line == 171


def test_foreign_owner(result):
    assert graph.foreign_owners(result.dataset) == ["a5"]
    (finding,) = codes(result, "W702")
    assert "甲县" in finding.message and finding.path == "duties[4].lead"


def test_deadline_inversion_along_depends_on(result):
    inv = checks.inversions(result.dataset, result.graph)
    assert [(i.duty, i.needs) for i in inv] == [("a2", "a1")]  # a3 (09-30) after a2, a4 (12-31) after a3: fine
    assert codes(result, "W403")[0].path == "duties[1].depends_on"


def test_overload(result):
    ranking = graph.overload(result.dataset, result.graph)
    top = ranking[0]
    assert (top.unit, top.lead, top.flagged) == ("jia.jiaoyu", 7, True)
    assert top.per_line == {"family": 2, "school": 5}
    assert not any(o.flagged for o in ranking[1:])
    assert [f.path for f in codes(result, "I703")] == ["units[1].id"]


def test_line_gaps(result):
    gaps = {(x.document, x.line, x.problem) for x in graph.line_gaps(result.dataset)}
    assert ("doc-a", "judicial", "no-lead") in gaps  # its only duty has an assigned lead
    assert {line for doc, line, p in gaps if doc == "doc-a" and p == "no-duty"} == {"society", "network", "government"}
    assert {line for doc, line, p in gaps if doc == "doc-b"} == {"school", "society", "network", "government",
                                                                  "judicial"}
    assert len(codes(result, "I705")) == 1 and len(codes(result, "I704")) == 8


def test_unreferenced_unit(result):
    assert graph.unreferenced_units(result.graph) == ["jia.idle"]
    assert [f.path for f in codes(result, "W601")] == ["units[5].id"]


@pytest.mark.parametrize("query,expected", [
    ("jia.jiaoyu", ["jia.jiaoyu"]),         # an id
    ("甲县教育局", ["jia.jiaoyu"]),          # the full name
    ("县教育局", ["jia.jiaoyu"]),            # the short name
    ("教育局", ["jia.jiaoyu"]),              # without the 县 prefix
    ("民政局", ["jia.minzheng"]),            # an alias wins over prefix-less matches
    ("县民政局", ["jia.minzheng", "yi.minzheng"]),  # the same short name in two counties: ambiguous
    ("财政局", []),
])
def test_resolve_unit(result, query, expected):
    assert [u.id for u in graph.resolve_unit(result.dataset, query)] == expected


def test_who(result):
    answer = graph.who(result.graph, "jia.minzheng")
    assert answer.lead == ["a1", "a7"] and answer.support == ["a8"]
    assert answer.partners == [graph.Partner("jia.jiaoyu", shared=2, leads=2, supports=0)]


def test_impact_reaches_two_levels_downstream(result):
    answer = graph.impact(result.graph, "jia.minzheng")
    assert answer.orphaned == ["a1"]  # it was a1's only lead
    assert answer.lead_lost == ["a7"]  # jia.jiaoyu still leads a7
    assert answer.support_lost == ["a8"]
    assert answer.downstream == {"a2": 1, "a3": 2, "a4": 3}


def test_cli_who_resolves_alias_and_reports_ambiguity():
    runner = CliRunner()
    out = runner.invoke(main, ["who", "民政局", "--data", str(DATA), "--format", "json"])
    assert out.exit_code == 0
    data = json.loads(out.output)
    assert data["unit"]["id"] == "jia.minzheng" and [d["id"] for d in data["lead"]] == ["a1", "a7"]
    ambiguous = runner.invoke(main, ["who", "县民政局", "--data", str(DATA)])
    assert ambiguous.exit_code == 2 and "jia.minzheng" in ambiguous.output and "yi.minzheng" in ambiguous.output
    missing = runner.invoke(main, ["who", "财政局", "--data", str(DATA)])
    assert missing.exit_code == 2 and "找不到单位" in missing.output
    typo = runner.invoke(main, ["who", "jia.minzhen", "--data", str(DATA)])
    assert typo.exit_code == 2 and "你是不是想写：jia.minzheng（" in typo.output and "yi.minzheng" not in typo.output


def test_a_mistyped_unit_name_gets_the_same_guess_as_in_the_workbook():
    """区民正局: the workbook import guessed 区民政局, `who` offered nothing."""
    out = CliRunner().invoke(main, ["who", "区民正局", "--data", str(ROOT / "responsibilities")])
    assert out.exit_code == 2 and "你是不是想写：wansheng.minzheng（万盛经开区民政局）？" in out.output
    assert "tongzi.minzheng" not in out.output  # the nearest name, not every name somewhat like it


def test_cli_who_text_names_co_leads():
    out = CliRunner().invoke(main, ["who", "jia.minzheng", "--data", str(DATA)])
    line = next(x for x in out.output.splitlines() if "，a7）" in x)
    assert line.endswith("· 共同牵头：县教育局") and "待确认" not in line
    out = CliRunner().invoke(main, ["who", "jia.jiaoyu", "--data", str(DATA)])
    line = next(x for x in out.output.splitlines() if "，a7）" in x)
    assert line.endswith("· 共同牵头：县民政局")


def test_cli_impact_text():
    out = CliRunner().invoke(main, ["impact", "jia.minzheng", "--data", str(DATA)])
    assert out.exit_code == 0
    assert "失去唯一牵头单位的职责（须重新指定牵头单位）：1 项" in out.output
    assert "经依赖关系受影响的后续职责：3 项" in out.output and "相隔 3 层" in out.output


def test_cli_check_json():
    out = CliRunner().invoke(main, ["check", "--data", str(DATA), "--format", "json"])
    data = json.loads(out.output)
    assert out.exit_code == 0
    assert {f["code"] for f in data["findings"]} == {"W403", "W601", "I701", "W702", "I703", "I704", "I705"}
    assert data["overload"][0]["unit"] == "jia.jiaoyu" and data["assigned_only"] == ["a6"]


@pytest.mark.parametrize("fmt", ["json", "graphml", "dot"])
def test_cli_graph_export(fmt, tmp_path):
    target = tmp_path / f"g.{fmt}"
    out = CliRunner().invoke(main, ["graph", "--data", str(DATA), "--format", fmt, "--out", str(target)])
    assert out.exit_code == 0
    text = target.read_text(encoding="utf-8")
    if fmt == "json":
        back = nx.node_link_graph(json.loads(text), edges="edges", multigraph=True, directed=True)
        assert back.number_of_nodes() == load_dataset(DATA).graph.number_of_nodes()
    elif fmt == "graphml":
        assert nx.read_graphml(target).has_edge("jia.minzheng", "a1")
    else:
        assert '"jia.minzheng" -> "a1" [rel="leads"];' in text


def test_impact_on_bundled_unit_lists_exactly_what_it_leads():
    bundled = load_dataset(ROOT / "responsibilities")
    for uid in ("wansheng.jiaoyu", "tongzi.minzheng", "zhangdu.moral-education"):
        answer = graph.impact(bundled.graph, uid)
        led = sorted(d.id for d in bundled.dataset.duties.values() if uid in d.lead)
        assert sorted(answer.orphaned + answer.lead_lost) == led
        assert answer.support_lost == sorted(d.id for d in bundled.dataset.duties.values() if uid in d.support)


def test_an_ambiguous_name_lists_every_unit_it_may_mean():
    """Two units have 民政局 as a name and a third only as 县民政局: all three are offered to choose from."""
    from generator.graph import resolve_unit
    from generator.pipeline import load_dataset

    data = load_dataset(ROOT / "responsibilities").dataset
    assert [u.id for u in resolve_unit(data, "民政局")] == ["model.minzheng", "tongzi.minzheng", "wansheng.minzheng"]
    assert [u.id for u in resolve_unit(data, "区民政局")] == ["wansheng.minzheng"]


def test_who_and_impact_of_a_parent_unit_agree_with_its_page():
    """章渡学校 has no duty of its own; its page rolls up its offices' (duties_by_unit), and so must who/impact."""
    bundled = load_dataset(ROOT / "responsibilities")
    pages = graph.duties_by_unit(bundled.dataset)
    for uid in bundled.dataset.units:  # every unit, parents and sub-units alike
        answer = graph.who(bundled.graph, uid)
        lead, support = pages[uid]
        assert (answer.lead, answer.support) == (sorted(d.id for d in lead), sorted(d.id for d in support)), uid
    school = graph.who(bundled.graph, "zhangdu.school")
    assert len(school.lead) == 10 and school.held_by["zhangdu-school-2021.02"] == ["zhangdu.moral-education"]
    gone = graph.impact(bundled.graph, "zhangdu.school")
    assert gone.orphaned == school.lead  # every lead is one of the school's offices, which go with it


def test_cli_who_of_a_parent_unit_names_the_sub_unit_on_each_duty():
    data = ROOT / "responsibilities"
    out = CliRunner().invoke(main, ["who", "章渡学校", "--data", str(data)])
    assert out.exit_code == 0 and "本单位和 11 个下级单位共牵头 10 项：" in out.output
    line = next(x for x in out.output.splitlines() if "zhangdu-school-2021.01）" in x)
    assert line.endswith("· 下级单位：校长室、信息中心")
    answer = json.loads(CliRunner().invoke(main, ["who", "章渡学校", "--data", str(data), "--format", "json"]).output)
    assert len(answer["lead"]) == 10 and answer["sub_units"][0] == "zhangdu.leading-group"
    assert answer["lead"][1]["held_by"] == ["zhangdu.moral-education"]
    gone = CliRunner().invoke(main, ["impact", "章渡学校", "--data", str(data)])
    assert "失去唯一牵头单位的职责（须重新指定牵头单位）：10 项" in gone.output
