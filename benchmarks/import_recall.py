"""Recall of `qingdan import` on the real policy texts in ../shared/seeds/ (items, leads, deadlines per seed).

    .venv/bin/python benchmarks/import_recall.py [--seeds DIR] [--min 0.9]

The expected answers are tests/import_expected.yaml, read off the texts by hand. Prints one line per seed and
measure, then what was missed; exits 1 when any recall is below the minimum (default 90%), 0 otherwise. Where the
seeds are absent (a clone without ../shared) it says so and exits 0: there is nothing to measure.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
sys.path.insert(0, str(PROJECT))

from generator.textimport.recall import run  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description="导入（qingdan import）在真实文本上的召回率。")
    parser.add_argument("--seeds", type=Path, default=SEEDS, help="真实文本所在目录（默认 ../shared/seeds）")
    parser.add_argument("--min", type=float, default=0.9, help="最低召回率，低于它以状态 1 退出（默认 0.9）")
    args = parser.parse_args()
    if not args.seeds.is_dir():
        print(f"跳过：找不到真实文本目录 {args.seeds}（它在 ../shared/seeds，与仓库并列）。")
        return 0
    results = run(args.seeds, PROJECT / "tests" / "import_expected.yaml", PROJECT)
    width = max(len(r.seed) for r in results)
    print(f"{'seed'.ljust(width)}  {'measure':<9}  found/expected  recall")
    for r in results:
        print(f"{r.seed.ljust(width)}  {r.measure:<9}  {r.found:>5}/{r.expected:<8}  {r.rate:6.1%}")
    missed = [(r, m) for r in results for m in r.missing]
    if missed:
        print("\n未识别：")
        for r, m in missed:
            print(f"  {r.seed} {r.measure}: {m}")
    low = [r for r in results if r.rate < args.min]
    if low:
        print(f"\n召回率低于 {args.min:.0%}：" + "；".join(f"{r.seed} {r.measure} {r.rate:.1%}" for r in low))
        return 1
    print(f"\n全部召回率不低于 {args.min:.0%}。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
