"""The outline of a policy text: 一、 (一) 1. (1) ① and bold lead phrases, turned into numbered items with clauses.

An item is a leaf of the outline (or a node whose only children are (1)/① sub-points, which become its actions).
A heading with children is not an item, but when it carries an introductory paragraph of its own that paragraph is
drafted too, as an overview item, because texts often state a task there (and web copies lose numbered items).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .deadlines import is_phase_paragraph
from .read import Para

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
RANKS = {"L1": 1, "L2": 2, "L3": 3, "L4": 4, "L5": 5, "bold": 6}
SUBPOINTS = {"L4", "L5"}

FIELD = re.compile(r"^(责任单位|牵头单位|配合单位|协办单位|参与单位|成员单位|责任部门|牵头部门|配合部门|主责单位|责任主体|"
                   r"工作任务|主要任务|工作内容|具体任务|任务内容|完成时限|完成时间|时间要求|时限要求|时间节点|进度安排)"
                   r"\s*[：:；;]\s*(.*)$")
TASK_FIELDS = {"工作任务", "主要任务", "工作内容", "具体任务", "任务内容"}
CLOSING = re.compile(r"^(?:以上|上述|本方案|本意见|本通知|本办法|本清单|本实施方案|本工作方案)|同时废止|自印发之日起|自发布之日起")


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
        if found is None and lead and (len(stack) > 1 or root.children):
            parent = _parent_for(stack, RANKS["bold"])
            parent.bold_count += 1
            found = ("bold", RANKS["bold"], f"第{parent.bold_count}段", parent.bold_count, text)
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
            elif kind not in ("bold", *SUBPOINTS) and number > (previous or 0) + 1 \
                    and number != running.get(kind, 0) + 1:
                where = _clause(stack) or "全文"
                missing = "、".join(_label_of(kind, n) for n in range((previous or 0) + 1, number))
                notes.append(f"第 {index} 段：{where} 下缺少 {missing}（编号从 {label} 接续），原文可能有脱漏。")
            node = _Node(kind, rank, label, number, rest, index, lead)
            parent.children.append(node)
            parent.last[kind] = number
            running[kind] = number
            stack.append(node)
            detached = False
            continue
        if FIELD.match(text) and len(stack) > 1 and not detached:
            owner = next((n for n in reversed(stack) if n.fields), stack[-1])
            key, value = FIELD.match(text).groups()
            owner.fields.append([key, value.strip()])
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
    for child in root.children:
        _emit(child, (), "", (), items)
    return Outline(tuple(items), tuple(preamble), tuple(phases), tuple(loose), tuple(notes))


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


def _emit(node: _Node, labels: tuple[str, ...], parent_text: str, headings: tuple[str, ...],
          items: list[Item]) -> None:
    if node.kind == "group":
        for child in node.children:
            _emit(child, labels + (node.label,), parent_text, (node.label, *headings), items)
        return
    title, rest, note = split_title(node.head, node.bold)
    body = tuple(p for p in ([rest] if rest else []) + node.body)
    fields = tuple((k, v) for k, v in node.fields)
    clause = "".join(labels + (node.label,))
    kids = node.children
    has_text = bool(body or fields)
    if not kids or (has_text and all(k.kind in SUBPOINTS for k in kids)):
        if not title and not body:
            return
        items.append(Item(clause, title or clause, body, fields, tuple(_flatten(kids)), headings, parent_text,
                          note, False, node.index))
        return
    intro = "".join(body)
    if len(intro) >= 20 or fields:
        items.append(Item(clause, title or clause, body, fields, (), headings, parent_text, note, True, node.index))
    own_text = "\n".join([node.head, *node.body])
    for child in kids:
        _emit(child, labels + (node.label,), own_text, (title, *headings), items)


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
