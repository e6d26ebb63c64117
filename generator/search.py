"""What the handbook's search indexes: the words Chinese text is cut into, and Material's index file.

Readers type a unit's full name (万盛经开区民政局), its short name (区民政局), the office part alone (民政局), or a name
with brackets (村（社区）, often typed half-width). Three things make each of these find its page:

- the segmenter's dictionary (`add_words_to_segmenter`, jieba): the data's own words, and the jurisdiction part of
  unit names as a word of its own, so a title is indexed as 万盛经开区 / 民政局 rather than one word no partial query
  can match. Used by Material's search plugin, which cuts titles and text with jieba.
- each unit page's keyword (`render.Pages.unit`, front matter `tags`: its label), so a short name finds the unit's
  own page first and not the pages that mention it. Material's index gives the tags field the highest weight.
- the word separator in Material's index (`fix_search_index`): brackets and CJK punctuation split words, in the
  index and in the query alike, so 村（社区） and 村(社区) are both searched as 村 + 社区.
"""
from __future__ import annotations

import json
import logging
from collections import Counter
from pathlib import Path
from typing import Iterable

from .model import Dataset

log = logging.getLogger("mkdocs.plugins.qingdan")

# jieba's frequency for a jurisdiction prefix: far above any path that cuts through it (万盛/经开/区民政局), so
# 万盛经开区民政局 is always cut after 万盛经开区. jieba's commonest word (的) has about 3e5 in its 6e7 total.
PREFIX_FREQ = 10**5


def jurisdiction_prefixes(names: Iterable[Iterable[str]]) -> set[str]:
    """For each jurisdiction's unit names: the longest beginning that at least half of them (and two or more)
    continue past (万盛经开区, 桐梓县, 某县, 章渡学校)."""
    found = set()
    for group in names:
        group = sorted(set(group))
        if len(group) < 2:
            continue
        counts = Counter(name[:n] for name in group for n in range(2, len(name)))
        shared = [p for p, k in counts.items() if k >= 2 and 2 * k >= len(group)]
        if shared:
            found.add(max(shared, key=lambda p: (len(p), p)))
    return found


def segmenter_words(dataset: Dataset) -> tuple[set[str], set[str]]:
    """(jurisdiction prefixes, the data's other words). Full unit names are not words: cut into prefix and
    office (桐梓县 / 民政局), a title is found by any part of it."""
    by_area: dict[str, list[str]] = {}
    for unit in dataset.units.values():
        by_area.setdefault(unit.jurisdiction, []).append(unit.name)
    prefixes = jurisdiction_prefixes(by_area.values())
    full = {u.name for u in dataset.units.values()}
    words = {n for u in dataset.units.values() for n in u.names()} - full
    words |= {n for r in dataset.roles.values() for n in (r.name, *r.aliases)}
    words |= {t for d in dataset.duties.values() for t in d.tags}
    words |= {x.name for x in dataset.lines.values()}
    words |= {n for t in dataset.terms.values() for n in (t.term, *t.aliases)}  # 事实无人抚养儿童 stays one word
    # a word that begins with a jurisdiction (an alias such as 万盛经开区未成年人保护工作领导小组) would glue the two
    words = {w for w in words if 1 < len(w) <= 20 and not any(w[:n] in prefixes for n in range(2, len(w)))}
    return prefixes, words - prefixes


def add_words_to_segmenter(dataset: Dataset) -> None:
    """Teach jieba the data's words (Material's search plugin segments with jieba's default tokenizer)."""
    try:
        import jieba
    except ImportError:  # search still works, with coarser Chinese segmentation
        return
    jieba.setLogLevel(logging.WARNING)
    prefixes, words = segmenter_words(dataset)
    for word in sorted(words):
        jieba.add_word(word)
    for prefix in sorted(prefixes):
        jieba.add_word(prefix, freq=PREFIX_FREQ)


# Material (lunr) splits indexed text and queries at this pattern. Its Chinese default splits at 、。，．？！； only, so
# 村（社区） stayed one query word that matched nothing: the index holds 村, （, 社区, ） (jieba cuts at brackets).
SEPARATOR = r"[\s\u200b\u3000\-、。，．？！；：（）()［］\[\]【】〔〕《》〈〉「」『』“”‘’·・…—/／]+"


def fix_search_index(site_dir: Path) -> bool:
    """Material only: set the word separator in the built search_index.json (read by the browser's search worker).

    Runs before Material's offline plugin copies the index into search_index.js. True when the file was found.
    """
    path = site_dir / "search" / "search_index.json"
    if not path.is_file():
        return False
    index = json.loads(path.read_text(encoding="utf-8"))
    index["config"]["separator"] = SEPARATOR
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return True


# Material 9.x's search worker (Material only). Each patch is applied when its text is found exactly once.
_WORKER_PATCHES = (
    # Its query segmenter's loop stops one character short, so a query that is itself a whole word (县妇联, 区民政局)
    # never matched that word: 县妇联 degraded to 县*. The fix is one character.
    ("for(let o=s+1;o<t.length;o++)t.slice(s,o)in e", "for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e"),
    # Where two indexed words overlap in a query (技术开发区 + 区分 + 分局), the segmenter also cuts out the single
    # character between them (区). Searched as a prefix, 区* matches hundreds of words and buries the words the
    # reader typed, so one-character pieces of a longer query are dropped (a one-character query stays).
    ('[...fe(s,this.index.invertedIndex)].join("* ")',
     '(a=>a.length?a:[s])([...fe(s,this.index.invertedIndex)].filter(a=>a.length>1||s.length<2)).join("* ")'),
)


def fix_search_segmenter(site_dir: Path) -> bool:
    """Patch the built search worker in place; True when every known problem was found and fixed."""
    fixed = 0
    for worker in (site_dir / "assets" / "javascripts" / "workers").glob("search.*.min.js"):
        source = worker.read_text(encoding="utf-8")
        for bug, fix in _WORKER_PATCHES:
            if source.count(bug) == 1:
                source = source.replace(bug, fix)
                fixed += 1
        worker.write_text(source, encoding="utf-8")
    if fixed != len(_WORKER_PATCHES):
        log.info("qingdan: 搜索脚本中没有找到全部已知的中文切分问题（Material 版本已不同），只修改了 %d 处。", fixed)
    return fixed == len(_WORKER_PATCHES)
