"""A comparison for people: terminal text, a Markdown pull-request comment grouped by unit, or JSON."""
from __future__ import annotations

import html
import json
from collections import Counter
from typing import Any, Callable

from .diff import GUIDANCE, Change, Comparison
from .labels import LEAD_BASIS
from .model import Dataset


class Names:
    """Labels for ids from one or more data sets, the first that knows an id winning (a removed record keeps the
    name it had)."""

    def __init__(self, *datasets: Dataset | None, known: dict[tuple[str, str], str] | None = None) -> None:
        self.sides = [d for d in datasets if d is not None]
        self.known = known or {}  # (record, id) → name, for records no data set at hand still has

    @classmethod
    def of(cls, comparison: Comparison) -> "Names":
        return cls(comparison.after.dataset, comparison.before.dataset)

    def _find(self, table: str, key: str) -> Any:
        for data in self.sides:
            found = getattr(data, table).get(key)
            if found is not None:
                return found
        return None

    def _name(self, record: str, key: str) -> str:
        table, attribute = RECORD_NAMES[record]
        found = self._find(table, key)
        return getattr(found, attribute) if found is not None else self.known.get((record, key), key)

    def unit(self, uid: str) -> str:
        return self._name("unit", uid)

    def duty(self, did: str) -> str:
        return self._name("duty", did)

    def unit_key(self, uid: str) -> tuple[str, str, str]:
        """Sections sort by jurisdiction, then name."""
        found = self._find("units", uid)
        return (found.jurisdiction, found.label, uid) if found else ("", uid, uid)

    def line(self, lid: str) -> str:
        return self._name("line", lid)

    def document(self, did: str) -> str:
        return self._name("document", did)

    def role(self, rid: str) -> str:
        return self._name("role", rid)

    def record(self, change: Change) -> str:
        if change.record not in RECORD_NAMES:
            return change.id
        table, _ = RECORD_NAMES[change.record]
        if self._find(table, change.id) is None and change.carried_name:  # deleted since: the name it went with
            return change.carried_name
        return self._name(change.record, change.id)


# Each kind of record: where a data set keeps it and which field names it for people.
GUIDANCE_NAMES = {record: (table, name) for record, table, _, name in GUIDANCE}
RECORD_NAMES = {"duty": ("duties", "title"), "unit": ("units", "label"), "document": ("documents", "label"),
                **GUIDANCE_NAMES}


FIELD_WORDS = {"short_name": "简称", "aliases": "又称", "kind": "类别", "level": "层级", "jurisdiction": "辖区",
               "title": "标题", "short_title": "简称", "number": "文号", "issuer": "发文机关", "issued": "印发日期",
               "source": "出处", "situation": "情形", "to": "转介给", "action": "怎么做", "examples": "包括",
               "notify": "同时告知", "urgent": "紧急", "roles": "岗位", "colour": "颜色", "name": "名称",
               "order": "顺序", "measures": "措施", "meaning": "含义", "visits": "走访", "steps": "步骤",
               "term": "术语", "definition": "释义", "basis": "依据", "see": "参见", "unit_kinds": "所在单位类别",
               "description": "说明", "clause": "条款", "document": "来源文件"}


def _field(key: str, value: Any, names: "Names") -> str:
    """One field of a changed record in words: units and roles by name, a reporting chain as its steps."""
    if value in (None, [], ""):
        return "（无）"
    if key in ("to", "notify"):
        return "、".join(names.unit(u) for u in value)
    if key == "roles":
        return "、".join(names.role(r) for r in value)
    if key == "document":
        return names.document(value)
    if key == "urgent":
        return "是" if value else "否"
    if key == "steps":
        return " → ".join(names.role(s["role"]) if s.get("role") else names.unit(s.get("unit", "")) for s in value)
    return _plain(value)


def _plain(value: Any) -> str:
    if value is None:
        return "（无）"
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value) or "（无）"
    return str(value)


def _value(value: Any, names: Names, change: Change) -> str:
    if value is None:
        return "（无）"
    if change.kind == "lead-basis-changed":
        return LEAD_BASIS[value]
    if change.kind == "line-changed":
        return names.line(value)
    if change.kind == "document-changed":
        return names.document(value)
    if change.kind.startswith(("lead-", "support-")) and change.kind != "lead-basis-changed":
        return "、".join(names.unit(u) for u in value)
    if isinstance(value, list) and change.kind == "actions-changed":
        return "；".join(str(v) for v in value)
    if isinstance(value, dict):
        return "，".join(f"{FIELD_WORDS.get(k, k)}：{_field(k, v, names)}" for k, v in value.items())
    return _plain(value)


def describe(change: Change, names: Names, diff_style: Callable[[tuple], str],
             esc: Callable[[str], str] = lambda x: x, with_id: bool = True) -> str:
    """One change in words; `esc` escapes text from the data, `diff_style` renders one edit of a text diff.

    Reviewers at the command line get the record's id after its name (to find it in the data); the handbook's
    readers get the name alone (`with_id=False`)."""
    head = esc(f"{change.title} · {names.record(change)}" + (f"（{change.id}）" if with_id else ""))
    if change.kind == "data-invalid":
        return esc(f"{change.title} · {change.id}：{change.detail}")
    if change.diff is not None:
        field = f"{FIELD_WORDS.get(next(iter(change.before)), '')}：" if isinstance(change.before, dict) \
            and len(change.before) == 1 else ""
        return f"{head}：{esc(field)}{''.join(diff_style(op) for op in elide(change.diff))}"
    if change.kind in ("duty-added", "duty-removed"):
        return head + (esc(f"：{change.detail}") if change.detail else "")
    if change.kind in ("unit-added", "document-added", "document-removed") \
            or change.kind.endswith(("-added", "-removed")) and change.record in GUIDANCE_NAMES:
        return head
    if change.kind == "unit-removed":
        return head + (esc(f"。{change.detail}") if change.detail else "")
    note = esc(f"（{change.detail}）") if change.detail else ""
    if change.kind in ("lead-added", "support-added"):
        return f"{head}：{esc(_value(change.after, names, change))}{note}"
    if change.kind in ("lead-removed", "support-removed"):
        return f"{head}：{esc(_value(change.before, names, change))}{note}"
    text = f"{head}：{esc(_value(change.before, names, change))} → {esc(_value(change.after, names, change))}"
    return text + (esc(f"（{change.detail}）") if change.detail else "")


def elide(ops: tuple, context: int = 12) -> list[tuple[str, str]]:
    """Shorten long unchanged stretches of a text diff to their ends, so the edits stand out."""
    out = []
    for i, (kind, text) in enumerate(ops):
        if kind == "=" and len(text) > 2 * context + 1:
            head = "" if i == 0 else text[:context]
            tail = "" if i == len(ops) - 1 else text[-context:]
            text = head + "…" + tail
        out.append((kind, text))
    return out


def summary(comparison: Comparison) -> str:
    counts = Counter(c.title for c in comparison.changes)
    head = f"{comparison.before.label} → {comparison.after.label}"
    if not comparison.changes:
        return f"{head}：数据没有实质变化。"
    return f"{head}：共 {len(comparison.changes)} 项变更（" + "、".join(f"{k} {n}" for k, n in counts.items()) + "）。"


def to_text(comparison: Comparison, color: bool = False) -> str:
    def paint(code: str, text: str) -> str:
        return f"\033[{code}m{text}\033[0m" if color else text

    def diff_style(op: tuple) -> str:
        kind, text = op
        text = text.replace("\n", "⏎")  # one change, one line: actions are separated by line breaks
        if kind == "-":
            return paint("31", f"[-{text}-]")
        if kind == "+":
            return paint("32", f"{{+{text}+}}")
        return text

    names = Names.of(comparison)
    out = [summary(comparison)]
    for change in comparison.changes:
        out.append("  " + describe(change, names, diff_style))
        if change.kind == "data-invalid":
            out += [f"    {f['file']}:{f['line']}:{f['column']}: {f['code']} {f['message']}" for f in change.after]
    return "\n".join(out)


def to_markdown(comparison: Comparison) -> str:
    """A pull-request comment: a summary, then one section per unit so each unit sees its own changes."""
    names = Names.of(comparison)

    def diff_style(op: tuple) -> str:
        kind, text = op
        text = html.escape(text).replace("\n", "⏎")
        return {"-": f"<del>{text}</del>", "+": f"<ins>{text}</ins>"}.get(kind, text)

    def item(change: Change) -> str:
        title, _, rest = describe(change, names, diff_style, lambda x: html.escape(x, quote=False)).partition(" · ")
        return f"- **{title}** · {rest}"

    out = [f"### qingdan 数据变更：{html.escape(comparison.before.label)} → {html.escape(comparison.after.label)}", ""]
    if not comparison.changes:
        return "\n".join(out + ["数据没有实质变化。", ""])
    counts = Counter(c.title for c in comparison.changes)
    out += ["| 变更 | 数量 |", "| --- | --- |"] + [f"| {k} | {n} |" for k, n in counts.most_common()] + [""]
    invalid = [c for c in comparison.changes if c.kind == "data-invalid"]
    for change in invalid:
        out += [item(change)] + [f"  - `{f['file']}:{f['line']}` {f['code']} {html.escape(f['message'])}"
                                 for f in change.after] + [""]
    by_unit: dict[str, list[Change]] = {}
    general: list[Change] = []
    for change in comparison.changes:
        if change.kind == "data-invalid":
            continue
        if change.units:
            for uid in change.units:
                by_unit.setdefault(uid, []).append(change)
        else:
            general.append(change)
    for uid in sorted(by_unit, key=names.unit_key):
        out += [f"#### {html.escape(names.unit(uid))}（`{uid}`）", ""] + [item(c) for c in by_unit[uid]] + [""]
    if general:
        out += ["#### 文件和其他", ""] + [item(c) for c in general] + [""]
    return "\n".join(out)


def to_json(comparison: Comparison) -> str:
    return json.dumps([c.as_dict() for c in comparison.changes], ensure_ascii=False, indent=2)
