"""Real MkDocs builds: strict, deterministic, offline, escaped, and never half-written."""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from generator.pipeline import load_dataset
from generator.project import generate

from conftest import AS_OF, FIXTURES, ROOT, build_site


def tree_hashes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_plain_mkdocs_build_is_strict_clean(tmp_path):
    env = {**os.environ, "QINGDAN_AS_OF": AS_OF, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "out")],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "WARNING" not in proc.stderr
    assert (tmp_path / "out" / "units" / "wansheng.minzheng" / "index.html").is_file()
    worker = next((tmp_path / "out" / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    assert "o<=t.length" in worker.read_text(encoding="utf-8")  # the plugin hands MkDocs the fixed worker too


def test_every_page_kind_is_built(bundled_site):
    for path in ["index.html", "deadlines/index.html", "lines/index.html", "lines/family/index.html",
                 "units/index.html", "units/kind-government/index.html", "units/wansheng.minzheng/index.html",
                 "duties/wansheng-2021-3.10/index.html", "roles/index.html", "roles/child-director/index.html",
                 "documents/index.html", "documents/tongzi-2021/index.html", "guide/editing/index.html",
                 "downloads/wansheng.minzheng.xlsx", "downloads/wansheng.minzheng.ics"]:
        assert (bundled_site / path).is_file(), path


def test_generated_pages_are_deterministic():
    import datetime as dt

    one, two = load_dataset(ROOT / "responsibilities"), load_dataset(ROOT / "responsibilities")
    first = generate(one.dataset, one.graph, dt.date(2026, 11, 25))
    second = generate(two.dataset, two.graph, dt.date(2026, 11, 25))
    assert first.keys() == second.keys()
    assert all(first[k] == second[k] for k in first)


def test_two_builds_give_identical_pages(tmp_path, engine, http_site):
    again = tmp_path / "again"
    assert build_site(again, ROOT / "responsibilities", engine=engine).returncode == 0
    a, b = tree_hashes(http_site), tree_hashes(again)
    assert a.keys() == b.keys()
    # sitemap.xml.gz carries gzip's own timestamp; everything a reader sees is byte-identical
    differing = sorted(k for k in a if a[k] != b[k] and not k.endswith(".gz"))
    assert differing == []


OUTSIDE = re.compile(r"""(?:src|href|action|poster|data)\s*=\s*["']?(?:https?:)?//(?!127\.0\.0\.1|localhost)""", re.I)
CSS_OUTSIDE = re.compile(r"""(?:url\(\s*["']?|@import\s+["']?)(?:https?:)?//""", re.I)


def test_no_reference_to_outside_hosts(sites):
    """Both engines' handbooks, for http and for file://: nothing in them loads from another host."""
    offenders = []
    for path in [*sites["http"].rglob("*"), *sites["offline"].rglob("*")]:
        if path.suffix == ".html":
            text = path.read_text(encoding="utf-8")
            offenders += [(path.name, m.group(0)) for m in OUTSIDE.finditer(text)]
            offenders += [(path.name, m.group(0)) for m in re.finditer(r"fonts\.googleapis|fonts\.gstatic", text)]
        elif path.suffix == ".css":
            offenders += [(path.name, m.group(0)) for m in CSS_OUTSIDE.finditer(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_offline_build_loads_no_unpkg_shim(tmp_path):
    out = tmp_path / "offline"
    proc = build_site(out, ROOT / "responsibilities", "--offline")
    assert proc.returncode == 0, proc.stderr
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "unpkg.com" not in home
    assert 'src="assets/qingdan/iframe-worker.js"' in home
    assert (out / "search" / "search_index.js").is_file()
    assert 'href="units/index.html"' in home  # file:// needs explicit index.html links


def test_text_from_data_is_escaped(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "minimal", data)
    base = data / "base.yaml"
    hostile = "<script>alert(1)</script> **粗体** [链接](javascript:alert(2)) | 竖线 `代码` <b>加粗</b>"
    text = base.read_text(encoding="utf-8").replace("summary: 儿童主任定期走访。",
                                                    f"summary: '{hostile}'")
    text = text.replace("title: 走访留守儿童", "title: '# 走访 <i>留守</i> 儿童'")
    base.write_text(text, encoding="utf-8")
    out = tmp_path / "site"
    proc = build_site(out, data)
    assert proc.returncode == 0, proc.stderr
    html = (out / "duties" / "demo-2024.03" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "<strong>粗体</strong>" not in html and "**粗体**" in html
    assert 'href="javascript:' not in html
    assert "<code>代码</code>" not in html and "<b>加粗</b>" not in html
    assert "# 走访 &lt;i&gt;留守&lt;/i&gt; 儿童" in html


def _break(data: Path) -> None:
    base = data / "base.yaml"
    base.write_text(base.read_text(encoding="utf-8").replace("lead: [demo.minzheng]", "lead: [demo.minzhen]"),
                    encoding="utf-8")


def test_failed_validation_leaves_previous_site_intact(tmp_path, engine):
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "minimal", data)
    out = tmp_path / "site"
    assert build_site(out, data, engine=engine).returncode == 0
    before = tree_hashes(out)
    _break(data)
    proc = build_site(out, data, engine=engine)
    assert proc.returncode == 1
    assert "E302" in proc.stdout + proc.stderr and "没有生成手册" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert tree_hashes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "site"]  # no scratch folder left behind


def test_plain_mkdocs_build_with_bad_data_keeps_site(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "minimal", data)
    out = tmp_path / "site"
    env = {**os.environ, "QINGDAN_AS_OF": AS_OF, "QINGDAN_DATA": str(data), "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)]
    assert subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True).returncode == 0
    before = tree_hashes(out)
    _break(data)
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    assert proc.returncode != 0 and "E302" in proc.stderr
    assert tree_hashes(out) == before


def test_handwritten_page_is_never_overwritten(tmp_path, engine):
    project = tmp_path / "project"
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    (project / "docs" / "deadlines.md").write_text("# 我自己写的时限页\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "generator", "build", "--data", str(ROOT / "responsibilities"),
                           "--out", str(project / "site"), "--as-of", AS_OF, "--engine", engine], cwd=project,
                          capture_output=True, text=True)
    assert proc.returncode == 1 and "deadlines.md" in proc.stderr
    assert (project / "docs" / "deadlines.md").read_text(encoding="utf-8") == "# 我自己写的时限页\n"
    assert not (project / "site").exists()


def test_rebuild_after_one_change_touches_only_what_changed(tmp_path, engine):
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "minimal", data)
    out = tmp_path / "site"
    assert build_site(out, data, engine=engine).returncode == 0
    before = {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    base = data / "base.yaml"
    base.write_text(base.read_text(encoding="utf-8").replace("summary: 儿童主任定期走访。", "summary: 儿童主任每月走访。"),
                    encoding="utf-8")
    assert build_site(out, data, engine=engine).returncode == 0
    after = {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    assert before.keys() == after.keys()
    changed = sorted(k for k in after if after[k] != before[k])
    # the duty page itself, the search index and the sitemap (which carries build times); nothing else
    assert "duties/demo-2024.03/index.html" in changed
    assert set(changed) <= {"duties/demo-2024.03/index.html", "search/search_index.json", "search.json",
                            "sitemap.xml", "sitemap.xml.gz", "onboarding/family/index.html"}, changed
    assert "units/demo.minzheng/index.html" not in changed and "index.html" not in changed


def test_build_reads_the_data_once(tmp_path, monkeypatch):
    import datetime as dt

    from generator import publish

    calls = []

    def counted(path):
        calls.append(path)
        return load_dataset(path)

    monkeypatch.setattr(publish, "load_dataset", counted)
    publish.build(ROOT / "mkdocs.yml", tmp_path / "site", data=FIXTURES / "minimal", as_of=dt.date(2024, 5, 1))
    assert len(calls) == 1


def test_build_never_replaces_a_folder_it_did_not_make(tmp_path, engine):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "important.txt").write_text("不能丢", encoding="utf-8")
    proc = build_site(mine, FIXTURES / "minimal", engine=engine)
    assert proc.returncode == 2 and "不是 qingdan 生成的内容" in proc.stderr and "Traceback" not in proc.stderr
    assert [p.name for p in mine.iterdir()] == ["important.txt"]

    a_file = tmp_path / "notes.txt"
    a_file.write_text("文件", encoding="utf-8")
    proc = build_site(a_file, FIXTURES / "minimal", engine=engine)
    assert proc.returncode == 2 and "是一个文件" in proc.stderr and a_file.read_text(encoding="utf-8") == "文件"

    ours = tmp_path / "site"
    # a new folder, then rebuilding our own site
    assert build_site(ours, FIXTURES / "minimal", engine=engine).returncode == 0
    assert build_site(ours, FIXTURES / "minimal", engine=engine).returncode == 0
    (tmp_path / "empty").mkdir()
    assert build_site(tmp_path / "empty", FIXTURES / "minimal", engine=engine).returncode == 0


def test_build_refuses_to_write_over_the_project():
    import pytest

    from generator.publish import OutputRefused, check_output

    for out in (ROOT, ROOT.parent, ROOT / "docs", ROOT / "docs" / "out", ROOT / "responsibilities"):
        with pytest.raises(OutputRefused):
            check_output(out, ROOT / "mkdocs.yml")


def test_pictures_are_not_in_the_search_index(sites, engine):
    """A picture's labels repeat what its page says; its markup and node ids must not reach search."""
    index = {"mkdocs": "search/search_index.json", "zensical": "search.json"}[engine]
    text = (sites["http"] / index).read_text(encoding="utf-8")
    assert "qd-graph" not in text and "<svg" not in text and "&#45;&gt;" not in text and "<object" not in text
    assert (sites["http"] / "pictures" / "units" / "wansheng.minzheng.svg").is_file()


def test_a_kind_page_lists_its_units_outside_search(sites, engine):
    """Each unit is found on its own page; the list of every unit of a kind is thousands of names at province size,
    more than Zensical takes into one search entry (its build stopped)."""
    import json

    index = {"mkdocs": "search/search_index.json", "zensical": "search.json"}[engine]
    data = json.loads((sites["http"] / index).read_text(encoding="utf-8"))
    entries = [e for e in data.get("docs") or data.get("items") if e["location"].startswith("units/kind-government/")]
    assert entries and any(e["title"] == "政府部门" for e in entries)
    assert not [e for e in entries if "区民政局" in e["text"]]


def test_the_project_is_byte_identical_for_the_same_data():
    import datetime as dt

    from generator.project import project_files

    one, two = load_dataset(ROOT / "responsibilities"), load_dataset(ROOT / "responsibilities")
    first = project_files(ROOT / "mkdocs.yml", one.dataset, one.graph, dt.date(2026, 11, 25))
    second = project_files(ROOT / "mkdocs.yml", two.dataset, two.graph, dt.date(2026, 11, 25))
    assert first.keys() == second.keys() and all(first[k] == second[k] for k in first)
    assert "mkdocs.yml" in first and "docs/guide/editing.md" in first and "docs/units/wansheng.minzheng.md" in first


def test_a_warning_from_the_engine_fails_the_build_and_keeps_the_site(tmp_path, engine):
    """A hand-written page with a broken link: both engines stop (strict), say so in Chinese, change nothing."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    out = project / "site"
    cmd = [sys.executable, "-m", "generator", "build", "--data", str(FIXTURES / "minimal"), "--out", str(out),
           "--as-of", AS_OF, "--engine", engine]
    assert subprocess.run(cmd, cwd=project, capture_output=True).returncode == 0
    before = tree_hashes(out)
    with open(project / "docs" / "guide" / "index.md", "a", encoding="utf-8") as page:
        page.write("\n[不存在的页面](nowhere.md)\n")
    proc = subprocess.run(cmd, cwd=project, capture_output=True, text=True)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "nowhere.md" in proc.stderr or "guide/index.md" in proc.stderr, proc.stderr
    assert "警告" in proc.stderr and "生成失败，原有的输出目录未改动" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert tree_hashes(out) == before
    assert sorted(p.name for p in project.iterdir()) == ["docs", "mkdocs.yml", "site"]


def test_pages_writes_a_project_each_engine_builds_without_qingdan(tmp_path, engine):
    """`qingdan pages` is the whole handbook: `mkdocs build` / `zensical build` in that folder need no plugin."""
    out = tmp_path / "handbook"
    proc = subprocess.run([sys.executable, "-m", "generator", "pages", "--data", str(FIXTURES / "minimal"),
                           "--out", str(out), "--as-of", AS_OF], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    from generator.project import read_config

    plugins = [p if isinstance(p, str) else next(iter(p)) for p in read_config(out / "mkdocs.yml")["plugins"]]
    assert "qingdan" not in plugins and "search" in plugins
    tool = {"mkdocs": ["-m", "mkdocs", "build", "--strict"], "zensical": ["-m", "zensical", "build", "--strict"]}
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([sys.executable, *tool[engine]], cwd=out, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    site = out / "site"
    assert (site / "units" / "demo.minzheng" / "index.html").is_file()
    assert (site / "guide" / "editing" / "index.html").is_file()  # the hand-written pages are part of it
    assert (site / "pictures" / "units" / "demo.minzheng.svg").is_file()
    assert "qingdan.css" in (site / "index.html").read_text(encoding="utf-8")


def test_the_project_lists_the_configured_jurisdictions_first(tmp_path):
    """`jurisdictions` under the qingdan plugin in mkdocs.yml holds for every engine, not only inside MkDocs."""
    import datetime as dt
    import re

    from generator.project import project_files

    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "      as_of: !ENV [QINGDAN_AS_OF, \"\"]\n", "      as_of: !ENV [QINGDAN_AS_OF, \"\"]\n      jurisdictions: [章渡学校]\n")
    assert "jurisdictions: [章渡学校]" in config
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    result = load_dataset(ROOT / "responsibilities")
    files = project_files(tmp_path / "mkdocs.yml", result.dataset, result.graph, dt.date(2026, 11, 25))
    areas = re.findall(r"^## (.+)$", files["docs/units/index.md"], re.M)
    assert areas[0] == "章渡学校" and areas[-1] == "某县（范本）"
    assert files["mkdocs.yml"].index("- 章渡学校:") < files["mkdocs.yml"].index("- 重庆市万盛经开区:")
