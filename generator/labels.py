"""Chinese words for the data's English enum values, in one place for pages, exports and the CLI."""
from __future__ import annotations

UNIT_KINDS = {
    "party": "党委部门", "government": "政府部门", "judicial": "司法机关", "congress": "人大", "mass-organisation": "群团组织",
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

CHANGE_KINDS = {
    "duty-added": "新增职责", "duty-removed": "删除职责", "duty-moved": "职责移到其他文件",
    "lead-added": "增加牵头单位", "lead-removed": "去掉牵头单位", "lead-replaced": "更换牵头单位",
    "support-added": "增加配合单位", "support-removed": "去掉配合单位", "lead-basis-changed": "牵头依据改变",
    "deadline-earlier": "时限提前", "deadline-later": "时限推后", "deadline-kind-changed": "时限类型改变",
    "deadline-added": "增加时限", "deadline-removed": "删除时限", "deadline-changed": "时限改变",
    "note-changed": "时限说明改动",
    "line-changed": "条线改变", "document-changed": "来源文件改变", "clause-changed": "条款改变",
    "title-changed": "名称改动", "summary-changed": "概述改动", "actions-changed": "工作清单改动",
    "roles-changed": "岗位改变", "depends-changed": "前后关系改变", "basis-changed": "依据改动",
    "unit-added": "新增单位", "unit-removed": "删除单位", "unit-renamed": "单位改名",
    "unit-reparented": "上级单位改变", "unit-changed": "单位信息改动",
    "document-added": "新增文件", "document-removed": "删除文件", "document-updated": "文件信息改动",
    "referral-added": "新增转介路线", "referral-removed": "删除转介路线", "referral-changed": "转介路线改动",
    "risk-level-added": "新增风险等级", "risk-level-removed": "删除风险等级", "risk-level-changed": "风险等级改动",
    "chain-added": "新增报告路线", "chain-removed": "删除报告路线", "chain-changed": "报告路线改动",
    "role-added": "新增岗位", "role-removed": "删除岗位", "role-changed": "岗位说明改动",
    "term-added": "新增术语", "term-removed": "删除术语", "term-changed": "术语改动",
    "line-added": "新增保护线", "line-removed": "删除保护线", "line-updated": "保护线改动",
    "data-invalid": "数据校验未通过",
}
