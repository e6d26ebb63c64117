"""Per-unit downloads: CSV, XLSX, DOCX (the 责任清单 form offices print and stamp) and an ICS calendar.

Each writer returns bytes. Office files are zip archives that carry the time they were written; those stamps are
pinned to the as-of date so that the same data gives the same bytes.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass

from .labels import LEAD_BASIS
from .paths import download_path
from .model import Dataset, Deadline, Duty, Unit
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
                    lead_names += f"（{LEAD_BASIS[duty.lead_basis]}）"
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
        writer.writerow(_cells(row))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8, not the ANSI code page


def to_xlsx(data: Dataset, unit: Unit, as_of: dt.date, checklist: list[Row] | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "责任清单"
    ws.append([f"{unit.name}未成年人保护工作责任清单（截至 {as_of:%Y-%m-%d}）"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(HEADER)
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for row in checklist if checklist is not None else rows(data, unit, as_of):
        cells = _cells(row)
        cells[0] = row.number
        ws.append(cells)
    widths = [6, 28, 8, 20, 24, 28, 12, 48, 30, 22]
    for i, width in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    for line in ws.iter_rows(min_row=3):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    stamp = dt.datetime.combine(as_of, dt.time())
    wb.properties.creator = "qingdan"
    wb.properties.created = stamp
    buffer = io.BytesIO()
    wb.save(buffer)
    return pin_zip(buffer.getvalue(), stamp)


def to_docx(data: Dataset, unit: Unit, as_of: dt.date, checklist: list[Row] | None = None) -> bytes:
    from docx import Document as Docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Docx()
    normal = doc.styles["Normal"]
    normal.font.name = "宋体"
    normal.font.size = Pt(10.5)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))
    title = doc.add_paragraph()
    title.alignment = 1
    run = title.add_run(f"{unit.name}未成年人保护工作责任清单")
    run.bold = True
    run.font.size = Pt(16)
    doc.add_paragraph(f"辖区：{unit.jurisdiction}　　统计日期：{as_of:%Y年%m月%d日}").alignment = 1
    header = ["序号", "工作任务", "牵头", "配合", "完成时限", "依据"]
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, word in zip(table.rows[0].cells, header):
        cell.text = ""
        cell.paragraphs[0].add_run(word).bold = True
    _repeat_header(table.rows[0])
    for row in checklist if checklist is not None else rows(data, unit, as_of):
        cells = table.add_row().cells
        cells[0].text = str(row.number)
        cells[1].text = f"{row.duty.title}（本单位{row.role}）"
        for action in row.duty.actions:
            cells[1].add_paragraph(f"□ {action}")
        cells[2].text = row.lead
        cells[3].text = row.support
        cells[4].text = row.deadline
        cells[5].text = row.basis
    widths = [Cm(w) for w in (1.2, 9.5, 3.8, 4.5, 4.2, 3.6)]
    for row in table.rows:  # row by row: table.columns[i].cells re-walks the whole table each time
        for cell, width in zip(row.cells, widths):
            cell.width = width
    doc.add_paragraph()
    doc.add_paragraph("填报单位（盖章）：　　　　　　　　　　负责人签字：　　　　　　　　　　日期：　　年　　月　　日")
    stamp = dt.datetime.combine(as_of, dt.time())
    doc.core_properties.author = "qingdan"
    doc.core_properties.title = f"{unit.name}未成年人保护工作责任清单"
    doc.core_properties.created = stamp
    doc.core_properties.modified = stamp
    doc.core_properties.revision = 1
    buffer = io.BytesIO()
    doc.save(buffer)
    return pin_zip(buffer.getvalue(), stamp)


def _repeat_header(row) -> None:
    """Repeat the header row on every printed page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    properties.append(element)


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
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//qingdan//未成年人保护工作责任清单//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{unit.name}责任清单")
    stamp = dt.datetime.combine(as_of, dt.time(), tzinfo=dt.timezone.utc)
    for row in checklist if checklist is not None else rows(data, unit, as_of):
        duty = row.duty
        doc = data.documents[duty.document]
        for i, deadline in enumerate(duty.deadlines):
            start = _event_start(deadline, doc.issued, as_of)
            if start is None:
                continue
            event = Event()
            event.add("uid", f"{duty.id}.{i}.{unit.id}@qingdan")
            event.add("dtstamp", stamp)
            event.add("summary", f"【{row.role}】{duty.title}")
            event.add("dtstart", start)
            end = deadline.end if deadline.kind == "period" and deadline.end else start
            event.add("dtend", end + dt.timedelta(days=1))
            description = [deadline.describe(), f"牵头：{row.lead}"]
            if row.support:
                description.append(f"配合：{row.support}")
            description += [f"依据：{row.basis}", "", *duty.actions]
            event.add("description", "\n".join(description))
            if deadline.kind == "recurring":
                event.add("rrule", rrule(deadline))
            cal.add_component(event)
    return cal.to_ical()


def _event_start(deadline: Deadline, issued: dt.date | None, as_of: dt.date) -> dt.date | None:
    if deadline.kind == "recurring":
        return deadline.start or issued or as_of
    if deadline.kind == "period":
        return deadline.start
    return deadline.due


def pin_zip(raw: bytes, stamp: dt.datetime) -> bytes:
    """Rewrite an Office zip with fixed entry times and fixed core-property dates."""
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                text = re.sub(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rf"\g<1>{iso}\g<2>", text)
                data = text.encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=(max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, data)
    return out.getvalue()


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
