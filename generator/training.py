"""Pages for trainers and new child directors: what a role does and how often, where reports go, where each kind
of case is referred, the risk colours, an ordered onboarding path, one-page briefs and the glossary.

Like `render`, plain Markdown from the model; it borrows `render.Pages`' link helpers.
"""
from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING

from pypinyin import lazy_pinyin

from . import diagrams, labels, schedule
from .markdown import EXCLUDE, front_matter, link, rel, table, text
from .model import Dataset, Deadline, Duty, Role
from .paths import GLOSSARY, ONBOARDING, brief_path, document_path, kind_path, line_path, role_path

if TYPE_CHECKING:  # render imports this module; the helpers come from a live Pages object
    from .render import Pages

HOTLINES = "12345（政务服务热线，各地用于受理未成年人保护报告）、12355（青少年服务台）、12349（民政服务热线）、110（紧急情况）"
PROTECTION_ORDER = ("family", "school", "society", "network", "government", "judicial")

# How often a role does something, in the order a trainer teaches it.
FREQUENCIES = {"visit": "每次走访", "week": "每周", "month": "每月", "quarter": "每季度", "semester": "每学期",
               "year": "每年", "event": "发生时", "dated": "有截止日期", "ongoing": "长期开展", "open": "未定时限"}


def frequency(deadline: Deadline) -> str:
    if deadline.kind == "recurring":
        return deadline.every
    if deadline.kind == "event":
        return "visit" if "走访" in (deadline.event or "") else "event"
    if deadline.kind == "ongoing":
        return "ongoing"
    if deadline.due:
        return "dated"
    return "open"


def onboarding_steps(data: Dataset) -> list[tuple[str, str, str]]:
    """The new child director's path, in order: (page, title, what the page is). The sidebar follows it too."""
    steps = [(f"{ONBOARDING}/{lid}.md", data.lines[lid].name, lid) for lid in PROTECTION_ORDER if lid in data.lines]
    role = data.roles.get("child-director")
    if role:
        steps.append((f"{ONBOARDING}/{role.id}.md", f"{role.name}做什么", "role"))
    return steps + [("reporting.md", "报告路线", "reporting"), ("referrals.md", "转介与风险等级", "referrals"),
                    (f"{ONBOARDING}/mandatory-reporting.md", "强制报告", "mandatory")]


def anchor(term_id: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", term_id.lower()).strip("-")


class Training:
    def __init__(self, pages: "Pages") -> None:
        self.p = pages
        self.data = pages.data
        units_by_kind: dict[str, list[str]] = defaultdict(list)
        for unit in self.data.units.values():
            units_by_kind[unit.kind].append(unit.id)
        self.units_by_kind = units_by_kind
        words = [(w, t.id) for t in self.data.terms.values() for w in (t.term, *t.aliases)]
        words.sort(key=lambda x: (-len(x[0]), x[0]))
        self.term_of = dict(words)
        self.term_pattern = re.compile("|".join(re.escape(w) for w, _ in words)) if words else None

    # -- shared pieces

    def link_terms(self, escaped: str, page: str) -> str:
        """Link the first mention of each glossary term in already-escaped text."""
        if not self.term_pattern:
            return escaped
        seen: set[str] = set()

        def swap(match: re.Match) -> str:
            term_id = self.term_of[match.group(0)]
            if term_id in seen:
                return match.group(0)
            seen.add(term_id)
            return f"[{match.group(0)}]({rel(GLOSSARY, page)}#{anchor(term_id)})"

        return self.term_pattern.sub(swap, escaped)

    def role_duties(self, role: Role) -> list[tuple[Duty, str]]:
        """(duty, how it reaches the role): duties that name the role, then duties of the units it sits in."""
        named = {d.id: d for d in self.p.by_role[role.id]}
        out = [(d, "点名本岗位") for d in named.values()]
        for kind in role.unit_kinds:
            for uid in self.units_by_kind.get(kind, []):
                for duty in self.p.leads[uid] + self.p.supports[uid]:
                    if duty.id not in named:
                        named[duty.id] = duty
                        out.append((duty, f"所在单位（{self.data.units[uid].label}）"))
        return out

    def by_frequency(self, role: Role) -> dict[str, list[tuple[Duty, str, Deadline | None]]]:
        groups: dict[str, list] = {key: [] for key in FREQUENCIES}
        for duty, via in self.role_duties(role):
            keys = {}
            for deadline in duty.deadlines:
                keys.setdefault(frequency(deadline), deadline)
            for key, deadline in (keys or {"open": None}).items():
                groups[key].append((duty, via, deadline))
        for items in groups.values():
            items.sort(key=lambda x: (x[0].document, self.p.clause_sort(x[0]), x[0].id))
        return groups

    # -- pages

    def all(self) -> dict[str, str]:
        pages = {"roles/index.md": self.roles_index(), GLOSSARY: self.glossary(), "reporting.md": self.reporting(),
                 "referrals.md": self.referrals()}
        for role in self.data.roles.values():
            pages[role_path(role.id)] = self.role(role)
            pages[brief_path(role.id)] = self.brief(role)
        onboarding, footers = self.onboarding()
        pages.update(onboarding)
        for path, footer in footers.items():
            pages[path] += "\n" + footer
        return pages

    def roles_index(self) -> str:
        page = "roles/index.md"
        rows = [[link(r.name, role_path(r.id), page), text(r.description or ""), str(len(self.role_duties(r))),
                 link("一页纸简报", brief_path(r.id), page)] for r in sorted(self.data.roles.values(), key=lambda r: r.id)]
        return "\n".join([front_matter(title="岗位一览"), "# 岗位一览", "",
                          f"儿童主任、儿童督导员等岗位要做的事，按岗位汇总。新任儿童主任请从{link('新人入门', f'{ONBOARDING}/index.md', page)}开始。",
                          "", table(["岗位", "说明", "相关职责", "打印"], rows), ""])

    def role(self, role: Role) -> str:
        page = role_path(role.id)
        out = [front_matter(title=role.name), f"# {text(role.name)}", ""]
        if role.description:
            out += [self.link_terms(text(role.description), page), ""]
        if role.aliases:
            out += ["又称：" + "、".join(text(a) for a in role.aliases), ""]
        kinds = [k for k in role.unit_kinds if self.units_by_kind.get(k)]
        out += ["设在：" + ("、".join(link(labels.UNIT_KINDS[k], kind_path(k), page) for k in kinds)
                         or "、".join(labels.UNIT_KINDS[k] for k in role.unit_kinds)),
                "", f"打印：{link('一页纸简报', brief_path(role.id), page)}", ""]
        groups = self.by_frequency(role)
        if not any(groups.values()):
            return "\n".join(out + ["数据中还没有涉及这个岗位的职责。", ""])
        areas = sorted({self.data.documents[d.document].jurisdiction for items in groups.values() for d, _, _ in items},
                       key=self.p.area_key)
        out += ["下面按辖区、再按“多久做一次”列出这个岗位涉及的职责：原文点名本岗位的，以及本岗位所在单位承担的。"
                "同一项职责有几个时限时，会在几组中各出现一次；已过的时限标有“已过”。"
                + ("培训时只看本辖区的一节即可。" if len(areas) > 1 else ""), ""]
        for area in areas:
            if len(areas) > 1:
                out += [f"## {text(area)} {EXCLUDE}", ""]
            for key, word in FREQUENCIES.items():
                items = [x for x in groups[key] if self.data.documents[x[0].document].jurisdiction == area]
                if not items:
                    continue
                rows = [[self.p.duty_link(d, page), self.p.source(d, page), self.when(dl), text(via)]
                        for d, via, dl in items]
                level = "###" if len(areas) > 1 else "##"
                out += [f"{level} {word}（{len(items)}） {EXCLUDE}", "",
                        table(["职责", "来源条款", "时限", "与本岗位的关系"], rows), ""]
        return "\n".join(out)

    def when(self, deadline: Deadline | None) -> str:
        if deadline is None:
            return "未定时限"
        return text(schedule.words(deadline, self.p.as_of))

    def brief(self, role: Role) -> str:
        """One printed page a new colleague keeps: how often, where reports go, where cases go, whom to call."""
        page = brief_path(role.id)
        out = [front_matter(title=f"{role.name}工作简报", search={"exclude": True}),
               '<div class="qd-brief" markdown>', "", f"# {text(role.name)}工作简报", ""]
        if role.description:
            out += [text(role.description), ""]
        groups = self.by_frequency(role)
        rows = []
        for key in ("visit", "week", "month", "quarter", "semester", "year", "event"):
            # a deadline's own label says what to do that often (黄色等级走访), where the duty title is general
            titles = list(dict.fromkeys((dl.label if dl and dl.label else d.title) for d, _, dl in groups[key]))
            if titles:
                rows.append([FREQUENCIES[key], "、".join(text(t) for t in titles[:8])
                             + (f" 等 {len(titles)} 项" if len(titles) > 8 else "")])
        if rows:
            out += ["## 固定要做的事", "", table(["多久一次", "做什么"], rows), ""]
        chains = [c for c in self.data.reporting_chains.values() if any(s.role == role.id for s in c.steps)]
        for chain in chains:
            out += [f"## 报告路线：{text(chain.name)}", "", " → ".join(self.step_label(s, page) for s in chain.steps), ""]
        refs = [r for r in self.data.referrals.values() if not r.roles or role.id in r.roles]
        if refs:
            rows = [[text(r.situation), self.p.units(r.to, page), self.p.units(r.notify, page) if r.notify else ""]
                    for r in refs]
            out += ["## 转介速查", "", table(["发现", "转介至", "同时通报"], rows), ""]
        levels = sorted(self.data.risk_levels.values(), key=lambda x: x.order)
        if levels:
            rows = [[text(labels.RISK_COLOURS[x.colour]), text(x.visits.describe()) if x.visits else ""] for x in levels]
            out += ["## 风险等级与走访", "", table(["等级", "走访 / 处置"], rows), ""]
        out += ["## 强制报告", "", "发现未成年人遭受或疑似遭受侵害、面临危险，立即报告，不得拖延；紧急情况先拨 110。", "",
                "## 求助电话", "", text(HOTLINES), "", "</div>", ""]
        return "\n".join(out)

    def step_label(self, step, page: str) -> str:
        if step.role:
            return link(self.data.roles[step.role].name, role_path(step.role), page)
        return self.p.unit_link(step.unit, page)

    def reporting(self) -> str:
        page = "reporting.md"
        out = [front_matter(title="报告路线"), "# 报告路线", "",
               "发现未成年人可能受到侵害或陷入困境时，信息一级一级往上报的路径。紧急情况随时拨打 110。", ""]
        chains = list(self.data.reporting_chains.values())
        if not chains:
            return "\n".join(out + ["数据中还没有报告路线。", ""])
        svgs = diagrams.render({c.id: diagrams.chain_dot(self.data, c, page) for c in chains})
        for chain in chains:
            doc = self.data.documents[chain.document]
            out += [f"## {text(chain.name)}", "", f"依据：{link(doc.label, document_path(doc.id), page)} "
                    f"{text(chain.clause)}", ""]
            out += diagrams.block(svgs[chain.id], "箭头表示信息的传递方向。")
            for i, step in enumerate(chain.steps, 1):
                parts = [f"{i}. **{self.step_label(step, page)}**"]
                if step.does:
                    parts.append(text(step.does))
                if step.when:
                    parts.append(f"（{text(step.when)}）")
                out.append(" ".join(parts))
            out.append("")
        return "\n".join(out)

    def referrals(self) -> str:
        page = "referrals.md"
        out = [front_matter(title="转介与风险等级"), "# 转介与风险等级", "",
               "发现下列情形时转介给谁、同时通报谁，以及困境未成年人按风险等级多久走访一次。本页可直接打印。", ""]
        refs = list(self.data.referrals.values())
        out += ["## 转介决策表", ""]
        if refs:
            rows = [[("**急** " if r.urgent else "") + text(r.situation),
                     "、".join(text(e) for e in r.examples), self.p.units(r.to, page),
                     self.p.units(r.notify, page) if r.notify else "", text(r.action),
                     f"{link(self.data.documents[r.document].label, document_path(r.document), page)} "
                     f"{text(r.clause)}"] for r in refs]
            out += [table(["情形", "包括", "转介至", "同时通报", "怎么做", "依据"], rows), ""]
        else:
            out += ["数据中还没有转介路线。", ""]
        levels = sorted(self.data.risk_levels.values(), key=lambda x: (x.document, x.order))
        out += ["## 风险等级", ""]
        if levels:
            meanings = any(x.meaning for x in levels)  # the sources often give none: then no empty column
            rows = [[text(labels.RISK_COLOURS[x.colour])] + ([text(x.meaning or "")] if meanings else [])
                    + [text(x.visits.describe()) if x.visits else "", "；".join(text(m) for m in x.measures),
                       f"{link(self.data.documents[x.document].label, document_path(x.document), page)} "
                       f"{text(x.clause)}"] for x in levels]
            header = ["等级"] + (["情形"] if meanings else []) + ["走访 / 处置", "措施", "依据"]
            out += [table(header, rows), ""]
        else:
            out += ["数据中还没有风险等级。", ""]
        return "\n".join(out)

    def glossary(self) -> str:
        out = [front_matter(title="术语表"), "# 术语表", ""]
        terms = sorted(self.data.terms.values(), key=lambda t: (lazy_pinyin(t.term), t.term))  # 儿童主任 under E
        if not terms:
            return "\n".join(out + ["数据中还没有术语。", ""])
        for term in terms:
            out += [f"## {text(term.term)} {{ #{anchor(term.id)} }}", "", text(term.definition), ""]
            if term.aliases:
                out += ["又称：" + "、".join(text(a) for a in term.aliases), ""]
            if term.basis:
                out += ["依据：" + "；".join(text(b) for b in term.basis), ""]
            if term.see:
                out += ["另见：" + "、".join(f"[{text(self.data.terms[s].term)}](#{anchor(s)})" for s in term.see), ""]
        return "\n".join(out)

    def onboarding(self) -> tuple[dict[str, str], dict[str, str]]:
        """An ordered path for a new child director, each step ending in a link to the next: the onboarding pages,
        and the footers for steps that are pages of their own (报告路线, 转介与风险等级)."""
        role = self.data.roles.get("child-director")
        steps = onboarding_steps(self.data)
        pages = {f"{ONBOARDING}/index.md": self.onboarding_index(steps)}
        footers = {}
        for i, (path, title, key) in enumerate(steps):
            nxt = steps[i + 1] if i + 1 < len(steps) else None
            footer = "\n".join([f"第 {i + 1} 步，共 {len(steps)} 步（{link('新人入门', f'{ONBOARDING}/index.md', path)}）。"
                                + (f"下一步：{link(nxt[1], nxt[0], path)}" if nxt else ""), ""])
            if not path.startswith(ONBOARDING):
                footers[path] = footer
            elif key == "mandatory":
                pages[path] = self.mandatory(path) + "\n" + footer
            elif key == "role":
                pages[path] = self.role_intro(role, path) + "\n" + footer
            else:
                pages[path] = self.protection(key, path, role) + "\n" + footer
        return pages, footers

    def role_intro(self, role: Role, page: str) -> str:
        """The onboarding step on the role itself: what comes round how often, in short; the role page has it all."""
        out = [front_matter(title=f"{role.name}做什么"), f"# {text(role.name)}做什么", ""]
        if role.description:
            out += [self.link_terms(text(role.description), page), ""]
        groups = self.by_frequency(role)
        for key, word in FREQUENCIES.items():
            duties = list(dict.fromkeys(d for d, _, _ in groups[key]))
            if duties:
                out.append(f"- **{word}**：" + "、".join(self.p.duty_link(d, page) for d in duties))
        out += ["", f"每项职责的来源、时限和与本岗位的关系见{link(role.name, role_path(role.id), page)}；"
                    f"培训后发给学员的{link('一页纸简报', brief_path(role.id), page)}可以直接打印。", ""]
        return "\n".join(out)

    def onboarding_index(self, steps: list[tuple[str, str, str]]) -> str:
        page = f"{ONBOARDING}/index.md"
        out = [front_matter(title="新人入门"), "# 新人入门", "",
               "给新任儿童主任（以及带教的儿童督导员、培训人员）的学习顺序：先了解《未成年人保护法》规定的六大保护，"
               "再看自己岗位的职责、报告路线、转介去向，最后是强制报告。每一页都可以打印。", ""]
        out += [f"{i}. {link(title, path, page)}" for i, (path, title, _) in enumerate(steps, 1)]
        role = self.data.roles.get("child-director")
        if role:
            out += ["", f"培训结束后发给学员：{link(f'{role.name}一页纸简报', brief_path(role.id), page)}。"]
        return "\n".join(out) + "\n"

    def protection(self, lid: str, page: str, role: Role | None) -> str:
        line = self.data.lines[lid]
        out = [front_matter(title=line.name), f"# {text(line.name)}", ""]
        if line.description:
            out += [self.link_terms(text(line.description), page), ""]
        duties = self.p.by_line[lid]
        mine = [d for d, _ in self.role_duties(role) if d.line == lid] if role else []
        out += [f"本手册收录了这条线上的 {len(duties)} 项职责，完整清单见{link(line.name, line_path(lid), page)}。", ""]
        if mine:
            out += [f"## 和{text(role.name)}有关的 {EXCLUDE}", ""]
            for duty in mine:
                out.append(f"- {self.p.duty_link(duty, page)}：{self.link_terms(text(duty.summary), page)}"
                           f"（{self.p.source(duty, page)}）")
            out.append("")
        else:
            out += [f"这条线上没有直接点名{text(role.name) if role else '本岗位'}的职责；了解牵头单位是谁，发现问题时知道找谁。", ""]
        by_area: dict[str, set[str]] = defaultdict(set)
        for duty in duties:
            for uid in duty.lead:
                by_area[self.data.units[uid].jurisdiction].add(uid)
        if by_area:
            out += [f"## 这条线由谁牵头 {EXCLUDE}", ""]
            out += [f"- {text(area)}：{self.p.units(sorted(by_area[area]), page)}" for area in sorted(by_area, key=self.p.area_key)]
            out.append("")
        return "\n".join(out)

    def mandatory(self, page: str) -> str:
        out = [front_matter(title="强制报告"), "# 强制报告", ""]
        term = next((t for t in self.data.terms.values() if t.term == "强制报告"), None)
        if term:
            out += [text(term.definition), "", f"（见{link('术语表', GLOSSARY, page)}）", ""]
        duties = [d for d in self.data.duties.values() if "强制报告" in d.tags or "强制报告" in d.title]
        if duties:
            out += [f"## 各地文件中的强制报告职责 {EXCLUDE}", ""]
            out += [f"- {self.p.duty_link(d, page)}（{self.p.source(d, page)}）：{text(d.summary)}" for d in duties]
            out.append("")
        out += ["## 记住", "", f"发现未成年人遭受或疑似遭受侵害、面临危险时，立即报告；紧急情况拨打 110。"
                f"报告去向见{link('报告路线', 'reporting.md', page)}和{link('转介与风险等级', 'referrals.md', page)}。", ""]
        return "\n".join(out)
