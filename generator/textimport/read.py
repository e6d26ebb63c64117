"""Reading a policy text into paragraphs: plain text, Markdown, web pages (.html), Word (.docx) and Excel (.xlsx),
tables included (see tables.py).

Everything a later stage needs from the file's form is kept on the paragraph: a bold lead phrase (Word bold runs,
Markdown **…**) is the only formatting that carries meaning for the outline. Text copied from a PDF, broken into
lines of one width, is put back into paragraphs first.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from .tables import table_paragraphs, text_tables


class ImportFailed(Exception):
    """The input cannot be drafted. `message` is for people (Chinese); `status` is the exit status."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Para:
    text: str
    bold_lead: str = ""  # a bold phrase the paragraph starts with, e.g. 加强组织领导。


@dataclass(frozen=True)
class Source:
    paragraphs: list[Para]
    notes: tuple[str, ...] = ()  # located messages about the file's tables and sheets, for the report


TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
PAGE_SUFFIXES = {".html", ".htm"}
SUFFIXES = TEXT_SUFFIXES | PAGE_SUFFIXES | {".docx", ".xlsx"}
MAX_BYTES = 20 * 1024 * 1024
OLE = b"\xd0\xcf\x11\xe0"  # the old binary Office formats (.doc, .xls)


def read_source(path: Path) -> Source:
    """Paragraphs of the file, in order. Raises ImportFailed for anything that is not a readable text."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ImportFailed(f"不支持 {path.suffix or '没有扩展名'} 文件。可以导入 .txt、.md、.html、.docx 和 .xlsx；"
                           "其他格式请先另存为其中一种。", status=2)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ImportFailed(f"文件有 {size / 1048576:.1f} MB，超过 {MAX_BYTES // 1048576} MB，不像是一份政策文件。")
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportFailed(f"无法读取 {path}：{exc.strerror or exc}。请检查文件权限。") from None
    if not raw.strip():
        raise ImportFailed(f"{path.name} 是空文件，没有可以导入的内容。")
    if suffix == ".docx":
        return _docx(path, raw)
    if suffix == ".xlsx":
        return _xlsx(path, raw)
    text = decode(raw, path.name)
    if suffix in PAGE_SUFFIXES:
        return _page(text)
    return _markdown(text) if suffix in (".md", ".markdown") else _plain(text)


def decode(raw: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030 as saved by Chinese Windows; else not a text."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in raw[:8192]:
        raise ImportFailed(f"{name} 看起来是二进制文件，不是文本。Word 文件请保存为 .docx；网页请另存为文本。")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFailed(f"{name} 既不是 UTF-8 也不是 GBK 编码的文本，无法读取。请用编辑器另存为 UTF-8。")
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > max(8, len(text) // 100):
        raise ImportFailed(f"{name} 中有大量控制字符，看起来不是文本文件。")
    return text


def _plain(text: str) -> Source:
    numbered = _numbered_lines(text)
    lines, numbers = unwrap([t for _, t in numbered], [n for n, _ in numbered])
    lines, notes = text_tables(lines, numbers)
    return Source([Para(line) for line in lines], tuple(notes))


def _numbered_lines(text: str) -> list[tuple[int, str]]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return [(n, line.strip()) for n, line in enumerate(text.split("\n"), start=1) if line.strip()]


def _lines(text: str) -> list[str]:
    return [line for _, line in _numbered_lines(text)]


SENTENCE_END = "。；：！？…”’）)」』】>"
STARTS_ITEM = re.compile(r"^(?:[一二三四五六七八九十]{1,3}[、是要]|（[一二三四五六七八九十\d]{1,3}）|\d{1,2}[.．、]|[①-⑳]|第[一二三四五六七八九十]+"
                         r"|[—－-]\s*\d+\s*[—－-])")


def unwrap(lines: list[str], numbers: list[int]) -> tuple[list[str], list[int]]:
    """Paragraphs of a text copied from a PDF, where every line is cut at the same width: a line of about the full
    width that does not end a sentence runs on into the next, unless the next starts a numbered item. A text whose
    lines are paragraphs already (most lines of varied length) is left as it is."""
    long = [len(x) for x in lines if len(x) >= 12]
    if len(long) < 8:
        return lines, numbers
    width = sorted(long)[int(len(long) * 0.9)]  # the full width: most lines are no longer
    wrapped = sum(1 for n in long if n >= width - 2)
    if width > 60 or wrapped < len(long) * 0.4:
        return lines, numbers
    out: list[str] = []
    at: list[int] = []
    for line, number in zip(lines, numbers):
        previous = out[-1] if out else ""
        if previous and len(previous.splitlines()[-1]) >= width - 2 and previous[-1] not in SENTENCE_END \
                and not STARTS_ITEM.match(line):
            out[-1] = previous + "\n" + line
        else:
            out.append(line)
            at.append(number)
    return [x.replace("\n", "") for x in out], at


MD_BOLD_LEAD = re.compile(r"^(?:\*\*|__)(.+?)(?:\*\*|__)")
MD_PREFIX = re.compile(r"^(?:#{1,6}\s+|>\s*|[-*+]\s+(?=\S))+")
MD_INLINE = [(re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"), (re.compile(r"(\*\*|__|`)"), "")]


def _markdown(text: str) -> Source:
    numbered = _numbered_lines(text)
    lines, notes = text_tables([t for _, t in numbered], [n for n, _ in numbered])
    out: list[Para] = []
    for line in lines:
        line = MD_PREFIX.sub("", line)
        bold = MD_BOLD_LEAD.match(line)
        lead = bold.group(1).strip() if bold and bold.group(1).strip().endswith("。") else ""
        for pattern, repl in MD_INLINE:
            line = pattern.sub(repl, line)
        if line.strip():
            out.append(Para(line.strip(), lead))
    return Source(out, tuple(notes))


def _page(text: str) -> Source:
    from .webpage import Grid, page_blocks

    out: list[Para] = []
    notes: list[str] = []
    tables = 0
    for block in page_blocks(text):
        if isinstance(block, Grid):
            tables += 1
            table = table_paragraphs(block.rows, f"网页中的第 {tables} 个表格")
            out.extend(Para(t) for t in table.paragraphs)
            notes.extend(table.notes if table.recognised else ())
        else:
            out.extend(Para(t) for t in _lines(block))
    return Source(out, tuple(notes))


def _docx(path: Path, raw: bytes) -> Source:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except Exception:  # python-docx raises several kinds (PackageNotFoundError, BadZipFile, KeyError) for bad files
        hint = "它是旧的 .doc 格式，请在 Word 中另存为 .docx" if raw[:4] == OLE else "文件可能已损坏"
        raise ImportFailed(f"{path.name} 不是有效的 Word（.docx）文件：{hint}。") from None
    out: list[Para] = []
    notes: list[str] = []
    tables = 0
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(child, document)
            text = para.text.strip()
            if text:
                out.extend(Para(t, _bold_lead(para) if i == 0 else "") for i, t in enumerate(_lines(text)))
        elif tag == "tbl":
            tables += 1
            # one cell per grid column: python-docx repeats a merged cell in every row and column it covers
            rows = [[cell.text for cell in row.cells] for row in Table(child, document).rows]
            table = table_paragraphs(rows, f"第 {tables} 个表格")
            out.extend(Para(t) for t in table.paragraphs)
            notes.extend(table.notes if table.recognised else ())
    return Source(out, tuple(notes))


def _xlsx(path: Path, raw: bytes) -> Source:
    """Every visible sheet with a recognisable header, as its table's paragraphs; a sheet without one is named in
    the notes and left out (a sheet of instructions is not a list of duties)."""
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:
        workbook = load_workbook(str(path), data_only=True)  # not read_only: merged cells are needed
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        hint = "它是旧的 .xls 格式，请在 Excel 或 WPS 中另存为 .xlsx" if raw[:4] == OLE else "文件可能已损坏"
        raise ImportFailed(f"{path.name} 不是有效的 Excel（.xlsx）文件：{hint}。") from None
    out: list[Para] = []
    notes: list[str] = []
    used = 0
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            notes.append(f"工作表“{sheet.title}”是隐藏的，没有导入。")
            continue
        grid = [[cell_text(c) for c in row] for row in sheet.iter_rows(values_only=True)]
        for merged in sheet.merged_cells.ranges:  # the value of a merged cell applies to every cell it covers
            value = grid[merged.min_row - 1][merged.min_col - 1]
            for r in range(merged.min_row - 1, min(merged.max_row, len(grid))):
                for c in range(merged.min_col - 1, min(merged.max_col, len(grid[r]))):
                    grid[r][c] = value
        if not any(any(row) for row in grid):
            continue
        title = sheet.title
        table = table_paragraphs(grid, f"工作表“{title}”",
                                 lambda r, c, t=title: f"「{t}!{get_column_letter(c + 1)}{r + 1}」")
        if not table.recognised:
            notes.append(f"工作表“{title}”：前 10 行中找不到表头（需要“工作任务”一列和“牵头单位”“责任单位”“配合单位”"
                         "“完成时限”之一），这张表没有导入。如果它是任务清单，请检查表头的写法。")
            continue
        used += 1
        out.extend(Para(t) for t in table.paragraphs)
        notes.extend(table.notes)
    if not used:
        raise ImportFailed(f"{path.name} 中没有可以导入的任务表：" + "；".join(notes or ["所有工作表都是空的"]))
    return Source(out, tuple(notes))


def cell_text(value) -> str:
    """A cell's value as the text a person sees: dates as 2024年10月31日, 3.0 as 3."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _bold_lead(paragraph) -> str:
    """The bold text a Word paragraph opens with, when it is a lead phrase ending in 。."""
    lead = ""
    for run in paragraph.runs:
        if not run.text:
            continue
        bold = run.bold if run.bold is not None else bool(run.style is not None and run.style.font.bold)
        if not bold:
            break
        lead += run.text
    lead = lead.strip()
    return lead if lead.endswith("。") and len(lead) <= 60 else ""
