"""Both site engines side by side on the same synthetic data: build time, peak memory, what a browser downloads to
search, and how long a reader waits for the first search result in Chromium.

    python benchmarks/engines.py [--base-counties 6] [--sizes 1,4,16] [--out FILE]

For each size one data set is written (benchmarks/synth.py) and `qingdan build --engine E` runs on it as a user
runs it. Peak memory is sampled every 50 ms over the whole process tree (qingdan and, for Zensical, its own
process), so it is what the machine needs, not one process's share. Search is measured over http from a local
server in headless Chromium (Debian's chromium): the bytes of every search file the page fetches (index, worker,
its scripts), and the time from opening the home page to the first result for 强制报告 (index fetched and loaded
first), then for a second query on the same page.
"""
from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402 - the browser tests' own settings

ENGINES = ("mkdocs", "zensical")
QUERIES = ("强制报告", "留守儿童关爱")
RESULT = {"mkdocs": "li.md-search-result__item", "zensical": "a[role=option]"}
SEARCH_FILES = ("search", "lunr/", "workers/")  # what a page (or its search worker) fetches for search, by URL


@contextmanager
def serve_counting(directory: Path) -> Iterator[tuple[str, dict[str, int]]]:
    """Serve `directory` on 127.0.0.1; yields the base URL and {path: bytes sent}. Counted by the server, since
    the page's network events do not show what its search worker fetches."""
    sent: dict[str, int] = {}

    class Handler(SimpleHTTPRequestHandler):
        def send_head(self):
            body = super().send_head()
            if body is not None and hasattr(body, "fileno"):
                sent[self.path.split("?", 1)[0].lstrip("/")] = os.fstat(body.fileno()).st_size
            return body

        def log_message(self, format, *args) -> None:  # noqa: A002 - stdlib signature
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", sent
    finally:
        server.shutdown()
        server.server_close()


def tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry))
        rss[int(entry)] = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += rss.get(current, 0)
        todo += children.get(current, [])
    return total


def timed_build(engine: str, data: Path, out: Path) -> tuple[float, float]:
    """Seconds and peak MB of one `qingdan build --engine ENGINE`."""
    cmd = [sys.executable, "-m", "generator", "build", "--engine", engine, "--data", str(data), "--out", str(out),
           "--as-of", "2026-11-25"]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss_kb(proc.pid))
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"qingdan build --engine {engine} failed:\n{proc.stderr.read()}")
    return seconds, peak / 1024


def search_in_browser(engine: str, site: Path, timeout_ms: float) -> dict:
    """Open the home page, search twice; bytes fetched for search and milliseconds to the first results."""
    from playwright.sync_api import sync_playwright

    with serve_counting(site) as (url, sent), sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = chromium.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(timeout_ms)
        times = []
        start = time.perf_counter()
        page.goto(url)
        for query in QUERIES:
            if engine == "mkdocs":
                page.keyboard.press("/")
                box = page.locator("input.md-search__input")
            else:
                page.locator(".md-search__button").click()
                box = page.locator("dialog input[role=combobox]")
            box.fill(query)
            box.press("End")  # Material searches on key events
            page.wait_for_selector(RESULT[engine], state="attached", timeout=timeout_ms)
            times.append((time.perf_counter() - start) * 1000)
            page.keyboard.press("Escape")
            page.wait_for_timeout(300)
            start = time.perf_counter()
        chromium.close()
        fetched = {name: size for name, size in sent.items() if any(word in name for word in SEARCH_FILES)}
    return {"search_bytes": sum(fetched.values()),
            "search_gzip_bytes": sum(len(gzip.compress((site / name).read_bytes(), 6)) for name in fetched),
            "search_files": sorted(fetched), "first_result_ms": times[0], "next_result_ms": times[1]}


def measure(size: int, base: int, work: Path, timeout_ms: float) -> dict:
    data = work / f"data-{size}"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "synth.py"), str(data), "--counties", str(base * size)],
                   check=True)
    result = {}
    for engine in ENGINES:
        out = work / f"site-{size}-{engine}"
        seconds, peak = timed_build(engine, data, out)
        result[engine] = {"build_s": seconds, "peak_mb": peak,
                          "html_pages": sum(1 for _ in out.rglob("*.html")), **search_in_browser(engine, out, timeout_ms)}
        print(json.dumps({"size": size, "engine": engine, **result[engine]}, ensure_ascii=False), file=sys.stderr,
              flush=True)
    return result


def table(results: dict[int, dict]) -> str:
    sizes = sorted(results)
    head = "| | " + " | ".join(f"{s}× {e}" for s in sizes for e in ENGINES) + " |"
    lines = [head, "|" + " --- |" * (len(sizes) * len(ENGINES) + 1)]

    def row(name: str, key: str, fmt) -> str:
        return f"| {name} | " + " | ".join(fmt(results[s][e][key]) for s in sizes for e in ENGINES) + " |"

    lines.append(row("HTML pages", "html_pages", str))
    lines.append(row("`qingdan build` time", "build_s", lambda v: f"{v:.1f} s"))
    lines.append(row("peak memory (whole process tree)", "peak_mb", lambda v: f"{v:.0f} MB"))
    lines.append(row("search bytes per visitor", "search_bytes", lambda v: f"{v / 1048576:.1f} MB"))
    lines.append(row("… gzip-compressed (if the server compresses)", "search_gzip_bytes",
                     lambda v: f"{v / 1048576:.1f} MB"))
    lines.append(row("first search result after opening the page", "first_result_ms", lambda v: f"{v / 1000:.1f} s"))
    lines.append(row("next search on the same page", "next_result_ms", lambda v: f"{v / 1000:.2f} s"))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-counties", type=int, default=6)
    parser.add_argument("--sizes", default="1,4,16")
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for a search result")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="qingdan-engines-") as tmp:
        results = {size: measure(size, args.base_counties, Path(tmp), args.timeout * 1000) for size in sizes}
    files = {e: results[sizes[0]][e]["search_files"] for e in ENGINES}
    text = (f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}. Base size: {args.base_counties} "
            f"counties × 40 units × 100 duties. Search query: {QUERIES[0]}, then {QUERIES[1]}.\n\n"
            + table(results) + "\n\nSearch files fetched: "
            + "; ".join(f"{e}: {', '.join(files[e])}" for e in ENGINES) + ".\n")
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
