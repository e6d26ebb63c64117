"""Pages for trainers and new child directors, from the bundled data."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from generator import render
from generator.pipeline import load_dataset, validate_dir

from conftest import ROOT



AS_OF = dt.date(2026, 11, 25)

# Every route of the county template's 评估转介机制 (seed 004 part-08, (二)3): situation keyword → unit it goes to.
PART08_ROUTES = {
    "流浪乞讨": "model.jiuzhu-guanli",
    "家庭暴力": "model.gongan",
    "紧急救治": "model.yiyuan",
    "监护缺失": "model.township",
    "失学辍学": "model.township",
    "服刑在押": "model.township",
}


@pytest.fixture(scope="module")
def bundled(bundled_result):
    result = bundled_result
    return result, render.pages(result.dataset, result.graph, AS_OF)


@pytest.fixture(scope="module")
def bundled_result():

    return load_dataset(ROOT / "responsibilities")


def test_child_director_role_page(bundled):
    result, pages = bundled
    page = pages["roles/child-director.md"]
    data = result.dataset
    named = [d for d in data.duties.values() if "child-director" in d.roles]
    assert named, "the bundled data names the child director in some duties"
    for duty in named:
        assert f"(../duties/{duty.id}.md)" in page
    # duties reach the role through the units it sits in (村/社区), too
    village = [d for d in data.duties.values() if any(data.units[u].kind == "village" for u in d.lead + d.support)]
    for duty in village:
        assert f"(../duties/{duty.id}.md)" in page
    # a section per jurisdiction (a trainer teaches one county), in each the frequencies in order
    areas = re.findall(r"^## (\S+) \{", page, re.M)  # in the units list's order: the template last
    assert areas == ["重庆市万盛经开区", "贵州省桐梓县", "某县（范本）"]
    assert set(areas) == {data.documents[d.document].jurisdiction for d in named + village}
    order = ["每次走访", "每周", "每月", "每季度", "每学期", "每年", "发生时", "有截止日期", "长期开展", "未定时限"]
    for section in re.split(r"^## .*$", page, flags=re.M)[1:]:
        headings = re.findall(r"^### (\S+)（\d+）", section, re.M)
        assert headings and headings == [h for h in order if h in headings]
    tongzi = page[page.index("## 贵州省桐梓县"):].split("\n## ")[0]
    assert "### 每周" in tongzi and "### 每月" in tongzi
    assert "已过）" in page  # 2021 deadlines, as of 2026-11-25: （已过） or （2021年7月30日前，已过）
    assert "来源条款" in page and "一页纸简报" in page


def test_referral_table_has_every_part08_route(bundled):
    result, pages = bundled
    page = pages["referrals.md"]
    refs = [r for r in result.dataset.referrals.values() if r.document == "model-county-plan"]
    for keyword, unit in PART08_ROUTES.items():
        matching = [r for r in refs if keyword in r.situation + "".join(r.examples)]
        assert matching, f"no referral for {keyword}"
        assert any(unit in r.to for r in matching), (keyword, [r.to for r in matching])
    schooling = next(r for r in refs if "失学辍学" in r.situation + "".join(r.examples))
    assert "model.jiaoyu" in schooling.notify
    for r in refs:
        assert r.situation.split("、")[0][:4] in page.replace("\\", "")
    assert page.count("| ") > len(refs)
    assert "## 风险等级" in page and "红色" in page and "每周一次" in page


def test_referral_to_unknown_unit_fails_validation(tmp_path):
    import shutil


    data = tmp_path / "responsibilities"
    shutil.copytree(ROOT / "responsibilities", data)
    text = (data / "model-county" / "referrals.yaml").read_text(encoding="utf-8")
    assert "[model.jiuzhu-guanli]" in text
    (data / "model-county" / "referrals.yaml").write_text(
        text.replace("[model.jiuzhu-guanli]", "[model.jiuzhu-guanly]", 1), encoding="utf-8")
    report = validate_dir(data)
    assert [f.code for f in report.errors] == ["E302"]
    assert report.errors[0].file.endswith("referrals.yaml") and "model.jiuzhu-guanli" in report.errors[0].note


def test_reporting_chain_page(bundled):
    result, pages = bundled
    page = pages["reporting.md"]
    for chain in result.dataset.reporting_chains.values():
        assert chain.name in page
    assert "1. **[儿童主任](roles/child-director.md)**" in page


def test_onboarding_path_in_order(bundled):
    _, pages = bundled
    index = pages["onboarding/index.md"]
    steps = re.findall(r"^\d+\. \[[^]]+\]\(([^)]+)\)", index, re.M)
    assert steps[:6] == [f"{x}.md" for x in ("family", "school", "society", "network", "government", "judicial")]
    assert steps[6:] == ["child-director.md", "../reporting.md", "../referrals.md", "mandatory-reporting.md"]
    assert "下一步：[学校保护](school.md)" in pages["onboarding/family.md"]
    assert "强制报告" in pages["onboarding/mandatory-reporting.md"]
    # every step, the pages that live elsewhere too, says where it is and leads on to the next
    assert "第 6 步，共 10 步" in pages["onboarding/judicial.md"] and "下一步：[儿童主任做什么](child-director.md)" \
        in pages["onboarding/judicial.md"]
    assert "第 7 步" in pages["onboarding/child-director.md"] and "下一步：[报告路线](../reporting.md)" \
        in pages["onboarding/child-director.md"]
    assert "第 8 步" in pages["reporting.md"] and "下一步：[转介与风险等级](referrals.md)" in pages["reporting.md"]
    assert "第 9 步" in pages["referrals.md"] and "下一步：[强制报告](onboarding/mandatory-reporting.md)" \
        in pages["referrals.md"]
    assert "第 10 步，共 10 步" in pages["onboarding/mandatory-reporting.md"]
    assert "(../roles/child-director.md)" in pages["onboarding/child-director.md"]  # the whole list is one click away


def test_the_sidebar_follows_the_onboarding_path():
    """MkDocs' previous / next buttons follow the sidebar: it must hold every step, in order."""
    from generator.site import nav_sections
    from generator.training import onboarding_steps

    data = load_dataset(ROOT / "responsibilities").dataset
    section = next(s["新人入门"] for s in nav_sections(data) if "新人入门" in s)
    assert [next(iter(x.values())) for x in section[1:]] == [path for path, _, _ in onboarding_steps(data)]


def test_glossary_and_term_links(bundled):
    result, pages = bundled
    glossary = pages["glossary.md"]
    for term in ("困境儿童", "事实无人抚养儿童", "临时监护", "强制报告"):
        assert f"## {term}" in glossary
    # in pinyin order, as a Chinese reader looks a term up: 长(chang)期 before 从(cong)业 before 儿(er)童
    headings = re.findall(r"^## (\S+)", glossary, re.M)
    assert headings[:3] == ["长期监护", "从业限制（入职查询）", "儿童督导员"] and headings[-1] == "一站式询问救助"
    linked = [p for p in pages.values() if "glossary.md#" in p]
    assert linked, "terms in duty texts link to the glossary"


def test_brief_is_one_page_of_essentials(bundled):
    _, pages = bundled
    brief = pages["roles/child-director-brief.md"]
    assert "## 转介速查" in brief and "## 求助电话" in brief and "12345" in brief
    assert len(brief) < 6000


def test_onboarding_pages_build_strict(bundled_site):
    for path in ("onboarding/index.html", "onboarding/family/index.html", "onboarding/mandatory-reporting/index.html",
                 "roles/child-director/index.html", "roles/child-director-brief/index.html", "reporting/index.html",
                 "referrals/index.html", "glossary/index.html"):
        assert (bundled_site / path).is_file(), path
