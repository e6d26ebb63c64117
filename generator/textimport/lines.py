"""The protection line of an item: from a heading that names it, else from the words the item uses."""
from __future__ import annotations

import re

# The six lines and three cross-cutting matters (responsibilities/lines.yaml), for data sets that lack some of them.
STANDARD_LINES = [
    {"id": "family", "name": "家庭保护", "short_name": "家庭", "kind": "protection", "order": 1},
    {"id": "school", "name": "学校保护", "short_name": "学校", "kind": "protection", "order": 2},
    {"id": "society", "name": "社会保护", "short_name": "社会", "aliases": ["社会综合保护"], "kind": "protection", "order": 3},
    {"id": "network", "name": "网络保护", "short_name": "网络", "kind": "protection", "order": 4},
    {"id": "government", "name": "政府保护", "short_name": "政府", "kind": "protection", "order": 5},
    {"id": "judicial", "name": "司法保护", "short_name": "司法", "kind": "protection", "order": 6},
    {"id": "leadership", "name": "组织领导", "short_name": "组织领导", "kind": "cross-cutting", "order": 7},
    {"id": "monitoring", "name": "监测预警", "short_name": "监测预警", "kind": "cross-cutting", "order": 8},
    {"id": "safeguards", "name": "保障措施", "short_name": "保障措施", "kind": "cross-cutting", "order": 9},
]

# Words that point to a line when no heading names one. Weighted by how specific they are.
WORDS = {
    "family": {"家庭保护": 5, "家庭监护": 3, "家庭教育": 2, "监护": 1, "家庭": 1, "家长": 1, "家访": 2, "家风": 1},
    "school": {"学校保护": 5, "学校": 1, "校园": 2, "校舍": 2, "学生": 1, "教师": 1, "欺凌": 2, "思想道德": 2, "法制宣传": 1,
               "法治教育": 1, "安全教育": 2, "师德": 2, "心理健康": 2, "心理辅导": 2},
    "society": {"社会保护": 5, "社会综合保护": 5, "社会组织": 2, "村（居）": 1, "社区": 1, "群团": 2, "志愿": 1,
                "公共服务": 1, "儿童主任": 1, "夏令营": 2, "冬令营": 2, "关爱服务": 1},
    "network": {"网络保护": 5, "网络": 2, "网信": 2, "互联网": 2, "沉迷": 2, "网游": 2},
    "government": {"政府保护": 5, "政府监护": 3, "救助": 1, "困境": 1, "福利": 1, "医疗": 1, "托育": 2, "婴幼儿": 2,
                   "留守": 1, "孤儿": 1, "早婚": 2, "控辍保学": 2},
    "judicial": {"司法保护": 5, "司法": 1, "检察": 2, "法院": 2, "审判": 2, "案件": 1, "犯罪": 2, "法庭": 2,
                 "诉讼": 2, "受害人": 2, "被害人": 2},
    "leadership": {"组织领导": 4, "领导体系": 3, "领导小组": 2, "工作机制": 1, "制度建设": 3, "协调机制": 2,
                   "督导考核": 3, "责任清单": 2, "专班": 1, "对口": 1},
    "monitoring": {"监测": 2, "预警": 2, "摸排": 3, "排查": 1, "发现报告": 2, "信息报告": 3, "台账": 2,
                   "强制报告": 4, "立即报告": 3, "及时报告": 1, "线索": 2, "风险": 1, "统计": 1},
    "safeguards": {"保障措施": 5, "保障": 2, "经费": 2, "资金": 2, "宣传": 1, "考核": 1, "督查": 1, "监督检查": 2,
                   "队伍": 1, "表彰": 1},
}


def line_names(lines: list[dict]) -> dict[str, str]:
    """Names and aliases of the lines (家庭保护, 社会综合保护, 保障措施 …) → line id, longest first."""
    table: dict[str, str] = {}
    for line in lines:
        for name in (line.get("name"), *(line.get("aliases") or ())):
            if isinstance(name, str) and len(name) >= 3:
                table.setdefault(name, line["id"])
    return dict(sorted(table.items(), key=lambda kv: -len(kv[0])))


# 网络 that is no internet: a 工作网络, 服务网络 or 三级网络 is a network of offices and people, not 网络保护.
OFFLINE_NETWORK = re.compile(r"(?:工作|服务|关爱|保护|救助|组织|防护|覆盖|联络|协作|监测|阵地|体系|[一二三四五两\d]级)网络")


def guess_line(title: str, headings: tuple[str, ...], body: str, lines: list[dict],
               school: bool = False) -> tuple[str, str]:
    """(line id, how it was decided). A line a heading names outranks the item's own words (item 10 of 社会保护 is
    about 强制报告, but its section says it belongs to society); where no heading names one, the item's own words
    outrank the words of its heading (健全工作网络 says nothing of the 夏令营 or 强制报告 items under it)."""
    known = {line["id"] for line in lines}
    names = line_names(lines)
    for where, text in (("标题", title), *(("上级标题", h) for h in headings)):
        for name, line_id in names.items():
            if name in text:
                return line_id, f"{where}“{text}”写明{name}"
    scores = {line_id: 3 * _count(title, line_id) + _count(body, line_id) for line_id in known & WORDS.keys()}
    if school and "school" in scores:
        scores["school"] += 2
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], _order(kv[0], lines)))
    own = ranked[0][0] if ranked and ranked[0][1] > 0 else None
    if own and _count(title + "\n" + body, own, distinct=True) >= 2:  # one weak word (学生, 排查) is less than a heading
        return own, "按本项的用词推定"
    for heading in headings:
        best = _score(heading, known)
        if best:
            return best, f"按上级标题“{heading}”的用词推定"
    if own:
        return own, "按本项的用词推定"
    fallback = "school" if school and "school" in known else "leadership" if "leadership" in known else sorted(known)[0]
    return fallback, "原文看不出属于哪条保护线，暂列于此"


def _score(text: str, known: set[str]) -> str | None:
    scores = {line_id: _count(text, line_id) for line_id in known & WORDS.keys()}
    best = max(scores.items(), key=lambda kv: kv[1], default=(None, 0))
    return best[0] if best[1] >= 2 else None


def _count(text: str, line_id: str, distinct: bool = False) -> int:
    """The weight of the line's words in `text`: each time a word occurs, or (distinct) once per word."""
    text = OFFLINE_NETWORK.sub("", text)
    return sum(weight * (min(n, 1) if distinct else n) for word, weight in WORDS[line_id].items()
               if (n := len(re.findall(re.escape(word), text))))


def _order(line_id: str, lines: list[dict]) -> int:
    return next((line.get("order", 99) for line in lines if line["id"] == line_id), 99)
