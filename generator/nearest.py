"""The "你是不是想写…" guess for a mistyped name, one rule for the CLI, validation and the workbook import."""
from __future__ import annotations

import difflib
from typing import Iterable


def nearest(word: str, names: Iterable[str], n: int = 1, cutoff: float = 0.5) -> list[str]:
    """The names closest to `word`, best first: at least `cutoff` alike (difflib's ratio), and within 0.05 of the
    best, so a clear nearest name comes alone rather than with every name that is somewhat like it."""
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(word)
    scored = []
    for name in dict.fromkeys(names):
        matcher.set_seq1(name)
        if matcher.real_quick_ratio() >= cutoff and matcher.quick_ratio() >= cutoff and matcher.ratio() >= cutoff:
            scored.append((matcher.ratio(), name))
    scored.sort(reverse=True)  # ties as difflib.get_close_matches breaks them
    best = scored[0][0] if scored else 0
    return [name for score, name in scored if score >= best - 0.05][:n]
