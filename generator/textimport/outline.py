"""The outline of a policy text: 一、 (一) 1. (1) ① and bold lead phrases, turned into numbered items with clauses.

Texts without numbering have items too: a line naming only units heads the paragraphs of their duties (镇民政办 /
负责……), a paragraph may start with its units and a colon (省委宣传部：…), and tasks written inline (一是……二是……)
are items of their own where they name their own units. Items of the sections that frame a plan (指导思想, 基本原则 …)
are marked, for the draft to keep only those with an owner or a date; a section of 实施步骤 gives the plan's phases.

An item is a leaf of the outline (or a node whose only children are (1)/① sub-points, which become its actions).
A heading with children is not an item, but when it carries an introductory paragraph of its own that paragraph is
drafted too, as an overview item, because texts often state a task there (and web copies lose numbered items).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .deadlines import is_phase_paragraph
from .fields import ALL_FIELDS, TASK_FIELDS, TIME_FIELDS, UNIT_FIELDS, alternation
from .read import Para
from .units import unit_list

CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_number(text: str) -> int:
    """一 … 九十九 as an int (0 when it is not a Chinese numeral)."""
    if not text or any(c not in CN_DIGITS and c != "十" for c in text):
        return 0
    if "十" not in text:
        return CN_DIGITS.get(text, 0) if len(text) == 1 else 0
    tens, _, ones = text.partition("十")
    return (CN_DIGITS.get(tens, 0) if tens else 1) * 10 + (CN_DIGITS.get(ones, 0) if ones else 0)


CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
CN = "一二三四五六七八九十"
# kind, rank (smaller is higher), pattern; group 1 is the number.
MARKERS = [
    ("L1", 1, re.compile(rf"^([{CN}]{{1,3}})、\s*")),
    ("L1", 1, re.compile(rf"^第([{CN}]{{1,3}})(?:部分|章)[\s、：]*")),
    ("L2", 2, re.compile(rf"^（([{CN}]{{1,3}})）\s*")),
    ("L3", 3, re.compile(r"^(\d{1,2})(?:\s*[.．、]\s*(?!\d)|\s+(?=[\u3400-\u9fff]))")),
    ("L4", 4, re.compile(r"^（(\d{1,2})）\s*")),
    ("L5", 5, re.compile(rf"^([{CIRCLED}])\s*")),
]
# "1孤儿。" with no punctuation after the number: only accepted as the next number in sequence.
BARE_L3 = re.compile(r"^(\d{1,2})(?=[\u3400-\u9fff])(?![年月日号个项次名周岁期届级类条倍万千百元人所批天])")
RANKS = {"L1": 1, "L2": 2, "unit": 2.5, "L3": 3, "L4": 4, "L5": 5, "bold": 6, "para": 6, "shi": 6.5}
SUBPOINTS = {"L4", "L5"}

FIELD_NAMES = alternation(ALL_FIELDS)
FIELD = re.compile(rf"^({FIELD_NAMES})\s*[：:；;]\s*(.*)$")
# Another field on the same line: 牵头单位：民政部门；配合单位：公安机关 / 牵头部门：政教处  配合部门：各年级组
NEXT_FIELD = re.compile(rf"(?:[。；;，,]|\s)\s*(?=(?:{FIELD_NAMES})\s*[：:])")
# Fields written inside a paragraph, after its task: …整治。牵头单位：X；配合单位：Y。完成时限：Z。 (a 工作任务： there
# is the task itself, so only the unit and time labels start a run of fields), or in brackets: （责任单位：…）【牵头：…】.
INLINE_NAMES = alternation(UNIT_FIELDS + TIME_FIELDS)
INLINE_RUN = re.compile(rf"(?:^|(?<=[。；;，,\s]))(?=(?:{INLINE_NAMES})\s*[：:])")
FIELD_AHEAD = re.compile(rf"\s*(?:{INLINE_NAMES})\s*[：:]")
BRACKETED = re.compile(rf"[（(【\[]\s*(?=(?:{INLINE_NAMES})\s*[：:])")
CLOSER = {"（": "）", "(": ")", "【": "】", "[": "]"}
# Sections that frame a plan rather than give it work: no duty from them unless a task with an owner or a date.
PREAMBLE = re.compile(r"^(?:指导思想|基本原则|工作原则|总体目标|工作目标|主要目标|行动目标|总体要求|总体思路|工作思路)$")
PARALLEL = re.compile(r"^(?:坚持.{2,14}|[\u4e00-\u9fff]{2,6}、[\u4e00-\u9fff]{2,6})$")  # 依法依规、尊重规律
# A section whose items are the plan's phases (三、实施步骤 （一）动员部署阶段（5月31日前）…), not its duties.
PHASE_HEADING = re.compile(r"^(?:实施步骤|工作步骤|方法步骤|步骤安排|进度安排|时间安排|阶段安排|实施阶段|推进步骤|工作安排|"
                           r"时间步骤|实施进度|工作进度)$")
# Tasks written inline: 一是……；二是……；三是…… (or 一要……二要……).
ORDINAL = re.compile(r"(?:^|(?<=[。；;：:！？，,\s]))([一二三四五六七八九十]{1,2})(是|要)(?=[^，。；、]{2})")
# Inline tasks that name their own units are duties of their own; others are the actions of their item.
OWN_LEAD = re.compile(r"负责|牵头|配合|协助|责任单位|牵头单位")
# A closing sentence of the last inline task that speaks for all of them: 以上工作由区委网信办牵头…
ALL_ABOVE = re.compile(r"(?:^|(?<=[。；;]))\s*(?=(?:以上|上述)(?:工作|任务|各项)?(?:均)?由)")
CLOSING = re.compile(r"^(?:以上|上述|本方案|本意见|本通知|本办法|本清单|本实施方案|本工作方案)|同时废止|自印发之日起|自发布之日起")


def parse_fields(text: str) -> list[tuple[str, str]]:
    """(label, value) of a run of fields: 牵头单位：民政部门；配合单位：公安机关。完成时限：长期."""
    fields: list[list[str]] = []
    for part in NEXT_FIELD.split(text):
        m = FIELD.match(part.strip())
        if m:
            fields.append([m.group(1), m.group(2)])
        elif fields:
            fields[-1][1] += part
    return [(k, v.strip().rstrip("；;，,。")) for k, v in fields]


def split_fields(text: str) -> tuple[str, list[tuple[str, str]]]:
    """(the task, its fields) of a paragraph that writes its labelled fields inside it: bracketed anywhere
    (……。（责任单位：市民政局（牵头）、市财政局）) or as the run that ends it (……。牵头单位：X；配合单位：Y。完成时限：Z。).
    The labels are what the item is about, not its task: they are read as fields and kept out of summary and actions."""
    fields: list[tuple[str, str]] = []
    at = 0
    while (m := BRACKETED.search(text, at)) is not None:
        end = _closing(text, m.start())
        if end < 0:
            break
        fields += parse_fields(text[m.end():end])
        text = (text[:m.start()].rstrip() + text[end + 1:]).strip()
        at = m.start()
    at = 0
    while (run := INLINE_RUN.search(text, at)) is not None:
        # the run ends at a full stop that is not followed by another label: prose may go on after it
        end = next((m.start() for m in re.finditer("。", text[run.start():])
                    if not FIELD_AHEAD.match(text, run.start() + m.end())), len(text) - run.start())
        fields += parse_fields(text[run.start():run.start() + end])
        before, after = text[:run.start()].rstrip(" ；;，,"), text[run.start() + end + 1:].strip()
        text, at = before + after, len(before)
    return text.strip(), fields


def _closing(text: str, start: int) -> int:
    """Index of the bracket closing the one at `start` (brackets inside it may nest: 各县（市、区）), or -1."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] in CLOSER:
            depth += 1
        elif text[i] in CLOSER.values():
            depth -= 1
            if depth == 0:
                return i
    return -1


def is_marked(text: str) -> bool:
    return any(p.match(text) for _, _, p in MARKERS)


def marker(text: str) -> tuple[str, int, str, int, str] | None:
    """(kind, rank, label, number, rest) of an outline marker at the start of `text`."""
    for kind, rank, pattern in MARKERS:
        m = pattern.match(text)
        if m:
            raw = m.group(1)
            if kind in ("L1", "L2"):
                number, label = cn_number(raw), (raw if kind == "L1" else f"({raw})")
            elif kind == "L5":
                number, label = CIRCLED.index(raw) + 1, raw
            else:
                number, label = int(raw), (raw if kind == "L3" else f"({raw})")
            if number:
                return kind, rank, label, number, text[m.end():].strip()
    return None


@dataclass(frozen=True)
class Item:
    clause: str  # e.g. 二(三)10
    title: str
    body: tuple[str, ...]  # the item's own text after the title, paragraph by paragraph (fields excluded)
    fields: tuple[tuple[str, str], ...] = ()  # ("责任单位", "德育处各班级"), ("完成时限", …)
    subpoints: tuple[str, ...] = ()  # (1)/① sub-points folded into the item
    headings: tuple[str, ...] = ()  # titles of the enclosing headings, nearest first
    parent_text: str = ""  # the enclosing heading's own text (a lead stated there may cover this item)
    title_note: str = ""  # set when the text has no separate lead phrase and the title is a guess
    overview: bool = False  # the introduction of a heading whose numbered items are drafted separately
    index: int = 0  # paragraph number where the item starts (1-based, after cleaning)
    units_heading: str = ""  # the units the item is headed by (一、市委宣传部、市委文明办。…), which lead it
    parent_units: str = ""  # the units a heading above it names (a line naming a unit above its paragraphs)
    preamble: str = ""  # the framing section it is in (指导思想, 基本原则 …): a duty only with an owner or a date

    @property
    def text(self) -> str:
        """Everything the item says, for the lead and deadline searches."""
        parts = [self.title + "。", *self.body, *(f"{k}：{v}" for k, v in self.fields), *self.subpoints]
        return "\n".join(p for p in parts if p)

    def field(self, *keys: str) -> list[str]:
        return [v for k, v in self.fields if k in keys and v]


@dataclass(frozen=True)
class Outline:
    items: tuple[Item, ...]
    preamble: tuple[str, ...] = ()  # paragraphs before the first marker: titles, notice, introduction
    phases: tuple[str, ...] = ()  # unnumbered paragraphs that open with a date: the plan's work phases
    loose: tuple[str, ...] = ()  # paragraphs that belong to no item (closing words, signatures)
    notes: tuple[str, ...] = ()  # numbering gaps and restarts, for the report


class _Node:
    def __init__(self, kind: str, rank: float, label: str, number: int, head: str, index: int, bold: str = "") -> None:
        self.kind, self.rank, self.label, self.number = kind, rank, label, number
        self.head, self.index, self.bold = head, index, bold
        self.body: list[str] = []
        self.fields: list[list[str]] = []
        self.children: list[_Node] = []
        self.last: dict[str, int] = {}
        self.bold_count = 0
        self.gap = False  # numbered after a gap: the items before it are missing from the copy


def parse(paragraphs: list[Para] | tuple[Para, ...]) -> Outline:
    root = _Node("root", 0, "", 0, "", 0)
    stack = [root]
    preamble: list[str] = []
    phases: list[str] = []
    loose: list[str] = []
    notes: list[str] = []
    detached = False  # after a phase or closing paragraph, unnumbered text no longer continues the last item
    groups = 0
    running: dict[str, int] = {}  # last number of each kind anywhere: 1. 2. … may run on across sections
    # A paragraph opening with a date is a work phase when it stands in a run of such paragraphs (or names its
    # phase, or comes before any item); a single one after an item only continues that item.
    phase_like = [is_phase_paragraph(p.text) for p in paragraphs]
    structured = any(marker(p.text) for p in paragraphs)  # numbered anywhere: 一是… in an opening is not a list
    for index, para in enumerate(paragraphs, start=1):
        text = para.text
        found = marker(text)
        if found is None:
            bare = BARE_L3.match(text)
            if bare:
                parent = _parent_for(stack, 3)
                if int(bare.group(1)) == parent.last.get("L3", 0) + 1:
                    found = ("L3", 3, bare.group(1), int(bare.group(1)), text[bare.end():].strip())
        lead = para.bold_lead or ("" if found or detached else _plain_lead(text, stack))
        unit_colon = found is None and not FIELD.match(text) and _unit_colon(text)
        if found is None and (lead and (len(stack) > 1 or root.children) or unit_colon):
            parent = _parent_for(stack, RANKS["bold"])
            parent.bold_count += 1
            found = ("bold", RANKS["bold"], f"第{parent.bold_count}段", parent.bold_count, text)
        elif found is None and not FIELD.match(text) and _unit_heading(text, paragraphs[index:index + 1]):
            while stack[-1].rank >= RANKS["unit"]:
                stack.pop()
            name = text.rstrip("：:。 ")
            node = _Node("unit", RANKS["unit"], name, 0, name, index)
            stack[-1].children.append(node)
            stack.append(node)
            detached = False
            continue
        if found is not None:
            kind, rank, label, number, rest = found
            while stack[-1].rank >= rank:
                stack.pop()
            parent = stack[-1]
            previous = parent.last.get(kind)
            if kind != "bold" and previous is not None and number <= previous:
                groups += 1
                group_label = "保障措施" if "保障" in rest[:20] else f"第{groups + 1}部分"
                group = _Node("group", rank - 0.5, group_label, 0, "", index)
                parent.children.append(group)
                stack.append(group)
                notes.append(f"第 {index} 段：{label} 重新从头编号，上面没有新的一级标题；这一组条款写作“{group_label}{label}”，请核对。")
                parent = group
            gap = kind not in ("bold", *SUBPOINTS) and number > (previous or 0) + 1 \
                and number != running.get(kind, 0) + 1
            if gap:
                where = _clause(stack) or "全文"
                missing = "、".join(_label_of(kind, n) for n in range((previous or 0) + 1, number))
                notes.append(f"第 {index} 段：{where} 下缺少 {missing}（编号从 {label} 接续），原文可能有脱漏。")
            node = _Node(kind, rank, label, number, rest, index, lead)
            node.gap = gap
            parent.children.append(node)
            parent.last[kind] = number
            running[kind] = number
            stack.append(node)
            detached = False
            inline = inline_tasks(rest)
            if inline and any(OWN_LEAD.search(task) for _, task in inline[1]):
                node.head, tasks, tail = inline
                node.children.extend(_Node("shi", RANKS["shi"], label, n, task, index) for n, (label, task) in
                                     enumerate(tasks, start=1))
                if tail:
                    node.body.append(tail)
            continue
        if FIELD.match(text) and len(stack) > 1 and not detached:
            owner = next((n for n in reversed(stack) if n.fields), stack[-1])
            owner.fields.extend(list(f) for f in parse_fields(text))
            continue
        if CLOSING.search(text) and (len(stack) > 1 or root.children):
            loose.append(text)
            detached = True
            continue
        if phase_like[index - 1] and (not root.children or re.match(r"^第[一二三四五六七八九十]+阶段", text)
                                      or any(phase_like[max(index - 2, 0):index - 1] + phase_like[index:index + 1])):
            phases.append(text)
            detached = True
            continue
        inline = inline_tasks(text) if not detached and (len(stack) > 1 or root.children or not structured) else None
        if inline and (not structured or any(OWN_LEAD.search(task) for _, task in inline[1])):
            intro, tasks, tail = inline
            top = stack[-1]
            if intro:
                (top.body if len(stack) > 1 else preamble if not root.children else loose).append(intro)
            top.children.extend(_Node("shi", RANKS["shi"], label, n, task, index) for n, (label, task) in
                                enumerate(tasks, start=1))
            if tail:
                (top.body if len(stack) > 1 else loose).append(tail)
            continue
        unit = next((n for n in reversed(stack) if n.kind == "unit"), None)
        if unit is not None and stack[-1].kind in ("unit", "para") and _prose(text):
            while stack[-1] is not unit:
                stack.pop()
            unit.bold_count += 1
            node = _Node("para", RANKS["para"], f"第{unit.bold_count}段", unit.bold_count, text, index)
            unit.children.append(node)
            stack.append(node)
            continue
        if len(stack) == 1 and not root.children:
            preamble.append(text)
        elif detached or len(stack) == 1:
            loose.append(text)
        elif len(text) <= 30 and not re.search(r"[。，；：！？]", text):
            loose.append(text)  # a signature, a date or a stray caption, not prose
        else:
            top = stack[-1]
            if top.fields and top.fields[-1][0] in TASK_FIELDS:
                top.fields[-1][1] += ("\n" if top.fields[-1][1] else "") + text
            else:
                top.body.append(text)
    items: list[Item] = []
    principles = _principle_runs(root.children)
    for child in root.children:
        _emit(child, (), "", (), items, phases, "", "基本原则" if child in principles else "")
    return Outline(tuple(items), tuple(preamble), tuple(phases), tuple(loose), tuple(notes))


INTRO = re.compile(r"^(?:为|根据|按照|现将|经|现就|近日|日前|依据|结合|按|近年来|当前)")


def _prose(text: str) -> bool:
    return len(text) >= 10 and bool(re.search(r"[，。；！？]", text))


def _unit_heading(text: str, following: list[Para]) -> bool:
    """A line naming nothing but units, above the paragraphs of their duties (镇民政办 / 负责全镇困境儿童…). The
    next paragraph decides: a signature (中共某县委办公室 over a date) or an addressee line has no duty under it."""
    name = text.rstrip("：:。 ")
    if not following or len(name) > 40 or not unit_list(name) or re.search(r"[，。；]", name):
        return False
    after = following[0].text
    return bool(marker(after)) or (_prose(after) and not INTRO.match(after) and not unit_list(after.rstrip("：:")))


UNIT_COLON = re.compile(r"^([^：:。；]{2,60}?)[：:]\s*(?=\S{6,})")


def _unit_colon(text: str) -> bool:
    """A paragraph headed by its units and a colon: 省委宣传部：组织开展……"""
    m = UNIT_COLON.match(text)
    return bool(m) and unit_list(m.group(1))


def inline_tasks(text: str) -> tuple[str, list[tuple[str, str]], str] | None:
    """(intro, [(一是, task) …], closing) of a paragraph that lists its tasks inline (一是……；二是……), when it has at
    least two in order. The closing is a last sentence that speaks for all of them (以上工作由…牵头)."""
    seq: list[re.Match] = []
    for m in ORDINAL.finditer(text):
        if cn_number(m.group(1)) == len(seq) + 1 and (not seq or m.group(2) == seq[0].group(2)):
            seq.append(m)
    if len(seq) < 2:
        return None
    tasks = []
    for i, m in enumerate(seq):
        end = seq[i + 1].start() if i + 1 < len(seq) else len(text)
        tasks.append((m.group(1) + m.group(2), text[m.end():end].strip()))
    tail = ""
    last = ALL_ABOVE.search(tasks[-1][1])
    if last and last.start() > 0:
        tail = tasks[-1][1][last.start():].strip()
        tasks[-1] = (tasks[-1][0], tasks[-1][1][:last.start()].strip())
    return text[:seq[0].start()].strip(), tasks, tail


def _principle_runs(kids: list["_Node"]) -> set:
    """Items in a run of three or more whose titles read as principles (依法依规、尊重规律 / 坚持……): the 基本原则 of a
    copy that lost its heading."""
    out: set = set()
    run: list = []
    for kid in [*kids, None]:
        leaf = kid is not None and not any(k.kind not in SUBPOINTS for k in kid.children) and kid.kind != "unit"
        if leaf and PARALLEL.match(split_title(kid.head, kid.bold)[0]):
            run.append(kid)
            continue
        if len(run) >= 3:
            out.update(run)
        run = []
    return out


PLAIN_LEAD = re.compile(r"^([^，。；：、“”（）]{2,16}。)(?=.{10,})")


def _plain_lead(text: str, stack: list[_Node]) -> str:
    """A lead phrase in plain text, where bold is lost: a short first sentence (加强组织领导。…) opening a
    paragraph right under a bare heading, or right after another such paragraph."""
    top = stack[-1]
    bare_heading = top.kind in ("L1", "L2", "L3", "group") and not top.body and not top.fields and not top.children \
        and not split_title(top.head, top.bold)[1]
    m = PLAIN_LEAD.match(text)
    return m.group(1) if m and (bare_heading or top.kind == "bold") else ""


def _parent_for(stack: list[_Node], rank: float) -> _Node:
    for node in reversed(stack):
        if node.rank < rank:
            return node
    return stack[0]


def _clause(stack: list[_Node]) -> str:
    return "".join(n.label for n in stack[1:])


def _label_of(kind: str, number: int) -> str:
    if kind in ("L1", "L2"):
        return cn_word(number) if kind == "L1" else f"({cn_word(number)})"
    return f"({number})" if kind == "L4" else str(number)


def cn_word(number: int) -> str:
    """1 … 99 in Chinese numerals, as outline markers write them."""
    digits = "一二三四五六七八九"
    tens, ones = divmod(number, 10)
    word = (digits[tens - 1] if tens > 1 else "") + ("十" if tens else "")
    return word + (digits[ones - 1] if ones else "")


def split_title(head: str, bold: str = "") -> tuple[str, str, str]:
    """(title, rest, note): the lead phrase of an item and the text after it."""
    if bold and head.startswith(bold):
        return bold.rstrip("。").strip(), head[len(bold):].strip(), ""
    first, stop, rest = head.partition("。")
    if stop and 0 < len(first) <= 40:
        return first.strip(), rest.strip(), ""
    if not stop and len(head) <= 50:
        return head.rstrip("：；，").strip(), "", ""
    clause = re.split(r"[，；：]", head, maxsplit=1)[0]
    if 0 < len(clause) <= 30:
        return clause, head, "原文没有单独的标题短语，标题取自首句，请改写。"
    return head[:20] + "…", head, "原文没有单独的标题短语，标题取自首句的前 20 个字，请改写。"


def _emit(node: _Node, labels: tuple[str, ...], parent_text: str, headings: tuple[str, ...], items: list[Item],
          phases: list[str], parent_units: str = "", preamble: str = "") -> None:
    kids = node.children
    if node.kind in ("group", "unit"):  # a run of renumbered items, or a line naming the unit its paragraphs are for
        units = node.head if node.kind == "unit" else parent_units
        principles = _principle_runs(kids)
        for child in kids:
            _emit(child, labels + (node.label,), node.head if node.kind == "unit" else parent_text,
                  (node.label, *headings), items, phases, units, preamble or ("基本原则" if child in principles else ""))
        return
    own_head, head_fields = split_fields(node.head)
    paragraphs = [split_fields(p) for p in node.body]
    fields = tuple(head_fields) + tuple((k, v) for k, v in node.fields) + tuple(f for _, more in paragraphs for f in more)
    units, head = _units_of(own_head)
    if units and not head and any(k in ("责任单位", "牵头单位", "责任部门", "牵头部门") for k, _ in fields):
        units, head = "", own_head  # 7.建设未成年人保护站 over 责任单位：…: a title, not a unit
    title, rest, note = split_title(head, "" if units else node.bold)
    if units:  # the title is cut from the text after the units, which stays the item's text
        title = re.sub(r"^(?:主要)?负责", "", title)
        note = "原文以单位开头，没有标题短语，标题取自正文，请改写。"
        rest = head
    body = tuple(p for p in ([rest] if rest else []) + [text for text, _ in paragraphs] if p)
    clause = "".join(labels + (node.label,))
    section = preamble or (title if PREAMBLE.match(title) else "")
    if kids and PHASE_HEADING.match(title):  # 三、实施步骤: the plan's phases
        phases.extend("".join([k.head, *k.body]) for k in kids)
        return
    has_text = bool(body or fields)
    if not kids or (has_text and all(k.kind in SUBPOINTS for k in kids)):
        if not title and not body:
            return
        items.append(Item(clause, title or clause, body, fields, tuple(_flatten(kids)), headings, parent_text,
                          note, False, node.index, units, parent_units, section))
        return
    # The heading's own introduction is drafted too only where it has fields of its own (责任单位：…, 完成时限：…),
    # or where its first numbered item is missing (a web copy that lost it): otherwise it sums up the items below.
    if fields or re.search(rf"(?:{FIELD_NAMES})\s*[：:]", "".join(body)) or (kids[0].gap and body):
        items.append(Item(clause, title or clause, body, fields, (), headings, parent_text, note, True, node.index,
                          units, parent_units, section))
    own_text = "\n".join([node.head, *node.body])
    principles = _principle_runs(kids)
    for child in kids:
        _emit(child, labels + (node.label,), own_text, (title, *headings), items, phases, units or parent_units,
              section or ("基本原则" if child in principles else ""))


def _units_of(head: str) -> tuple[str, str]:
    """(units, the rest) of a head that starts with the units it is for: 市委宣传部、市委文明办。负责… /
    人力资源社会保障部门。 / 省委宣传部：组织…; ("", head) otherwise."""
    m = re.match(r"^([^。：:；，]{2,60}?)[。：:]\s*", head)
    if m and unit_list(m.group(1)):
        return m.group(1), head[m.end():]
    bare = head.rstrip("。：: ")
    return (bare, "") if bare and unit_list(bare) else ("", head)


def _flatten(nodes: list[_Node]) -> list[str]:
    out = []
    for node in nodes:
        text = "".join([node.head, *node.body])
        if node.fields:
            text += "；".join(f"{k}：{v}" for k, v in node.fields)
        if text:
            out.append(text)
        out.extend(_flatten(node.children))
    return out
