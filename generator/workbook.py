"""The clerks' workbook: the data set (or one jurisdiction) as an .xlsx to edit in Excel or WPS, and back.

`export` writes one sheet per kind of record (generator.sheets), each row carrying its record's id in a hidden
first column. A very hidden sheet (MARKER) marks the workbook as ours and keeps, for every exported row, a
fingerprint of its cells. `read` turns the saved workbook back into records, with a finding located at the cell
for everything it cannot read. `apply` compares each row with the fingerprint (did the clerk change it?) and with
the data as it is now (did someone change the YAML since?), and changes only what the clerk changed, through
generator.yamlpatch; the result is validated with the rest of the data before `write` touches a file.
"""
from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import difflib
import io
import os
import re
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from . import sheets as S
from .dates import parse_date
from .findings import Finding, Report
from .load import Loaded, display_name, load, load_text
from .validate import Record, personal_matches, records
from .yamlpatch import PatchFailed, new_file, patch, same

MARKER = "qingdan"  # the very hidden sheet: its A1 says FORMAT
FORMAT = "qingdan-workbook"
VERSION = 1
OPTIONS = "选项"
GUIDE = "说明"
SPARE_ROWS = 300  # empty rows below the data that keep the drop-downs and formats, for new records
STAMP = dt.datetime(2000, 1, 1)  # the same data gives the same bytes: no "now" inside the file
ENCRYPTED = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE container: a password-protected workbook (or a .xls)
SHARED = ("lines", "roles", "terms")  # records that belong to no jurisdiction: only in a full export


# ---------------------------------------------------------------- what the workbook shows

def _by_table(loaded: Loaded) -> dict[str, list[Record]]:
    out: dict[str, list[Record]] = {table: [] for table in S.TOP}
    for rec in records(loaded):
        out[rec.path[0]].append(rec)
    return out


def jurisdictions(loaded: Loaded) -> list[str]:
    return list(dict.fromkeys(r.data["jurisdiction"] for r in _by_table(loaded)["documents"]
                              if isinstance(r.data.get("jurisdiction"), str)))


def in_scope(tables: dict[str, list[Record]], jurisdiction: str | None) -> dict[str, list[Record]]:
    """The records a workbook for `jurisdiction` (None: everything) holds, by table."""
    if jurisdiction is None:
        return tables
    docs = {r.id for r in tables["documents"] if r.data.get("jurisdiction") == jurisdiction}
    out: dict[str, list[Record]] = {}
    for table, recs in tables.items():
        if table == "documents":
            out[table] = [r for r in recs if r.id in docs]
        elif table == "units":
            out[table] = [r for r in recs if r.data.get("jurisdiction") == jurisdiction]
        elif table not in SHARED:
            out[table] = [r for r in recs if r.data.get("document") in docs]
    return out


def _shown_units(scope: dict[str, list[Record]]) -> set[str]:
    """The scope's units and every unit its records name (a duty may name a unit of another jurisdiction)."""
    shown = {r.id for r in scope.get("units", ())}
    for table, recs in scope.items():
        for r in recs:
            d = r.data
            shown.update(x for f in ("lead", "support", "to", "notify") for x in d.get(f) or ())
            shown.update(s["unit"] for s in d.get("steps") or () if isinstance(s, dict) and s.get("unit"))
            if table == "units" and d.get("parent"):
                shown.add(d["parent"])
    return shown


def names_for(tables: dict[str, list[Record]], jurisdiction: str | None) -> S.Names:
    scope = in_scope(tables, jurisdiction)
    return S.Names.of({t: [r.data for r in recs] for t, recs in tables.items()}, _shown_units(scope))


def sheets_for(scope: dict[str, list[Record]]) -> list[S.Sheet]:
    """A sheet for each kind of record the scope has, and the nested lists' sheets beside their parents."""
    out = []
    for sheet in S.SHEETS:
        parent = S.TOP[sheet.table]
        if scope.get(sheet.table) or (sheet.child and scope.get(parent.table)):
            out.append(sheet)
    return out


def sheets_of(loaded: Loaded, jurisdiction: str | None) -> list[S.Sheet]:
    return sheets_for(in_scope(_by_table(loaded), jurisdiction))


def row_cells(sheet: S.Sheet, record: dict, names: S.Names) -> list[Any]:
    return [S.cell(record, c, names) for c in sheet.columns]


def row_fingerprint(sheet: S.Sheet, values: Iterable[Any], owner: str = "") -> str:
    return S.fingerprint([owner] + [S.normal(v, c.kind) for v, c in zip(values, sheet.columns)])


@dataclass(frozen=True)
class ExportRow:
    key: str  # the record's id; a nested item: "<parent id>#<index>"
    owner: Any  # the parent's label (child sheets)
    values: list[Any]
    fingerprint: str


def export_rows(sheet: S.Sheet, scope: dict[str, list[Record]], names: S.Names) -> list[ExportRow]:
    rows = []
    for rec in scope.get(sheet.table, ()):
        if not sheet.child:
            values = row_cells(sheet, rec.data, names)
            rows.append(ExportRow(rec.id, None, values, row_fingerprint(sheet, values)))
            continue
        for i, item in enumerate(rec.data.get(sheet.child) or ()):
            values = row_cells(sheet, item, names)
            rows.append(ExportRow(f"{rec.id}#{i}", names.label(sheet.owner.target, rec.id), values,
                                  row_fingerprint(sheet, values, rec.id)))
    return rows


# ---------------------------------------------------------------- export

def export(loaded: Loaded, jurisdiction: str | None = None) -> bytes:
    """The workbook for the whole data set or one jurisdiction, as .xlsx bytes. Call with validated data."""
    from openpyxl import Workbook

    tables = _by_table(loaded)
    scope = in_scope(tables, jurisdiction)
    names = names_for(tables, jurisdiction)
    book = Workbook()
    guide = book.active
    guide.title = GUIDE
    chosen = sheets_for(scope)
    options = _Options(book.create_sheet(OPTIONS))
    marker = book.create_sheet(MARKER)
    marker.append([FORMAT, VERSION])
    marker.append(["范围", jurisdiction or ""])
    marker.append(["工作表", "标识", "指纹"])
    for sheet in chosen:
        rows = export_rows(sheet, scope, names)
        _write_sheet(book.create_sheet(sheet.name), sheet, rows, names, options, tables, scope)
        marker.append([sheet.name, "", ""])
        for row in rows:
            marker.append([sheet.name, row.key, row.fingerprint])
    _write_guide(guide, chosen, jurisdiction, loaded.root.name)
    book.move_sheet(OPTIONS, offset=len(book.sheetnames))
    book.move_sheet(MARKER, offset=len(book.sheetnames))
    book[OPTIONS].sheet_state = "hidden"  # drop-downs read their lists from it
    marker.sheet_state = "veryHidden"  # not even listed under "unhide"
    return _save(book)


class _Options:
    """The hidden sheet the drop-down lists come from: one column per list."""

    def __init__(self, ws) -> None:
        self.ws = ws
        self.columns: dict[tuple, str] = {}

    def range(self, name: str, values: list[str]) -> str | None:
        from openpyxl.utils import get_column_letter, quote_sheetname

        if not values:
            return None
        key = (name, tuple(values))
        if key not in self.columns:
            col = len(self.columns) + 1
            letter = get_column_letter(col)
            self.ws.cell(1, col, name)
            for i, value in enumerate(values, 2):
                self.ws.cell(i, col, value).data_type = "s"
            self.columns[key] = f"{quote_sheetname(OPTIONS)}!${letter}$2:${letter}${len(values) + 1}"
        return self.columns[key]


HELP = {  # how to fill a column of each kind, after the schema's description, in the header's note
    "texts": "一个单元格里写多项时，每项一行（Alt+Enter 换行）。",
    "refs": "可从下拉列表选一个；有几个时用顿号“、”隔开，例如：区民政局、区教育局。",
    "ref": "从下拉列表中选。",
    "enum": "从下拉列表中选。",
    "enums": "可从下拉列表选一个；有几个时用顿号“、”隔开。",
    "bool": "填“是”或“否”。",
    "date": "写作 2021-11-05。",
    "month": "写作 2022-06。",
    "int": "填整数。",
}


def height(values: list[str], widths: list[float]) -> float:
    """Points for a row that shows every wrapped line (no spreadsheet program fits rows to wrapped text when it
    opens a file). Lines are counted as the unit downloads count them; a CJK line needs about 16 points."""
    from .office import _lines

    lines = max((_lines(v, w) for v, w in zip(values, widths) if v), default=1)
    return min(409, 16 * lines + 4)


def _write_sheet(ws, sheet: S.Sheet, rows: list[ExportRow], names: S.Names, options: _Options,
                 tables: dict[str, list[Record]], scope: dict[str, list[Record]]) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    columns = sheet.all_columns
    need = S.required(sheet.record)
    header_fill = PatternFill("solid", fgColor="FFDDEBF7")
    required_fill = PatternFill("solid", fgColor="FFFCE4D6")
    wrap = Alignment(wrap_text=True, vertical="top")
    ws.append([S.ID_HEADER] + [c.header for c in columns])
    for i, column in enumerate(columns, 2):
        head = ws.cell(1, i)
        head.font = Font(bold=True)
        head.alignment = Alignment(wrap_text=True, vertical="center")
        mandatory = column is sheet.owner or column.field in need
        head.fill = required_fill if mandatory else header_fill
        note = S.note(sheet, column) + HELP.get(column.kind, "") if column.field else \
            f"这一行属于哪一{'项职责' if sheet.owner.target == 'duty' else '条报告路线'}：从下拉列表中选。"
        note = "（必填）" * mandatory + note
        head.comment = Comment(note, "qingdan", width=260, height=110)
    ws.cell(1, 1).font = Font(bold=True)
    widths = [c.width for c in columns]
    ws.row_dimensions[1].height = height([c.header for c in columns], widths)
    for n, row in enumerate(rows, 2):
        values = ([row.owner] if sheet.owner else []) + row.values
        ws.cell(n, 1, row.key).data_type = "s"
        for i, (value, column) in enumerate(zip(values, columns), 2):
            if value is None:
                continue
            c = ws.cell(n, i, value)
            if isinstance(value, str):
                c.data_type = "s"  # a text that starts with "=" stays text, not a formula
        ws.row_dimensions[n].height = height([S.normal(v, "") for v in values], widths)
    last = len(rows) + 1 + SPARE_ROWS
    for i, column in enumerate(columns, 2):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = column.width
        style = "yyyy-mm-dd" if column.kind == "date" else ("General" if column.kind == "int" else "@")
        # "@": what the clerk types stays text (Excel would make 2-3 a date). The column's own style covers the
        # rows a clerk adds; the cells written carry it too, as spreadsheet programs read cell styles first.
        ws.column_dimensions[letter].number_format = style
        ws.column_dimensions[letter].alignment = wrap
        first = None
        for n in range(2, len(rows) + 2):
            c = ws.cell(n, i)
            if first is None:
                c.alignment, c.number_format = wrap, style
                first = c
            else:  # the same style: copied, as setting it costs openpyxl a look-up per cell
                c._style = copy.copy(first._style)
        validation = _validation(sheet, column, names, options, tables, scope, ws)
        if validation is not None:
            validation.add(f"{letter}2:{letter}{last}")
            ws.add_data_validation(validation)
    ws.column_dimensions["A"].hidden = True
    ws.column_dimensions["A"].width = 4
    ws.freeze_panes = f"{get_column_letter(2 + sheet.freeze)}2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns) + 1)}{max(len(rows) + 1, 2)}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_options.gridLines = True
    ws.print_title_rows = "1:1"  # a printed page of a wide sheet still says what each column is


def _validation(sheet: S.Sheet, column: S.Column, names: S.Names, options: _Options, tables, scope, ws):
    """The drop-down for a column: strict for fixed lists, a suggestion where several names or a new record's
    name may be typed."""
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    source, strict = None, True
    if column.kind in ("enum", "enums"):
        source = options.range(column.header, [S.ENUMS[column.target][v] for v in S.enum_values(column)])
        strict = column.kind == "enum"
    elif column.kind == "bool":
        source = options.range("是否", [S.YES, S.NO])
    elif column is sheet.owner:  # the parent's name column on its own sheet: new parents appear in the list too
        parent = S.TOP[sheet.table]
        name_field = {"duty": "title", "chain": "name"}[column.target]
        at = next(i for i, c in enumerate(parent.columns, 2) if c.field == name_field)
        letter = get_column_letter(at)
        source = f"{quote_sheetname(parent.name)}!${letter}$2:${letter}${len(scope.get(parent.table, ())) + 1 + SPARE_ROWS}"
    elif column.kind in ("ref", "refs"):
        if column.target == "unit":
            shown = _shown_units(scope)
            ids = [r.id for r in tables["units"] if r.id in shown]
        else:  # the workbook's own records (all lines and roles: a jurisdiction's workbook has no sheet of them)
            table = S.TARGETS[column.target]
            ids = [r.id for r in scope.get(table) or tables[table]]
        source = options.range(column.header, names.options(column.target, ids))
        strict = column.kind == "ref" and column.target in ("document", "line")
    elif column.field == "jurisdiction":
        source = options.range("辖区", list(dict.fromkeys(r.data["jurisdiction"] for r in tables["documents"])))
        strict = False
    if source is None:
        return None
    return DataValidation(type="list", formula1=source, allow_blank=True, showDropDown=False,
                          showErrorMessage=strict, errorStyle="stop", errorTitle="不在列表中",
                          error=f"“{column.header}”请从下拉列表中选。", showInputMessage=not strict,
                          promptTitle=column.header[:32], prompt=HELP.get(column.kind, "")[:255])


GUIDE_LINES = (
    "本工作簿由 qingdan 从清单数据导出。改好后保存为 .xlsx，用下面的命令导回（先加 --dry-run 看会改什么）：",
    "    qingdan import 本文件.xlsx --data responsibilities --dry-run",
    "带下拉箭头的单元格从列表中选。牵头单位、配合单位等可以有几个：先从下拉列表选一个，再在编辑栏中接着输入顿号“、”和其他单位的名称"
    "（Excel 和 WPS 都一样）。名称写错时，导回时会指出是哪个单元格，并提示最接近的名称。",
    "“具体工作”“别名”“法律政策依据”“标签”等一格多项的列，每项占一行：在单元格中按 Alt+Enter 换行。",
    "新增记录：在表格下方的空行里填写，不要复制整行（整行复制会把隐藏的标识一起复制过去）。"
    "新增职责的时限，在“时限”表中加一行，“职责”一栏选这项职责的名称。",
    "删除记录：删除整行。导回时会列出删除了哪些记录，删除后引用它的地方须一并修改。",
    "每个表的第一列是隐藏的标识列，请不要取消隐藏或修改它。列的顺序可以调整，表头的文字不要改；表头单元格的批注说明这一列填什么，"
    "橙色表头的列是必填的。",
    "不要填写任何个人信息：姓名、身份证号、手机号、个人邮箱都不能出现在清单中。",
    "导出之后如果有人直接改了数据文件，导回时会报告“冲突”而不会覆盖；请重新导出，再把修改做一遍。",
)


def _write_guide(ws, chosen: list[S.Sheet], jurisdiction: str | None, data_name: str) -> None:
    from openpyxl.styles import Alignment, Font

    ws.append([f"未成年人保护工作责任清单（{jurisdiction or '全部数据'}）填写说明"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    number = 0
    for line in GUIDE_LINES:
        if not line.startswith(" "):  # a command under its paragraph keeps the paragraph's number
            number += 1
            line = f"{number}. {line}"
        ws.append([line.replace("--data responsibilities", f"--data {data_name}")])
    ws.append([])
    ws.append(["工作表：" + "、".join(s.name for s in chosen)])
    width = 100
    ws.column_dimensions["A"].width = width
    for row in ws.iter_rows(min_row=3):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
        if row[0].value:
            ws.row_dimensions[row[0].row].height = height([row[0].value], [width])
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4


class _PinnedZip(zipfile.ZipFile):
    """A zip whose entries all carry one fixed time, so the same workbook gives the same bytes."""

    def writestr(self, info, data, *args, **kwargs):  # type: ignore[override]
        if isinstance(info, str):
            info = zipfile.ZipInfo(info, date_time=STAMP.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
        super().writestr(info, data, *args, **kwargs)

    def write(self, filename, arcname=None, *args, **kwargs):  # type: ignore[override]
        with open(filename, "rb") as handle:  # openpyxl writes worksheets through temporary files
            self.writestr(str(arcname or filename), handle.read())


def _save(book) -> bytes:
    from openpyxl.writer.excel import ExcelWriter

    book.properties.creator = "qingdan"
    book.properties.created = book.properties.modified = STAMP
    out = io.BytesIO()
    ExcelWriter(book, _PinnedZip(out, "w", zipfile.ZIP_DEFLATED)).save()
    return out.getvalue()


# ---------------------------------------------------------------- reading a saved workbook

@dataclass(eq=False)
class Row:
    sheet: S.Sheet
    number: int  # the row's number in the worksheet
    key: str  # the hidden id ("" on a row the clerk added)
    values: dict[S.Column, str]  # the cells as normal text, by column
    at: dict[S.Column, int]  # column numbers, by column
    fingerprint: str
    cleared: bool = False  # an exported row whose visible cells were all emptied: the clerk removed it
    record: dict = field(default_factory=dict)  # the cells read into a record
    ok: bool = True  # every cell could be read
    owner: str = ""  # a child row: the parent's id
    new_id: str = ""  # an added row: the id it is given
    title: str = ""  # the worksheet's name (the clerk may have renamed it)


@dataclass
class Reading:
    """A workbook read back: its rows as records, and what could not be read."""

    name: str  # the workbook as named in findings
    jurisdiction: str | None
    exported: dict[str, dict[str, str]]  # sheet → key → fingerprint, as exported
    rows: dict[str, list[Row]]  # sheet → rows, in worksheet order
    findings: list[Finding] = field(default_factory=list)
    names: S.Names | None = None

    @property
    def ok(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)


def ref(sheet: str, row: int, column: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{sheet}!{get_column_letter(column)}{row}"


def cell_finding(code: str, name: str, sheet: str, row: int, column: int, message: str, note: str = "") -> Finding:
    where = ref(sheet, row, column)
    return Finding(code, name, row, column, f"「{where}」{message}", where, note)


def sniff(path: Path) -> str | Finding:
    """"qingdan" for a workbook this module wrote, "other" for any other workbook, or why it cannot be opened."""
    book = _open(path, display_name(path))
    if isinstance(book, Finding):
        return book
    try:
        return "qingdan" if MARKER in book.sheetnames and book[MARKER]["A1"].value == FORMAT else "other"
    finally:
        book.close()


def _open(path: Path, name: str):
    from openpyxl import load_workbook

    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        return Finding("E801", name, 1, 1, f"无法读取这个文件：{exc.strerror or exc}。请检查文件权限。")
    if head == ENCRYPTED:
        return Finding("E802", name, 1, 1, "这个工作簿设了打开密码（或是旧的 .xls 格式），无法读取。请在 Excel 或 WPS 中"
                                           "取消密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码），另存为 .xlsx 后再导入。")
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # a damaged file can fail anywhere inside the zip and XML readers
        return Finding("E801", name, 1, 1, "无法打开这个工作簿：它不是有效的 .xlsx 文件，或已经损坏。请在 Excel 或 WPS 中"
                                           "打开后重新“另存为”Excel 工作簿（.xlsx）。", note=f"技术细节：{type(exc).__name__}: {exc}")


def read(path: Path, loaded: Loaded) -> Reading:
    """The workbook's rows read into records (ids for names, typed values), with a finding for every cell that
    cannot be read and every sheet or column that is missing. `loaded`: the data the workbook goes back into."""
    name = display_name(path)
    book = _open(path, name)
    if isinstance(book, Finding):
        return Reading(name, None, {}, {}, [book])
    try:
        return _read(book, name, loaded)
    except Exception as exc:  # cells that parse as a zip but not as a worksheet fail only when read
        return Reading(name, None, {}, {}, [Finding(
            "E801", name, 1, 1, "无法读取这个工作簿的内容，它可能已经损坏。请在 Excel 或 WPS 中打开后重新“另存为”"
                                "Excel 工作簿（.xlsx）。", note=f"技术细节：{type(exc).__name__}: {exc}")])
    finally:
        book.close()


def _read(book, name: str, loaded: Loaded) -> Reading:
    marker = _marker(book, name)
    if isinstance(marker, Finding):
        return Reading(name, None, {}, {}, [marker])
    jurisdiction, exported = marker
    reading = Reading(name, jurisdiction, exported, {})
    sheets = [S.BY_NAME[n] for n in exported if n in S.BY_NAME]
    claimed = {n for n in exported}
    for sheet in sheets:
        ws = _find_sheet(book, sheet, claimed, reading)
        if ws is not None:
            reading.rows[sheet.name] = _rows(ws, sheet, reading)
    tables = _by_table(loaded)
    reading.names = names_for(tables, jurisdiction)
    _new_ids(reading, tables)
    by_id = {r.id: r.data for recs in tables.values() for r in recs}
    for sheet in sheets:
        for row in reading.rows.get(sheet.name, ()):
            if not row.cleared:
                _parse(row, reading, by_id)
    return reading


def _marker(book, name: str) -> tuple[str | None, dict[str, dict[str, str]]] | Finding:
    broken = Finding("E803", name, 1, 1, "工作簿中 qingdan 的导出标记不完整，无法确定哪些行是导出的。请重新用 "
                                         "qingdan export 导出，把修改做在新的工作簿里。")
    try:
        rows = list(book[MARKER].iter_rows(values_only=True))
    except KeyError:
        return broken
    if not rows or rows[0][:1] != (FORMAT,) or len(rows) < 3:
        return broken
    if not isinstance(rows[0][1], int) or rows[0][1] > VERSION:
        return Finding("E803", name, 1, 1, f"这个工作簿由较新版本的 qingdan 导出（格式 {rows[0][1]}），"
                                           "请先升级 qingdan 再导入。")
    exported: dict[str, dict[str, str]] = {}
    for row in rows[3:]:
        sheet, key, fp = (tuple(row) + (None, None, None))[:3]
        if not isinstance(sheet, str):
            return broken
        exported.setdefault(sheet, {})
        if key:
            exported[sheet][str(key)] = str(fp)
    return (rows[1][1] or None), exported


def _header(value: Any) -> str:
    return re.sub(r"[\s*＊]|（必填）", "", str(value)) if value is not None else ""


def _find_sheet(book, sheet: S.Sheet, claimed: set[str], reading: Reading):
    if sheet.name in book.sheetnames:
        return book[sheet.name]
    wanted = {_header(S.ID_HEADER)} | {_header(c.header) for c in sheet.all_columns}
    for title in book.sheetnames:  # renamed: a sheet of ours by its headers
        if title in claimed or title in (OPTIONS, MARKER, GUIDE):
            continue
        heads = {_header(c.value) for c in next(book[title].iter_rows(max_row=1), ())}
        if wanted <= heads:
            claimed.add(title)
            reading.findings.append(Finding("W805", reading.name, 1, 1,
                                            f"工作表“{sheet.name}”改名为“{title}”，已按表头找到它。", title))
            return book[title]
    reading.findings.append(Finding(
        "E804", reading.name, 1, 1, f"工作簿中没有工作表“{sheet.name}”：它被删除或改了名。请把工作表名改回“{sheet.name}”"
        f"（删除了就重新导出）；不打算修改其中的记录时，也要保留这个工作表。", sheet.name))
    return None


def _rows(ws, sheet: S.Sheet, reading: Reading) -> list[Row]:
    grid = list(ws.iter_rows(values_only=True))
    if not grid:
        grid = [()]
    heads = [_header(v) for v in grid[0]]
    where: dict[str, int] = {}
    for i, head in enumerate(heads, 1):
        if head and head not in where:
            where[head] = i
    at: dict[S.Column, int] = {}
    missing = []
    for column in sheet.all_columns:
        if _header(column.header) in where:
            at[column] = where[_header(column.header)]
        else:
            missing.append(column.header)
    if missing:
        reading.findings.append(Finding(
            "E806", reading.name, 1, 1, f"「{ws.title}!第 1 行」找不到列：{'、'.join(missing)}。列可以挪动位置，但表头的文字"
            "不能改，列也不能删；请把表头改回原样，或重新导出。", ws.title))
        return []
    id_at = where.get(_header(S.ID_HEADER))
    if id_at is None:
        reading.findings.append(Finding(
            "E808", reading.name, 1, 1, f"「{ws.title}!A1」隐藏的标识列（{S.ID_HEADER}）被删除了，无法知道每一行是哪条记录。"
            "请重新导出，把修改做在新的工作簿里。", ws.title))
        return []
    known = set(at.values()) | {id_at}
    extra = [f"{grid[0][i - 1]}" for i in range(1, len(heads) + 1) if heads[i - 1] and i not in known]
    if extra:
        reading.findings.append(Finding("W807", reading.name, 1, 1, f"「{ws.title}!第 1 行」这些列不是导出的列，其中的内容"
                                                                     f"不会导入：{'、'.join(extra)}。", ws.title))
    rows = []
    for number, cells in enumerate(grid[1:], 2):
        cells = tuple(cells) + (None,) * (len(heads) - len(cells))
        key = S.normal(cells[id_at - 1], "")
        values = {c: S.normal(cells[i - 1], c.kind) for c, i in at.items()}
        for i, value in enumerate(cells, 1):  # personal data in any cell, also in columns that are not imported
            if isinstance(value, str):
                for code, offset, message in personal_matches(value):
                    code = {"E501": "E817", "E502": "E818", "E503": "E819"}[code]
                    reading.findings.append(cell_finding(code, reading.name, ws.title, number, i, message))
        if not key and not any(values.values()):
            continue
        rows.append(Row(sheet, number, key, values, at, _fingerprint_of(sheet, values, key), title=ws.title,
                        cleared=bool(key) and not any(v for c, v in values.items() if c is not sheet.owner)))
    return rows


def _fingerprint_of(sheet: S.Sheet, values: dict[S.Column, str], key: str) -> str:
    owner = key.split("#")[0] if sheet.child else ""
    return S.fingerprint([owner] + [values[c] for c in sheet.columns])


KIND_OF = {"duties": "duty", "units": "unit", "documents": "document", "lines": "line", "roles": "role",
           "terms": "term", "reporting_chains": "chain"}  # tables whose records other rows name
NUMBERED = {"duties": "", "referrals": "refer-", "risk_levels": "risk-", "reporting_chains": "chain-"}


def _new_ids(reading: Reading, tables: dict[str, list[Record]]) -> None:
    """Ids for the rows the clerk added. Every row's names as the workbook writes them (a new record's, a renamed
    one's) are registered, so that other rows can name the record by them."""
    taken = {r.id for recs in tables.values() for r in recs if r.id}
    names = reading.names
    for sheet_name, rows in reading.rows.items():
        sheet = S.BY_NAME[sheet_name]
        if sheet.child:
            continue
        for row in rows:
            if row.cleared:
                continue
            text = {c.field: row.values[c] for c in sheet.columns}
            if not row.key:
                row.new_id = _free(_wanted_id(sheet.table, text, tables, names, taken), taken)
                taken.add(row.new_id)
            if sheet.table in KIND_OF:
                names.add(KIND_OF[sheet.table], {**{k: v for k, v in text.items() if v}, "id": row.key or row.new_id,
                                                 "aliases": text.get("aliases", "").split("\n")})


def _free(wanted: str, taken: set[str]) -> str:
    rid, n = wanted, 2
    while rid in taken:
        rid, n = f"{wanted}-{n}", n + 1
    return rid


def _slug(text: str, joiner: str = "") -> str:
    from pypinyin import lazy_pinyin

    words = [re.sub(r"[^a-z0-9]", "", w.lower()) for w in lazy_pinyin(text)]
    slug = joiner.join(w for w in words if w)[:40] or "new"
    return slug if slug[0].isalpha() else "n" + slug


def _wanted_id(table: str, text: dict[str, str], tables: dict[str, list[Record]], names: S.Names,
               taken: set[str]) -> str:
    if table in NUMBERED:
        found = names.find("document", text.get("document", "")) if text.get("document") else []
        doc = found[0] if len(found) == 1 else "new"
        stem = f"{doc}.{NUMBERED[table]}"
        numbers = [m.group(1) for rid in taken if (m := re.fullmatch(re.escape(stem) + r"(\d+)", rid))]
        width = max((len(n) for n in numbers if n.startswith("0")), default=1)
        return f"{stem}{max((int(n) for n in numbers), default=0) + 1:0{width}d}"
    if table == "units":
        local = [r.id.split(".")[0] for r in tables["units"] if r.data.get("jurisdiction") == text.get("jurisdiction")
                 and "." in (r.id or "")]
        prefix = Counter(local).most_common(1)[0][0] if local else _slug(text.get("jurisdiction", ""))
        name = re.sub(r"^[区县市镇乡]|局$", "", text.get("short_name") or text.get("name") or "")
        return f"{prefix}.{_slug(name)}"
    if table == "documents":
        year = re.match(r"\d{4}", text.get("issued", ""))
        initials = "".join(w[0] for w in _slug(text.get("short_title") or text.get("title", ""), " ").split())
        return f"{initials or 'doc'}-{year.group(0) if year else 'new'}"
    if table == "terms":
        return "term." + _slug(text.get("term", ""), "-")
    return _slug(text.get("name", ""), "-")


def _parse(row: Row, reading: Reading, by_id: dict[str, dict]) -> None:
    """row.record from the row's cells, with a finding for each cell that cannot be read."""
    sheet, names = row.sheet, reading.names

    def bad(code: str, column: S.Column, message: str, note: str = "") -> None:
        reading.findings.append(cell_finding(code, reading.name, row.title, row.number, row.at[column], message, note))
        row.ok = False

    jurisdiction = None
    if sheet.owner:
        row.owner = _owner(row, reading, bad)
        parent = by_id.get(row.owner)
        if parent is not None:
            jurisdiction = names.jurisdiction.get(parent.get("document", ""))
    doc_column = next((c for c in sheet.columns if c.field == "document"), None)
    if doc_column is not None and row.values[doc_column]:
        found = names.find("document", row.values[doc_column])
        jurisdiction = names.jurisdiction.get(found[0]) if len(found) == 1 else None
    if sheet.table == "units":
        jurisdiction = next((row.values[c] for c in sheet.columns if c.field == "jurisdiction"), None)
    record: dict[str, Any] = {}
    for column in sheet.columns:
        text = row.values[column]
        if not text:
            continue
        value = _value(column, text, names, jurisdiction, lambda code, message, note="": bad(code, column, message, note))
        if value is None:
            continue
        if "." in column.field:
            top, sub = column.field.split(".")
            record.setdefault(top, {})[sub] = value
        else:
            record[column.field] = value
    _check(row, record, {c.field for c in sheet.columns if row.values[c]}, bad)
    row.record = record


def _owner(row: Row, reading: Reading, bad) -> str:
    column = row.sheet.owner
    label = row.values[column]
    kept = row.key.split("#")[0] if row.key else ""
    found = reading.names.find(column.target, label) if label else []
    # the row's own parent, by its name in the workbook, or by its name in the data (a parent renamed on its
    # sheet still shows its old name here)
    if kept and (not label or kept in found or label == reading.names.label(column.target, kept)):
        return kept
    if len(found) == 1:
        return found[0]
    what = S.WORDS[column.target]
    if found:
        bad("E813", column, f"“{label}”可能指几{'项' if column.target == 'duty' else '条'}{what}："
                            f"{'、'.join(found)}。请先把这几{'项' if column.target == 'duty' else '条'}的名称改得各不相同。")
    elif label:
        bad("E820", column, f"找不到{what}“{label}”。请从下拉列表中选择这一行所属的{what}。")
    else:
        bad("E810", column, f"“{column.header}”是必填的：请选择这一行所属的{what}。")
    return ""


_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_MONTH = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?")


def _value(column: S.Column, text: str, names: S.Names, jurisdiction: str | None, bad) -> Any:
    kind = column.kind
    if kind == "text":
        return text
    if kind == "texts":
        return [line for line in text.split("\n") if line]
    if kind == "int":
        m = re.fullmatch(r"(\d+)\s*[年次日天]?", text)
        if not m:
            return bad("E815", f"“{column.header}”要填整数，现在是“{text}”。")
        return int(m.group(1))
    if kind == "date":
        m = _DATE.fullmatch(text)
        if not m:
            return bad("E815", f"日期“{text}”的写法不对，请写作 2021-11-05。")
        iso = f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
        if parse_date(iso) is None:
            return bad("E814", f"没有 {text} 这一天，请核对月份和日期。")
        return iso
    if kind == "month":
        m = _MONTH.fullmatch(text)
        if not m:
            return bad("E815", f"月份“{text}”的写法不对，请写作 2022-06。")
        if not 1 <= int(m.group(2)) <= 12:
            return bad("E814", f"没有 {text} 这个月份，请改正。")
        return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"
    if kind in ("enum", "enums"):
        table = S.ENUMS[column.target]
        back = {label: value for value, label in table.items()} | {value: value for value in table}
        parts = [text] if kind == "enum" else [p for p in S.SEPARATORS.split(text) if p]
        out = []
        for part in parts:
            if part not in back:
                return bad("E811", f"“{part}”不在“{column.header}”的下拉列表中。可选：{'、'.join(table.values())}。")
            out.append(back[part])
        return out[0] if kind == "enum" else out
    if kind == "bool":
        if text in (S.YES, "TRUE", "true", "1"):
            return True
        if text in (S.NO, "FALSE", "false", "0"):
            return False
        return bad("E811", f"“{column.header}”填“是”或“否”，现在是“{text}”。")
    parts = [text] if kind == "ref" else [p.strip() for p in S.SEPARATORS.split(text) if p.strip()]
    out = []
    for part in parts:
        found = names.find(column.target, part, jurisdiction)
        if len(found) == 1:
            out.append(found[0])
            continue
        what = S.WORDS[column.target]
        if found:
            return bad("E813", f"“{part}”可能指几个{what}：{'、'.join(names.label(column.target, f) for f in found)}"
                               f"（{'、'.join(found)}）。请写全称。")
        guess = difflib.get_close_matches(part, list(names.lookup[column.target]), n=1, cutoff=0.5)
        hint = f"你是不是想写“{guess[0]}”？" if guess else ""
        if column.target == "unit":
            return bad("E812", f"找不到单位“{part}”。{hint}新单位请先在“单位”表中加一行。")
        if column.target in ("document", "line"):
            return bad("E811", f"“{part}”不在“{column.header}”的下拉列表中。{hint}")
        return bad("E824", f"找不到{what}“{part}”。{hint}")
    return out[0] if kind == "ref" else out


def _check(row: Row, record: dict, filled: set[str], bad) -> None:
    """Required cells, and the cells a kind of deadline does not take (from the schemas). A filled cell that could
    not be read has its finding already."""
    sheet = row.sheet
    by_field = {c.field: c for c in sheet.columns}
    if sheet.record == "deadline":
        _deadline_cells(record, by_field, "", filled, bad)
    elif sheet.record == "step":
        if ("role" in record) == ("unit" in record):
            bad("E826", by_field["role"], "报告路线的每一环填“岗位”或“单位”中的一个"
                                          f"（{'两个都填了' if 'role' in record else '现在都空着'}）。")
    for name in S.required(sheet.record) - {"id", "kind", sheet.child or "-", "steps"}:
        column = by_field.get(name)
        if column is not None and name not in filled:
            bad("E810", column, f"“{column.header}”是必填的，不能空着。")
    if "visits" in record or any(f.startswith("visits.") for f in filled):
        _deadline_cells(record.get("visits", {}), by_field, "visits.", filled, bad)


def _deadline_cells(deadline: dict, by_field: dict[str, S.Column], prefix: str, filled: set[str], bad) -> None:
    kind = deadline.get("kind")
    kind_column = by_field[prefix + "kind"]
    if kind is None:
        if prefix + "kind" not in filled:
            bad("E810", kind_column, f"“{kind_column.header}”是必填的：请选择时限的类型。")
        return
    need, allowed = S.deadline_rules()[kind]
    label = S.ENUMS["deadline_kind"][kind]
    for name in deadline:
        if name not in allowed:
            bad("E825", by_field[prefix + name], f"类型为“{label}”的时限不填“{by_field[prefix + name].header}”。"
                                                 f"这一类可以填：{'、'.join(by_field[prefix + f].header for f in sorted(allowed, key=S.fields('deadline').index))}。")
    for name in sorted(need - set(deadline) - {f[len(prefix):] for f in filled}, key=S.fields("deadline").index):
        bad("E810", by_field[prefix + name], f"类型为“{label}”的时限必须填“{by_field[prefix + name].header}”。")


# ---------------------------------------------------------------- applying a reading to the data

@dataclass(frozen=True)
class Change:
    action: str  # changed, added or removed
    table: str
    id: str
    name: str
    sheet: str
    row: int  # 0: a removed row (it is no longer in the workbook)
    fields: tuple[str, ...] = ()  # the headers of the changed columns
    file: str = ""

    def as_dict(self) -> dict:
        return {"action": self.action, "record": S.TOP[self.table].record, "id": self.id, "name": self.name,
                "sheet": self.sheet, "row": self.row, "fields": list(self.fields), "file": self.file}


@dataclass
class Plan:
    """What importing a workbook does: the files' new texts, or the findings that stop it."""

    workbook: str
    findings: list[Finding] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    texts: dict[Path, str] = field(default_factory=dict)  # files to write, with their new text
    removed: list[Path] = field(default_factory=list)  # files left without records
    written: list[str] = field(default_factory=list)
    originals: dict[Path, str | None] = field(default_factory=dict)  # what the files said before (None: new)
    data_invalid: bool = False  # the data directory itself does not validate

    @property
    def ok(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)

    @property
    def report(self) -> Report:
        """The findings in the order a clerk goes through the workbook: sheet by sheet, row by row."""
        order = {s.name: i for i, s in enumerate(S.SHEETS)}

        def key(f: Finding) -> tuple:
            ours = f.file == self.workbook
            return (not ours, order.get(f.path.split("!")[0], len(order)) if ours else 0, f.file, f.line, f.column,
                    f.code, f.message)

        return Report(tuple(sorted(set(self.findings), key=key)))


def plan(path: Path, data_dir: Path) -> Plan:
    """Read the workbook at `path` against the data in `data_dir` and work out the new file texts."""
    from .pipeline import check_loaded

    loaded = load(data_dir)
    before = check_loaded(loaded)
    if not before.report.ok:  # the clerk's rows cannot be checked against data that does not validate
        return Plan(display_name(path), list(before.report.errors), data_invalid=True)
    reading = read(path, loaded)
    if not reading.rows:  # nothing could be read at all
        return Plan(reading.name, reading.findings)
    return apply(reading, loaded, before.report)


def _view(sheet: S.Sheet, data: dict, key: str, reading: Reading, by_id: dict[str, dict]) -> dict:
    """A record as its row would read back: what "unchanged" is compared against."""
    values = {c: S.normal(v, c.kind) for c, v in zip(sheet.columns, row_cells(sheet, data, reading.names))}
    if sheet.owner:
        values[sheet.owner] = ""
    row = Row(sheet, 0, key, values, {c: 1 for c in sheet.all_columns}, "")
    _parse(row, Reading(reading.name, reading.jurisdiction, {}, {}, [], reading.names), by_id)
    return row.record


def _ordered(record: dict, kind: str, before: list[str]) -> dict:
    """Keys kept where they were; a new key after the nearest field before it in the schema's order."""
    order = S.fields(kind)
    keys = [k for k in before if k in record]
    for key in sorted((k for k in record if k not in keys), key=lambda k: order.index(k) if k in order else 99):
        rank = order.index(key) if key in order else len(order)
        at = max((i + 1 for i, k in enumerate(keys) if k in order and order.index(k) < rank), default=0)
        keys.insert(at, key)
    return {k: record[k] for k in keys}


def _merge(old: dict, new: dict, changed: list[str], kind: str) -> dict:
    out = dict(old)
    for name in changed:
        if name in new:
            out[name] = new[name]
        else:
            out.pop(name, None)
    return _ordered(out, kind, list(old))


def _changed(sheet: S.Sheet, view: dict, record: dict) -> list[str]:
    return list(dict.fromkeys(c.top for c in sheet.columns if not same(view.get(c.top), record.get(c.top))))


class _Apply:
    def __init__(self, reading: Reading, loaded: Loaded) -> None:
        self.reading, self.loaded = reading, loaded
        self.tables = _by_table(loaded)
        self.current = {r.id: r for recs in self.tables.values() for r in recs}
        self.by_id = {rid: r.data for rid, r in self.current.items()}
        self.findings: list[Finding] = []
        self.changes: list[Change] = []
        self.updated: dict[str, dict] = {}  # id → the record's new content
        self.removed: set[str] = set()
        self.added: list[tuple[S.Sheet, dict, Row]] = []
        self.rows: dict[str, Row] = {}  # id → the row that changed or added it (findings go back to it)
        self.child_rows: dict[tuple[str, int], Row] = {}  # (parent id, item index) → its row
        self.changed_at: dict[str, int] = {}  # id → its "changed" entry in self.changes

    def find(self, code: str, row: Row, column: S.Column | None, message: str, note: str = "") -> None:
        at = row.at[column] if column is not None else min(row.at.values())  # the first column the clerk sees
        self.findings.append(cell_finding(code, self.reading.name, row.title, row.number, at, message, note))

    def fingerprint(self, sheet: S.Sheet, data: dict, owner: str = "") -> str:
        return row_fingerprint(sheet, row_cells(sheet, data, self.reading.names), owner)

    def label(self, table: str, rid: str) -> str:
        kind = KIND_OF.get(table)
        rec = self.current.get(rid)
        if kind:
            return self.reading.names.label(kind, rid)
        data = rec.data if rec else {}
        return str(data.get("situation") or data.get("name") or rid)

    def conflict(self, row: Row | None, sheet: S.Sheet, rid: str, gone: bool = False) -> None:
        rec = self.current.get(rid)
        where = f"（{rec.source.name} 第 {rec.source.where(rec.path)[0]} 行）" if rec else ""
        what = f"{S.WORDS.get(KIND_OF.get(sheet.table, ''), '记录')}“{self.label(sheet.table, rid)}”（{rid}）"
        note = "请重新导出（qingdan export），在新的工作簿中再做一遍修改；用 qingdan diff 可以看到数据中改了什么。"
        if row is None:  # the clerk deleted the row of a record someone else has edited since
            self.findings.append(Finding("E823", self.reading.name, 1, 1, f"「{sheet.name}」删除了{what}所在的行，但导出之后"
                                         f"数据文件中的这条记录已被修改{where}，删除会丢掉那些修改，所以没有导入。",
                                         sheet.name, note))
        elif gone:
            self.find("E823", row, None, f"导出之后，{what}已从数据中删除{where}；这一行的修改没有导入。", note)
        else:
            self.find("E823", row, None, f"导出之后，数据文件中的{what}已被修改{where}，这里的修改会覆盖它，"
                                         "所以没有导入。", note)

    def genuine(self, row: Row, seen: dict[str, Row], exported: dict[str, str]) -> bool:
        """Whether the row's hidden id is one that was exported, and the first row carrying it."""
        if row.key in seen:
            self.find("E821", row, None, f"这一行和第 {seen[row.key].number} 行带着同一个隐藏标识，多半是复制了整行。"
                      "新增请在表格下方的空行里填写：把这一行可见的单元格剪切到空行，再删除这一行。")
            return False
        if row.key not in exported:
            self.find("E822", row, None, f"这一行隐藏的标识“{row.key}”不是导出时的标识，它被改动过。请把它改回原样，"
                                         "或者重新导出。")
            return False
        seen[row.key] = row
        return True

    # -- sheets of records

    def top(self, sheet: S.Sheet) -> None:
        exported = self.reading.exported.get(sheet.name, {})
        seen: dict[str, Row] = {}
        for row in self.reading.rows[sheet.name]:
            if not row.key:
                record = _ordered({"id": row.new_id, **row.record}, sheet.record, [])
                self.added.append((sheet, record, row))
                self.rows[row.new_id] = row
                continue
            if not self.genuine(row, seen, exported):
                continue
            if row.cleared or not row.ok:
                continue
            self.row(sheet, row, exported[row.key])
        for key, stored in exported.items():
            row = seen.get(key)
            if row is not None and not row.cleared:
                continue
            rec = self.current.get(key)
            if rec is None:
                continue
            if self.fingerprint(sheet, rec.data) != stored:
                self.conflict(row, sheet, key)
                continue
            self.removed.add(key)
            self.changes.append(Change("removed", sheet.table, key, self.label(sheet.table, key), sheet.name,
                                       row.number if row else 0, file=rec.source.name))

    def row(self, sheet: S.Sheet, row: Row, stored: str) -> None:
        rec = self.current.get(row.key)
        if row.fingerprint == stored:
            if rec is None or self.fingerprint(sheet, rec.data) != stored:
                self.find("W809", row, None, "导出之后，数据中的这条记录已被修改或删除；这一行没有改动，保留数据中现在的内容。")
            return
        if rec is None:
            return self.conflict(row, sheet, row.key, gone=True)
        changed = _changed(sheet, _view(sheet, rec.data, row.key, self.reading, self.by_id), row.record)
        if not changed:
            return
        if self.fingerprint(sheet, rec.data) != stored:
            return self.conflict(row, sheet, row.key)
        self.updated[row.key] = _merge(rec.data, row.record, changed, sheet.record)
        self.rows[row.key] = row
        headers = tuple(c.header for c in sheet.columns if c.top in changed)
        self.changed_at[row.key] = len(self.changes)
        self.changes.append(Change("changed", sheet.table, row.key, self.label(sheet.table, row.key), sheet.name,
                                   row.number, headers, rec.source.name))

    # -- sheets of nested lists (deadlines, steps)

    def child(self, sheet: S.Sheet) -> None:
        exported = self.reading.exported.get(sheet.name, {})
        seen: dict[str, Row] = {}
        mine: dict[str, list[Row]] = {}
        for row in self.reading.rows[sheet.name]:
            if row.key and not self.genuine(row, seen, exported):
                continue
            if row.cleared or not row.owner:
                continue
            mine.setdefault(row.owner, []).append(row)
        broken = {owner for owner, rows in mine.items() if not all(r.ok for r in rows)}
        exported_of: dict[str, list[str]] = {}
        for k in exported:
            exported_of.setdefault(k.rsplit("#", 1)[0], []).append(k)
        owners = list(dict.fromkeys([*exported_of, *mine]))
        new_parents = {record["id"]: record for _, record, _ in self.added}
        for owner in owners:
            keys = exported_of.get(owner, [])
            rows = mine.get(owner, [])
            kept = [r for r in rows if r.key and r.key.rsplit("#", 1)[0] == owner]
            touched = (len(kept) != len(keys) or len(kept) != len(rows)
                       or any(r.fingerprint != exported[r.key] for r in kept)
                       or (sheet.ordered and [r.key for r in kept] != keys))
            if not touched or owner in self.removed or owner in broken:
                continue
            if owner in new_parents:
                items = [_ordered(r.record, sheet.record, []) for r in rows]
                for i, r in enumerate(rows):
                    self.child_rows[(owner, i)] = r
                record = new_parents[owner]
                ordered = _ordered({**record, sheet.child: items}, S.TOP[sheet.table].record, [])
                record.clear()
                record.update(ordered)  # the record in self.added, with its list where the schema puts it
                continue
            rec = self.current.get(owner)
            if rec is None:
                self.conflict(rows[0] if rows else None, S.TOP[sheet.table], owner, gone=True)
                continue
            items = rec.data.get(sheet.child) or []
            if [self.fingerprint(sheet, item, owner) for item in items] != [exported[k] for k in keys]:
                self.conflict(rows[0] if rows else None, S.TOP[sheet.table], owner)
                continue
            by_key = {r.key: r for r in kept}
            ours = {id(r) for r in kept}  # rows by identity: two rows may hold the same cells
            new_items: list[tuple[dict, Row | None]] = []
            order = rows if sheet.ordered else \
                [by_key[k] for k in keys if k in by_key] + [r for r in rows if id(r) not in ours]
            for r in order:
                if id(r) in ours:
                    item = items[int(r.key.rsplit("#", 1)[1])]
                    if r.fingerprint != exported[r.key]:
                        changed = _changed(sheet, _view(sheet, item, r.key, self.reading, self.by_id), r.record)
                        item = _merge(item, r.record, changed, sheet.record) if changed else item
                        new_items.append((item, r))
                    else:
                        new_items.append((item, None))
                else:
                    new_items.append((_ordered(r.record, sheet.record, []), r))
            parent = self.updated.get(owner) or dict(rec.data)
            if new_items:
                parent[sheet.child] = [item for item, _ in new_items]
            else:
                parent.pop(sheet.child, None)
            self.updated[owner] = _ordered(parent, S.TOP[sheet.table].record, list(rec.data))
            for i, (_, r) in enumerate(new_items):
                if r is not None:
                    self.child_rows[(owner, i)] = r
            at = self.changed_at.get(owner)
            if at is not None:  # the parent's own row changed too: one change, naming both
                self.changes[at] = dataclasses.replace(self.changes[at], fields=self.changes[at].fields + (sheet.name,))
            else:
                self.changes.append(Change("changed", sheet.table, owner, self.label(sheet.table, owner), sheet.name,
                                           rows[0].number if rows else 0, (sheet.name,), rec.source.name))

    # -- files

    def placed(self) -> dict[Path, dict]:
        """Every touched file's new content (path → data), new files included."""
        files: dict[Path, dict] = {}
        sources = {s.path: s for s in self.loaded.files}

        def content(path: Path) -> dict:
            if path not in files:
                files[path] = copy.deepcopy(sources[path].data) if path in sources else {}
            return files[path]

        for rid in list(self.updated) + sorted(self.removed):
            rec = self.current[rid]
            table = rec.path[0]
            items = content(rec.source.path)[table]
            at = next(i for i, item in enumerate(items) if item.get("id") == rid)
            if rid in self.removed:
                del items[at]
                if not items:
                    del files[rec.source.path][table]
            else:
                items[at] = self.updated[rid]
        homes: dict[str, Path] = {}  # an added document → its new file
        for sheet, record, _ in self.added:
            path = self.home(sheet.table, record, homes)
            if sheet.table == "documents":
                homes[record["id"]] = path
            content(path).setdefault(sheet.table, []).append(record)
        return files

    def home(self, table: str, record: dict, homes: dict[str, Path]) -> Path:
        """The file a new record goes into: the one holding most records like it."""
        root = self.loaded.root
        if table == "documents":
            return root / record["id"] / "document.yaml"

        def like(item: dict) -> int:
            if table == "duties":
                return (item.get("document") == record.get("document")) * (1 + 10 * (item.get("line") == record.get("line")))
            if table == "units":
                return int(item.get("jurisdiction") == record.get("jurisdiction"))
            if "document" in record:
                return int(item.get("document") == record.get("document"))
            return 1

        best, score = None, 0
        for source in self.loaded.files:
            items = source.data.get(table) if isinstance(source.data, dict) else None
            mark = sum(like(item) for item in items or () if isinstance(item, dict))
            if mark > score:
                best, score = source.path, mark
        if best is not None:
            return best
        folder = root
        document = record.get("document")
        if table == "units":
            document = next((r.id for r in self.tables["documents"] if r.data.get("jurisdiction") == record.get(
                "jurisdiction")), None)
        if document in homes:
            folder = homes[document].parent
        elif document in self.current:
            folder = self.current[document].source.path.parent
        return folder / f"{table.replace('_', '-')}.yaml"

    def texts(self, files: dict[Path, dict]) -> tuple[dict[Path, str], list[Path], list[Finding]]:
        sources = {s.path: s for s in self.loaded.files}
        texts, removed, failed = {}, [], []
        for path, data in files.items():
            name = display_name(path)
            try:
                if path in sources and not data:
                    removed.append(path)
                elif path in sources:
                    texts[path] = patch(sources[path].text, data)
                else:
                    texts[path] = new_file(self.modeline(path), data)
            except PatchFailed as why:
                failed.append(Finding("E828", name, 1, 1, f"无法只改动 {name} 中变化的部分：{why}"
                                      "没有写入任何文件。请把这个文件和工作簿交给维护人员。"))
        return texts, removed, failed

    def modeline(self, path: Path) -> str:
        """The schema declaration for a new file, as a file at the same depth writes it."""
        depth = len(path.relative_to(self.loaded.root).parts)
        for source in self.loaded.files:
            first = source.text.split("\n", 1)[0]
            if len(source.path.relative_to(self.loaded.root).parts) == depth and first.startswith("# yaml-language"):
                return first
        for source in self.loaded.files:
            first = source.text.split("\n", 1)[0]
            m = re.match(r"(# yaml-language-server: \$schema=)((?:\.\./)*)(.*)", first)
            if m:
                up = len(m.group(2)) // 3 - len(source.path.relative_to(self.loaded.root).parts) + depth
                return m.group(1) + "../" * max(up, 0) + m.group(3)
        return "# yaml-language-server: $schema=" + "../" * depth + "schemas/data-file.schema.json"


def apply(reading: Reading, loaded: Loaded, before: Report | None = None) -> Plan:
    """The new texts of the data files that the reading changes, checked with the rest of the data."""
    work = _Apply(reading, loaded)
    present = [s for s in S.SHEETS if s.name in reading.rows]
    for sheet in present:
        if not sheet.child:
            work.top(sheet)
    for sheet in present:
        if sheet.child:
            work.child(sheet)
    for sheet, record, row in work.added:
        work.changes.append(Change("added", sheet.table, record["id"], work.label(sheet.table, record["id"])
                                   if sheet.table in KIND_OF else str(record.get("situation") or record.get("name") or ""),
                                   sheet.name, row.number))
    result = Plan(reading.name, [*reading.findings, *work.findings], work.changes)
    if not result.ok:
        return result
    files = work.placed()
    texts, removed, failed = work.texts(files)
    result.findings += failed
    if not result.ok:
        return result
    homes = {item["id"]: display_name(path) for path, data in files.items()
             for items in data.values() for item in items if isinstance(item, dict) and "id" in item}
    result.changes = [dataclasses.replace(c, file=c.file or homes.get(c.id, "")) for c in result.changes]
    result.texts, result.removed = texts, removed
    sources = {s.path: s.text for s in loaded.files}
    result.originals = {path: sources.get(path) for path in [*texts, *removed]}
    result.findings += _check_result(work, files, texts, removed, before)
    return result


def _check_result(work: _Apply, files: dict[Path, dict], texts: dict[Path, str], removed: list[Path],
                  before: Report | None) -> list[Finding]:
    """Validate the data as it would be after writing; findings in the clerk's rows go to their cells."""
    from .pipeline import check_loaded

    root = work.loaded.root
    changed = set(texts) | set(removed)
    sources = [s for s in work.loaded.files if s.path not in changed]
    loaded_findings = [f for f in work.loaded.findings if f.file not in {display_name(p) for p in changed}]
    for path, text in texts.items():
        source, found = load_text(path, display_name(path), text)
        sources.append(source)
        loaded_findings += found
    sources.sort(key=lambda s: s.path.relative_to(root).as_posix())  # the order load() reads files in
    report = check_loaded(Loaded(root, sources, loaded_findings)).report
    known = {(f.code, f.message) for f in before.findings} if before else set()
    where: dict[tuple[str, str, int], str] = {}  # (file, table, index) → id, in the new data
    for path, data in files.items():
        rel = display_name(path)
        for table, items in data.items():
            for i, item in enumerate(items):
                if isinstance(item, dict) and item.get("id") in work.rows or (
                        isinstance(item, dict) and any(k[0] == item.get("id") for k in work.child_rows)):
                    where[(rel, table, i)] = item["id"]
    out = []
    for f in report.findings:
        if f.severity == "info":
            continue
        moved = _relocate(f, where, work)
        if moved is not None:
            out.append(moved)
        elif f.severity == "error" or (f.code, f.message) not in known:
            note = "（位置指导入后的文件内容。）" if f.file in {display_name(p) for p in texts} else ""
            out.append(dataclasses.replace(f, note=(f.note + " " if f.note and note else f.note) + note))
    return out


def _relocate(f: Finding, where: dict, work: _Apply) -> Finding | None:
    m = re.match(r"(\w+)\[(\d+)\](?:\.(\w+)(?:\[(\d+)\])?(?:\.(\w+))?)?", f.path or "")
    if not m:
        return None
    rid = where.get((f.file, m.group(1), int(m.group(2))))
    if rid is None:
        return None
    table, name, index, sub = m.group(1), m.group(3), m.group(4), m.group(5)
    child = S.CHILDREN.get(table)
    row, field_name = work.rows.get(rid), name
    if child is not None and name == child.child and index is not None and (rid, int(index)) in work.child_rows:
        row, field_name = work.child_rows[(rid, int(index))], sub
    elif name == "visits" and sub:
        field_name = f"visits.{sub}"
    if row is None:
        return None
    column = next((c for c in row.sheet.columns if c.field == field_name), None)
    at = row.at.get(column, min(row.at.values())) if column else min(row.at.values())
    where_ = ref(row.title, row.number, at)
    return Finding(f.code, work.reading.name, row.number, at, f"「{where_}」{f.message}", where_,
                   (f.note + " " if f.note else "") + f"（数据中的位置：{f.path}）")


def write(result: Plan) -> list[str]:
    """Write the plan's files: each to a temporary file beside it first, then all renamed into place. If that
    fails part way, the files already replaced get their old text back: never a half-written data folder."""
    staged: list[tuple[str, Path]] = []
    done: list[Path] = []
    try:
        for path, text in sorted(result.texts.items()):
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, scratch = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
            staged.append((scratch, path))
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                stream.write(text)
        for scratch, path in staged:
            os.replace(scratch, path)
            done.append(path)
        for path in result.removed:
            path.unlink()
            done.append(path)
    except OSError:
        for scratch, _ in staged:
            if os.path.exists(scratch):
                os.unlink(scratch)
        for path in done:
            old = result.originals.get(path)
            if old is None:
                path.unlink(missing_ok=True)
            else:
                path.write_text(old, encoding="utf-8", newline="")
        raise
    return [display_name(p) for p in done]
