"""`qingdan validate` through the CLI runner and as a real process."""
from __future__ import annotations

import json
import re
import subprocess
import sys

from click.testing import CliRunner

from generator.cli import main

from conftest import ROOT


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_clean_data_exits_0(minimal):
    result = run("validate", "--data", str(minimal))
    assert result.exit_code == 0, result.output
    assert "校验通过" in result.output


def test_error_exits_1_with_location(minimal):
    path = minimal / "base.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("lead: [demo.minzheng]", "lead: [demo.minzhen]"),
                    encoding="utf-8")
    result = run("validate", "--data", str(minimal))
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert "base.yaml:" in first and ": 错误 E302 " in first
    assert "你是不是想写 demo.minzheng（县民政局）？" in result.output
    assert "Traceback" not in result.output


def test_warnings_fail_only_with_strict(minimal):
    (minimal / "plain.yaml").write_text("lines: []\n", encoding="utf-8")  # W111: no modeline
    assert run("validate", "--data", str(minimal)).exit_code == 0
    assert run("validate", "--data", str(minimal), "--strict").exit_code == 1


def test_json_output_is_a_list_of_findings(minimal):
    (minimal / "plain.yaml").write_text("lines: []\n", encoding="utf-8")
    result = run("validate", "--data", str(minimal), "--format", "json")
    data = json.loads(result.output)
    assert isinstance(data, list) and [f["code"] for f in data] == ["I701", "W111"]
    finding = data[1]
    assert finding["code"] == "W111" and finding["severity"] == "warning"
    assert finding["file"].endswith("plain.yaml") and finding["line"] == 1 and finding["column"] == 1
    assert {"path", "message", "note", "title"} <= finding.keys()


def test_json_output_clean_has_only_review_notes(minimal):
    result = run("validate", "--data", str(minimal), "--format", "json")
    assert result.exit_code == 0
    assert [(f["code"], f["severity"]) for f in json.loads(result.output)] == [("I701", "info")]


def test_text_output_keeps_review_notes_out_of_the_way(minimal):
    result = run("validate", "--data", str(minimal))
    assert "I701" not in result.output and "另有 1 条审核提示" in result.output


def test_usage_errors_exit_2(tmp_path):
    result = run("validate", "--data", str(tmp_path / "missing"))
    assert result.exit_code == 2 and "找不到数据目录" in result.output
    assert run("validate", "--format", "xml").exit_code == 2


def test_python_m_generator(minimal):
    proc = subprocess.run([sys.executable, "-m", "generator", "validate", "--data", str(minimal)],
                          capture_output=True, text=True)
    assert proc.returncode == 0 and "校验通过" in proc.stdout


def test_usage_errors_and_help_are_in_chinese():
    result = run("--bogus")
    assert result.exit_code == 2
    assert result.output.splitlines()[0].startswith("用法: ")
    assert "错误：没有选项 '--bogus'。" in result.output and "Error" not in result.output
    result = run("who")
    assert result.exit_code == 2 and "缺少参数 '单位'" in result.output
    assert "用法: main who [选项] 单位" in result.output
    result = run("bulid")
    assert "没有命令 'bulid'" in result.output and "'build'" in result.output
    result = run("validate", "--format", "xml")
    assert "'--format' 的值无效" in result.output and "'text', 'json'" in result.output
    help_text = run("validate", "--help").output
    assert "选项:" in help_text and "显示本帮助并退出。" in help_text and "[默认：responsibilities]" in help_text
    assert "[必填]" in run("pages", "--help").output
    for english in ("Usage", "Options", "Show this message", "default:", "OPTIONS", "DIR"):
        assert english not in help_text


def test_help_texts_keep_names_whole_and_summaries_complete():
    """diff --help wrapped kinds at their hyphens ("support-⏎added"), left a gap inside a sentence and stray blank
    lines; the command list cut the import summary at "或把 qingdan..."; serve showed --addr TEXT."""
    import re

    from generator.cli import main as group
    from generator.labels import CHANGE_KINDS

    for columns in ("80", "60"):
        text = CliRunner().invoke(group, ["diff", "--help"], env={"COLUMNS": columns}, terminal_width=int(columns)).output
        listed = re.findall(r"^ {4}([a-z-]+) +\S", text, re.M)
        assert listed == list(CHANGE_KINDS), columns  # one a line, each whole
        assert not re.search(r"[a-z]-\n", text) and not re.search(r"。 {2,}", text) and "\n\n\n" not in text
    commands = run("--help").output
    assert "或把qingdanexport导出、改过的工作簿导回数据目录。" in re.sub(r"\s+", "", commands)
    assert "qingdan..." not in commands
    serve = run("serve", "--help").output
    assert "--addr 地址:端口" in serve and "TEXT" not in serve


def test_the_makefile_speaks_chinese():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    echoed = re.findall(r'echo "([^"]*)"', makefile)
    assert echoed and all(re.search(r"[\u4e00-\u9fff]", e) for e in echoed), echoed


def test_graph_out_to_a_folder_or_a_missing_folder_is_a_usage_error(tmp_path, minimal):
    result = run("graph", "--data", str(minimal), "--out", str(tmp_path))
    assert result.exit_code == 2 and "是一个目录" in result.output and result.exception.__class__ is SystemExit
    result = run("graph", "--data", str(minimal), "--out", str(tmp_path / "no" / "such" / "g.json"))
    assert result.exit_code == 2 and "不存在" in result.output
    result = run("graph", "--data", str(minimal), "--out", str(tmp_path / "g.json"))
    assert result.exit_code == 0 and (tmp_path / "g.json").is_file()


def test_serve_with_a_malformed_address_is_a_usage_error():
    result = run("serve", "--addr", "nonsense")
    assert result.exit_code == 2 and "不是“IP 地址:端口”" in result.output
    result = run("serve", "--addr", "999.1.1.1:8000")  # MkDocs would answer in English
    assert result.exit_code == 2 and "不是“IP 地址:端口”" in result.output


def test_an_impossible_date_is_named_as_such():
    result = run("build", "--as-of", "2026-02-30")
    assert result.exit_code == 2 and "没有 2026-02-30 这一天" in result.output
    result = run("build", "--as-of", "2026/02/03")
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output


def test_build_names_its_engines_and_refuses_others():
    help_text = run("build", "--help").output
    assert "--engine" in help_text and "zensical" in help_text and "[默认：mkdocs]" in help_text
    result = run("build", "--engine", "hugo")
    assert result.exit_code == 2 and "'--engine' 的值无效" in result.output and "'mkdocs', 'zensical'" in result.output
    assert "mkdocs build 或 zensical build" in " ".join(run("pages", "--help").output.split())


def test_pages_refuses_to_write_into_the_project_itself():
    result = run("pages", "--out", ".")
    assert result.exit_code == 2 and "本项目所在的目录" in result.output
    result = run("pages", "--out", "docs/generated")
    assert result.exit_code == 2 and "不要写入 docs/" in result.output
