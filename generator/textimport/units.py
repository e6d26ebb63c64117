"""Unit names in a text, normalised against the units already in the data; new units proposed where none fits.

Matching tries a name, short name or alias of a unit in the document's own jurisdiction first, then the same name
without its 县/区/市 prefix and in a canonical spelling (区公安分局 and 县公安局 are both 公安局, 县人民检察院 is
检察院). A unit is never matched across jurisdictions: the same name in two places is two units. A new unit borrows
the id ending and kind of a same-named unit elsewhere when there is one, and otherwise guesses its kind from the
name's last character (局, 委, 院, 办, 联, 会, 所, 学校, 处 …).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..labels import UNIT_KINDS

UNIT_SUFFIX = re.compile(
    r"(?:领导小组|工作组|领导组|专班|委员会|办公室|中心|学校|小学|中学|幼儿园|法院|检察院|法庭|检察室|分局|局|委|院|办|联|会|所|处|室|"
    r"部|队|站|团|政府|街道|社区|班级|班主任|教师|保安|公司|协会|基地)$")
# Where names written without separators can be cut apart (校长室信息中心各班级); 办公室 and 委员会 stay whole.
_CUT_AFTER = ("处", "室", "中心", "班级", "班主任", "教师", "保安", "局", "院", "领导组", "领导小组")
SPLIT_AFTER = re.compile("(?:" + "|".join(f"(?<={s})" for s in _CUT_AFTER) + r"|(?<=办)(?!公室))(?=[\u4e00-\u9fff]{2})")
GENERIC = re.compile(r"(?:^|各|有关|相关|其他|其它|职能|主管|行业|业务)(?:部门|单位|机构|组织|机关|成员单位)$|^(?:成员单位|牵头单位|责任单位)$")
PROSE = re.compile(r"[的对在把将为了是就要应并或及其等向从由以被给使让]|工作$|制度$|^(?:加强|切实|培育|实现|推进|推动|建立|健全|"
                   r"完善|落实|开展|积极|深入|全面|严格|发挥|强化|做好|提高|提升|支持|鼓励|引导|依法|及时|组织|统筹|督促|指导|"
                   r"协调|构建|打造|聚焦|围绕|按照|根据|通过|利用|依托|坚持|确保|各级)")
PREFIX = re.compile(r"^(?:全县|全区|全市|全校|本县|本区|本市|我县|我区|我市|我校|县委|区委|市委|党工委|县|区|市(?!场))")
CANONICAL = [
    (re.compile(p), r) for p, r in (
        (r"^中共", ""),
        (r"未成年人保护(?:工作)?(?:领导小组|委员会)办公室", "未保办"),
        (r"未成年人保护工作领导小组", "未保组"),
        (r"未成年人保护(?:工作)?委员会", "未保委"),
        (r"网络安全和信息化委员会办公室", "网信办"),
        (r"政法委员会$", "政法委"),
        (r"人民检察院", "检察院"), (r"人民法院", "法院"), (r"公安(?:局)?分局$", "公安局"),
        (r"卫生健康(?:委员会|委|局)|卫健委", "卫健局"),
        (r"妇女联合会", "妇联"), (r"残疾人联合会", "残联"), (r"科学技术协会", "科协"), (r"工商业联合会", "工商联"),
        (r"关心下一代工作委员会", "关工委"),
        (r"人力资源(?:和)?社会保障局|人力社保局", "人社局"), (r"市场监督管理局", "市场监管局"),
        (r"住房(?:和)?城乡建设局", "住建局"), (r"交通运输局", "交通局"), (r"文化(?:和)?旅游局|文体旅游局", "文旅局"),
        (r"^共青团[县区市]?委员会$|^团[县区市]委$", "团委"),
        (r"人民政府", "政府"),
    )
]


def key(name: str) -> str:
    """A name with spacing, brackets and quotes removed: 村(居)民委员会 and 村（居）民委员会 are one key."""
    return re.sub(r"[\s()（）《》“”\"'‘’·]", "", name)


@dataclass(frozen=True)
class Known:
    """A unit already in the data."""

    id: str
    name: str
    kind: str
    level: str
    jurisdiction: str
    short_name: str = ""
    aliases: tuple[str, ...] = ()
    parent: str = ""

    def names(self) -> tuple[str, ...]:
        return tuple(n for n in (self.name, self.short_name, *self.aliases) if n)


@dataclass(frozen=True)
class Proposal:
    """A unit the text names that the data does not have yet."""

    id: str
    name: str
    kind: str
    level: str
    jurisdiction: str
    mention: str  # as the text wrote it
    why: str  # how the kind was decided, for the report
    short_name: str = ""
    parent: str = ""

    def record(self) -> dict:
        out = {"id": self.id, "name": self.name}
        if self.short_name and self.short_name != self.name:
            out["short_name"] = self.short_name
        if self.mention not in (self.name, self.short_name):
            out["aliases"] = [self.mention]
        out.update(kind=self.kind, level=self.level)
        if self.parent:
            out["parent"] = self.parent
        out["jurisdiction"] = self.jurisdiction
        out["note"] = f"由 qingdan import 根据原文“{self.mention}”提出；{self.why}。全称和类别须核对。"
        return out


def known_units(raw_units: list[dict]) -> list[Known]:
    out = []
    for u in raw_units:
        if not all(isinstance(u.get(f), str) for f in ("id", "name", "kind", "level", "jurisdiction")):
            continue
        aliases = tuple(a for a in u.get("aliases") or () if isinstance(a, str))
        out.append(Known(u["id"], u["name"], u["kind"], u["level"], u["jurisdiction"],
                         u.get("short_name") if isinstance(u.get("short_name"), str) else "", aliases,
                         u.get("parent") if isinstance(u.get("parent"), str) else ""))
    return out


# ---------------------------------------------------------------- jurisdictions

def local_name(jurisdiction: str) -> str:
    """The jurisdiction without its province or city: 贵州省桐梓县 → 桐梓县, 重庆市万盛经开区 → 万盛经开区.
    Empty for a jurisdiction the text does not name (待定…)."""
    local = re.sub(r"（[^）]*）$", "", jurisdiction)
    if local.startswith("待定"):
        return ""
    local = re.sub(r"^[\u4e00-\u9fff]{2,4}?(?:省|自治区)(?=[\u4e00-\u9fff]{2})", "", local)
    return re.sub(r"^[\u4e00-\u9fff]{2,4}?市(?=[\u4e00-\u9fff]{2,}(?:县|区|市|旗))", "", local)


def core(jurisdiction: str) -> str:
    """The distinctive part of a jurisdiction's name: 万盛, 桐梓, 章渡 (empty when the text names none)."""
    if not local_name(jurisdiction):
        return ""
    stem = re.sub(r"(?:经济技术开发区|经开区|高新区|新区|自治县|县|区|市|旗|学校|中学|小学|镇|乡|街道)$", "",
                  local_name(jurisdiction))
    return stem if len(stem) >= 2 else local_name(jurisdiction)


def variants(jurisdiction: str) -> list[str]:
    """Ways a text writes the jurisdiction, longest first, for taking it off unit names."""
    local = local_name(jurisdiction)
    forms = {jurisdiction, local, core(jurisdiction)}
    for form in list(forms):
        forms.add(form.replace("经开区", "经济技术开发区"))
    return sorted((key(f) for f in forms if f), key=len, reverse=True)


def detect_jurisdiction(text: str, jurisdictions: list[str]) -> str | None:
    """The known jurisdiction the text is about: the one whose distinctive name it mentions most."""
    counts = Counter()
    for j in dict.fromkeys(jurisdictions):
        if not core(j):
            continue
        hits = text.count(core(j)) + 2 * text.count(local_name(j))
        if hits:
            counts[j] = hits
    return counts.most_common(1)[0][0] if counts else None


def guess_jurisdiction(*texts: str) -> str | None:
    """A new jurisdiction named at the start of an issuer or title: 某某县民政局 → 某某县."""
    for text in texts:
        m = re.match(r"^(?:中共)?([\u4e00-\u9fff]{2,12}?(?:自治县|县|区|市|旗|镇|乡|街道|学校|中学|小学|幼儿园))", text or "")
        if m and not re.search(r"未成年|关于|工作", m.group(1)):
            return m.group(1)
    return None


def placeholder_jurisdiction(text: str) -> str | None:
    """A county the text names only by a placeholder (xx县, 某县), as templates and anonymised copies do."""
    m = re.search(r"(?<![\u4e00-\u9fffA-Za-z])((?:[xX×]{1,4}|某)(?:县|区|市))", text)
    return f"{m.group(1)}（原文未写明名称）" if m else None


def is_school(jurisdiction: str) -> bool:
    return bool(re.search(r"(?:学校|中学|小学|幼儿园)$", jurisdiction))


# ---------------------------------------------------------------- the index

@dataclass
class UnitIndex:
    """Name look-ups for one document. It grows: every unit it proposes is found again by later mentions."""

    units: list[Known]
    jurisdiction: str
    taken_ids: set[str]
    id_prefix: str
    proposals: list[Proposal] = field(default_factory=list)
    matched: dict[str, str] = field(default_factory=dict)  # mention → existing unit id

    def __post_init__(self) -> None:
        self.local = [u for u in self.units if u.jurisdiction == self.jurisdiction]
        self.exact: dict[str, str] = {}
        self.stems: dict[str, str] = {}
        for u in self.local:
            for name in u.names():
                self.exact.setdefault(key(name), u.id)
                self.stems.setdefault(self.stem(name), u.id)
        self.elsewhere: dict[str, Known] = {}
        for u in self.units:
            if u.jurisdiction != self.jurisdiction:
                for name in u.names():
                    self.elsewhere.setdefault(self.stem(name), u)

    def stem(self, name: str) -> str:
        k = key(name)
        for form in variants(self.jurisdiction):
            if form and form in k and form != k:
                k = k.replace(form, "", 1)
                break
        for pattern, repl in CANONICAL:
            k = pattern.sub(repl, k)
        stripped = PREFIX.sub("", k)
        return stripped if len(stripped) >= 2 else k

    def resolve(self, mention: str) -> str | None:
        """An existing unit (or one already proposed) that `mention` names, without proposing anything."""
        k = key(mention)
        if not k:
            return None
        uid = self.exact.get(k) or self.stems.get(self.stem(k))
        if uid is None:
            return None
        if not any(p.id == uid for p in self.proposals):
            self.matched.setdefault(mention, uid)
        return uid

    def find(self, mention: str, propose: bool = True) -> str | None:
        uid = self.resolve(mention)
        if uid or not propose or not unit_shaped(mention):
            return uid
        return self.propose(mention)

    def propose(self, mention: str, why: str = "") -> str:
        k = key(mention)
        other = self.elsewhere.get(self.stem(k))
        kind, level, guessed = guess_kind(k, self.jurisdiction)
        if other and not is_school(self.jurisdiction):
            kind, level = other.kind, other.level
            guessed = f"类别参照其他辖区的同名单位 {other.id}"
        name = self._full_name(k)
        suffix = other.id.split(".", 1)[-1] if other else f"unit-{len(self.proposals) + 1}"
        uid = self._free_id(f"{self.id_prefix}.{suffix}")
        parent = self._school_id() if kind == "school-office" else ""
        proposal = Proposal(uid, name, kind, level, self.jurisdiction, mention, why or guessed,
                            short_name=k if k != name else "", parent=parent)
        self.proposals.append(proposal)
        for form in {k, name}:
            self.exact.setdefault(key(form), uid)
            self.stems.setdefault(self.stem(form), uid)
        return uid

    def segment(self, text: str, propose: bool = True) -> tuple[list[str], list[str]]:
        """Units in a run of names written without separators (责任单位：德育处总务处各班级): (ids, leftovers)."""
        names = sorted(self.exact, key=len, reverse=True)
        ids: list[str] = []
        leftovers: list[str] = []
        buffer = ""
        i = 0
        k = key(text)
        while i < len(k):
            hit = next((n for n in names if len(n) >= 2 and k.startswith(n, i)), None)
            if hit is None:
                buffer += k[i]
                i += 1
                continue
            self._flush(buffer, ids, leftovers, propose)
            buffer = ""
            uid = self.exact[hit]
            if not any(p.id == uid for p in self.proposals):
                self.matched.setdefault(hit, uid)
            ids.append(uid)
            i += len(hit)
        self._flush(buffer, ids, leftovers, propose)
        return list(dict.fromkeys(ids)), leftovers

    def _flush(self, buffer: str, ids: list[str], leftovers: list[str], propose: bool) -> None:
        if not buffer:
            return
        pieces = [p for p in SPLIT_AFTER.split(buffer) if p]
        if len(pieces) < 2 or not all(unit_shaped(p) for p in pieces):
            pieces = [buffer]
        for piece in pieces:
            uid = self.find(piece, propose)
            (ids.append(uid) if uid else leftovers.append(piece))

    def coordinator(self, issuer: str) -> tuple[str, str]:
        """The unit a duty falls back to when the text names no lead: the issuer or the coordinating body."""
        uid = self.resolve(issuer) if issuer else None
        if uid:
            return uid, f"发文机关{issuer}"
        bodies = [u for u in self.local if u.kind == "coordinating-body" and not u.parent]
        bodies.sort(key=lambda u: 0 if re.search(r"领导小组|委员会", u.name) else 1)
        if bodies:
            return bodies[0].id, f"协调机构{bodies[0].short_name or bodies[0].name}"
        own = [u for u in self.local if key(u.name) == key(self.jurisdiction) or (u.kind == "school" and not u.parent)]
        if own:
            return own[0].id, own[0].name
        if issuer and unit_shaped(issuer):
            return self.propose(issuer, "原文的发文机关"), f"发文机关{issuer}"
        name = f"{local_name(self.jurisdiction)}未成年人保护工作领导小组"  # no local name: the bare body
        return self.propose(name, "原文没有写发文机关，暂拟为本辖区的未成年人保护工作领导小组"), name

    def _full_name(self, k: str) -> str:
        local = local_name(self.jurisdiction)
        if not local or core(self.jurisdiction) in k:
            return k
        if is_school(self.jurisdiction):
            return local + (k[2:] if k.startswith("学校") else k)
        if k[0] in "县区市" and local.endswith(k[0]):
            return local + k[1:]
        if k.startswith(("各", "全")):
            return local + k
        return local + k if not re.match(r"^[\u4e00-\u9fff]{2,}[省市]", k) else k

    def _free_id(self, wanted: str) -> str:
        uid, n = wanted, 2
        while uid in self.taken_ids or any(p.id == uid for p in self.proposals):
            uid = f"{wanted}-{n}"
            n += 1
        self.taken_ids.add(uid)
        return uid

    def _school_id(self) -> str:
        for u in self.local:
            if u.kind == "school" and not u.parent:
                return u.id
        for p in self.proposals:
            if p.kind == "school":
                return p.id
        return ""


def unit_shaped(name: str) -> bool:
    """Whether a phrase reads like a unit's name (and not like prose or a generic 有关部门)."""
    k = key(name)
    return 2 <= len(k) <= 25 and bool(UNIT_SUFFIX.search(k)) and not GENERIC.search(k) and not PROSE.search(k)


def guess_kind(name: str, jurisdiction: str) -> tuple[str, str, str]:
    """(kind, level, why) for a new unit, from the end of its name and the kind of jurisdiction."""
    school = is_school(jurisdiction)
    rules = [
        (r"(?:镇|乡|街道)(?:政府|人民政府|办事处)?$|乡镇", "township", "township", "名称是乡镇（街道）"),
        (r"(?:村|社区|居委会|村委会|村民委员会|居民委员会)$|村（居）|村居", "village", "village", "名称是村（社区）"),
        (r"未成年人保护|未保|领导小组|妇儿工委|工作委员会|专班$", "coordinating-body", None, "名称是领导小组或委员会"),
        (r"^(?:中共)?[县区市]委|党委|党工委|政法委$|网信办$|宣传部$|组织部$|统战部$|文明办$|编办$", "party", None,
         "名称带“县委/区委”或是党委部门"),
        (r"法院$|检察院$|法庭$|检察室$", "judicial", None, "名称以“法院/检察院”结尾"),
        (r"人大|人民代表大会", "congress", None, "名称是人大或人大常委会"),
        (r"(?:联|工会|团委|共青团|团[县区市]委|关工委|科协|红十字会)$", "mass-organisation", None, "名称以“联/会/团委”结尾"),
        (r"(?:学校|中学|小学|幼儿园)$", "school", "school", "名称以“学校”结尾"),
        (r"(?:处|室|班级|班主任|教师|保安|组)$", "school-office" if school else "government", None,
         "名称以“处/室”结尾" + ("，是学校内设机构" if school else "")),
        (r"(?:中心|院|馆|站|基地)$", "school-office" if school else "institution", None, "名称以“中心/院/站”结尾"),
        (r"(?:局|委|办|所|政府|部)$", "government", None, "名称以“局/委/办/所”结尾"),
        (r"会$", "mass-organisation", None, "名称以“会”结尾"),
    ]
    for pattern, kind, level, why in rules:
        if re.search(pattern, name):
            if level is None:
                level = "school" if school else "province" if re.match(r"^[\u4e00-\u9fff]{0,4}省", name) else \
                    "city" if re.match(r"^市(?!场)", name) else "county"
            return kind, level, f"类别按{why}推定为{UNIT_KINDS[kind]}"
    return ("school-office" if school else "other"), ("school" if school else "county"), "名称看不出类别，暂记为其他"
