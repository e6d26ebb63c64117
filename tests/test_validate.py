"""Every finding code, each from a small bad input, asserting code, file and line."""
from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path

import pytest

from generator import load as load_module
from generator.pipeline import validate_dir
from generator.validate import is_id_number

BASE = "base.yaml"


def edit(data: Path, old: str, new: str, name: str = BASE) -> Path:
    path = data / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(path: Path, needle: str, nth: int = 1) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    hits = [i + 1 for i, line in enumerate(lines) if needle in line]
    return hits[nth - 1]


def findings(data: Path, code: str):
    report = validate_dir(data)
    return [f for f in report.findings if f.code == code], report


def only(data: Path, code: str):
    found, report = findings(data, code)
    assert len(found) == 1, report.to_text()
    return found[0]


def test_minimal_fixture_is_clean(minimal):
    report = validate_dir(minimal)
    assert report.without_infos().findings == (), report.to_text()
    assert [f.code for f in report.infos] == ["I701"]  # its third duty's lead is assigned on purpose


# ---- files and YAML ----------------------------------------------------------------------------

def test_gbk_file(minimal):
    path = minimal / BASE
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("gb18030"))
    f = only(minimal, "E101")
    assert f.file.endswith(BASE) and f.line == 2  # first Chinese character is on line 2
    assert "UTF-8" in f.message and "GBK" in f.note


def test_too_large(minimal, monkeypatch):
    monkeypatch.setattr(load_module, "MAX_FILE_BYTES", 1000)
    f = only(minimal, "E102")
    assert f.file.endswith(BASE) and f.line == 1


def test_yaml_syntax_error_tab(minimal):
    path = edit(minimal, "    title: 建立协调机制", "\ttitle: 建立协调机制")
    f = only(minimal, "E103")
    assert f.line == line_of(path, "\ttitle: 建立协调机制")
    assert "Tab" in f.message


def test_yaml_unclosed_quote(minimal):
    path = edit(minimal, "    summary: 成立领导小组并明确办公室。", '    summary: "成立领导小组')
    f = only(minimal, "E103")
    assert f.line >= line_of(path, '"成立领导小组')


def test_alias_bomb_refused_fast(minimal):
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        levels.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
    (minimal / "bomb.yaml").write_text("\n".join(levels) + "\n", encoding="utf-8")
    started = time.perf_counter()
    f = only(minimal, "E104")
    assert time.perf_counter() - started < 5  # expanding would take hours; refusing is instant
    assert f.file.endswith("bomb.yaml") and f.line == 3  # the 17th alias is on the third line


def test_deep_nesting(minimal):
    (minimal / "deep.yaml").write_text("duties: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    f = only(minimal, "E105")
    assert f.file.endswith("deep.yaml") and f.line == 1


def test_duplicate_key(minimal):
    path = edit(minimal, "    clause: 一(一)1\n", "    clause: 一(一)1\n    clause: 一(一)2\n")
    f = only(minimal, "E106")
    assert f.line == line_of(path, "clause: 一(一)2")
    assert "第 " in f.note


def test_two_documents(minimal):
    (minimal / "two.yaml").write_text("lines: []\n---\nunits: []\n", encoding="utf-8")
    f = only(minimal, "E107")
    assert f.line == 2


def test_python_tag_refused(minimal):
    path = edit(minimal, "    summary: 成立领导小组并明确办公室。", "    summary: !!python/object:os.system rm")
    f = only(minimal, "E108")
    assert f.line == line_of(path, "!!python")


def test_empty_file_and_missing_modeline(minimal):
    (minimal / "empty.yaml").write_text("", encoding="utf-8")
    (minimal / "plain.yaml").write_text("lines: []\n", encoding="utf-8")
    assert only(minimal, "W110").file.endswith("empty.yaml")
    assert only(minimal, "W111").file.endswith("plain.yaml")


def test_binary_file_gives_finding_not_traceback(minimal):
    (minimal / "blob.yaml").write_bytes(bytes(range(256)) * 4)
    report = validate_dir(minimal)
    assert [f.code for f in report.findings] == ["E101"]  # and no reference checks on a file that could not be read


# ---- schema ------------------------------------------------------------------------------------

def test_missing_required_field(minimal):
    path = edit(minimal, "    title: 家庭教育指导\n", "")
    f = only(minimal, "E201")
    assert f.line == line_of(path, "id: demo-2024.02") and "title" in f.message
    assert f.path == "duties[1]"


def test_unknown_field_suggests(minimal):
    path = edit(minimal, "    lead: [demo.fulian]", "    leader: [demo.fulian]")
    found, report = findings(minimal, "E202")
    assert len(found) == 1 and "lead" in found[0].message
    assert found[0].line == line_of(path, "leader:")
    assert any(f.code == "E309" for f in report.findings)  # and the missing lead is named as such


def test_wrong_type(minimal):
    path = edit(minimal, "    clause: 一(一)1", "    clause: 10")
    f = only(minimal, "E203")
    assert f.line == line_of(path, "clause: 10") and "引号" in f.message


def test_enum(minimal):
    path = edit(minimal, "    lead_basis: named", "    lead_basis: said")
    f = only(minimal, "E204")
    assert f.line == line_of(path, "lead_basis: said") and "stated" in f.message


def test_bad_date_format(minimal):
    path = edit(minimal, "        date: 2024-06-30", "        date: 2024/06/30")
    f = only(minimal, "E205")
    assert f.line == line_of(path, "2024/06/30") and "YYYY-MM-DD" in f.message


def test_bad_id_format(minimal):
    path = edit(minimal, "  - id: demo.fulian\n", "  - id: Demo.FuLian\n")
    f = [x for x in validate_dir(minimal).findings if x.code == "E205"]
    assert f and f[0].line == line_of(path, "Demo.FuLian")


def test_empty_text(minimal):
    path = edit(minimal, "    summary: 儿童主任定期走访。", '    summary: ""')
    f = only(minimal, "E206")
    assert f.line == line_of(path, 'summary: ""')


def test_duplicate_list_item(minimal):
    path = edit(minimal, "    support: [demo.village]", "    support: [demo.village, demo.village]")
    f = only(minimal, "E207")
    assert f.line == line_of(path, "support: [demo.village, demo.village]")


def test_deadline_fields_depend_on_kind(minimal):
    path = edit(minimal, "      - kind: ongoing", "      - kind: ongoing\n        date: 2024-05-01")
    f = only(minimal, "E202")
    assert f.line == line_of(path, "date: 2024-05-01") and "date" in f.message


def test_every_schema_field_has_a_chinese_name():
    """Messages name fields in Chinese (the schemas' titles); a field added without one would show in English."""
    import json

    from generator.schema import schema_texts

    def fields(node, where):
        if isinstance(node, dict):
            for name, sub in node.get("properties", {}).items():
                yield f"{where}.{name}", sub
                yield from fields(sub, f"{where}.{name}")
            for key, sub in node.items():
                if key not in ("properties", "if"):  # an if names a field to test, it is no field itself
                    yield from fields(sub, where)
        elif isinstance(node, list):
            for sub in node:
                yield from fields(sub, where)

    untitled = [where for file, text in schema_texts().items() for where, sub in fields(json.loads(text), file)
                if not re.search(r"[\u4e00-\u9fff]", sub.get("title", ""))]
    assert untitled == []


def test_findings_name_fields_in_chinese_and_keep_the_yaml_path(minimal):
    """"第 4 个职责的第 1 个时限的date", "第 1 个职责的lead_basis": field names reached readers in English."""
    from generator.findings import readable_path

    edit(minimal, "    lead_basis: named", "    lead_basis: said")
    edit(minimal, "        date: 2024-06-30", "        date: 2024-02-30")
    report = validate_dir(minimal)
    text = report.to_text()
    assert "（第 2 个职责的牵头依据）" in text and "的第 1 个时限的日期）" in text
    assert {f.path for f in report.findings} >= {"duties[1].lead_basis"}  # machines keep the YAML path
    assert readable_path("reporting_chains[0].steps[1].role") == "第 1 个报告路线的第 2 个环节的岗位"
    assert readable_path("risk_levels[2].visits.every") == "第 3 个风险等级的走访频次的周期"
    edit(minimal, "    title: 家庭教育指导\n", "")
    assert "缺少必填字段 名称（title）" in validate_dir(minimal).to_text()


# ---- references --------------------------------------------------------------------------------

def test_duplicate_id_across_files(minimal):
    (minimal / "more.yaml").write_text(
        "# yaml-language-server: $schema=x\nunits:\n  - id: demo.fulian\n    name: 另一个\n    kind: government\n"
        "    level: county\n    jurisdiction: 示范县\n", encoding="utf-8")
    f = only(minimal, "E301")
    assert f.file.endswith("more.yaml") and f.line == 3 and "base.yaml" in f.note


def test_unknown_unit_did_you_mean(minimal):
    path = edit(minimal, "    lead: [demo.minzheng]", "    lead: [demo.minzhen]")
    f = only(minimal, "E302")
    assert f.line == line_of(path, "lead: [demo.minzhen]") and "demo.minzheng" in f.note


def test_unit_name_instead_of_id(minimal):
    edit(minimal, "    lead: [demo.fulian]", "    lead: [县民政局]")
    found, _ = findings(minimal, "E302")
    assert found and "demo.minzheng" in found[0].note


@pytest.mark.parametrize("old,new,code", [
    ("    line: leadership", "    line: leadershp", "E303"),
    ("    document: demo-2024\n    clause: 一(二)3", "    document: demo-2023\n    clause: 一(二)3", "E304"),
    ("    roles: [child-director]", "    roles: [child-directer]", "E305"),
    ("    depends_on: [demo-2024.01]", "    depends_on: [demo-2024.1]", "E306"),
])
def test_unknown_references(minimal, old, new, code):
    path = edit(minimal, old, new)
    f = only(minimal, code)
    assert f.line == line_of(path, new.strip().splitlines()[0] if code != "E304" else "demo-2023")
    assert "你是不是想写" in f.note


def test_dependency_cycle(minimal):
    edit(minimal, "    lead_basis: stated\n", "    lead_basis: stated\n    depends_on: [demo-2024.02]\n")
    f = only(minimal, "E307")
    assert "demo-2024.01 → demo-2024.02 → demo-2024.01" in f.message


def test_parent_cycle(minimal):
    path = edit(minimal, "    short_name: 县民政局\n", "    short_name: 县民政局\n    parent: demo.village\n")
    f = only(minimal, "E308")
    assert "demo.minzheng → demo.village → demo.minzheng" in f.message
    assert f.line == line_of(path, "parent: demo.village")


def test_an_assigned_lead_needs_a_note(minimal):
    """The clerk's guide requires lead_note with lead_basis: assigned; validate and --strict let it through."""
    path = edit(minimal, "    lead_basis: named", "    lead_basis: assigned")
    f = only(minimal, "E201")
    assert f.line == line_of(path, "lead_basis: assigned") and f.path == "duties[1].lead_basis"
    assert "lead_note" in f.message and "为什么指定" in f.message
    edit(minimal, "    lead_basis: assigned", "    lead_basis: assigned\n    lead_note: 原文未写牵头单位，编者按职能指定。")
    assert not findings(minimal, "E201")[0]


def test_no_lead(minimal):
    path = edit(minimal, "    lead: [demo.minzheng]", "    lead: []")
    f = only(minimal, "E309")
    assert f.line == line_of(path, "lead: []")


def test_lead_and_support(minimal):
    path = edit(minimal, "    support: [demo.village]", "    support: [demo.fulian]")
    f = only(minimal, "W310")
    assert f.line == line_of(path, "support: [demo.fulian]")


# ---- dates -------------------------------------------------------------------------------------

def test_impossible_date(minimal):
    path = edit(minimal, "        date: 2024-06-30", "        date: 2024-02-30")
    f = only(minimal, "E401")
    assert f.line == line_of(path, "2024-02-30")


def test_deadline_before_issue(minimal):
    path = edit(minimal, "        date: 2024-06-30", "        date: 2023-06-30")
    f = only(minimal, "E402")
    assert f.line == line_of(path, "2023-06-30") - 1  # points at the deadline entry
    assert "2024-03-01" in f.message


def test_due_before_dependency(minimal):
    path = edit(minimal, "        date: 2024-12-31", "        date: 2024-04-30")
    f = only(minimal, "W403")
    assert f.line == line_of(path, "depends_on: [demo-2024.01]")


def test_period_end_before_start(minimal):
    path = edit(minimal, "      - kind: ongoing",
                "      - kind: period\n        start: 2024-09-15\n        end: 2024-06-01")
    f = only(minimal, "E404")
    assert f.line == line_of(path, "end: 2024-06-01")


def test_unknown_deadline_warns(minimal):
    path = edit(minimal, "      - kind: ongoing",
                "      - kind: unknown\n        text: 20_年6月25日前\n        reason: 原文年份空缺")
    f = only(minimal, "W405")
    assert f.line == line_of(path, "kind: unknown")


# ---- personal data -----------------------------------------------------------------------------

def _id_number() -> str:
    body = "99999920150301123"  # region 999999 does not exist: no real person's number
    for check in "0123456789X":
        if is_id_number(body + check):
            return body + check
    raise AssertionError


def test_id_number(minimal):
    number = _id_number()
    path = edit(minimal, "    summary: 儿童主任定期走访。", f"    summary: 儿童主任定期走访。证件{number}")
    f = only(minimal, "E501")
    assert f.line == line_of(path, number) and f.path == "duties[2].summary"


def test_mobile_number_in_comment(minimal):
    path = edit(minimal, "duties:\n", "# 联系人电话 138 1234 5678\nduties:\n")
    f = only(minimal, "E502")
    assert f.line == line_of(path, "138 1234 5678")


def test_personal_email(minimal):
    path = edit(minimal, "    source: 测试数据", "    source: 请联系 someone123@qq.com")
    f = only(minimal, "E503")
    assert f.line == line_of(path, "@qq.com")


def test_public_numbers_are_fine(minimal):
    edit(minimal, "    source: 测试数据", "    source: 热线 12345、12355；索引号 115001105951914746/2021-00861；"
                                          "office@wansheng.gov.cn")
    assert validate_dir(minimal).without_infos().findings == ()


# ---- usage -------------------------------------------------------------------------------------

def test_unreferenced_unit(minimal):
    path = edit(minimal, "units:\n", "units:\n  - id: demo.sifa\n    name: 示范县司法局\n    kind: government\n"
                                     "    level: county\n    jurisdiction: 示范县\n")
    f = only(minimal, "W601")
    assert f.line == line_of(path, "demo.sifa")


def test_validation_never_modifies_files(minimal):
    edit(minimal, "    lead: [demo.minzheng]", "    lead: [demo.minzhen]")
    (minimal / "gbk.yaml").write_bytes("lines: []  # 中文".encode("gbk"))
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in minimal.rglob("*")}
    validate_dir(minimal)
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in minimal.rglob("*")}
    assert before == after


def test_libyaml_parses_when_present():
    """The C parser is what makes a province's files load in seconds; `yaml.CParser` does not exist, so a wrong
    import once fell back to the pure-Python parser without a sound."""
    import yaml

    if not yaml.__with_libyaml__:
        pytest.skip("this PyYAML was built without libyaml")
    assert load_module._Parser.__module__ == "yaml._yaml"


def test_inlined_schema_finds_what_the_referencing_schema_finds():
    """The validator runs on the root schema with its $refs resolved in advance; on every bad input, and on the
    bundled data, it must report exactly what the schema files as written report."""
    import json

    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    from generator import schema
    from generator.load import load_file

    schemas = {name: json.loads(text) for name, text in schema.schema_texts().items()}
    registry = Registry().with_resources((n, Resource.from_contents(s)) for n, s in schemas.items())
    as_written = Draft202012Validator(schemas[schema.ROOT_SCHEMA], registry=registry)
    files = sorted((Path(__file__).parent / "bad_inputs").glob("*.yaml"))
    files += sorted((Path(__file__).parent.parent / "responsibilities").rglob("*.yaml"))
    compared = 0
    for path in files:
        source, _ = load_file(path)
        if source is None or source.data is None:
            continue
        expected = sorted((tuple(map(str, e.absolute_path)), e.validator, e.message)
                          for e in as_written.iter_errors(source.data))
        found = sorted((tuple(map(str, e.absolute_path)), e.validator, e.message)
                       for e in schema.validator().iter_errors(source.data))
        assert found == expected, path.name
        compared += bool(expected)
    assert compared >= 5  # the corpus does reach the schema


def test_a_folder_without_data_files_is_an_error(tmp_path):
    (tmp_path / "notes.txt").write_text("不是数据", encoding="utf-8")
    found = only(tmp_path, "E100")
    assert (found.line, found.column) == (1, 1) and "--data" in found.message
    assert not validate_dir(tmp_path).ok


def test_the_clerks_guide_explains_every_finding_code():
    from generator.findings import CODES

    guide = (Path(__file__).parent.parent / "docs" / "guide" / "editing.md").read_text(encoding="utf-8")
    assert [code for code in CODES if f"| {code} |" not in guide] == []
