"""Ownership checks asked of the graph, as findings (for validate/check) and as a report (for the review page)."""
from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from . import graph
from .findings import Finding
from .model import Dataset


@dataclass(frozen=True)
class Inversion:
    duty: str
    due: object
    needs: str
    needs_due: object


def inversions(data: Dataset, g: nx.MultiDiGraph) -> list[Inversion]:
    """A duty due before a duty it depends on."""
    out = []
    for duty in data.duties.values():
        if duty.due is None:
            continue
        for dep in graph.related(g, duty.id, "depends_on"):
            other = data.duties[dep].due
            if other and other > duty.due:
                out.append(Inversion(duty.id, duty.due, dep, other))
    return out


def findings(data: Dataset, g: nx.MultiDiGraph) -> list[Finding]:
    out: list[Finding] = []

    def at(record_id: str, code: str, message: str, field: str = "", note: str = "") -> None:
        loc = data.locations[record_id]
        line, column = loc.of(field) if field else (loc.line, loc.column)
        out.append(Finding(code, loc.file, line, column, message, loc.path + (f".{field}" if field else ""), note))

    for inv in inversions(data, g):
        at(inv.duty, "W403", f"这项职责 {inv.due} 到期，但它依赖的职责 {inv.needs} 要到 {inv.needs_due} 才完成。"
                             "请核对时限或依赖关系。", "depends_on")
    for uid in graph.unreferenced_units(g):
        unit = data.units[uid]
        at(uid, "W601", f"单位 {uid}（{unit.label}）没有被任何职责或下级单位引用。"
                        "如果它确实没有职责，请删除；否则请把它加到相关职责的 lead 或 support 中。", "id")
    for did in graph.assigned_only(data):
        duty = data.duties[did]
        at(did, "I701", f"职责“{duty.title}”的牵头单位由编者指定，原文没有写明。请未保办与相关单位确认。", "lead",
           note=duty.lead_note or "")
    for did in graph.foreign_owners(data):
        duty = data.duties[did]
        area = data.documents[duty.document].jurisdiction
        at(did, "W702", f"职责“{duty.title}”出自 {area} 的文件，但它的牵头和配合单位都不属于 {area}。"
                        "请检查单位标识符是否选错了辖区。", "lead")
    for item in graph.overload(data, g):
        if item.flagged:
            unit = data.units[item.unit]
            at(item.unit, "I703", f"{unit.label} 牵头 {item.lead} 项职责，同辖区牵头单位的中位数是 {item.peers_median:g} 项。"
                                  "请确认分工是否合理。", "id")
    for gap in graph.line_gaps(data):
        line = data.lines[gap.line].name
        doc = data.documents[gap.document]
        if gap.problem == "no-duty":
            at(gap.document, "I704", f"文件“{doc.label}”没有{line}方面的职责。如果原文确实没有，可以忽略。", "id")
        else:
            at(gap.document, "I705", f"文件“{doc.label}”中{line}方面的职责，牵头单位都是编者指定的，原文没有确定由谁负责。",
               "id")
    return out
