"""How long `qingdan serve` takes from saving a YAML file to serving the changed page, on the bundled data.

    python benchmarks/serve.py [--edits 5]

Copies responsibilities/ to a temporary folder, starts `qingdan serve` on it, then edits one duty's title several
times, each time polling the duty's page until the new title is served. Prints the first build time and each
reload time.
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILE = Path("wansheng") / "duties-family.yaml"
TITLE = "加大家庭监护指导力度"
PAGE = "duties/wansheng-2021-3.01/"


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(url: str, text: str, seconds: float = 120) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        if text in fetch(url):
            return time.perf_counter() - start
        time.sleep(0.05)
    raise SystemExit(f"no page containing {text!r} after {seconds} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="qingdan-serve-") as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(ROOT / "responsibilities", data)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        url = f"http://127.0.0.1:{port}/{PAGE}"
        proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--data", str(data), "--as-of",
                                 "2026-11-25", "--addr", f"127.0.0.1:{port}"], cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        try:
            first = wait_for(url, TITLE)
            print(f"first build: {first:.1f} s")
            path = data / FILE
            original = path.read_text(encoding="utf-8")
            assert original.count(f"title: {TITLE}\n") == 1, "the benchmark's duty title is not in the data"
            times = []
            for i in range(1, args.edits + 1):
                time.sleep(1.0)  # let the previous rebuild settle, as between two saves by a person
                marker = f"{TITLE}（第{i}次修改）"
                path.write_text(original.replace(f"title: {TITLE}\n", f"title: {marker}\n"), encoding="utf-8")
                times.append(wait_for(url, marker))
                print(f"reload {i}: {times[-1]:.2f} s")
            print(f"median reload: {statistics.median(times):.2f} s over {len(times)} edits")
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    main()
