"""Responsibility tables (Word, Excel, web pages, text with "|" between cells) as the paragraphs a typed list has.

A table is a grid of cell texts, one per column, merged cells repeated in every row and column they cover (the
readers do that). The header row is found by its headings (序号 / 工作任务 / 牵头单位 / 配合单位 / 完成时限 and their
variants) in the first rows, under any title rows; each data row becomes "1．任务" followed by field lines
("牵头单位：…", "完成时限：…") that the outline reads as it reads them in typed text. A row that only repeats one
value across the table is a section row (一、家庭保护); "同上" repeats the cell above.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# Column headings, mapped to the field words the outline understands. Order matters: 工作类别 is a category, not a
# task; 责任单位 is a duty column before 职责 could make it a task.
OFFICE = r"(?:单位|部门|处室|科室|机构)"
COLUMNS = [
    (re.compile(r"^(?:序号|编号|序|号|项次)$"), "number"),
    (re.compile(rf"^(?:牵头|主责){OFFICE}?$|牵头{OFFICE}|主责{OFFICE}"), "牵头单位"),
    (re.compile(rf"^(?:配合|协办|协同|协作|协助|参与){OFFICE}?$|(?:配合|协办|协同|协作|协助|参与){OFFICE}"), "配合单位"),
    (re.compile(rf"^责任$|责任{OFFICE}|责任主体|承办单位|实施单位|落实单位"), "责任单位"),
    (re.compile(r"时限|完成时间|时间要求|进度安排|时间节点|完成期限|办结时间|时间安排|^时间$"), "完成时限"),
    (re.compile(r"类别|分类|领域|板块|保护类型|^类型$"), "工作类别"),
    (re.compile(r"任务|内容|事项|措施|职责|重点工作|具体工作|工作要求"), "task"),
]
UNIT_COLUMNS = ("牵头单位", "配合单位", "责任单位")
FIELD_ORDER = ("工作类别", "牵头单位", "责任单位", "配合单位", "完成时限")
SAME_AS_ABOVE = re.compile(r"^(?:同上|同上栏|同前|〃|\"|”)$")
HEADER_ROWS = 10  # a header lower than this is not looked for: title rows above a table are few
MARKED = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|（[一二三四五六七八九十]{1,3}）|第[一二三四五六七八九十]+部分)")


@dataclass(frozen=True)
class TableText:
    paragraphs: tuple[str, ...]
    notes: tuple[str, ...] = ()  # located messages for the import report
    recognised: bool = True  # a header was found


def roles_of(header: list[str]) -> dict[int, str]:
    """Column → role, each role once; a second column that could be the task is marked "task?" (decided later)."""
    roles: dict[int, str] = {}
    for i, cell in enumerate(header):
        text = re.sub(r"\s+", "", cell)
        if not text or (i > 0 and cell == header[i - 1]):  # a heading merged across columns counts once
            continue
        for pattern, role in COLUMNS:
            if pattern.search(text):
                if role not in roles.values():
                    roles[i] = role
                elif role == "task":
                    roles[i] = "task?"
                break
    return roles


def find_header(rows: list[list[str]]) -> tuple[int, int, dict[int, str]] | None:
    """(header row, first data row, column roles) of the first row that names a task column and a unit or time
    column. A second header row under it (责任单位 over 牵头 and 配合) refines the roles of its columns."""
    for r, row in enumerate(rows[:HEADER_ROWS]):
        roles = roles_of(row)
        if "task" not in roles.values() or not any(v in roles.values() for v in (*UNIT_COLUMNS, "完成时限")):
            continue
        if r + 1 < len(rows):
            below = rows[r + 1]
            sub = {c: role for c, role in roles_of(below).items() if below[c] != row[c] and role != "task?"}
            if sub and all(not cell or cell == row[c] or c in sub for c, cell in enumerate(below)):
                for c, role in sub.items():
                    for other in [k for k, v in roles.items() if v == role]:
                        del roles[other]
                    roles[c] = role
                return r, r + 2, roles
        return r, r + 1, roles
    return None


def _choose_task(rows: list[list[str]], roles: dict[int, str]) -> dict[int, str]:
    """Of two task-like columns (重点任务 over 具体措施), the task is the one with the most different values; the
    other, repeated over its rows, groups them."""
    candidates = [c for c, role in roles.items() if role in ("task", "task?")]
    if len(candidates) < 2:
        return roles
    def spread(c: int) -> tuple[int, float]:
        values = [row[c] for row in rows if c < len(row) and row[c]]
        return len(set(values)), sum(map(len, values)) / max(len(values), 1)
    task = max(candidates, key=spread)
    out = {c: role for c, role in roles.items() if role not in ("task", "task?")}
    out[task] = "task"
    if "工作类别" not in out.values():
        out[min(c for c in candidates if c != task)] = "工作类别"
    return out


def table_paragraphs(rows: list[list[str]], where: str = "表格",
                     ref: Callable[[int, int], str] | None = None) -> TableText:
    """The table as paragraphs. Without a recognisable header: one paragraph per row, cells joined by "；", and
    `recognised` False (the caller decides whether that is text or not a table at all)."""
    ref = ref or (lambda r, c: f"{where}第 {r + 1} 行第 {c + 1} 列")
    rows = [[(c or "").strip() for c in row] for row in rows]
    found = find_header(rows)
    if found is None:
        lines = ["；".join(dict.fromkeys(c for c in row if c)) for row in rows]
        note = (f"{where}没有可以识别的表头（前 {HEADER_ROWS} 行中找不到“工作任务”一列和“牵头单位”“责任单位”"
                "“配合单位”“完成时限”之一）。")
        return TableText(tuple(x for x in lines if x), (note,), False)
    at, start, roles = found
    roles = _choose_task(rows[start:], roles)
    out: list[str] = []
    notes: list[str] = []
    for row in rows[:at]:  # title rows above the header, merged cells once
        text = " ".join(dict.fromkeys(c for c in row if c))
        if text:
            out.append(text)
    task_col = next(i for i, role in roles.items() if role == "task")
    above: dict[int, str] = {}
    category = ""
    count = 0
    for r in range(start, len(rows)):
        row = rows[r]
        filled = [c for c in row if c]
        if not filled:
            continue
        if len(set(filled)) == 1 and (len(filled) > 1 or row.index(filled[0]) != task_col) and len(row) > 2:
            section = filled[0]  # one value across the row, or alone outside the task column: a section row
            if MARKED.match(section):
                out.append(section)
                category = ""
            else:
                category = section
            continue
        values: dict[str, str] = {}
        for i, role in roles.items():
            value = row[i] if i < len(row) else ""
            if SAME_AS_ABOVE.match(value):
                value = above.get(i, "")
            if value:
                above[i] = value
                values[role] = re.sub(r"\s*\n\s*", "、" if role in UNIT_COLUMNS else "", value)
        if "task" not in values:
            notes.append(f"{ref(r, task_col)}：这一行没有填写工作任务，没有导入。")
            continue
        count += 1
        number = values.get("number", "")
        if category and "工作类别" not in values:
            values["工作类别"] = category
        if re.fullmatch(r"[一二三四五六七八九十]{1,3}", number):  # the table's own numbering, as the text cites it
            out.append(f"{number}、{values['task']}")
        elif re.fullmatch(r"（[一二三四五六七八九十\d]{1,3}）|[①-⑳]", number):
            out.append(f"{number}{values['task']}")
        else:
            out.append(f"{number if number.isdigit() else count}．{values['task']}")
        out.extend(f"{role}：{values[role]}" for role in FIELD_ORDER if role in values)
    return TableText(tuple(out), tuple(notes))


CELL_SEPARATOR = re.compile(r"\s*[|｜]\s*|\t+")


def pipe_cells(line: str) -> list[str] | None:
    """The cells of a table row saved as text ("1 | 任务 | 县民政局", or tab-separated); None for a line of prose."""
    if not CELL_SEPARATOR.search(line):
        return None
    stripped = re.sub(r"^\s*[|｜]|[|｜]\s*$", "", line)
    cells = [c.strip() for c in CELL_SEPARATOR.split(stripped)]
    return cells if len(cells) >= 2 else None


def text_tables(lines: list[str], numbers: list[int] | None = None) -> tuple[list[str], list[str]]:
    """Lines of a text with runs of table rows replaced by the table's paragraphs, where the run has a header, and
    the notes about those tables. A run without one (a navigation bar: 首页 | 政务公开 | …) is left as it is, for the
    cleaning to judge."""
    out: list[str] = []
    notes: list[str] = []
    i = 0
    while i < len(lines):
        if pipe_cells(lines[i]) is None:
            out.append(lines[i])
            i += 1
            continue
        j = i
        while j < len(lines) and pipe_cells(lines[j]) is not None:
            j += 1
        rows = [r for r in (pipe_cells(x) or [] for x in lines[i:j])
                if not all(re.fullmatch(r":?-{2,}:?", c) for c in r if c)]  # Markdown's |---|---| rule
        first = numbers[i] if numbers else i + 1  # the line number in the file, for the report
        table = table_paragraphs(rows, f"第 {first} 行起的表格", lambda r, c: f"第 {first + r} 行第 {c + 1} 格")
        if table.recognised:
            out.extend(table.paragraphs)
            notes.extend(table.notes)
        else:
            out.extend(lines[i:j])
        i = j
    return out, notes
