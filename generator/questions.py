"""Answers to `who`, `impact` and `check`, as plain data for JSON and as text for a terminal."""
from __future__ import annotations

from typing import Any

import networkx as nx

from . import checks, graph
from .labels import UNIT_KINDS
from .model import Dataset, Duty, Unit


def unit_info(unit: Unit) -> dict[str, Any]:
    return {"id": unit.id, "name": unit.name, "short_name": unit.short_name, "kind": unit.kind,
            "jurisdiction": unit.jurisdiction}


def duty_info(data: Dataset, duty: Duty) -> dict[str, Any]:
    doc = data.documents[duty.document]
    return {"id": duty.id, "title": duty.title, "document": doc.id, "clause": duty.clause, "line": duty.line,
            "lead": list(duty.lead), "lead_basis": duty.lead_basis, "support": list(duty.support),
            "deadlines": [d.describe() for d in duty.deadlines], "due": duty.due.isoformat() if duty.due else None}


def held_info(data: Dataset, duty: str, held_by: dict[str, list[str]]) -> dict[str, Any]:
    """A duty of a unit's list, saying which of the unit and its sub-units is on it (held_by)."""
    d = data.duties[duty]
    order = {u: i for i, u in enumerate(d.lead + d.support)}  # as the duty names them
    return {**duty_info(data, d), "held_by": sorted(held_by[duty], key=order.__getitem__)}


def sub_units(data: Dataset, g: nx.MultiDiGraph, unit: Unit) -> list[str]:
    below = set(graph.family(g, unit.id)) - {unit.id}
    return [u for u in data.units if u in below]  # in data order, as the unit page lists them


def who(data: Dataset, g: nx.MultiDiGraph, unit: Unit) -> dict[str, Any]:
    """The unit's duties as its page lists them: a parent unit's include its sub-units' (held_by says whose)."""
    answer = graph.who(g, unit.id)
    return {"unit": unit_info(unit), "sub_units": sub_units(data, g, unit),
            "lead": [held_info(data, d, answer.held_by) for d in answer.lead],
            "support": [held_info(data, d, answer.held_by) for d in answer.support],
            "partners": [{**unit_info(data.units[p.unit]), "shared": p.shared, "leads": p.leads,
                          "supports": p.supports} for p in answer.partners]}


def impact(data: Dataset, g: nx.MultiDiGraph, unit: Unit) -> dict[str, Any]:
    answer = graph.impact(g, unit.id)
    return {"unit": unit_info(unit), "sub_units": sub_units(data, g, unit),
            "orphaned": [held_info(data, d, answer.held_by) for d in answer.orphaned],
            "lead_lost": [held_info(data, d, answer.held_by) for d in answer.lead_lost],
            "support_lost": [held_info(data, d, answer.held_by) for d in answer.support_lost],
            "downstream": [{**duty_info(data, data.duties[d]), "distance": n} for d, n in answer.downstream.items()]}


def check(data: Dataset, g: nx.MultiDiGraph) -> dict[str, Any]:
    return {
        "findings": [f.as_dict() for f in checks.findings(data, g)],
        "overload": [{"unit": o.unit, "name": data.units[o.unit].label, "lead": o.lead, "per_line": o.per_line,
                      "peers_median": o.peers_median, "flagged": o.flagged} for o in graph.overload(data, g)],
        "gaps": [{"document": x.document, "line": x.line, "problem": x.problem} for x in graph.line_gaps(data)],
        "inversions": [{"duty": x.duty, "due": str(x.due), "needs": x.needs, "needs_due": str(x.needs_due)}
                       for x in checks.inversions(data, g)],
        "assigned_only": graph.assigned_only(data),
    }


# ---------------------------------------------------------------- text

def _duty_line(d: dict[str, Any], data: Dataset, me: str | None = None) -> str:
    """A duty on one line, with the units on it other than `me`: co-leads or the lead, then supporters."""
    doc = data.documents[d["document"]]
    when = "；".join(d["deadlines"]) or "未定时限"
    text = f"  - {d['title']}（{doc.label} {d['clause']}，{d['id']}）· {when}"
    pending = " · 牵头待确认" if me in d["lead"] and d["lead_basis"] == "assigned" else ""  # after the co-leads
    for word, ids, after in data.duties[d["id"]].partners(me):
        if word == "配合":
            text, pending = text + pending, ""
        text += f" · {word}：{'、'.join(data.units[u].label for u in ids)}{after}"
    below = [u for u in d.get("held_by", []) if u != me]  # a parent unit's list: which sub-unit is on the duty
    if below:
        text += f" · 下级单位：{'、'.join(data.units[u].label for u in below)}"
    return text + pending


def _unit_heading(unit: dict[str, Any]) -> str:
    return f"{unit['name']}（{unit['id']}）· {UNIT_KINDS[unit['kind']]} · {unit['jurisdiction']}"


def _family_words(answer: dict[str, Any]) -> str:
    return f"本单位和 {len(answer['sub_units'])} 个下级单位共" if answer["sub_units"] else ""


def who_text(answer: dict[str, Any], data: Dataset) -> str:
    words = _family_words(answer)
    out = [_unit_heading(answer["unit"]), "", f"{words}牵头 {len(answer['lead'])} 项："]
    me = answer["unit"]["id"]
    out += [_duty_line(d, data, me) for d in answer["lead"]] or ["  （无）"]
    out += ["", f"{words}配合 {len(answer['support'])} 项："]
    out += [_duty_line(d, data, me) for d in answer["support"]] or ["  （无）"]
    if answer["partners"]:
        out += ["", "协作单位（共同职责数）：" + "、".join(f"{p['short_name'] or p['name']}（{p['shared']}）"
                                             for p in answer["partners"])]
    return "\n".join(out)


def impact_text(answer: dict[str, Any], data: Dataset) -> str:
    out = [f"如果撤销或合并 {_unit_heading(answer['unit'])}：", ""]
    if answer["sub_units"]:
        out += [f"（连同它的 {len(answer['sub_units'])} 个下级单位："
                f"{'、'.join(data.units[u].label for u in answer['sub_units'])}）", ""]
    sections = [("orphaned", "失去唯一牵头单位的职责（须重新指定牵头单位）"),
                ("lead_lost", "失去一个牵头单位、仍有其他牵头单位的职责"),
                ("support_lost", "失去一个配合单位的职责")]
    for key, heading in sections:
        out.append(f"{heading}：{len(answer[key])} 项")
        out += [_duty_line(d, data, answer["unit"]["id"]) for d in answer[key]]
        out.append("")
    out.append(f"经依赖关系受影响的后续职责：{len(answer['downstream'])} 项")
    out += [_duty_line(d, data) + f" · 相隔 {d['distance']} 层" for d in answer["downstream"]]
    return "\n".join(out).rstrip()


def check_text(answer: dict[str, Any], data: Dataset) -> str:
    out = ["牵头职责最多的单位（同辖区中位数；* 表示明显偏多）："]
    for o in answer["overload"]:
        lines = "、".join(f"{data.lines[k].short_name} {n}" for k, n in o["per_line"].items())
        out.append(f"  {'*' if o['flagged'] else ' '} {o['name']}（{o['unit']}）牵头 {o['lead']} 项"
                   f"（中位数 {o['peers_median']:g}）：{lines}")
    return "\n".join(out)
