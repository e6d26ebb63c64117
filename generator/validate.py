"""Stage 2: validate loaded files — schema first, then what only the whole data set can tell.

Reference checks run on whatever records are well-formed enough to read, so one typo does not hide the rest.
Nothing here modifies a file.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterator

from . import labels, paths, schema
from .dates import due_date, parse_date
from .nearest import nearest
from .findings import Finding, Report
from .load import LineIndex, Loaded, SourceFile, format_path

KINDS = schema.RECORDS  # top-level list in a data file → the kind of record it holds


@dataclass(frozen=True)
class Record:
    kind: str  # document / unit / line / role / duty
    data: dict
    source: SourceFile
    path: tuple  # e.g. ("duties", 3)

    @property
    def id(self) -> str | None:
        value = self.data.get("id")
        return value if isinstance(value, str) else None

    def at(self, *rest: Any, key: bool = False) -> tuple[str, int, int, str]:
        path = self.path + rest
        line, column = self.source.where(path, key=key)
        return self.source.name, line, column, format_path(path)

    def finding(self, code: str, message: str, *rest: Any, note: str = "", key: bool = False) -> Finding:
        name, line, column, path = self.at(*rest, key=key)
        return Finding(code, name, line, column, message, path, note)


def records(loaded: Loaded) -> list[Record]:
    out = []
    for source in loaded.files:
        if not isinstance(source.data, dict):
            continue
        for key, kind in KINDS.items():
            items = source.data.get(key)
            if isinstance(items, list):
                out.extend(Record(kind, item, source, (key, i)) for i, item in enumerate(items) if isinstance(item, dict))
    return out


def validate(loaded: Loaded) -> Report:
    findings: list[Finding] = list(loaded.findings)
    for source in loaded.files:
        if source.data is not None:
            findings.extend(schema.check(source))
            findings.extend(control_characters(source))
        findings.extend(personal_data(source))
    findings.extend(check_records(records(loaded)))
    return Report.of(findings, files=len(loaded.files) + sum(1 for f in loaded.findings if f.code in ("E101", "E102", "E109")))


# ---------------------------------------------------------------- references, dates, cycles

def _strings(value: Any) -> list[tuple[int, str]]:
    if not isinstance(value, list):
        return []
    return [(i, v) for i, v in enumerate(value) if isinstance(v, str)]


class _Index:
    """Ids by kind, with names for "did you mean" suggestions."""

    def __init__(self, recs: list[Record]) -> None:
        self.by_kind: dict[str, dict[str, Record]] = {k: {} for k in KINDS.values()}
        self.first: dict[str, Record] = {}
        self.duplicates: list[tuple[Record, Record]] = []
        for rec in recs:
            rid = rec.id
            if rid is None:
                continue
            if rid in self.first:
                self.duplicates.append((rec, self.first[rid]))
                continue
            self.first[rid] = rec
            self.by_kind[rec.kind][rid] = rec
        self._names: dict[str, dict[str, str]] = {}

    def names(self, kind: str) -> dict[str, str]:
        """name, short name or alias → id, built on first need (only when something is wrong)."""
        if kind not in self._names:
            table: dict[str, str] = {}
            for rid, rec in self.by_kind[kind].items():
                for field in ("name", "short_name", "title", "short_title"):
                    if isinstance(rec.data.get(field), str):
                        table.setdefault(rec.data[field], rid)
                for _, alias in _strings(rec.data.get("aliases")):
                    table.setdefault(alias, rid)
            self._names[kind] = table
        return self._names[kind]

    def suggest(self, kind: str, wrong: str) -> str:
        ids = self.by_kind[kind]
        names = self.names(kind)
        if wrong in names:
            rid = names[wrong]
            return f"“{wrong}”是名称，这里要写标识符：{rid}。"
        guess = nearest(wrong, list(ids), n=1, cutoff=0.6)
        if not guess:
            guess = [names[n] for n in nearest(wrong, list(names), n=1, cutoff=0.5)]
        if guess:
            label = _label(ids[guess[0]])
            return f"你是不是想写 {guess[0]}{label}？"
        return ""


def _label(rec: Record) -> str:
    for field in ("short_name", "name", "title"):
        if isinstance(rec.data.get(field), str):
            return f"（{rec.data[field]}）"
    return ""


REF_CODES = {"unit": ("E302", "单位"), "line": ("E303", "条线"), "document": ("E304", "文件"),
             "role": ("E305", "岗位"), "duty": ("E306", "职责"), "term": ("E311", "术语")}


def check_records(recs: list[Record]) -> Iterator[Finding]:
    index = _Index(recs)
    for rec, first in index.duplicates:
        name, line, _, _ = first.at("id")
        yield rec.finding("E301", f"标识符 {rec.id} 已经用过了。每个标识符在所有文件中只能出现一次，请换一个新的。",
                          "id", note=f"第一次出现在 {name} 第 {line} 行。")
    yield from _look_alike_ids(index)
    yield from _page_clashes(index)

    def ref(rec: Record, kind: str, value: Any, *path: Any) -> Iterator[Finding]:
        if isinstance(value, str) and value != value.strip():
            return  # the schema check says so (E112)
        if isinstance(value, str) and value not in index.by_kind[kind]:
            code, word = REF_CODES[kind]
            yield rec.finding(code, f"找不到{word} {value}。请检查拼写，或先在数据中添加这个{word}。", *path,
                              note=index.suggest(kind, value))

    for rec in recs:
        d = rec.data
        if rec.kind == "duty":
            yield from ref(rec, "document", d.get("document"), "document")
            yield from ref(rec, "line", d.get("line"), "line")
            leads = _strings(d.get("lead"))
            for field, kind in (("lead", "unit"), ("support", "unit"), ("roles", "role"), ("depends_on", "duty")):
                for i, value in _strings(d.get(field)):
                    yield from ref(rec, kind, value, field, i)
            lead_ids = {v for _, v in leads}
            for i, value in _strings(d.get("support")):
                if value in lead_ids:
                    yield rec.finding("W310", f"单位 {value} 同时列在牵头（lead）和配合（support）中，请只保留一处。",
                                      "support", i)
            yield from _deadline_checks(rec, index)
        elif rec.kind == "unit":
            if isinstance(d.get("parent"), str):
                yield from ref(rec, "unit", d["parent"], "parent")
        elif rec.kind in ("referral", "risk-level", "reporting-chain"):
            yield from ref(rec, "document", d.get("document"), "document")
            for field, kind in (("to", "unit"), ("notify", "unit"), ("roles", "role")):
                for i, value in _strings(d.get(field)):
                    yield from ref(rec, kind, value, field, i)
            for i, step in enumerate(d.get("steps") or []):
                if isinstance(step, dict):
                    for kind in ("role", "unit"):
                        yield from ref(rec, kind, step.get(kind), "steps", i, kind)
        elif rec.kind == "term":
            for i, value in _strings(d.get("see")):
                yield from ref(rec, "term", value, "see", i)
        elif rec.kind == "document":
            yield from _date_exists(rec, d.get("issued"), "issued")

    yield from _dependency_cycles(index)
    yield from _parent_cycles(index)


def _canonical(rid: str) -> str:
    return unicodedata.normalize("NFKC", rid).casefold().strip()


def _look_alike_ids(index: _Index) -> Iterator[Finding]:
    """Ids that differ only in case, full-width letters or surrounding blanks name the same page: on the
    case-blind file systems of Windows and macOS (a copied offline handbook) one would overwrite the other."""
    by_form: dict[str, list[Record]] = {}
    for rec in index.first.values():
        by_form.setdefault(_canonical(rec.id), []).append(rec)
    for form, group in by_form.items():
        if len(group) < 2:
            continue
        keep = next((r for r in group if r.id == form), group[0])  # the one already written as it should be
        name, line, _, _ = keep.at("id")
        for rec in group:
            if rec is not keep:
                yield rec.finding("E312", f"标识符“{rec.id}”和 {keep.id} 只差大小写、全角半角或空白，"
                                          "会生成同一个页面。请换一个不同的标识符，只用小写字母、数字、- 和 .。",
                                  "id", note=f"{keep.id} 在 {name} 第 {line} 行。")


def _page_clashes(index: _Index) -> Iterator[Finding]:
    """A record whose page would replace one of the handbook's own (units/index.md, units/kind-school.md, a
    role's one-page brief) or another record's."""
    fixed = {"units/index.md": "单位一览", "lines/index.md": "保护条线", "roles/index.md": "岗位一览",
             "documents/index.md": "文件一览", "duties/index.md": "职责"}
    fixed |= {paths.kind_path(k): f"{word}类单位一览" for k, word in labels.UNIT_KINDS.items()}
    pages = {"unit": [paths.unit_path], "duty": [paths.duty_path], "line": [paths.line_path],
             "document": [paths.document_path], "role": [paths.role_path, paths.brief_path]}
    owner: dict[str, Record] = {}
    for kind, where in pages.items():
        for rid, rec in sorted(index.by_kind[kind].items()):
            for page in (f(rid) for f in where):
                if page in fixed:
                    yield rec.finding("E313", f"标识符 {rid} 的页面 {page} 和手册自带的“{fixed[page]}”页同名，"
                                              "会把它覆盖。请换一个标识符。", "id")
                elif page in owner:
                    yield rec.finding("E313", f"标识符 {rid} 的页面 {page} 和 {owner[page].id} 的页面同名，"
                                              "会互相覆盖。请换一个标识符。", "id")
                else:
                    owner[page] = rec


def _date_exists(rec: Record, value: Any, *path: Any) -> Iterator[Finding]:
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) and parse_date(value) is None:
        yield rec.finding("E401", f"日期 {value} 在日历上不存在，请改成正确的日期。", *path)


def _deadline_checks(rec: Record, index: _Index) -> Iterator[Finding]:
    deadlines = rec.data.get("deadlines")
    if not isinstance(deadlines, list):
        return
    doc = index.by_kind["document"].get(rec.data.get("document")) if isinstance(rec.data.get("document"), str) else None
    issued = parse_date(doc.data.get("issued")) if doc else None
    for i, dl in enumerate(deadlines):
        if not isinstance(dl, dict):
            continue
        for field in ("date", "start", "end"):
            yield from _date_exists(rec, dl.get(field), "deadlines", i, field)
        start, end = parse_date(dl.get("start")), parse_date(dl.get("end"))
        if start and end and end < start:
            yield rec.finding("E404", f"结束日期 {end} 早于开始日期 {start}，请核对原文。", "deadlines", i, "end")
        due = due_date(dl)
        if issued and due and due < issued:
            yield rec.finding("E402", f"时限 {due} 早于文件印发日期 {issued}。请核对年份是否写错。", "deadlines", i,
                              note=f"文件 {doc.id} 的印发日期见 {doc.source.name}。")
        if dl.get("kind") == "recurring" and not dl.get("start") and not issued and doc:
            yield rec.finding("I406", "这项周期性工作没有起始日期（start），文件也没有印发日期，下载的日历中不列出它。"
                              "原文或实际安排能定下从哪天开始时，请写上 start；由编者推定的，同时用 inferred 说明。",
                              "deadlines", i)
        if dl.get("kind") == "unknown":
            yield rec.finding("W405", "这个时限在原文中缺失，尚未确定。请向发文单位核实后补上。", "deadlines", i,
                              note=str(dl.get("reason", "")))



def _dependency_cycles(index: _Index) -> Iterator[Finding]:
    duties = index.by_kind["duty"]
    graph = {did: [v for _, v in _strings(rec.data.get("depends_on")) if v in duties] for did, rec in duties.items()}
    for cycle in find_cycles(graph):
        rec = duties[cycle[0]]
        chain = " → ".join(cycle + [cycle[0]])
        yield rec.finding("E307", f"职责之间的依赖关系形成了环：{chain}。请删除其中一处 depends_on。", "depends_on")


def _parent_cycles(index: _Index) -> Iterator[Finding]:
    units = index.by_kind["unit"]
    graph = {uid: [rec.data["parent"]] if rec.data.get("parent") in units else [] for uid, rec in units.items()}
    for cycle in find_cycles(graph):
        rec = units[cycle[0]]
        chain = " → ".join(cycle + [cycle[0]])
        yield rec.finding("E308", f"单位的上级关系形成了环：{chain}。请改正其中一个 parent。", "parent")


def find_cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """One cycle per strongly connected component that has one (iterative Tarjan: deep chains cannot overflow)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    cycles: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(graph[start]))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph[child])))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph[node]:
                    cycles.append(_walk_cycle(graph, set(component)))
    return cycles


def _walk_cycle(graph: dict[str, list[str]], members: set[str]) -> list[str]:
    """A concrete cycle through a strongly connected component, starting at its smallest id."""
    start = min(members)
    path, seen = [start], {start: 0}
    node = start
    while True:
        node = min(n for n in graph[node] if n in members)
        if node in seen:
            return path[seen[node]:]
        seen[node] = len(path)
        path.append(node)


# ---------------------------------------------------------------- control characters

def _unreadable(ch: str) -> bool:
    """A character no page, Word or Excel file can hold: control characters (tab and line breaks aside),
    lone surrogates and noncharacters."""
    if ch in "\t\n\r":
        return False
    code = ord(ch)
    return unicodedata.category(ch) in ("Cc", "Cs") or 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


def control_characters(source: SourceFile) -> Iterator[Finding]:
    stack: list[tuple[tuple, Any]] = [((), source.data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            stack += [(path + (k,), v) for k, v in value.items()]
        elif isinstance(value, list):
            stack += [(path + (i,), v) for i, v in enumerate(value)]
        elif isinstance(value, str):
            bad = next((ch for ch in value if _unreadable(ch)), None)
            if bad is not None:
                line, column = source.where(path)
                yield Finding("E113", source.name, line, column,
                              f"这段文字里有看不见的控制字符（U+{ord(bad):04X}），网页、Word 和 Excel 文件都装不下它。"
                              "请删掉（多半是复制时带进来的，或引号里写了 \\x、\\u 这样的转义）。",
                              format_path(path))


# ---------------------------------------------------------------- personal data

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})\d{3}[\dXx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![\d.])(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?![\d])")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
PERSONAL_MAIL = {"qq.com", "foxmail.com", "163.com", "126.com", "yeah.net", "sina.com", "sina.cn", "sohu.com",
                 "139.com", "189.cn", "aliyun.com", "gmail.com", "hotmail.com", "outlook.com", "live.com",
                 "yahoo.com", "icloud.com", "me.com", "vip.qq.com", "vip.163.com", "tom.com", "21cn.com"}
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def is_id_number(digits: str) -> bool:
    """A resident ID number: a real birth date and a valid GB 11643 check digit."""
    if parse_date(f"{digits[6:10]}-{digits[10:12]}-{digits[12:14]}") is None or not "1900" <= digits[6:10] <= "2100":
        return False
    total = sum(int(c) * w for c, w in zip(digits[:17], _WEIGHTS))
    return "10X98765432"[total % 11] == digits[17].upper()


def personal_data(source: SourceFile) -> Iterator[Finding]:
    """Scan the raw text, comments included: a pasted number in a comment is still in the repository."""
    text = source.text
    if not text:
        return
    lines = LineIndex(text)
    scalars = sorted(source.positions.items(), key=lambda item: item[1])
    starts = [pos for _, pos in scalars]

    def finding(code: str, offset: int, message: str) -> Finding:
        line, column = lines.at(offset)
        i = bisect.bisect_right(starts, (line, column)) - 1
        path = format_path(scalars[i][0]) if i >= 0 else ""
        return Finding(code, source.name, line, column, message, path,
                       "个人信息不得写入清单数据：儿童和工作人员的姓名、证件号、手机号、个人邮箱都不能出现。")

    for code, offset, message in personal_matches(text):
        yield finding(code, offset, message)


def personal_matches(text: str) -> Iterator[tuple[str, int, str]]:
    """(code, offset, message) for each ID number, mobile number and personal e-mail address in `text`."""
    for m in ID_NUMBER.finditer(text):
        if is_id_number(m.group(0)):
            yield "E501", m.start(), "这里像是身份证号码。请删除，清单中不能出现个人证件号码。"
    for m in MOBILE.finditer(text):
        yield "E502", m.start(), "这里像是个人手机号码。请删除，或改为单位的公开电话、12345 等公共热线。"
    for m in EMAIL.finditer(text):
        if m.group(1).lower() in PERSONAL_MAIL:
            yield "E503", m.start(), f"这里像是个人电子邮箱（{m.group(1)}）。请删除，或改为单位的公务邮箱。"
