"""Downloads are checked by reading them back with the libraries offices' software agrees with."""
from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io

import pytest
from docx import Document as Docx
from docx.oxml.ns import qn
from icalendar import Calendar
from openpyxl import load_workbook

from generator import exports
from generator.model import Deadline
from generator.pipeline import load_dataset

from conftest import ROOT

AS_OF = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def data():
    return load_dataset(ROOT / "responsibilities").dataset


def duties_of(data, uid):
    lead = [d for d in data.duties.values() if uid in d.lead]
    support = [d for d in data.duties.values() if uid in d.support]
    return lead, support


def test_csv_opens_in_excel_with_chinese_intact(data):
    unit = data.units["wansheng.minzheng"]
    raw = exports.to_csv(data, unit, AS_OF)
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel then reads UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == exports.HEADER
    lead, support = duties_of(data, unit.id)
    assert len(rows) - 1 == len(lead) + len(support)
    assert {r[9] for r in rows[1:]} == {d.id for d in lead + support}
    assert all(r[2] in ("牵头", "配合") for r in rows[1:])
    assert b"\r\n" in raw


def test_xlsx_reads_back(data):
    unit = data.units["tongzi.jiaoyu"]
    wb = load_workbook(io.BytesIO(exports.to_xlsx(data, unit, AS_OF)))
    ws = wb["责任清单"]
    assert unit.name in ws["A1"].value
    assert [c.value for c in ws[2]] == exports.HEADER
    lead, support = duties_of(data, unit.id)
    titles = [ws.cell(row=r, column=2).value for r in range(3, ws.max_row + 1)]
    assert sorted(titles) == sorted(d.title for d in lead + support)
    assert ws.freeze_panes == "A3"
    assert ws["A1"].font.b and ws["A2"].font.b and ws["A2"].fill.fgColor.rgb == "FFDDEBF7"
    assert ws.print_title_rows == "$2:$2"  # the header repeats on every printed page
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.column_dimensions["H"].width == 48
    for r in range(3, ws.max_row + 1):  # each row tall enough for its actions, one per line
        actions = ws.cell(row=r, column=8).value or ""
        assert ws.cell(row=r, column=8).alignment.wrap_text
        assert ws.row_dimensions[r].height >= 15 * len(actions.splitlines()), r
    assert ws.cell(row=3, column=1).value == 1  # a number, so the column sorts
    assert ws.auto_filter.ref == f"A2:J{ws.max_row}"  # offices filter by 本单位 (牵头/配合) and by deadline


def test_docx_is_the_office_form(data):
    unit = data.units["zhangdu.moral-education"]
    doc = Docx(io.BytesIO(exports.to_docx(data, unit, AS_OF)))
    assert doc.paragraphs[0].text == f"{unit.name}未成年人保护工作责任清单"
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["序号", "工作任务", "牵头", "配合", "完成时限", "依据"]
    lead, support = duties_of(data, unit.id)
    assert len(table.rows) - 1 == len(lead) + len(support)
    first = table.rows[1].cells
    assert first[0].text == "1" and "章渡学校方案" in first[5].text
    section = doc.sections[0]
    assert section.page_width > section.page_height  # landscape A4
    assert any("盖章" in p.text for p in doc.paragraphs)
    assert doc.styles["Normal"].font.name == "宋体" and table.style.name == "Table Grid"
    header_row = table.rows[0]._tr
    assert header_row.trPr is not None and header_row.trPr.find(qn("w:tblHeader")) is not None
    assert all(run.bold for cell in table.rows[0].cells for run in cell.paragraphs[0].runs)
    printable = section.page_width - section.left_margin - section.right_margin
    assert sum(cell.width for cell in table.rows[1].cells) <= printable
    duty = exports.rows(data, unit, AS_OF)[0].duty
    assert [p.text for p in first[1].paragraphs[1:]] == [f"□ {a}" for a in duty.actions]
    assert doc.core_properties.created == dt.datetime(2026, 11, 25, tzinfo=dt.timezone.utc)
    footer = section.footer.paragraphs[0]._p.xml  # 第 N 页，共 M 页 on every page of a form that gets stamped
    assert "第 " in section.footer.paragraphs[0].text and " PAGE " in footer and " NUMPAGES " in footer
    assert all(row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None
               for row in table.rows)  # short rows stay on one page


def test_a_very_long_duty_may_break_across_pages(data):
    """Word cuts off a row that may not break but is taller than a page; such a row is allowed to break."""
    unit = data.units["zhangdu.moral-education"]
    checklist = exports.rows(data, unit, AS_OF)
    long_duty = dataclasses.replace(checklist[0].duty, actions=tuple(f"第{i}项具体工作" for i in range(40)))
    checklist = [dataclasses.replace(checklist[0], duty=long_duty), *checklist[1:]]
    table = Docx(io.BytesIO(exports.to_docx(data, unit, AS_OF, checklist))).tables[0]
    assert table.rows[1]._tr.trPr is None or table.rows[1]._tr.trPr.find(qn("w:cantSplit")) is None
    assert table.rows[2]._tr.trPr.find(qn("w:cantSplit")) is not None


def test_ics_recurring_duties_have_rrules(data):
    unit = data.units["zhangdu.principal-office"]
    cal = Calendar.from_ical(exports.to_ics(data, unit, AS_OF))
    events = list(cal.walk("VEVENT"))
    rules = sorted(str(e["RRULE"].to_ical(), "ascii") for e in events if "RRULE" in e)
    # item 1: 法制副校长每季度一次, 律师进校园每年一次, 安全教育平台每月一次
    assert rules == ["FREQ=MONTHLY", "FREQ=MONTHLY;INTERVAL=3", "FREQ=YEARLY"]
    dated = [e for e in events if "RRULE" not in e]
    assert [e["DTSTART"].dt for e in dated] == [dt.date(2021, 10, 31)]
    assert all(e["UID"].endswith("@qingdan") for e in events)


@pytest.mark.parametrize("every,times,by_day,rule", [
    ("week", 1, None, {"FREQ": "WEEKLY"}),
    ("month", 1, 25, {"FREQ": "MONTHLY", "BYMONTHDAY": 25}),
    ("month", 2, None, {"FREQ": "WEEKLY", "INTERVAL": 2}),
    ("quarter", 1, None, {"FREQ": "MONTHLY", "INTERVAL": 3}),
    ("semester", 1, None, {"FREQ": "MONTHLY", "INTERVAL": 6}),
    ("year", 1, None, {"FREQ": "YEARLY"}),
    ("year", 2, None, {"FREQ": "MONTHLY", "INTERVAL": 6}),
    ("year", 4, None, {"FREQ": "MONTHLY", "INTERVAL": 3}),
])
def test_rrule(every, times, by_day, rule):
    assert exports.rrule(Deadline(kind="recurring", every=every, times=times, by_day=by_day)) == rule


def test_downloads_are_byte_identical_between_runs(data):
    unit = data.units["wansheng.jiaoyu"]
    for write in exports.WRITERS.values():
        assert write(data, unit, AS_OF) == write(data, unit, AS_OF)


def test_awkward_text_survives_every_download(data):
    """Commas, semicolons, backslashes, markup, line breaks, very long lines and a stray control character."""
    unit = data.units["zhangdu.principal-office"]
    title = '含，逗号,分号;反斜杠\\与<标记>&"引号"\n第二行\x01' + "很长的标题" * 30
    shown = title.replace("\x01", "")
    checklist = [dataclasses.replace(row, duty=dataclasses.replace(row.duty, title=title))
                 for row in exports.rows(data, unit, AS_OF)]

    ics = exports.to_ics(data, unit, AS_OF, checklist)
    assert all(len(line) <= 75 for line in ics.split(b"\r\n"))  # folded, and never inside a character
    ics.decode("utf-8")
    summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical(ics).walk("VEVENT")]
    assert summaries and all(s == f"【{row.role}】{shown}" for s, row in zip(summaries, checklist))

    ws = load_workbook(io.BytesIO(exports.to_xlsx(data, unit, AS_OF, checklist)))["责任清单"]
    assert ws.cell(row=3, column=2).value == shown

    doc = Docx(io.BytesIO(exports.to_docx(data, unit, AS_OF, checklist)))
    assert doc.tables[0].rows[1].cells[1].paragraphs[0].text == f"{shown}（本单位{checklist[0].role}）"
