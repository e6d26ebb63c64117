"""`qingdan pages`: generated files in a folder shared with people's own files."""
from __future__ import annotations

import json

from click.testing import CliRunner

from generator.cli import main
from generator.output import MANIFEST, write_tree

from conftest import FIXTURES


def test_unchanged_files_keep_their_bytes_and_time(tmp_path):
    out = tmp_path / "out"
    write_tree({"a.md": "一", "b/c.md": "二"}, out)
    before = (out / "a.md").stat().st_mtime_ns
    result = write_tree({"a.md": "一", "b/c.md": "三"}, out)
    assert result.written == ["b/c.md"] and result.unchanged == ["a.md"]
    assert (out / "a.md").stat().st_mtime_ns == before
    assert (out / "b/c.md").read_text(encoding="utf-8") == "三"


def test_never_touches_files_it_did_not_generate(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.md").write_text("我的", encoding="utf-8")
    (out / "a.md").write_text("我的 a", encoding="utf-8")
    try:
        write_tree({"a.md": "生成的", "z.md": "z"}, out)
        raise AssertionError("expected a conflict")
    except Exception as exc:
        assert exc.__class__.__name__ == "OutputConflict" and exc.paths == ["a.md"]
    assert (out / "a.md").read_text(encoding="utf-8") == "我的 a"
    assert not (out / "z.md").exists()  # nothing written when there is a conflict
    write_tree({"z.md": "z"}, out)
    write_tree({}, out)  # z.md is no longer generated: removed; mine.md stays
    assert not (out / "z.md").exists() and (out / "mine.md").read_text(encoding="utf-8") == "我的"


def test_pages_command(tmp_path):
    out = tmp_path / "pages"
    runner = CliRunner()
    args = ["pages", "--data", str(FIXTURES / "minimal"), "--out", str(out), "--as-of", "2024-05-01"]
    first = runner.invoke(main, args + ["--format", "json"])
    assert first.exit_code == 0, first.output
    written = json.loads(first.output)["written"]
    assert "docs/units/demo.minzheng.md" in written and "docs/downloads/demo.minzheng.xlsx" in written
    assert "mkdocs.yml" in written and "docs/guide/editing.md" in written  # the hand-written pages come along
    assert json.loads((out / MANIFEST).read_text(encoding="utf-8")) == sorted(written)
    second = runner.invoke(main, args + ["--format", "json"])
    assert json.loads(second.output)["written"] == []
    (out / "docs" / "index.md").unlink()
    (out / "docs" / "index.md").write_text("手写首页", encoding="utf-8")  # still listed in the manifest: regenerated
    assert runner.invoke(main, args).exit_code == 0
    assert (out / "docs" / "index.md").read_text(encoding="utf-8") != "手写首页"
