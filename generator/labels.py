"""Chinese words for the data's English enum values, in one place for pages, exports and the CLI."""
from __future__ import annotations

UNIT_KINDS = {
    "party": "党委部门", "government": "政府部门", "judicial": "司法机关", "mass-organisation": "群团组织",
    "coordinating-body": "议事协调机构", "institution": "事业单位", "township": "镇街", "village": "村（社区）",
    "school": "学校", "school-office": "学校内设机构", "other": "其他",
}
LEVELS = {"province": "省级", "city": "市级", "county": "县（区）级", "township": "镇街级", "village": "村（社区）级",
          "school": "学校"}
LEAD_BASIS = {"stated": "原文写明", "named": "原文点名", "assigned": "编者指定（待确认）"}
LEAD_BASIS_EXPLAINED = {
    "stated": "原文明确写了由该单位牵头或负责。",
    "named": "原文没有写“牵头”，但句中点名由该单位承担这项工作。",
    "assigned": "原文没有写明牵头单位，由编者根据职能指定，须由实际工作部门确认。",
}
EVERY = {"week": "每周", "month": "每月", "quarter": "每季度", "semester": "每学期", "year": "每年"}
DEADLINE_KINDS = {"date": "日期", "month": "月份", "year": "年度目标", "phase": "阶段", "recurring": "周期性",
                  "ongoing": "长期", "period": "期间", "event": "发生时", "unknown": "待定"}
RISK_COLOURS = {"blue": "蓝色", "yellow": "黄色", "orange": "橙色", "red": "红色"}
LINE_KINDS = {"protection": "保护条线", "cross-cutting": "综合事项"}
