"""The handbook where screens end, in a real headless Chromium: printed on A4 (page.pdf, read back with
pdftotext) and on a 390 px phone.

Needs Debian's chromium, fonts-noto-cjk and poppler-utils (`make system-deps`). The bundled handbook is built once
per session (conftest's bundled_site).
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from browser import SYSTEM_DEPS_HINT, clean, serve

# Pages people print: checklists (a county bureau, a school rolled up), a duty, a role, the timeline, the pictures.
PRINTED = ["units/wansheng.minzheng/", "units/zhangdu.school/", "units/tongzi.minzheng/", "units/wansheng.jiaoyu/",
           "duties/tongzi-2021.risk-grading/", "roles/child-director/", "deadlines/", "graph/", "units/"]
A4_TEXT_HEIGHT_MM = 297 - 2 * 12  # qingdan.css: @page { margin: 12mm }
PX_PER_MM = 96 / 25.4


@pytest.fixture(scope="module")
def pdftotext():
    if shutil.which("pdftotext") is None:
        pytest.fail(f"找不到 pdftotext。{SYSTEM_DEPS_HINT}", pytrace=False)


@pytest.fixture(scope="module")
def base_url(bundled_site):
    with serve(bundled_site) as url:
        yield url


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(scope="module")
def printed(browser, base_url, tmp_path_factory, pdftotext):
    """path → (the text of each printed A4 sheet, the page's headings); each page is printed once per session."""
    done: dict[str, tuple[list[str], set[str]]] = {}
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()

    def sheets(path: str) -> tuple[list[str], set[str]]:
        if path not in done:
            page.goto(base_url + path)
            page.evaluate("document.fonts.ready")
            pdf = tmp_path_factory.mktemp("print") / "page.pdf"
            pdf.write_bytes(page.pdf(format="A4", prefer_css_page_size=True))  # as a reader's "Print" would
            out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                                 check=True).stdout
            headings = {clean(h) for h in page.locator("article :is(h1, h2, h3, h4)").all_inner_texts()}
            done[path] = (out.removesuffix("\f").split("\f"), headings)
        return done[path]

    yield sheets
    context.close()


def test_unchecked_boxes_print_as_empty_squares(page, base_url):
    """Material draws a box as a pale circle with a tick in it; on paper that reads as done."""
    page.goto(base_url + "units/wansheng.minzheng/")
    style = """() => {
        const s = getComputedStyle(document.querySelector('.task-list-indicator'), '::before');
        return {mask: s.maskImage || s.webkitMaskImage, border: s.borderTopStyle, colour: s.borderTopColor,
                fill: s.backgroundColor, width: s.width, height: s.height};
    }"""
    on_screen = page.evaluate(style)
    assert on_screen["mask"] != "none"  # the tick icon: what the print style must remove
    page.emulate_media(media="print")
    on_paper = page.evaluate(style)
    assert on_paper["mask"] == "none" and on_paper["fill"] == "rgba(0, 0, 0, 0)"
    assert on_paper["border"] == "solid" and on_paper["colour"] == "rgb(0, 0, 0)"
    assert on_paper["width"] == on_paper["height"]


@pytest.mark.parametrize("path", PRINTED)
def test_no_heading_is_left_alone_at_the_foot_of_a_sheet(printed, path):
    sheets, headings = printed(path)
    for number, sheet in enumerate(sheets[:-1], 1):
        lines = [clean(x) for x in sheet.splitlines() if x.strip()]
        assert lines, f"{path}: sheet {number} is empty"
        assert lines[-1] not in headings, f"{path}: sheet {number} ends with the heading {lines[-1]!r}"


@pytest.mark.parametrize("path", PRINTED)
def test_printed_pages_say_nothing_about_clicking(printed, path):
    text = "".join(printed(path)[0])
    assert "点击" not in text and "单击" not in text


def test_a_printed_checklist_leaves_out_screen_matters_and_keeps_its_partner_table_whole(printed, page, base_url):
    """A 5-duty page printed on 6 sheets: 1½ of change history, the note about ticks kept in this browser, and the
    协作单位 table's last row alone on the last sheet."""
    path = "units/tongzi.minzheng/"
    page.goto(base_url + path)
    assert page.locator(".qd-ticks-note").is_visible() and page.locator(".qd-history").is_visible()  # on screen
    partners = [clean(x) for x in page.locator("h2:has-text('协作单位') ~ * table tbody tr td:first-child")
                .all_inner_texts()]
    sheets, _ = printed(path)
    text = clean("".join(sheets))
    assert "勾选只保存" not in text and "变更历史" not in text
    (sheet,) = [s for s in sheets if "协作单位" in clean(s)]
    lines = clean(sheet)
    assert len(partners) > 2 and all(name in lines for name in partners), "the table is split from its heading"
    assert len(sheets) <= 4


def test_screen_pages_still_say_how_to_use_the_pictures(page, base_url):
    page.goto(base_url + "units/wansheng.minzheng/")
    assert "点击方框或椭圆打开对应页面" in page.locator("figure.qd-graph figcaption").inner_text()


@pytest.mark.parametrize("path", ["graph/", "units/wansheng.minzheng/", "reporting/", "duties/tongzi-2021.risk-grading/"])
def test_pictures_are_never_split_over_two_sheets(page, base_url, path):
    """Each picture is kept whole (break-inside: avoid) and fits on one sheet at the printed column width."""
    page.set_viewport_size({"width": round((210 - 2 * 12) * PX_PER_MM), "height": 1000})
    page.goto(base_url + path)
    page.emulate_media(media="print")
    figures = page.evaluate("""() => [...document.querySelectorAll('figure.qd-graph')].map(f => ({
        avoid: getComputedStyle(f).breakInside, height: f.getBoundingClientRect().height}))""")
    assert figures
    for figure in figures:
        assert figure["avoid"] == "avoid"
        assert figure["height"] <= A4_TEXT_HEIGHT_MM * PX_PER_MM, figure


# Pages whose tables a member unit, a trainer or a reviewer reads on a phone.
ON_A_PHONE = ["units/", "units/wansheng.minzheng/", "deadlines/", "documents/wansheng-2021-3/", "lines/family/",
              "duties/tongzi-2021.risk-grading/", "roles/child-director/", "review/", "", "units/kind-government/"]


@pytest.mark.parametrize("path", ON_A_PHONE)
def test_tables_fit_a_390_px_phone(page, base_url, path):
    """Five columns needed 500 px (Material's minimum column width and padding): the last ones were hidden behind
    a sideways scroll. The responsibility matrices are meant to scroll and are not checked."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base_url + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Material puts each table in a box that scrolls sideways (.md-typeset__scrollwrap): it must have nothing to scroll
    tables = page.evaluate("""() => [...document.querySelectorAll('article table')]
        .filter(t => !t.closest('.qd-matrix'))
        .map(t => t.closest('.md-typeset__scrollwrap') || t)
        .map(box => ({wide: box.scrollWidth, room: box.clientWidth, text: box.innerText.slice(0, 30)}))""")
    assert tables or path == "", path
    hidden = [t for t in tables if t["wide"] > t["room"] + 1]
    assert hidden == []
