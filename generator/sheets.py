"""What the clerks' workbook holds: one sheet per kind of record, its columns, and how a value becomes a cell.

The columns are the schemas' fields with Chinese headers. Which fields are required, which values an enum allows,
and which fields each kind of deadline takes are read from the schemas, so the workbook and validation cannot
disagree. A record's cells are computed by `cells` and read back by `Reader`; export and import both go through
`normal`, so "this row is unchanged" means the same on both sides.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from . import labels
from .dates import parse_date
from .schema import schema_texts


@dataclass(frozen=True)
class Column:
    header: str
    field: str  # the record's key; "visits.kind" for a field of a nested mapping
    kind: str  # text, texts (one per line), int, date, month, enum, enums, bool, ref, refs (names, 、-separated)
    target: str = ""  # ref(s): the kind of record named; enum(s): the enum's name in ENUMS
    width: float = 14

    @property
    def top(self) -> str:
        return self.field.split(".")[0]


@dataclass(frozen=True)
class Sheet:
    name: str  # the sheet's name in the workbook
    table: str  # the top-level list in the data files (a child sheet: its parent's)
    record: str  # the kind of record a row is (schema name)
    columns: tuple[Column, ...]
    child: str = ""  # a child sheet: the list field of the parent that its rows make up (deadlines, steps)
    owner: Column | None = None  # a child sheet: the column that names the parent record
    freeze: int = 1  # visible columns kept in view when scrolling right
    ordered: bool = False  # a child sheet whose rows' order is the data's (the steps of a reporting chain)

    @property
    def all_columns(self) -> tuple[Column, ...]:
        return ((self.owner,) if self.owner else ()) + self.columns


ID_HEADER = "标识（勿改）"
MARKER = "qingdan"  # the very hidden sheet that marks a workbook as qingdan's: its A1 says FORMAT
FORMAT = "qingdan-workbook"
VERSION = 1
OPTIONS = "选项"  # the hidden sheet the drop-downs' lists are on
GUIDE = "说明"

_DEADLINE = (
    ("类型", "kind", "enum", "deadline_kind", 10), ("日期", "date", "date", "", 12), ("月份", "month", "month", "", 10),
    ("年份", "year", "int", "", 8), ("阶段", "phase", "text", "", 16), ("开始", "start", "date", "", 12),
    ("结束", "end", "date", "", 12), ("周期", "every", "enum", "every", 9), ("每期次数", "times", "int", "", 9),
    ("不少于", "at_least", "bool", "", 8), ("期内第几天前", "by_day", "int", "", 9), ("情形", "event", "text", "", 16),
    ("管哪部分", "label", "text", "", 20), ("原文说法", "text", "text", "", 30), ("缺什么", "reason", "text", "", 16),
    ("编者推定", "inferred", "text", "", 30),
)


def _columns(*specs: tuple) -> tuple[Column, ...]:
    return tuple(Column(*spec) for spec in specs)


SHEETS: tuple[Sheet, ...] = (
    Sheet("职责", "duties", "duty", _columns(
        ("文件", "document", "ref", "document", 14), ("条款", "clause", "text", "", 9), ("名称", "title", "text", "", 22),
        ("条线", "line", "ref", "line", 10), ("牵头单位", "lead", "refs", "unit", 20),
        ("牵头依据", "lead_basis", "enum", "lead_basis", 17), ("配合单位", "support", "refs", "unit", 22),
        ("概述", "summary", "text", "", 56), ("具体工作", "actions", "texts", "", 48),
        ("牵头说明", "lead_note", "text", "", 40), ("岗位", "roles", "refs", "role", 12),
        ("须先完成", "depends_on", "refs", "duty", 18), ("法律政策依据", "basis", "texts", "", 24),
        ("标签", "tags", "texts", "", 14)), freeze=3),
    Sheet("时限", "duties", "deadline", _columns(*_DEADLINE), child="deadlines",
          owner=Column("职责", "", "ref", "duty", 24)),
    Sheet("单位", "units", "unit", _columns(
        ("名称", "name", "text", "", 30), ("简称", "short_name", "text", "", 16), ("别名", "aliases", "texts", "", 20),
        ("类别", "kind", "enum", "unit_kind", 14), ("层级", "level", "enum", "level", 11),
        ("上级单位", "parent", "ref", "unit", 16), ("辖区", "jurisdiction", "text", "", 18),
        ("编者说明", "note", "text", "", 40))),
    Sheet("文件", "documents", "document", _columns(
        ("标题", "title", "text", "", 40), ("简称", "short_title", "text", "", 16), ("文号", "number", "text", "", 22),
        ("发文机关", "issuer", "text", "", 30), ("印发日期", "issued", "date", "", 12),
        ("日期说明", "issued_note", "text", "", 30), ("辖区", "jurisdiction", "text", "", 18),
        ("出处", "source", "text", "", 40), ("范本", "template", "bool", "", 8),
        ("编者说明", "note", "text", "", 40))),
    Sheet("转介路线", "referrals", "referral", _columns(
        ("文件", "document", "ref", "document", 14), ("条款", "clause", "text", "", 9),
        ("情形", "situation", "text", "", 24), ("具体情况", "examples", "texts", "", 24),
        ("转介单位", "to", "refs", "unit", 18), ("通报单位", "notify", "refs", "unit", 18),
        ("须立即处置", "urgent", "bool", "", 10), ("做什么", "action", "text", "", 40),
        ("岗位", "roles", "refs", "role", 12)), freeze=3),
    Sheet("风险等级", "risk_levels", "risk-level", _columns(
        ("文件", "document", "ref", "document", 14), ("条款", "clause", "text", "", 9), ("名称", "name", "text", "", 12),
        ("颜色", "colour", "enum", "colour", 8), ("次序", "order", "int", "", 7), ("含义", "meaning", "text", "", 30),
        ("措施", "measures", "texts", "", 36), ("岗位", "roles", "refs", "role", 12),
        *(("走访" + h, "visits." + f, k, t, w) for h, f, k, t, w in _DEADLINE)), freeze=3),
    Sheet("报告路线", "reporting_chains", "reporting-chain", _columns(
        ("文件", "document", "ref", "document", 14), ("条款", "clause", "text", "", 12),
        ("名称", "name", "text", "", 40)), freeze=3),
    Sheet("报告环节", "reporting_chains", "step", _columns(
        ("岗位", "role", "ref", "role", 14), ("单位", "unit", "ref", "unit", 16), ("做什么", "does", "text", "", 50),
        ("什么情况下", "when", "text", "", 40)), child="steps", owner=Column("路线", "", "ref", "chain", 30), ordered=True),
    Sheet("条线", "lines", "line", _columns(
        ("名称", "name", "text", "", 12), ("简称", "short_name", "text", "", 10), ("别名", "aliases", "texts", "", 14),
        ("类别", "kind", "enum", "line_kind", 10), ("顺序", "order", "int", "", 7),
        ("说明", "description", "text", "", 50))),
    Sheet("岗位", "roles", "role", _columns(
        ("名称", "name", "text", "", 16), ("别名", "aliases", "texts", "", 16),
        ("设在哪类单位", "unit_kinds", "enums", "unit_kind", 24), ("说明", "description", "text", "", 56))),
    Sheet("术语", "terms", "term", _columns(
        ("词条", "term", "text", "", 18), ("别名", "aliases", "texts", "", 18), ("释义", "definition", "text", "", 60),
        ("依据", "basis", "texts", "", 30), ("相关词条", "see", "refs", "term", 24))),
)
BY_NAME = {s.name: s for s in SHEETS}
TOP = {s.table: s for s in SHEETS if not s.child}  # top-level list → its sheet
CHILDREN = {s.table: s for s in SHEETS if s.child}  # parent's list → the sheet of its nested list

ENUMS: dict[str, dict[str, str]] = {  # value → label shown in the drop-down
    "lead_basis": labels.LEAD_BASIS, "deadline_kind": labels.DEADLINE_KINDS, "every": labels.EVERY,
    "unit_kind": labels.UNIT_KINDS, "level": labels.LEVELS, "colour": labels.RISK_COLOURS,
    "line_kind": labels.LINE_KINDS,
}
YES, NO = "是", "否"
# What a clerk may type between several names in one cell (the drop-down fills in one name).
SEPARATORS = re.compile(r"[、，,；;／/\n]+")
TARGETS = {"unit": "units", "document": "documents", "line": "lines", "role": "roles", "duty": "duties",
           "term": "terms", "chain": "reporting_chains"}
WORDS = {"unit": "单位", "document": "文件", "line": "条线", "role": "岗位", "duty": "职责", "term": "术语词条",
         "chain": "报告路线"}


# ---------------------------------------------------------------- from the schemas

_SCHEMA_FILES = {"document": "document", "unit": "unit", "line": "line", "role": "role", "duty": "duty",
                 "referral": "referral", "risk-level": "risk-level", "term": "term",
                 "reporting-chain": "reporting-chain", "deadline": "deadline", "step": "reporting-chain"}


@lru_cache(maxsize=None)
def record_schema(record: str) -> dict:
    schema = json.loads(schema_texts()[f"{_SCHEMA_FILES[record]}.schema.json"])
    return schema["properties"]["steps"]["items"] if record == "step" else schema


def fields(record: str) -> list[str]:
    """The record's fields in the schema's order: the order new records are written in."""
    return list(record_schema(record)["properties"])


def required(record: str) -> set[str]:
    return set(record_schema(record).get("required", ()))


def description(record: str, field: str) -> str:
    return record_schema(record)["properties"].get(field, {}).get("description", "")


@lru_cache(maxsize=None)
def deadline_rules() -> dict[str, tuple[set[str], set[str]]]:
    """Deadline kind → (fields it requires, fields it allows), from the schema's if/then rules."""
    rules = {}
    for rule in record_schema("deadline")["allOf"]:
        kind = rule["if"]["properties"]["kind"]["const"]
        rules[kind] = (set(rule["then"].get("required", ())) | {"kind"}, set(rule["then"]["propertyNames"]["enum"]))
    return rules


def enum_values(column: Column) -> list[str]:
    return list(ENUMS[column.target])


# ---------------------------------------------------------------- cells

def normal(value: Any, kind: str) -> str:
    """A cell's value as text, the same whether it comes from the data or from a saved workbook: spreadsheet
    programs turn typed dates into date cells, numbers into floats and line breaks into CR LF."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m") if kind == "month" else value.isoformat()
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.strip() for line in text.strip().split("\n"))


def get(record: dict, field: str) -> Any:
    value: Any = record
    for part in field.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def cell(record: dict, column: Column, names: "Names") -> Any:
    """The value written to a cell for one field of a record (None for an empty cell)."""
    value = get(record, column.field)
    if value is None or value == []:
        return None
    if column.kind == "texts":
        return "\n".join(str(v) for v in value)
    if column.kind == "enum":
        return ENUMS[column.target].get(value, value)
    if column.kind == "enums":
        return "、".join(ENUMS[column.target].get(v, v) for v in value)
    if column.kind == "bool":
        return YES if value else NO
    if column.kind == "ref":
        return names.label(column.target, value)
    if column.kind == "refs":
        return "、".join(names.label(column.target, v) for v in value)
    if column.kind == "date":
        return parse_date(value) or value
    return value


def fingerprint(values: list[str]) -> str:
    """Identifies a row's content: the same texts give the same fingerprint."""
    import hashlib

    return hashlib.sha256("\x1f".join(values).encode("utf-8")).hexdigest()[:20]


# ---------------------------------------------------------------- names of records

class Names:
    """The names cells use for records, and the way back from a name to an id.

    A unit is shown by its short name where no other unit shown in the workbook has that name, else by its full
    name. Reading back, any of a record's names (full name, short name, alias, the shown label) is accepted; a name
    several units share is settled by the jurisdiction of the row's document."""

    def __init__(self) -> None:
        self.labels: dict[str, dict[str, str]] = {k: {} for k in TARGETS}  # kind → id → label
        self.lookup: dict[str, dict[str, list[str]]] = {k: {} for k in TARGETS}  # kind → name → ids
        self.jurisdiction: dict[str, str] = {}  # unit id → its jurisdiction; document id → its jurisdiction
        self._by_label: dict[str, dict[str, list[str]]] = {}  # kind → label → ids, built when first needed

    @classmethod
    def of(cls, records: dict[str, list[dict]], shown_units: set[str] | None = None) -> "Names":
        """`records`: table → raw records. `shown_units`: the units the workbook lists (default: all)."""
        names = cls()
        for kind, table in TARGETS.items():
            for rec in records.get(table, ()):
                names.add(kind, rec)
        units = [u for u in records.get("units", ()) if shown_units is None or u["id"] in shown_units]
        first = [u.get("short_name") or u["name"] for u in units]
        uses = Counter(first)
        for unit, name in zip(units, first):
            names.labels["unit"][unit["id"]] = name if uses[name] == 1 else unit["name"]
        for kind, table in names.labels.items():  # a label two records share would be read back as either
            count = Counter(table.values())
            for rid, label in table.items():
                if count[label] > 1:
                    table[rid] = f"{label}（{rid}）"
        names._by_label.clear()
        return names

    def add(self, kind: str, rec: dict) -> None:
        rid = rec.get("id")
        if not isinstance(rid, str):
            return
        words = [rec.get(f) for f in ("name", "short_name", "title", "short_title", "term", "number")] + \
            list(rec.get("aliases") or ()) + [rid]
        if kind == "line":
            words = [rec.get("name"), rec.get("short_name"), *(rec.get("aliases") or ()), rid]
        for word in dict.fromkeys(w for w in words if isinstance(w, str) and w):
            self.lookup[kind].setdefault(word, []).append(rid)
        self.labels[kind].setdefault(rid, _label(kind, rec))
        self._by_label.pop(kind, None)
        if kind in ("unit", "document") and isinstance(rec.get("jurisdiction"), str):
            self.jurisdiction[rid] = rec["jurisdiction"]

    def label(self, kind: str, rid: str) -> str:
        return self.labels[kind].get(rid, rid)

    def find(self, kind: str, name: str, jurisdiction: str | None = None) -> list[str]:
        """Ids a name may mean: one when it is clear."""
        if kind not in self._by_label:
            table: dict[str, list[str]] = {}
            for rid, label in self.labels[kind].items():
                table.setdefault(label, []).append(rid)
            self._by_label[kind] = table
        by_label = self._by_label[kind].get(name, [])
        if len(by_label) == 1:
            return by_label
        found = list(dict.fromkeys(self.lookup[kind].get(name, ())))
        if len(found) > 1 and jurisdiction:
            local = [rid for rid in found if self.jurisdiction.get(rid) == jurisdiction]
            if local:
                return local
        return found

    def options(self, kind: str, ids: list[str] | None = None) -> list[str]:
        table = self.labels[kind]
        return [table[rid] for rid in (ids if ids is not None else table) if rid in table]


def _label(kind: str, rec: dict) -> str:
    for field in {"document": ("short_title", "title"), "duty": ("title",), "term": ("term",)}.get(
            kind, ("name",)):
        if isinstance(rec.get(field), str):
            return rec[field]
    return str(rec.get("id"))


_TERMS = {"issued_note": "“日期说明”", "jurisdiction": "“辖区”", "assigned": "“编者指定（待确认）”"}


def note(sheet: Sheet, column: Column) -> str:
    """What a column holds, for its header's note: the schema's description in the workbook's own words."""
    record, name = ("deadline", column.field.split(".")[1]) if "." in column.field else (sheet.record, column.field)
    if column.kind in ("ref", "refs"):
        return f"{WORDS[column.target]}的名称：全称、简称或别名都可以。"
    if column.target == "lead_basis":
        return "".join(f"{labels.LEAD_BASIS[k]}：{v}" for k, v in labels.LEAD_BASIS_EXPLAINED.items())
    if column.target == "deadline_kind":
        headers = {c.field.split(".")[-1]: c.header for c in sheet.columns}
        parts = []
        for kind, (need, _) in deadline_rules().items():
            cells = [headers[f] for f in fields("deadline") if f in need - {"kind"}]
            parts.append(f"{ENUMS['deadline_kind'][kind]}填{'、'.join(cells)}" if cells else
                         f"{ENUMS['deadline_kind'][kind]}不必再填")
        return "时限的类型，它决定还要填哪几列：" + "；".join(parts) + "。"
    if column.kind in ("enum", "enums"):
        return f"可选：{'、'.join(ENUMS[column.target].values())}。"
    text = description(record, name)
    text = re.sub(r"kind: (\w+)((?: 或 \w+)*) ?", lambda m: "类型为" + "或".join(
        f"“{ENUMS['deadline_kind'][k]}”" for k in [m.group(1), *m.group(2).split(" 或 ")[1:]]), text)
    for word, chinese in _TERMS.items():
        text = text.replace(word, chinese)
    return text
