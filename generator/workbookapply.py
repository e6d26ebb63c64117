"""Applying a workbook read back to the data: only what the clerk changed, as text edits, checked before writing.

For each row: did the clerk change it (its cells against the fingerprint kept at export), and did someone change
the record in the YAML since (the record's cells now against the same fingerprint)? A change on one side is
applied or kept; on both sides it is a conflict. New rows become records in the file holding most records like
them; deleted rows remove theirs. The files' new texts come from generator.yamlpatch and are validated with the
rest of the data before `write` replaces anything.
"""
from __future__ import annotations

import copy
import dataclasses
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import sheets as S
from .findings import Finding, Report
from .load import Loaded, display_name, load_text
from .workbookcells import KIND_OF, Reading, Row, by_table, cell_finding, parse_row, ref, row_cells, row_fingerprint
from .yamlpatch import PatchFailed, new_file, patch, same

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




def _view(sheet: S.Sheet, data: dict, key: str, reading: Reading, by_id: dict[str, dict]) -> dict:
    """A record as its row would read back: what "unchanged" is compared against."""
    values = {c: S.normal(v, c.kind) for c, v in zip(sheet.columns, row_cells(sheet, data, reading.names))}
    if sheet.owner:
        values[sheet.owner] = ""
    row = Row(sheet, 0, key, values, {c: 1 for c in sheet.all_columns}, "")
    parse_row(row, Reading(reading.name, reading.jurisdiction, {}, {}, [], reading.names), by_id)
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
        self.tables = by_table(loaded)
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
        self._by_fingerprint: dict[int, dict[str, str]] = {}

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

    def first_edit(self, sheet: S.Sheet, row: Row, data: dict, stored: str) -> S.Column | None:
        """The first cell (in sheet order) the clerk changed, on a row whose record was also changed in the YAML.

        The workbook keeps only a fingerprint of each exported row, so the exported cells are found by trying,
        for each cell where the row and the data now differ, either side's value: the choice that gives the
        fingerprint is the row as exported, and the cells where it took the data's value are the clerk's edits.
        None when no choice gives it (both sides changed the same cell) or too many cells differ to try.
        """
        import itertools

        now = {c: S.normal(v, c.kind) for c, v in zip(sheet.columns, row_cells(sheet, data, self.reading.names))}
        differ = [c for c in sheet.columns if now[c] != row.values[c]]
        if not differ or len(differ) > 10:  # 2**10 fingerprints at most
            return differ[0] if differ else None
        for picks in itertools.product((False, True), repeat=len(differ)):
            exported = row.values | {c: now[c] for c, pick in zip(differ, picks) if pick}
            owner = row.key.split("#")[0] if sheet.child else ""
            if S.fingerprint([owner] + [exported[c] for c in sheet.columns]) == stored:
                return next(c for c, pick in zip(differ, picks) if pick)
        return differ[0]

    def conflict(self, row: Row | None, sheet: S.Sheet, rid: str, gone: bool = False,
                 column: S.Column | None = None) -> None:
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
            self.find("E823", row, column, f"导出之后，数据文件中的{what}已被修改{where}，这里的修改会覆盖它，"
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
        stored = exported[row.key]
        other = self.exported_as(exported).get(row.fingerprint)
        if row.fingerprint != stored and other is not None and other != row.key and not row.cleared:
            self.find("E829", row, None, f"这一行的内容和导出时另一条记录（{other}）的一模一样，隐藏的标识却是 {row.key} 的："
                                         "行和隐藏的标识错开了，多半是只选中部分列排序。请撤销这次排序（排序时选“扩展选定区域”），"
                                         "或重新导出后再改。")
            return False
        return True

    def exported_as(self, exported: dict[str, str]) -> dict[str, str]:
        """Fingerprint → the key exported with it (computed once per sheet)."""
        key = id(exported)
        if key not in self._by_fingerprint:
            self._by_fingerprint[key] = {fp: k for k, fp in exported.items()}
        return self._by_fingerprint[key]

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
            return self.conflict(row, sheet, row.key, column=self.first_edit(sheet, row, rec.data, stored))
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
