"""Where each duty stands against a date: the deadline groups of the unit checklists and the timeline."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from .model import Dataset, Deadline, Duty, with_note

SOON_DAYS = 30
# Group keys in display order, with their Chinese headings.
GROUPS = {
    "overdue": "时限已过",
    "soon": f"{SOON_DAYS} 天内到期",
    "later": "以后到期",
    "recurring": "周期性工作",
    "event": "发生时即办",
    "ongoing": "长期开展",
    "open": "未定时限",
}


def passed(deadline: Deadline, as_of: dt.date) -> bool:
    return deadline.due is not None and deadline.due < as_of


def words(deadline: Deadline, as_of: dt.date) -> str:
    """A deadline in words, with 已过 when its day is behind us (a duty's milestones, even when its other work
    recurs or goes on)."""
    return with_note(deadline.describe(), "已过") if passed(deadline, as_of) else deadline.describe()


def duty_words(duty: Duty, as_of: dt.date, each=lambda words: words) -> str:
    """All of a duty's deadlines in words; `each` (escaping, for pages) is applied to each one."""
    return "；".join(each(words(d, as_of)) for d in duty.deadlines) or "未定时限"


def passed_milestones(duty: Duty, as_of: dt.date) -> int:
    """How many of a duty's fixed deadlines are over while the duty itself is not: recurring or ongoing work, or a
    later milestone, keeps it out of the 时限已过 group."""
    if group_of(duty, as_of) == "overdue":
        return 0
    return sum(passed(d, as_of) for d in duty.deadlines)


def group_of(duty: Duty, as_of: dt.date) -> str:
    """The one group a duty is listed under: its most pressing deadline decides."""
    dues = [d.due for d in duty.deadlines if d.due]
    kinds = {d.kind for d in duty.deadlines}
    if any(as_of <= due <= as_of + dt.timedelta(days=SOON_DAYS) for due in dues):
        return "soon"
    if any(due > as_of for due in dues):
        return "later"
    if "recurring" in kinds:
        return "recurring"
    if "event" in kinds:
        return "event"
    if "ongoing" in kinds:
        return "ongoing"
    if dues:
        return "overdue"
    return "open"


def grouped(duties: Iterable[Duty], as_of: dt.date) -> dict[str, list[Duty]]:
    groups: dict[str, list[Duty]] = {key: [] for key in GROUPS}
    for duty in duties:
        groups[group_of(duty, as_of)].append(duty)
    for key, items in groups.items():
        items.sort(key=lambda d: (d.due or dt.date.max, d.id))
    return groups


@dataclass(frozen=True)
class Dated:
    due: dt.date
    duty: Duty
    deadline: Deadline


def dated(dataset: Dataset) -> list[Dated]:
    """Every fixed deadline of every duty, in date order."""
    out = [Dated(d.due, duty, d) for duty in dataset.duties.values() for d in duty.deadlines if d.due]
    out.sort(key=lambda x: (x.due, x.duty.id))
    return out


def upcoming(dataset: Dataset, as_of: dt.date, limit: int = 10) -> list[Dated]:
    return [x for x in dated(dataset) if x.due >= as_of][:limit]


def recurring(dataset: Dataset) -> list[tuple[Duty, Deadline]]:
    order = {"week": 0, "month": 1, "quarter": 2, "semester": 3, "year": 4}
    out = [(duty, d) for duty in dataset.duties.values() for d in duty.deadlines if d.kind == "recurring"]
    out.sort(key=lambda x: (order[x[1].every], x[0].id))
    return out
