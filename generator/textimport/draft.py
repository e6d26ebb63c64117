"""From a policy text to one draft data file: the document record, the units it had to propose, the duties.

The draft uses the same schemas as hand-written data and is checked together with the data it was normalised
against before it is written. What the text does not say (a lead, a deadline, a year) is never made up: it is left
as `assigned` / `unknown` and listed in the report for a person to finish.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from .. import checks, graph
from ..findings import Report
from ..ids import free_id, pinyin_slug
from ..load import display_name, load, load_file
from ..model import build
from ..validate import EMAIL, ID_NUMBER, MOBILE, PERSONAL_MAIL, is_id_number, records, validate
from .clean import Cleaned, clean
from .deadlines import Deadline, find_deadlines, phase_of, year_hint
from .leads import FIRST_LEADS, Leads, find_leads, heading_leads
from .fields import TASK_FIELDS, TIME_FIELDS, UNIT_FIELDS
from .lines import STANDARD_LINES, guess_line
from .outline import Item, Outline, parse, split_fields
from .read import ImportFailed, Para, read_source
from .units import (Proposal, UnitIndex, core, detect_jurisdiction, guess_jurisdiction, is_school, known_units, local_name,
                    placeholder_jurisdiction, same_place, unit_list)

DATED = ("date", "month", "year", "period", "phase")  # a target with a date makes a framing section a duty
REDACTED = "［已删去个人信息］"


@dataclass(frozen=True)
class DraftDuty:
    record: dict  # the duty as the schema wants it
    item: Item
    leads: Leads
    deadlines: tuple[Deadline, ...]  # found in the item's own text
    phases_attached: bool  # the item had no deadline of its own; the plan's work phases were put in
    line_why: str
    fallback: str = ""  # for an assigned lead: which unit was put in and why


@dataclass(frozen=True)
class Draft:
    source: Path
    document: dict
    proposals: tuple[Proposal, ...]
    lines: tuple[dict, ...]  # lines the data lacked and the draft adds
    duties: tuple[DraftDuty, ...]
    phases: tuple[Deadline, ...]
    matched: tuple[tuple[str, str], ...]  # (name in the text, existing unit id)
    cleaned: Cleaned
    outline: Outline
    redacted: int
    notes: tuple[str, ...]  # about the document record: where title, issuer, date, jurisdiction came from
    labels: tuple[tuple[str, str], ...] = ()  # unit id → the short name people know it by (existing and new units)
    unit_names: tuple[tuple[str, tuple[str, ...]], ...] = ()  # unit id → every name it has or the text gave it
    placeholders: tuple[tuple[str, str], ...] = ()  # (id, what to do): ids that say nothing, to rename before merging
    line_names: tuple[tuple[str, str], ...] = ()  # line id → its Chinese name, for the report
    wanted_id: str = ""  # the document id before another file's taking it made it id-2 (names the default output)


def draft_file(path: Path, data_dir: Path, replacing: Path | None = None) -> Draft:
    """Read, clean and recognise `path`; normalise its units against the data in `data_dir` (less the file the
    draft will replace, so that importing again keeps the same ids)."""
    source = read_source(path)
    cleaned = clean(source.paragraphs)
    if not cleaned.paragraphs:
        raise ImportFailed(f"{path.name} 清理后没有正文（只有网页导航、空行之类），没有可以导入的内容。")
    paragraphs, redacted = _redact_all(cleaned.paragraphs)
    cleaned = replace(cleaned, paragraphs=paragraphs)
    outline = parse(cleaned.paragraphs)
    if not outline.items:
        raise ImportFailed(f"{path.name} 中找不到条目：没有编号（一、（一）1.（1）① 等），没有“一是……二是……”，没有单独成行的"
                           "单位标题，也没有带表头的表格，看不出文件的结构，无法拆成职责。请确认这是一份实施意见、工作方案或责任清单；"
                           "如果编号在复制时丢失，请先补上编号。")
    loaded = load(data_dir)
    if replacing is not None:
        loaded.files = [f for f in loaded.files if f.path.resolve() != replacing.resolve()]
    recs = records(loaded)
    by_kind: dict[str, list[dict]] = {}
    for rec in recs:
        by_kind.setdefault(rec.kind, []).append(rec.data)
    taken = {r.id for r in recs if r.id}

    notes: list[str] = list(source.notes)
    facts = _document_facts(cleaned, outline, path, notes)
    text = "\n".join(p.text for p in cleaned.paragraphs)
    jurisdictions = [d.get("jurisdiction") for d in by_kind.get("document", []) + by_kind.get("unit", [])
                     if isinstance(d.get("jurisdiction"), str)]
    jurisdiction, how = read_jurisdiction(facts, cleaned, outline, text, jurisdictions)
    notes.append(how)
    local_units = [u for u in known_units(by_kind.get("unit", [])) if u.jurisdiction == jurisdiction]
    prefixes = Counter(u.id.split(".")[0] for u in local_units)
    named_place = not jurisdiction.startswith("待定") and "原文未写明名称" not in jurisdiction
    prefix = prefixes.most_common(1)[0][0] if prefixes else (id_prefix(jurisdiction) if named_place else "")
    wanted_id, doc_placeholder = document_id(facts, prefix, path)
    doc_id = free_id(wanted_id, taken)
    placeholders = [(doc_id, doc_placeholder)] if doc_placeholder else []
    if not prefix:
        prefix = doc_id.split("-")[0] if doc_id != "doc" else "doc"
        placeholders.append((f"{prefix}.…", f"新单位的标识符以“{prefix}.”开头，取自文件名（原文没有写明辖区）：并入数据前须改成辖区名称的拼音"
                            "（如 anxi.minzheng），引用它们的 lead 和 support 一并改。"))
    index = UnitIndex(known_units(by_kind.get("unit", [])), jurisdiction, set(taken), prefix)

    issued = dt.date.fromisoformat(facts["issued"]) if facts.get("issued") else None
    body_text = "\n".join([*(i.text for i in outline.items), *outline.phases])
    hint = year_hint(body_text + "\n" + facts["title"], issued)  # 2024年工作要点: its 6月底前 is in 2024
    phases = tuple(p for p in (phase_of(t, n, hint) for n, t in enumerate(outline.phases, start=1)) if p)

    lines = [d for d in by_kind.get("line", []) if isinstance(d.get("id"), str)]
    added_lines = [line for line in STANDARD_LINES if line["id"] not in {x["id"] for x in lines}]
    all_lines = lines + added_lines
    roles = [d for d in by_kind.get("role", []) if isinstance(d.get("id"), str) and isinstance(d.get("name"), str)]

    document = _document_record(doc_id, facts, jurisdiction, path)
    first_leads = bool(FIRST_LEADS.search(text))
    if first_leads:
        notes.append("原文说明各项所列单位中排在第一位的为牵头单位：其余单位作为配合单位。")
    coordinator: tuple[str, str] | None = None
    duties: list[DraftDuty] = []
    framing: list[str] = []
    for item in outline.items:
        mark = index.mark()
        parent = heading_leads(item.parent_text, index, item.parent_units) \
            if item.parent_text or item.parent_units else None
        leads = find_leads(item, index, parent, first_leads)
        own = _deadlines(item, hint, issued)
        if item.preamble and not (leads.basis == "stated" and not leads.inherited) \
                and not any(d.kind in DATED for d in own):
            index.rollback(mark)  # 指导思想, 基本原则 …: no owner, no date, no duty (and no units proposed for it)
            framing.append(f"{item.clause}{'' if item.title == item.clause else ' ' + item.title}")
            continue
        n = len(duties) + 1
        fallback = ""
        if not leads.lead:
            coordinator = coordinator or index.coordinator(facts["issuer"] or "", text)
            fallback = coordinator[1]
            leads = replace(leads, lead=(coordinator[0],), basis="assigned",
                            support=tuple(s for s in leads.support if s != coordinator[0]),
                            note=f"{lead_gap(leads)}，暂列{coordinator[1]}，须由实际工作部门确认。")
        attached = not own and bool(phases)
        deadlines = own or tuple(replace(p, label=p.label or "全文工作阶段") for p in phases)
        line, why = guess_line(item.title, item.headings + tuple(item.field("工作类别")),
                               "\n".join(item.body + item.subpoints), all_lines, school=is_school(jurisdiction))
        record = _duty_record(f"{doc_id}.{n:02d}", doc_id, item, line, leads, deadlines, roles)
        duties.append(DraftDuty(record, item, leads, own, attached, why, fallback))

    if framing:
        notes.append(f"没有作为职责导入（{len(framing)} 段）：指导思想、基本原则、工作目标等总体要求，原文没有写明承担单位，"
                     "也没有完成日期：" + "、".join(framing) + "。")
    if not duties:
        raise ImportFailed(f"{path.name} 中只有指导思想、基本原则之类的总体要求，没有写明由谁做、何时完成的任务，无法拆成职责。")
    used_lines = {d.record["line"] for d in duties}
    labels = {u.id: u.short_name or u.name for u in index.units} | \
        {p.id: f"{p.short_name or p.name}（新）" for p in index.proposals}
    placeholders += [(p.id, f"新单位 {p.id}（{p.name}）的标识符是占位的编号：并入数据前须改成单位名称的拼音，"
                             "引用它的 lead 和 support 一并改。") for p in index.proposals if re.search(r"\.unit-\d+(?:-\d+)?$", p.id)]
    return Draft(path, document, index.final_proposals(), tuple(x for x in added_lines if x["id"] in used_lines),
                 tuple(duties), phases, tuple(sorted(index.matched.items())), cleaned, outline, redacted, tuple(notes),
                 tuple(labels.items()), index.names(), tuple(placeholders),
                 tuple((x["id"], x.get("name") or x["id"]) for x in all_lines), wanted_id)


# ---------------------------------------------------------------- the document record

def read_jurisdiction(facts: dict, cleaned: Cleaned, outline: Outline, text: str,
                      known: list[str]) -> tuple[str, str]:
    """(jurisdiction, how it was found). The place the text names for itself (its issuer, title, the page's issuing
    body, its first lines, its signature) comes first, matched to the data's jurisdictions when one is the same
    place; a text that names none is matched by the places it mentions most, else by a placeholder (xx县)."""
    lines = [x for x in (*outline.preamble[:6], *reversed(outline.loose[-4:]))
             if len(x) <= 60 and not re.search(r"[，。；：,;:]", x)]  # titles and signatures, not prose
    own = guess_jurisdiction(facts["issuer"], facts["title"], cleaned.meta.get("发布机构", ""), *lines)
    if own:
        same = next((j for j in dict.fromkeys(known) if j == own or same_place(j, own)), None)
        if same:
            return same, f"辖区：原文写明“{own}”，单位按数据中这个辖区的单位识别。"
        return own, f"辖区：原文写明“{own}”，数据中还没有这个辖区，文中的单位都作为它的新单位提出。"
    mentioned = detect_jurisdiction(text, known)
    if mentioned:
        return mentioned, f"辖区：文中提到“{mentioned}”，单位按数据中这个辖区的单位识别。"
    # a jurisdiction of its own even when unnamed: two unnamed places must not share their units
    placeholder = placeholder_jurisdiction(text) or f"待定（原文未写明辖区，见 {facts['file']}）"
    return placeholder, f"辖区：原文没有写明，推定为“{placeholder}”，文中的单位都作为新单位提出。"


NOTICE = re.compile(r"^(?P<issuer>.{0,60}?)关于印发《?(?P<title>[^《》]+?)》?的通知$")
TITLE_END = re.compile(r"(?:实施意见|分解表|工作方案|实施方案|责任清单|工作要点|行动方案|工作计划|意见|方案|办法|清单|计划|通知|分工|要点|"
                       r"规定|细则|决定|通报|措施|分工表|任务表|一览表|指引)$")
DATE_LINE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}-\d{1,2}-\d{1,2}|20\d{6}")
NUMBER = re.compile(r"^(?P<n>[\u4e00-\u9fff]{2,12}〔\d{4}〕\d{1,4})(?P<hao>号?)$")


def _document_facts(cleaned: Cleaned, outline: Outline, path: Path, notes: list[str]) -> dict:
    meta = cleaned.meta
    preamble = list(outline.preamble)
    facts: dict = {"title": "", "issuer": "", "number": "", "issued": "", "issued_note": "", "file": path.name}
    for above, line in zip(["", *preamble], preamble):
        m = NOTICE.match(line)
        if m:  # the issuer may stand on the line above: 某市未成年人保护工作领导小组 / 关于印发《…》的通知
            issuer = m.group("issuer") or (above if unit_list(above) else "")
            facts["title"], facts["issuer"] = m.group("title"), issuer
            notes.append("标题和发文机关取自印发通知的标题。" if issuer else "标题取自印发通知的标题。")
            break
    if not facts["title"]:
        first = _title_line(preamble)
        facts["title"] = re.sub(r"\s*篇[一二三四五六七八九十]+$", "", first) or path.stem
        notes.append(f"标题取自{'原文开头的一行' if first else '文件名'}“{facts['title']}”，请核对。")
        if "关于" in facts["title"]:
            facts["issuer"] = facts["title"].split("关于", 1)[0]
    facts["issuer"] = facts["issuer"] or meta.get("发文机关", "")
    if not facts["issuer"]:
        facts["issuer"] = _signature([*preamble, *outline.loose])
        if facts["issuer"]:
            notes.append(f"发文机关取自原文落款“{facts['issuer']}”。")
    number = meta.get("发文字号") or meta.get("文号") or ""
    if not number:
        for line in preamble:
            m = NUMBER.match(line)
            if m:
                number = m.group("n") + "号"
                if not m.group("hao"):
                    notes.append(f"文号取自原文“{line}”，缺“号”字，已补上。")
                break
    facts["number"] = number
    issued, issued_from = _issued(meta, [*outline.loose, *preamble])
    facts["issued"] = issued
    if issued:
        notes.append(f"成文日期取自{issued_from}。")
    if meta.get("发布日期"):
        facts["issued_note"] = f"网页所列发布日期为{meta['发布日期']}。"
    return facts


def _title_line(preamble: list[str]) -> str:
    """The document's title among its opening lines: a line naming a kind of document (…实施方案, …的通知),
    else the first line long enough to be a title. Never a short line of a site's navigation (政务公开)."""
    lines = [x for x in preamble if 4 <= len(x) <= 60 and not re.search(r"[。；！？]|，.*，", x)]
    for line in lines:
        if TITLE_END.search(re.sub(r"(?:篇[一二三四五六七八九十]+|（[^（）]*年[^（）]*）)$", "", line)):
            return line
    return next((x for x in lines if len(x) >= 8), "")


def _signature(lines: list[str]) -> str:
    """The issuer a text signs with: the line of unit names right above its date (落款)."""
    for above, line in zip(lines, lines[1:]):
        if DATE_LINE.fullmatch(line.strip()) and unit_list(above):
            return above
    return ""


def _issued(meta: dict, lines: list[str]) -> tuple[str, str]:
    for source, words in [("网页的“成文日期”", meta.get("成文日期", ""))] + [(f"原文落款“{x}”", x) for x in lines]:
        m = re.fullmatch(r"\s*(\d{4})\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月|-|/|\.)\s*(\d{1,2})\s*日?\s*", words) \
            or re.fullmatch(r"(20\d{2})(\d{2})(\d{2})", words.strip())
        if m:
            try:
                return dt.date(*map(int, m.groups())).isoformat(), source
            except ValueError:
                continue
    return "", ""


def _document_record(doc_id: str, facts: dict, jurisdiction: str, path: Path) -> dict:
    record = {"id": doc_id, "title": facts["title"]}
    if facts["number"]:
        record["number"] = facts["number"]
    local = local_name(jurisdiction)
    record["issuer"] = facts["issuer"] or (f"{local}（原文未写明发文机关）" if local else "原文未写明发文机关")
    if facts["issued"]:
        record["issued"] = facts["issued"]
    record["issued_note"] = facts["issued_note"] or ("原文没有成文日期，请补上。" if not facts["issued"] else
                                                     "成文日期由导入程序从原文读出，请核对。")
    record["jurisdiction"] = jurisdiction
    record["source"] = f"导入自文件 {path.name}；原始出处（网址或档案位置）待补。"
    record["note"] = ("由 qingdan import 自动起草的草稿：概述和工作项摘自原文，须改用自己的话重写；"
                      "牵头单位、保护条线和时限须逐项核对。")
    return record


def id_prefix(jurisdiction: str) -> str:
    """The ids of a new place's units start with its name in pinyin: 雁丘市 → yanqiu (yanqiu.minzheng)."""
    ascii_name = pinyin_slug(re.sub(r"(?<=..)(?:省|自治区)$", "", core(jurisdiction)))  # 北沅省 → beiyuan
    return ascii_name if ascii_name[:1].isalpha() else ""


KIND_WORD = re.compile(r"^(?:工作|实施|行动|专项|重点)(?=..)")


def document_id(facts: dict, prefix: str, path: Path) -> tuple[str, str]:
    """(id, why it is a placeholder or ""). The data's ids are place-year(-number or kind): wansheng-2021-3 for
    万盛未保组〔2021〕3号, anxi-2025-yaodian for 安溪镇2025年…工作要点. Ids are permanent once published, so a
    file name (plan, table) is used only when the text gives no place or no year, and then it says so."""
    number = re.search(r"〔(\d{4})〕(\d{1,4})号", facts["number"])
    title_year = re.search(r"(20\d{2})\s*(?:年|[—–\-－~～至到]\s*20\d{2}\s*年)", facts["title"])  # 2024—2026年: 2024
    year = number.group(1) if number else title_year.group(1) if title_year else facts["issued"][:4]
    if prefix and year:
        kind = TITLE_END.search(re.sub(r"(?:篇[一二三四五六七八九十]+|（[^（）]*）)$", "", facts["title"]))
        word = number.group(2) if number else pinyin_slug(KIND_WORD.sub("", kind.group(0)))[:16] if kind else ""
        return f"{prefix}-{year}" + (f"-{word}" if word else ""), ""
    missing = "、".join(w for w, ok in (("辖区", prefix), ("年份", year)) if not ok)
    placeholder = slug(path.stem)
    return placeholder, (f"文件标识符 {placeholder} 取自文件名（原文没有写明{missing}）：标识符发布后不能再改，并入数据前须改成"
                         f"“辖区拼音-年份”的形式（如 {prefix or 'anxi'}-{year or '2025'}），"
                         f"各项职责的标识符 {placeholder}.01 … 随之改。")


def slug(stem: str) -> str:
    """An id from a file name: lower-case ASCII, other characters as hyphens, starting with a letter."""
    s = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    if not s or not s[0].isalpha():
        s = "doc" + (f"-{s}" if s else "")
    return s[:40].rstrip("-")


# ---------------------------------------------------------------- duties

def _deadlines(item: Item, hint: int | None, issued: dt.date | None) -> tuple[Deadline, ...]:
    found: list[Deadline] = []
    for value in item.field(*TIME_FIELDS):
        found += find_deadlines(value, hint, issued, labelled=True)
    rest = "\n".join([item.title + "。", *item.body, *(f"{k}：{v}" for k, v in item.fields if k not in TIME_FIELDS),
                      *item.subpoints])
    keys = {d.key() for d in found}
    found += [d for d in find_deadlines(rest, hint, issued) if d.key() not in keys]
    return tuple(found)


def _actions(item: Item) -> list[str]:
    tasks = item.field(*TASK_FIELDS)
    sources = tasks or list(item.body)
    out: list[str] = []
    for text in sources:
        parts = re.split(r"(?:^|(?<=[。；\n]))\s*(?:（\d{1,2}）|[①-⑳])|(?<=[。；])", text)
        out += [p for p in (x.strip() for x in parts) if p]
    out += [split_fields(p)[0] for p in item.subpoints]  # （1）……（责任单位：…）: the task, less its labels
    cleaned = []
    for action in out:
        action = re.sub(r"^(?:（\d{1,2}）|[①-⑳]|\d{1,2}[.．、])\s*", "", action).strip().rstrip("。；，")
        if len(action) >= 4 and not re.match(rf"^(?:{'|'.join(UNIT_FIELDS + TIME_FIELDS)})：", action):
            cleaned.append(action if len(action) <= 200 else action[:199] + "…")
    return list(dict.fromkeys(cleaned)) or [item.title]


def _summary(item: Item) -> str:
    text = "".join(item.field(*TASK_FIELDS)) or "".join(item.body) or "".join(split_fields(p)[0] for p in item.subpoints) \
        or item.title
    text = re.sub(r"\s+", "", text)
    return text if len(text) <= 600 else text[:599] + "…"


def _duty_record(duty_id: str, doc_id: str, item: Item, line: str, leads: Leads, deadlines: tuple[Deadline, ...],
                 roles: list[dict]) -> dict:
    record: dict = {"id": duty_id, "title": item.title, "document": doc_id, "clause": item.clause, "line": line,
                    "summary": _summary(item), "actions": _actions(item), "lead": list(leads.lead),
                    "lead_basis": leads.basis}
    if leads.note:
        record["lead_note"] = leads.note
    if leads.support:
        record["support"] = list(leads.support)
    found_roles = [r["id"] for r in roles
                   if any(isinstance(n, str) and n in item.text for n in (r["name"], *(r.get("aliases") or ())))]
    if found_roles:
        record["roles"] = found_roles
    if deadlines:
        record["deadlines"] = [d.as_dict() for d in deadlines]
    return record


# ---------------------------------------------------------------- personal data

def redact(text: str) -> tuple[str, int]:
    """Personal data the validator would reject (ID numbers, mobile numbers, personal e-mail) taken out of quotes."""
    count = 0

    def sub(m: re.Match) -> str:
        nonlocal count
        count += 1
        return REDACTED

    text = ID_NUMBER.sub(lambda m: sub(m) if is_id_number(m.group(0)) else m.group(0), text)
    text = MOBILE.sub(sub, text)
    text = EMAIL.sub(lambda m: sub(m) if m.group(1).lower() in PERSONAL_MAIL else m.group(0), text)
    return text, count


def _redact_all(paragraphs: tuple[Para, ...]) -> tuple[tuple[Para, ...], int]:
    out, total = [], 0
    for p in paragraphs:
        text, n = redact(p.text)
        total += n
        out.append(Para(text, p.bold_lead) if n else p)
    return tuple(out), total


# ---------------------------------------------------------------- writing and checking

class _Flow(list):
    """A short list of ids written on one line, as hand-written data does: lead: [a, b]."""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # list items indented under their key, as in hand-written data


_Dumper.add_representer(_Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))


def schema_path() -> Path:
    from .. import schemas

    return Path(schemas.__file__).resolve().parent / "data-file.schema.json"


def modeline(out: Path) -> str:
    target = schema_path()
    try:
        rel = os.path.relpath(target, out.resolve().parent)
    except ValueError:  # another drive on Windows
        rel = str(target)
    return f"# yaml-language-server: $schema={Path(rel).as_posix().replace(' ', '%20')}"


def _dump(records: list[dict]) -> str:
    flowed = []
    for record in records:
        record = dict(record)
        for name in ("lead", "support", "roles", "aliases"):
            if name in record:
                record[name] = _Flow(record[name])
        flowed.append(record)
    text = yaml.dump(flowed, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120, default_flow_style=False)
    return "".join("  " + line if line.strip() else line for line in text.splitlines(keepends=True))


def to_yaml(draft: Draft, out: Path, today: dt.date | None = None) -> str:
    today = today or dt.date.today()
    parts = [
        modeline(out),
        f"# 草稿：由 qingdan import 于 {today.isoformat()} 从“{draft.source.name}”起草。须逐项核对后才能并入清单数据：",
        "# - 概述（summary）和工作项（actions）摘自原文，须改用自己的话重写；",
        "# - lead_basis: assigned 的牵头单位是暂列的，原文没有写明；named 取自句中点名的主体；",
        "# - kind: unknown 的时限在原文中缺失；标有“待补”的条目见导入报告。",
        *([f"# - 占位的标识符，并入数据前须改名（发布后不能再改）：{'、'.join(i for i, _ in draft.placeholders)}。"]
          if draft.placeholders else []),
        "documents:",
        _dump([draft.document]).rstrip("\n"),
    ]
    if draft.proposals:
        parts += ["units:", "  # 新提出的单位：原文提到、数据中还没有。全称和类别是推定的，请核对。",
                  _dump([p.record() for p in draft.proposals]).rstrip("\n")]
    if draft.lines:
        parts += ["lines:", "  # 数据中缺少的保护条线，按通行的六大保护和综合事项补上。", _dump(list(draft.lines)).rstrip("\n")]
    parts.append("duties:")
    for duty in draft.duties:
        parts.append(f"  # {duty.item.clause} {duty.item.title}：" + "；".join(todo(duty)))
        parts.append(_dump([duty.record]).rstrip("\n"))
    return "\n".join(parts) + "\n"


def lead_gap(leads: Leads) -> str:
    """Why an item has no lead of its own: the text names none, or names one that is no unit the importer knows."""
    if leads.unplaced:
        return f"原文写明的牵头单位“{'、'.join(leads.unplaced)}”没能识别为单位"
    return "原文没有写明牵头单位"


def todo(duty: DraftDuty) -> list[str]:
    """What a person still has to do for one drafted duty, in a few words."""
    out = ["概述摘自原文，须改写"]
    if duty.leads.basis == "assigned":
        out.append(f"待补牵头单位（{lead_gap(duty.leads)}）")
    elif duty.leads.basis == "named":
        out.append("牵头单位取自句中点名，须核对")
    elif duty.leads.inherited:
        out.append("牵头单位沿用上级标题，须核对")
    if not duty.deadlines:
        out.append("待补时限（原文未写明）" + ("，暂列全文工作阶段" if duty.phases_attached else ""))
    if any(d.kind == "unknown" for d in duty.deadlines):
        out.append("时限原文缺失，待核实")
    out += [f"原文的“{name}”没能识别为单位，须补上" for name in duty.leads.unresolved if name not in duty.leads.unplaced]
    if duty.item.title_note:
        out.append("标题须改写")
    if duty.item.overview:
        out.append("这是上级标题的总述，可能与下级各项重复")
    return out


def check(text: str, out: Path, data_dir: Path) -> Report:
    """Validate the draft as if it were written at `out`, together with every data file in `data_dir` (an older
    copy of `out` there is left out), the graph checks included."""
    loaded = load(data_dir)
    name = display_name(out)
    loaded.files = [f for f in loaded.files if f.path.resolve() != out.resolve()]
    loaded.findings = [f for f in loaded.findings if f.file != name]
    with tempfile.TemporaryDirectory() as tmp:
        temp = Path(tmp) / (out.name or "draft.yaml")
        temp.write_text(text, encoding="utf-8")
        source, findings = load_file(temp)
    if source is not None:
        source.path, source.name = out, name
        loaded.files.append(source)
    loaded.findings += [replace(f, file=name) for f in findings]
    report = validate(loaded)
    if report.ok:
        dataset = build(loaded)
        report = report.merged(checks.findings(dataset, graph.build(dataset)))
    return report
