"""Stage 4: who owns what, as a networkx graph — the one place ownership questions are answered.

Nodes are the data's ids (unique across all kinds) with a `kind` attribute: unit, duty, line, document, role.
Edges carry `rel`: leads / supports (unit → duty), depends_on (duty → duty it needs), in_line (duty → line),
cites (duty → document), parent (unit → its parent unit), names_role (duty → role), sits_in (role → unit);
referrals (kind referral) point refers_to / notifies at units, reporting chains (kind chain) step_N at the roles
and units they pass through.
"""
from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import networkx as nx

from .model import Dataset, Duty, Unit

UNIT, DUTY, LINE, DOCUMENT, ROLE, REFERRAL, CHAIN = "unit", "duty", "line", "document", "role", "referral", "chain"


def build(data: Dataset) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for uid, unit in data.units.items():
        g.add_node(uid, kind=UNIT, label=unit.label)
    for lid, line in data.lines.items():
        g.add_node(lid, kind=LINE, label=line.name)
    for did, doc in data.documents.items():
        g.add_node(did, kind=DOCUMENT, label=doc.label)
    for rid, role in data.roles.items():
        g.add_node(rid, kind=ROLE, label=role.name)
    for duty in data.duties.values():
        g.add_node(duty.id, kind=DUTY, label=duty.title)
    for duty in data.duties.values():
        for uid in duty.lead:
            g.add_edge(uid, duty.id, key="leads", rel="leads")
        for uid in duty.support:
            g.add_edge(uid, duty.id, key="supports", rel="supports")
        for dep in duty.depends_on:
            g.add_edge(duty.id, dep, key="depends_on", rel="depends_on")
        g.add_edge(duty.id, duty.line, key="in_line", rel="in_line")
        g.add_edge(duty.id, duty.document, key="cites", rel="cites")
        for rid in duty.roles:
            g.add_edge(duty.id, rid, key="names_role", rel="names_role")
    by_kind: dict[str, list[str]] = defaultdict(list)
    for uid, unit in data.units.items():
        by_kind[unit.kind].append(uid)
        if unit.parent:
            g.add_edge(uid, unit.parent, key="parent", rel="parent")
    for rid, role in data.roles.items():
        for kind in role.unit_kinds:
            for uid in by_kind.get(kind, []):
                g.add_edge(rid, uid, key="sits_in", rel="sits_in")
    for ref in data.referrals.values():
        g.add_node(ref.id, kind=REFERRAL, label=ref.situation)
        for uid in ref.to:
            g.add_edge(ref.id, uid, key="refers_to", rel="refers_to")
        for uid in ref.notify:
            g.add_edge(ref.id, uid, key="notifies", rel="notifies")
    for chain in data.reporting_chains.values():
        g.add_node(chain.id, kind=CHAIN, label=chain.name)
        for i, step in enumerate(chain.steps, 1):
            g.add_edge(chain.id, step.role or step.unit, key=f"step_{i}", rel="step", order=i)
    return g


def related(g: nx.MultiDiGraph, node: str, rel: str, incoming: bool = False) -> list[str]:
    edges = g.in_edges(node, keys=True) if incoming else g.out_edges(node, keys=True)
    return sorted((u if incoming else v) for u, v, k in edges if k == rel)


def led_by(g: nx.MultiDiGraph, duty_id: str) -> list[str]:
    return related(g, duty_id, "leads", incoming=True)


def supported_by(g: nx.MultiDiGraph, duty_id: str) -> list[str]:
    return related(g, duty_id, "supports", incoming=True)


def dependents(g: nx.MultiDiGraph, duty_id: str) -> list[str]:
    """Duties that need this one done first."""
    return related(g, duty_id, "depends_on", incoming=True)


# ---------------------------------------------------------------- name resolution

_PREFIX = re.compile(r"^(?:[县区市镇乡]|县委|区委|市委)")


def _normal(name: str) -> str:
    name = re.sub(r"[\s()（）]", "", name)
    return name


def _stem(name: str) -> str:
    return _PREFIX.sub("", _normal(name))


def resolve_unit(data: Dataset, query: str) -> list[Unit]:
    """Units a person may mean by `query`: an id, a name, a short name, an alias, with or without 县/区/市.

    Exact matches win over prefix-less ones; several results mean the name is ambiguous across jurisdictions.
    """
    if query in data.units:
        return [data.units[query]]
    wanted = _normal(query)
    exact = [u for u in data.units.values() if wanted in {_normal(n) for n in u.names()}]
    if len(exact) == 1:
        return exact
    stem = _stem(query)  # ambiguous or unknown: every unit the name may mean, so the list to choose from is whole
    loose = [u for u in data.units.values() if stem and stem in {_stem(n) for n in u.names()}]
    return sorted({u.id: u for u in exact + loose}.values(), key=lambda u: u.id)


def similar_units(data: Dataset, query: str, n: int = 3) -> list[Unit]:
    """Units whose id or a name is close to a query that matched none (a typo such as 区民正局, wansheng.jiaoyuu)."""
    from .nearest import nearest

    names = {name: u for u in data.units.values() for name in (u.id, *u.names())}
    close = nearest(query, names, n=len(names))
    return list({names[c].id: names[c] for c in close}.values())[:n]


# ---------------------------------------------------------------- questions

def family(g: nx.MultiDiGraph, unit_id: str) -> list[str]:
    """The unit and its sub-units at any depth (parents cannot form a cycle: validation refused that, E308)."""
    out, todo = [], [unit_id]
    while todo:
        out.append(todo.pop())
        todo += related(g, out[-1], "parent", incoming=True)
    return out


@dataclass(frozen=True)
class Holdings:
    """What a unit answers for, with its sub-units (a school and its offices), as its page lists it
    (duties_by_unit): led when the unit or a sub-unit leads it, else supported; each duty once."""
    lead: list[str]
    support: list[str]
    held_by: dict[str, list[str]]  # duty → the unit or sub-units on it (the leading ones for a led duty)


def holdings(g: nx.MultiDiGraph, unit_id: str) -> Holdings:
    members = family(g, unit_id)
    lead = sorted({d for u in members for d in related(g, u, "leads")})
    support = sorted({d for u in members for d in related(g, u, "supports")} - set(lead))
    mine = set(members)
    held_by = {d: sorted(mine.intersection(led_by(g, d))) for d in lead}
    held_by |= {d: sorted(mine.intersection(supported_by(g, d))) for d in support}
    return Holdings(lead, support, dict(sorted(held_by.items())))


@dataclass(frozen=True)
class Partner:
    unit: str
    shared: int  # duties both units are on
    leads: int  # of those, how many the partner leads
    supports: int  # and how many it supports


@dataclass(frozen=True)
class Who:
    unit: str
    lead: list[str]
    support: list[str]
    partners: list[Partner]  # most shared duties first
    held_by: dict[str, list[str]] = field(default_factory=dict)  # duty → the unit or its sub-units on it


def who(g: nx.MultiDiGraph, unit_id: str) -> Who:
    """A unit's duties, its sub-units' included, and every other unit on them (a parent's sub-units too)."""
    held = holdings(g, unit_id)
    shared: Counter = Counter()
    leads: Counter = Counter()
    supports: Counter = Counter()
    for duty in held.lead + held.support:
        leaders, helpers = set(led_by(g, duty)), set(supported_by(g, duty))
        for other in (leaders | helpers) - {unit_id}:
            shared[other] += 1
            leads[other] += other in leaders
            supports[other] += other in helpers
    partners = [Partner(u, n, leads[u], supports[u]) for u, n in sorted(shared.items(), key=lambda x: (-x[1], x[0]))]
    return Who(unit_id, held.lead, held.support, partners, held.held_by)


@dataclass(frozen=True)
class Impact:
    unit: str
    orphaned: list[str]  # duties that lose their only lead
    lead_lost: list[str]  # duties that lose one of several leads
    support_lost: list[str]
    downstream: dict[str, int] = field(default_factory=dict)  # duty → depends_on distance from an affected duty
    held_by: dict[str, list[str]] = field(default_factory=dict)  # duty → the unit or its sub-units on it


def impact(g: nx.MultiDiGraph, unit_id: str) -> Impact:
    """What happens if a unit is merged away or abolished — with its sub-units, which go with it."""
    held = holdings(g, unit_id)
    gone = set(family(g, unit_id))
    orphaned = [d for d in held.lead if gone.issuperset(led_by(g, d))]
    lead_lost = [d for d in held.lead if d not in orphaned]
    support_lost = held.support
    affected = set(held.lead) | set(support_lost)
    downstream: dict[str, int] = {}
    frontier = sorted(affected)
    depth = 0
    while frontier:  # breadth-first over "needs this first" edges: each duty once, at its nearest distance
        depth += 1
        nxt = []
        for duty in frontier:
            for later in dependents(g, duty):
                if later not in affected and later not in downstream:
                    downstream[later] = depth
                    nxt.append(later)
        frontier = sorted(nxt)
    return Impact(unit_id, orphaned, lead_lost, support_lost,
                  dict(sorted(downstream.items(), key=lambda x: (x[1], x[0]))), held.held_by)


# ---------------------------------------------------------------- checks

@dataclass(frozen=True)
class Overload:
    unit: str
    lead: int
    per_line: dict[str, int]
    peers_median: float
    flagged: bool


def overload(data: Dataset, g: nx.MultiDiGraph, top: int = 10) -> list[Overload]:
    """Units ranked by how many duties they lead; flagged when far above peers of their jurisdiction.

    Far above: more than twice the median of the jurisdiction's leading units and at least four more than it.
    """
    counts = {uid: len(related(g, uid, "leads")) for uid in data.units}
    by_area: dict[str, list[int]] = defaultdict(list)
    for uid, n in counts.items():
        if n:
            by_area[data.units[uid].jurisdiction].append(n)
    out = []
    for uid, n in counts.items():
        if not n:
            continue
        median = statistics.median(by_area[data.units[uid].jurisdiction])
        per_line = Counter(data.duties[d].line for d in related(g, uid, "leads"))
        out.append(Overload(uid, n, dict(sorted(per_line.items())), median, n > 2 * median and n >= median + 4))
    out.sort(key=lambda o: (-o.lead, o.unit))
    return out[:top]


@dataclass(frozen=True)
class Gap:
    document: str
    line: str
    problem: str  # "no-duty" or "no-lead"


def line_gaps(data: Dataset) -> list[Gap]:
    """Protection lines a document leaves without any duty, or whose duties have no lead unit."""
    gaps = []
    protection = [lid for lid, line in data.lines.items() if line.kind == "protection"]
    by_doc: dict[str, dict[str, list[Duty]]] = defaultdict(lambda: defaultdict(list))
    for duty in data.duties.values():
        by_doc[duty.document][duty.line].append(duty)
    for did in data.documents:
        for lid in protection:
            duties = by_doc[did].get(lid, [])
            if not duties:
                gaps.append(Gap(did, lid, "no-duty"))
            elif all(d.lead_basis == "assigned" for d in duties):  # nobody the text itself makes responsible
                gaps.append(Gap(did, lid, "no-lead"))
    return gaps


def foreign_owners(data: Dataset) -> list[str]:
    """Duties whose lead and every supporter belong to another jurisdiction than the duty's document."""
    out = []
    for duty in data.duties.values():
        area = data.documents[duty.document].jurisdiction
        owners = [data.units[u].jurisdiction for u in duty.lead + duty.support if u in data.units]
        if owners and all(a != area for a in owners):
            out.append(duty.id)
    return out


def duties_by_unit(data: Dataset) -> dict[str, tuple[list[Duty], list[Duty]]]:
    """Each unit's led and supported duties, in data order, in one pass over the duties.

    A unit with sub-units (a school and its offices, a county and its townships' stations) carries theirs too, at
    any depth and each duty once: led when the unit or one of its sub-units leads it, else supported. A school the
    plan gives no duty of its own then still has its whole checklist, rather than an empty page.
    """
    lead: dict[str, list[Duty]] = {uid: [] for uid in data.units}
    support: dict[str, list[Duty]] = {uid: [] for uid in data.units}
    for duty in data.duties.values():
        for uid in duty.lead:
            lead[uid].append(duty)
        for uid in duty.support:
            support[uid].append(duty)
    children: dict[str, list[str]] = defaultdict(list)
    for unit in data.units.values():
        if unit.parent:
            children[unit.parent].append(unit.id)
    order = {did: i for i, did in enumerate(data.duties)}
    out = {}
    for uid in data.units:
        if not children[uid]:
            out[uid] = (lead[uid], support[uid])
            continue
        family, todo = [], [uid]
        while todo:  # parents cannot form a cycle: validation refused that (E308)
            family.append(todo.pop())
            todo += children[family[-1]]
        led = {d.id: d for u in family for d in lead[u]}
        helped = {d.id: d for u in family for d in support[u] if d.id not in led}
        out[uid] = tuple(sorted(x.values(), key=lambda d: order[d.id]) for x in (led, helped))
    return out


def assigned_only(data: Dataset) -> list[str]:
    return [d.id for d in data.duties.values() if d.lead_basis == "assigned"]


def unreferenced_units(g: nx.MultiDiGraph) -> list[str]:
    """Units nothing points at: no duty, no child unit, no referral, no reporting chain."""
    def used(n: str) -> bool:
        return any(k in ("leads", "supports", "parent") for _, _, k in g.out_edges(n, keys=True)) or any(
            g.edges[u, n, k]["rel"] in ("parent", "refers_to", "notifies", "step") for u, _, k in g.in_edges(n, keys=True))
    return sorted(n for n, kind in g.nodes(data="kind") if kind == UNIT and not used(n))


# ---------------------------------------------------------------- export

def export(g: nx.MultiDiGraph, fmt: str) -> str:
    """The whole graph for other tools: node-link JSON, GraphML or Graphviz DOT."""
    if fmt == "json":
        import json

        data = nx.node_link_data(g, edges="edges")
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(g)) + "\n"
    lines = ["digraph qingdan {"]
    for node, attrs in sorted(g.nodes(data=True)):
        lines.append(f"  {dot_quote(node)} [kind={dot_quote(attrs['kind'])}, label={dot_quote(attrs['label'])}];")
    for u, v, key in sorted(g.edges(keys=True)):
        lines.append(f"  {dot_quote(u)} -> {dot_quote(v)} [rel={dot_quote(key)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def dot_quote(value: str) -> str:
    """A DOT string; a line break in the value becomes DOT's centred line break."""
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
