"""How much of a text the importer recognises, measured against an answer key read off the text by hand.

Two sets of keys: tests/import_expected.yaml for the real texts in ../shared/seeds (leads as unit ids of the bundled
data), and benchmarks/import_corpus/keys/*.yaml for the corpus of texts written for this benchmark (leads as the
names the text gives, since their units are new). A key lists, per clause, the leads the text states, the units it
says support, and its deadlines (as keys such as date:2021-11-05 or recurring:semester); `find` matches an item by
a phrase of its text where the clause is a convention (unnumbered paragraphs).

Measures, per text: items (key items the draft has), leads (stated leads found, on items the draft has), support,
deadlines, precision (drafted items that are in the key) and jurisdiction. Used by the tests and by
benchmarks/import_recall.py.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .deadlines import deadline_key
from .draft import Draft, DraftDuty, draft_file
from .read import ImportFailed
from .units import key as name_key

MEASURES = ("items", "leads", "support", "deadlines", "precision", "jurisdiction")
UNIT_ID = re.compile(r"^[a-z][a-z0-9]*(?:[.-][a-z0-9]+)+$")


@dataclass(frozen=True)
class Recall:
    seed: str  # the text's file name
    measure: str  # one of MEASURES
    found: int
    expected: int
    missing: tuple[str, ...]  # what was not recognised (for precision: what the draft has that the key does not)

    @property
    def rate(self) -> float:
        return self.found / self.expected if self.expected else 1.0


@dataclass(frozen=True)
class Key:
    file: str
    source: Path
    data: str  # data directory, relative to the project
    items: dict
    jurisdiction: str = ""
    units: dict = field(default_factory=dict)  # a unit's name → its other spellings in this text
    phases: tuple[str, ...] = ()
    heldout: bool = False  # written after the importer was fitted to the others, to measure it on unseen texts


def load_expected(path: Path) -> list[dict]:
    """The seed answers, as written in tests/import_expected.yaml."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))["seeds"]


def seed_keys(seeds: Path, expected_file: Path) -> list[Key]:
    return [Key(e["file"], seeds / e["file"], e.get("data", "responsibilities"), e.get("items") or {},
                units={}, phases=tuple(e.get("phases") or ())) for e in load_expected(expected_file)]


def corpus_keys(corpus: Path) -> list[Key]:
    """One key per text of the corpus: keys/<name>.yaml for texts/<file>."""
    out = []
    for path in sorted((corpus / "keys").glob("*.yaml")):
        k = yaml.safe_load(path.read_text(encoding="utf-8"))
        out.append(Key(k["file"], corpus / "texts" / k["file"], k.get("data", "responsibilities"), k.get("items") or {},
                       k.get("jurisdiction", ""), k.get("units") or {}, tuple(k.get("phases") or ()),
                       bool(k.get("heldout"))))
    return out


def match_items(draft: Draft, items: dict) -> dict[str, DraftDuty]:
    """Key clause → the drafted duty it is: the duty with that clause (and, for a key item with `find`, whose text
    has that phrase), else the first duty not yet matched whose text has the phrase. Each duty answers at most one
    key item."""
    used: set[int] = set()
    out: dict[str, DraftDuty] = {}
    by_clause = {}
    for n, duty in enumerate(draft.duties):
        by_clause.setdefault(duty.record["clause"], n)
    for clause, answer in items.items():
        n = by_clause.get(clause)
        phrase = (answer or {}).get("find")
        if n is not None and n not in used and (not phrase or phrase in _duty_text(draft.duties[n])):
            used.add(n)
            out[clause] = draft.duties[n]
    for clause, answer in items.items():
        phrase = (answer or {}).get("find")
        if clause in out or not phrase:
            continue
        for n, duty in enumerate(draft.duties):
            if n not in used and phrase in _duty_text(duty):
                used.add(n)
                out[clause] = duty
                break
    return out


def _duty_text(duty: DraftDuty) -> str:
    r = duty.record
    return "\n".join([r["title"], r["summary"], *r["actions"]])


def _units_found(wanted: list[str], got: list[str], draft: Draft, spellings: dict) -> tuple[list[str], list[str]]:
    """(found, missing) of the wanted units among the drafted unit ids, each drafted unit answering one wanted."""
    names = dict(draft.unit_names)
    left = list(got)
    found, missing = [], []
    for want in wanted:
        if UNIT_ID.match(want):
            hit = want if want in left else None
        else:
            forms = {name_key(want), *(name_key(s) for s in spellings.get(want, ()))}
            hit = next((uid for uid in left if forms & {name_key(n) for n in names.get(uid, (uid,))}), None)
        if hit is None:
            missing.append(want)
        else:
            left.remove(hit)
            found.append(want)
    return found, missing


def score(draft: Draft, key: Key) -> list[Recall]:
    items = key.items
    matched = match_items(draft, items)
    name = key.file
    out = [Recall(name, "items", len(matched), len(items), tuple(c for c in items if c not in matched))]

    for measure, field_name in (("leads", "leads"), ("support", "support")):
        found = total = 0
        lost: list[str] = []
        for clause, answer in items.items():
            wanted = list((answer or {}).get(field_name) or ())
            if not wanted:
                continue
            total += len(wanted)
            duty = matched.get(clause)
            if duty is None:
                lost += [f"{clause}: {w}（条目未识别）" for w in wanted]
                continue
            if measure == "leads":
                got = list(duty.record["lead"]) if duty.record["lead_basis"] == "stated" else []
            else:
                got = list(duty.record.get("support", []))
            hits, missing = _units_found(wanted, got, draft, key.units)
            found += len(hits)
            lost += [f"{clause}: {w}" for w in missing]
        out.append(Recall(name, measure, found, total, tuple(lost)))

    found = total = 0
    lost = []
    for clause, answer in items.items():
        wanted = set((answer or {}).get("deadlines") or ())
        if not wanted:
            continue
        duty = matched.get(clause)
        got = {d.key() for d in duty.deadlines} if duty else set()
        total += len(wanted)
        found += len(wanted & got)
        lost += [f"{clause}: {x}" for x in sorted(wanted - got)]
    phases = set(key.phases)
    got_phases = {deadline_key(p.as_dict()) for p in draft.phases}
    total += len(phases)
    found += len(phases & got_phases)
    lost += [f"工作阶段: {x}" for x in sorted(phases - got_phases)]
    out.append(Recall(name, "deadlines", found, total, tuple(lost)))

    answered = {id(d) for d in matched.values()}
    extra = tuple(f"{d.record['clause']} {d.record['title'][:20]}" for d in draft.duties if id(d) not in answered)
    out.append(Recall(name, "precision", len(draft.duties) - len(extra), len(draft.duties), extra))

    if key.jurisdiction:
        got = draft.document["jurisdiction"]
        out.append(Recall(name, "jurisdiction", int(got == key.jurisdiction), 1,
                          () if got == key.jurisdiction else (f"读作“{got}”，应为“{key.jurisdiction}”",)))
    return out


def run_keys(keys: list[Key], project: Path) -> list[Recall]:
    """Draft every text against its data directory and score it."""
    out = []
    for key in keys:
        try:
            draft = draft_file(key.source, project / key.data)
        except ImportFailed as failed:  # nothing recognised: every expected answer is missed
            out += failed_score(key, failed.message)
            continue
        out += score(draft, key)
    return out


def failed_score(key: Key, message: str) -> list[Recall]:
    items = key.items
    count = {m: sum(len((a or {}).get(m) or ()) for a in items.values()) for m in ("leads", "support", "deadlines")}
    out = [Recall(key.file, "items", 0, len(items), (f"无法导入：{message}",))]
    out += [Recall(key.file, m, 0, count[m] + (len(key.phases) if m == "deadlines" else 0), ()) for m in count]
    out.append(Recall(key.file, "precision", 0, 0, ()))
    if key.jurisdiction:
        out.append(Recall(key.file, "jurisdiction", 0, 1, ("无法导入",)))
    return out


def run(seeds: Path, expected_file: Path, project: Path) -> list[Recall]:
    """The seed texts, scored against tests/import_expected.yaml."""
    return run_keys(seed_keys(seeds, expected_file), project)


def totals(results: list[Recall]) -> dict[str, Recall]:
    """The measures summed over several texts: each found and expected added up (not an average of rates)."""
    out = {}
    for measure in MEASURES:
        rows = [r for r in results if r.measure == measure]
        if rows:
            out[measure] = Recall("合计", measure, sum(r.found for r in rows), sum(r.expected for r in rows),
                                  tuple(m for r in rows for m in r.missing))
    return out
