"""Per-unit downloads: CSV, XLSX, DOCX (the 责任清单 form offices print and stamp) and an ICS calendar.

Each writer returns bytes, and the same data gives the same bytes: Office files (written by `office`) carry the
as-of date as their time, calendars stamp events with it.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass

from . import office
from .labels import LEAD_BASIS
from .paths import download_path
from .model import Dataset, Deadline, Duty, Unit
from .office import Para
from .schedule import grouped

HEADER = ["序号", "工作任务", "本单位", "牵头单位", "配合单位", "完成时限", "截止日期", "具体工作", "依据", "职责编号"]


@dataclass(frozen=True)
class Row:
    number: int
    duty: Duty
    role: str  # 牵头 / 配合
    lead: str
    support: str
    deadline: str
    due: str
    actions: str
    basis: str


def rows(data: Dataset, unit: Unit, as_of: dt.date, lead: list[Duty] | None = None,
         support: list[Duty] | None = None) -> list[Row]:
    """The unit's duties in checklist order: led duties first, each part grouped by deadline.

    `lead` / `support` are the unit's duties when the caller already has them (downloads() indexes all units in
    one pass; scanning every duty for every unit would be quadratic at province size).
    """
    if lead is None or support is None:
        lead = [d for d in data.duties.values() if unit.id in d.lead]
        support = [d for d in data.duties.values() if unit.id in d.support]
    out: list[Row] = []
    for role, duties in (("牵头", lead), ("配合", support)):
        for items in grouped(duties, as_of).values():
            for duty in items:
                doc = data.documents[duty.document]
                lead_names = "、".join(data.units[u].label for u in duty.lead)
                if duty.lead_basis != "stated":
                    lead_names += f"（{LEAD_BASIS[duty.lead_basis].replace('（', '，').rstrip('）')}）"  # no （（））
                out.append(Row(
                    number=len(out) + 1, duty=duty, role=role, lead=lead_names,
                    support="、".join(data.units[u].label for u in duty.support),
                    deadline="；".join(d.describe() for d in duty.deadlines) or "未定时限",
                    due=duty.due.isoformat() if duty.due else "",
                    actions="\n".join(f"{i}. {a}" for i, a in enumerate(duty.actions, 1)),
                    basis=f"{doc.label} {duty.clause}" + (f"（{doc.number}）" if doc.number else ""),
                ))
    return out


def _cells(row: Row) -> list[str]:
    return [str(row.number), row.duty.title, row.role, row.lead, row.support, row.deadline, row.due, row.actions,
            row.basis, row.duty.id]


def to_csv(data: Dataset, unit: Unit, as_of: dt.date, checklist: list[Row] | None = None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # CRLF line ends, as Excel expects
    writer.writerow(HEADER)
    for row in checklist if checklist is not None else rows(data, unit, as_of):
        writer.writerow([_not_a_formula(cell) for cell in _cells(row)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _not_a_formula(cell: str) -> str:
    """Excel runs a CSV cell that starts with = + - @ as a formula (=cmd|…): such text is kept as text."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell  # the BOM makes Excel read UTF-8, not the ANSI code page


def to_xlsx(data: Dataset, unit: Unit, as_of: dt.date, checklist: list[Row] | None = None) -> bytes:
    body: list[list[str | int]] = []
    for row in checklist if checklist is not None else rows(data, unit, as_of):
        cells: list[str | int] = list(_cells(row))
        cells[0] = row.number
        body.append(cells)
    return office.workbook("责任清单", f"{unit.name}未成年人保护工作责任清单（截至 {as_of:%Y-%m-%d}）", HEADER, body,
                           [6, 28, 8, 20, 24, 28, 12, 48, 30, 22], dt.datetime.combine(as_of, dt.time()))


def to_docx(data: Dataset, unit: Unit, as_of: dt.date, checklist: list[Row] | None = None) -> bytes:
    """The form an office prints, stamps and files: one row per duty, its actions as boxes to tick."""
    title = f"{unit.name}未成年人保护工作责任清单"
    body = [[[Para(str(row.number))],
             [Para(f"{row.duty.title}（本单位{row.role}）"), *(Para(f"□ {a}") for a in row.duty.actions)],
             [Para(row.lead)], [Para(row.support)], [Para(row.deadline)], [Para(row.basis)]]
            for row in (checklist if checklist is not None else rows(data, unit, as_of))]
    return office.document(
        title,
        [Para(title, bold=True, size=16, center=True),
         Para(f"辖区：{unit.jurisdiction}　　统计日期：{as_of:%Y年%m月%d日}", center=True)],
        ["序号", "工作任务", "牵头", "配合", "完成时限", "依据"], body, [1.2, 8.7, 3.8, 4.5, 4.2, 3.6],
        [Para(""), Para("填报单位（盖章）：　　　　　　　　　　负责人签字：　　　　　　　　　　日期：　　年　　月　　日")],
        dt.datetime.combine(as_of, dt.time()))


_MONTHS = {"week": None, "month": 1, "quarter": 3, "semester": 6, "year": 12}


def rrule(deadline: Deadline) -> dict:
    """RFC 5545 recurrence for a recurring deadline; 'at least N times' shortens the interval when it divides."""
    months = _MONTHS[deadline.every]
    times = deadline.times or 1
    if months is None:
        rule: dict = {"FREQ": "WEEKLY"}
    elif times > 1 and months % times == 0:
        rule = {"FREQ": "MONTHLY", "INTERVAL": months // times}
    elif times > 1 and months == 1 and times <= 4:
        rule = {"FREQ": "WEEKLY", "INTERVAL": 4 // times}
    elif months == 12:
        rule = {"FREQ": "YEARLY"}
    else:
        rule = {"FREQ": "MONTHLY", "INTERVAL": months} if months > 1 else {"FREQ": "MONTHLY"}
    if deadline.by_day and rule["FREQ"] == "MONTHLY":
        rule["BYMONTHDAY"] = min(deadline.by_day, 28)
    return rule


def to_ics(data: Dataset, unit: Unit, as_of: dt.date, checklist: list[Row] | None = None) -> bytes:
    """An RFC 5545 calendar: one all-day event per dated deadline, recurring ones with their RRULE."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//qingdan//未成年人保护工作责任清单//ZH", "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{_ics_text(unit.name + '责任清单')}"]
    stamp = f"{as_of:%Y%m%d}T000000Z"
    for row in checklist if checklist is not None else rows(data, unit, as_of):
        duty = row.duty
        doc = data.documents[duty.document]
        for i, deadline in enumerate(duty.deadlines):
            start = _event_start(deadline, doc.issued, as_of)
            if start is None:
                continue
            end = deadline.end if deadline.kind == "period" and deadline.end else start
            description = [deadline.describe(), f"牵头：{row.lead}"]
            if row.support:
                description.append(f"配合：{row.support}")
            description += [f"依据：{row.basis}", "", *duty.actions]
            lines += ["BEGIN:VEVENT", f"UID:{duty.id}.{i}.{unit.id}@qingdan", f"DTSTAMP:{stamp}",
                      f"DTSTART;VALUE=DATE:{start:%Y%m%d}", f"DTEND;VALUE=DATE:{end + dt.timedelta(days=1):%Y%m%d}",
                      f"SUMMARY:{_ics_text(f'【{row.role}】{duty.title}')}",
                      f"DESCRIPTION:{_ics_text(chr(10).join(description))}"]
            if deadline.kind == "recurring":
                lines.append("RRULE:" + ";".join(f"{k}={v}" for k, v in rrule(deadline).items()))
            lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return b"".join(_fold(line) for line in lines)


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def _ics_text(value: str) -> str:
    """RFC 5545 TEXT: backslash, semicolon, comma and line breaks escaped; other control characters dropped."""
    value = _CONTROL.sub("", value.replace("\r\n", "\n"))
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n"))


def _fold(line: str) -> bytes:
    """A content line folded at 75 octets, never inside a UTF-8 character, ended by CRLF."""
    raw, out, limit = line.encode("utf-8"), [], 75
    while len(raw) > limit:
        cut = limit
        while raw[cut] & 0xC0 == 0x80:  # a continuation byte: step back to the character's start
            cut -= 1
        out.append(raw[:cut])
        raw, limit = raw[cut:], 74  # a continuation line starts with a space
    out.append(raw)
    return b"\r\n ".join(out) + b"\r\n"


def _event_start(deadline: Deadline, issued: dt.date | None, as_of: dt.date) -> dt.date | None:
    if deadline.kind == "recurring":
        return deadline.start or issued or as_of
    if deadline.kind == "period":
        return deadline.start
    return deadline.due


WRITERS = {"csv": to_csv, "xlsx": to_xlsx, "docx": to_docx, "ics": to_ics}


def downloads(data: Dataset, as_of: dt.date, memo: dict | None = None) -> dict[str, bytes]:
    """Every unit's downloads: {path relative to docs/: bytes}.

    `memo` (kept by `qingdan serve` between rebuilds) maps what a unit's files are made of — the unit, its rows,
    the issue dates the calendar starts from, the date — to the files, so only changed units are rewritten.
    """
    lead: dict[str, list[Duty]] = {uid: [] for uid in data.units}
    support: dict[str, list[Duty]] = {uid: [] for uid in data.units}
    for duty in data.duties.values():  # one pass over the duties for all units
        for uid in duty.lead:
            lead[uid].append(duty)
        for uid in duty.support:
            support[uid].append(duty)
    out = {}
    for uid, unit in data.units.items():
        checklist = rows(data, unit, as_of, lead[uid], support[uid])
        key = (unit, tuple(checklist), as_of, tuple(data.documents[r.duty.document].issued for r in checklist))
        files = memo.get(key) if memo is not None else None
        if files is None:
            files = {ext: write(data, unit, as_of, checklist) for ext, write in WRITERS.items()}
            if memo is not None:
                memo[key] = files
        out.update((download_path(uid, ext), content) for ext, content in files.items())
    return out
