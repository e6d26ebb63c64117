"""Time and peak memory of each pipeline stage at three data sizes, and how they grow.

    python benchmarks/run.py [--base-counties 6] [--sizes 1,4,16] [--out benchmarks/RESULTS.md]

Base size: --base-counties counties × 40 units × 100 duties. Each stage runs in its own process so its peak memory
(ru_maxrss) is its own: load + validate; graph + checks; page generation (Markdown, downloads, pictures);
and the full `qingdan build`, whose difference from generation is MkDocs' own share.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

STAGES = r"""
import datetime as dt, json, resource, sys, time
from pathlib import Path
from generator.load import load
from generator.validate import validate
from generator.model import build
from generator import graph, checks, exports, render

data = Path(sys.argv[1])
times = {}
t = time.perf_counter(); loaded = load(data); report = validate(loaded); times["load+validate"] = time.perf_counter() - t
assert report.ok, report.summary()
t = time.perf_counter(); dataset = build(loaded); g = graph.build(dataset); found = checks.findings(dataset, g)
times["model+graph+checks"] = time.perf_counter() - t
t = time.perf_counter(); pages = render.pages(dataset, g, dt.date(2026, 11, 25)); times["pages (Markdown + pictures)"] = time.perf_counter() - t
t = time.perf_counter(); files = exports.downloads(dataset, dt.date(2026, 11, 25)); times["downloads (CSV/XLSX/DOCX/ICS)"] = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"times": times, "rss_mb": rss / 1024, "duties": len(dataset.duties), "units": len(dataset.units),
                  "pages": len(pages), "files": len(files)}))
"""


def measure(size: int, base: int, work: Path) -> dict:
    data = work / f"data-{size}"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "synth.py"), str(data),
                    "--counties", str(base * size)], check=True)
    stages = subprocess.run([sys.executable, "-c", STAGES, str(data)], cwd=ROOT, check=True, capture_output=True,
                            text=True)
    result = json.loads(stages.stdout)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "generator", "build", "--data", str(data), "--out", str(work / f"site-{size}"),
                    "--as-of", "2026-11-25"], cwd=ROOT, check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    result["build_s"] = time.perf_counter() - t
    result["build_rss_mb"] = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    index = work / f"site-{size}" / "search" / "search_index.json"
    result["index_mb"] = index.stat().st_size / 1048576
    html_pages = sum(1 for _ in (work / f"site-{size}").rglob("*.html"))
    result["html_pages"] = html_pages
    return result


def table(results: dict[int, dict], base: int) -> str:
    sizes = sorted(results)
    stages = list(results[sizes[0]]["times"])
    head = "| stage | " + " | ".join(f"{s}× ({results[s]['duties']} duties, {results[s]['units']} units)" for s in sizes) \
        + " | growth " + "→".join(f"{s}×" for s in sizes) + " |"
    lines = [head, "|" + " --- |" * (len(sizes) + 2)]

    def row(name: str, values: list[float], unit: str = "s") -> str:
        growth = " / ".join(f"{values[i] / values[0]:.1f}×" for i in range(1, len(values))) if values[0] else "—"
        return f"| {name} | " + " | ".join(f"{v:.2f} {unit}" for v in values) + f" | {growth} |"

    for stage in stages:
        lines.append(row(stage, [results[s]["times"][stage] for s in sizes]))
    lines.append(row("**generation total** (all of the above)", [sum(results[s]["times"].values()) for s in sizes]))
    lines.append(row("**`qingdan build`** (generation + MkDocs)", [results[s]["build_s"] for s in sizes]))
    lines.append(row("MkDocs' share (build − generation)",
                     [results[s]["build_s"] - sum(results[s]["times"].values()) for s in sizes]))
    lines.append(row("peak memory, generation", [results[s]["rss_mb"] for s in sizes], "MB"))
    lines.append(row("peak memory, whole build", [results[s]["build_rss_mb"] for s in sizes], "MB"))
    lines.append(row("search index", [results[s]["index_mb"] for s in sizes], "MB"))
    lines.append("| HTML pages | " + " | ".join(str(results[s]["html_pages"]) for s in sizes) + " | |")
    per_k = [results[s]["index_mb"] / results[s]["html_pages"] * 1000 for s in sizes]
    lines.append(row("search index per 1,000 pages", per_k, "MB"))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-counties", type=int, default=6)
    parser.add_argument("--sizes", default="1,4,16")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="qingdan-bench-") as tmp:
        results = {}
        for size in sizes:
            print(f"size {size}× …", file=sys.stderr, flush=True)
            results[size] = measure(size, args.base_counties, Path(tmp))
            print(json.dumps(results[size], ensure_ascii=False), file=sys.stderr, flush=True)
    text = (f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}. Base size: {args.base_counties} "
            f"counties × 40 units × 100 duties.\n\n" + table(results, args.base_counties) + "\n")
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
