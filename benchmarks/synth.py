"""Write a synthetic data set that validates: N counties, each with its own units and duties.

    python benchmarks/synth.py OUT_DIR --counties 100 --units 40 --duties 100

Text lengths, deadline kinds, lead/support counts and depends_on chains follow the real bundled data; the words
are drawn from a small vocabulary, so the pages read like duties without being any real document.
"""
from __future__ import annotations

import argparse
import random
from pathlib import Path

import yaml

MODELINE = "# yaml-language-server: $schema=../../schemas/data-file.schema.json\n"
PROTECTION = ["family", "school", "society", "network", "government", "judicial", "leadership", "monitoring",
              "safeguards"]
UNITS = [("minzheng", "民政局", "government"), ("jiaoyu", "教育局", "government"), ("gongan", "公安局", "government"),
         ("sifa", "司法局", "government"), ("weijian", "卫生健康局", "government"), ("renshe", "人力社保局", "government"),
         ("caizheng", "财政局", "government"), ("wenlv", "文化旅游局", "government"), ("shichang", "市场监管局", "government"),
         ("zhujian", "住房城乡建设局", "government"), ("fayuan", "人民法院", "judicial"), ("jianchayuan", "人民检察院", "judicial"),
         ("zhengfawei", "委政法委", "party"), ("xuanchuan", "委宣传部", "party"), ("wangxin", "委网信办", "party"),
         ("tuanwei", "团委", "mass-organisation"), ("fulian", "妇联", "mass-organisation"), ("canlian", "残联", "mass-organisation"),
         ("gonghui", "总工会", "mass-organisation"), ("guangongwei", "关工委", "mass-organisation"),
         ("weibaowei", "未成年人保护委员会", "coordinating-body"), ("jiuzhu", "救助管理站", "institution")]
VERBS = ["建立", "健全", "完善", "落实", "推进", "开展", "加强", "组织", "督促", "指导", "排查", "培训"]
OBJECTS = ["家庭教育指导服务", "困境儿童分类保障", "校园欺凌防治", "网络沉迷预防", "强制报告制度", "监护评估", "儿童之家建设",
           "法治宣传教育", "心理健康服务", "留守儿童关爱", "临时监护工作", "信息通报机制", "从业查询制度", "社会组织参与",
           "个案会商", "救助保护站点", "安全隐患排查", "事实无人抚养儿童保障"]
PLACES = ["全县", "各镇街", "村（社区）", "中小学校", "幼儿园", "相关部门", "社会组织"]


def phrase(rng: random.Random) -> str:
    return f"{rng.choice(VERBS)}{rng.choice(PLACES)}{rng.choice(OBJECTS)}"


def sentence(rng: random.Random, parts: int) -> str:
    return "，".join(phrase(rng) for _ in range(parts)) + "。"


def deadline(rng: random.Random, year: int) -> dict:
    kind = rng.choice(["date", "date", "month", "year", "phase", "recurring", "recurring", "ongoing", "period",
                       "event"])
    if kind == "date":
        return {"kind": "date", "date": f"{year}-{rng.randint(4, 12):02d}-{rng.randint(1, 28):02d}",
                "text": "某月某日前"}
    if kind == "month":
        return {"kind": "month", "month": f"{year + rng.randint(0, 1)}-{rng.randint(4, 12):02d}"}
    if kind == "year":
        return {"kind": "year", "year": year + rng.randint(1, 4)}
    if kind == "phase":
        return {"kind": "phase", "phase": rng.choice(["第一阶段", "第二阶段", "第三阶段"]),
                "start": f"{year}-04-01", "end": f"{year}-{rng.randint(6, 12):02d}-28"}
    if kind == "recurring":
        return {"kind": "recurring", "every": rng.choice(["week", "month", "quarter", "semester", "year"]),
                "times": rng.choice([1, 1, 2]), "text": "每期至少一次"}
    if kind == "period":
        return {"kind": "period", "start": f"{year}-06-01", "end": f"{year}-09-15"}
    if kind == "event":
        return {"kind": "event", "event": "发现线索时"}
    return {"kind": "ongoing", "text": "长期开展"}


def county(rng: random.Random, index: int, n_units: int, n_duties: int) -> dict[str, dict]:
    area = f"合成县{index:03d}"
    prefix = f"c{index:03d}"
    units = []
    for i in range(n_units):
        key, name, kind = UNITS[i % len(UNITS)]
        suffix = "" if i < len(UNITS) else str(i // len(UNITS) + 1)
        uid = f"{prefix}.{key}{suffix}"
        units.append({"id": uid, "name": f"{area}{name}{suffix}", "short_name": f"县{name}{suffix}",
                      "aliases": [name + suffix], "kind": kind, "level": "county", "jurisdiction": area})
    year = 2021 + index % 4
    doc_id = f"{prefix}-plan"
    document = {"id": doc_id, "title": f"{area}未成年人保护工作实施方案", "issuer": f"{area}未成年人保护委员会",
                "issued": f"{year}-03-01", "jurisdiction": area, "source": "合成数据，用于性能测试"}
    ids = [u["id"] for u in units]
    duties = []
    for n in range(1, n_duties + 1):
        lead = rng.sample(ids[:12] if rng.random() < 0.7 else ids, k=rng.choice([1, 1, 1, 2]))
        support = rng.sample([u for u in ids if u not in lead], k=rng.randint(0, 4))
        duty = {"id": f"{doc_id}.{n:04d}", "title": phrase(rng), "document": doc_id,
                "clause": f"二({rng.randint(1, 9)}){n}", "line": rng.choice(PROTECTION),
                "summary": sentence(rng, rng.randint(2, 4)), "actions": [phrase(rng) for _ in range(rng.randint(2, 5))],
                "lead": lead, "lead_basis": rng.choice(["stated", "stated", "named", "assigned"]),
                "deadlines": [deadline(rng, year) for _ in range(rng.randint(0, 2))]}
        if duty["lead_basis"] == "assigned":
            duty["lead_note"] = "合成数据：编者指定。"
        if support:
            duty["support"] = support
        if n > 1 and rng.random() < 0.2:  # depends_on chains, always on an earlier duty: no cycles
            duty["depends_on"] = [f"{doc_id}.{rng.randint(max(1, n - 5), n - 1):04d}"]
        duties.append(duty)
    led = {u for d in duties for u in d["lead"] + d.get("support", [])}
    units = [u for u in units if u["id"] in led]  # every unit is referenced, as in real data
    return {"document.yaml": {"documents": [document]}, "units.yaml": {"units": units},
            "duties.yaml": {"duties": duties}}


def write(out: Path, counties: int, units: int, duties: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    root = Path(__file__).resolve().parent.parent / "responsibilities"
    for shared in ("lines.yaml", "roles.yaml"):  # the real protection lines and roles
        (out / shared).write_text((root / shared).read_text(encoding="utf-8").replace("../schemas", "../../schemas"),
                                  encoding="utf-8")
    for index in range(1, counties + 1):
        folder = out / f"c{index:03d}"
        folder.mkdir(exist_ok=True)
        for name, content in county(rng, index, units, duties).items():
            text = yaml.safe_dump(content, allow_unicode=True, sort_keys=False, width=120)
            (folder / name).write_text(MODELINE + text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--counties", type=int, default=100)
    parser.add_argument("--units", type=int, default=40)
    parser.add_argument("--duties", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write(args.out, args.counties, args.units, args.duties, args.seed)


if __name__ == "__main__":
    main()
