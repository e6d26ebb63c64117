"""Helpers for the browser tests: build the handbook, serve it, drive Material's search in Chromium.

Chromium comes from the system (Debian's `chromium` package, installed by `make system-deps`); Playwright only
drives it. `playwright install` is never needed.
"""
from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-25"
CHROMIUM = os.environ.get("QINGDAN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SYSTEM_DEPS_HINT = "请先运行 `make system-deps`（安装 Debian 的 chromium 和 fonts-noto-cjk）。"

# Material's texts in the result box (theme.language: zh).
INITIALISING = "正在初始化搜索引擎"
RESULTS_SELECTOR = "li.md-search-result__item"


def missing_system_deps() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        return f"找不到 Chromium（{CHROMIUM}）。{SYSTEM_DEPS_HINT}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "没有安装 Python 包 playwright。请运行 `make test`（会执行 pip install -e '.[test]'）。"
    return None


def cjk_font_installed() -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    out = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, check=False).stdout
    return bool(out.strip())


@contextmanager
def chromium() -> Iterator:
    """Debian's Chromium launched through Playwright, for a test session; a test fails saying what to install
    when it is missing."""
    import pytest

    problem = missing_system_deps()
    if problem:
        pytest.fail(problem, pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def build_sites(**outs: tuple[Path, bool]) -> dict[str, Path]:
    """`qingdan build` on the bundled data, as a user runs it: name -> (output folder, offline?).

    The builds run side by side; each takes several seconds.
    """
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    running = {}
    for name, (out, offline) in outs.items():
        cmd = [sys.executable, "-m", "generator", "build", "--as-of", AS_OF, "--out", str(out)]
        if offline:
            cmd.append("--offline")
        running[name] = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                         text=True)
    failures = []
    for name, process in running.items():
        output, _ = process.communicate(timeout=300)
        if process.returncode != 0 or not (outs[name][0] / "index.html").is_file():
            failures.append(f"qingdan build（{name}）失败：\n{output}")
    assert not failures, "\n".join(failures)
    return {name: out for name, (out, _) in outs.items()}


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 with a free port; yields the base URL (ending in /)."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass(frozen=True)
class Hit:
    """One search result: the page it links to (query string dropped) and its title."""
    url: str
    title: str


def clean(text: str) -> str:
    """Text as a reader sees it: without the zero-width spaces jieba's segmentation leaves in the index."""
    return " ".join(text.replace("\u200b", "").split())


def search(page, query: str, *, timeout: float = 15_000) -> tuple[str, list[Hit]]:
    """Type `query` into Material's search box the way a reader does; return the result count line and the hits.

    Only the first batch Material renders (10 pages) is returned: what a reader sees without scrolling.
    """
    box = page.locator("input.md-search__input")
    page.keyboard.press("/")  # Material's shortcut: opens the search dialog and focuses the field
    if not box.evaluate("el => el === document.activeElement"):
        box.click()  # shortcut not handled (yet): open search the other way a reader would
    meta = page.locator(".md-search-result__meta")
    # The worker gets the index when search is first opened (on file:// only then); wait until it is ready.
    page.wait_for_function(
        "text => !document.querySelector('.md-search-result__meta').textContent.includes(text)",
        arg=INITIALISING, timeout=timeout)
    box.fill(query)
    box.press("End")  # the search runs on key events, not on a value set from outside
    page.wait_for_function(
        """() => {
            const meta = document.querySelector('.md-search-result__meta').textContent;
            if (/没有找到/.test(meta)) return true;
            return /符合条件的结果/.test(meta) && document.querySelector('li.md-search-result__item h1') !== null;
        }""", timeout=timeout)
    hits = []
    for item in page.locator(RESULTS_SELECTOR).all():
        link = item.locator("a.md-search-result__link").first
        href = link.get_attribute("href") or ""
        hits.append(Hit(url=href.split("?", 1)[0].split("#", 1)[0], title=clean(link.locator("h1").inner_text())))
    return clean(meta.inner_text()), hits


def open_search(page, *, timeout: float = 15_000) -> None:
    """Open Material's search dialog and wait until its worker has the index."""
    page.keyboard.press("/")
    box = page.locator("input.md-search__input")
    if not box.evaluate("el => el === document.activeElement"):
        box.click()
    page.wait_for_function(
        "text => !document.querySelector('.md-search-result__meta').textContent.includes(text)",
        arg=INITIALISING, timeout=timeout)


def search_again(page, query: str, *, timeout: float = 15_000) -> list[Hit]:
    """One more query in an already open search dialog (see open_search): the hits a reader sees first.

    The box is emptied first and the dialog seen back at its prompt, so the hits read are this query's, never the
    previous one's still on screen.
    """
    box = page.locator("input.md-search__input")
    box.fill("")
    box.press("End")
    page.wait_for_function("() => /键入/.test(document.querySelector('.md-search-result__meta').textContent)",
                           timeout=timeout)
    box.fill(query)
    box.press("End")  # the search runs on key events, not on a value set from outside
    page.wait_for_function(
        """() => {
            const meta = document.querySelector('.md-search-result__meta').textContent;
            return /没有找到/.test(meta)
                || (/符合条件的结果/.test(meta) && document.querySelector('li.md-search-result__item h1') !== null);
        }""", timeout=timeout)
    found = page.eval_on_selector_all(
        "li.md-search-result__item > a.md-search-result__link",
        "links => links.map(a => [a.getAttribute('href'), (a.querySelector('h1') || a).textContent])")
    return [Hit(url=href.split("?", 1)[0].split("#", 1)[0], title=clean(title)) for href, title in found]


def describe(hits: list[Hit]) -> str:
    return "\n".join(f"  {h.title}  {h.url}" for h in hits) or "  （没有结果）"


def unit_page_screenshot(page, base_url: str) -> bytes:
    """The top of a real unit page as a reader first sees it, as PNG bytes."""
    page.set_viewport_size({"width": 1280, "height": 1600})
    page.goto(f"{base_url}units/wansheng.minzheng/")
    assert clean(page.locator("article h1").first.inner_text()) == "万盛经开区民政局"
    page.evaluate("document.fonts.ready")
    # animations="disabled" finishes the sidebar chevrons' rotation, which otherwise is caught half-way
    return page.screenshot(animations="disabled")


def main(target: str) -> None:
    """`make screenshot`: build the bundled handbook, photograph a unit page, write it to `target`."""
    import tempfile

    from playwright.sync_api import sync_playwright

    problem = missing_system_deps()
    if problem:
        raise SystemExit(problem)
    with tempfile.TemporaryDirectory() as tmp:
        site = build_sites(http=(Path(tmp) / "site", False))["http"]
        with serve(site) as url, sync_playwright() as pw:
            chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            png = unit_page_screenshot(chromium.new_page(), url)
            chromium.close()
    Path(target).write_bytes(png)
    print(f"已写入 {target}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "docs" / "assets" / "unit-page.png"))
