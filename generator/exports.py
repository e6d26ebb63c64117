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

from . import graph, office, schedule
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
    """The unit's duties (with its sub-units', see graph.duties_by_unit) in checklist order: led duties first, each
    part grouped by deadline.

    `lead` / `support` are the unit's duties when the caller already has them (downloads() indexes all units in
    one pass; scanning every duty for every unit would be quadratic at province size).
    """
    if lead is None or support is None:
        lead, support = graph.duties_by_unit(data)[unit.id]
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
                    deadline=schedule.duty_words(duty, as_of),
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
             [Para(row.lead)], [Para(row.support)], [Para(row.deadline)], [Para(row.basis)], [Para("")], [Para("")]]
            for row in (checklist if checklist is not None else rows(data, unit, as_of))]
    return office.document(
        title,
        [Para(title, bold=True, size=16, center=True),
         Para(f"辖区：{unit.jurisdiction}　　统计日期：{as_of:%Y年%m月%d日}", center=True)],
        # 完成情况 and 备注 are left empty for the office to fill in by hand before it stamps the form
        ["序号", "工作任务", "牵头", "配合", "完成时限", "依据", "完成情况", "备注"], body,
        [1.2, 6.8, 2.8, 3.0, 4.4, 2.5, 2.9, 2.4],
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
    """An RFC 5545 calendar: one all-day event with a reminder per dated deadline, recurring ones with their RRULE.

    Nothing in it depends on the build date but which one-off deadlines are over (those are left out: there is
    nothing left to remind of). Repeats start on a date from the data, so rebuilding never moves them, and the
    events are in date order, not in the checklist's as-of dependent order.
    """
    events: list[tuple[dt.date, str, list[str]]] = []
    for row in checklist if checklist is not None else rows(data, unit, as_of):
        duty = row.duty
        doc = data.documents[duty.document]
        for i, deadline in enumerate(duty.deadlines):
            days_of = event_days(deadline, doc.issued, as_of)
            if days_of is None:
                continue
            start, end = days_of
            recurring = deadline.kind == "recurring"
            description = [deadline.describe()]
            if deadline.inferred:
                description.append(f"编者推定：{deadline.inferred}")
            description.append(f"牵头：{row.lead}")
            if row.support:
                description.append(f"配合：{row.support}")
            description += [f"依据：{row.basis}", "", *duty.actions]
            uid = f"{duty.id}.{i}.{unit.id}@qingdan"
            summary = f"【{row.role}】{duty.title}" + (f"：{deadline.label}" if deadline.label else "")
            event = ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{_stamp(duty, doc.issued):%Y%m%d}T000000Z",
                     f"DTSTART;VALUE=DATE:{start:%Y%m%d}", f"DTEND;VALUE=DATE:{end + dt.timedelta(days=1):%Y%m%d}",
                     f"SUMMARY:{_ics_text(summary)}", f"DESCRIPTION:{_ics_text(chr(10).join(description))}"]
            if recurring:
                event.append("RRULE:" + ";".join(f"{k}={v}" for k, v in rrule(deadline).items()))
            days = REMINDER_DAYS.get(deadline.every, 7) if recurring else 7
            event += ["BEGIN:VALARM", "ACTION:DISPLAY", f"TRIGGER:{_before(days)}",
                      f"DESCRIPTION:{_ics_text(('明天' if days == 1 else f'{days} 天后') + '：' + summary)}",
                      "END:VALARM", "END:VEVENT"]
            events.append((start, uid, event))
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//qingdan//未成年人保护工作责任清单//ZH", "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{_ics_text(unit.name + '责任清单')}"]
    for _, _, event in sorted(events):
        lines += event
    lines.append("END:VCALENDAR")
    return b"".join(_fold(line) for line in lines)


# How many days ahead a reminder comes: a day for weekly work, three for monthly, a week for everything else.
REMINDER_DAYS = {"week": 1, "month": 3}


def _before(days: int) -> str:
    """A reminder at 9 o'clock `days` days before an all-day event (which starts at midnight)."""
    return f"-P{days - 1}DT15H" if days > 1 else "-PT15H"


def _stamp(duty: Duty, issued: dt.date | None) -> dt.date:
    """DTSTAMP: when the event's information was made. The data knows no build time worth stamping (the as-of date
    would change every calendar at every build), so: the document's issue date, else the duty's earliest date."""
    if issued:
        return issued
    dates = [x for d in duty.deadlines for x in (d.start, d.due) if x]
    return min(dates) if dates else dt.date(2000, 1, 1)


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


def event_start(deadline: Deadline, issued: dt.date | None) -> dt.date | None:
    """The first day of a deadline's calendar event, from the data alone; None when the data gives no date.

    A repeat starts on its own `start`, else on the document's issue date; each term's work starts on the first
    term day (1 March, 1 September) from then on, and work due by a day of the month on that day.
    """
    if deadline.kind == "recurring":
        first = deadline.start or issued
        if first is None:
            return None
        if deadline.every == "semester":
            first = min(d for d in (dt.date(first.year, 3, 1), dt.date(first.year, 9, 1), dt.date(first.year + 1, 3, 1))
                        if d >= first)
        elif deadline.every == "month" and deadline.by_day:
            day = min(deadline.by_day, 28)
            first = first.replace(day=day) if first.day <= day else \
                (first.replace(day=1) + dt.timedelta(days=32)).replace(day=day)
        return first
    if deadline.kind == "period":
        return deadline.start
    return deadline.due


def event_days(deadline: Deadline, issued: dt.date | None, as_of: dt.date) -> tuple[dt.date, dt.date] | None:
    """First and last day of a deadline's calendar event; None when there is nothing to put in a calendar: the data
    gives no date, or a one-off deadline is over (nothing is left to remind of)."""
    start = event_start(deadline, issued)
    if start is None:
        return None
    if deadline.kind == "recurring":
        return start, start
    end = deadline.end if deadline.kind == "period" and deadline.end else start
    return None if end < as_of else (start, end)


def no_calendar(data: Dataset, duties: list[Duty], as_of: dt.date) -> str | None:
    """Why a unit's duties give no calendar event, in words for its page; None when they give one.

    A calendar with no event is of no use to anyone, so such a unit gets no .ics file and no button: its page
    says why instead (only past one-off dates, or no dated deadline at all).
    """
    last = None
    for duty in duties:
        issued = data.documents[duty.document].issued
        for deadline in duty.deadlines:
            if event_days(deadline, issued, as_of):
                return None
            start = event_start(deadline, issued)
            if start:
                end = deadline.end if deadline.kind == "period" and deadline.end else start
                last = max(last or end, end)
    if last:
        return (f"本单位职责中写明日期的时限都已过去（最晚的是 {last:%Y年%m月%d日}），其余是长期、发生时或未定的时限，"
                "没有还需提醒的日程。")
    if duties:
        return "本单位的职责没有写明日期的时限（只有长期、发生时或未定的时限），没有可以放进日历的日程。"
    return "本单位没有列出职责。"


WRITERS = {"csv": to_csv, "xlsx": to_xlsx, "docx": to_docx, "ics": to_ics}


def downloads(data: Dataset, as_of: dt.date, memo: dict | None = None) -> dict[str, bytes]:
    """Every unit's downloads: {path relative to docs/: bytes}; no calendar where it would be empty (no_calendar).

    `memo` (kept by `qingdan serve` between rebuilds) maps what a unit's files are made of — the unit, its rows,
    the issue dates the calendar starts from, the date — to the files, so only changed units are rewritten.
    """
    duties = graph.duties_by_unit(data)  # one pass over the duties for all units
    out = {}
    for uid, unit in data.units.items():
        checklist = rows(data, unit, as_of, *duties[uid])
        key = (unit, tuple(checklist), as_of, tuple(data.documents[r.duty.document].issued for r in checklist))
        files = memo.get(key) if memo is not None else None
        if files is None:
            skip = {"ics"} if no_calendar(data, [r.duty for r in checklist], as_of) else set()
            files = {ext: write(data, unit, as_of, checklist) for ext, write in WRITERS.items() if ext not in skip}
            if memo is not None:
                memo[key] = files
        out.update((download_path(uid, ext), content) for ext, content in files.items())
    return out
