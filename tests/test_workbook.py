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


def export(*extra: str, out: str = "清单.xlsx") -> Path:
    status, output = run("export", "--format", "xlsx", "--data", "responsibilities", "--out", out, *extra)
    assert status == 0, output
    return Path(out)


def import_(book: Path, *extra: str) -> tuple[int, str]:
    return run("import", str(book), "--data", "responsibilities", *extra)


class Sheet:
    """One worksheet of a saved workbook, addressed by header and by hidden id, as a clerk sees it."""

    def __init__(self, book: openpyxl.Workbook, name: str) -> None:
        self.ws = book[name]
        self.heads = {c.value: c.column for c in self.ws[1] if c.value}

    def row_of(self, key: str) -> int:
        return next(r for r in range(2, self.ws.max_row + 1) if self.ws.cell(r, 1).value == key)

    def get(self, key: str, header: str):
        return self.ws.cell(self.row_of(key), self.heads[header]).value

    def set(self, key: str, header: str, value) -> None:
        self.ws.cell(self.row_of(key), self.heads[header]).value = value

    def add(self, **cells) -> int:
        row = next(r for r in range(2, self.ws.max_row + 2)
                   if all(self.ws.cell(r, c).value is None for c in range(1, len(self.heads) + 1)))
        for header, value in cells.items():
            self.ws.cell(row, self.heads[header]).value = value
        return row


def edit(path: Path, change) -> None:
    book = openpyxl.load_workbook(path)
    change(book)
    book.save(path)


# ---------------------------------------------------------------- the round trip

def test_export_then_import_without_edits_leaves_every_byte(office: Path) -> None:
    before = snapshot(office / "responsibilities")
    book = export()
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
