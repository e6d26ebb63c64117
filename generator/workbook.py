"""The clerks' workbook: the data set (or one jurisdiction) as an .xlsx to edit in Excel or WPS, and back.

`export` writes one sheet per kind of record (generator.sheets; the layout is generator.workbooklayout), each row
carrying its record's id in a hidden first column. A very hidden sheet (sheets.MARKER) marks the workbook as ours
and keeps, for every exported row, a fingerprint of its cells. `read` turns the saved workbook back into records
(generator.workbookcells), with a finding located at the cell for everything it cannot read. `apply`
(generator.workbookapply) compares each row with the fingerprint (did the clerk change it?) and with the data as it
is now (did someone change the YAML since?), changes only what the clerk changed, through generator.yamlpatch, and
validates the result with the rest of the data before `write` touches a file. `plan` does read and apply.
"""
from __future__ import annotations

from pathlib import Path

from . import sheets as S
from .findings import Finding
from .load import Loaded, display_name, load
from .sheets import FORMAT, MARKER
from .validate import Record
from .workbookapply import Change, Plan, apply, write
from .workbookcells import Reading, Row, by_table, export_rows, find_sheet, marker, new_ids, parse_row, rows_of

__all__ = ["export", "read", "apply", "plan", "write", "sniff", "jurisdictions", "sheets_of", "Plan", "Change",
           "Reading", "Row"]

ENCRYPTED = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE container: a password-protected workbook (or a .xls)
SHARED = ("lines", "roles", "terms")  # records that belong to no jurisdiction: only in a full export


# ---------------------------------------------------------------- what the workbook shows

def jurisdictions(loaded: Loaded) -> list[str]:
    return list(dict.fromkeys(r.data["jurisdiction"] for r in by_table(loaded)["documents"]
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


def shown_units(scope: dict[str, list[Record]]) -> set[str]:
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
    return S.Names.of({t: [r.data for r in recs] for t, recs in tables.items()}, shown_units(scope))


def sheets_for(scope: dict[str, list[Record]]) -> list[S.Sheet]:
    """A sheet for each kind of record the scope has, and the nested lists' sheets beside their parents."""
    out = []
    for sheet in S.SHEETS:
        parent = S.TOP[sheet.table]
        if scope.get(sheet.table) or (sheet.child and scope.get(parent.table)):
            out.append(sheet)
    return out


def sheets_of(loaded: Loaded, jurisdiction: str | None) -> list[S.Sheet]:
    return sheets_for(in_scope(by_table(loaded), jurisdiction))




# ---------------------------------------------------------------- export

def export(loaded: Loaded, jurisdiction: str | None = None) -> bytes:
    """The workbook for the whole data set or one jurisdiction, as .xlsx bytes. Call with validated data."""
    from .workbooklayout import write_book

    tables = by_table(loaded)
    scope = in_scope(tables, jurisdiction)
    names = names_for(tables, jurisdiction)
    chosen = sheets_for(scope)
    rows = {sheet.name: export_rows(sheet, scope, names) for sheet in chosen}
    return write_book(chosen, rows, names, tables, scope, shown_units(scope), jurisdiction, loaded.root.name)


# ---------------------------------------------------------------- reading a saved workbook

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
    if head[:4] == ENCRYPTED[:4]:  # any OLE container: an old .xls or an encrypted .xlsx
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
    found = marker(book, name)
    if isinstance(found, Finding):
        return Reading(name, None, {}, {}, [found])
    jurisdiction, exported = found
    reading = Reading(name, jurisdiction, exported, {})
    sheets = [S.BY_NAME[n] for n in exported if n in S.BY_NAME]
    claimed = {n for n in exported}
    for sheet in sheets:
        ws = find_sheet(book, sheet, claimed, reading)
        if ws is not None:
            reading.rows[sheet.name] = rows_of(ws, sheet, reading)
    tables = by_table(loaded)
    reading.names = names_for(tables, jurisdiction)
    new_ids(reading, tables)
    by_id = {r.id: r.data for recs in tables.values() for r in recs}
    for sheet in sheets:
        for row in reading.rows.get(sheet.name, ()):
            if not row.cleared:
                parse_row(row, reading, by_id)
    return reading




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
