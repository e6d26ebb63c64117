"""Downloads are checked by reading them back with the libraries offices' software agrees with."""
from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io

import pytest
from docx import Document as Docx
from docx.oxml.ns import qn
from docx.shared import Cm
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
    assert [c.text for c in table.rows[0].cells] == ["序号", "工作任务", "牵头", "配合", "完成时限", "依据",
                                                     "完成情况", "备注"]  # the office writes in the last two
    lead, support = duties_of(data, unit.id)
    assert len(table.rows) - 1 == len(lead) + len(support)
    first = table.rows[1].cells
    assert first[0].text == "1" and "章渡学校方案" in first[5].text
    assert all(row.cells[6].text == "" and row.cells[7].text == "" for row in table.rows[1:])
    assert min(row.cells[6].width for row in table.rows) >= Cm(2.5)  # room to write by hand
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
    events = list(Calendar.from_ical(exports.to_ics(data, unit, dt.date(2021, 10, 1))).walk("VEVENT"))
    rules = sorted(str(e["RRULE"].to_ical(), "ascii") for e in events if "RRULE" in e)
    # item 1: 法制副校长每季度一次, 律师进校园每年一次, 安全教育平台每月一次
    assert rules == ["FREQ=MONTHLY", "FREQ=MONTHLY;INTERVAL=3", "FREQ=YEARLY"]
    dated = [e for e in events if "RRULE" not in e]
    assert [e["DTSTART"].dt for e in dated] == [dt.date(2021, 10, 31)]
    assert all(e["UID"].endswith("@qingdan") for e in events)


def calendars(data, as_of):
    return {path: content for path, content in exports.downloads(data, as_of).items() if path.endswith(".ics")}


def test_calendars_do_not_move_when_the_handbook_is_rebuilt(data):
    """Repeats once started on the build date: every rebuild moved them (a weekly visit changed weekday)."""
    later = dt.date(2026, 12, 20)
    dues = {d.due for duty in data.duties.values() for d in duty.deadlines if d.due}
    assert not any(AS_OF <= due < later for due in dues)  # no deadline passes in between: nothing may change
    before, after = calendars(data, AS_OF), calendars(data, later)
    assert before.keys() == after.keys()
    moved = [path for path in before if before[path] != after[path]]
    assert moved == []


def test_repeats_start_on_a_date_from_the_data(data):
    starts = {}
    for path, content in calendars(data, AS_OF).items():
        for event in Calendar.from_ical(content).walk("VEVENT"):
            if "RRULE" in event:
                duty_and_index = str(event["UID"]).split("@")[0].rsplit(".", 2)[0]  # the unit id has a dot too
                starts[duty_and_index] = event["DTSTART"].dt
    assert starts and AS_OF not in starts.values()
    # 万盛: from the issue date; 桐梓 and 章渡 from the start the editor wrote down (marked inferred)
    assert starts["wansheng-2021-3.01.0"] == dt.date(2021, 11, 25)
    assert starts["tongzi-2021.risk-grading.3"] == dt.date(2021, 8, 1)  # 橙色等级 weekly visits: always a Sunday
    assert starts["zhangdu-school-2021.01.1"] == dt.date(2021, 11, 1)
    # each term's work starts on the first day of a term
    assert starts["zhangdu-school-2021.06.3"] == dt.date(2022, 3, 1)
    assert starts["wansheng-2021-3.09.0"] == dt.date(2022, 3, 1)


def test_every_event_reminds_ahead(data):
    events = [e for content in calendars(data, AS_OF).values() for e in Calendar.from_ical(content).walk("VEVENT")]
    assert events
    for event in events:
        alarms = event.walk("VALARM")
        assert len(alarms) == 1, event["UID"]
        trigger = alarms[0]["TRIGGER"].dt
        assert dt.timedelta(days=-7) <= trigger < dt.timedelta(0), event["UID"]
        assert str(alarms[0]["ACTION"]) == "DISPLAY" and str(alarms[0]["DESCRIPTION"])


def test_past_one_off_deadlines_are_left_out(data):
    unit = data.units["zhangdu.moral-education"]  # 11月初 and 11月底 2021, then ongoing work
    early = list(Calendar.from_ical(exports.to_ics(data, unit, dt.date(2021, 11, 1))).walk("VEVENT"))
    late = list(Calendar.from_ical(exports.to_ics(data, unit, AS_OF)).walk("VEVENT"))
    assert len([e for e in early if "RRULE" not in e]) == 2
    assert [e for e in late if "RRULE" not in e] == []
    for content in calendars(data, AS_OF).values():
        for event in Calendar.from_ical(content).walk("VEVENT"):
            assert "RRULE" in event or event["DTEND"].dt > AS_OF, event["UID"]


def test_no_calendar_file_without_an_event(data):
    """A build of the bundled data wrote 61 calendars with no event in them."""
    written = calendars(data, AS_OF)
    assert written and all(list(Calendar.from_ical(c).walk("VEVENT")) for c in written.values())
    left_out = {uid for uid in data.units if f"downloads/{uid}.ics" not in written}
    assert "zhangdu.moral-education" in left_out and "wansheng.minzheng" not in left_out
    assert all(f"downloads/{uid}.csv" in exports.downloads(data, AS_OF) for uid in left_out)  # the rest stays
    assert "downloads/zhangdu.moral-education.ics" in calendars(data, dt.date(2021, 11, 1))  # before its dates passed


def test_a_repeat_the_data_gives_no_start_is_not_guessed(data):
    """The template's 宣传月 is "每年x月": no date anywhere, so no calendar event (and a review note)."""
    template = load_dataset(ROOT / "responsibilities")
    assert any(f.code == "I406" and "duties-safeguards" in f.file for f in template.report.findings)
    unit = data.units[data.duties["model-county-plan.guarantee-publicity"].lead[0]]
    uids = [str(e["UID"]) for e in Calendar.from_ical(exports.to_ics(data, unit, AS_OF)).walk("VEVENT")]
    assert not any(uid.startswith("model-county-plan.guarantee-publicity.") for uid in uids)


def test_inferred_dates_say_so_in_the_calendar(data):
    unit = data.units["zhangdu.principal-office"]
    events = list(Calendar.from_ical(exports.to_ics(data, unit, AS_OF)).walk("VEVENT"))
    quarterly = next(e for e in events if str(e["UID"]).startswith("zhangdu-school-2021.01.1."))
    assert "编者推定" in str(quarterly["DESCRIPTION"])


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
    assert summaries and all(s.startswith(f"【{checklist[0].role}】{shown}") for s in summaries)

    ws = load_workbook(io.BytesIO(exports.to_xlsx(data, unit, AS_OF, checklist)))["责任清单"]
    assert ws.cell(row=3, column=2).value == shown

    doc = Docx(io.BytesIO(exports.to_docx(data, unit, AS_OF, checklist)))
    assert doc.tables[0].rows[1].cells[1].paragraphs[0].text == f"{shown}（本单位{checklist[0].role}）"


def test_a_schools_downloads_carry_its_offices_duties(data):
    """章渡学校's downloads were empty: the plan gives every duty to its offices."""
    files = exports.downloads(data, AS_OF)
    rows = list(csv.reader(io.StringIO(files["downloads/zhangdu.school.csv"].decode("utf-8-sig"))))[1:]
    assert sorted(r[-1] for r in rows) == sorted(d for d in data.duties if d.startswith("zhangdu-school-2021."))
    doc = Docx(io.BytesIO(files["downloads/zhangdu.school.docx"]))
    assert len(doc.tables[0].rows) == 11
    events = Calendar.from_ical(files["downloads/zhangdu.school.ics"]).walk("VEVENT")
    assert {str(e["UID"]).split(".")[1] for e in events} >= {"01", "06"}  # the recurring ones


def test_inferred_deadlines_are_marked_in_the_tables(data):
    unit = data.units["zhangdu.moral-education"]
    ws = load_workbook(io.BytesIO(exports.to_xlsx(data, unit, AS_OF)))["责任清单"]
    by_title = {ws.cell(row=r, column=2).value: ws.cell(row=r, column=6).value for r in range(3, ws.max_row + 1)}
    assert "制定信息报告制度：2021年11月10日前（编者推定，已过）" in by_title["完善未成年人保护信息报告制度"]
    assert "编者推定" not in by_title["建设未成年人保护站"]
