"""Checklist ticks are remembered in the reader's browser (localStorage), per page and item, and the page says so.

Keys are the items' stable ids (the duty's id, an action's text), never their position: a duty that moves to another
deadline group, or a new duty above it, keeps its tick.
"""
from __future__ import annotations

import datetime as dt
import re

from browser import clean
from conftest import ROOT
from generator.pipeline import load_dataset
from generator.render import pages

NOTICE = "勾选只保存在这个浏览器里"
UNIT = "units/wansheng.minzheng"


def task_keys(markdown: str) -> list[str]:
    return re.findall(r'data-qd-task="([^"]+)"', markdown)


def test_every_checklist_item_has_a_stable_key():
    result = load_dataset(ROOT / "responsibilities")
    built = pages(result.dataset, result.graph, dt.date(2026, 11, 25))
    page = built[f"{UNIT}.md"]
    items = page.count("- [ ] ")
    keys = task_keys(page)
    assert items > 10 and len(keys) == items and len(set(keys)) == items
    assert all(k.startswith(f"{UNIT}.md#wansheng-") for k in keys)
    # a later date regroups the duties (due soon, overdue): their keys stay the same
    later = pages(result.dataset, result.graph, dt.date(2031, 1, 1))[f"{UNIT}.md"]
    assert sorted(task_keys(later)) == sorted(keys)
    assert NOTICE in page
    duty = built["duties/wansheng-2021-3.10.md"]
    assert len(task_keys(duty)) == duty.count("- [ ] ") > 0 and NOTICE in duty


def tick(page, item) -> None:
    """Click the box a reader sees (Material draws it over the hidden input), with the mouse."""
    item.scroll_into_view_if_needed()
    box = item.locator(":scope > label > input").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def tick_and_reload(page, url: str) -> None:
    page.goto(url)
    assert NOTICE in clean(page.locator("article").inner_text())
    boxes = page.locator("li.task-list-item[data-qd-task] > label > input[type=checkbox]")
    assert boxes.count() > 10
    top = page.locator("article > ul.task-list > li.task-list-item[data-qd-task]").first
    key = top.get_attribute("data-qd-task")
    sub = top.locator("ul li.task-list-item[data-qd-task]").first
    sub_key = sub.get_attribute("data-qd-task")
    tick(page, top)
    tick(page, sub)
    page.reload()
    ticked = page.eval_on_selector_all("li.task-list-item[data-qd-task]",
                                       "items => items.filter(li => li.querySelector(':scope > label > input').checked)"
                                       ".map(li => li.dataset.qdTask)")
    assert sorted(ticked) == sorted([key, sub_key])
    # unticking is remembered too
    tick(page, page.locator(f"li.task-list-item[data-qd-task='{key}']"))
    page.reload()
    assert not page.locator(f"li.task-list-item[data-qd-task='{key}'] > label > input").is_checked()
    assert page.locator(f"li.task-list-item[data-qd-task='{sub_key}'] > label > input").is_checked()


def test_ticks_survive_a_reload_over_http(watched, base_url):
    tick_and_reload(watched.page, f"{base_url}{UNIT}/")
    assert not watched.errors, watched.errors


def test_ticks_survive_a_reload_from_file(offline, offline_site):
    tick_and_reload(offline.page, (offline_site / f"{UNIT}.html").as_uri())
    assert not offline.errors, offline.errors
    assert not offline.network
