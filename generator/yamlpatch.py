"""Minimal edits to a YAML data file: new text that parses to new data, changed only where the data differs.

People review data changes in git, and the files carry comments, folded `>-` texts and flow lists that a re-dump
would lose. So instead of writing the data out again, this module finds where each value sits in the text (from
the parser's start and end marks) and replaces, inserts or deletes only the values, keys and list items that
differ, in the style the file already uses. Every result is parsed again and compared with the data it should
hold; a mismatch raises PatchFailed, and nothing is written.
"""
from __future__ import annotations

import difflib
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.emitter import Emitter
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from .load import Composer, SourceFile, _Parser


class PatchFailed(Exception):
    """The text could not be changed to hold the new data without touching other values."""


@dataclass
class Node:
    kind: str  # scalar, map or seq
    start: int  # offset of the value's first character (a block sequence: its first "-"; a block map: its first key)
    end: int  # offset just after the value's last character
    style: str = ""  # scalar: "", "'", '"', ">" or "|"; container: "flow" or "block"
    value: Any = None
    keys: dict[str, tuple[int, int]] = field(default_factory=dict)  # map: key → (start, end) of the key
    children: Any = None  # map: key → Node; seq: list of Node


def tree(text: str) -> Node:
    """Where every value of the (one-document) text starts and ends."""
    parser = _Parser(text)
    stack: list[list[Any]] = []  # [node, pending key or None, key span]
    root: Node | None = None
    while True:
        event = parser.get_event()
        kind = type(event)
        if kind is yaml.StreamEndEvent:
            break
        if kind in (yaml.StreamStartEvent, yaml.DocumentStartEvent, yaml.DocumentEndEvent):
            continue
        if kind in (yaml.MappingEndEvent, yaml.SequenceEndEvent):
            node = stack.pop()[0]
            items = list(node.children.values()) if node.kind == "map" else node.children
            if node.style == "flow":
                node.end = event.end_mark.index
            else:
                node.end = max((c.end for c in items), default=node.start)
            node.value = {k: c.value for k, c in node.children.items()} if node.kind == "map" \
                else [c.value for c in node.children]
            if not stack:
                root = node
            continue
        parent = stack[-1] if stack else None
        if parent is not None and parent[0].kind == "map" and parent[1] is None:
            parent[1] = event.value  # a key (the loader has already refused non-scalar keys)
            parent[2] = (event.start_mark.index, event.end_mark.index)
            continue
        if kind is yaml.AliasEvent:
            raise PatchFailed("文件中用了 YAML 别名（*名称），无法只改动其中一处。")
        if kind is yaml.ScalarEvent:
            start, end = event.start_mark.index, event.end_mark.index
            style = event.style or ""
            if style in (">", "|"):  # the end mark lies after the trailing blank lines
                end = start + len(text[start:end].rstrip())
            node = Node("scalar", start, end, style, event.value)
        else:
            flow = "flow" if event.flow_style else "block"
            node = Node("map" if kind is yaml.MappingStartEvent else "seq", event.start_mark.index,
                        event.end_mark.index, flow, children={} if kind is yaml.MappingStartEvent else [])
        if parent is not None:
            if parent[0].kind == "map":
                parent[0].children[parent[1]] = node
                parent[0].keys[parent[1]] = parent[2]
                parent[1] = None
            else:
                parent[0].children.append(node)
        if node.kind != "scalar":
            stack.append([node, None, None])
        elif parent is None:
            root = node
    if root is None:
        raise PatchFailed("文件是空的。")
    return root


# ---------------------------------------------------------------- writing values

_resolver = Resolver()
_STRINGS = ("tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp")  # the loader keeps dates as text


def _analysis(value: str):
    return Emitter(io.StringIO(), allow_unicode=True).analyze_scalar(value)


def plain_allowed(value: str, flow: bool = False) -> bool:
    """Whether `value` can be written without quotes and read back as the same text."""
    if not value or "\n" in value:
        return False
    found = _analysis(value)
    if not (found.allow_flow_plain if flow else found.allow_block_plain):
        return False
    return _resolver.resolve(ScalarNode, value, (True, False)) in _STRINGS


def double_quoted(value: str) -> str:
    # JSON strings are YAML double-quoted scalars; the line separators YAML reads as line breaks are escaped too
    return json.dumps(value, ensure_ascii=False).replace("\u2028", "\\L").replace("\u2029", "\\P") \
        .replace("\x85", "\\N")


def scalar(value: Any, style: str = "", flow: bool = False, indent: int = 0, width: int = 100) -> str:
    """A scalar as YAML text, in `style` when the value allows it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if value is None:
        return "null"
    text = str(value)
    if style == ">" and not flow:
        folded = _folded(text, indent, width)
        if folded is not None:
            return folded
    if style == "'" and "\n" not in text and _analysis(text).allow_single_quoted:
        return "'" + text.replace("'", "''") + "'"
    if style in ("", ">", "|") and plain_allowed(text, flow):
        return text
    return double_quoted(text)


def _folded(text: str, indent: int, width: int) -> str | None:
    """`>-` with the text broken at single spaces, which folding turns back into spaces; None if it cannot be."""
    if not text or text != text.strip() or "  " in text:
        return None
    found = _analysis(text)
    if found.multiline or not found.allow_block:  # line breaks of any kind (\u2028 too), control characters
        return None
    lines, line = [], ""
    for word in text.split(" "):
        if line and _width(line) + 1 + _width(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    pad = " " * indent
    return ">-\n" + "\n".join(pad + x for x in lines)


_WIDE = re.compile("[\u2e80-\U0010ffff]")


def _width(text: str) -> int:
    return len(text) + len(_WIDE.findall(text))


def flow_list(values: list) -> str:
    return "[" + ", ".join(scalar(v, flow=True) for v in values) + "]"


def _flowable(values: list, room: int) -> bool:
    """Short lists of short scalars go on one line, as the data files write id lists and tags."""
    if not all(isinstance(v, (str, int, float, bool)) for v in values):
        return False
    return all(_width(str(v)) <= 40 for v in values) and _width(flow_list(values)) <= room


Styles = dict  # key name → how the file writes that key's values: a scalar style, "flow" or "block"


def after_key(value: Any, indent: int, style: str = "", styles: Styles | None = None) -> str:
    """What follows `key:` for a value whose key sits at column `indent`: a space and the value, or a block.
    New keys inside are written the way `styles` says the file writes them."""
    styles = styles or {}
    if isinstance(value, dict):
        return "\n" + block_map(value, indent + 2, styles=styles)
    if isinstance(value, list):
        if not value:
            return " []"
        if style == "flow" or (style != "block" and _flowable(value, 110 - indent)):
            return " " + flow_list(value)
        return "\n" + block_seq(value, indent + 2, styles)
    return " " + scalar(value, style, indent=indent + 2)


def block_map(value: dict, indent: int, first_inline: bool = False, styles: Styles | None = None) -> str:
    """Keys at column `indent`; with `first_inline` the first key carries no indentation (it follows "- ")."""
    styles = styles or {}
    lines = []
    for i, (key, item) in enumerate(value.items()):
        pad = "" if first_inline and i == 0 else " " * indent
        lines.append(f"{pad}{scalar(key)}:{after_key(item, indent, styles.get(key, ''), styles)}")
    return "\n".join(lines)


def seq_item(value: Any, dash: int, styles: Styles | None = None) -> str:
    """One list item with its dash at column `dash` (the dash's own indentation included)."""
    pad = " " * dash
    if isinstance(value, dict):
        return pad + "- " + block_map(value, dash + 2, first_inline=True, styles=styles)
    if isinstance(value, list):
        return pad + "-" + after_key(value, dash, styles=styles)
    return pad + "- " + scalar(value, indent=dash + 2)


def block_seq(values: list, dash: int, styles: Styles | None = None) -> str:
    return "\n".join(seq_item(v, dash, styles) for v in values)


def styles_of(root: Node) -> Styles:
    """For each key, the style the file writes its values in most often (lists: flow or block)."""
    counts: dict[str, dict[str, int]] = {}
    todo = [root]
    while todo:
        node = todo.pop()
        if node.kind == "map":
            for key, child in node.children.items():
                style = child.style if child.kind != "map" else ""
                if child.kind != "scalar" or isinstance(child.value, str):
                    tally = counts.setdefault(key, {})
                    tally[style] = tally.get(style, 0) + 1
                todo.append(child)
        elif node.kind == "seq":
            todo.extend(node.children)
    return {key: max(sorted(tally), key=tally.get) for key, tally in counts.items()}


# ---------------------------------------------------------------- comparing and editing

def same(a: Any, b: Any) -> bool:
    """Equal, and of the same types all the way down (True is not 1, 1 is not "1")."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


class _Editor:
    def __init__(self, text: str, styles: Styles) -> None:
        self.text = text
        self.styles = styles
        self.edits: list[tuple[int, int, int, str]] = []  # start, end, order, replacement

    def edit(self, start: int, end: int, new: str) -> None:
        self.edits.append((start, end, len(self.edits), new))

    def result(self) -> str:
        out, last = [], 0
        for start, end, _, new in sorted(self.edits):
            if start < last:
                raise PatchFailed("两处改动重叠。")
            out.append(self.text[last:start])
            out.append(new)
            last = end
        out.append(self.text[last:])
        return "".join(out)

    # -- positions

    def column(self, offset: int) -> int:
        return offset - (self.text.rfind("\n", 0, offset) + 1)

    def line_start(self, offset: int) -> int:
        return self.text.rfind("\n", 0, offset) + 1

    def line_end(self, offset: int) -> int:
        """Offset of the newline ending the line that holds `offset` (or the end of the text)."""
        end = self.text.find("\n", offset)
        return len(self.text) if end < 0 else end

    def first_on_line(self, offset: int) -> bool:
        return not self.text[self.line_start(offset):offset].strip()

    def region(self, start: int, end: int) -> tuple[int, int]:
        """Whole lines from `start`'s line through `end`'s line, newline included, with the comment lines just
        above at the same indentation (they describe what is removed)."""
        first = self.line_start(start)
        pad = self.text[first:start]
        while first > 0:
            above = self.line_start(first - 1)
            line = self.text[above:first - 1]
            if line.startswith(pad) and line[len(pad):].startswith("#"):
                first = above
            else:
                break
        last = self.line_end(end)
        return first, min(last + 1, len(self.text))

    def blank_before(self, offset: int) -> bool:
        return offset >= 2 and self.text[self.line_start(offset - 1):offset - 1].strip() == ""

    def remove_lines(self, start: int, end: int) -> None:
        first, last = self.region(start, end)
        # items separated by blank lines: take one blank line with the item, so the separation stays as it was
        after = self.text[last:self.line_end(last)] if last < len(self.text) else ""
        if self.blank_before(first) and (not after.strip() or self.column_of_next(last) < self.column(start)):
            first = self.line_start(first - 1)
        self.edit(first, last, "")

    def column_of_next(self, offset: int) -> int:
        """Indentation of the next non-blank line from `offset`; -1 at the end of the text."""
        for line in self.text[offset:].split("\n"):
            if line.strip():
                return len(line) - len(line.lstrip(" "))
        return -1

    # -- values

    def value(self, node: Node, new: Any, after: int, indent: int) -> None:
        """Make `node` (written after offset `after`, the colon or dash before it) hold `new`."""
        if same(node.value, new):
            return
        if node.kind == "map" and node.style == "block" and isinstance(new, dict) and new:
            return self.mapping(node, new)
        if node.kind == "seq" and node.style == "block" and isinstance(new, list) and new:
            return self.sequence(node, new)
        style = node.style if node.kind == "scalar" else ("flow" if node.style == "flow" else "")
        if node.kind == "scalar" and node.style == ">":
            lines = self.text[node.start:node.end].split("\n")[1:]
            width = max((_width(x.strip()) for x in lines), default=80)
            pad = min((len(x) - len(x.lstrip(" ")) for x in lines if x.strip()), default=indent + 2)
            text = scalar(new, ">", indent=pad, width=max(width, 60)) if isinstance(new, str) else None
            if text is not None:
                return self.edit(node.start, node.end, text)
        self.edit(after, node.end, after_key(new, indent, style, self.styles))

    def mapping(self, node: Node, new: dict) -> None:
        keys = list(node.children)
        indent = self.column(node.keys[keys[0]][0])
        for key in keys:
            if key not in new:
                start = node.keys[key][0]
                if not self.first_on_line(start):
                    raise PatchFailed(f"无法单独删除键 {key}。")
                self.remove_lines(start, node.children[key].end)
        for key in keys:
            if key in new:
                colon = self.text.index(":", node.keys[key][1])
                self.value(node.children[key], new[key], colon + 1, indent)
        anchor = keys[0]
        pending: dict[str, list[str]] = {}
        for key in new:
            if key in node.children:
                anchor = key
            else:
                pending.setdefault(anchor, []).append(
                    f"{' ' * indent}{scalar(key)}:{after_key(new[key], indent, self.styles.get(key, ''), self.styles)}")
        for key, lines in pending.items():
            at = self.line_end(node.children[key].end)
            self.edit(at, at, "\n" + "\n".join(lines))

    def sequence(self, node: Node, new: list) -> None:
        items = node.children
        dash = self.column(node.start)
        keyed = all(isinstance(v, dict) and isinstance(v.get("id"), str) for v in node.value + new)
        old_keys = [_key(v, keyed) for v in node.value]
        new_keys = [_key(v, keyed) for v in new]
        spaced = len(items) > 1 and "\n\n" in self.text[items[0].end:self._dash(items[1])]
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False).get_opcodes():
            if op == "equal" and not keyed:
                continue
            paired = (i2 - i1) if op == "equal" else (0 if keyed else min(i2 - i1, j2 - j1))
            for k in range(paired):
                self.value(items[i1 + k], new[j1 + k], self._dash(items[i1 + k]) + 1, dash)
            for k in range(i1 + paired, i2):
                self.remove_lines(self._dash(items[k]), items[k].end)
            added = new[j1 + paired:j2]
            if not added:
                continue
            text = ("\n\n" if spaced else "\n").join(seq_item(v, dash, self.styles) for v in added)
            if i1 + paired > 0:
                at = self.line_end(items[i1 + paired - 1].end)
                self.edit(at, at, ("\n\n" if spaced else "\n") + text)
            else:
                at = self.line_start(self._dash(items[0]))
                self.edit(at, at, text + ("\n\n" if spaced else "\n"))

    def _dash(self, item: Node) -> int:
        dash = self.text.rfind("-", self.line_start(item.start), item.start + 1)
        if dash < 0:
            raise PatchFailed("找不到列表项的“-”。")
        return dash


def _key(value: Any, keyed: bool) -> str:
    return value["id"] if keyed else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def parse(text: str, name: str = "<patched>") -> Any:
    """The data the project's own loader reads from `text` (dates as text), or PatchFailed."""
    source = SourceFile(Path(name), name, text=text)
    findings = Composer(source).run()
    if findings:
        raise PatchFailed(findings[0].message)
    return source.data


def patch(text: str, new: dict) -> str:
    """`text` changed as little as possible so that it holds `new` (a data file's whole content)."""
    if "\r\n" in text and text.count("\r\n") == text.count("\n"):  # saved on Windows: keep its line ends
        return patch(text.replace("\r\n", "\n"), new).replace("\n", "\r\n")
    root = tree(text)
    if root.kind != "map" or root.style != "block" or not new:
        raise PatchFailed("文件顶层不是可以逐项修改的映射。")
    editor = _Editor(text, styles_of(root))
    editor.mapping(root, new)
    out = editor.result()
    if not same(parse(out), new):
        raise PatchFailed("改动后的文件读出来与应有的内容不一致。")
    return out


def new_file(modeline: str, data: dict, comment: str = "") -> str:
    """A data file for records that have no file to go into yet."""
    head = [modeline] + ([f"# {comment}"] if comment else [])
    body = "\n".join(f"{key}:{after_key(value, 0, 'block' if isinstance(value, list) else '')}"
                     for key, value in data.items())
    text = "\n".join(head) + "\n" + body + "\n"
    if not same(parse(text), data):
        raise PatchFailed("新文件读出来与应有的内容不一致。")
    return text
