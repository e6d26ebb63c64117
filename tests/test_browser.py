"""The built handbook in a real headless Chromium: Chinese search over http, the offline build from file://, and the
README screenshot.

Needs Debian's chromium and fonts-noto-cjk (`make system-deps`); without them these tests fail and say so.
Both sites are built once per session from the bundled data in responsibilities/.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from browser import SYSTEM_DEPS_HINT, Hit, cjk_font_installed, clean, describe, search, unit_page_screenshot
from conftest import ROOT

# The browser, the two built sites and the watched page are fixtures in conftest.py, shared with the other
# browser tests (search, accessibility, hostile data).


def paths(hits: list[Hit], base: str) -> list[str]:
    return [h.url.removeprefix(base) for h in hits]


# ---------------------------------------------------------------- search over http

# query -> pages (relative to the site root) that must be among the first results a reader sees, with their titles
HTTP_QUERIES = {
    "强制报告": {"duties/wansheng-2021-3.10/": "严格执行强制报告制度"},
    "儿童主任": {"roles/child-director/": "儿童主任"},
    "事实无人抚养儿童": {"duties/wansheng-2021-3.19/": "加强困境未成年人分类保障",
                       "duties/tongzi-2021.special-groups/": "四类特殊未成年人群体关爱保护"},
    "区民政局": {"units/wansheng.minzheng/": "万盛经开区民政局"},
}


@pytest.mark.parametrize("query", list(HTTP_QUERIES))
def test_chinese_search_over_http(watched, base_url, query):
    page = watched.page
    page.goto(base_url)
    meta, hits = search(page, query)
    found = dict(zip(paths(hits, base_url), (h.title for h in hits)))
    for path, title in HTTP_QUERIES[query].items():
        assert found.get(path) == title, f"搜索「{query}」（{meta}）的前几条结果中没有 {path}「{title}」：\n{describe(hits)}"
    assert not watched.errors, watched.errors


def test_search_highlights_the_query_on_the_result_page(watched, base_url):
    page = watched.page
    page.goto(base_url)
    _, hits = search(page, "强制报告")
    assert hits[0].title == "严格执行强制报告制度", describe(hits)
    page.locator("li.md-search-result__item a.md-search-result__link").first.click()
    page.wait_for_url(f"{base_url}duties/wansheng-2021-3.10/**")
    assert clean(page.locator("article h1").first.inner_text()) == "严格执行强制报告制度"
    assert "强制报告" in [clean(t) for t in page.locator("article mark").all_inner_texts()]
    assert not watched.errors, watched.errors


@pytest.mark.parametrize("query,path", [("县妇联", "units/tongzi.fulian/"), ("区教育局", "units/wansheng.jiaoyu/"),
                                        ("德育处", "units/zhangdu.moral-education/")])
def test_unit_short_name_finds_its_unit_page_first(watched, base_url, query, path):
    # Needs qingdan's one-character fix to Material's query segmenter (site.fix_search_segmenter): without it a
    # query that is a whole indexed word loses its last character (县妇联 → 县*) and the unit page is not found.
    page = watched.page
    page.goto(base_url)
    meta, hits = search(page, query)
    assert paths(hits, base_url)[:1] == [path], f"{meta}\n{describe(hits)}"


# ---------------------------------------------------------------- offline build from file://

def test_offline_navigation_from_file(offline, offline_site):
    page = offline.page
    page.goto((offline_site / "index.html").as_uri())
    assert clean(page.locator("article h1").first.inner_text()) == "未成年人保护工作责任清单"

    page.locator("article a", has_text="单位一览").first.click()
    page.wait_for_url("**/units/index.html")
    assert clean(page.locator("article h1").first.inner_text()) == "单位一览"

    page.locator("article a[href='tongzi.fulian.html']").click()
    page.wait_for_url("**/units/tongzi.fulian.html")
    assert clean(page.locator("article h1").first.inner_text()) == "桐梓县妇女联合会"
    assert "简称：县妇联" in clean(page.locator("article").inner_text())

    # the sidebar works too: back to the top-level section through the navigation
    page.locator(".md-sidebar--primary a.md-nav__link", has_text="时限总览").first.click()
    page.wait_for_url("**/deadlines.html")
    assert clean(page.locator("article h1").first.inner_text()) == "时限总览"

    assert not offline.errors, offline.errors
    assert not offline.network, f"离线手册访问了网络：{offline.network}"


# query -> (page to search from, expected result, its title); one search starts one folder down, so the worker
# and the index are found relative to the page
OFFLINE_QUERIES = {
    "强制报告": ("index.html", "duties/wansheng-2021-3.10.html", "严格执行强制报告制度"),
    "区民政局": ("units/tongzi.fulian.html", "units/wansheng.minzheng.html", "万盛经开区民政局"),
}


@pytest.mark.parametrize("query", list(OFFLINE_QUERIES))
def test_offline_search_from_file(offline, offline_site, query):
    start, path, title = OFFLINE_QUERIES[query]
    page = offline.page
    page.goto((offline_site / start).as_uri())
    # our shim, not unpkg's iframe-worker, provides the worker
    assert page.locator("script[src*='unpkg']").count() == 0
    assert page.evaluate("window.Worker === window.IFrameWorker")
    meta, hits = search(page, query)
    found = dict(zip(paths(hits, offline_site.as_uri() + "/"), (h.title for h in hits)))
    assert found.get(path) == title, f"离线版搜索「{query}」（{meta}）的结果中没有 {path}「{title}」：\n{describe(hits)}"

    # following the result opens the page from disk
    page.locator(f"li.md-search-result__item a.md-search-result__link[href*='{path}']").first.click()
    page.wait_for_url(f"**/{path}*")
    assert clean(page.locator("article h1").first.inner_text()) == title
    assert not offline.errors, offline.errors
    assert not offline.network, f"离线手册访问了网络：{offline.network}"


# ---------------------------------------------------------------- README screenshot

def test_unit_page_screenshot(watched, base_url, tmp_path):
    """The README's picture is taken the same way (`make screenshot`); here it must come out readable."""
    if not cjk_font_installed():
        pytest.fail(f"没有中文字体，截图里的汉字会是方框。{SYSTEM_DEPS_HINT}", pytrace=False)
    png = unit_page_screenshot(watched.page, base_url)
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (1280, 1600)
    assert not watched.errors, watched.errors


@pytest.mark.parametrize("path", ["reporting/", "graph/", "units/wansheng.jiaoyu/"])
def test_pictures_use_the_width_of_the_page(watched, base_url, path):
    """A wide, short picture (a reporting chain) once came out 300 px wide: Material's figures shrink to their
    content, and an SVG sized in % then falls back to the browser's default size."""
    page = watched.page
    page.goto(base_url + path)
    content = page.locator("article.md-content__inner").bounding_box()["width"]
    widths = [page.locator("figure.qd-graph svg").nth(i).bounding_box()["width"]
              for i in range(page.locator("figure.qd-graph svg").count())]
    assert widths
    natural = page.evaluate("[...document.querySelectorAll('figure.qd-graph svg')]"
                            ".map(s => s.viewBox.baseVal.width * 4 / 3)")  # pt → px
    assert all(w >= min(n, content) - 2 for w, n in zip(widths, natural)), (widths, natural, content)


def test_every_one_page_brief_prints_on_one_a4_page(watched, base_url):
    import re

    from generator.pipeline import load_dataset

    page = watched.page
    for role in load_dataset(ROOT / "responsibilities").dataset.roles:
        page.goto(f"{base_url}roles/{role}-brief/")
        pdf = page.pdf(format="A4", prefer_css_page_size=True)
        assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1, role
