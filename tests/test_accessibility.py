"""Accessibility: axe-core (shipped inside the axe-playwright-python package, so no network) in Chromium on the
pages readers use most — home, a unit's checklist, a duty, a role, and search results — on a desktop and a phone.

Goal: no critical and no serious violation. EXCLUDED lists, rule by rule and selector by selector, what comes from
the Material theme's own markup that the handbook cannot change; today it is empty.
"""
from __future__ import annotations

import pytest

from browser import search

PAGES = {"首页": "", "单位清单": "units/wansheng.minzheng/", "职责": "duties/wansheng-2021-3.10/",
         "岗位": "roles/child-director/", "新人入门": "onboarding/"}
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "mobile": {"width": 390, "height": 844}}
SEARCH_QUERY = "民政局"  # results with highlighted words and unit keywords
EXCLUDED: set[tuple[str, str]] = set()  # (axe rule id, node selector)


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def serious(axe, page) -> list[str]:
    found = []
    for violation in axe.run(page).response["violations"]:
        if violation["impact"] not in ("critical", "serious"):
            continue
        for node in violation["nodes"]:
            selector = " ".join(map(str, node["target"]))
            if (violation["id"], selector) not in EXCLUDED:
                found.append(f"{violation['impact']} {violation['id']}：{selector}\n    {node['html'][:160]}")
    return found


# Material, the default engine. Zensical 0.0.73's own theme has serious findings of its own (contrast of the active
# navigation link and of search results drawn in its shadow root, a focusable hidden palette toggle): to be
# worked through before it becomes the default; then add "zensical" here.
@pytest.mark.parametrize("engine", ["mkdocs"], indirect=True)
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_no_critical_or_serious_violations(browser, base_url, engine, axe, viewport):
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = {}
    try:
        for name, path in PAGES.items():
            page.goto(base_url + path)
            problems[name] = serious(axe, page)
        page.goto(base_url)
        assert search(page, SEARCH_QUERY, engine)[1]
        problems["搜索结果"] = serious(axe, page)
    finally:
        context.close()
    report = {name: found for name, found in problems.items() if found}
    count = sum(map(len, report.values()))
    assert not report, f"{engine} {viewport}：{count} 处严重问题\n" + "\n".join(
        f"【{name}】\n" + "\n".join(found) for name, found in report.items())
