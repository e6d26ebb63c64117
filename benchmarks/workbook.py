"""Time and peak memory of the clerks' workbook round trip at three data sizes, and how they grow.

    python benchmarks/workbook.py [--base-counties 6] [--sizes 1,4,16]

For each size (synthetic data from benchmarks/synth.py, like benchmarks/run.py): `qingdan export` of the whole
data set; `qingdan import --dry-run` of it unedited; and `qingdan import` after one duty in a hundred got a new
summary (saved by openpyxl, as a spreadsheet program would save it). Each step runs in its own process, so its
peak memory (ru_maxrss) is its own.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

EDIT = r"""
import sys, openpyxl
path = sys.argv[1]
book = openpyxl.load_workbook(path)
ws = book["职责"]
heads = {c.value: c.column for c in ws[1]}
for row in range(2, ws.max_row + 1, 100):
    cell = ws.cell(row, heads["概述"])
    if cell.value:
        cell.value = cell.value + "（已核对）"
book.save(path)
"""


RUN = r"""
import resource, runpy, sys
sys.argv = ["qingdan", *sys.argv[1:]]
try:
    runpy.run_module("generator", run_name="__main__")
except SystemExit as stop:
    if stop.code:
        raise
finally:
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def timed(args: list[str]) -> tuple[float, float]:
    """Seconds and peak MB of one `qingdan` process."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", RUN, *args], check=True, capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    return seconds, int(done.stderr.strip().splitlines()[-1]) / 1024


def measure(size: int, base: int, work: Path) -> dict:
    data = work / f"data-{size}"
    subprocess.run([sys.executable, "benchmarks/synth.py", str(data), "--counties", str(base * size)], check=True,
                   cwd=ROOT, capture_output=True)
    book = work / f"book-{size}.xlsx"
    q: list[str] = []
    out = {"duties": base * size * 100}  # synth.py's default: 100 duties a county
    out["export"] = timed(q + ["export", "--data", str(data), "--out", str(book)])
    out["import_unedited"] = timed(q + ["import", str(book), "--data", str(data), "--dry-run"])
    subprocess.run([sys.executable, "-c", EDIT, str(book)], check=True, cwd=ROOT)
    out["import_edited"] = timed(q + ["import", str(book), "--data", str(data)])
    out["bytes"] = book.stat().st_size
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-counties", type=int, default=6)
    parser.add_argument("--sizes", default="1,4,16")
    args = parser.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="qingdan-workbook-bench-") as tmp:
        results = {s: measure(s, args.base_counties, Path(tmp)) for s in sizes}
    print(json.dumps(results, indent=1))
    print("| step | " + " | ".join(f"{s}× ({results[s]['duties']} duties)" for s in sizes) + " | growth |")
    print("| --- |" + " --- |" * (len(sizes) + 1))
    for step, name in (("export", "`qingdan export`"), ("import_unedited", "`qingdan import --dry-run`, no edit"),
                       ("import_edited", "`qingdan import`, 1 % of duties edited")):
        values = [results[s][step][0] for s in sizes]
        growth = " / ".join(f"{v / values[0]:.1f}×" for v in values[1:])
        print(f"| {name} | " + " | ".join(f"{v:.1f} s" for v in values) + f" | {growth} |")
    peak = [max(results[s][step][1] for step in ("export", "import_unedited", "import_edited")) for s in sizes]
    print("| peak memory (largest step) | " + " | ".join(f"{m:.0f} MB" for m in peak) + " | |")
    print("| workbook size | " + " | ".join(f"{results[s]['bytes'] / 1e6:.1f} MB" for s in sizes) + " | |")


if __name__ == "__main__":
    main()
