"""Semantic diff between git revisions, on real temporary repositories."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from generator import diff as diffs
from generator.cli import main

from conftest import FIXTURES, ROOT, commit, edit, git

def changes(repo: Path, *revs: str) -> list[dict]:
    comparison = diffs.compare_revisions(repo, "responsibilities", *revs)
    return [c.as_dict() for c in comparison.changes]


def kinds(repo: Path, *revs: str) -> list[tuple[str, str]]:
    return [(c["kind"], c["id"]) for c in changes(repo, *revs)]


def test_no_change(repo):
    assert changes(repo) == []


def test_lead_replaced_added_removed_and_basis(repo):
    edit(repo, "    lead: [demo.minzheng]\n    lead_basis: stated", "    lead: [demo.fulian]\n    lead_basis: named")
    edit(repo, "    lead: [demo.fulian]\n    lead_basis: named\n    support",
         "    lead: [demo.fulian, demo.minzheng]\n    lead_basis: named\n    support")
    edit(repo, "    lead: [demo.village]", "    lead: [demo.village]\n    support: [demo.fulian]")
    got = changes(repo)
    assert got == [
        {"kind": "lead-replaced", "record": "duty", "id": "demo-2024.01", "before": ["demo.minzheng"],
         "after": ["demo.fulian"], "units": ["demo.fulian", "demo.minzheng"], "detail": ""},
        {"kind": "lead-basis-changed", "record": "duty", "id": "demo-2024.01", "before": "stated", "after": "named",
         "units": ["demo.fulian"], "detail": ""},
        {"kind": "lead-added", "record": "duty", "id": "demo-2024.02", "before": None, "after": ["demo.minzheng"],
         "units": ["demo.minzheng"], "detail": ""},
        {"kind": "support-added", "record": "duty", "id": "demo-2024.03", "before": None, "after": ["demo.fulian"],
         "units": ["demo.fulian"], "detail": ""},
    ]


def test_lead_and_support_removed(repo):
    edit(repo, "    lead: [demo.fulian]\n    lead_basis: named\n    support: [demo.village]\n",
         "    lead: [demo.village]\n    lead_basis: named\n")
    # the village moved from support to lead: one change, not also a supporter lost
    (moved,) = changes(repo)
    assert (moved["kind"], moved["id"], moved["detail"]) == ("lead-replaced", "demo-2024.02", "村（居）民委员会原为配合单位")
    edit(repo, "    lead: [demo.village]\n    lead_basis: named\n", "    lead: [demo.fulian]\n    lead_basis: named\n")
    edit(repo, "    lead: [demo.minzheng]", "    lead: [demo.minzheng, demo.fulian]")
    commit(repo, "两个牵头")
    edit(repo, "    lead: [demo.minzheng, demo.fulian]", "    lead: [demo.minzheng]")
    (removed,) = [c for c in changes(repo) if c["id"] == "demo-2024.01"]
    assert removed["kind"] == "lead-removed" and removed["before"] == ["demo.fulian"] and removed["after"] is None
    assert removed["units"] == ["demo.fulian", "demo.minzheng"]  # and the lead left holding the duty alone


def test_deadlines_earlier_later_kind_removed(repo):
    edit(repo, "        date: 2024-06-30", "        date: 2024-05-31")  # 01: 30 days earlier
    edit(repo, "        date: 2024-12-31", "        date: 2025-01-10")  # 02 (second deadline): 10 days later
    edit(repo, "      - kind: ongoing", "      - kind: recurring\n        every: month")  # 03: kind changed
    got = changes(repo)
    assert [(c["kind"], c["id"], c["before"], c["after"], c["detail"]) for c in got] == [
        ("deadline-earlier", "demo-2024.01", "2024-06-30", "2024-05-31", "提前 30 天"),
        ("deadline-later", "demo-2024.02", "2024-12-31", "2025-01-10", "推后 10 天"),
        ("deadline-kind-changed", "demo-2024.03", "长期开展", "每月一次", "长期 → 周期性"),
    ]
    commit(repo, "时限调整")
    edit(repo, "      - kind: date\n        date: 2025-01-10\n", "")
    assert [(c["kind"], c["before"]) for c in changes(repo)] == [("deadline-removed", "2025年1月10日前")]


def test_a_deadline_marked_inferred_is_a_note_change_not_a_deadline_change(repo):
    """Gaining the 编者推定 note read as 时限改变 to a member unit, and tripped --fail-on deadline-*."""
    edit(repo, "        date: 2024-06-30", "        date: 2024-06-30\n        inferred: 原文没有写年份，编者按方案成文的2024年计。")
    (got,) = changes(repo)
    assert (got["kind"], got["id"], got["detail"]) == ("note-changed", "demo-2024.01", "日期没有变；标明是编者推定")
    assert got["after"] == "2024年6月30日前（编者推定）"
    data = str(repo / "responsibilities")
    out = CliRunner().invoke(main, ["diff", "--data", data])
    assert "时限说明改动" in out.output and "时限改变" not in out.output
    assert CliRunner().invoke(main, ["diff", "--data", data, "--fail-on", "deadline-*"]).exit_code == 0
    assert CliRunner().invoke(main, ["diff", "--data", data, "--fail-on", "note-changed"]).exit_code == 1
    edit(repo, "        date: 2024-06-30\n", "        date: 2024-07-31\n")  # now the date moves too: a real change
    assert [c["kind"] for c in changes(repo)] == ["deadline-later"]
    assert CliRunner().invoke(main, ["diff", "--data", data, "--fail-on", "deadline-*"]).exit_code == 1


def test_a_deadline_that_changes_kind_and_comes_earlier_is_earlier(repo):
    """到2024年8月 → 2024年6月30日 is two months earlier; --fail-on deadline-earlier must stop it."""
    edit(repo, "      - kind: date\n        date: 2024-06-30\n        text: 6月底前",
         "      - kind: month\n        month: 2024-08\n        text: 8月底前")
    commit(repo, "先放宽到8月")
    edit(repo, "      - kind: month\n        month: 2024-08\n        text: 8月底前",
         "      - kind: date\n        date: 2024-06-30\n        text: 6月底前")
    (change,) = changes(repo)
    assert (change["kind"], change["before"], change["after"]) == ("deadline-earlier", "2024-08-31", "2024-06-30")
    assert change["detail"] == "提前 62 天（月份 → 日期）"


def test_line_document_clause_and_text(repo):
    edit(repo, "    clause: 一(二)3\n    line: family", "    clause: 一(二)4\n    line: leadership")
    edit(repo, "    summary: 儿童主任定期走访。", "    summary: 儿童主任每月走访一次。")
    edit(repo, "    actions: [每月走访]", "    actions: [每月走访, 建立走访台账]")
    edit(repo, "    title: 走访留守儿童", "    title: 走访困境儿童")
    got = {c["kind"]: c for c in changes(repo)}
    assert set(got) == {"line-changed", "clause-changed", "summary-changed", "actions-changed", "title-changed"}
    assert (got["line-changed"]["before"], got["line-changed"]["after"]) == ("family", "leadership")
    assert (got["clause-changed"]["before"], got["clause-changed"]["after"]) == ("一(二)3", "一(二)4")
    assert got["summary-changed"]["diff"] == [["=", "儿童主任"], ["-", "定期"], ["+", "每月"], ["=", "走访"],
                                              ["+", "一次"], ["=", "。"]]
    assert got["title-changed"]["diff"] == [["=", "走访"], ["-", "留守"], ["+", "困境"], ["=", "儿童"]]
    assert got["actions-changed"]["after"] == ["每月走访", "建立走访台账"]


def test_document_change_on_duty(repo):
    (repo / "responsibilities" / "doc2.yaml").write_text(
        "# yaml-language-server: $schema=x\ndocuments:\n  - id: demo-2025\n    title: 示范县补充方案\n"
        "    issuer: 示范县未保委\n    issued: 2025-01-01\n    jurisdiction: 示范县\n    source: 测试\n", encoding="utf-8")
    edit(repo, "  - id: demo-2024.03\n    title: 走访留守儿童\n    document: demo-2024",
         "  - id: demo-2024.03\n    title: 走访留守儿童\n    document: demo-2025")
    assert kinds(repo) == [("document-added", "demo-2025"), ("document-changed", "demo-2024.03")]


def test_duty_added_and_removed(repo):
    text = (repo / "responsibilities" / "base.yaml").read_text(encoding="utf-8")
    start = text.index("  - id: demo-2024.03")
    (repo / "responsibilities" / "base.yaml").write_text(text[:start], encoding="utf-8")
    assert kinds(repo) == [("duty-removed", "demo-2024.03")]
    commit(repo, "删去走访")
    extra = text[start:].replace("demo-2024.03", "demo-2024.04")
    (repo / "responsibilities" / "base.yaml").write_text(text[:start] + extra, encoding="utf-8")
    got = changes(repo)
    assert [(c["kind"], c["id"], c["after"]) for c in got] == [("duty-added", "demo-2024.04", "走访留守儿童")]


def test_moved_between_files_is_not_remove_and_add(repo):
    base = repo / "responsibilities" / "base.yaml"
    text = base.read_text(encoding="utf-8")
    start = text.index("  - id: demo-2024.03")
    base.write_text(text[:start], encoding="utf-8")
    (repo / "responsibilities" / "family.yaml").write_text(
        "# yaml-language-server: $schema=x\nduties:\n" + text[start:], encoding="utf-8")
    assert changes(repo) == [{"kind": "duty-moved", "record": "duty", "id": "demo-2024.03",
                              "before": "responsibilities/base.yaml", "after": "responsibilities/family.yaml",
                              "units": ["demo.village"], "detail": ""}]


def test_units_renamed_reparented_removed(repo):
    edit(repo, "    name: 示范县民政局", "    name: 示范县民政和社会事务局")
    edit(repo, "    parent: demo.minzheng\n", "    parent: demo.fulian\n")
    got = changes(repo)
    assert [(c["kind"], c["id"], c["before"], c["after"]) for c in got] == [
        ("unit-renamed", "demo.minzheng", "示范县民政局", "示范县民政和社会事务局"),
        ("unit-reparented", "demo.village", "demo.minzheng", "demo.fulian"),
    ]
    commit(repo, "改名")
    # abolish 县民政局: its only-led duty 01 goes to 县妇联, the village's parent moves away first
    edit(repo, "  - id: demo.minzheng\n    name: 示范县民政和社会事务局\n    short_name: 县民政局\n    aliases: [民政局]\n"
               "    kind: government\n    level: county\n    jurisdiction: 示范县\n", "")
    edit(repo, "    lead: [demo.minzheng]", "    lead: [demo.fulian]")
    got = {c["kind"]: c for c in changes(repo)}
    assert got["unit-removed"]["id"] == "demo.minzheng"
    assert got["unit-removed"]["detail"] == "原来由它单独牵头的职责：demo-2024.01（现由 demo.fulian 牵头）"
    assert got["lead-replaced"]["before"] == ["demo.minzheng"]


def test_side_that_fails_validation_is_reported(repo):
    edit(repo, "    lead: [demo.minzheng]", "    lead: [demo.minzhen]")
    comparison = diffs.compare_revisions(repo, "responsibilities")
    assert not comparison.ok
    (change,) = comparison.changes
    assert change.kind == "data-invalid" and change.id == "工作区"
    assert change.after[0]["code"] == "E302" and change.after[0]["file"] == "responsibilities/base.yaml"
    result = CliRunner().invoke(main, ["diff", "--data", str(repo / "responsibilities")])
    assert result.exit_code == 1 and "E302" in result.output and "Traceback" not in result.output


def test_revision_forms(repo):
    edit(repo, "        date: 2024-06-30", "        date: 2024-05-31")
    commit(repo, "提前")
    git(repo, "tag", "v2")
    git(repo, "checkout", "-qb", "feature")
    edit(repo, "    title: 走访留守儿童", "    title: 走访困境儿童")
    commit(repo, "改名称")
    assert kinds(repo, "HEAD~2", "HEAD") == [("deadline-earlier", "demo-2024.01"), ("title-changed", "demo-2024.03")]
    assert kinds(repo, "v2") == [("title-changed", "demo-2024.03")]  # one rev: against the working tree
    assert kinds(repo, "main...feature") == [("title-changed", "demo-2024.03")]
    assert kinds(repo, "HEAD~2..v2") == [("deadline-earlier", "demo-2024.01")]


def test_cli_formats_and_fail_on(repo):
    edit(repo, "        date: 2024-06-30", "        date: 2024-05-31")
    edit(repo, "    lead: [demo.minzheng]", "    lead: [demo.fulian]")
    data = str(repo / "responsibilities")
    runner = CliRunner()
    text = runner.invoke(main, ["diff", "--data", data])
    assert text.exit_code == 0 and "时限提前" in text.output and "县民政局 → 县妇联" in text.output
    md = runner.invoke(main, ["diff", "--data", data, "--format", "markdown"]).output
    assert "#### 县妇联（`demo.fulian`）" in md and "#### 县民政局（`demo.minzheng`）" in md
    assert "| 时限提前 | 1 |" in md
    out = runner.invoke(main, ["diff", "--data", data, "--format", "json", "--fail-on", "deadline-earlier"])
    assert out.exit_code == 1 and {c["kind"] for c in json.loads(out.stdout)} == {"lead-replaced", "deadline-earlier"}
    assert runner.invoke(main, ["diff", "--data", data, "--fail-on", "duty-removed"]).exit_code == 0
    bad = runner.invoke(main, ["diff", "--data", data, "--fail-on", "lead-gone"])
    assert bad.exit_code == 2 and "lead-gone" in bad.output
    typo = runner.invoke(main, ["diff", "--data", data, "--fail-on", "lead-replacd"])
    assert typo.exit_code == 2 and "你是不是想写 lead-replaced？" in typo.output


def test_no_git_repository(tmp_path):
    shutil.copytree(FIXTURES / "minimal", tmp_path / "responsibilities")
    result = CliRunner().invoke(main, ["diff", "--data", str(tmp_path / "responsibilities")])
    assert result.exit_code == 2 and "无法读取 git 版本" in result.output and "Traceback" not in result.output
    assert "不在 git 仓库中" in result.output and "fatal" not in result.output


def test_unknown_revision(repo):
    result = CliRunner().invoke(main, ["diff", "nope", "--data", str(repo / "responsibilities")])
    assert result.exit_code == 2 and "找不到版本 nope" in result.output
    for spelling in ("HEAD...nope", "nope...HEAD", "HEAD..nope"):  # git's own "fatal: …" never reaches the user
        result = CliRunner().invoke(main, ["diff", spelling, "--data", str(repo / "responsibilities")])
        assert result.exit_code == 2 and "找不到版本 nope" in result.output and "fatal" not in result.output


def test_what_trainers_teach_from_is_compared_too(tmp_path):
    """Referrals, risk levels, reporting chains, roles and glossary terms change policy as much as duties do: a
    reviewer must see them, and the units a referral or chain involves get them in their section."""
    root = tmp_path / "office"
    shutil.copytree(ROOT / "responsibilities", root / "responsibilities")
    git(root, "init", "-q", "-b", "main")
    commit(root, "初始清单")
    edit(root, "    to: [model.gongan]", "    to: [model.minzheng]", "model-county/referrals.yaml")
    edit(root, "      every: week", "      every: month", "tongzi/risk-levels.yaml")
    edit(root, "      - role: child-supervisor\n", "      - role: grid-worker\n", "model-county/reporting-chains.yaml")
    edit(root, "每个村（社区）至少一名。", "每两个村（社区）至少一名。", "roles.yaml")
    got = {c["kind"]: c for c in changes(root)}
    assert set(got) == {"referral-changed", "risk-level-changed", "chain-changed", "role-changed"}
    referral = got["referral-changed"]
    assert (referral["before"], referral["after"]) == ({"to": ["model.gongan"]}, {"to": ["model.minzheng"]})
    assert set(referral["units"]) >= {"model.gongan", "model.minzheng"}
    assert got["risk-level-changed"]["after"]["visits"].endswith("每月一次")
    assert got["chain-changed"]["before"]["steps"][1]["role"] == "child-supervisor"
    result = CliRunner().invoke(main, ["diff", "--data", str(root / "responsibilities")])
    assert "报告路线改动" in result.output and "儿童主任 → 网格员 → " in result.output
    assert "岗位说明改动 · 儿童主任（child-director）：说明：…现和报告困境儿童情况，每{+两+}个村（社区）至少一名。" \
        in result.output
    assert "转介给：县公安局 → 转介给：县民政局" in result.output
    commit(root, "路线调整")
    edit(root, "分类统计后交乡镇工作站。", "每月分类统计后交乡镇工作站。", "model-county/reporting-chains.yaml")
    (step,) = changes(root)  # the same people, one step's text edited: the edit is shown
    assert step["kind"] == "chain-changed" and ["+", "每月"] in step["diff"]
    result = CliRunner().invoke(main, ["diff", "--data", str(root / "responsibilities"), "HEAD~1", "--format", "json",
                                       "--fail-on", "referral-changed,duty-removed"])
    assert result.exit_code == 1 and "出现了 --fail-on 指定的变更：转介路线改动（referral-changed）1 项。" in result.stderr
    assert len(json.loads(result.stdout)) == 4, result.stdout  # the reason goes to stderr: JSON stays JSON


def test_an_added_duty_says_who_leads_who_supports_and_when(repo):
    path = repo / "responsibilities" / "base.yaml"
    text = path.read_text(encoding="utf-8")
    block = text[text.index("  - id: demo-2024.02"):text.index("  - id: demo-2024.03")]
    path.write_text(text + block.replace("demo-2024.02", "demo-2024.09").replace("家庭教育指导", "家长课堂"),
                    encoding="utf-8")
    (added,) = changes(repo)
    assert added["kind"] == "duty-added"
    assert added["detail"] == "牵头：县妇联；配合：村（居）民委员会；时限：每年一次；2024年12月31日前"
    out = CliRunner().invoke(main, ["diff", "--data", str(repo / "responsibilities")]).output
    assert "新增职责 · 家长课堂（demo-2024.09）：牵头：县妇联；配合：" in out


def test_each_change_is_one_line_of_terminal_text(repo):
    edit(repo, "    actions: [每月走访]", "    actions: [每月走访, 建立走访台账]")
    out = CliRunner().invoke(main, ["diff", "--data", str(repo / "responsibilities")]).output
    (line,) = [x for x in out.splitlines() if x.startswith("  工作清单改动")]
    assert line.endswith("每月走访{+⏎建立走访台账+}")
