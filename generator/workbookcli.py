"""`qingdan import` of a workbook made by `qingdan export`: the report people and scripts read."""
from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import click

from . import workbook
from .findings import Finding, Report

ACTIONS = {"changed": "修改", "added": "新增", "removed": "删除"}


def handles(path: Path) -> bool:
    """Whether an .xlsx goes the workbook's way: one of ours, or one nothing can open (said here, once)."""
    return workbook.sniff(path) != "other"


def is_ours(path: Path) -> bool:
    """Whether the file is a workbook `qingdan export` wrote (not just one that cannot be opened)."""
    return workbook.sniff(path) == "qingdan"


def run(path: Path, data_dir: Path, dry_run: bool, fmt: str) -> int:
    """Import the workbook into `data_dir` (or only report, with `dry_run`); returns the exit status."""
    found = workbook.sniff(path)
    if isinstance(found, Finding):
        result = workbook.Plan(found.file, [found])
    else:
        result = workbook.plan(path, data_dir)
    if result.ok and not dry_run and (result.texts or result.removed):
        try:
            result.written = workbook.write(result)
        except OSError as exc:
            result.findings.append(Finding("E827", str(data_dir), 1, 1, f"无法写入数据文件：{exc.strerror or exc}。"
                                           "已经写入的文件都恢复了原样，数据目录未改动。请检查磁盘空间和文件权限后重新导入。"))
    if fmt == "json":
        click.echo(json.dumps({
            "workbook": result.workbook, "data": str(data_dir), "dry_run": dry_run, "ok": result.ok,
            "changes": [c.as_dict() for c in result.changes], "written": result.written,
            "findings": [f.as_dict() for f in result.report.findings]}, ensure_ascii=False, indent=2))
    else:
        click.echo(to_text(result, data_dir, dry_run))
    return 0 if result.ok else 1


def to_text(result: workbook.Plan, data_dir: Path, dry_run: bool) -> str:
    lines = []
    report = result.report
    if report.findings:  # a cell's findings name it in the message already: no second "位置：" line for it
        shown = [replace(f, path="") if f.path and f"「{f.path}」" in f.message else f for f in report.findings]
        lines.append(Report(tuple(shown)).to_text())
    if result.data_invalid:
        lines.append(f"数据目录 {data_dir} 本身校验未通过（共 {len(report.errors)} 个错误，见上），工作簿没有导入。"
                     "请先修正数据文件，再导回工作簿。")
        return "\n".join(lines)
    if not result.ok:
        lines.append(f"共 {len(report.errors)} 个错误，{len(report.warnings)} 个警告。没有写入任何文件，数据目录 {data_dir} 未改动。")
        return "\n".join(lines)
    if not result.changes:
        lines.append("工作簿与数据一致，没有需要导入的修改。")
        return "\n".join(lines)
    lines.append(f"{'将要' if dry_run else '已经'}从 {result.workbook} 导入 {len(result.changes)} 处修改：")
    for c in result.changes:
        what = workbook.S.TOP[c.table].name
        fields = f"：{'、'.join(c.fields)}" if c.fields else ""
        where = f"（{c.sheet}!第 {c.row} 行）" if c.row else f"（{c.sheet}中删除的行）"
        lines.append(f"  {ACTIONS[c.action]}{what} {c.id}（{c.name}）{fields}{where} → {c.file}")
    if dry_run:
        lines.append("这是预览（--dry-run），没有写入任何文件。去掉 --dry-run 再运行一次即可写入。")
    else:
        lines.append(f"已写入 {len(result.written)} 个文件：{'、'.join(result.written)}。")
        lines.append("接下来：qingdan diff 查看改动的含义，qingdan validate 校验，qingdan build 生成手册。")
    return "\n".join(lines)


def export_command(data_dir: Path, jurisdiction: str | None, out: Path, force: bool) -> None:
    """The body of `qingdan export`: validate, pick the jurisdiction, write the workbook."""
    from .load import load
    from .pipeline import check_loaded

    if out.suffix.lower() != ".xlsx":
        raise click.UsageError(f"--out 要写一个 .xlsx 文件名，例如 --out 清单.xlsx（现在是 {out}）。")
    if out.is_dir():
        raise click.UsageError(f"{out} 是一个目录。--out 要写文件名，例如 --out 清单.xlsx。")
    if out.exists() and not force:
        raise click.UsageError(f"{out} 已经存在，没有覆盖（里面可能有还没导入的修改）。要覆盖请加 --force，或换一个文件名。")
    if not out.parent.is_dir():
        raise click.UsageError(f"目录 {out.parent} 不存在。请先建立它，或换一个位置。")
    loaded = load(data_dir)
    result = check_loaded(loaded)
    if not result.report.ok:
        click.echo(result.report.without_infos().to_text())
        click.echo("数据校验未通过，没有导出。请先修正上面的错误。", err=True)
        sys.exit(1)
    chosen = None
    if jurisdiction:
        names = workbook.jurisdictions(loaded)
        matches = [j for j in names if j == jurisdiction] or [j for j in names if jurisdiction in j]
        if len(matches) != 1:
            listed = "、".join(names)
            why = f"“{jurisdiction}”可能指几个辖区" if matches else f"数据中没有辖区“{jurisdiction}”"
            raise click.UsageError(f"{why}。可选的辖区：{listed}。")
        chosen = matches[0]
    data = workbook.export(loaded, chosen)
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise click.UsageError(f"无法写入 {out}：{exc.strerror or exc}。") from None
    shown = workbook.sheets_of(loaded, chosen)
    click.echo(f"已导出 {chosen or '全部数据'} 到 {out}（工作表：{'、'.join(s.name for s in shown)}）。"
               f"改好后运行 qingdan import {out} --data {data_dir} --dry-run 预览，去掉 --dry-run 即导入。")
