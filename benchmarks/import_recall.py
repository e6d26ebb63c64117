"""Recall of `qingdan import`: on the corpus of texts written for it (benchmarks/import_corpus) and on the real
policy texts in ../shared/seeds, each against an answer key read off the text by hand.

    .venv/bin/python benchmarks/import_recall.py [--seeds DIR] [--details]

Prints one row per text (items, stated leads, supports, deadlines, precision, jurisdiction), the corpus total and
the seed total, then with --details what was missed. Exits 1 when the corpus total misses a target of issue 12
(items ≥ 90%, stated leads ≥ 85%, supports ≥ 80%, precision ≥ 90%) or a seed's items, leads or deadlines drop
below 90%; 0 otherwise. Where the seeds are absent (a clone without ../shared) they are skipped, and it says so.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
CORPUS = PROJECT / "benchmarks" / "import_corpus"
SEEDS = PROJECT.parent / "shared" / "seeds"
sys.path.insert(0, str(PROJECT))

from generator.textimport.recall import MEASURES, Recall, corpus_keys, run_keys, seed_keys, totals  # noqa: E402

TARGETS = {"items": 0.9, "leads": 0.85, "support": 0.8, "precision": 0.9}
SEED_MINIMUM = {"items": 0.9, "leads": 0.9, "deadlines": 0.9}
HEADINGS = {"items": "条目", "leads": "写明的牵头", "support": "配合", "deadlines": "时限", "precision": "准确率",
            "jurisdiction": "辖区"}


def cell(r: Recall | None) -> str:
    if r is None or r.expected == 0:
        return "—"
    if r.measure == "jurisdiction" and r.expected == 1:
        return "✓" if r.found else "✗"
    return f"{r.found}/{r.expected} {r.rate:.0%}"


def table(results: list[Recall], total_label: str, heldout: set[str] = frozenset()) -> list[str]:
    texts = list(dict.fromkeys(r.seed for r in results))
    rows = [["文本", *(HEADINGS[m] for m in MEASURES)]]
    for text in texts:
        by = {r.measure: r for r in results if r.seed == text}
        rows.append([text + (" †" if text in heldout else ""), *(cell(by.get(m)) for m in MEASURES)])
    total = totals(results)
    rows.append([f"**{total_label}**", *(f"**{cell(total.get(m))}**" for m in MEASURES)])
    lines = ["| " + " | ".join(rows[0]) + " |", "| " + " | ".join("---" for _ in rows[0]) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description="导入（qingdan import）的识别率：自编语料和真实文本。")
    parser.add_argument("--seeds", type=Path, default=SEEDS, help="真实文本所在目录（默认 ../shared/seeds）")
    parser.add_argument("--details", action="store_true", help="列出每个文本没有识别的条目、单位和时限")
    args = parser.parse_args()
    keys = corpus_keys(CORPUS)
    corpus = run_keys(keys, PROJECT)
    print("自编语料（benchmarks/import_corpus；† 为留出文本，见 benchmarks/RESULTS.md）：\n")
    print("\n".join(table(corpus, "语料合计", {k.file for k in keys if k.heldout})))
    seeds: list[Recall] = []
    if args.seeds.is_dir():
        seeds = run_keys(seed_keys(args.seeds, PROJECT / "tests" / "import_expected.yaml"), PROJECT)
        print("\n随附数据的原文（../shared/seeds）：\n")
        print("\n".join(table(seeds, "原文合计")))
    else:
        print(f"\n跳过原文：找不到目录 {args.seeds}（它在 ../shared/seeds，与仓库并列）。")
    if args.details:
        print("\n未识别或多出的：")
        for r in corpus + seeds:
            for m in r.missing:
                print(f"  {r.seed} {HEADINGS[r.measure]}：{m}")
    total = totals(corpus)
    low = [f"语料{HEADINGS[m]} {total[m].rate:.1%}（目标 {t:.0%}）" for m, t in TARGETS.items() if total[m].rate < t]
    low += [f"{r.seed} {HEADINGS[r.measure]} {r.rate:.1%}" for r in seeds
            if r.measure in SEED_MINIMUM and r.expected and r.rate < SEED_MINIMUM[r.measure]]
    if low:
        print("\n未达到目标：" + "；".join(low))
        return 1
    print("\n全部达到目标。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
