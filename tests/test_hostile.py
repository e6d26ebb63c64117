"""Hostile data: every free-text field of every kind of record filled with markup, scripts, template syntax,
table pipes, backticks, line breaks, bidi marks, very long text and path-like names; then the real handbook is
built and opened in Chromium.

No script may run (a payload sets window.__qd_pwned or opens a dialog), no page may be overwritten (each record's
own page exists and carries its own title), and the downloads stay well-formed: no formula in a spreadsheet, no
extra event in a calendar, no path in a download's file name. A few builds, each with every field poisoned.
"""
from __future__ import annotations

import csv
import html
import io
import itertools
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml

from browser import clean, open_search, search_again, serve
from conftest import FIXTURES, build_site
from generator import schema
from generator.pipeline import load_dataset

FLAG = "__qd_pwned"
NASTY = [
    f"<script>window.{FLAG}='script'</script>",
    f"<img src=x onerror=\"window.{FLAG}='img';alert(1)\">",
    f"[点我](javascript:window.{FLAG}='md-link')",
    f"](javascript:window.{FLAG}='md-tail') [x]: javascript:alert(1)",
    f"<svg onload=\"window.{FLAG}='svg'\"></svg>",
    f"<a href=\"javascript:window.{FLAG}='a'\">链接</a>",
    f"\" onmouseover=\"window.{FLAG}='attr'\" x=\"",
    "{{ config.site_name }} {% if true %}模板{% endif %} ${7*7}",
    "| 竖线 | 表格 |\n|---|---|",
    "`代码` ``两个`` ``` 三个",
    "第一行\n第二行\n\n- 列表？\n# 标题？\n!!! note \"提示\"\n    注入的提示框",
    "\u200f右到左\u202e反向\u202c\u2066隔离\u2069\u200e标记",
    "很长的文字" * 700,
    "../../etc/passwd \\ a/b .. ./ C:\\Windows",
    "\"双引号\" '单引号' & &amp; &lt;b&gt; </textarea></title></script>",
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "+1+1 -2",
    "BEGIN:VEVENT\nSUMMARY:注入的事件\nEND:VEVENT",
    "*强调* _下划线_ **粗** ~~删~~ ==标记== ^^插^^ <!-- 注释 --> { .cls #id }",
    "末尾反斜杠\\",
]
SCRIPTED = [s for s in NASTY if FLAG in s]


# ---------------------------------------------------------------- a data set with every optional text field

EXTRA = {
    "documents": {"short_title": "x", "issued_note": "x", "note": "x"},
    "lines": {"aliases": ["x"], "description": "x"},
    "roles": {"aliases": ["x"], "description": "x"},
    "units": {"aliases": ["x"], "note": "x"},
}


def all_fields_data() -> dict:
    """The minimal data set, with every optional text field filled and one record of each remaining kind."""
    data = yaml.safe_load((FIXTURES / "minimal" / "base.yaml").read_text(encoding="utf-8"))
    for kind, fields in EXTRA.items():
        for record in data[kind]:
            record.update({k: (list(v) if isinstance(v, list) else v) for k, v in fields.items()})
            if kind == "units":
                record.setdefault("short_name", "x")
    for duty in data["duties"]:
        duty.update(lead_note="x", basis=["x"], tags=["x"], support=duty.get("support", []))
        for deadline in duty.get("deadlines", []):
            deadline.update(label="x", text="x", inferred="x")
    data["duties"][0]["deadlines"] += [
        {"kind": "phase", "phase": "x", "start": "2024-04-01", "end": "2024-05-31", "label": "x", "text": "x"},
        {"kind": "unknown", "text": "x", "reason": "x", "label": "x"},
        {"kind": "event", "event": "x", "label": "x", "text": "x"}]
    data["terms"] = [{"id": "term.demo", "term": "x", "aliases": ["x"], "definition": "x", "basis": ["x"]},
                     {"id": "term.other", "term": "x", "definition": "x", "see": ["term.demo"]}]
    data["referrals"] = [{"id": "demo-2024.refer", "situation": "x", "examples": ["x"], "to": ["demo.minzheng"],
                          "notify": ["demo.fulian"], "action": "x", "document": "demo-2024", "clause": "x",
                          "roles": ["child-director"]}]
    data["risk_levels"] = [{"id": "demo-2024.risk-red", "colour": "red", "name": "x", "order": 1, "meaning": "x",
                            "visits": {"kind": "recurring", "every": "week", "label": "x", "text": "x", "inferred": "x"},
                            "measures": ["x"], "document": "demo-2024", "clause": "x"},
                           {"id": "demo-2024.risk-orange", "colour": "orange", "name": "x", "order": 2,
                            "visits": {"kind": "event", "event": "x"}, "measures": ["x"], "document": "demo-2024",
                            "clause": "x"},
                           {"id": "demo-2024.risk-yellow", "colour": "yellow", "name": "x", "order": 3,
                            "visits": {"kind": "phase", "phase": "x", "end": "2024-12-31"}, "measures": ["x"],
                            "document": "demo-2024", "clause": "x"},
                           {"id": "demo-2024.risk-blue", "colour": "blue", "name": "x", "order": 4,
                            "visits": {"kind": "unknown", "text": "x", "reason": "x"}, "measures": ["x"],
                            "document": "demo-2024", "clause": "x"}]
    data["reporting_chains"] = [{"id": "demo-2024.chain", "name": "x", "document": "demo-2024", "clause": "x",
                                 "steps": [{"role": "child-director", "does": "x", "when": "x"},
                                           {"unit": "demo.minzheng", "does": "x", "when": "x"}]}]
    return data


def is_text(node: dict) -> bool:
    return node.get("type") == "string" and node.get("maxLength") == 4000 and "pattern" not in node


def poison(value, node: dict, nasty, path: str, seen: set[str]):
    """`value` with every free-text string (as the schema says) replaced by the next nasty string."""
    if is_text(node) and isinstance(value, str):
        seen.add(path)
        return next(nasty)
    if isinstance(value, list):
        items = node.get("items", {})
        return [poison(v, items, nasty, path + "[]", seen) for v in value]
    if isinstance(value, dict):
        props = node.get("properties", {})
        return {k: poison(v, props.get(k, {}), nasty, f"{path}.{k}", seen) for k, v in value.items()}
    return value


def schema_text_fields(node: dict, path: str = "") -> set[str]:
    if is_text(node):
        return {path}
    out = set()
    if "items" in node:
        out |= schema_text_fields(node["items"], path + "[]")
    for name, sub in node.get("properties", {}).items():
        out |= schema_text_fields(sub, f"{path}.{name}")
    return out


def nasty_strings(offset: int):
    """Every nasty string in turn, each made unique (lists must not repeat, names must tell pages apart) by a
    number after it or, every other time, before it: a string must also be tried where it starts or ends a value."""
    for n in itertools.count():
        nasty = NASTY[(n + offset) % len(NASTY)]
        yield f"{nasty}{n}" if n % 2 else f"{n}{nasty}"


def write_data(folder: Path, offset: int) -> set[str]:
    seen: set[str] = set()
    poisoned = poison(all_fields_data(), schema.validator().schema, nasty_strings(offset), "", seen)
    folder.mkdir(parents=True)
    text = "# yaml-language-server: $schema=../../schemas/data-file.schema.json\n"
    (folder / "base.yaml").write_text(text + yaml.safe_dump(poisoned, allow_unicode=True, sort_keys=False),
                                      encoding="utf-8")
    return seen


def test_the_hostile_data_set_fills_every_text_field_the_schemas_have(tmp_path):
    seen = write_data(tmp_path / "data", 0)
    # referrals' and chains' clauses, every record's names: all of them
    assert schema_text_fields(schema.validator().schema) - seen == set()


# ---------------------------------------------------------------- built and opened

OFFSETS = [0, 7, 14]  # three builds: each field meets a different nasty string in each


@pytest.fixture(scope="module", params=OFFSETS, ids=lambda o: f"offset{o}")
def hostile_site(request, tmp_path_factory):
    root = tmp_path_factory.mktemp(f"hostile{request.param}")
    write_data(root / "data", request.param)
    result = load_dataset(root / "data")
    assert result.dataset is not None, result.report.to_text()
    built = build_site(root / "site", root / "data")
    assert built.returncode == 0, built.stdout + built.stderr
    yield root / "site", result.dataset
    shutil.rmtree(root, ignore_errors=True)


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.parts)


def test_no_script_runs_on_any_page(browser, hostile_site):
    site, _ = hostile_site
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    ran: dict[str, str] = {}
    with serve(site) as base:
        for path in html_pages(site):
            url = base + path.relative_to(site).as_posix()
            page.goto(url)
            # no link anywhere may lead to a script when clicked
            hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
            assert not [h for h in hrefs if h.strip().lower().startswith("javascript:")], url
            flag = page.evaluate(f"window.{FLAG}")
            if flag:
                ran[url] = flag
        page.goto(base)
        open_search(page)
        for word in ("双引号", "竖线", "代码", "链接"):
            search_again(page, word)
            if page.evaluate(f"window.{FLAG}"):
                ran[f"搜索「{word}」"] = page.evaluate(f"window.{FLAG}")
    context.close()
    assert not ran and not dialogs, f"运行了注入的脚本：{ran}；弹出对话框：{dialogs}"


def test_no_page_is_overwritten(hostile_site):
    site, data = hostile_site
    own = {f"units/{u.id}": u.name for u in data.units.values()}
    own |= {f"duties/{d.id}": d.title for d in data.duties.values()}
    own |= {f"lines/{x.id}": x.name for x in data.lines.values()}
    own |= {f"roles/{r.id}": r.name for r in data.roles.values()}
    own |= {f"documents/{d.id}": d.title for d in data.documents.values()}
    for path, name in own.items():
        page = site / path / "index.html"
        assert page.is_file(), path
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", page.read_text(encoding="utf-8"), re.S).group(1)
        shown = clean(html.unescape(re.sub(r"<[^>]+>", "", heading)))
        assert shown.endswith(clean(name)[-20:]), (path, shown[:80], name[:80])
    # one page per record that has one (a role has two: its page and its brief), none shared
    expected = len(data.units) + len(data.duties) + len(data.lines) + 2 * len(data.roles) + len(data.documents)
    record_pages = {p.parent for p in html_pages(site)
                    if p.parent.parent.name in ("units", "duties", "lines", "roles", "documents")
                    and not p.parent.name.startswith("kind-")}
    assert len(record_pages) == expected


def test_downloads_stay_well_formed(hostile_site):
    import icalendar
    import openpyxl
    from docx import Document

    site, data = hostile_site
    html = {u.id: (site / "units" / u.id / "index.html").read_text(encoding="utf-8") for u in data.units.values()}
    for unit in data.units.values():
        names = re.findall(r'download="([^"]*)"', html[unit.id])
        assert len(names) == 4, unit.id
        for name in names:
            assert not re.search(r'[\\/:*?"<>|\x00-\x1f]', name.replace("&amp;", "&")), name
            assert not name.startswith("."), name
        downloads = site / "downloads"
        rows = list(csv.reader(io.StringIO((downloads / f"{unit.id}.csv").read_text(encoding="utf-8-sig"))))
        for cell in itertools.chain.from_iterable(rows):
            assert not cell[:1] in ("=", "+", "-", "@"), cell[:40]
        book = openpyxl.load_workbook(downloads / f"{unit.id}.xlsx")
        assert all(c.data_type != "f" for row in book.active.iter_rows() for c in row)
        Document(str(downloads / f"{unit.id}.docx"))
        calendar = icalendar.Calendar.from_ical((downloads / f"{unit.id}.ics").read_bytes())
        summaries = [str(e.get("SUMMARY")) for e in calendar.walk("VEVENT")]
        assert not any(s.startswith("注入的事件") for s in summaries), summaries
        with zipfile.ZipFile(downloads / f"{unit.id}.xlsx") as z:
            assert z.testzip() is None
