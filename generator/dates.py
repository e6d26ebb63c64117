"""Calendar arithmetic for deadlines, shared by the validator and the model."""
from __future__ import annotations

import calendar
import datetime as dt
from typing import Any, Mapping


def parse_date(value: Any) -> dt.date | None:
    """A real calendar date from 'YYYY-MM-DD', or None (also for 2021-02-30)."""
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def due_date(deadline: Mapping[str, Any]) -> dt.date | None:
    """The last day by which a fixed deadline must be met; None for recurring, ongoing and unknown ones."""
    kind = deadline.get("kind")
    try:
        if kind == "date":
            return parse_date(deadline.get("date"))
        if kind == "month":
            year, month = (int(x) for x in str(deadline.get("month")).split("-"))
            return month_end(year, month)
        if kind == "year":
            return dt.date(int(deadline["year"]), 12, 31)
        if kind in ("phase", "period"):
            return parse_date(deadline.get("end"))
    except (KeyError, TypeError, ValueError):
        return None
    return None


def latest_due(deadlines: Any) -> dt.date | None:
    """The date by which every fixed deadline of a duty is met."""
    if not isinstance(deadlines, list):
        return None
    dates = [d for d in (due_date(x) for x in deadlines if isinstance(x, Mapping)) if d]
    return max(dates) if dates else None
