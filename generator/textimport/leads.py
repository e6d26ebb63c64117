"""Who leads and who supports an item, as the text states it.

`stated` needs the text's own words: 由X牵头, 以X牵头, X牵头, X负责, （X、Y按照职责分工负责）, X为牵头单位,
责任单位：X (or 牵头单位：X), or the units an item is headed by (一、市委宣传部、市委文明办。…, 省委宣传部：…, a line
naming a unit above its paragraphs). `named` is the actor a sentence names (X要…, 由X统筹…). Anything else is left
for a person: the draft falls back to the coordinating unit as `assigned`. Support comes from X配合 / X协助 /
X参与, 配合单位：, 成员单位：. Where the text says that the first unit of each list leads (排在第一位的为牵头单位),
the others of a 责任单位 or 负责 list support.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .fields import DUTY_FIELDS, LEAD_FIELDS, SUPPORT_FIELDS, UNIT_FIELDS, alternation
from .outline import Item
from .units import GENERIC, UnitIndex, as_unit_name, key, split_names, unit_shaped

INLINE_FIELD = re.compile(rf"({alternation(UNIT_FIELDS)})"
                          r"\s*[：:]\s*((?:[^。；\n（）()【】\[\]]|[（(](?:牵头|主责)[）)]|[（(][^（）()。；：\n]{1,8}[）)])+)")  # X（牵头）

BOUNDARY = r"(?:^|(?<=[。；，：\n（(【\[]))"
NAME = r"(?:[^。；，：、\n（）()]|[（(][^（）()。；\n]{1,8}[）)])"  # a bracketed part may hold 、: 各县（市、区）
NAMES = rf"{NAME}{{2,30}}?(?:、{NAME}{{2,30}}?)*"
# 按照职责分工, 按各自职责, 根据职责 … between the names and 负责: every unit named is responsible.
BY_DUTY = r"(?:等(?:相关|有关)?(?:单位|部门)?)?(?:按照?|根据|依照?|依据)?(?:各自)?(?:职责|职能)?(?:分工)?"
NOT_PERSON = r"(?!人|同志|的同志|领导)"
BY_LEAD = re.compile(rf"(?:由|以(?!上|下|及|来|便|免|期|此|后|前|往|内|外))(?P<x>[^。；，：\n由]{{2,80}}?){BY_DUTY}(?:共同|具体|负责|为主)?(?P<verb>牵头|负责){NOT_PERSON}")
X_LEAD = re.compile(rf"{BOUNDARY}(?P<x>{NAMES}){BY_DUTY}(?:共同|具体|负责|分别)?(?P<verb>牵头|负责){NOT_PERSON}")
AS_LEAD = re.compile(rf"{BOUNDARY}(?P<x>{NAMES})为(?P<verb>牵头|责任)(?:单位|部门)")
SET_IN = re.compile(rf"{BOUNDARY}(?P<x>{NAMES})设在[^。；，\n]{{2,20}}，(?:具体)?(?P<verb>负责)")  # 办公室设在县民政局，负责…
# 由X会同Y负责: X leads, Y supports.
WITH = re.compile(rf"(?:由|{BOUNDARY})(?P<x>{NAMES})会同(?P<y>{NAMES}){BY_DUTY}(?:共同|联合)?(?P<verb>负责|牵头){NOT_PERSON}")
SUPPORT = re.compile(rf"{BOUNDARY}(?P<y>{NAMES})为(?:配合|协办|参与)(?:单位|部门)"
                     rf"|{BOUNDARY}(?P<x>{NAMES})(?:等[^。；，：\n]{{0,8}}?)?(?:要|应|应当|须|积极|密切|共同|全力|负责|做好|协同|"
                     rf"大力|主动)?(?:配合|协助|参与(?!度|率|式))")
NAMED = re.compile(rf"{BOUNDARY}(?P<x>{NAMES})(?:等(?:相关|有关)?(?:单位|部门|组织|机构)(?:、(?:单位|组织))?)?"
                   rf"(?P<verb>要|应当|应|须|必须|务必|负责牵头|统筹|组织(?![要应须]))")
BY_NAMED = re.compile(r"由(?P<x>[^。；，：\n]{2,40}?)(?P<verb>统筹|组织|主导|承担)")
TRAILING = re.compile(r"(?:等(?:相关|有关)?(?:单位|部门|成员单位|机构|组织)?|共同|分别|各自|具体)$")
MARKED = re.compile(r"[（(](?:牵头|主责)[）)]")
# The text's own rule for its lists: 排在第一位的为牵头单位 / 列第一位的单位为牵头单位 / 第一个单位牵头.
FIRST_LEADS = re.compile(r"(?:排在|列在|排|列)?(?:第一位|首位|第一个|最前面)的?(?:单位|部门)?(?:为|是)?牵头(?:单位|部门)?")


@dataclass(frozen=True)
class Leads:
    lead: tuple[str, ...]
    basis: str  # stated / named / assigned
    support: tuple[str, ...] = ()
    note: str = ""  # the lead_note for the draft
    wording: tuple[str, ...] = ()  # the source phrases the leads were read from
    unresolved: tuple[str, ...] = ()  # names the text gives that could not be placed
    inherited: bool = False  # taken from the enclosing heading
    unplaced: tuple[str, ...] = ()  # what a 牵头单位 / 责任单位 field names that is no unit known or proposable


def names_in(words: str, index: UnitIndex, propose: bool = True, strict: bool = True) -> tuple[list[str], list[str]]:
    """Units in a list such as 县委政法委、团县委 or 县民政局和县教育局等单位. Strict: every part must be a unit
    (otherwise the phrase is prose, not a list of units) — else ([], [words]), and nothing is proposed."""
    words = TRAILING.sub("", words.strip())
    parts = [as_unit_name(q) for q in (TRAILING.sub("", p) for p in split_names(words)) if q]
    named = [q for q in parts if not GENERIC.search(key(q))]  # 省残联、省直有关部门: the 有关部门 names no unit
    if not named:
        return [], ([words] if parts else [])
    parts = named
    if strict and not all(_one(p, index, False)[0] or (propose and _proposable(p, index)) for p in parts):
        return [], [words]
    ids: list[str] = []
    left: list[str] = []
    for part in parts:
        found, rest = _one(part, index, propose)
        ids += found
        left += rest
    return list(dict.fromkeys(ids)), left


OFFICE_WORDS = {"办公室", "办", "委员会", "中心", "小组", "分局", "支队", "大队", "中队", "工作站", "站"}


def _proposable(part: str, index: UnitIndex) -> bool:
    """Whether `part` could become new units (checked before proposing anything, so prose proposes nothing)."""
    if unit_shaped(part):
        return True
    pieces = [p for p in re.split(r"和|及|与", part) if p]
    if len(pieces) > 1 and all(index.resolve(p) or unit_shaped(p) for p in pieces):
        return True
    known, rest = index.segment(part, propose=False)
    return bool(known) and all(unit_shaped(r) or r in OFFICE_WORDS for r in rest)


def _one(part: str, index: UnitIndex, propose: bool) -> tuple[list[str], list[str]]:
    """The units one list entry names: a known name, known names joined by 和/及/与 or run together, or a new unit."""
    uid = index.resolve(part)
    if uid:
        return [uid], []
    pieces = [p for p in re.split(r"和|及|与", part) if p]
    if len(pieces) > 1 and all(index.resolve(p) for p in pieces):
        return [index.resolve(p) for p in pieces], []
    known, rest = index.segment(part, propose=False)
    if known and not rest:
        return known, []
    if known and unit_shaped(part) and all(r in OFFICE_WORDS for r in rest):
        known = []  # 县未成年人保护委员会办公室 is the committee's office, not the committee and an 办公室
    if not propose:
        return [], [part]
    if known:
        return index.segment(part, propose=True)
    if unit_shaped(part):
        return [index.propose(part)], []
    if len(pieces) > 1 and all(unit_shaped(p) for p in pieces):
        return [index.propose(p) for p in pieces], []
    return [], [part]


def find_leads(item: Item, index: UnitIndex, parent_leads: "Leads | None" = None, first_leads: bool = False) -> Leads:
    """The item's leads and supporters. `parent_leads`: what the enclosing heading states, for an item that states
    nothing itself. `first_leads`: the text says the first unit of each list leads."""
    text = re.sub(r"《[^》]*》", "", item.text)
    prose = re.sub(r"《[^》]*》", "", "\n".join([item.title, *item.body, *item.subpoints]))  # the text less its field lines
    inline = INLINE_FIELD.findall(prose)  # 责任单位：… written inside a paragraph
    support, support_words, unresolved = _support(item, text, inline, index)

    lead_fields = item.field(*LEAD_FIELDS) + [v for k, v in inline if k in LEAD_FIELDS]
    duty_fields = item.field(*DUTY_FIELDS) + [v for k, v in inline if k in DUTY_FIELDS]
    if not lead_fields and any(MARKED.search(v) for v in duty_fields):  # 责任单位：区民政局（牵头），区法院
        lead_fields, duty_fields = _marked(duty_fields)
    unplaced: list[str] = []
    if lead_fields or duty_fields:
        lead, left = _from_fields(lead_fields or duty_fields, index)
        unresolved += left
        unplaced = [] if lead else left
        if lead_fields and duty_fields:  # 牵头单位 leads; 责任单位 beside it share the work
            more, left = _from_fields(duty_fields, index)
            support += more
            unresolved += left
        if lead:
            if first_leads and not lead_fields:
                lead, support = lead[:1], lead[1:] + support
            wording = tuple(f"{'牵头单位' if lead_fields else '责任单位'}：{v}" for v in (lead_fields or duty_fields))
            return _done(lead, "stated", support, "", wording + support_words, unresolved)

    if item.units_heading:  # 一、市委宣传部、市委文明办。… / 省委宣传部：…
        lead, left = names_in(item.units_heading, index)
        if lead:
            return _done(lead, "stated", support, "", (f"{item.units_heading}（本项以单位开头）",) + support_words,
                         unresolved)

    lead, wording, doing = [], [], []
    for pattern in (WITH, BY_LEAD, X_LEAD, AS_LEAD, SET_IN):
        for m in pattern.finditer(text):
            if any(m.group(0) in w or w in m.group(0) for w in wording):
                continue
            ids, left = names_in(m.group("x"), index)
            if ids:
                if pattern is WITH:
                    support += names_in(m.group("y"), index)[0]
                if first_leads and m.group("verb") == "负责":
                    ids, support = ids[:1], ids[1:] + support
                (lead if m.group("verb") in ("牵头", "责任") or pattern is WITH else doing).append(ids)
                wording.append(m.group(0).lstrip("。；，：\n（("))
            elif pattern is BY_LEAD:
                unresolved += left
    if lead and doing:  # X牵头，Y按职责分工负责: X leads, the units that 负责 beside it share the work
        support = [u for ids in doing for u in ids] + support
    lead = [u for ids in (lead or doing) for u in ids]
    if lead:
        return _done(lead, "stated", support, "", tuple(wording) + support_words, unresolved)

    if parent_leads is not None and parent_leads.basis == "stated" and parent_leads.lead:
        note = f"本项原文没有单独写牵头单位；上级标题写明“{'；'.join(parent_leads.wording)}”，沿用。请核对。"
        return _done(list(parent_leads.lead), "stated", support or list(parent_leads.support), note,
                     parent_leads.wording, unresolved, True)

    named, named_words = [], []
    for pattern in (BY_NAMED, NAMED):
        for m in pattern.finditer(text):
            clause = re.split(r"[。；\n]", text[m.end():], maxsplit=1)[0]
            if pattern is NAMED and re.match(r"^[^，]{0,16}(?:协助|配合|参与)", clause):
                continue  # X要协助/配合…: a supporting unit, handled above
            ids, _ = names_in(m.group("x"), index, propose=m.group("verb") not in ("统筹", "组织"))
            if ids:
                named += ids
                named_words.append(m.group(0).lstrip("。；，：\n（("))
    if named:
        quoted = "；".join(f"“{w}…”" for w in dict.fromkeys(named_words))
        note = f"原文没有写“牵头/负责”，取句中点名的主体：{quoted}。须核对并确定牵头单位。"
        return replace(_done(named, "named", support, note, tuple(named_words) + support_words, unresolved),
                       unplaced=tuple(unplaced))
    return Leads((), "assigned", tuple(dict.fromkeys(support)), "", support_words, tuple(unresolved),
                 unplaced=tuple(unplaced))


def _support(item: Item, text: str, inline: list[tuple[str, str]],
             index: UnitIndex) -> tuple[list[str], tuple[str, ...], list[str]]:
    ids, words, unresolved = [], [], []
    fields = item.field(*SUPPORT_FIELDS) + [v for k, v in inline if k in SUPPORT_FIELDS]
    for value in fields:
        found, left = _from_fields([value], index)
        ids += found
        unresolved += left
        words.append(f"配合单位：{value}")
    for m in SUPPORT.finditer(text):
        found, _ = names_in(m.group("x") or m.group("y"), index)  # strict: only a list made wholly of unit names
        if found:
            ids += found
            words.append(m.group(0).lstrip("。；，：\n"))
    return ids, tuple(words), unresolved


def _marked(values: list[str]) -> tuple[list[str], list[str]]:
    """A 责任单位 list that marks its lead: the marked units lead, the others share the work."""
    lead, others = [], []
    for value in values:
        for part in split_names(value):
            if MARKED.search(part):
                lead.append(MARKED.sub("", part).strip())
            elif part.strip():
                others.append(part.strip())
    return ["、".join(lead)], (["、".join(others)] if others else [])


def _from_fields(values: list[str], index: UnitIndex) -> tuple[list[str], list[str]]:
    ids, left = [], []
    for value in values:
        found, rest = names_in(value, index, propose=True, strict=False)
        ids += found
        left += [r for r in rest if r.strip()]
    return list(dict.fromkeys(ids)), left


def _done(lead: list[str], basis: str, support: list[str], note: str, wording: tuple[str, ...],
          unresolved: list[str], inherited: bool = False) -> Leads:
    lead = list(dict.fromkeys(lead))
    support = [s for s in dict.fromkeys(support) if s not in lead]
    return Leads(tuple(lead), basis, tuple(support), note, tuple(dict.fromkeys(wording)), tuple(unresolved), inherited)


def heading_leads(text: str, index: UnitIndex, units: str = "") -> Leads | None:
    """Leads a heading states for the items under it: the units it is headed by (a line naming a unit above its
    paragraphs), (五)……由县妇联、县教育局等单位牵头, 以上工作由…牵头，…配合, or 责任单位：… in it."""
    if units:
        lead, _ = names_in(units, index)
        if lead:
            return Leads(tuple(lead), "stated", wording=(f"{units}（上级标题）",))
    text = re.sub(r"《[^》]*》", "", text)
    lead, wording, support = [], [], []
    for m in BY_LEAD.finditer(text):
        ids, _ = names_in(m.group("x"), index)
        if ids:
            lead += ids
            wording.append(m.group(0))
    for name, value in INLINE_FIELD.findall(text):
        if name in LEAD_FIELDS + DUTY_FIELDS:
            ids, _ = names_in(value, index, strict=False)
            if ids:
                lead += ids
                wording.append(f"{name}：{value}")
        elif name in SUPPORT_FIELDS:
            support += names_in(value, index, strict=False)[0]
    if not lead:
        return None
    for m in SUPPORT.finditer(text):
        support += names_in(m.group("x") or m.group("y"), index)[0]
    return Leads(tuple(dict.fromkeys(lead)), "stated", tuple(s for s in dict.fromkeys(support) if s not in lead),
                 wording=tuple(wording))
