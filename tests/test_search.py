"""Search as readers use it, in a real Chromium against a real build of the bundled data.

A member unit types its own name, full or short, or only the office part of it (民政局); a trainer types a term from
the glossary. Each must find its page among the first five results. One page and one browser serve every query.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from browser import describe, open_search, search_again
from conftest import ROOT
from generator.pipeline import load_dataset

DATA = load_dataset(ROOT / "responsibilities").dataset
TOP = 5


def name_queries() -> list[tuple[str, str]]:
    """(query, page that must be among the first results): every unit's full and short name, every glossary term."""
    out = []
    for unit in DATA.units.values():
        for name in dict.fromkeys(n for n in (unit.name, unit.short_name) if n):
            out.append((name, f"units/{unit.id}/"))
    for term in DATA.terms.values():
        out.append((term.term, "glossary/"))
    return out


# What a reader types that is not a whole name: the office part alone, and brackets typed half-width.
PARTIAL_QUERIES = [
    ("教育局", "units/wansheng.jiaoyu/"), ("教育局", "units/tongzi.jiaoyu/"), ("教育局", "units/model.jiaoyu/"),
    ("民政局", "units/wansheng.minzheng/"), ("民政局", "units/tongzi.minzheng/"), ("民政局", "units/model.minzheng/"),
    ("公安局", "units/tongzi.gongan/"), ("公安局", "units/model.gongan/"),
    ("村(社区)", "units/tongzi.village/"), ("乡镇(街道)", "units/model.township/"), ("村(居)", "units/model.village/"),
    ("社区", "units/tongzi.village/"),
]


@pytest.fixture(scope="module")
def search_page(browser, base_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(base_url)
    open_search(page)
    yield page, base_url, errors
    context.close()


def misses(search_page, queries: list[tuple[str, str]]) -> list[str]:
    page, base, _ = search_page
    out = []
    for query, target in queries:
        hits = search_again(page, query)
        found = [h.url.removeprefix(base) for h in hits]
        if target not in found[:TOP]:
            rank = found.index(target) + 1 if target in found else "不在前十"
            out.append(f"「{query}」→ {target}（名次：{rank}）\n{describe(hits[:TOP])}")
    return out


def test_every_unit_name_and_glossary_term_finds_its_page(search_page):
    queries = name_queries()
    assert len(queries) > 150  # every unit and term of the bundled data, not a sample
    failed = misses(search_page, queries)
    assert not failed, f"{len(failed)} / {len(queries)} 个查询没有在前 {TOP} 条结果中找到自己的页面：\n" + "\n".join(failed)
    assert not search_page[2], search_page[2]


def test_part_of_a_name_finds_every_unit_it_names(search_page):
    failed = misses(search_page, PARTIAL_QUERIES)
    assert not failed, "\n".join(failed)


# ---------------------------------------------------------------- what Material indexes (no browser)

@pytest.fixture(scope="module")
def index(bundled_site) -> dict:
    return json.loads((bundled_site / "search" / "search_index.json").read_text(encoding="utf-8"))


def tokens(index: dict, value: str) -> list[str]:
    return [t for t in re.split(index["config"]["separator"], value) if t]


def test_brackets_never_end_up_inside_an_indexed_word(index):
    # A query is split with the same separator; a word with a bracket in it can never be typed whole
    for entry in index["docs"]:
        for word in tokens(index, entry["title"]) + tokens(index, entry.get("text", "")):
            assert not re.search(r"[（）()【】〔〕《》]", word), (entry["location"], word)


def test_unit_titles_are_indexed_as_words(index):
    titles = {e["location"]: tokens(index, e["title"]) for e in index["docs"]}
    assert "民政局" in titles["units/wansheng.minzheng/"]
    assert "民政局" in titles["units/model.minzheng/"]
    assert "公安局" in titles["units/model.gongan/"]
    assert "教导处" in titles["units/zhangdu.academic-affairs/"]


def test_full_unit_names_are_cut_after_their_jurisdiction():
    import jieba

    from generator.search import add_words_to_segmenter, jurisdiction_prefixes

    assert jurisdiction_prefixes([["桐梓县民政局", "桐梓县教育局", "中共桐梓县委宣传部"], ["章渡学校", "章渡学校教导处", "章渡学校德育处"],
                                  ["独一个单位"]]) == {"桐梓县", "章渡学校"}
    add_words_to_segmenter(DATA)
    cuts = {u.name: list(jieba.cut(u.name)) for u in DATA.units.values()}
    assert cuts["万盛经开区民政局"] == ["万盛经开区", "民政局"]
    assert cuts["某县公安局"] == ["某县", "公安局"]  # not 某 / 县公安局
    assert cuts["章渡学校教导处"] == ["章渡学校", "教导处"]
    assert all(len(words) > 1 for name, words in cuts.items() if name != "章渡学校"), cuts
