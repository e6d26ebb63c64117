"""The workbook's rows: a record's cells (to write, and to compare with), and a saved row read back into a record.

Reading finds sheets by name (or, renamed, by their headers) and columns by header, so a clerk may reorder them;
every cell that cannot be read gets a finding at the cell, in Chinese, and all of them are reported at once.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable

from . import sheets as S
from .dates import parse_date
from .nearest import nearest
from .findings import Finding
from .ids import free_id, pinyin_slug
from .load import Loaded
from .sheets import FORMAT, GUIDE, MARKER, OPTIONS, VERSION
from .validate import Record, personal_matches, records

def by_table(loaded: Loaded) -> dict[str, list[Record]]:
    out: dict[str, list[Record]] = {table: [] for table in S.TOP}
    for rec in records(loaded):
        out[rec.path[0]].append(rec)
    return out


def row_cells(sheet: S.Sheet, record: dict, names: S.Names) -> list[Any]:
    return [S.cell(record, c, names) for c in sheet.columns]


def row_fingerprint(sheet: S.Sheet, values: Iterable[Any], owner: str = "") -> str:
    return S.fingerprint([owner] + [S.normal(v, c.kind) for v, c in zip(values, sheet.columns)])


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


def marker(book, name: str) -> tuple[str | None, dict[str, dict[str, str]]] | Finding:
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


def find_sheet(book, sheet: S.Sheet, claimed: set[str], reading: Reading):
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


def rows_of(ws, sheet: S.Sheet, reading: Reading) -> list[Row]:
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


def new_ids(reading: Reading, tables: dict[str, list[Record]]) -> None:
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
                row.new_id = free_id(_wanted_id(sheet.table, text, tables, names, taken), taken)
                taken.add(row.new_id)
            if sheet.table in KIND_OF:
                names.add(KIND_OF[sheet.table], {**{k: v for k, v in text.items() if v}, "id": row.key or row.new_id,
                                                 "aliases": text.get("aliases", "").split("\n")})


def _slug(text: str, joiner: str = "") -> str:
    slug = pinyin_slug(text, joiner)[:40] or "new"
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


def parse_row(row: Row, reading: Reading, by_id: dict[str, dict]) -> None:
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
        guess = nearest(part, list(names.lookup[column.target]), n=1, cutoff=0.5)
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
