"""How much of a real text the importer recognises, measured against answers read off the text by hand.

The answers live in tests/import_expected.yaml: for each seed text, the clauses of its items and, per clause, the
leads the text states and the deadlines it gives (as keys such as date:2021-11-05 or recurring:semester).
Used by the test suite and by benchmarks/import_recall.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .deadlines import deadline_key
from .draft import Draft, draft_file

MEASURES = ("items", "leads", "deadlines")


@dataclass(frozen=True)
class Recall:
    seed: str
    measure: str  # items / leads / deadlines
    found: int
    expected: int
    missing: tuple[str, ...]  # what was not recognised, e.g. "(四)2: tongzi.tuanxianwei"

    @property
    def rate(self) -> float:
        return self.found / self.expected if self.expected else 1.0


def load_expected(path: Path) -> list[dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data["seeds"]


def score(draft: Draft, expected: dict) -> list[Recall]:
    """Recall of items (clauses), stated leads and deadlines for one drafted seed."""
    seed = expected["file"]
    items = expected.get("items") or {}
    by_clause = {d.record["clause"]: d for d in draft.duties}
    out = []

    missing = tuple(c for c in items if c not in by_clause)
    out.append(Recall(seed, "items", len(items) - len(missing), len(items), missing))

    found = total = 0
    lost: list[str] = []
    for clause, answer in items.items():
        wanted = set((answer or {}).get("leads") or ())
        if not wanted:
            continue
        duty = by_clause.get(clause)
        got = set(duty.record["lead"]) if duty and duty.record["lead_basis"] == "stated" else set()
        total += len(wanted)
        found += len(wanted & got)
        lost += [f"{clause}: {x}" for x in sorted(wanted - got)]
    if total:
        out.append(Recall(seed, "leads", found, total, tuple(lost)))

    found = total = 0
    lost = []
    for clause, answer in items.items():
        wanted = set((answer or {}).get("deadlines") or ())
        if not wanted:
            continue
        duty = by_clause.get(clause)
        got = {d.key() for d in duty.deadlines} if duty else set()
        total += len(wanted)
        found += len(wanted & got)
        lost += [f"{clause}: {x}" for x in sorted(wanted - got)]
    phases = set(expected.get("phases") or ())
    got_phases = {deadline_key(p.as_dict()) for p in draft.phases}
    total += len(phases)
    found += len(phases & got_phases)
    lost += [f"工作阶段: {x}" for x in sorted(phases - got_phases)]
    if total:
        out.append(Recall(seed, "deadlines", found, total, tuple(lost)))
    return out


def run(seeds: Path, expected_file: Path, project: Path) -> list[Recall]:
    """Draft every seed named in the expected answers against its data directory and score it."""
    out = []
    for expected in load_expected(expected_file):
        draft = draft_file(seeds / expected["file"], project / expected.get("data", "responsibilities"))
        out += score(draft, expected)
    return out
