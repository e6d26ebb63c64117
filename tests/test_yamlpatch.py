"""generator.yamlpatch: a data file's text changed only where its data changes, on the bundled files."""
from __future__ import annotations

import copy
import difflib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from generator.load import data_files
from generator.yamlpatch import PatchFailed, parse, patch, same

FILES = data_files(ROOT / "responsibilities")


def changed_lines(before: str, after: str) -> list[int]:
    """Line numbers (1-based, in `before`) that the change touches."""
    out = []
    for op, i1, i2, _, _ in difflib.SequenceMatcher(None, before.splitlines(), after.splitlines()).get_opcodes():
        if op != "equal":
            out.extend(range(i1 + 1, max(i2, i1 + 1) + 1))
    return out


def record_lines(text: str, table: str, index: int) -> range:
    """The lines a record spans: from its "- id:" to the line before the next record (or the file's end)."""
    from generator.yamlpatch import tree

    node = tree(text).children[table].children[index]
    first = text.count("\n", 0, node.start) + 1
    last = text.count("\n", 0, node.end) + 1
    return range(first - 1, last + 3)  # the item's dash line, and the blank line or comment around it


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_same_data_gives_the_same_text(path) -> None:
    text = path.read_text("utf-8")
    assert patch(text, parse(text)) == text


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_an_edit_to_one_record_touches_only_its_lines(path) -> None:
    text = path.read_text("utf-8")
    data = parse(text)
    for table, items in data.items():
        for i, item in enumerate(items):
            new = copy.deepcopy(data)
            record = new[table][i]
            text_fields = [k for k, v in record.items() if isinstance(v, str) and k != "id"]
            record[text_fields[-1]] += "（改）"  # a text changed
            optional = [k for k in record if k not in ("id", "kind") and k not in text_fields[:1]]
            del record[optional[0]]  # a field removed
            record["tags" if "tags" not in record else "aliases"] = ["新词", "12355"]  # a list added or replaced
            out = patch(text, new)
            assert same(parse(out), new)
            assert set(changed_lines(text, out)) <= set(record_lines(text, table, i)), (table, i)


def test_windows_line_ends_are_kept() -> None:
    text = (ROOT / "responsibilities/zhangdu-school/duties.yaml").read_text("utf-8").replace("\n", "\r\n")
    new = parse(text)
    new["duties"][0]["title"] = "持续开展法治宣传教育"
    out = patch(text, new)
    assert out.count("\r\n") == out.count("\n") and same(parse(out), new)


def test_aliases_are_refused() -> None:
    text = "a: &x [1, 2]\nb: *x\n"
    with pytest.raises(PatchFailed):
        patch(text, {"a": [1, 2], "b": [1, 3]})


# Texts a clerk may type: quotes, colons, hashes, brackets, leading dashes, spaces, line breaks, YAML keywords,
# numbers and dates, line and paragraph separators.
PIECES = list("中文字 :#-[]{}'\"\\,&*!|>%@`\t\n1\u2028\x85") + ["yes", "null", "2021-11-05", "0x10", "~"]
TEXTS = st.lists(st.sampled_from(PIECES), min_size=1, max_size=20).map("".join)


SMALL = """# 写法同随附数据：折叠文字、普通文字、引号、行内列表、块列表
duties:
  - id: a.1
    summary: >-
      第一句， 第二句
    title: 名称
    clause: "1"
    tags: [甲, 乙]
    actions:
      - 第一项
"""


@settings(max_examples=300, deadline=None)
@given(summary=TEXTS, title=TEXTS, clause=TEXTS, action=TEXTS)
def test_any_text_is_written_so_that_it_reads_back_the_same(summary: str, title: str, clause: str,
                                                           action: str) -> None:
    new = parse(SMALL)
    record = new["duties"][0]
    record.update(summary=summary, title=title, clause=clause, actions=[action, "第二项"])
    record["tags"] = list(dict.fromkeys([summary, title]))
    record["note"] = action  # a new key
    assert same(parse(patch(SMALL, new)), new)
