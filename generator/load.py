"""Stage 1: read YAML data files into plain Python values, remembering where every value came from.

The composer works on libyaml's event stream (C parser when available) instead of PyYAML's recursive composer, so
that deep nesting, alias bombs and duplicate keys become findings instead of crashes, hangs or silent overwrites.
Dates stay strings: the schema checks their form and `validate` checks that they exist.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from .findings import Finding

try:  # libyaml's C parser is many times faster; PyYAML's pure parser gives the same events.
    from yaml._yaml import CParser as _Parser  # not re-exported by `yaml`: only the C loaders are
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml.parser import Parser as _Parser  # type: ignore[assignment]
    from yaml.reader import Reader as _Reader
    from yaml.scanner import Scanner as _Scanner

    class _Parser(_Reader, _Scanner, _Parser):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            _Reader.__init__(self, stream)
            _Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)


MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ALIASES = 16
MAX_DEPTH = 40
DEPTH_MESSAGE = f"数据嵌套超过 {MAX_DEPTH} 层，已拒绝读取。请检查缩进。"
MODELINE = re.compile(r"^#\s*yaml-language-server:\s*\$schema=\S+")
FULLWIDTH_KEY = re.compile(r"^\s*(?:-\s+)?[A-Za-z_]+\s*：")

Path_ = tuple  # a YAML path: keys (str) and list indexes (int)


@dataclass
class SourceFile:
    """One data file after loading: its values and where each value starts (1-based line, column)."""

    path: Path
    name: str  # as shown to people: relative to the current directory when possible
    data: Any = None
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    text: str = ""

    def where(self, path: Path_, key: bool = False) -> tuple[int, int]:
        """Position of the value at `path` (or of its key), falling back to the nearest ancestor."""
        table = self.key_positions if key else self.positions
        if key and path in table:
            return table[path]
        p = tuple(path)
        while p:
            if p in self.positions:
                return self.positions[p]
            p = p[:-1]
        return self.positions.get((), (1, 1))


@dataclass
class Loaded:
    """Everything stage 1 produced for a data directory."""

    root: Path
    files: list[SourceFile]
    findings: list[Finding]


def format_path(path: Path_) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def display_name(path: Path, base: Path | None = None) -> str:
    """How a file is named to people: relative to `base` (default: the current directory) when inside it."""
    try:
        return path.resolve().relative_to((base or Path.cwd()).resolve()).as_posix()
    except ValueError:
        return str(path)


def data_files(root: Path) -> list[Path]:
    """YAML files under `root`, in a stable order, skipping hidden folders."""
    found = [
        p for p in root.rglob("*")
        if p.suffix in (".yaml", ".yml") and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    ]
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def load(root: Path | str, names_from: Path | None = None) -> Loaded:
    """Load every data file under `root`. Never raises for bad content: problems become findings.

    File names in findings are relative to `names_from` (default: the current directory).
    """
    root = Path(root)
    files, findings = [], []
    for path in data_files(root):
        source, file_findings = load_file(path, names_from)
        findings.extend(file_findings)
        if source is not None:
            files.append(source)
    if not files and not findings:  # a wrong --data must not "pass" and publish an empty handbook
        findings.append(Finding("E100", display_name(root, names_from), 1, 1,
                                "这个目录（及其子目录）中没有 .yaml 或 .yml 数据文件。请用 --data 指定存放数据的目录，"
                                "例如 responsibilities。"))
    return Loaded(root, files, findings)


def load_file(path: Path, names_from: Path | None = None) -> tuple[SourceFile | None, list[Finding]]:
    name = display_name(path, names_from)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [Finding("E102", name, 1, 1,
                                  f"文件有 {size / 1048576:.1f} MB，超过 {MAX_FILE_BYTES // 1048576} MB 的上限。"
                                  "请把记录拆分到几个较小的文件中。")]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Finding("E109", name, 1, 1, f"无法读取这个文件：{exc.strerror or exc}。请检查文件权限。")]
    text, finding = decode(raw, name)
    if finding:
        return None, [finding]
    return load_text(path, name, text)


def load_text(path: Path, name: str, text: str) -> tuple[SourceFile, list[Finding]]:
    """A data file from its text (as read, or as it is about to be written)."""
    source = SourceFile(path, name, text=text)
    findings = Composer(source).run()
    if not findings and source.data is None:
        findings.append(Finding("W110", name, 1, 1, "文件是空的，没有任何记录。如果不再需要，请删除它。"))
    if text.strip() and not MODELINE.match(text):
        findings.append(Finding(
            "W111", name, 1, 1,
            "文件第一行应是 # yaml-language-server: $schema=… 声明，编辑器才能边写边检查。",
            note="例如：# yaml-language-server: $schema=../../schemas/data-file.schema.json"))
    return source, findings


def decode(raw: bytes, name: str) -> tuple[str, Finding | None]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        note = ""
        try:
            raw.decode("gb18030")
            note = "文件看起来是 GBK/GB18030 编码（常见于 Windows 记事本或 WPS 的默认保存）。"
        except UnicodeDecodeError:
            pass
        return "", Finding("E101", name, line, column,
                           "文件不是 UTF-8 编码，无法读取。请用编辑器“另存为”UTF-8 编码后再提交。", note=note)
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, None


_resolver = Resolver()
_constructor = SafeConstructor()

SYNTAX_HINTS = {
    "mapping values are not allowed": "这里出现了多余的冒号，或缩进不对。含冒号的文字请加引号。",
    "found character '\\t'": "YAML 不能用 Tab 缩进，请改用空格。",
    "could not find expected ':'": "缺少冒号，或上一行的引号没有闭合。",
    "did not find expected key": "缩进不对齐，或列表项“- ”和键混在同一层。",
    "found undefined alias": "引用了未定义的锚点（*名称）。",
    "did not find expected '-' indicator": "列表项的缩进不对齐。",
    "found unexpected end of stream": "文件意外结束：可能有未闭合的引号或括号。",
    "while scanning a quoted scalar": "引号没有闭合。",
    "found unknown escape character": "双引号中的反斜杠转义不对；请改用单引号或去掉反斜杠。",
    "control characters are not allowed": "文件中有不可见的控制字符，请删除。",
}


class _Stop(Exception):
    def __init__(self, finding: Finding) -> None:
        self.finding = finding


class Composer:
    """Builds values from parser events without recursion; records positions; refuses bombs and duplicates."""

    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self.findings: list[Finding] = []
        self.anchors: dict[str, Any] = {}
        self.aliases = 0

    def run(self) -> list[Finding]:
        try:
            self._compose()
        except _Stop as stop:
            self.source.data = None
            self.findings.append(stop.finding)
        except yaml.MarkedYAMLError as exc:
            self.source.data = None
            if "maximum nesting depth" in (exc.problem or ""):  # libyaml's own limit, met while looking ahead
                mark = exc.problem_mark
                self.findings.append(Finding("E105", self.source.name, mark.line + 1 if mark else 1,
                                             mark.column + 1 if mark else 1, DEPTH_MESSAGE))
            else:
                self.findings.append(self._syntax_finding(exc))
        except yaml.YAMLError as exc:  # reader errors (e.g. control characters) carry a position too
            self.source.data = None
            mark_line = getattr(exc, "line", None)
            self.findings.append(Finding("E103", self.source.name, (mark_line or 0) + 1, 1,
                                         "YAML 语法错误。" + _hint(str(exc)), note=f"解析器原文：{exc}"))
        return self.findings

    def _syntax_finding(self, exc: yaml.MarkedYAMLError) -> Finding:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        detail = " ".join(x for x in (exc.context, exc.problem) if x)
        hint = _hint(detail)
        # The commonest slip when typing Chinese: a full-width colon after a key. The parser only notices a line
        # later, so look at the lines before the reported one.
        lines = self.source.text.splitlines()
        if 0 < line <= len(lines) and "\t" in lines[line - 1][:len(lines[line - 1]) - len(lines[line - 1].lstrip())]:
            hint = SYNTAX_HINTS["found character '\\t'"]  # libyaml does not always name the tab
        for number in range(min(line, len(lines)), max(0, line - 3), -1):
            if FULLWIDTH_KEY.match(lines[number - 1]):
                line, column = number, lines[number - 1].index("：") + 1
                hint = "这里用了中文冒号“：”，YAML 的键后面要用英文冒号“:”加一个空格。"
                break
        return Finding("E103", self.source.name, line, column, "YAML 语法错误。" + hint,
                       note=f"技术细节（解析器原文）：{detail}")

    def _stop(self, code: str, event: Any, message: str, path: Path_ = (), note: str = "") -> None:
        mark = event.start_mark
        raise _Stop(Finding(code, self.source.name, mark.line + 1, mark.column + 1, message,
                            format_path(path), note))

    def _compose(self) -> None:
        parser = _Parser(self.source.text)
        positions = self.source.positions
        key_positions = self.source.key_positions
        documents = 0
        # Each frame: [container, path, pending_key, key_event, anchor, seen_keys]
        stack: list[list[Any]] = []
        root: Any = None
        while True:
            event = parser.get_event()
            kind = type(event)
            if kind is yaml.StreamEndEvent:
                break
            if kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    self._stop("E107", event, "一个文件只能有一个 YAML 文档：请删除多余的 --- 分隔线，或拆成两个文件。")
                continue
            if kind in (yaml.StreamStartEvent, yaml.DocumentEndEvent):
                continue
            if kind in (yaml.MappingEndEvent, yaml.SequenceEndEvent):
                frame = stack.pop()
                value = frame[0]
                if frame[4]:
                    self.anchors[frame[4]] = value
                if not stack:
                    root = value
                continue

            # A value (scalar, alias or a new container) arrives: is it a mapping key?
            parent = stack[-1] if stack else None
            if parent is not None and isinstance(parent[0], dict) and parent[2] is None:
                if kind is not yaml.ScalarEvent:
                    self._stop("E103", event, "YAML 语法错误。映射的键必须是简单文字，不能是列表或映射。",
                               parent[1])
                key = event.value
                if key in parent[5]:
                    first = parent[5][key]
                    self._stop("E106", event, f"键“{key}”在同一处出现了两次，后一个会覆盖前一个。请删除或合并其中一个。",
                               parent[1] + (key,), note=f"第一次出现在第 {first} 行。")
                parent[5][key] = event.start_mark.line + 1
                parent[2] = key
                key_positions[parent[1] + (key,)] = (event.start_mark.line + 1, event.start_mark.column + 1)
                continue

            if parent is None:
                path: Path_ = ()
            elif isinstance(parent[0], dict):
                path = parent[1] + (parent[2],)
            else:
                path = parent[1] + (len(parent[0]),)
            positions[path] = (event.start_mark.line + 1, event.start_mark.column + 1)

            if kind is yaml.AliasEvent:
                self.aliases += 1
                if self.aliases > MAX_ALIASES:
                    self._stop("E104", event, f"文件使用了超过 {MAX_ALIASES} 次 YAML 别名（*名称），已拒绝读取。"
                                              "请直接写出内容，不要用锚点和别名。", path)
                if event.anchor not in self.anchors:
                    self._stop("E103", event, f"YAML 语法错误。别名 *{event.anchor} 没有对应的锚点 &{event.anchor}。", path)
                value = self.anchors[event.anchor]
            elif kind is yaml.ScalarEvent:
                value = self._scalar(event, path)
                if event.anchor:
                    self.anchors[event.anchor] = value
            else:  # a new mapping or sequence
                if len(stack) >= MAX_DEPTH:
                    self._stop("E105", event, DEPTH_MESSAGE, path)
                if event.tag not in (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
                    self._stop("E108", event, f"不支持 YAML 标签 {event.tag}。请删除标签，直接写值。", path)
                container: Any = {} if kind is yaml.MappingStartEvent else []
                self._attach(parent, container)
                stack.append([container, path, None, None, event.anchor, {}])
                continue
            self._attach(parent, value)
            if parent is None:
                root = value
        self.source.data = root

    @staticmethod
    def _attach(parent: list[Any] | None, value: Any) -> None:
        if parent is None:
            return
        if isinstance(parent[0], dict):
            parent[0][parent[2]] = value
            parent[2] = None
        else:
            parent[0].append(value)

    def _scalar(self, event: yaml.ScalarEvent, path: Path_) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            if event.implicit[0]:
                tag = _resolver.resolve(ScalarNode, event.value, (True, False))
            else:
                tag = "tag:yaml.org,2002:str"
        if tag == "tag:yaml.org,2002:str" or tag == "tag:yaml.org,2002:timestamp":
            return event.value
        builder = {
            "tag:yaml.org,2002:null": _constructor.construct_yaml_null,
            "tag:yaml.org,2002:bool": _constructor.construct_yaml_bool,
            "tag:yaml.org,2002:int": _constructor.construct_yaml_int,
            "tag:yaml.org,2002:float": _constructor.construct_yaml_float,
        }.get(tag)
        if builder is None:
            self._stop("E108", event, f"不支持 YAML 标签 {tag}。请删除标签，直接写值。", path)
        try:
            return builder(ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style))
        except (ValueError, ConstructorError):
            self._stop("E108", event, f"值“{event.value}”不符合标签 {tag}。请删除标签，直接写值。", path)


def _hint(detail: str) -> str:
    for needle, hint in SYNTAX_HINTS.items():
        if needle in detail:
            return hint
    return "请检查这一行及上一行的缩进、冒号和引号。"


class LineIndex:
    """Maps character offsets in a text to 1-based (line, column)."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def at(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1
