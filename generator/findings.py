"""Validation findings as data: a code, a place, a Chinese message, an optional note.

The CLI, the site and the tests all read the same `Finding` objects; nothing downstream parses message text.
"""
from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Iterable

ERROR = "error"
WARNING = "warning"
INFO = "info"  # a review note: shown by `qingdan check`, never fails a run

# Every code the project emits, with its severity and a short Chinese title. Codes are stable: never reuse one.
CODES: dict[str, tuple[str, str]] = {
    # files and YAML
    "E100": (ERROR, "数据目录中没有数据文件"),
    "E101": (ERROR, "文件不是 UTF-8 编码"),
    "E102": (ERROR, "文件过大"),
    "E103": (ERROR, "YAML 语法错误"),
    "E104": (ERROR, "YAML 锚点/别名过多"),
    "E105": (ERROR, "嵌套层次过深"),
    "E106": (ERROR, "同一映射中键重复"),
    "E107": (ERROR, "一个文件中有多个 YAML 文档"),
    "E108": (ERROR, "不支持的 YAML 标签"),
    "E109": (ERROR, "无法读取文件"),
    "W110": (WARNING, "文件为空"),
    "W111": (WARNING, "文件开头缺少 $schema 声明"),
    "E112": (ERROR, "标识符或日期前后有空格或换行"),
    "E113": (ERROR, "文字中有控制字符"),
    # schema
    "E201": (ERROR, "缺少必填字段"),
    "E202": (ERROR, "未知字段"),
    "E203": (ERROR, "类型不对"),
    "E204": (ERROR, "取值不在允许范围内"),
    "E205": (ERROR, "格式不对"),
    "E206": (ERROR, "长度或数值超出范围"),
    "E207": (ERROR, "列表中有重复项"),
    "E299": (ERROR, "不符合数据格式"),
    # references
    "E301": (ERROR, "标识符重复"),
    "E302": (ERROR, "引用了不存在的单位"),
    "E303": (ERROR, "引用了不存在的条线"),
    "E304": (ERROR, "引用了不存在的文件"),
    "E305": (ERROR, "引用了不存在的岗位"),
    "E306": (ERROR, "引用了不存在的职责"),
    "E307": (ERROR, "职责依赖关系成环"),
    "E308": (ERROR, "单位上下级关系成环"),
    "E309": (ERROR, "职责没有牵头单位"),
    "W310": (WARNING, "同一单位既牵头又配合"),
    "E311": (ERROR, "引用了不存在的术语"),
    "E312": (ERROR, "标识符与另一个只差大小写或全角半角"),
    "E313": (ERROR, "标识符与手册自带的页面同名"),
    # dates
    "E401": (ERROR, "日期不存在"),
    "E402": (ERROR, "时限早于文件印发日期"),
    "W403": (WARNING, "职责早于其依赖的职责到期"),
    "E404": (ERROR, "结束日期早于开始日期"),
    "W405": (WARNING, "时限未确定"),
    "I406": (INFO, "周期性工作没有起始日期，日历中不列出"),
    # personal data
    "E501": (ERROR, "疑似身份证号码"),
    "E502": (ERROR, "疑似个人手机号码"),
    "E503": (ERROR, "疑似个人电子邮箱"),
    # ownership (from the graph)
    "W601": (WARNING, "单位未被任何记录引用"),
    "I701": (INFO, "牵头单位由编者指定，待确认"),
    "W702": (WARNING, "牵头和配合单位都不在文件所属辖区"),
    "I703": (INFO, "单位牵头的职责明显多于同辖区其他单位"),
    "I704": (INFO, "文件中某条保护线没有职责"),
    "I705": (INFO, "文件中某条保护线没有原文确定的牵头单位"),
    # the clerks' workbook (qingdan export / qingdan import of an exported .xlsx)
    "E801": (ERROR, "无法打开工作簿"),
    "E802": (ERROR, "工作簿设了打开密码"),
    "E803": (ERROR, "工作簿的导出标记不完整"),
    "E804": (ERROR, "缺少工作表"),
    "W805": (WARNING, "工作表改了名"),
    "E806": (ERROR, "缺少列"),
    "W807": (WARNING, "多出的列未导入"),
    "E808": (ERROR, "隐藏的标识列不见了"),
    "W809": (WARNING, "导出后数据已更新，这一行未改"),
    "E810": (ERROR, "必填的单元格是空的"),
    "E811": (ERROR, "取值不在下拉列表中"),
    "E812": (ERROR, "找不到单位"),
    "E813": (ERROR, "名称可能指几条记录"),
    "E814": (ERROR, "日期不存在"),
    "E815": (ERROR, "日期或数字的写法不对"),
    "E817": (ERROR, "单元格中疑似有身份证号码"),
    "E818": (ERROR, "单元格中疑似有个人手机号码"),
    "E819": (ERROR, "单元格中疑似有个人电子邮箱"),
    "E820": (ERROR, "找不到这一行所属的记录"),
    "E821": (ERROR, "两行带着同一个标识"),
    "E822": (ERROR, "隐藏的标识被改动"),
    "E823": (ERROR, "导出后数据已被修改（冲突）"),
    "E824": (ERROR, "找不到引用的记录"),
    "E825": (ERROR, "这一类时限不填这一列"),
    "E826": (ERROR, "报告环节的岗位和单位只填一个"),
    "E827": (ERROR, "无法写入数据文件"),
    "E828": (ERROR, "无法只改动变化之处"),
    "E829": (ERROR, "行和隐藏的标识错开了"),
}


def readable_path(path: str) -> str:
    """duties[3].lead[0] → 第 4 个职责的第 1 个牵头单位: YAML paths count from 0, people from 1; fields by their
    Chinese names, the schemas' titles (the path itself, for machines, stays in Finding.path)."""
    from .schema import field_labels  # the schemas' module reports findings too: imported when first needed

    parts = re.findall(r"([^.\[\]]+)(?:\[(\d+)\])?", path)
    keys: list[str | int] = []
    for name, index in parts:
        keys += [name] + ([int(index)] if index else [])
    names = field_labels(tuple(keys))
    out, i = [], 0
    for name, index in parts:
        label = names[i] or name
        i += 1
        if index:
            out.append(f"第 {int(index) + 1} 个{label}")
            i += 1
        elif out:
            out.append(label)
    return "的".join(out) if out else path


@dataclass(frozen=True)
class Finding:
    code: str
    file: str
    line: int
    column: int
    message: str
    path: str = ""
    note: str = ""
    severity: str = field(default="")

    def __post_init__(self) -> None:
        if not self.severity:
            object.__setattr__(self, "severity", CODES[self.code][0])

    @property
    def title(self) -> str:
        return CODES[self.code][1]

    def sort_key(self) -> tuple:
        return (self.file, self.line, self.column, self.code, self.message)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["title"] = self.title
        return data


@dataclass(frozen=True)
class Report:
    """The outcome of validating one data directory."""

    findings: tuple[Finding, ...]
    files: int = 0

    @classmethod
    def of(cls, findings: Iterable[Finding], files: int = 0) -> "Report":
        unique = sorted(set(findings), key=Finding.sort_key)
        return cls(tuple(unique), files)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    @property
    def infos(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == INFO]

    @property
    def ok(self) -> bool:
        return not self.errors

    def without_infos(self) -> "Report":
        return Report(tuple(f for f in self.findings if f.severity != INFO), self.files)

    def merged(self, findings: Iterable[Finding]) -> "Report":
        return Report.of([*self.findings, *findings], self.files)

    def to_json(self) -> str:
        return json.dumps([f.as_dict() for f in self.findings], ensure_ascii=False, indent=2)

    def to_text(self) -> str:
        lines = []
        for f in self.findings:
            label = {ERROR: "错误", WARNING: "警告", INFO: "提示"}[f.severity]
            where = f"{f.file}:{f.line}:{f.column}"
            lines.append(f"{where}: {label} {f.code} {f.message}")
            if f.path:
                lines.append(f"    位置：{f.path}（{readable_path(f.path)}）" if "[" in f.path else f"    位置：{f.path}")
            if f.note:
                lines.append(f"    {f.note}")
        return "\n".join(lines)

    def summary(self) -> str:
        notes = f"另有 {len(self.infos)} 条审核提示（qingdan check 查看）。" if self.infos else ""
        if not self.errors and not self.warnings:
            return f"校验通过：{self.files} 个文件，没有错误和警告。{notes}"
        return f"共 {len(self.errors)} 个错误，{len(self.warnings)} 个警告（{self.files} 个文件）。{notes}"
