"""The import report: what was recognised, and what a person must finish, for people (text) and scripts (json)."""
from __future__ import annotations

import json
from pathlib import Path

from ..findings import Report
from ..load import display_name
from ..labels import EVERY, LEAD_BASIS
from .deadlines import Deadline
from .draft import Draft, DraftDuty, lead_gap, todo


def describe(d: Deadline) -> str:
    if d.kind == "date":
        words = f"{d.date} 前"
    elif d.kind == "month":
        words = f"{d.month} 月底前"
    elif d.kind == "year":
        words = f"{d.year} 年底前"
    elif d.kind == "phase":
        words = f"{d.phase}（{d.start + ' 至 ' if d.start else ''}{d.end}）"
    elif d.kind == "recurring":
        words = EVERY[d.every] + (f"{d.times}次" if d.times else "") + (f"（{d.by_day}日前）" if d.by_day else "")
    elif d.kind == "ongoing":
        words = "长期" + (f"（{d.start} 起）" if d.start else "")
    elif d.kind == "period":
        words = f"{d.start} 至 {d.end}"
    elif d.kind == "event":
        words = d.event + (f"：{d.label}" if d.label else "")
    else:
        words = f"待定：{d.reason}"
    return f"{words}〔原文“{d.text}”〕"


def as_data(draft: Draft, out: Path, report: Report) -> dict:
    """Everything the report says, as plain data (the json output and the text both come from here)."""
    duties = []
    for duty in draft.duties:
        r = duty.record
        duties.append({
            "id": r["id"], "clause": r["clause"], "title": r["title"], "line": r["line"], "line_reason": duty.line_why,
            "lead": r["lead"], "lead_basis": r["lead_basis"], "lead_wording": list(duty.leads.wording),
            "support": r.get("support", []), "deadlines": [d.as_dict() | ({"note": d.note} if d.note else {})
                                                           for d in duty.deadlines],
            "phases_attached": duty.phases_attached, "overview": duty.item.overview,
            "unresolved_names": list(duty.leads.unresolved), "todo": todo(duty),
        })
    c = draft.cleaned
    return {
        "source": str(draft.source), "out": str(out), "document": draft.document,
        "cleaning": {"traditional_converted": c.converted, "pinyin_removed": c.pinyin, "furniture_lines": c.furniture,
                     "garbled_repaired": c.repaired, "suspect_paragraphs": list(c.suspect),
                     "personal_data_removed": draft.redacted},
        "document_notes": list(draft.notes),
        "outline_notes": list(draft.outline.notes),
        "phases": [p.as_dict() for p in draft.phases],
        "units_matched": [{"text": t, "id": uid} for t, uid in draft.matched],
        "units_proposed": [p.record() | {"why": p.why} for p in draft.proposals],
        "lines_added": [x["id"] for x in draft.lines],
        "duties": duties,
        "needs_lead": [d["id"] for d in duties if d["lead_basis"] == "assigned"],
        "placeholder_ids": [{"id": i, "message": m} for i, m in draft.placeholders],
        "needs_deadline": [d["id"] for d in duties if not d["deadlines"]],
        "loose_paragraphs": list(draft.outline.loose),
        "summaries_quoted": True,
        "validation": {"errors": len(report.errors), "warnings": len(report.warnings),
                       "findings": [f.as_dict() for f in report.without_infos().findings]},
    }


def to_json(draft: Draft, out: Path, report: Report) -> str:
    return json.dumps(as_data(draft, out, report), ensure_ascii=False, indent=2)


def to_text(draft: Draft, out: Path, report: Report) -> str:
    data = as_data(draft, out, report)
    doc = draft.document
    lines = [f"导入 {draft.source.name} → {out}", ""]
    lines.append(f"文件：{doc['title']}（{doc['id']}）")
    lines.append(f"  发文机关：{doc['issuer']}；辖区：{doc['jurisdiction']}"
                 + (f"；文号：{doc['number']}" if doc.get("number") else "")
                 + (f"；成文日期：{doc['issued']}" if doc.get("issued") else "；成文日期：原文未写"))
    lines += [f"  {n}" for n in draft.notes]
    c = draft.cleaned
    cleaning = [f"繁体转简体 {c.converted} 字" if c.converted else "", f"删去夹注拼音 {c.pinyin} 处" if c.pinyin else "",
                f"删去网页导航等 {c.furniture} 行" if c.furniture else "",
                f"修复乱码“??h” {c.repaired} 处（按“。县”或“保县”恢复，请核对）" if c.repaired else "",
                f"删去个人信息 {draft.redacted} 处" if draft.redacted else ""]
    if any(cleaning):
        lines.append("清理：" + "；".join(x for x in cleaning if x) + "。")
    for text in c.suspect:
        lines.append(f"  疑似乱码，请对照原件：{_short(text, 50)}")
    lines.append("")

    stated = sum(1 for d in draft.duties if d.leads.basis == "stated")
    named = sum(1 for d in draft.duties if d.leads.basis == "named")
    assigned = sum(1 for d in draft.duties if d.leads.basis == "assigned")
    dated = sum(1 for d in draft.duties if d.deadlines)
    lines.append(f"识别出 {len(draft.duties)} 项：牵头单位原文写明 {stated} 项、句中点名 {named} 项、未写明 {assigned} 项；"
                 f"{dated} 项有时限。")
    for duty in draft.duties:
        lines.append(_duty_line(duty, draft))
    if draft.phases:
        lines.append("")
        lines.append("全文的工作阶段（已放入没有自己时限的各项，请按实际删减）：")
        lines += [f"  {describe(p)}" for p in draft.phases]
    if draft.outline.notes:
        lines.append("")
        lines.append("编号：")
        lines += [f"  {n}" for n in draft.outline.notes]

    lines.append("")
    lines.append(f"单位：{len(draft.matched)} 个名称对上了数据中的单位，新提出 {len(draft.proposals)} 个单位。")
    for p in draft.proposals:
        lines.append(f"  新单位 {p.id}：{p.name}（原文“{p.mention}”；{p.why}）")
    if draft.lines:
        lines.append(f"保护条线：数据中没有 {'、'.join(x['name'] for x in draft.lines)}，草稿中一并加上。")

    lines.append("")
    lines.append("需要人工完成：")
    lines.append("  · 所有概述和工作项都摘自原文（文件中已注明），须改用自己的话重写。")
    lines += [f"  · 标识符须改名：{message}" for _, message in draft.placeholders]
    gaps: dict[tuple[str, str], list[str]] = {}  # (why, the unit put in) → clauses, worded as each lead_note is
    for duty in draft.duties:
        if duty.leads.basis == "assigned":
            gaps.setdefault((lead_gap(duty.leads), duty.fallback), []).append(duty.item.clause)
    for (why, fallback), clauses in gaps.items():
        lines.append(f"  · {why}（{len(clauses)} 项，暂列{fallback}，lead_basis: assigned）：" + "、".join(clauses))
    named_ids = [d.record["id"] for d in draft.duties if d.leads.basis == "named"]
    if named_ids:
        lines.append("  · 牵头单位取自句中点名的主体，须核对：" + "、".join(_clause(draft, i) for i in named_ids))
    for words, picked in (("牵头单位沿用上级标题中写明的单位，须核对", [d for d in draft.duties if d.leads.inherited]),
                          ("原文没有单独的标题短语，标题取自首句，须改写", [d for d in draft.duties if d.item.title_note]),
                          ("上级标题的总述段落，已单列一项，可能与下级各项重复", [d for d in draft.duties if d.item.overview])):
        if picked:
            lines.append(f"  · {words}：" + "、".join(d.item.clause for d in picked))
    if data["needs_deadline"]:
        lines.append(f"  · 原文没有写时限（{len(data['needs_deadline'])} 项）："
                     + "、".join(_clause(draft, i) for i in data["needs_deadline"]))
    unknown = [(d, x) for d in draft.duties for x in d.deadlines if x.kind == "unknown"]
    for duty, x in unknown:
        lines.append(f"  · {duty.item.clause} 时限缺失：{x.reason}")
    guessed = [(d, x) for d in draft.duties for x in d.deadlines if x.note]
    for duty, x in guessed:
        lines.append(f"  · {duty.item.clause} “{x.text}”：{x.note}，请核对。")
    unresolved = [(d, n) for d in draft.duties for n in d.leads.unresolved]
    for duty, name in unresolved:
        lines.append(f"  · {duty.item.clause} 原文的“{name}”没能识别为单位，请补上。")
    if draft.outline.loose:
        lines.append(f"  · 有 {len(draft.outline.loose)} 段文字不属于任何条目（结束语、落款等），未导入：")
        lines += [f"      {_short(t, 40)}" for t in draft.outline.loose[:8]]

    lines.append("")
    name = display_name(out)
    mine = Report(tuple(f for f in report.without_infos().findings if f.file == name or f.severity == "error"))
    if mine.findings:
        lines.append(mine.to_text())
    others = len(report.warnings) - len([f for f in mine.findings if f.severity == "warning"])
    if others:
        lines.append(f"（数据目录中的其他文件另有 {others} 个警告，用 qingdan validate 查看。）")
    verdict = "草稿连同数据目录校验通过" if report.ok else "草稿连同数据目录校验未通过"
    lines.append(f"{verdict}：{len(report.errors)} 个错误，{len(report.warnings)} 个警告。")
    return "\n".join(lines)


def _duty_line(duty: DraftDuty, draft: Draft) -> str:
    r = duty.record
    basis = LEAD_BASIS[r["lead_basis"]]
    lead = "、".join(_unit_label(uid, draft) for uid in r["lead"])
    when = "；".join(describe(d) for d in duty.deadlines) or ("全文工作阶段" if duty.phases_attached else "无")
    extra = "（总述）" if duty.item.overview else ""
    support = "、".join(_unit_label(uid, draft) for uid in r.get("support", ()))
    return (f"  {r['clause']} {_short(r['title'], 24)}{extra} ｜ 牵头：{lead}〔{basis}〕"
            + (f" ｜ 配合：{support}" if support else "") + f" ｜ 条线：{dict(draft.line_names).get(r['line'], r['line'])}"
            + f" ｜ 时限：{when}")


def _unit_label(uid: str, draft: Draft) -> str:
    return dict(draft.labels).get(uid, uid)


def _clause(draft: Draft, duty_id: str) -> str:
    return next(d.item.clause for d in draft.duties if d.record["id"] == duty_id)


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[:n - 1] + "…"
