"""The clerks' workbook: `qingdan export --format xlsx` and `qingdan import` of the saved workbook, through the CLI.

Workbooks are edited with openpyxl as a clerk would edit them in Excel (cells found by their headers), saved, and
imported into a copy of the bundled data; what the import did is read back with `qingdan diff` in a real git repo.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from conftest import ROOT, commit, git
from generator.cli import main
from generator.sheets import ID_HEADER
from generator.workbooklayout import SPARE_ROWS

DATA = ROOT / "responsibilities"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def office(tmp_path: Path, monkeypatch) -> Path:
    """A copy of the bundled data in a git repository, as an office keeps it; the current directory."""
    shutil.copytree(DATA, tmp_path / "responsibilities")
    git(tmp_path, "init", "-q", "-b", "main")
    commit(tmp_path, "初始清单")
    monkeypatch.chdir(tmp_path)
    return tmp_path


_EXPORTED: dict[tuple, bytes] = {}


def export(*extra: str, out: str = "清单.xlsx", fresh: bool = False) -> Path:
    """`qingdan export` of the office's data. The bundled data's workbook is the same every time (a test checks
    it), so unless `fresh`, a workbook exported by an earlier test of the same data is copied."""
    key = tuple(a for a in extra if a != "--force")
    unchanged = git(Path.cwd(), "status", "--porcelain", "--", "responsibilities") == ""
    if not fresh and unchanged and key in _EXPORTED and (not Path(out).exists() or "--force" in extra):
        Path(out).write_bytes(_EXPORTED[key])
        return Path(out)
    status, output = run("export", "--format", "xlsx", "--data", "responsibilities", "--out", out, *extra)
    assert status == 0, output
    if unchanged:
        _EXPORTED[key] = Path(out).read_bytes()
    return Path(out)


def import_(book: Path, *extra: str) -> tuple[int, str]:
    return run("import", str(book), "--data", "responsibilities", *extra)


class Sheet:
    """One worksheet of a saved workbook, addressed by header and by hidden id, as a clerk sees it."""

    def __init__(self, book: openpyxl.Workbook, name: str) -> None:
        self.ws = book[name]
        self.heads = {c.value: c.column for c in self.ws[1] if c.value}
        self.id = self.heads.get(ID_HEADER, 1)

    def row_of(self, key: str) -> int:
        return next(r for r in range(2, self.ws.max_row + 1) if self.ws.cell(r, self.id).value == key)

    def get(self, key: str, header: str):
        return self.ws.cell(self.row_of(key), self.heads[header]).value

    def set(self, key: str, header: str, value) -> None:
        self.ws.cell(self.row_of(key), self.heads[header]).value = value

    def ref(self, key: str, header: str) -> str:
        """The cell as findings name it: 职责!F12."""
        return f"{self.ws.title}!{openpyxl.utils.get_column_letter(self.heads[header])}{self.row_of(key)}"

    def add(self, **cells) -> int:
        row = next(r for r in range(2, self.ws.max_row + 2)
                   if all(self.ws.cell(r, c).value is None for c in range(1, len(self.heads) + 1)))
        for header, value in cells.items():
            self.ws.cell(row, self.heads[header]).value = value
        return row


def put(cells: dict, sheet: Sheet, key: str, header: str, value) -> None:
    """Set a cell, and remember its reference (职责!F12) under (header, key) to check the findings against."""
    sheet.set(key, header, value)
    cells[header, key] = sheet.ref(key, header)


def edit(path: Path, change) -> None:
    book = openpyxl.load_workbook(path)
    change(book)
    book.save(path)


# ---------------------------------------------------------------- the round trip

def test_export_then_import_without_edits_leaves_every_byte(office: Path) -> None:
    before = snapshot(office / "responsibilities")
    book = export(fresh=True)
    status, output = import_(book)
    assert status == 0, output
    assert "没有需要导入的修改" in output
    assert snapshot(office / "responsibilities") == before
    # saved again by a spreadsheet library (dates become date cells, numbers numbers): still nothing changes
    edit(book, lambda b: None)
    assert import_(book)[0] == 0
    assert snapshot(office / "responsibilities") == before


def test_edited_cells_change_only_their_records(office: Path) -> None:
    book = export()

    def clerk(b: openpyxl.Workbook) -> None:
        duties = Sheet(b, "职责")
        duties.set("wansheng-2021-3.10", "牵头单位", "区公安分局、区民政局")  # 区人民检察院 → 区民政局
        summary = duties.get("tongzi-2021.early-warning", "概述")
        duties.set("tongzi-2021.early-warning", "概述", summary.replace("。", "，每季度通报一次。", 1))
        duties.add(文件="万盛实施意见", 条款="二(四)28", 名称="开展网络素养进校园活动", 条线="网络保护",
                   牵头单位="区委网信办", 牵头依据="编者指定（待确认）", 配合单位="区教育局",
                   牵头说明="试点项目，编者指定，须由区未保办确认。", 概述="每学期在中小学开展一次网络素养教育。",
                   具体工作="制定进校园活动安排\n每学期组织一次网络素养讲座")
        deadlines = Sheet(b, "时限")
        deadlines.set("zhangdu-school-2021.04#0", "日期", "2021-10-29")
        deadlines.add(职责="开展网络素养进校园活动", 类型="周期性", 周期="每学期", 原文说法="每学期一次")

    edit(book, clerk)
    status, output = import_(book)
    assert status == 0, output
    assert "wansheng-2021-3.28" in output  # the new duty's id, numbered after the document's last one
    diff = git(office, "diff", "--stat")
    assert sorted(line.split("|")[0].strip() for line in diff.splitlines()[:-1]) == [
        "responsibilities/tongzi/duties-monitoring.yaml", "responsibilities/wansheng/duties-network.yaml",
        "responsibilities/wansheng/duties-society.yaml", "responsibilities/zhangdu-school/duties.yaml"]
    status, text = run("diff", "--data", "responsibilities", "--format", "json")
    assert status == 0, text
    changes = {(c["kind"], c["id"]) for c in json.loads(text)}
    assert changes == {
        ("lead-replaced", "wansheng-2021-3.10"), ("summary-changed", "tongzi-2021.early-warning"),
        ("deadline-earlier", "zhangdu-school-2021.04"), ("duty-added", "wansheng-2021-3.28")}
    added = next(c for c in json.loads(text) if c["kind"] == "duty-added")
    assert "牵头：区委网信办；配合：区教育局；时限：每学期一次" in added["detail"]
    # every line the import touched is one of those changes: the rest of each file is as it was
    patch = git(office, "diff", "-U0", "--", "responsibilities/zhangdu-school/duties.yaml")
    assert [l for l in patch.splitlines() if l[:1] in "+-" and l[:3] not in ("+++", "---")] == [
        '-        date: "2021-11-05"', '+        date: "2021-10-29"']
    assert run("validate", "--data", "responsibilities")[0] == 0


def test_a_deleted_row_removes_its_record_and_its_deadlines(office: Path) -> None:
    book = export()

    def clerk(b: openpyxl.Workbook) -> None:
        duties = Sheet(b, "职责")
        duties.ws.delete_rows(duties.row_of("zhangdu-school-2021.04"))

    edit(book, clerk)
    status, output = import_(book)
    assert status == 0, output
    assert "删除职责 zhangdu-school-2021.04（建立留守儿童信息台账）" in output
    status, text = run("diff", "--data", "responsibilities", "--format", "json")
    assert {(c["kind"], c["id"]) for c in json.loads(text)} == {("duty-removed", "zhangdu-school-2021.04")}
    assert "zhangdu-school-2021.04" not in (office / "responsibilities/zhangdu-school/duties.yaml").read_text("utf-8")
    assert run("validate", "--data", "responsibilities")[0] == 0


def test_dry_run_reports_and_writes_nothing(office: Path) -> None:
    book = export()
    edit(book, lambda b: Sheet(b, "单位").set("wansheng.minzheng", "简称", "区民政"))
    before = snapshot(office / "responsibilities")
    status, output = import_(book, "--dry-run", "--format", "json")
    assert status == 0, output
    report = json.loads(output)
    assert report["dry_run"] and report["ok"] and report["written"] == []
    assert [(c["action"], c["id"], c["fields"]) for c in report["changes"]] == [
        ("changed", "wansheng.minzheng", ["简称"])]
    assert snapshot(office / "responsibilities") == before


# ---------------------------------------------------------------- someone edited the YAML meanwhile

def test_an_edit_to_a_record_changed_in_the_yaml_since_the_export_is_a_conflict(office: Path) -> None:
    book = export()
    path = office / "responsibilities/wansheng/duties-society.yaml"
    path.write_text(path.read_text("utf-8").replace("应报未报的依法追责。", "应报未报的依法依规追责。"), "utf-8")
    edited = snapshot(office / "responsibilities")

    def clerk(b: openpyxl.Workbook) -> None:
        duties = Sheet(b, "职责")
        duties.set("wansheng-2021-3.10", "牵头单位", "区民政局")  # the record edited in the YAML
        duties.set("wansheng-2021-3.11", "牵头依据", "原文点名")  # another one: fine on its own

    edit(book, clerk)
    status, output = import_(book)
    assert status == 1
    row = Sheet(openpyxl.load_workbook(book), "职责").row_of("wansheng-2021-3.10")
    # at the cell the clerk edited (牵头单位, F), not the row's first (文件, B), nor the summary changed in the YAML
    assert f"错误 E823 「职责!F{row}」导出之后，数据文件中的职责“严格执行强制报告制度”（wansheng-2021-3.10）已被修改" in output
    assert "responsibilities/wansheng/duties-society.yaml 第 4 行" in output
    assert snapshot(office / "responsibilities") == edited  # nothing written, the other edit included

    # the clerk re-exports and redoes only the other edit: the meanwhile edit is kept
    book = export("--force")
    edit(book, lambda b: Sheet(b, "职责").set("wansheng-2021-3.11", "牵头依据", "原文点名"))
    assert import_(book)[0] == 0
    assert "应报未报的依法依规追责。" in path.read_text("utf-8")


def test_a_conflict_points_at_the_clerks_cell_even_after_an_earlier_cell_changed_in_the_yaml(office: Path) -> None:
    book = export()
    path = office / "responsibilities/wansheng/duties-society.yaml"
    path.write_text(path.read_text("utf-8").replace("title: 严格执行强制报告制度", "title: 落实强制报告制度"), "utf-8")
    cell = []

    def clerk(b: openpyxl.Workbook) -> None:
        duties = Sheet(b, "职责")
        duties.set("wansheng-2021-3.10", "配合单位", "区民政局")  # 配合单位 (H) comes after 名称 (D)
        cell.append(duties.ref("wansheng-2021-3.10", "配合单位"))

    edit(book, clerk)
    status, output = import_(book)
    assert status == 1 and findings(output) == [("E823", cell[0])], output


def test_an_unchanged_row_keeps_what_the_yaml_says_now(office: Path) -> None:
    book = export()
    path = office / "responsibilities/wansheng/duties-society.yaml"
    path.write_text(path.read_text("utf-8").replace("应报未报的依法追责。", "应报未报的依法依规追责。"), "utf-8")
    edit(book, lambda b: Sheet(b, "职责").set("wansheng-2021-3.11", "牵头依据", "原文点名"))
    status, output = import_(book)
    assert status == 0, output
    assert "警告 W809" in output
    text = path.read_text("utf-8")
    assert "应报未报的依法依规追责。" in text and "lead_basis: named" in text


# ---------------------------------------------------------------- bad cells: located findings, nothing written

def findings(output: str) -> list[tuple[str, str]]:
    """(code, cell) of each finding in the text report."""
    import re

    return re.findall(r"(?:错误|警告) ([EW]\d{3}) 「([^」]+)」", output)


def test_each_bad_cell_is_reported_at_its_cell_and_nothing_is_written(office: Path) -> None:
    book = export()
    cells = {}

    def clerk(b: openpyxl.Workbook) -> None:
        duties, deadlines, units = Sheet(b, "职责"), Sheet(b, "时限"), Sheet(b, "单位")


        put(cells, duties, "wansheng-2021-3.10", "牵头单位", "区公安分局、区民正局")  # unknown unit
        put(cells, duties, "wansheng-2021-3.11", "名称", None)  # required, emptied
        put(cells, duties, "wansheng-2021-3.12", "牵头依据", "原文写的")  # not in the drop-down
        put(cells, duties, "wansheng-2021-3.13", "概述", "联系人身份证 11010519491231002X")  # an ID number
        put(cells, duties, "wansheng-2021-3.14", "牵头说明", "联系电话 13812345678")  # a personal mobile
        put(cells, deadlines, "zhangdu-school-2021.04#0", "日期", "2021-02-30")  # no such day
        put(cells, deadlines, "zhangdu-school-2021.04#1", "月份", "2021-11")  # a month on a date deadline
        put(cells, deadlines, "wansheng-2021-3.goals#0", "月份", "2022年6月底")  # not a month
        put(cells, units, "wansheng.gongan", "层级", "区级")  # not in the drop-down
        units.ws.cell(units.row_of("wansheng.fulian"), 1).value = "wansheng.fulian-new"  # a tampered id
        copy_from = units.row_of("wansheng.jiaoyu")  # a whole row copied below: its hidden id too
        target = units.add(名称="x")
        for c in range(1, units.ws.max_column + 1):
            units.ws.cell(target, c).value = units.ws.cell(copy_from, c).value
        cells["copied"] = f"单位!B{target}"
        cells["tampered"] = f"单位!B{units.row_of('wansheng.fulian-new')}"

    edit(book, clerk)
    before = snapshot(office / "responsibilities")
    status, output = import_(book)
    assert status == 1
    assert findings(output) == [
        ("E812", cells["牵头单位", "wansheng-2021-3.10"]),
        ("E810", cells["名称", "wansheng-2021-3.11"]),
        ("E811", cells["牵头依据", "wansheng-2021-3.12"]),
        ("E817", cells["概述", "wansheng-2021-3.13"]),
        ("E818", cells["牵头说明", "wansheng-2021-3.14"]),
        ("E815", cells["月份", "wansheng-2021-3.goals#0"]),
        ("E814", cells["日期", "zhangdu-school-2021.04#0"]),
        ("E825", cells["月份", "zhangdu-school-2021.04#1"]),
        ("E811", cells["层级", "wansheng.gongan"]),
        ("E822", cells["tampered"]),
        ("E821", cells["copied"]),
    ]
    assert "找不到单位“区民正局”。你是不是想写“区民政局”？" in output
    assert "没有 2021-02-30 这一天" in output
    assert "Traceback" not in output
    assert snapshot(office / "responsibilities") == before
    # the same findings for scripts, with the workbook, row and column of each cell
    status, text = import_(book, "--format", "json")
    report = json.loads(text)
    first = report["findings"][0]
    assert (first["code"], first["file"], first["path"]) == ("E812", "清单.xlsx", cells["牵头单位", "wansheng-2021-3.10"])
    duties = Sheet(openpyxl.load_workbook(book), "职责")
    assert (first["line"], first["column"]) == (duties.row_of("wansheng-2021-3.10"), duties.heads["牵头单位"])


def test_a_cell_that_breaks_a_rule_of_the_whole_data_is_located_at_its_cell(office: Path) -> None:
    """The result is validated with the rest of the data before anything is written."""
    book = export()
    cell = []

    def clerk(b: openpyxl.Workbook) -> None:
        duties = Sheet(b, "职责")
        duties.set("wansheng-2021-3.10", "须先完成", "严格执行强制报告制度")  # itself: a cycle
        cell.append(duties.ref("wansheng-2021-3.10", "须先完成"))

    edit(book, clerk)
    before = snapshot(office / "responsibilities")
    status, output = import_(book)
    assert status == 1
    assert findings(output) == [("E307", cell[0])]
    assert snapshot(office / "responsibilities") == before


def test_an_assigned_lead_without_a_note_is_refused_at_its_cell(office: Path) -> None:
    """The guide says lead_basis: assigned needs a lead_note; a clerk's workbook could bring one in without it."""
    book = export()
    cell = []

    def clerk(b: openpyxl.Workbook) -> None:
        duties = Sheet(b, "职责")
        assert not duties.get("wansheng-2021-3.11", "牵头说明")
        duties.set("wansheng-2021-3.11", "牵头依据", "编者指定（待确认）")
        cell.append(duties.ref("wansheng-2021-3.11", "牵头依据"))

    edit(book, clerk)
    before = snapshot(office / "responsibilities")
    status, output = import_(book)
    assert status == 1 and findings(output) == [("E201", cell[0])], output
    assert "没有写牵头说明（lead_note）" in output
    assert snapshot(office / "responsibilities") == before


# ---------------------------------------------------------------- what a clerk may do to the workbook itself

def test_columns_moved_and_a_sheet_renamed_still_import(office: Path) -> None:
    book = export()

    def clerk(b: openpyxl.Workbook) -> None:
        ws = b["职责"]
        ws.move_range(f"A1:Z{ws.max_row}", cols=2)  # everything two columns to the right …
        ws.move_range(f"J1:J{ws.max_row}", cols=-9)  # … and 概述 moved to the front
        b["单位"].title = "单位名单"
        Sheet(b, "职责").set("wansheng-2021-3.10", "概述", "改写后的概述。")

    edit(book, clerk)
    status, output = import_(book)
    assert status == 0, output
    assert "警告 W805" in output and "工作表“单位”改名为“单位名单”" in output
    status, text = run("diff", "--data", "responsibilities", "--format", "json")
    assert {(c["kind"], c["id"]) for c in json.loads(text)} == {("summary-changed", "wansheng-2021-3.10")}


def test_a_deleted_sheet_or_column_stops_the_import(office: Path) -> None:
    book = export()
    edit(book, lambda b: b.remove(b["时限"]))
    status, output = import_(book)
    assert status == 1 and "错误 E804" in output and "没有工作表“时限”" in output
    book = export("--force")

    def clerk(b: openpyxl.Workbook) -> None:
        b["职责"].delete_cols(Sheet(b, "职责").heads["牵头单位"])
        b["单位"].delete_cols(1)  # the hidden id column

    edit(book, clerk)
    status, output = import_(book)
    assert status == 1
    assert "错误 E806 「职责!第 1 行」找不到列：牵头单位" in output
    assert "错误 E808 「单位!A1」隐藏的标识列" in output


@pytest.mark.parametrize("content, code", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "E802"),  # the container a password-protected workbook is
    (b"PK\x03\x04 not really a zip", "E801"),
    ("序号,工作任务\n1,建立台账\n".encode("utf-8"), "E801"),  # a CSV saved with the wrong name
])
def test_files_that_are_not_readable_workbooks(office: Path, content: bytes, code: str) -> None:
    Path("坏.xlsx").write_bytes(content)
    status, output = import_(Path("坏.xlsx"))
    assert status == 1
    assert f"错误 {code}" in output and "Traceback" not in output


def test_a_truncated_workbook_is_reported(office: Path) -> None:
    book = export()
    data = book.read_bytes()
    book.write_bytes(data[: len(data) // 2])
    status, output = import_(book)
    assert status == 1 and "错误 E801" in output


def test_other_workbooks_are_left_to_the_table_importer(office: Path) -> None:
    from generator import workbookcli

    table = openpyxl.Workbook()
    table.active.append(["序号", "工作任务", "牵头单位"])
    table.save("责任清单.xlsx")
    assert not workbookcli.handles(Path("责任清单.xlsx"))
    assert workbookcli.handles(export())


# ---------------------------------------------------------------- the workbook as a clerk opens it

def validations(ws) -> dict[str, object]:
    """Header → the data validation on its column."""
    heads = {c.column_letter: c.value for c in ws[1]}
    return {heads[str(v.sqref).split(":")[0].rstrip("0123456789")]: v for v in ws.data_validations.dataValidation}


def test_the_workbook_has_drop_downs_hidden_ids_and_frozen_headers(office: Path) -> None:
    book = openpyxl.load_workbook(export(fresh=True))
    assert book.sheetnames == ["说明", "职责", "时限", "单位", "文件", "转介路线", "风险等级", "报告路线", "报告环节",
                               "条线", "岗位", "术语", "选项", "qingdan"]
    assert [book[n].sheet_state for n in ("选项", "qingdan")] == ["hidden", "veryHidden"]
    duties = book["职责"]
    assert duties["A1"].value == ID_HEADER and duties.column_dimensions["A"].hidden
    assert duties.freeze_panes == "E2"  # the header row, and 文件 / 条款 / 名称 stay in view
    assert duties["A2"].value == "model-county-plan.monitoring-prevention"
    checks = validations(duties)
    options = book["选项"]

    def listed(v) -> list[str]:
        column = v.formula1.split("!")[1].split(":")[0].replace("$", "").rstrip("0123456789")
        return [c.value for c in options[column][1:] if c.value is not None]

    assert listed(checks["牵头依据"]) == ["原文写明", "原文点名", "编者指定（待确认）"]
    assert checks["牵头依据"].showErrorMessage  # a value off the list is refused
    assert listed(checks["条线"])[:2] == ["家庭保护", "学校保护"]
    units = listed(checks["牵头单位"])
    assert "区民政局" in units and "某县民政局" in units and "桐梓县民政局" in units  # 县民政局 twice: full names
    assert not checks["牵头单位"].showErrorMessage and "顿号" in checks["牵头单位"].prompt  # several may be typed
    assert listed(checks["配合单位"]) == units
    deadline_checks = validations(book["时限"])
    # duties added on the 职责 sheet (its spare rows) are listed too
    assert deadline_checks["职责"].formula1 == f"'职责'!$D$2:$D${duties.max_row + SPARE_ROWS}"
    assert listed(deadline_checks["类型"]) == ["日期", "月份", "年度目标", "阶段", "周期性", "长期", "期间", "发生时", "待定"]
    assert book["时限"]["A2"].value.endswith("#0")
    # every header explains its column
    assert all(c.comment is not None for c in duties[1][1:])
    assert "（必填）" in duties["F1"].comment.text and "顿号" in duties["F1"].comment.text
    # the same data gives the same bytes
    assert export(out="again.xlsx", fresh=True).read_bytes() == Path("清单.xlsx").read_bytes()


def test_one_jurisdiction_exports_and_imports_alone(office: Path) -> None:
    book = export("--jurisdiction", "桐梓", out="桐梓.xlsx")
    opened = openpyxl.load_workbook(book)
    assert opened.sheetnames == ["说明", "职责", "时限", "单位", "文件", "风险等级", "选项", "qingdan"]
    ids = [c.value for c in opened["职责"]["A"][1:] if c.value]
    assert ids and all(i.startswith("tongzi-2021.") for i in ids)
    assert {c.value.split(".")[0] for c in opened["单位"]["A"][1:] if c.value} == {"tongzi"}
    assert opened["说明"]["A1"].value.startswith("未成年人保护工作责任清单（贵州省桐梓县）")
    duties = Sheet(opened, "职责")
    assert duties.get("tongzi-2021.early-warning", "牵头单位") == "县民政局"  # short names: unique in this workbook
    duties.set("tongzi-2021.early-warning", "牵头单位", "县公安局")
    duties.ws.delete_rows(duties.row_of("tongzi-2021.student-legal-education"))
    opened.save(book)
    status, output = import_(book)
    assert status == 0, output
    status, text = run("diff", "--data", "responsibilities", "--format", "json")
    assert {(c["kind"], c["id"]) for c in json.loads(text)} == {
        ("lead-replaced", "tongzi-2021.early-warning"), ("duty-removed", "tongzi-2021.student-legal-education")}
    assert git(office, "diff", "--stat", "--", "responsibilities/wansheng", "responsibilities/model-county",
               "responsibilities/zhangdu-school") == ""


def test_export_usage_errors(office: Path) -> None:
    assert run("export", "--out", "x.xlsx", "--jurisdiction", "县")[0] == 2  # 某县 and 桐梓县: say which
    assert run("export", "--out", "x.csv")[0] == 2
    export()
    status, output = run("export", "--out", "清单.xlsx")
    assert status == 2 and "--force" in output  # an edited workbook is never overwritten by mistake
    status, output = run("import", "清单.xlsx", "--data", "responsibilities", "--out", "x.yaml")
    assert status == 2


def test_more_bad_cells_each_located(office: Path) -> None:
    book = export()
    cells = {}

    def clerk(b: openpyxl.Workbook) -> None:
        duties, deadlines, steps = Sheet(b, "职责"), Sheet(b, "时限"), Sheet(b, "报告环节")


        put(cells, duties, "wansheng-2021-3.10", "配合单位", "县民政局")  # 某县 and 桐梓县 both have one; 万盛 has none
        put(cells, duties, "wansheng-2021-3.11", "岗位", "儿童主任、校园保安")  # no such role
        put(cells, duties, "wansheng-2021-3.12", "牵头说明", "请发到 someone@qq.com 确认")  # a personal e-mail address
        put(cells, deadlines, "zhangdu-school-2021.04#0", "职责", "不存在的职责")  # no such duty
        put(cells, steps, "model-county-plan.report-chain#0", "单位", "某县民政局")  # a step with a role and a unit
        put(cells, steps, "model-county-plan.report-chain#0", "岗位", "儿童主任")
        duties.ws.cell(1, duties.ws.max_column + 1).value = "备注"  # a column of the clerk's own

    edit(book, clerk)
    status, output = import_(book)
    assert status == 1
    got = findings(output)
    assert ("W807", "职责!第 1 行") in got  # about the header row, not a cell
    assert [f for f in got if f[0] != "W807"] == [
        ("E813", cells["配合单位", "wansheng-2021-3.10"]),
        ("E824", cells["岗位", "wansheng-2021-3.11"]),
        ("E819", cells["牵头说明", "wansheng-2021-3.12"]),
        ("E820", cells["职责", "zhangdu-school-2021.04#0"]),
        ("E826", cells["岗位", "model-county-plan.report-chain#0"]),
    ]
    assert "警告 W807" in output and "备注" in output
    assert "“县民政局”可能指几个单位：某县民政局、桐梓县民政局" in output
    assert "找不到岗位“校园保安”" in output


def test_a_broken_marker_is_reported(office: Path) -> None:
    book = export()
    edit(book, lambda b: b["qingdan"].cell(1, 1, "something else"))
    # without its marker the workbook is an ordinary table: the table importer's, not ours
    from generator import workbookcli

    assert not workbookcli.handles(book)
    book = export("--force")
    edit(book, lambda b: b["qingdan"].cell(1, 2, "二"))  # the format version
    status, output = import_(book)
    assert status == 1 and "错误 E803" in output


def test_a_file_that_cannot_be_edited_in_place_is_reported_and_left_alone(office: Path) -> None:
    path = office / "responsibilities/wansheng/duties-society.yaml"
    text = path.read_text("utf-8")
    # a YAML alias: the loader accepts it, but one value edited would change the other place too
    first, second = [line for line in text.splitlines() if line.startswith("    tags: ")][:2]
    text = text.replace(first, first.replace("tags: ", "tags: &shared "), 1).replace(second, "    tags: *shared", 1)
    path.write_text(text, "utf-8")
    book = export()
    edit(book, lambda b: Sheet(b, "职责").set("wansheng-2021-3.10", "名称", "严格落实强制报告制度"))
    before = snapshot(office / "responsibilities")
    status, output = import_(book)
    assert status == 1 and "错误 E828" in output
    assert snapshot(office / "responsibilities") == before


def test_a_write_that_fails_midway_puts_the_files_back(office: Path, monkeypatch) -> None:
    import os

    book = export()

    def clerk(b: openpyxl.Workbook) -> None:
        Sheet(b, "职责").set("wansheng-2021-3.10", "名称", "严格落实强制报告制度")
        Sheet(b, "职责").set("zhangdu-school-2021.01", "名称", "持续开展法治宣传教育")

    edit(book, clerk)
    before = snapshot(office / "responsibilities")
    replace, calls = os.replace, []

    def failing(src, dst):  # the disk fills up after the first file (root ignores permissions, so simulate it)
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return replace(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    status, output = import_(book)
    assert status == 1 and "错误 E827" in output
    monkeypatch.setattr(os, "replace", replace)
    assert snapshot(office / "responsibilities") == before


def test_every_field_of_every_record_has_a_column_and_every_enum_value_a_label() -> None:
    """A field without a column would be lost on the way back (a field added to a schema but not to the workbook);
    an enum value without a label could not be chosen."""
    from generator import sheets as S

    for sheet in S.SHEETS:
        columns = {c.field for c in sheet.columns}
        nested = {c.split(".")[0] for c in columns if "." in c}
        children = {s.child for s in S.SHEETS if s.child and s.table == sheet.table and not sheet.child}
        wanted = set(S.fields(sheet.record)) - {"id"} - children - nested
        assert wanted <= columns, (sheet.name, wanted - columns)
        for group in nested:
            assert {f"{group}.{f}" for f in S.fields("deadline")} <= columns
        for column in sheet.columns:
            if column.kind in ("enum", "enums"):
                schema = S.record_schema("deadline" if "." in column.field else sheet.record)["properties"]
                spec = schema[column.field.split(".")[-1]]
                values = spec.get("enum") or spec.get("items", {}).get("enum") or \
                    S.record_schema("unit")["properties"]["kind"]["enum"]
                assert set(values) == set(S.ENUMS[column.target]), column.header


def test_a_workbook_saved_in_another_format_is_asked_for_as_xlsx(office: Path) -> None:
    Path("清单.et").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))  # WPS's own format
    status, output = import_(Path("清单.et"))
    assert status == 2 and "另存为”Excel 工作簿（.xlsx）" in output


def test_nested_rows_move_between_parents_and_steps_keep_the_sheet_order(office: Path) -> None:
    book = export()

    def clerk(b: openpyxl.Workbook) -> None:
        deadlines = Sheet(b, "时限")
        deadlines.set("zhangdu-school-2021.04#1", "职责", "持续开展法制宣传教育")  # to another duty
        steps = Sheet(b, "报告环节")
        first, second = steps.row_of("model-county-plan.report-chain#0"), steps.row_of("model-county-plan.report-chain#1")
        for column in range(1, steps.ws.max_column + 1):  # the first two steps change places
            a, c = steps.ws.cell(first, column), steps.ws.cell(second, column)
            a.value, c.value = c.value, a.value

    edit(book, clerk)
    status, output = import_(book)
    assert status == 0, output
    status, text = run("diff", "--data", "responsibilities", "--format", "json")
    changes = {(c["kind"], c["id"]) for c in json.loads(text)}
    assert changes == {("deadline-removed", "zhangdu-school-2021.04"), ("deadline-added", "zhangdu-school-2021.01"),
                       ("chain-changed", "model-county-plan.report-chain")}
    chain = (office / "responsibilities/model-county/reporting-chains.yaml").read_text("utf-8")
    assert chain.index("- role: child-supervisor") < chain.index("- role: child-director")
    moved = (office / "responsibilities/zhangdu-school/duties.yaml").read_text("utf-8")
    assert moved.count("学校层面总台账于2021年11月6日之前完成") == 1


def test_rows_sorted_apart_from_their_hidden_ids_are_refused(office: Path) -> None:
    """Sorting only the visible columns leaves each row's cells beside another record's id."""
    book = export()
    rows = []

    def clerk(b: openpyxl.Workbook) -> None:
        units = Sheet(b, "单位")
        a, c = units.row_of("wansheng.minzheng"), units.row_of("wansheng.jiaoyu")
        for column in range(2, units.ws.max_column + 1):  # every column but the hidden id
            x, y = units.ws.cell(a, column), units.ws.cell(c, column)
            x.value, y.value = y.value, x.value
        rows.extend([f"单位!B{a}", f"单位!B{c}"])

    edit(book, clerk)
    before = snapshot(office / "responsibilities")
    status, output = import_(book)
    assert status == 1
    assert findings(output) == [("E829", rows[0]), ("E829", rows[1])]
    assert snapshot(office / "responsibilities") == before


def test_the_workbook_headers_are_the_fields_chinese_names():
    """Findings name a field as the schemas' title does; the clerk's workbook calls the column the same."""
    from generator.schema import field_labels
    from generator.sheets import SHEETS

    for sheet in SHEETS:
        for column in sheet.columns:
            at = (sheet.table, 0) + ((sheet.child, 0) if sheet.child else ()) + tuple(column.field.split("."))
            prefix = "走访" if column.field.startswith("visits.") else ""  # 风险等级's visit frequency, a deadline
            assert column.header == prefix + field_labels(at)[-1], (sheet.name, column.field)
