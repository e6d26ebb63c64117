"""The change log page and per-record history, from a real git history; and without one."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

from generator import render
from generator.history import NO_GIT, SHALLOW, history
from generator.pipeline import load_dataset

from conftest import FIXTURES, build_site, commit, edit


def pages_for(data: Path) -> dict[str, str]:
    result = load_dataset(data)
    return render.pages(result.dataset, result.graph, dt.date(2024, 5, 1), history(data))


def test_change_log_lists_commits_newest_first(repo):
    edit(repo, "        date: 2024-06-30", "        date: 2024-05-31")
    commit(repo, "协调机制提前一个月")
    edit(repo, "    name: 示范县民政局", "    name: 示范县民政和社会事务局")
    commit(repo, "民政局改名")
    log = history(repo / "responsibilities")
    assert log.available and [c.subject for c in log.commits] == ["民政局改名", "协调机制提前一个月", "初始清单"]
    assert [c.kind for c in log.commits[1].changes] == ["deadline-earlier"]
    first = log.commits[2].changes  # the first commit adds every duty, unit, document, protection line and role
    assert sorted(c.kind for c in first) == sorted(["document-added"] + ["unit-added"] * 3 + ["duty-added"] * 3
                                                   + ["line-added"] * 2 + ["role-added"])

    pages = pages_for(repo / "responsibilities")
    page = pages["changes.md"]
    assert page.index("民政局改名") < page.index("协调机制提前一个月") < page.index("初始清单")
    line = next(x for x in page.splitlines() if x.startswith("- 时限提前"))
    assert line.replace("\\", "") == "- 时限提前 · [建立协调机制](duties/demo-2024.01.md)：2024-06-30 → 2024-05-31（提前 30 天）"  # no id for readers
    assert "审核员" not in page  # authors are staff: never published
    duty = pages["duties/demo-2024.01.md"]
    assert "## 变更历史" in duty and "协调机制提前一个月" in duty
    unit = pages["units/demo.minzheng.md"]
    assert "民政局改名" in unit and "示范县民政局 → 示范县民政和社会事务局" in unit  # the rename, old → new


def test_no_git(tmp_path):
    data = tmp_path / "responsibilities"
    shutil.copytree(FIXTURES / "minimal", data)
    log = history(data)
    assert not log.available and log.reason == NO_GIT
    pages = pages_for(data)
    assert "没有变更记录" in pages["changes.md"] and "## 变更历史" not in pages["duties/demo-2024.01.md"]
    out = tmp_path / "site"
    assert build_site(out, data).returncode == 0
    assert "不在 git 仓库中" in (out / "changes" / "index.html").read_text(encoding="utf-8")


def test_shallow_clone(repo, tmp_path):
    edit(repo, "        date: 2024-06-30", "        date: 2024-05-31")
    commit(repo, "第二次")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", repo.as_uri(), str(clone)], check=True)
    log = history(clone / "responsibilities")
    assert not log.available and log.reason == SHALLOW
    assert "浅克隆" in pages_for(clone / "responsibilities")["changes.md"]


def test_bundled_site_has_a_change_log(bundled_site):
    html = (bundled_site / "changes" / "index.html").read_text(encoding="utf-8")
    assert "变更记录" in html


def test_only_chinese_commit_notes_are_published_and_each_commit_is_one_entry(repo):
    edit(repo, "        date: 2024-06-30", "        date: 2024-05-31")
    edit(repo, "    name: 示范县民政局", "    name: 示范县民政和社会事务局")
    commit(repo, "Update base.yaml")  # a web editor's default message
    pages = pages_for(repo / "responsibilities")
    page = pages["changes.md"]
    assert "Update base.yaml" not in page and re.search(r"^## \d{4}-\d\d-\d\d · 提交 [0-9a-f]{10} ", page, re.M)
    # the unit touched twice by one commit gets one entry, its two changes under it
    unit = pages["units/demo.minzheng.md"]
    history_part = unit[unit.index("## 变更历史"):]
    entries = [x for x in history_part.splitlines() if x.startswith("- ")]
    assert entries[0].endswith("：2 项改动") and "Update" not in entries[0]
    assert sum(1 for x in history_part.splitlines() if x.startswith("    - ")) >= 2
    # a duty's own history does not link to the duty's own page
    duty = pages["duties/demo-2024.01.md"]
    assert "(demo-2024.01.md)" not in duty[duty.index("## 变更历史"):]


def test_a_deleted_duty_keeps_its_title_in_the_change_log(repo):
    edit(repo, "    actions: [每月走访]", "    actions: [每月走访, 建立走访台账]")
    commit(repo, "走访留守儿童增加一项工作")
    path = repo / "responsibilities" / "base.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.index("  - id: demo-2024.03")], encoding="utf-8")
    commit(repo, "删除走访留守儿童一项")
    page = pages_for(repo / "responsibilities")["changes.md"]
    removed = next(x for x in page.splitlines() if x.startswith("- 删除职责"))
    added = [x for x in page.splitlines() if x.startswith("- 新增职责")]
    edited = next(x for x in page.splitlines() if x.startswith("- 工作清单改动"))
    assert all("走访留守儿童" in x for x in (removed, edited))  # by its title in every entry, never by its id
    assert any("走访留守儿童" in x for x in added)
    assert "demo\\-2024\\.03" not in page
