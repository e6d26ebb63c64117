"""`qingdan import`: draft a data file from a policy text, with a report of what a person must finish."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..clitext import Command
from .read import ImportFailed

DEFAULT_DATA = "responsibilities"  # as in cli.py; not imported from there, so this module loads on its own


@click.command(name="import", cls=Command)
@click.argument("source", metavar="文件")
@click.option("--data", "data_dir", default=DEFAULT_DATA, show_default=True, metavar="目录",
              help="数据目录：草稿中的单位按其中已有的单位识别，写出的草稿须连同它一起通过校验。")
@click.option("--out", "out", metavar="文件", help="草稿写到哪里；默认为当前目录下的“<文件标识符>.yaml”。")
@click.option("--force", is_flag=True, help="--out 指定的文件已存在时覆盖它。")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="导入报告的格式：text 给人看，json 给脚本用。")
@click.option("--dry-run", "dry_run", is_flag=True,
              help="导入 qingdan export 导出的工作簿时：只报告会改什么，不写任何文件。")
def import_command(source: str, data_dir: str, out: str | None, force: bool, fmt: str, dry_run: bool) -> None:
    """从政策文本或责任清单表格（.txt、.md、.html、.docx、.xlsx）起草一个数据文件；或把 qingdan export 导出、改过的工作簿
    导回数据目录。

    导回工作簿（.xlsx，由 qingdan export 导出）时，直接更新 --data 目录中的 YAML 文件：只改动工作簿中改过的记录，
    新增的行成为新记录，删除的行删除对应的记录；结果连同其他数据一起校验通过后才写入，有任何问题（单元格写错、
    导出后数据已被别人修改）都按“工作表!单元格”报告，不写任何文件。先加 --dry-run 预览。

    识别条目编号（也识别没有编号的单位标题、“一是……二是……”和表格的行）、牵头和配合单位、完成时限和保护条线；
    按原文自己写明的辖区（市、县、省、镇、学校）和数据目录中已有的单位统一单位名称，数据中没有的单位作为这个辖区的新单位提出。
    Word 和 Excel 表格按表头找列（序号、工作任务、牵头单位、配合单位、完成时限及常见写法），合并的单元格适用于它覆盖的每一行。
    草稿中的概述摘自原文，须改写；原文没写的牵头单位和时限不会编造，而是列在报告里待人补上。

    退出状态：0 草稿已写出并通过校验（工作簿：已导回，或 --dry-run 已预览）；1 无法导入，或草稿连同数据目录校验未通过
    （工作簿：有问题，没有写入任何文件）；2 用法错误。
    """
    from . import report as reports
    from .draft import check, draft_file, to_yaml

    path = Path(source)
    if not path.is_file():
        raise click.UsageError(f"找不到要导入的文件 {source}。" + ("它是一个目录。" if path.is_dir() else ""))
    data = Path(data_dir)
    if not data.is_dir():
        raise click.UsageError(f"找不到数据目录 {data_dir}。请用 --data 指定存放 YAML 数据的目录。")
    if path.suffix.lower() in (".xls", ".et", ".ods"):  # saved in another format by Excel, WPS or LibreOffice
        raise click.UsageError(f"{path.name} 不是 .xlsx 格式。请在 Excel 或 WPS 中“另存为”Excel 工作簿（.xlsx），再导入。")
    if path.suffix.lower() in (".xlsx", ".xlsm"):  # a workbook from `qingdan export` goes back into the data
        from .. import workbookcli

        if workbookcli.handles(path):
            if out is not None and workbookcli.is_ours(path):
                raise click.UsageError("导回 qingdan 导出的工作簿时直接更新 --data 目录，不用 --out。")
            sys.exit(workbookcli.run(path, data, dry_run, fmt))
    if dry_run:
        raise click.UsageError("--dry-run 只用于导回 qingdan export 导出的工作簿。")
    if out is not None and Path(out).exists() and not force:
        raise click.UsageError(f"输出文件 {out} 已经存在，没有覆盖。要覆盖请加 --force，或用 --out 换一个文件名。")
    try:
        draft = draft_file(path, data, Path(out) if out else None)
        target = Path(out) if out else Path(f"{draft.wanted_id}.yaml")  # named by the document's id
        if out is None and target.exists() and not force:
            raise click.UsageError(f"输出文件 {target} 已经存在，没有覆盖。要覆盖请加 --force，或用 --out 指定文件名。")
        if out is None and target.exists():  # an earlier draft, maybe in the data folder: its ids are this one's own
            draft = draft_file(path, data, target)
        elif out is None:
            target = Path(f"{draft.document['id']}.yaml")  # wanted-2 where another file of the data has the id
    except ImportFailed as failed:
        click.echo(f"错误：{failed.message}", err=True)
        sys.exit(failed.status)
    text = to_yaml(draft, target)
    report = check(text, target, data)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        click.echo(f"错误：无法写入 {target}：{exc.strerror or exc}。", err=True)
        sys.exit(1)
    if fmt == "json":
        click.echo(reports.to_json(draft, target, report))
    else:
        click.echo(reports.to_text(draft, target, report))
    sys.exit(0 if report.ok else 1)
