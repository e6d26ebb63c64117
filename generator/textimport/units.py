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
from dataclasses import dataclass, field, replace

from ..ids import pinyin_slug
from ..labels import UNIT_KINDS

# How the names of schools end: 镇中心校 and 中心小学 are schools as much as 学校 is.
SCHOOL_ENDS = "学校|中学|小学|幼儿园|中心校|完小|分校|职校|技校"
UNIT_SUFFIX = re.compile(
    rf"(?:领导小组|工作组|领导组|专班|委员会|办公室|中心|{SCHOOL_ENDS}|法院|检察院|法庭|检察室|分局|局|委|院|办|联|会|所|处|室|"
    r"部|队|站|团|政府|街道|社区|班级|班主任|教师|保安|公司|协会|基地|厅|部门|机关|科|年级组|组)$")
# A generic department (财政部门, 公安机关) is a unit of the text's own jurisdiction; these words alone, or with a
# word that picks no department (有关部门, 职能部门, 各成员单位), are not.
GENERIC = re.compile(
    r"^(?:各|全)?(?:有关|相关|其他|其它|职能|主管|行业|业务|政府|党政|国家|成员|责任|牵头|配合|重点|直属|各级|执法|"
    r"[县区市省]直|[县区市省]级|本级|上级|下级|同级|涉及|所属|属地)?(?:部门|单位|机构|组织|机关|成员单位|部门单位)$"
    r"|^(?:司法机关|行政机关|执法机关|党政机关|国家机关|成员单位|牵头单位|责任单位|配合单位|党委政府|各级党委政府)$"
    r"|(?:各|有关|相关|其他|其它)(?:部门|单位|机构|成员单位)$")
# Places under the jurisdiction, as a text addresses them all at once: 各县（市、区）, 各乡镇（街道）, 各村（社区）.
REGIONS = re.compile(r"^各(?:[省市州盟县区旗乡镇村]|乡镇|街道|镇街|社区|县市|县区|区县|县市区|市州)(?:[（(][^（）()]{1,8}[）)]|、[市州县区乡镇])?"
                     r"(?:[省市州县区乡镇街道村社居委]{0,3})(?:人民政府|政府|党委和人民政府|党委政府|党委|办事处|党工委|管委会|"
                     r"村民委员会|居民委员会|村委会|居委会)?$")
# Departments a lead slot may name by their stem alone (以民政牵头，公安、城管执法等部门参与): read as 民政部门 ….
STEMS = {"民政", "公安", "教育", "教体", "财政", "司法", "司法行政", "人社", "人力资源社会保障", "卫健", "卫生健康", "城管",
         "城管执法", "综合执法", "市场监管", "文旅", "文化和旅游", "文化旅游", "住建", "交通", "交通运输", "网信", "宣传",
         "妇联", "残联", "团委", "工会", "应急", "应急管理", "农业农村", "水利", "自然资源", "生态环境", "发展改革", "发改",
         "商务", "医保", "统计", "税务", "消防", "广电", "体育", "工信", "数据", "信访", "检察", "法院", "政法", "文明办",
         "关工委", "科协", "红十字会", "林业", "乡村振兴", "外事", "侨务", "民族宗教", "团县委", "团市委", "团区委"}

# Where names written without separators can be cut apart (校长室信息中心各班级); 办公室 and 委员会 stay whole.
_CUT_AFTER = ("处", "室", "中心", "班级", "班主任", "教师", "保安", "局", "院", "领导组", "领导小组")
SPLIT_AFTER = re.compile("(?:" + "|".join(f"(?<={s})" for s in _CUT_AFTER) + r"|(?<=办)(?!公室))(?=[\u4e00-\u9fff]{2})")
PROSE = re.compile(r"[的对在把将为了是就要应并或及其等向从由以被给使让]|工作$|制度$|^(?:加强|切实|培育|实现|推进|推动|建立|健全|"
                   r"完善|落实|开展|积极|深入|全面|严格|发挥|强化|做好|提高|提升|支持|鼓励|引导|依法|及时|组织|统筹|督促|指导|"
                   r"协调|构建|打造|聚焦|围绕|按照|根据|通过|利用|依托|坚持|确保|各级|成立|设立|组建|明确|配齐|配强|召开|制定|"
                   r"负责|承担|关于|印发|深化|优化|压实|注重|营造|筑牢|织密|夯实|突出|净化|防范|预防|打击|整治|排查|走访|"
                   r"建设|实施|设置|推行|创建|培养|提供|搭建|扩大|增强|持续|全力|加快|探索|用好|办好|抓好|配备|"
                   r"举办|筹建|改造|新建|开设)")
NAME_WORDS = re.compile(r"应急|就业|对外|为民|使用|给水|以工代赈")  # words of unit names with a character PROSE looks for
PREFIX = re.compile(r"^(?:全县|全区|全市|全校|本县|本区|本市|我县|我区|我市|我校|县委|区委|市委|党工委|县|区|市(?!场))")
CANONICAL = [
    (re.compile(p), r) for p, r in (
        (r"^中共", ""),
        (r"未成年(?:人|学生)保护(?:工作)?(?:领导小组|委员会)办公室", "未保办"),
        (r"未成年(?:人|学生)保护工作领导小组", "未保组"),
        (r"未成年(?:人|学生)保护(?:工作)?委员会", "未保委"),
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
# For telling what department a name means, whatever its form (core() below).
CORE_WORDS = [
    (re.compile(p), r) for p, r in (
        (r"卫生健康|卫健", "卫健"), (r"人力资源(?:和)?社会保障|人社", "人社"), (r"市场监督管理|市场监管", "市场监管"),
        (r"文化(?:和|广电|广播电视)?旅游(?:体育)?|文旅|文广旅", "文旅"), (r"教育(?:和)?体育|教体", "教育"),
        (r"住房(?:和)?城乡建设|住建", "住建"), (r"交通运输", "交通"), (r"司法行政", "司法"), (r"发展(?:和)?改革|发改", "发改"),
        (r"应急管理", "应急"), (r"城市管理(?:综合)?(?:行政)?执法|城管(?:综合)?执法|城市管理", "城管"),
        (r"检察机关", "检察院"), (r"审判机关", "法院"), (r"公安机关", "公安"), (r"网信办", "网信"),
    )
]
CORE_END = re.compile(r"(?:部门|机关|系统|局|厅|委员会|委|部)$")
GENERIC_NAME = re.compile(r"(?:部门|机关|系统)$")


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
    aliases: tuple[str, ...] = ()  # the other spellings the text gave it

    def record(self) -> dict:
        out = {"id": self.id, "name": self.name}
        if self.short_name and self.short_name != self.name:
            out["short_name"] = self.short_name
        aliases = [a for a in dict.fromkeys((self.mention, *self.aliases))
                   if key(a) not in (key(self.name), key(self.short_name))]
        if aliases:
            out["aliases"] = aliases
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


NOT_PLACE = r"(?!关于|未成|工作|人民|政府|委员|办公|领导|印发|实施|方案|意见|通知|教育|年度|为|根据|贯彻|落实|加强|全)"
PLACE = re.compile(rf"(?:{NOT_PLACE}[\u4e00-\u9fff]){{2,9}}?(?:自治区|自治州|自治县|省|市|州|盟|县|区|旗|镇|乡|街道)")
SCHOOL = re.compile(rf"^(?:(?!关于|[局委厅])[\u4e00-\u9fff]){{2,14}}?(?:学校|中学|小学|幼儿园|中心校|完小|学院)")


def guess_jurisdiction(*texts: str) -> str | None:
    """The place an issuer or title starts with, as precisely as it is written: 岚江市关于… → 岚江市, 重庆市万盛经济
    技术开发区… → 重庆市万盛经济技术开发区, 北沅省… → 北沅省, 柘溪中学… → 柘溪中学."""
    for text in texts:
        text = re.sub(r"^(?:中共|共青团)", "", re.sub(r"\s", "", text or ""))
        school = SCHOOL.match(text)
        if school:
            return school.group(0)
        places, at = [], 0
        while True:
            m = PLACE.match(text, at)
            if not m:
                break
            places.append(m.group(0))
            at = m.end()
        if places:
            return "".join(places)
    return None


def same_place(a: str, b: str) -> bool:
    """Whether two jurisdictions are one place written two ways (重庆市万盛经开区, 万盛经济技术开发区)."""
    return bool(core(a)) and core(a) == core(b) and level_word(a) == level_word(b)


def level_word(jurisdiction: str) -> str:
    """The level a jurisdiction's name ends with: 省, 市, 县 (区 and 旗 too), 镇 (乡 and 街道 too), 校."""
    local = re.sub(r"（[^）]*）$", "", jurisdiction)
    if is_school(local):
        return "校"
    for word, ends in (("省", ("省", "自治区")), ("市", ("市", "州", "盟")), ("镇", ("镇", "乡", "街道")),
                       ("县", ("县", "区", "旗"))):
        if local.endswith(ends):
            return word
    return ""


def coordinating_body(text: str, jurisdiction: str) -> str:
    """The coordinating body the text itself names most often (县未成年人保护委员会, 市未成年人保护工作领导小组),
    or empty: none is made up."""
    local = local_name(jurisdiction)
    place = f"{re.escape(local)}|" if local else ""
    counts = Counter(m.group(1) for m in re.finditer(
        rf"((?:{place}[省市县区镇乡]|学校)?未成年(?:人|学生)保护(?:工作)?(?:委员会|领导小组|工作组))(?!办公室|成员|各成员|办)",
        text))
    if not counts:
        return ""
    level = level_word(jurisdiction)
    ranked = sorted(counts.items(), key=lambda kv: (not kv[0].startswith(level) if level else False, -kv[1]))
    return ranked[0][0]


def display_name(mention: str) -> str:
    """A unit's name as the text wrote it, with spacing taken out and brackets full-width: 各县（市、区）."""
    return re.sub(r"\s", "", mention).replace("(", "（").replace(")", "）")


def placeholder_jurisdiction(text: str) -> str | None:
    """A county the text names only by a placeholder (xx县, 某县), as templates and anonymised copies do."""
    m = re.search(r"(?<![\u4e00-\u9fffA-Za-z])((?:[xX×]{1,4}|某)(?:县|区|市))", text)
    return f"{m.group(1)}（原文未写明名称）" if m else None


def place_word(local: str) -> str:
    """The word a jurisdiction's own units start with: 镇 for 梨花镇 (镇民政办), 街道 for 桥西街道 (街道党政办)."""
    if local.endswith("街道"):
        return "街道"
    return local[-1:] if local[-1:] in tuple("省市县区镇乡") else ""


def is_school(jurisdiction: str) -> bool:
    return bool(re.search(rf"(?:{SCHOOL_ENDS})$", jurisdiction))


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
    mentions: dict[str, list[str]] = field(default_factory=dict)  # unit id → every spelling the text used

    def __post_init__(self) -> None:
        self.local = [u for u in self.units if u.jurisdiction == self.jurisdiction]
        self.exact: dict[str, str] = {}
        self.stems: dict[str, str] = {}
        self.cores: dict[str, set[str]] = {}
        for u in self.local:
            for name in u.names():
                self._index(name, u.id)
        self.elsewhere: dict[str, Known] = {}
        for u in self.units:
            if u.jurisdiction != self.jurisdiction:
                for name in u.names():
                    self.elsewhere.setdefault(self.stem(name), u)

    def mark(self) -> tuple[int, dict, dict, dict, dict, set]:
        """The state of the index, to go back to when what was looked up is not used after all."""
        return (len(self.proposals), dict(self.exact), dict(self.stems), {k: set(v) for k, v in self.cores.items()},
                {k: list(v) for k, v in self.mentions.items()}, set(self.taken_ids))

    def rollback(self, mark: tuple[int, dict, dict, dict, dict, set]) -> None:
        count, self.exact, self.stems, self.cores, self.mentions, self.taken_ids = mark
        del self.proposals[count:]

    def _index(self, name: str, uid: str) -> None:
        self.exact.setdefault(key(name), uid)
        self.stems.setdefault(self.stem(name), uid)
        core = self.core(name)
        if core:
            self.cores.setdefault(core, set()).add(uid)

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

    def core(self, name: str) -> str:
        """What a department is, whatever the text calls it: 民政部门, 县民政局 and 民政 are all 民政; 公安机关 and
        县公安分局 are 公安. Empty where that would be too short to tell units apart."""
        k = self.stem(name)
        for pattern, repl in CORE_WORDS:
            k = pattern.sub(repl, k)
        k = CORE_END.sub("", k)
        return k if len(k) >= 2 else ""

    def resolve(self, mention: str) -> str | None:
        """An existing unit (or one already proposed) that `mention` names, without proposing anything. A generic
        name (民政部门) finds the one unit of that department; a specific name found that way (县民政局 for a proposed
        民政部门) becomes the proposal's name."""
        k = key(mention)
        if not k:
            return None
        uid = self.exact.get(k) or self.stems.get(self.stem(k))
        if uid is None:
            found = self.cores.get(self.core(k)) or set()
            if len(found) != 1:
                return None
            uid = next(iter(found))
            self._upgrade(uid, mention)
        if not any(p.id == uid for p in self.proposals):
            self.matched.setdefault(mention, uid)
        self.mentions.setdefault(uid, [])
        if mention not in self.mentions[uid]:
            self.mentions[uid].append(mention)
        return uid

    def _upgrade(self, uid: str, mention: str) -> None:
        for n, p in enumerate(self.proposals):
            if p.id == uid and GENERIC_NAME.search(key(p.mention)) and not GENERIC_NAME.search(key(mention)) \
                    and unit_shaped(mention):
                display = display_name(mention)
                self.proposals[n] = replace(p, name=self._full_name(display), short_name=display, mention=mention,
                                            aliases=(*p.aliases, p.mention))
                self._index(mention, uid)

    def names(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Every name of the units this document uses or proposes, with the spellings the text gave them."""
        out: dict[str, list[str]] = {}
        for u in self.units:
            out[u.id] = list(u.names())
        for p in self.final_proposals():
            out[p.id] = [n for n in (p.name, p.short_name, p.mention, *p.aliases) if n]
        for uid, mentions in self.mentions.items():
            out.setdefault(uid, []).extend(mentions)
        return tuple((uid, tuple(dict.fromkeys(names))) for uid, names in sorted(out.items()))

    def final_proposals(self) -> tuple[Proposal, ...]:
        """The proposals with every spelling the text used for them, as aliases."""
        return tuple(replace(p, aliases=tuple(dict.fromkeys((*p.aliases, *self.mentions.get(p.id, ())))))
                     for p in self.proposals)

    def find(self, mention: str, propose: bool = True) -> str | None:
        uid = self.resolve(mention)
        if uid or not propose or not unit_shaped(mention):
            return uid
        return self.propose(mention)

    def propose(self, mention: str, why: str = "") -> str:
        k = key(mention)
        display = display_name(mention)
        other = self.elsewhere.get(self.stem(k))
        kind, level, guessed = guess_kind(key(display), self.jurisdiction)
        if other and not is_school(self.jurisdiction):  # its kind, not its level: a city's 妇联 is not a county's
            kind = other.kind
            guessed = f"类别参照其他辖区的同名单位 {other.id}"
        name = self._full_name(display)
        # A same-named unit of the same level elsewhere lends its id ending (县市场监管局 → shichang, as the data has
        # it); otherwise the ending is the name's pinyin (镇社会事务办 → shehuishiwuban): ids are permanent, so never
        # a number that says nothing, unless the name has no syllable to spell.
        ending = other.id.split(".", 1)[-1] if other and other.level == level else self.id_ending(display)
        uid = self._free_id(f"{self.id_prefix}.{ending or f'unit-{len(self.proposals) + 1}'}")
        parent = self._school_id() if kind == "school-office" else ""
        proposal = Proposal(uid, name, kind, level, self.jurisdiction, mention, why or guessed,
                            short_name=display if display != name else "", parent=parent)
        self.proposals.append(proposal)
        for form in {display, name}:
            self._index(form, uid)
        self.mentions.setdefault(uid, [mention])
        return uid

    def id_ending(self, name: str) -> str:
        """The pinyin of what a unit is, less its place and a final 局 (as the data writes ids: minzheng, jiaoyu,
        weijian, paichusuo): 县卫生健康局 → weijian, 镇中心校 → zhongxinxiao, 各村（社区） → cunshequ."""
        k = re.sub(r"^[各全]", "", self.stem(name))
        place = place_word(local_name(self.jurisdiction))
        if place and not k.startswith("市场"):
            k = re.sub(rf"^{place}委?(?=..)", "", k)  # 镇派出所 → 派出所, 省委宣传部 → 宣传部, 街道党政办 → 党政办
        k = re.sub(r"(?<=..)局$", "", k)
        ending = pinyin_slug(k)[:32]
        return ending if ending[:1].isalpha() else ""

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

    def coordinator(self, issuer: str, text: str = "") -> tuple[str, str]:
        """The unit a duty falls back to when the text names no lead: the issuer, the coordinating body of the data
        or the one the text names (未成年人保护委员会 where it says so, never a 领导小组 it does not name)."""
        uid = self.resolve(issuer) if issuer else None
        if uid:
            return uid, f"发文机关{issuer}"
        bodies = [u for u in self.local if u.kind == "coordinating-body" and not u.parent]
        bodies.sort(key=lambda u: 0 if re.search(r"领导小组|委员会", u.name) else 1)
        if bodies:
            return bodies[0].id, f"协调机构{bodies[0].short_name or bodies[0].name}"
        named = coordinating_body(text, self.jurisdiction)
        if named:
            return self.find(named) or self.propose(named), f"原文所说的协调机构{named}"
        own = [u for u in self.local if key(u.name) == key(self.jurisdiction) or (u.kind == "school" and not u.parent)]
        if own:
            return own[0].id, own[0].name
        if issuer and unit_shaped(issuer):
            return self.propose(issuer, "原文的发文机关"), f"发文机关{issuer}"
        name = f"{local_name(self.jurisdiction)}待明确的牵头单位"  # a placeholder, not a body the text never names
        return self.propose(name, "原文没有写发文机关，也没有提到协调机构；这是占位的单位，须换成实际牵头的单位"), "占位的待明确单位"

    def _full_name(self, k: str) -> str:
        local = local_name(self.jurisdiction)
        if not local or core(self.jurisdiction) in k:
            return k
        if is_school(self.jurisdiction):
            return local + (k[2:] if k.startswith("学校") else k)
        place = place_word(local)
        if place and k.startswith(place) and not re.match(r"^.(?:场|级|直)", k):  # 镇派出所, 街道党政办
            return local + k[len(place):]
        league = re.fullmatch(r"团([省市县区])委", k)
        if league and local.endswith(league.group(1)):  # 团市委 → 共青团岚江市委员会
            return f"共青团{local}委员会"
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
    if REGIONS.match(re.sub(r"\s", "", name)):
        return True
    k = key(name)
    return 2 <= len(k) <= 25 and bool(UNIT_SUFFIX.search(k)) and not GENERIC.search(k) \
        and not PROSE.search(NAME_WORDS.sub("", k)) \
        and not re.search(r"[：:，,。；;、！？!?“”]", k)


def unit_list(text: str) -> bool:
    """Whether a heading or a phrase is nothing but the names of units (省委宣传部、省委文明办 / 人力资源社会保障部门)."""
    text = re.sub(r"等(?:单位|部门)?$", "", text.strip())
    parts = split_names(text)
    return 0 < len(text) <= 60 and bool(parts) and all(unit_shaped(as_unit_name(p)) for p in parts)


def split_names(words: str) -> list[str]:
    """The entries of a list of names (县民政局、县教育局 / 各县（市、区）人民政府，县公安局), not cut inside brackets."""
    parts, depth, current = [], 0, ""
    i = 0
    while i < len(words):
        c = words[i]
        if c in "（(":
            depth += 1
        elif c in "）)":
            depth = max(0, depth - 1)
        if depth == 0 and (c in "、，,/／；;" or c.isspace() or words.startswith("以及", i)):
            parts.append(current)
            current = ""
            i += 2 if words.startswith("以及", i) else 1
            continue
        current += c
        i += 1
    parts.append(current)
    parts = [x.strip() for x in parts if x.strip()]
    joined: list[str] = []
    for part in parts:  # 各市、县人民政府 is one entry: the governments of every city and county
        if joined and re.fullmatch(r"各[省市州县区乡镇]", joined[-1]) and re.match(r"[省市州县区乡镇]", part):
            joined[-1] += "、" + part
        else:
            joined.append(part)
    return joined


def as_unit_name(part: str) -> str:
    """A department named by its stem alone (民政, 城管执法) as the generic department it means (民政部门)."""
    return f"{part}部门" if part in STEMS and not part.endswith(("联", "委", "会", "院", "办")) else part


def guess_kind(name: str, jurisdiction: str) -> tuple[str, str, str]:
    """(kind, level, why) for a new unit, from the end of its name and the kind of jurisdiction."""
    school = is_school(jurisdiction)
    rules = [
        (r"(?:镇|乡|街道)(?:政府|人民政府|办事处)?$|乡镇", "township", "township", "名称是乡镇（街道）"),
        (r"(?:村|社区|居委会|村委会|村民委员会|居民委员会)$|村（居）|村居", "village", "village", "名称是村（社区）"),
        (r"未成年人保护|未保|领导小组|妇儿工委|工作委员会|专班$", "coordinating-body", None, "名称是领导小组或委员会"),
        (r"^(?:中共)?[省县区市]委|党委|党工委|政法委$|网信办$|宣传部$|组织部$|统战部$|文明办$|编办$", "party", None,
         "名称带“县委/区委”或是党委部门"),
        (r"法院$|检察院$|法庭$|检察室$|检察机关$|审判机关$", "judicial", None, "名称以“法院/检察院”结尾"),
        (r"人大|人民代表大会", "congress", None, "名称是人大或人大常委会"),
        (r"(?:联|工会|团委|共青团|团[省县区市]委|关工委|科协|红十字会|慈善总会)$", "mass-organisation", None, "名称以“联/会/团委”结尾"),
        (rf"(?:{SCHOOL_ENDS})$", "school", "school", "名称是学校"),
        (r"(?:处|室|班级|班主任|教师|保安|组|科)$", "school-office" if school else "government", None,
         "名称以“处/室/科/组”结尾" + ("，是学校内设机构" if school else "")),
        (r"(?:中心|院|馆|站|基地)$", "school-office" if school else "institution", None, "名称以“中心/院/站”结尾"),
        (r"(?:局|委|办|所|政府|部|厅|部门|机关)$", "government", None, "名称以“局/委/办/所/厅/政府/部门”结尾"),
        (r"(?:执法队|大队|中队|支队)$", "government", None, "名称是执法队或大队"),
        (r"会$", "mass-organisation", None, "名称以“会”结尾"),
    ]
    for pattern, kind, level, why in rules:
        if re.search(pattern, name):
            return kind, level or level_of(name, jurisdiction), f"类别按{why}推定为{UNIT_KINDS[kind]}"
    return ("school-office" if school else "other"), level_of(name, jurisdiction), "名称看不出类别，暂记为其他"


LEVELS = {"省": "province", "市": "city", "县": "county", "镇": "township", "校": "school"}


def level_of(name: str, jurisdiction: str) -> str:
    """The level of a new unit: from the place word its name starts with (省委宣传部, 各乡镇, 县民政局), else the
    level of the jurisdiction the text is about."""
    if is_school(jurisdiction):
        return "school"
    k = key(name)
    for pattern, level in ((r"^(?:团|中共)?省|^[\u4e00-\u9fff]{2,4}省", "province"), (r"^各(?:村|社区|居)", "village"),
                           (r"^各?(?:乡镇|乡|镇|街道)", "township"), (r"^(?:团|中共)?各?(?:县|区|旗)(?!域)", "county"),
                           (r"^(?:团|中共)?各?市(?!场)", "city")):
        if re.match(pattern, k):
            return level
    return LEVELS.get(level_word(jurisdiction), "county")
