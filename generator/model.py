"""Stage 3: typed, immutable records built from data that passed validation."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Mapping

from .dates import due_date, parse_date
from .labels import EVERY
from .load import Loaded


@dataclass(frozen=True)
class Location:
    """Where a record starts, and where each of its fields starts (for findings about one field)."""

    file: str
    line: int
    column: int
    path: str = ""  # YAML path of the record, e.g. duties[3]
    fields: Mapping[str, tuple[int, int]] = field(default_factory=dict, compare=False)

    def of(self, name: str) -> tuple[int, int]:
        return self.fields.get(name, (self.line, self.column))


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    issuer: str
    jurisdiction: str
    source: str
    short_title: str | None = None
    number: str | None = None
    issued: dt.date | None = None
    issued_note: str | None = None
    note: str | None = None
    template: bool = False  # a model text with blanks (xx县), not a real place's document

    @property
    def label(self) -> str:
        return self.short_title or self.title


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    kind: str
    level: str
    jurisdiction: str
    short_name: str | None = None
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    note: str | None = None

    @property
    def label(self) -> str:
        return self.short_name or self.name

    def names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(n for n in (self.name, self.short_name, *self.aliases) if n))


@dataclass(frozen=True)
class Line:
    id: str
    name: str
    short_name: str
    kind: str
    order: int
    aliases: tuple[str, ...] = ()
    description: str | None = None


@dataclass(frozen=True)
class Role:
    id: str
    name: str
    unit_kinds: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    description: str | None = None


@dataclass(frozen=True)
class Deadline:
    kind: str
    date: dt.date | None = None
    month: str | None = None
    year: int | None = None
    phase: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    every: str | None = None
    times: int = 1
    at_least: bool = False  # the times are a minimum (至少 / 不少于), not an exact count
    by_day: int | None = None
    label: str | None = None
    text: str | None = None
    reason: str | None = None
    event: str | None = None
    inferred: str | None = None  # the editor's reading of a date the source leaves open, and how it was reached

    @property
    def due(self) -> dt.date | None:
        """Last day of a fixed deadline; None for recurring, ongoing and unknown ones."""
        return due_date({"kind": self.kind, "date": _iso(self.date), "month": self.month, "year": self.year,
                         "end": _iso(self.end)})

    def describe(self) -> str:
        """The deadline in plain Chinese words."""
        if self.kind == "date":
            words = f"{self.date.year}年{self.date.month}月{self.date.day}日前"
        elif self.kind == "month":
            year, month = self.month.split("-")
            words = f"{year}年{int(month)}月底前"
        elif self.kind == "year":
            words = f"{self.year}年底前"
        elif self.kind == "phase":
            span = f"{_words(self.start)}至{_words(self.end)}" if self.start else f"{_words(self.end)}前"
            words = f"{self.phase}（{span}）"
        elif self.kind == "recurring":
            words = EVERY[self.every] + ("不少于" if self.at_least else "") + _count(self.times) + "次"
            if self.by_day:
                words += f"（第{self.by_day}天前）"
            if self.start:
                words += f"（{_words(self.start)}起）"
        elif self.kind == "ongoing":
            words = f"{_words(self.start)}起长期开展" if self.start else "长期开展"
        elif self.kind == "period":
            words = f"{_words(self.start)}至{_words(self.end)}"
        elif self.kind == "event":
            words = self.event
        else:
            words = f"时限待定（{self.reason}）"
        if self.inferred:
            words = with_note(words, "编者推定")
        return f"{self.label}：{words}" if self.label else words


@dataclass(frozen=True)
class Duty:
    id: str
    title: str
    document: str
    clause: str
    line: str
    summary: str
    actions: tuple[str, ...]
    lead: tuple[str, ...]
    lead_basis: str
    lead_note: str | None = None
    support: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    depends_on: tuple[str, ...] = ()
    basis: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    def partners(self, unit: str | None = None) -> list[tuple[str, tuple[str, ...], str]]:
        """Everyone on the duty but `unit`, as a checklist line names them: (word, unit ids, what follows the names)
        for the co-leads (共同牵头) or the lead (牵头, 待确认 when an editor assigned it), then the supporters (配合)."""
        out = []
        leads = tuple(u for u in self.lead if u != unit)
        if leads:
            mine = unit in self.lead
            out.append(("共同牵头" if mine else "牵头", leads,
                        "（待确认）" if not mine and self.lead_basis == "assigned" else ""))
        support = tuple(u for u in self.support if u != unit)
        if support:
            out.append(("配合", support, ""))
        return out

    @property
    def due(self) -> dt.date | None:
        dates = [d.due for d in self.deadlines if d.due]
        return max(dates) if dates else None


@dataclass(frozen=True)
class Referral:
    id: str
    situation: str
    to: tuple[str, ...]
    action: str
    document: str
    clause: str
    examples: tuple[str, ...] = ()
    notify: tuple[str, ...] = ()
    urgent: bool = False
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class RiskLevel:
    id: str
    colour: str
    name: str
    order: int
    measures: tuple[str, ...]
    document: str
    clause: str
    meaning: str | None = None
    visits: Deadline | None = None
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Term:
    id: str
    term: str
    definition: str
    aliases: tuple[str, ...] = ()
    basis: tuple[str, ...] = ()
    see: tuple[str, ...] = ()


@dataclass(frozen=True)
class Step:
    role: str | None = None
    unit: str | None = None
    does: str | None = None
    when: str | None = None


@dataclass(frozen=True)
class ReportingChain:
    id: str
    name: str
    document: str
    clause: str
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Dataset:
    """The whole validated data set. Mappings keep file order; look-ups by id."""

    documents: Mapping[str, Document]
    units: Mapping[str, Unit]
    lines: Mapping[str, Line]
    roles: Mapping[str, Role]
    duties: Mapping[str, Duty]
    locations: Mapping[str, Location] = field(default_factory=dict)
    referrals: Mapping[str, Referral] = field(default_factory=dict)
    risk_levels: Mapping[str, RiskLevel] = field(default_factory=dict)
    terms: Mapping[str, Term] = field(default_factory=dict)
    reporting_chains: Mapping[str, ReportingChain] = field(default_factory=dict)


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def with_note(words: str, note: str) -> str:
    """A note in brackets after the words, inside their last bracket when they end with one:
    每月一次（2021年8月1日起，编者推定）, not 每月一次（2021年8月1日起）（编者推定）."""
    return words[:-1] + f"，{note}）" if words.endswith("）") else words + f"（{note}）"


_COUNTS = "零一两三四五六七八九十"


def _count(n: int) -> str:
    """一次, 两次 … 十次 in words, as the documents write them; larger counts in figures."""
    return _COUNTS[n] if n <= 10 else str(n)


def _words(value: dt.date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else "？"


def _tuple(value: Any) -> tuple:
    return tuple(value or ())


def _deadline(raw: dict) -> Deadline:
    return Deadline(
        kind=raw["kind"], date=parse_date(raw.get("date")), month=raw.get("month"), year=raw.get("year"),
        phase=raw.get("phase"), start=parse_date(raw.get("start")), end=parse_date(raw.get("end")),
        every=raw.get("every"), times=raw.get("times", 1), at_least=raw.get("at_least", False), by_day=raw.get("by_day"), label=raw.get("label"),
        text=raw.get("text"), reason=raw.get("reason"), event=raw.get("event"), inferred=raw.get("inferred"))


def build(loaded: Loaded) -> Dataset:
    """Typed records from loaded files. Call only after `validate` reported no errors."""
    tables: dict[str, dict[str, Any]] = {k: {} for k in ("documents", "units", "lines", "roles", "duties", "referrals",
                                                         "risk_levels", "terms", "reporting_chains")}
    locations: dict[str, Location] = {}
    for source in loaded.files:
        if not isinstance(source.data, dict):
            continue
        for key, table in tables.items():
            for i, raw in enumerate(source.data.get(key) or ()):
                table[raw["id"]] = _record(key, raw)
                line, column = source.where((key, i))
                fields = {name: source.where((key, i, name)) for name in raw}
                locations[raw["id"]] = Location(source.name, line, column, f"{key}[{i}]", fields)
    return Dataset(locations=locations, **tables)


def _record(key: str, raw: dict) -> Any:
    if key == "documents":
        return Document(**{**raw, "issued": parse_date(raw.get("issued"))})
    if key == "units":
        return Unit(**{**raw, "aliases": _tuple(raw.get("aliases"))})
    if key == "lines":
        return Line(**{**raw, "aliases": _tuple(raw.get("aliases"))})
    if key == "roles":
        return Role(**{**raw, "aliases": _tuple(raw.get("aliases")), "unit_kinds": _tuple(raw["unit_kinds"])})
    if key == "referrals":
        return Referral(**{**raw, **{f: _tuple(raw.get(f)) for f in ("to", "examples", "notify", "roles")}})
    if key == "risk_levels":
        visits = _deadline(raw["visits"]) if raw.get("visits") else None
        return RiskLevel(**{**raw, "measures": _tuple(raw["measures"]), "roles": _tuple(raw.get("roles")),
                            "visits": visits})
    if key == "terms":
        return Term(**{**raw, **{f: _tuple(raw.get(f)) for f in ("aliases", "basis", "see")}})
    if key == "reporting_chains":
        return ReportingChain(**{**raw, "steps": tuple(Step(**step) for step in raw["steps"])})
    return Duty(**{
        **raw,
        **{f: _tuple(raw.get(f)) for f in ("actions", "lead", "support", "roles", "depends_on", "basis", "tags")},
        "deadlines": tuple(_deadline(d) for d in raw.get("deadlines") or ()),
    })
