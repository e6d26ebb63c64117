"""Identifiers made from Chinese names: ASCII pinyin (社会事务办 → shehuishiwuban), and the first one not taken."""
from __future__ import annotations

import re

from pypinyin import lazy_pinyin


def pinyin_slug(text: str, joiner: str = "") -> str:
    """Lower-case pinyin of `text`, letters and digits only, syllables joined by `joiner` (empty when none)."""
    words = [re.sub(r"[^a-z0-9]", "", w.lower()) for w in lazy_pinyin(text)]
    return joiner.join(w for w in words if w)


def free_id(wanted: str, taken: set[str]) -> str:
    """`wanted`, or wanted-2, wanted-3 … when it is taken: an id once used is never given to another record."""
    rid, n = wanted, 2
    while rid in taken:
        rid, n = f"{wanted}-{n}", n + 1
    return rid
