"""The words responsibility lists label their parts with (牵头单位：…, 完成时限：…), in one place for every stage.

Typed text writes them as field lines; tables as column headings, which tables.py maps to the first word of each
group so that the outline reads a table row as it reads typed fields.
"""
from __future__ import annotations

# The short forms (牵头：市民政局；配合：市教育局) count too.
LEAD_FIELDS = ("牵头单位", "牵头部门", "牵头处室", "主责单位", "主责部门", "牵头")
DUTY_FIELDS = ("责任单位", "责任部门", "责任处室", "责任科室", "责任主体", "承办单位", "实施单位", "落实单位")
SUPPORT_FIELDS = ("配合单位", "配合部门", "配合处室", "协办单位", "协同单位", "协同部门", "协助单位", "协助部门", "协助处室",
                  "参与单位", "参与部门", "成员单位", "配合", "协办")
TASK_FIELDS = ("工作任务", "主要任务", "工作内容", "具体任务", "任务内容", "具体措施")
TIME_FIELDS = ("完成时限", "完成时间", "时间要求", "时限要求", "时间节点", "进度安排", "时间安排", "完成期限")
CATEGORY_FIELDS = ("工作类别",)
UNIT_FIELDS = LEAD_FIELDS + DUTY_FIELDS + SUPPORT_FIELDS
ALL_FIELDS = UNIT_FIELDS + TASK_FIELDS + TIME_FIELDS + CATEGORY_FIELDS


def alternation(names: tuple[str, ...]) -> str:
    """A regular-expression alternation of the names, longest first (配合处室 before 配合)."""
    return "|".join(sorted(names, key=len, reverse=True))
