"""The workbook's look, written with openpyxl: headers with notes, drop-downs, frozen panes, widths, wrapped text,
the guide sheet, the hidden lists and the very hidden marker; and bytes that are the same for the same data."""
from __future__ import annotations

import copy
import datetime as dt
import io
import zipfile

from . import sheets as S
from .sheets import FORMAT, GUIDE, MARKER, OPTIONS, VERSION
from .validate import Record
from .workbookcells import ExportRow

SPARE_ROWS = 300  # empty rows below the data that keep the drop-downs and formats, for new records
STAMP = dt.datetime(2000, 1, 1)  # the same data gives the same bytes: no "now" inside the file


def write_book(chosen: list[S.Sheet], rows: dict[str, list[ExportRow]], names: S.Names,
               tables: dict[str, list[Record]], scope: dict[str, list[Record]], shown: set[str],
               jurisdiction: str | None, data_name: str) -> bytes:
    """The .xlsx: the guide, a sheet for each of `chosen` with its `rows`, the drop-downs' lists, the marker."""
    from openpyxl import Workbook

    book = Workbook()
    guide = book.active
    guide.title = GUIDE
    options = _Options(book.create_sheet(OPTIONS))
    marker = book.create_sheet(MARKER)
    marker.append([FORMAT, VERSION])
    marker.append(["范围", jurisdiction or ""])
    marker.append(["工作表", "标识", "指纹"])
    for sheet in chosen:
        _write_sheet(book.create_sheet(sheet.name), sheet, rows[sheet.name], names, options, tables, scope, shown)
        marker.append([sheet.name, "", ""])
        for row in rows[sheet.name]:
            marker.append([sheet.name, row.key, row.fingerprint])
    _write_guide(guide, chosen, jurisdiction, data_name)
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
                 tables: dict[str, list[Record]], scope: dict[str, list[Record]], shown: set[str]) -> None:
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
        validation = _validation(sheet, column, names, options, tables, scope, shown)
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


def _validation(sheet: S.Sheet, column: S.Column, names: S.Names, options: _Options, tables, scope, shown):
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
