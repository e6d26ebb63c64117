"""Deadlines in every form the texts use (../shared/DOMAIN.md), parsed into the deadline schema.

The source wording always goes into `text`. A year the text leaves blank (20_年, 20xx) becomes kind unknown with a
reason, never a guess; a date written without a year takes the document's year and says so in `note`.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from ..dates import month_end

M = r"(?P<m>1[0-2]|0?[1-9])"
D = r"(?P<d>3[01]|[12]\d|0?[1-9])"
REL = r"(?P<rel>今年|本年|当年|明年)"
BLANK_CHARS = "_＿xX×*"
NUMERALS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
EVERY = {"周": "week", "星期": "week", "月": "month", "季度": "quarter", "季": "quarter", "学期": "semester",
         "学年": "year", "年度": "year", "年": "year", "半年": "year"}


@dataclass(frozen=True)
class Deadline:
    kind: str
    text: str
    date: str | None = None
    month: str | None = None
    year: int | None = None
    phase: str | None = None
    start: str | None = None
    end: str | None = None
    every: str | None = None
    times: int | None = None
    at_least: bool = False  # 至少 / 不少于 N 次
    by_day: int | None = None
    label: str | None = None
    event: str | None = None  # kind event: what sets the work off (发现侵害未成年人线索时)
    reason: str | None = None
    note: str = ""  # how a missing year was filled in: the report lists it, the draft keeps it as `inferred`
    position: int = 0

    def as_dict(self) -> dict:
        """The deadline as the schema wants it, fields in the order people read them."""
        out: dict = {"kind": self.kind}
        for name in ("date", "month", "year", "phase", "start", "end", "every", "times", "at_least", "by_day", "event",
                     "label"):
            value = getattr(self, name)
            if value not in (None, False) and not (name == "times" and value == 1):
                out[name] = value
        out["text"] = self.text
        if self.reason:
            out["reason"] = self.reason
        if self.note:  # the draft says which dates it filled in, as a clerk would (shown as 编者推定)
            out["inferred"] = self.note
        return out

    def key(self) -> str:
        """A short comparable form, e.g. date:2021-11-05, recurring:semester, phase:2021-08-01..2021-12-31."""
        return deadline_key(self.as_dict())


def deadline_key(d: dict) -> str:
    kind = d.get("kind")
    if kind == "date":
        return f"date:{d.get('date')}"
    if kind == "month":
        return f"month:{d.get('month')}"
    if kind == "year":
        return f"year:{d.get('year')}"
    if kind == "recurring":
        return f"recurring:{d.get('every')}"
    if kind == "ongoing":
        return f"ongoing:{d['start']}" if d.get("start") else "ongoing"
    if kind in ("period", "phase"):
        return f"{kind}:{d.get('start') or ''}..{d.get('end')}"
    return str(kind)


# ---------------------------------------------------------------- patterns, most specific first

BLANK = re.compile(
    rf"(?:(?:20|19)?[{BLANK_CHARS}]{{1,4}}\s*年|\d{{4}}\s*年\s*[{BLANK_CHARS}]{{1,2}}\s*月"
    rf"|(?<![\dA-Za-z])[{BLANK_CHARS}]{{1,2}}\s*月份?"
    rf"|(?<![\dA-Za-z])20[{BLANK_CHARS}]{{2}}(?![\w年]))"
    rf"(?:[{BLANK_CHARS}\d]{{0,2}}月份?)?(?:[{BLANK_CHARS}\d]{{0,2}}[日号])?(?:底|初)?(?:之前|以前|前)?")
PHASE_NAMED = re.compile(r"(?P<name>第[一二三四五六七八九十]+阶段|[\u4e00-\u9fff]{2,6}阶段)\s*[（(]\s*(?P<span>[^）)]{2,30})[）)]")
PERIOD_DAYS = re.compile(
    rf"(?:(?P<y>\d{{4}})年)?{M}月{D}[日号]?\s*(?:至|到|—|－|-|~|～)+\s*(?:(?P<y2>\d{{4}})年)?(?:(?P<m2>1[0-2]|0?[1-9])月)?"
    rf"(?P<d2>3[01]|[12]\d|0?[1-9])[日号]")
PERIOD_MONTHS = re.compile(
    rf"(?:(?P<y>\d{{4}})年)?{M}月份?\s*(?:至|到|—|－|~|～)+\s*"
    rf"(?:(?:(?P<y2>\d{{4}})年)?(?P<m2>1[0-2]|0?[1-9])月(?:底|末)?|(?P<yearend>年底|年末|年终))")
START = re.compile(rf"(?:自|从)?(?:(?P<y>\d{{4}})年|{REL})?{M}月(?:{D}[日号])?(?:正式)?(?:开始|起|启动|运行)(?!施行)"
                   rf"|(?:自|从)(?P<y_only>\d{{4}})年(?:起|开始)")
MONTH_END = re.compile(rf"(?:(?P<y>\d{{4}})年?|{REL})?{M}月(?:底|末)(?:之前|以前|前)?")
DATE = re.compile(rf"(?P<pre>到|截至|截止|于|在)?\s*(?:(?P<y>\d{{4}})年?|{REL})?{M}月{D}[日号](?P<tail>之前|以前|前|止)?")
MONTH = re.compile(rf"(?P<pre>到|至|截至|截止|于|在)?\s*(?P<y>\d{{4}})年?{M}月(?P<tail>初|上旬|中旬|下旬|份|底前|之前|以前|前)?")
YEAR = re.compile(
    rf"(?P<pre>到|至|截至|截止|在|于)\s*(?P<y>\d{{4}})年(?:底|末)?(?!\d{{1,2}}月|\d)(?:之前|以前|前)?"
    rf"|(?P<y2>\d{{4}})年(?:底|末)(?:之前|以前|前)?|(?P<y3>\d{{4}})年(?:之前|以前|前)|(?P<y4>\d{{4}})年内"
    rf"|{REL}?(?<!\d)(?:年底|年内)(?:之前|以前|前)?")
RECURRING = re.compile(r"(?P<p>每|按|逐)(?P<u>半年|星期|学期|学年|年度|季度|周|月|季|年)(?![龄级份纪轻代初末底内])")
RECURRING_NOUN = re.compile(r"(?<![每按逐\d])(?P<u>月|季度|年度)(?:工作|综合|目标)?(?:清单|计划|调度|考核|报告|例会|总结|评估)")
ONGOING = re.compile(r"长期(?:开展|坚持|执行|实施|进行|有效|推进)|常态化(?:开展|推进|进行|落实|运行)?|常态长效")
TIMES = re.compile(r"(?:至少|不少于|不低于|最少)?(?P<n>\d{1,3}|[一二两三四五六七八九十]{1,2})(?:次|场|期|回|轮)")
AT_LEAST = re.compile(r"至少|不少于|不低于|最少")  # before the count, maybe a verb apart: 每学期至少开展两次
BY_DAY = re.compile(r"^(?P<n>\d{1,2})[日号](?:之前|以前|前)")
DONE_SOON = re.compile(r"^[^，。；\n]{0,12}完成")
BOOK_TITLE = re.compile(r"《[^》]*》")
SEGMENT_STOPS = "，。；\n：！？"
ALWAYS = re.compile(r"长期|常年|持续|长期有效|持续推进|持续开展|经常性|日常|全年")
# Work that something sets off: 发现侵害线索立即报告, 接到举报后及时处置, 发现……的，24小时内报告.
HOURS_WORDS = r"(?P<hours>\d{1,3}|[一二两三四五六七八九十]{1,3})个?小时(?:之内|以内|内)"
TRIGGER = r"(?:一旦|一经)?(?:发现(?!报告)|接到|接报|收到|遇到|遇有|发生)(?:(?!并|做好|做到|要|应|须)[^，。；、！？（(\n\d]){0,30}?"
EVENT = re.compile(rf"(?P<trigger>{TRIGGER})(?:的|后|时)?[，,]?\s*(?:要|应|须|应当|必须|均|并|依法|按规定)*"
                   rf"(?:(?P<when>立即|及时|第一时间|马上|迅速|当即)|(?:在|于)?{HOURS_WORDS})")
HOURS = re.compile(rf"(?:在|于)?{HOURS_WORDS}")
TRIGGER_BEFORE = re.compile(rf"({TRIGGER})(?:的|后|时)?[，,]")
WHOLE_DATE = re.compile(r"(?:\d{4}年)?\d{1,2}月(?:\d{1,2}[日号])?|\d{4}年\d{1,2}月份?")


def year_hint(text: str, issued: dt.date | None) -> int | None:
    """The year a date written without one belongs to: the issue date's, else the earliest year the text gives."""
    if issued:
        return issued.year
    years = [int(y) for y in re.findall(r"(?<!\d)(20\d{2})\s*年", BOOK_TITLE.sub("", text))]
    return min(years) if years else None


def find_deadlines(text: str, hint: int | None = None, issued: dt.date | None = None,
                   labelled: bool = False) -> list[Deadline]:
    """Every deadline in `text`, in order. `labelled`: the text is a 完成时限 entry, so the words before each
    deadline name the part of the work it is for."""
    work = BOOK_TITLE.sub(lambda m: "□" * len(m.group(0)), text)  # titles of laws and plans hold no deadlines
    if labelled and ALWAYS.fullmatch(text.strip()):  # 完成时限：长期
        return [Deadline("ongoing", text.strip(), label=None)]
    if labelled and WHOLE_DATE.fullmatch(work.strip()):  # 完成时间：2024年10月31日 (an Excel date): the date is due
        work = work.rstrip() + "前"
    taken: list[tuple[int, int]] = []
    found: list[Deadline] = []
    for pattern, build in _RULES:
        for m in pattern.finditer(work):
            if any(m.start() < b and a < m.end() for a, b in taken) or not m.group(0).strip():
                continue
            deadline = build(m, work, hint)
            if deadline is None:
                continue
            taken.append((m.start(), m.end()))
            segment = _segment(text, m.start(), m.end())
            label = _label(text, m.start()) if labelled else deadline.label
            deadline = replace(deadline, text=segment, label=label, position=m.start())
            found.append(_checked(deadline, issued))
    found.sort(key=lambda d: d.position)
    out: list[Deadline] = []
    seen: set[tuple[str, str | None]] = set()
    for d in found:
        if (d.key(), d.label) not in seen:
            seen.add((d.key(), d.label))
            out.append(d)
    return out


def _segment(text: str, start: int, end: int) -> str:
    left = max(text.rfind(c, 0, start) for c in SEGMENT_STOPS) + 1
    rights = [i for i in (text.find(c, end) for c in SEGMENT_STOPS) if i != -1]
    right = min(rights) if rights else len(text)
    segment = text[left:right].strip()
    if 0 < len(segment) <= 60:
        return segment
    return text[max(left, start - 12):min(right, end + 12)].strip() or text[start:end]


GENERIC_LABELS = {"此项工作", "该项工作", "以上工作", "本项工作", "工作", "此项", "该项"}


def _label(text: str, start: int) -> str | None:
    left = max(text.rfind(c, 0, start) for c in SEGMENT_STOPS) + 1
    label = re.sub(r"(?:在|于|的|要|须|应|应当|必须|并|并且|到|截至)+$", "", text[left:start].strip()).strip()
    return label if 2 <= len(label) <= 30 and label not in GENERIC_LABELS else None


def _year(m: re.Match, hint: int | None, *names: str) -> tuple[int | None, str]:
    """The year of a match and, when it was not written out, a note saying where it came from."""
    for name in names or ("y",):
        value = m.groupdict().get(name)
        if value:
            return int(value), ""
    rel = m.groupdict().get("rel")
    if hint is None:
        return None, ""
    if rel == "明年":
        return hint + 1, f"“明年”按文件年份推定为 {hint + 1} 年"
    if rel:
        return hint, f"“{rel}”按文件年份推定为 {hint} 年"
    return hint, f"原文没有写年份，按文件年份推定为 {hint} 年"


def _no_year(m: re.Match) -> Deadline:
    return Deadline("unknown", m.group(0), reason="原文没有写年份，文中也看不出是哪一年，请向发文单位核实。")


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _blank(m: re.Match, text: str, hint: int | None) -> Deadline:
    words = m.group(0)
    part = "年份" if re.search(rf"[{BLANK_CHARS}]\s*年|20[{BLANK_CHARS}]{{2}}", words) else "月份" \
        if re.search(rf"[{BLANK_CHARS}]\s*月", words) else "日期"
    return Deadline("unknown", words, reason=f"原文{part}空缺（写作“{words}”），无法确定，请向发文单位核实。")


def _phase_named(m: re.Match, text: str, hint: int | None) -> Deadline | None:
    span = span_of(m.group("span"), hint)
    if span is None:
        return None
    start, end, note = span
    return Deadline("phase", m.group(0), phase=m.group("name"), start=start, end=end, note=note)


def _period_days(m: re.Match, text: str, hint: int | None) -> Deadline | None:
    year, note = _year(m, hint)
    if year is None:
        return _no_year(m)
    year2 = int(m.group("y2")) if m.group("y2") else year
    month2 = int(m.group("m2")) if m.group("m2") else int(m.group("m"))
    start, end = _iso(year, int(m.group("m")), int(m.group("d"))), _iso(year2, month2, int(m.group("d2")))
    return _dates_or_unknown("period", m, start, end, note)


def _period_months(m: re.Match, text: str, hint: int | None) -> Deadline | None:
    year, note = _year(m, hint)
    if year is None:
        return _no_year(m)
    start = _iso(year, int(m.group("m")), 1)
    if m.group("yearend"):
        end = f"{year}-12-31"
    else:
        year2 = int(m.group("y2")) if m.group("y2") else year
        end = month_end(year2, int(m.group("m2"))).isoformat()
    return _dates_or_unknown("period", m, start, end, note)


def _dates_or_unknown(kind: str, m: re.Match, start: str | None, end: str | None, note: str) -> Deadline:
    if start is None or end is None:
        return Deadline("unknown", m.group(0), reason=f"原文的日期“{m.group(0)}”在日历上不存在，请核对。")
    if end < start:
        return Deadline("unknown", m.group(0), reason=f"原文的期间“{m.group(0)}”结束早于开始，请核对。")
    return Deadline(kind, m.group(0), start=start, end=end, note=note)


def _start(m: re.Match, text: str, hint: int | None) -> Deadline | None:
    if m.group("y_only"):
        return Deadline("ongoing", m.group(0), start=f"{m.group('y_only')}-01-01")
    year, note = _year(m, hint)
    if year is None:
        return _no_year(m)
    day = _iso(year, int(m.group("m")), int(m.group("d") or 1))
    if day is None:
        return Deadline("unknown", m.group(0), reason=f"原文的日期“{m.group(0)}”在日历上不存在，请核对。")
    return Deadline("ongoing", m.group(0), start=day, note=note)


def _month_end(m: re.Match, text: str, hint: int | None) -> Deadline | None:
    year, note = _year(m, hint)
    if year is None:
        return _no_year(m)
    return Deadline("date", m.group(0), date=month_end(year, int(m.group("m"))).isoformat(), note=note)


def _date(m: re.Match, text: str, hint: int | None) -> Deadline | None:
    if not (m.group("pre") or m.group("tail") or DONE_SOON.match(text[m.end():])):
        return None  # a date that is only mentioned (an issue date, a law's commencement) is no deadline
    year, note = _year(m, hint)
    if year is None:
        return _no_year(m)
    day = _iso(year, int(m.group("m")), int(m.group("d")))
    if day is None:
        return Deadline("unknown", m.group(0), reason=f"原文的日期“{m.group(0).strip()}”在日历上不存在，请核对。")
    return Deadline("date", m.group(0), date=day, note=note)


def _month(m: re.Match, text: str, hint: int | None) -> Deadline | None:
    if not (m.group("pre") or m.group("tail") or DONE_SOON.match(text[m.end():])):
        return None
    year = int(m.group("y"))
    note = "" if re.search(r"\d{4}年", m.group(0)) else "原文年、月之间缺“年”字"
    return Deadline("month", m.group(0), month=f"{year:04d}-{int(m.group('m')):02d}", note=note)


def _year_only(m: re.Match, text: str, hint: int | None) -> Deadline | None:
    year, note = _year(m, hint, "y", "y2", "y3", "y4")
    if year is None:
        return _no_year(m)
    return Deadline("year", m.group(0), year=year, note=note)


def _recurring(m: re.Match, text: str, hint: int | None) -> Deadline | None:
    unit = m.group("u")
    after = text[m.end():]
    clause = re.split(r"[，。；\n]", after, maxsplit=1)[0][:24]
    times = None
    t = TIMES.search(clause)
    if t:
        raw = t.group("n")
        times = int(raw) if raw.isdigit() else _numeral(raw)
    at_least = bool(t and AT_LEAST.search(clause[:t.end()]))
    if unit == "半年":
        times = (times or 1) * 2
    by_day = None
    if unit == "月":
        b = BY_DAY.match(after)
        by_day = int(b.group("n")) if b else None
    return Deadline("recurring", m.group(0), every=EVERY[unit], times=times if times and times > 1 else None,
                    at_least=at_least, by_day=by_day)


def _recurring_noun(m: re.Match, text: str, hint: int | None) -> Deadline:
    return Deadline("recurring", m.group(0), every=EVERY[m.group("u")])


def _ongoing(m: re.Match, text: str, hint: int | None) -> Deadline:
    return Deadline("ongoing", m.group(0))


def _trigger(words: str) -> str:
    """发现侵害线索 out of 一旦发现侵害线索 / 对发现的疑似受侵害儿童做到: the event, less the words around it."""
    return re.sub(r"(?:做到|要|应当|应|须|必须|务必)$", "", re.sub(r"^(?:一旦|一经)", "", words))


def _event(m: re.Match, text: str, hint: int | None) -> Deadline:
    trigger = _trigger(m.group("trigger"))
    if trigger == "发生":  # 侵害学生行为一经发生: what happens is written before the verb
        before = text[max(text.rfind(c, 0, m.start()) for c in SEGMENT_STOPS) + 1:m.start()]
        trigger = re.sub(r"(?:一经|一旦)$", "", before.strip()) + trigger
    hours = m.groupdict().get("hours")
    event = f"{trigger}后{_hours(hours)}小时内" if hours else f"{trigger}时"
    return Deadline("event", m.group(0), event=event, label=_action(text, m.end()))


def _hours_only(m: re.Match, text: str, hint: int | None) -> Deadline:
    """N小时内 without its trigger in the same words: the trigger is the one the sentence started with."""
    sentence = text[max(text.rfind(c, 0, m.start()) for c in "。；\n") + 1:m.start()]
    before = [e.group("trigger") for e in EVENT.finditer(sentence)] or TRIGGER_BEFORE.findall(sentence)
    trigger = _trigger(before[-1]) if before else ""
    event = f"{trigger}后{_hours(m.group('hours'))}小时内" if trigger else f"{_hours(m.group('hours'))}小时内（原文没有写从何时起算）"
    return Deadline("event", m.group(0), event=event, label=_action(text, m.end()))


def _hours(words: str) -> int | str:
    return int(words) if words.isdigit() else _numeral(words) or words


def _action(text: str, start: int) -> str | None:
    """What is to be done when the event happens: the words after 立即 / 24小时内, up to the end of the clause."""
    action = re.split(r"[，。；（(\n]", text[start:], maxsplit=1)[0].strip()
    return action if 2 <= len(action) <= 30 else None


def _numeral(word: str) -> int | None:
    if word == "十":
        return 10
    if word.startswith("十"):
        return 10 + NUMERALS.get(word[1:], 0)
    if word.endswith("十"):
        return NUMERALS.get(word[0], 0) * 10
    if len(word) == 2 and word[1] in NUMERALS:
        return NUMERALS.get(word[0], 0) * 10 + NUMERALS[word[1]]
    return NUMERALS.get(word)


_RULES = [
    (BLANK, _blank), (PHASE_NAMED, _phase_named), (PERIOD_DAYS, _period_days), (PERIOD_MONTHS, _period_months),
    (START, _start), (MONTH_END, _month_end), (DATE, _date), (MONTH, _month), (YEAR, _year_only),
    (RECURRING, _recurring), (RECURRING_NOUN, _recurring_noun), (ONGOING, _ongoing),
    (EVENT, _event), (HOURS, _hours_only),
]


def _checked(d: Deadline, issued: dt.date | None) -> Deadline:
    """A deadline that cannot be before the document was issued: a filled-in year moves on a year, a written one
    becomes unknown for a person to check (the validator would reject it)."""
    if issued is None or d.kind not in ("date", "month", "year", "period", "phase"):
        return d
    due = {"date": d.date, "period": d.end, "phase": d.end}.get(d.kind)
    if d.kind == "month":
        due = month_end(*map(int, d.month.split("-"))).isoformat()
    if d.kind == "year":
        due = f"{d.year}-12-31"
    if due is None or due >= issued.isoformat():
        return d
    if d.note and d.kind == "date":
        moved = dt.date.fromisoformat(d.date)
        try:
            later = moved.replace(year=moved.year + 1).isoformat()
        except ValueError:  # 2月29日
            later = None
        if later and later >= issued.isoformat():
            return replace(d, date=later, note=f"原文没有写年份；按印发日期之后推定为 {later[:4]} 年")
    return Deadline("unknown", d.text, reason=f"按原文解析为 {due}，早于文件印发日期 {issued.isoformat()}，请核对年份。",
                    label=d.label, position=d.position)


# ---------------------------------------------------------------- phases

PHASE_OPEN = re.compile(r"^(?P<name>第[一二三四五六七八九十]+阶段|[\u4e00-\u9fff]{2,8}?阶段)?[（(：:，、\s]*")


def span_of(words: str, hint: int | None) -> tuple[str | None, str, str] | None:
    """(start, end, note) of a time span such as 2021年7月30日前, 8月至年底, 2022年1月至12月; None if it is none."""
    words = words.strip()
    for pattern, builder in ((PERIOD_DAYS, _period_days), (PERIOD_MONTHS, _period_months), (MONTH_END, _month_end),
                             (DATE, _date), (MONTH, _month)):
        m = pattern.match(words)
        if not m:
            continue
        d = builder(m, words + "完成", hint)  # a span is a deadline by position, whatever words follow it
        if d is None or d.kind == "unknown":
            return None
        if d.kind == "period":
            return d.start, d.end, d.note
        if d.kind == "date":
            return None, d.date, d.note
        if d.kind == "month":
            return None, month_end(*map(int, d.month.split("-"))).isoformat(), d.note
    return None


def is_phase_paragraph(text: str) -> bool:
    return phase_words(text) is not None


def phase_words(text: str) -> str | None:
    """The opening time span of an unnumbered paragraph that describes a work phase, e.g. "2021年8月至年底"."""
    opening = PHASE_OPEN.match(text)
    rest = text[opening.end():] if opening else text
    for pattern in (PERIOD_DAYS, PERIOD_MONTHS, MONTH_END, DATE, MONTH):
        m = pattern.match(rest)
        if m and re.match(r"^(?:之前|以前|前)?[，：:）)。]", rest[m.end():]):
            tail = re.match(r"^(?:之前|以前|前)?", rest[m.end():]).group(0)
            return rest[:m.end()] + tail
    return None


def phase_of(text: str, number: int, hint: int | None) -> Deadline | None:
    """A phase paragraph as a deadline of kind phase; unnamed phases are numbered 第一阶段, 第二阶段 … in order."""
    words = phase_words(text)
    if words is None:
        return None
    span = span_of(words, hint)
    opening = PHASE_OPEN.match(text)
    name = opening.group("name") if opening and opening.group("name") else f"第{'一二三四五六七八九十'[number - 1]}阶段" \
        if number <= 10 else f"第{number}阶段"
    if span is None:
        return Deadline("unknown", words, phase=None, reason=f"{name}的时间“{words}”不完整（缺年份），请核对。")
    start, end, note = span
    return Deadline("phase", words, phase=name, start=start, end=end, note=note)
