"""Reading a policy text into paragraphs: plain text, Markdown and Word (.docx), tables included.

Everything a later stage needs from the file's form is kept on the paragraph: a bold lead phrase (Word bold runs,
Markdown **…**) is the only formatting that carries meaning for the outline.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


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


TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
SUFFIXES = TEXT_SUFFIXES | {".docx"}
MAX_BYTES = 20 * 1024 * 1024


def read_source(path: Path) -> list[Para]:
    """Paragraphs of the file, in order. Raises ImportFailed for anything that is not a readable text."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ImportFailed(f"不支持 {path.suffix or '没有扩展名'} 文件。可以导入 .txt、.md 和 .docx；"
                           "网页请先另存为文本（.txt）。", status=2)
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
    text = decode(raw, path.name)
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


def _plain(text: str) -> list[Para]:
    return [Para(line) for line in _lines(text)]


def _lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return [line.strip() for line in text.split("\n") if line.strip()]


MD_BOLD_LEAD = re.compile(r"^(?:\*\*|__)(.+?)(?:\*\*|__)")
MD_PREFIX = re.compile(r"^(?:#{1,6}\s+|>\s*|[-*+]\s+(?=\S))+")
MD_INLINE = [(re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"), (re.compile(r"(\*\*|__|`)"), "")]


def _markdown(text: str) -> list[Para]:
    out: list[Para] = []
    table: list[list[str]] = []
    for line in _lines(text):
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if not all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
                table.append(cells)
            continue
        if table:
            out.extend(Para(t) for t in table_paragraphs(table))
            table = []
        line = MD_PREFIX.sub("", line)
        bold = MD_BOLD_LEAD.match(line)
        lead = bold.group(1).strip() if bold and bold.group(1).strip().endswith("。") else ""
        for pattern, repl in MD_INLINE:
            line = pattern.sub(repl, line)
        if line.strip():
            out.append(Para(line.strip(), lead))
    if table:
        out.extend(Para(t) for t in table_paragraphs(table))
    return out


def _docx(path: Path, raw: bytes) -> list[Para]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except Exception:  # python-docx raises several kinds (PackageNotFoundError, BadZipFile, KeyError) for bad files
        hint = "它是旧的 .doc 格式，请在 Word 中另存为 .docx" if raw[:4] == b"\xd0\xcf\x11\xe0" else "文件可能已损坏"
        raise ImportFailed(f"{path.name} 不是有效的 Word（.docx）文件：{hint}。") from None
    out: list[Para] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(child, document)
            text = para.text.strip()
            if text:
                out.extend(Para(t, _bold_lead(para) if i == 0 else "") for i, t in enumerate(_lines(text)))
        elif tag == "tbl":
            rows = []
            for row in Table(child, document).rows:
                cells: list[str] = []
                for cell in row.cells:  # merged cells repeat: keep each once
                    value = " ".join(_lines(cell.text))
                    if not cells or cells[-1] != value:
                        cells.append(value)
                rows.append(cells)
            out.extend(Para(t) for t in table_paragraphs(rows))
    return out


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


# Column headings of responsibility tables, mapped to the field words the outline stage understands.
COLUMNS = [
    (re.compile(r"^(序号|编号|序)$"), "number"),
    (re.compile(r"牵头单位|牵头部门"), "牵头单位"),
    (re.compile(r"配合单位|协办单位|配合部门|参与单位"), "配合单位"),
    (re.compile(r"责任单位|责任部门|责任主体"), "责任单位"),
    (re.compile(r"时限|完成时间|时间要求|进度安排"), "完成时限"),
    (re.compile(r"任务|内容|事项|措施|职责"), "task"),
]


def table_paragraphs(rows: list[list[str]]) -> list[str]:
    """A responsibility table as the paragraphs a typed list would have: "1．任务", "责任单位：…", "完成时限：…".

    A table without recognisable column headings becomes one paragraph per row, cells joined by "；".
    """
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        return []
    header = rows[0]
    roles: dict[int, str] = {}
    for i, cell in enumerate(header):
        for pattern, role in COLUMNS:
            if pattern.search(cell.replace(" ", "")) and role not in roles.values():
                roles[i] = role
                break
    if "task" not in roles.values():
        return ["；".join(c for c in row if c) for row in rows]
    out = []
    for n, row in enumerate(rows[1:], start=1):
        values = {role: row[i].strip() for i, role in roles.items() if i < len(row) and row[i].strip()}
        if "task" not in values:
            continue
        number = values.get("number", "")
        number = number if number.isdigit() else str(n)
        out.append(f"{number}．{values['task']}")
        out.extend(f"{role}：{values[role]}" for role in ("牵头单位", "责任单位", "配合单位", "完成时限") if role in values)
    return out
