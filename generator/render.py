"""Stage 5: the handbook's pages as Markdown, from the model alone.

`pages()` returns {path under docs/: Markdown text}; it knows nothing of MkDocs, so the same pages can feed any
engine. Output is deterministic: the same data and date give the same bytes.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter, defaultdict
from typing import Callable, Iterable, Sequence

import networkx as nx
from pypinyin import lazy_pinyin

from . import checks, diagrams, exports, graph, labels, schedule
from .diffformat import Names, describe
from .history import Commit, History
from .markdown import EXCLUDE, attr, front_matter, link, rel, screen_only, table, text
from .paths import (document_path, download_name, download_path, duty_path, href, kind_path, line_path, picture_path,
                    role_path, unit_path)
from .training import Training
from .model import Dataset, Document, Duty, Line, Unit

DOWNLOADS = (("xlsx", "Excel 表格"), ("docx", "Word 责任清单"), ("csv", "CSV"), ("ics", "日历（ICS）"))

# Checklist boxes can be ticked; assets/qingdan/checklist.js remembers them in the reader's browser only.
TICKS_NOTE = ("勾选只保存在这个浏览器里：换一台电脑或换一个浏览器就看不到，清除浏览器数据后也会消失，"
              "不会上传到任何地方。要留存或上报完成情况，请下载 Word 或 Excel 清单填写。\n{ .qd-ticks-note }")


def task_key(page: str, duty_id: str, action: str | None = None, *, indent: int) -> str:
    """The attribute line that gives one checklist item its stable key: page, duty and (for an action) a digest of
    its text. Never a position, so a tick stays with its item when duties are regrouped or added."""
    key = f"{page}#{duty_id}"
    if action is not None:
        key += "/" + hashlib.sha1(action.encode("utf-8")).hexdigest()[:10]
    return " " * (4 * indent) + f'{{ data-qd-task="{attr(key)}" }}'


# ---------------------------------------------------------------- shared pieces

_CN = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _cn_number(token: str) -> int:
    if token.isdigit():
        return int(token)
    total, current = 0, 0
    for ch in token:
        if ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            current = _CN.get(ch, 0)
    return total + current


_NUMERAL = r"[〇零一二两三四五六七八九十百]+|\d+"


def clause_key(clause: str) -> tuple:
    """Sort key for clause citations such as 二(三)10, (四)1, 三(一), 7.

    A citation that starts with words (保障措施(二)) sorts after the numbered outline, by its words first.
    """
    prefix = re.match(r"[^（(〇零一二两三四五六七八九十百\d]*", clause).group(0)
    numbers = tuple(_cn_number(t) for t in re.findall(_NUMERAL, clause[len(prefix):]))
    return (1 if prefix else 0, prefix, *numbers)


def date_cell(day: dt.date, form: str = "%Y-%m-%d") -> str:
    """A date in a table cell, never broken at its hyphens on a narrow phone screen."""
    return f'<span class="qd-date">{day.strftime(form)}</span>'


def area_order(data: Dataset, first: Sequence[str] = ()) -> Callable[[str], tuple]:
    """Sort key for jurisdictions: the handbook's own (`first`, as its mkdocs.yml names them) in that order, then
    the others in pinyin order, and the jurisdictions of model texts (template: true) last."""
    templates = {d.jurisdiction for d in data.documents.values() if d.template}
    first = list(first)

    def key(area: str) -> tuple:
        if area in first:
            return (0, first.index(area), [], area)
        return (2 if area in templates else 1, 0, lazy_pinyin(area), area)
    return key


class Pages:
    """Builds every page of one handbook; look-up tables are computed once."""

    def __init__(self, data: Dataset, g: nx.MultiDiGraph, as_of: dt.date, history: History | None = None,
                 memo: dict | None = None, first: Sequence[str] = (), directory_urls: bool = True) -> None:
        self.memo = memo  # laid-out pictures kept between rebuilds by `qingdan serve`
        self.directory_urls = directory_urls  # the URL style links inside pictures are written for
        self.data = data
        self.area_key = area_order(data, first)
        self.g = g
        self.as_of = as_of
        self.history = history or History(False, "生成手册时没有读取变更记录。")
        self.names = Names(data, known=self.history.names)
        self.training = Training(self)
        duties = data.duties

        def ask(node: str, rel: str, incoming: bool = False) -> list[Duty]:
            return [duties[d] for d in graph.related(g, node, rel, incoming)]

        # Every ownership look-up below is a question to the graph, asked once per node.
        self.leads = {uid: ask(uid, "leads") for uid in data.units}
        self.supports = {uid: ask(uid, "supports") for uid in data.units}
        self.dependents = {did: ask(did, "depends_on", incoming=True) for did in duties}
        self.by_line = {lid: ask(lid, "in_line", incoming=True) for lid in data.lines}
        self.by_role = {rid: ask(rid, "names_role", incoming=True) for rid in data.roles}
        self.by_document = {doc: sorted(ask(doc, "cites", incoming=True), key=lambda d: (clause_key(d.clause), d.id))
                            for doc in data.documents}
        self.children = {uid: [data.units[c] for c in graph.related(g, uid, "parent", incoming=True)]
                         for uid in data.units}
        # A unit page (and its downloads) lists the sub-units' duties too; other pages count each unit's own.
        self.checklists = graph.duties_by_unit(data)
        self.svg: dict[str, str | None] = {}  # picture path -> SVG (None without Graphviz)

    # -- small renderers

    @staticmethod
    def clause_sort(duty: Duty) -> tuple:
        return clause_key(duty.clause)

    def unit_link(self, uid: str, page: str) -> str:
        return link(self.data.units[uid].label, unit_path(uid), page)

    def units(self, ids: Iterable[str], page: str) -> str:
        return "、".join(self.unit_link(u, page) for u in ids)

    def duty_link(self, duty: Duty, page: str) -> str:
        return link(duty.title, duty_path(duty.id), page)

    def source(self, duty: Duty, page: str) -> str:
        doc = self.data.documents[duty.document]
        return f"{link(doc.label, document_path(doc.id), page)} {text(duty.clause)}"

    def deadline_words(self, duty: Duty) -> str:
        return schedule.duty_words(duty, self.as_of, text)

    def passed_words(self, duties: list[Duty]) -> str:
        """The milestones gone by on duties that are still running: counted, since the duty's group hides them."""
        counts = [n for n in (schedule.passed_milestones(d, self.as_of) for d in duties) if n]
        if not counts:
            return ""
        return (f"另有 {len(counts)} 项仍在进行的职责（周期性、长期或还有以后的时限）中，{sum(counts)} 个时限已过，"
                "清单中标为“已过”。")

    def checklist_item(self, duty: Duty, page: str, role: str, unit: str) -> list[str]:
        """One duty on a unit's checklist, with everyone else on it: co-leads, the lead, the supporters."""
        title = f"**{self.duty_link(duty, page)}**"
        if role == "lead" and duty.lead_basis == "assigned":
            title += "（牵头待确认）"
        parts = [title, self.deadline_words(duty), self.source(duty, page)]
        parts += [f"{word}：{self.units(ids, page)}{after}" for word, ids, after in duty.partners(unit)]
        out = [f"- [ ] {' · '.join(parts)}", task_key(page, duty.id, indent=1)]
        for action in duty.actions:
            out += [f"    - [ ] {text(action)}", task_key(page, duty.id, action, indent=2)]
        return out

    # -- pages

    def link_from(self, picture: str) -> diagrams.Link:
        return lambda target: href(target, picture, self.directory_urls)

    def draw(self, pictures: dict[str, str]) -> None:
        """Lay out pictures {path: DOT} (one Graphviz run for many); they are written out with the pages."""
        self.svg.update(diagrams.render(pictures, self.memo))

    def figure(self, picture: str, page: str, caption: str) -> list[str]:
        return diagrams.block(self.svg.get(picture), href(picture, page, self.directory_urls), caption)

    def draw_all(self) -> None:
        data, g = self.data, self.g
        pictures = {}
        for d in data.documents:
            path = picture_path("documents", d)
            pictures[path] = diagrams.document_dot(data, g, d, self.link_from(path))
        for u in data.units:
            if self.leads[u] or self.supports[u]:
                path = picture_path("units", u)
                pictures[path] = diagrams.unit_dot(data, g, u, self.link_from(path))
        for d in data.duties:
            path = picture_path("duties", d)
            pictures[path] = diagrams.duty_dot(data, g, d, self.link_from(path))
        self.draw(pictures)

    def all(self) -> dict[str, str]:
        self.draw_all()
        pages: dict[str, str] = {"index.md": self.home(), "deadlines.md": self.deadlines(), "matrix.md": self.matrix(),
                                 "graph.md": self.graph_page(), "review.md": self.review(),
                                 "changes.md": self.changes()}
        pages["lines/index.md"] = self.lines_index()
        pages.update((line_path(x.id), self.line(x)) for x in self.data.lines.values())
        pages.update((duty_path(x.id), self.duty(x)) for x in self.data.duties.values())
        pages["units/index.md"] = self.units_index()
        pages.update((unit_path(x.id), self.unit(x)) for x in self.data.units.values())
        for kind in sorted({u.kind for u in self.data.units.values()}):
            pages[kind_path(kind)] = self.kind(kind)
        pages.update(self.training.all())
        pages["documents/index.md"] = self.documents_index()
        pages.update((document_path(x.id), self.document(x)) for x in self.data.documents.values())
        pages.update((path, svg) for path, svg in self.svg.items() if svg is not None)
        return dict(sorted(pages.items()))

    def home(self) -> str:
        page = "index.md"
        d = self.data
        out = [front_matter(title="首页"), "# 未成年人保护工作责任清单", ""]
        out.append(f"本手册收录 {len(d.documents)} 份文件中的 {len(d.duties)} 项职责，涉及 {len(d.units)} 个单位。"
                   f"每个单位都有一页自己的清单：牵头做什么、配合做什么、什么时候完成、和谁一起做。"
                   f"时限状态按 {self.as_of:%Y年%m月%d日} 计算。")
        out += ["", f"- 找自己单位的清单：{link('单位一览', 'units/index.md', page)}",
                f"- 按保护条线浏览：{link('六大保护和综合事项', 'lines/index.md', page)}",
                f"- 按时间查看：{link('时限总览', 'deadlines.md', page)}",
                f"- 按来源文件查看：{link('文件一览', 'documents/index.md', page)}",
                f"- 按岗位查看（儿童主任、儿童督导员等）：{link('岗位一览', 'roles/index.md', page)}", ""]
        out += ["## 各条线的职责 " + EXCLUDE, ""]
        rows = []
        for line in self._lines():
            duties = self.by_line[line.id]
            leads = {u for duty in duties for u in duty.lead}
            rows.append([link(line.name, line_path(line.id), page), str(len(duties)), str(len(leads))])
        out += [table(["条线", "职责", "牵头单位"], rows), ""]
        out += ["## 各文件的职责 " + EXCLUDE, ""]
        rows = [[link(doc.label, document_path(doc.id), page), text(doc.number or "—"), text(doc.jurisdiction),
                 str(len(self.by_document[doc.id]))] for doc in self._documents()]
        out += [table(["文件", "文号", "辖区", "职责"], rows), ""]
        out += ["## 近期时限 " + EXCLUDE, ""]
        soon = schedule.upcoming(d, self.as_of)
        if soon:
            rows = [[date_cell(x.due), self.duty_link(x.duty, page), self.units(x.duty.lead, page),
                     text(x.deadline.describe())] for x in soon]
            out += [table(["日期", "职责", "牵头", "时限"], rows)]
        else:
            out.append(f"{self.as_of:%Y年%m月%d日}之后没有写明日期的时限。周期性和长期工作见{link('时限总览', 'deadlines.md', page)}。")
        return "\n".join(out) + "\n"

    def _lines(self) -> list[Line]:
        return sorted(self.data.lines.values(), key=lambda x: (x.order, x.id))

    def _documents(self) -> list[Document]:
        return sorted(self.data.documents.values(),
                      key=lambda x: (self.area_key(x.jurisdiction), x.issued or dt.date.min, x.id))

    def lines_index(self) -> str:
        page = "lines/index.md"
        out = [front_matter(title="保护条线"), "# 保护条线", "",
               "《未成年人保护法》规定了家庭、学校、社会、网络、政府、司法六大保护；"
               "组织领导、监测预警、保障措施是贯穿各条线的综合事项。", ""]
        for kind, word in labels.LINE_KINDS.items():
            rows = [[link(x.name, line_path(x.id), page), text(x.description or ""),
                     str(len(self.by_line[x.id]))] for x in self._lines() if x.kind == kind]
            if rows:
                out += [f"## {word}", "", table(["条线", "内容", "职责"], rows), ""]
        return "\n".join(out)

    def line(self, line: Line) -> str:
        page = line_path(line.id)
        duties = self.by_line[line.id]
        out = [front_matter(title=line.name), f"# {text(line.name)}", ""]
        if line.description:
            out += [text(line.description), ""]
        out += [f"共 {len(duties)} 项职责。", ""]
        by_doc: dict[str, list[Duty]] = defaultdict(list)
        for duty in duties:
            by_doc[duty.document].append(duty)
        for doc in self._documents():
            items = sorted(by_doc.get(doc.id, []), key=lambda d: (clause_key(d.clause), d.id))
            if not items:
                continue
            rows = [[self.duty_link(x, page), self.units(x.lead, page), self.units(x.support, page),
                     self.deadline_words(x), text(x.clause)] for x in items]
            out += [f"## {text(doc.label)} {EXCLUDE}", "",
                    table(["职责", "牵头", "配合", "时限", "条款"], rows), ""]
        if not duties:
            out.append("这一条线目前没有职责。")
        return "\n".join(out)

    def duty(self, duty: Duty) -> str:
        page = duty_path(duty.id)
        d = self.data
        doc = d.documents[duty.document]
        line = d.lines[duty.line]
        out = [front_matter(title=duty.title), f"# {text(duty.title)}", "",
               self.training.link_terms(text(duty.summary), page), ""]
        facts = [
            ("来源", f"{link(doc.label, document_path(doc.id), page)} 第 {text(duty.clause)} 条"
                     + (f"（{text(doc.number)}）" if doc.number else "")),
            ("条线", link(line.name, line_path(line.id), page)),
            ("牵头", self.units(duty.lead, page)),
            ("牵头依据", text(labels.LEAD_BASIS[duty.lead_basis]) + "：" + labels.LEAD_BASIS_EXPLAINED[duty.lead_basis]),
        ]
        if duty.support:
            facts.append(("配合", self.units(duty.support, page)))
        if duty.roles:
            facts.append(("岗位", "、".join(link(d.roles[r].name, role_path(r), page) for r in duty.roles)))
        facts.append(("时限", self.deadline_words(duty)))
        out += [f"- **{k}**：{v}" for k, v in facts] + [""]
        if duty.lead_basis == "assigned":
            out += ['!!! warning "牵头单位待确认"', "",
                    "    原文没有写明由谁牵头，这里的牵头单位是编者指定的，请未保办与相关单位确认后再据此考核。"]
            if duty.lead_note:
                out += ["", f"    编者说明：{text(duty.lead_note)}"]
            out.append("")
        elif duty.lead_note:
            out += [f"编者说明：{text(duty.lead_note)}", ""]
        out += ["## 工作清单", "", TICKS_NOTE, ""]
        for action in duty.actions:
            out += [f"- [ ] {text(action)}", task_key(page, duty.id, action, indent=1)]
        out.append("")
        if duty.deadlines:
            rows = [[text(schedule.words(x, self.as_of)), date_cell(x.due) if x.due else "—", text(x.text or "")]
                    for x in duty.deadlines]
            out += ["## 时限", "", table(["时限", "截止日期", "原文说法"], rows), ""]
            inferred = [x for x in duty.deadlines if x.inferred]
            if inferred:
                out += ['!!! note "编者推定的时限"', "",
                        "    原文没有把这些时限写全，表中是编者的推定，须由发文单位确认：", ""]
                out += [f"    - {text(x.label or x.describe())}：{text(x.inferred)}" for x in inferred] + [""]
        needs = [d.duties[x] for x in duty.depends_on]
        needed_by = sorted(self.dependents[duty.id], key=lambda x: x.id)
        if needs or needed_by:
            out += ["## 前后关系", ""]
            if needs:
                out.append("须先完成：" + "、".join(self.duty_link(x, page) for x in needs))
                out.append("")
            if needed_by:
                out.append("以本项为前提：" + "、".join(self.duty_link(x, page) for x in needed_by))
                out.append("")
        out += [f"## 关系图 {EXCLUDE}", ""]
        out += self.figure(picture_path("duties", duty.id), page, "实线：牵头；虚线：配合；点线：须先完成。")
        out += self.record_history(duty.id, page)
        if duty.basis:
            out += ["## 法律政策依据", ""] + [f"- {text(b)}" for b in duty.basis] + [""]
        if duty.tags:
            out += ["标签：" + "、".join(text(t) for t in duty.tags), ""]
        return "\n".join(out)

    def units_index(self) -> str:
        page = "units/index.md"
        out = [front_matter(title="单位一览"), "# 单位一览", "",
               "每个单位的页面列出它牵头和配合的全部职责，并可下载 Excel、Word、CSV 和日历（ICS）格式的清单。", ""]
        kinds = Counter(u.kind for u in self.data.units.values())
        out += ["按类别浏览：" + "、".join(link(f"{labels.UNIT_KINDS[k]}（{n}）", kind_path(k), page)
                                       for k, n in sorted(kinds.items())), ""]
        by_area: dict[str, list[Unit]] = defaultdict(list)
        for unit in self.data.units.values():
            by_area[unit.jurisdiction].append(unit)
        templates = {d.jurisdiction for d in self.data.documents.values() if d.template}
        for area in sorted(by_area, key=self.area_key):
            rows = [[self.unit_link(u.id, page), text(labels.UNIT_KINDS[u.kind]),
                     *(str(len(x)) for x in self.checklists[u.id])] for u in sorted(by_area[area], key=self._unit_order)]
            out += [f"## {text(area)}", ""]
            if area in templates:
                out += ["这是范本（县名等处空缺的样板文件）中的单位，不是某地真实的单位，供参考。", ""]
            out += [table(["单位", "类别", "牵头", "配合"], rows), ""]
        return "\n".join(out)

    def _unit_order(self, unit: Unit) -> tuple:
        return (list(labels.UNIT_KINDS).index(unit.kind), -len(self.leads[unit.id]), unit.id)

    def kind(self, kind: str) -> str:
        page = kind_path(kind)
        word = labels.UNIT_KINDS[kind]
        units = sorted((u for u in self.data.units.values() if u.kind == kind),
                       key=lambda u: (self.area_key(u.jurisdiction), u.id))
        rows = [[self.unit_link(u.id, page), text(u.jurisdiction), *(str(len(x)) for x in self.checklists[u.id])]
                for u in units]  # the counts of the unit's page: a school's include its offices
        # The list stays out of search: each unit is found on its own page, and at province size the list of one
        # kind (thousands of names) is more than Zensical takes into one search entry.
        return "\n".join([front_matter(title=word), f"# {word}", "", f"共 {len(units)} 个单位。", "",
                          f"## 单位一览 {EXCLUDE}", "", table(["单位", "辖区", "牵头", "配合"], rows), ""])

    def unit(self, unit: Unit) -> str:
        page = unit_path(unit.id)
        leads, supports = self.checklists[unit.id]
        own = bool(self.leads[unit.id] or self.supports[unit.id])
        # Unit pages rank first when someone searches a unit's name; their checklists are excluded from the index.
        # The label (区民政局) is the page's keyword: a short name then finds its unit before the pages naming it.
        out = [front_matter(title=unit.name, tags=[unit.label], search={"boost": 10}), f"# {text(unit.name)}", ""]
        facts = []
        if unit.short_name:
            facts.append(("简称", text(unit.short_name)))
        if unit.aliases:
            facts.append(("又称", "、".join(text(a) for a in unit.aliases)))
        facts += [("类别", link(labels.UNIT_KINDS[unit.kind], kind_path(unit.kind), page)),
                  ("层级", text(labels.LEVELS[unit.level])), ("辖区", text(unit.jurisdiction))]
        if unit.parent:
            facts.append(("上级", self.unit_link(unit.parent, page)))
        children = sorted(self.children[unit.id], key=lambda u: u.id)
        if children:
            facts.append(("下级", self.units((c.id for c in children), page)))
        out += [f"- **{k}**：{v}" for k, v in facts] + [""]
        groups_lead = schedule.grouped(leads, self.as_of)
        overdue = len(groups_lead["overdue"])
        soon = len(groups_lead["soon"])
        if children:
            whose = f"本单位和 {len(children)} 个下级单位" if own else f"文件没有给本单位单列职责；下面汇总了 {len(children)} 个下级单位"
            out += [f"{whose}的全部职责，每项写明由谁牵头、谁配合。下载的清单同样包括下级单位的职责。", ""]
        words = "本单位和下级单位共" if children else ""
        out += [f"{words}牵头 **{len(leads)}** 项，配合 **{len(supports)}** 项；牵头的职责中 {soon} 项在 "
                f"{schedule.SOON_DAYS} 天内到期，{overdue} 项时限已过（按 {self.as_of:%Y-%m-%d} 计算）。"
                + self.passed_words(leads), ""]
        buttons = []
        no_calendar = exports.no_calendar(self.data, leads + supports, self.as_of)  # then there is no .ics file
        for ext, word in DOWNLOADS:
            if ext == "ics" and no_calendar:
                continue
            filename = download_name(unit.name, ext)
            buttons.append(f"[{word}]({rel(download_path(unit.id, ext), page)})"
                           f'{{ .md-button .qd-download download="{attr(filename)}" }}')
        out += ['<div class="qd-downloads" markdown>', "", "下载本单位清单：" + " ".join(buttons), ""]
        if no_calendar:
            out += [f"没有日历（ICS）文件：{text(no_calendar)}", ""]
        out += ["</div>", ""]
        if leads or supports:
            out += [TICKS_NOTE, ""]
        for role, duties, heading in (("lead", leads, "牵头的职责"), ("support", supports, "配合的职责")):
            out += [f"## {heading}（{len(duties)} 项） {EXCLUDE}", ""]
            if not duties:
                out += ["没有。", ""]
                continue
            for key, items in schedule.grouped(duties, self.as_of).items():
                if not items:
                    continue
                some = sum(1 for d in items if schedule.passed_milestones(d, self.as_of))
                out += [f"### {schedule.GROUPS[key]}（{len(items)}" + (f"，其中 {some} 项有已过的时限" if some else "")
                        + f"） {EXCLUDE}", ""]
                for duty in items:
                    out += self.checklist_item(duty, page, role, unit.id)
                out.append("")
        if own:
            out += [f"## 关系图 {EXCLUDE}", ""]
            out += self.figure(picture_path("units", unit.id), page,
                               "实线：牵头；虚线：配合。" + screen_only("点击方框或椭圆打开对应页面。"))
        out += self.record_history(unit.id, page)
        partners = graph.who(self.g, unit.id).partners
        if partners:
            rows = [[self.unit_link(p.unit, page), str(p.leads), str(p.supports), str(p.shared)] for p in partners]
            out += [f"## 协作单位 {EXCLUDE}", "",
                    "和本单位出现在同一项职责中的单位。“它牵头”“它配合”是这些共同职责中由对方牵头、配合的项数。", "",
                    table(["单位", "它牵头", "它配合", "共同职责"], rows), ""]
        return "\n".join(out)

    def documents_index(self) -> str:
        page = "documents/index.md"
        rows = [[link(doc.title, document_path(doc.id), page), text(doc.number or "—"), text(doc.issuer),
                 date_cell(doc.issued) if doc.issued else "—", str(len(self.by_document[doc.id]))]
                for doc in self._documents()]
        return "\n".join([front_matter(title="文件一览"), "# 文件一览", "",
                          table(["文件", "文号", "发文机关", "印发日期", "职责"], rows), ""])

    def document(self, doc: Document) -> str:
        page = document_path(doc.id)
        duties = self.by_document[doc.id]
        out = [front_matter(title=doc.label), f"# {text(doc.title)}", ""]
        facts = [("文号", text(doc.number) if doc.number else "原文无文号"), ("发文机关", text(doc.issuer)),
                 ("印发日期", f"{doc.issued:%Y年%m月%d日}" if doc.issued else "原文未注明"),
                 ("辖区", text(doc.jurisdiction)), ("出处", text(doc.source))]
        out += [f"- **{k}**：{v}" for k, v in facts] + [""]
        for note in (doc.issued_note, doc.note):
            if note:
                out += [f"编者说明：{text(note)}", ""]
        rows = [[text(x.clause), self.duty_link(x, page), link(self.data.lines[x.line].short_name,
                                                               line_path(x.line), page),
                 self.units(x.lead, page), self.deadline_words(x)] for x in duties]
        out += [f"## 职责（按条款顺序，共 {len(duties)} 项） {EXCLUDE}", "",
                table(["条款", "职责", "条线", "牵头", "时限"], rows), ""]
        return "\n".join(out)

    def deadlines(self) -> str:
        page = "deadlines.md"
        out = [front_matter(title="时限总览"), "# 时限总览", "",
               f"按日期排列的全部时限，状态按 {self.as_of:%Y年%m月%d日} 计算。周期性工作列在最后。", ""]
        by_year: dict[int, list[schedule.Dated]] = defaultdict(list)
        for item in schedule.dated(self.data):
            by_year[item.due.year].append(item)
        for year in sorted(by_year):
            rows = []
            for x in by_year[year]:
                state = "已过" if x.due < self.as_of else ("30 天内" if (x.due - self.as_of).days <= 30 else "")
                rows.append([date_cell(x.due, "%m-%d"), self.duty_link(x.duty, page), self.units(x.duty.lead, page),
                             text(x.deadline.describe()), state])
            out += [f"## {year} 年 {EXCLUDE}", "", table(["日期", "职责", "牵头", "时限", "状态"], rows), ""]
        phases = [(duty, d) for duty in self.data.duties.values() for d in duty.deadlines if d.kind == "phase"]
        if phases:
            by_phase: dict[tuple, list[Duty]] = defaultdict(list)
            for duty, d in phases:
                by_phase[(duty.document, d.phase, d.start, d.end)].append(duty)
            rows = [[link(self.data.documents[doc].label, document_path(doc), page), text(name),
                     date_cell(start) if start else "—", date_cell(end), str(len(items))]
                    for (doc, name, start, end), items in sorted(by_phase.items(), key=lambda x: (x[0][0], x[0][3]))]
            out += [f"## 工作阶段 {EXCLUDE}", "", table(["文件", "阶段", "开始", "结束", "职责"], rows), ""]
        recurring = schedule.recurring(self.data)
        if recurring:
            rows = [[text(labels.EVERY[d.every]), ("不少于 " if d.at_least else "") + str(d.times), self.duty_link(duty, page),
                     self.units(duty.lead, page), text(d.text or "")] for duty, d in recurring]
            out += [f"## 周期性工作 {EXCLUDE}", "", table(["周期", "每个周期次数", "职责", "牵头", "原文说法"], rows), ""]
        return "\n".join(out)

    # -- ownership review pages (issue: who owns what)

    def matrix(self) -> str:
        page = "matrix.md"
        out = [front_matter(title="责任矩阵"), "# 责任矩阵", "",
               "每个单位在各条线上牵头（牵）和配合（配）的职责数；下面再按文件列出每项职责由谁牵头（●）、谁配合（○）。", ""]
        lines = self._lines()
        by_area: dict[str, list[Unit]] = defaultdict(list)
        for unit in self.data.units.values():
            if self.leads[unit.id] or self.supports[unit.id]:
                by_area[unit.jurisdiction].append(unit)
        out += [f"## 单位 × 条线 {EXCLUDE}", ""]
        for area in sorted(by_area, key=self.area_key):
            rows = []
            for unit in sorted(by_area[area], key=self._unit_order):
                cells = [self.unit_link(unit.id, page)]
                for line in lines:
                    n_lead = sum(d.line == line.id for d in self.leads[unit.id])
                    n_support = sum(d.line == line.id for d in self.supports[unit.id])
                    cells.append(" ".join(x for x in (f"牵{n_lead}" if n_lead else "", f"配{n_support}"
                                                      if n_support else "") if x))
                rows.append(cells)
            out += [f"### {text(area)}", "", '<div class="qd-matrix" markdown>', "",
                    table(["单位"] + [text(x.short_name) for x in lines], rows, empty=" "), "", "</div>", ""]
        out += [f"## 职责 × 单位 {EXCLUDE}", ""]
        for doc in self._documents():
            duties = self.by_document[doc.id]
            units = sorted({u for d in duties for u in d.lead + d.support},
                           key=lambda u: self._unit_order(self.data.units[u]))
            if not duties:
                continue
            rows = [[text(d.clause), self.duty_link(d, page)]
                    + ["●" if u in d.lead else ("○" if u in d.support else "") for u in units] for d in duties]
            header = ["条款", "职责"] + [self.unit_link(u, page) for u in units]
            out += [f"### {text(doc.label)}", "", '<div class="qd-matrix qd-vertical" markdown>', "",
                    table(header, rows, empty=" "),
                    "", "</div>", ""]
        return "\n".join(out)

    def graph_page(self) -> str:
        out = [front_matter(title="关系图"), "# 关系图", "",
               "每份文件一张图：方框是职责，按保护条线分组；椭圆是单位。实线表示牵头，虚线表示配合，"
               "点线表示须先完成。" + screen_only("点击图中的职责或单位打开它的页面。"), ""]
        for doc in self._documents():
            out += [f"## {text(doc.label)} {EXCLUDE}", ""]
            out += self.figure(picture_path("documents", doc.id), "graph.md", text(doc.title))
        return "\n".join(out)

    def review(self) -> str:
        page = "review.md"
        data, g = self.data, self.g
        out = [front_matter(title="分工审核"), "# 分工审核", "",
               "给审核人员看的清单：哪些牵头单位还待确认、哪些单位牵头过多、哪些时限前后倒挂、哪些保护线在文件中空缺。"
               "同样的内容可以在命令行用 `qingdan check` 查看。", ""]
        assigned = sorted((data.duties[d] for d in graph.assigned_only(data)),
                          key=lambda d: (d.document, clause_key(d.clause), d.id))
        out += [f"## 牵头单位待确认（{len(assigned)}） {EXCLUDE}", "",
                "原文没有写明由谁牵头，牵头单位是编者指定的。请未保办与相关单位确认。", ""]
        if assigned:
            rows = [[self.duty_link(d, page), self.source(d, page), self.units(d.lead, page), text(d.lead_note or "")]
                    for d in assigned]
            out += [table(["职责", "来源", "指定的牵头单位", "编者说明"], rows), ""]
        overload = graph.overload(data, g)
        out += [f"## 牵头职责最多的单位 {EXCLUDE}", "",
                "同辖区牵头单位牵头项数的中位数作比较；明显偏多（超过中位数两倍且至少多 4 项）的标为“偏多”。", ""]
        rows = [[self.unit_link(o.unit, page), text(data.units[o.unit].jurisdiction), str(o.lead), f"{o.peers_median:g}",
                 "、".join(f"{text(data.lines[k].short_name)} {n}" for k, n in o.per_line.items()), "偏多" if o.flagged else "正常"]
                for o in overload]
        out += [table(["单位", "辖区", "牵头", "同辖区中位数", "按条线", "判断"], rows), ""]
        inversions = checks.inversions(data, g)
        out += [f"## 时限倒挂（{len(inversions)}） {EXCLUDE}", ""]
        if inversions:
            rows = [[self.duty_link(data.duties[x.duty], page), f"{x.due}", self.duty_link(data.duties[x.needs], page),
                     f"{x.needs_due}"] for x in inversions]
            out += [table(["职责", "到期", "须先完成的职责", "它的到期"], rows), ""]
        else:
            out += ["没有：每项职责都不早于它依赖的职责到期。", ""]
        foreign = graph.foreign_owners(data)
        if foreign:
            rows = [[self.duty_link(data.duties[d], page), self.units(data.duties[d].lead, page)] for d in foreign]
            out += [f"## 由其他辖区单位承担的职责（{len(foreign)}） {EXCLUDE}", "", table(["职责", "牵头"], rows), ""]
        gaps = graph.line_gaps(data)
        out += [f"## 文件中空缺的保护线（{len(gaps)}） {EXCLUDE}", ""]
        if gaps:
            words = {"no-duty": "没有职责", "no-lead": "牵头单位都是编者指定的"}
            rows = [[link(data.documents[x.document].label, document_path(x.document), page),
                     link(data.lines[x.line].name, line_path(x.line), page), words[x.problem]] for x in gaps]
            out += [table(["文件", "保护线", "情况"], rows), ""]
        idle = graph.unreferenced_units(g)
        if idle:
            out += [f"## 没有任何职责的单位（{len(idle)}） {EXCLUDE}", "", self.units(idle, page), ""]
        return "\n".join(out)

    # -- change log (from git)

    def change_words(self, change, page: str) -> str:
        def edit(op: tuple) -> str:
            kind, piece = op
            piece = text(piece.replace("\n", "；")) or "␣"
            return {"-": f"<del>{piece}</del>", "+": f"<ins>{piece}</ins>"}.get(kind, piece)

        words = describe(change, self.names, edit, text, with_id=False)
        # the record's name becomes a link when the record still exists
        target = {"duty": (self.data.duties, duty_path), "unit": (self.data.units, unit_path),
                  "document": (self.data.documents, document_path)}.get(change.record)
        if target and change.id in target[0] and target[1](change.id) != page:  # no link to the page itself
            name = self.names.record(change)
            words = words.replace(text(name), link(name, target[1](change.id), page), 1)
        return words

    def record_history(self, record_id: str, page: str, limit: int = 10) -> list[str]:
        entries = self.history.by_record.get(record_id, [])
        if not self.history.available or not entries:
            return []
        # A screen-only section: on paper the history took longer than the checklist it belongs to
        out = ['<div class="qd-history" markdown>', "", f"## 变更历史 {EXCLUDE}", ""]
        commits: dict[str, tuple[Commit, list]] = {}
        for commit, change in entries:  # one entry per commit, its changes under it
            commits.setdefault(commit.sha, (commit, []))[1].append(change)
        for commit, changes in list(commits.values())[:limit]:
            head = f"- {commit.date}" + (f"（{text(commit.note)}）" if commit.note else "")
            if len(changes) == 1:
                out.append(f"{head}：{self.change_words(changes[0], page)}")
            else:
                out += [f"{head}：{len(changes)} 项改动", ""]
                out += [f"    - {self.change_words(c, page)}" for c in changes]
                out.append("")
        if len(commits) > limit:
            out.append(f"- 更早的 {len(commits) - limit} 次提交见{link('变更记录', 'changes.md', page)}。")
        return out + ["", "</div>", ""]

    def changes(self, per_commit: int = 40) -> str:
        page = "changes.md"
        out = [front_matter(title="变更记录"), "# 变更记录", ""]
        if not self.history.available:
            return "\n".join(out + ['!!! note "没有变更记录"', "", f"    {text(self.history.reason)}", ""])
        out += ["数据每次在版本库中提交后改了什么，最新的在前。只列出日期和用中文写的提交说明，不公开提交人。"
                "审核人员也可以在命令行用 `qingdan diff` 比较任意两个版本。", ""]
        for commit in self.history.commits:
            if commit.note:
                out += [f"## {commit.date} · {text(commit.note)} {EXCLUDE}", "", f"提交 `{commit.sha[:10]}`。", ""]
            else:  # the commit number is the heading
                out += [f"## {commit.date} · 提交 {commit.sha[:10]} {EXCLUDE}", ""]
            if not commit.changes:
                out += ["这次提交没有改动职责、单位或文件记录。", ""]
                continue
            counts = Counter(c.title for c in commit.changes)
            out += ["、".join(f"{k} {n} 项" for k, n in counts.most_common()) + "。", ""]
            out += [f"- {self.change_words(c, page)}" for c in commit.changes[:per_commit]]
            if len(commit.changes) > per_commit:
                out.append(f"- ……以及另外 {len(commit.changes) - per_commit} 项。")
            out.append("")
        if self.history.truncated:
            out += [f"更早的提交未列出（只读取最近 {len(self.history.commits)} 次）。", ""]
        return "\n".join(out)


def pages(data: Dataset, g: nx.MultiDiGraph, as_of: dt.date, history: History | None = None,
          memo: dict | None = None, first: Sequence[str] = (), directory_urls: bool = True) -> dict[str, str]:
    """Every generated page and its pictures: {path relative to docs/: Markdown or SVG}. `first`: the
    jurisdictions listed first.

    `directory_urls` is the URL style of the site the pages are built into (units/x/, or units/x.html for file://):
    pictures are copied unchanged by the engine, so their links must already be URLs of that style.
    """
    return Pages(data, g, as_of, history, memo, first, directory_urls).all()
