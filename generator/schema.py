"""The JSON Schemas, compiled once, and the translation of schema errors into coded Chinese findings."""
from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any, Iterator

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

from .nearest import nearest
from .findings import Finding
from .load import SourceFile, format_path

ROOT_SCHEMA = "data-file.schema.json"
TYPE_NAMES = {"string": "文字", "integer": "整数", "number": "数字", "array": "列表", "object": "映射（键: 值）",
              "boolean": "是/否", "null": "空值"}


def schema_texts() -> dict[str, str]:
    """File name → text of every schema shipped with the package."""
    folder = resources.files("generator.schemas")
    return {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir() if p.name.endswith(".schema.json")}


@lru_cache(maxsize=1)
def validator() -> Draft202012Validator:
    """The root schema with every $ref replaced by what it points at.

    Resolving a $ref is most of jsonschema's work per value (URL joins and pointer walks, tens of thousands of
    times for a province); the schemas are not recursive, so they are resolved once here instead. The registry
    stays for any reference left (a recursive one)."""
    schemas = {name: json.loads(text) for name, text in schema_texts().items()}
    registry = Registry().with_resources(
        (name, Resource.from_contents(schema)) for name, schema in schemas.items())
    return Draft202012Validator(inline(schemas[ROOT_SCHEMA], ROOT_SCHEMA, schemas), registry=registry)


def inline(node: Any, base: str, schemas: dict[str, Any], seen: tuple[str, ...] = ()) -> Any:
    """`node` with each {"$ref": "file#/pointer", "title": …, "description": …} replaced by the schema it names."""
    if isinstance(node, list):
        return [inline(item, base, schemas, seen) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node and set(node) <= {"$ref", "title", "description"}:
        ref = node["$ref"]
        file, _, pointer = ref.partition("#")
        file = file or base
        if ref in seen or file not in schemas:  # recursive or outside: leave it to the registry
            return node
        target: Any = schemas[file]
        for part in filter(None, pointer.split("/")):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        resolved = inline(target, file, schemas, seen + (ref,))
        resolved = {k: v for k, v in resolved.items() if k not in ("$id", "$schema")}
        return resolved | {k: node[k] for k in ("title", "description") if k in node}
    out = {}
    for key, value in node.items():
        if key in _SCHEMA_MAPS and isinstance(value, dict):  # keys are names (a property may be called "examples")
            out[key] = {name: inline(sub, base, schemas, seen) for name, sub in value.items()}
        elif key in _VALUES:
            out[key] = value
        else:
            out[key] = inline(value, base, schemas, seen)
    return out


_SCHEMA_MAPS = {"properties", "patternProperties", "$defs", "dependentSchemas"}
_VALUES = {"enum", "const", "examples", "default"}  # data, not schemas


def field_labels(path: tuple) -> list[str | None]:
    """The Chinese name (the schema's `title`) of each field along a YAML path, None where a part is an index or
    the schema names none: ("duties", 3, "deadlines", 0, "date") → ["职责", None, "时限", None, "日期"]."""
    node: Any = validator().schema
    out: list[str | None] = []
    for part in path:
        if isinstance(part, int):
            node = node.get("items", {}) if isinstance(node, dict) else {}
            out.append(None)
            continue
        node = node.get("properties", {}).get(part, {}) if isinstance(node, dict) else {}
        out.append(node.get("title"))
    return out


def field_label(path: tuple) -> str:
    """The Chinese name of the field a path ends in, with its YAML key: 牵头依据（lead_basis）."""
    name = path[-1] if path else ""
    label = field_labels(path)[-1] if path else None
    return f"{label}（{name}）" if label else str(name)


def check(source: SourceFile) -> Iterator[Finding]:
    """Schema findings for one loaded file."""
    for error in validator().iter_errors(source.data):
        yield from _translate(source, error)


def _translate(source: SourceFile, error: ValidationError) -> Iterator[Finding]:
    path = tuple(error.absolute_path)
    kw = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    instance = error.instance
    record = _record_kind(path)

    def finding(code: str, message: str, at: tuple = path, key: bool = False, note: str = "") -> Finding:
        line, column = source.where(at, key=key)
        return Finding(code, source.name, line, column, message, format_path(at), note)

    if kw == "required":
        present = instance if isinstance(instance, dict) else {}
        for name in error.validator_value:
            if name in present:
                continue
            if record == "duty" and name == "lead" and len(path) == 2:
                yield finding("E309", "这项职责没有写牵头单位（lead）。请至少填写一个牵头单位的标识符。")
            elif record == "duty" and name == "lead_note" and len(path) == 2:  # required by lead_basis: assigned
                yield finding("E201", "牵头依据（lead_basis）是 assigned（编者指定），但没有写牵头说明（lead_note）。"
                                      "请在 lead_note 中写明原文怎么说、为什么指定这个单位、须由谁确认。",
                              at=path + ("lead_basis",), key=True)
            else:
                yield finding("E201", f"{_what(record)}缺少必填字段 {field_label(path + (name,))}。请补上。")
        return
    if "propertyNames" in error.schema_path:  # a field the deadline's kind does not take
        allowed = error.validator_value if kw == "enum" else []
        yield finding("E202", f"{_what(record)}（kind: {_kind_of(source, path)}）不用字段 {field_label(path + (instance,))}。"
                              f"这一类时限可用的字段：{'、'.join(allowed)}。", at=path + (instance,), key=True)
        return
    if kw == "additionalProperties":
        allowed = set(schema.get("properties", {}))
        for name in [k for k in instance if k not in allowed]:
            guess = nearest(name, sorted(allowed), n=1, cutoff=0.6)
            hint = f"你是不是想写 {guess[0]}？" if guess else f"允许的字段有：{'、'.join(sorted(allowed))}。"
            yield finding("E202", f"{_what(record)}中没有字段 {name}。{hint}", at=path + (name,), key=True)
        return
    if kw == "type":
        expected = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        names = "或".join(TYPE_NAMES.get(t, t) for t in expected)
        tip = ""
        if "string" in expected and isinstance(instance, (int, float, bool)):
            tip = "如果是编号或文字，请加上引号，例如 \"10\"。"
        if not path:
            yield finding("E203", "文件顶层应是映射，包含 documents、units、lines、roles、duties 中的若干项。")
            return
        yield finding("E203", f"这里应填{names}，现在是 {_show(instance)}。{tip}")
        return
    if kw in ("enum", "const"):
        options = error.validator_value if kw == "enum" else [error.validator_value]
        shown = "、".join(str(o) for o in options)
        guess = nearest(str(instance), [str(o) for o in options], n=1, cutoff=0.6)
        hint = f"你是不是想写 {guess[0]}？" if guess else ""
        yield finding("E204", f"{_show(instance)} 不是允许的取值。可选：{shown}。{hint}")
        return
    if kw == "pattern":
        if isinstance(instance, str) and instance != instance.strip() and re.search(error.validator_value,
                                                                                    instance.strip()):
            yield finding("E112", f"{_show(instance.strip())} 的前后多了空格或换行，请删掉。"
                                  "常见原因：引号里多写了 \\n，或复制时带进了空格。")
            return
        if _is_reference(path) and isinstance(instance, str) and instance:
            return  # the reference check reports it once, with a "did you mean" (a name written for an id)
        yield finding("E205", _pattern_message(error.validator_value, instance))
        return
    if kw == "minItems" and record == "duty" and path[-1:] == ("lead",):
        yield finding("E309", "这项职责的牵头单位（lead）是空的。请至少填写一个牵头单位的标识符。")
        return
    if kw in ("minLength", "maxLength", "minItems", "maxItems", "minimum", "maximum", "minProperties"):
        yield finding("E206", _range_message(kw, error.validator_value, instance))
        return
    if kw == "uniqueItems":
        yield finding("E207", "列表中有重复的项，请删去重复的一个。")
        return
    yield finding("E299", f"不符合数据格式要求（{kw}）。请对照 schemas/ 中的说明修改。", note=error.message)


# Top-level list in a data file → the kind of record it holds. Ids are unique across all kinds.
RECORDS = {"documents": "document", "units": "unit", "lines": "line", "roles": "role", "duties": "duty",
           "referrals": "referral", "risk_levels": "risk-level", "terms": "term", "reporting_chains": "reporting-chain"}
WHAT = {"document": "文件记录", "unit": "单位记录", "line": "条线记录", "role": "岗位记录", "duty": "职责记录",
        "referral": "转介路线", "risk-level": "风险等级", "term": "术语词条", "reporting-chain": "报告路线",
        "deadline": "时限", "file": "数据文件"}


REFERENCE_FIELDS = {"lead", "support", "roles", "depends_on", "document", "line", "parent", "to", "notify", "see",
                    "role", "unit"}


def _is_reference(path: tuple) -> bool:
    """A value that names another record (as opposed to a record's own id)."""
    names = [p for p in path if isinstance(p, str)]
    return bool(names) and names[-1] in REFERENCE_FIELDS and len(path) > 2


def _record_kind(path: tuple) -> str:
    if len(path) >= 2 and path[0] in RECORDS:
        if path[0] == "duties" and len(path) >= 4 and path[2] == "deadlines":
            return "deadline"
        return RECORDS[path[0]]
    return "file"


def _what(record: str) -> str:
    return WHAT[record]


def _kind_of(source: SourceFile, path: tuple) -> str:
    value = source.data
    for part in path:
        value = value[part]
    return str(value.get("kind")) if isinstance(value, dict) else "?"


def _show(value: Any) -> str:
    if value is None:
        return "空值"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"数字 {value}"
    if isinstance(value, bool):
        return "是/否值（true/false，YAML 中的 yes/no/on/off 也会读成它）"
    if isinstance(value, (list, dict)):
        return "列表" if isinstance(value, list) else "映射"
    text = str(value)
    return f"“{text[:40]}{'…' if len(text) > 40 else ''}”"


def _pattern_message(pattern: str, value: Any) -> str:
    if "[0-9]{4}-[0-9]{2}-[0-9]{2}" in pattern:
        return f"日期 {_show(value)} 格式不对，请写成 YYYY-MM-DD，例如 2021-11-05。"
    if "(0[1-9]|1[0-2])" in pattern:
        return f"月份 {_show(value)} 格式不对，请写成 YYYY-MM，例如 2022-06。"
    if pattern.startswith("^[a-z]"):
        return (f"标识符 {_show(value)} 格式不对：只能用小写拉丁字母、数字、连字符和点，并以字母开头，"
                "例如 wansheng.minzheng。")
    return f"{_show(value)} 的格式不对。"


def _range_message(kw: str, limit: Any, value: Any) -> str:
    return {
        "minLength": "这里不能为空，请填写内容。",
        "maxLength": f"文字过长（上限 {limit} 字），请精简或拆分。",
        "minItems": f"列表至少要有 {limit} 项。",
        "maxItems": f"列表最多 {limit} 项。",
        "minimum": f"数值 {value} 太小，最小为 {limit}。",
        "maximum": f"数值 {value} 太大，最大为 {limit}。",
        "minProperties": "文件中没有任何记录。",
    }[kw]
