"""The `qingdan` command line. Each command is a thin shell over a pipeline function."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from .findings import Report
from .validate import validate_dir

DEFAULT_DATA = "responsibilities"

data_option = click.option(
    "--data", "data_dir", default=DEFAULT_DATA, show_default=True, metavar="DIR",
    help="数据目录：其中所有 .yaml/.yml 文件一起读取。")
format_option = click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
    help="输出格式：text 给人看，json 给脚本用。")


def data_path(value: str) -> Path:
    path = Path(value)
    if not path.is_dir():
        raise click.UsageError(f"找不到数据目录 {value}。请用 --data 指定存放 YAML 数据的目录。")
    return path


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="qingdan")
def main() -> None:
    """qingdan（清单）：未成年人保护工作责任清单的校验与手册生成工具。"""


@main.command()
@data_option
@format_option
@click.option("--strict", is_flag=True, help="有警告也以状态 1 退出。")
def validate(data_dir: str, fmt: str, strict: bool) -> None:
    """校验数据目录：格式、引用、日期、个人信息。

    退出状态：0 没有问题；1 有错误（或 --strict 时有警告）；2 用法错误。
    """
    report = validate_dir(data_path(data_dir))
    emit(report, fmt)
    failed = not report.ok or (strict and report.warnings)
    sys.exit(1 if failed else 0)


def as_of_option(func):
    return click.option("--as-of", "as_of", metavar="DATE", callback=_parse_date,
                        help="按哪一天计算“已过/30 天内/以后”，写作 YYYY-MM-DD；默认今天。")(func)


def _parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"日期应写作 YYYY-MM-DD，例如 2026-01-31，现在是 {value!r}。") from None


config_option = click.option("--config", "config_file", default="mkdocs.yml", show_default=True, metavar="FILE",
                             help="MkDocs 配置文件。")


def config_path(value: str) -> Path:
    path = Path(value)
    if not path.is_file():
        raise click.UsageError(f"找不到配置文件 {value}。请在项目目录中运行，或用 --config 指定 mkdocs.yml。")
    return path


@main.command()
@data_option
@click.option("--out", "out", default="site", show_default=True, metavar="DIR", help="手册输出目录。")
@as_of_option
@click.option("--offline", is_flag=True, help="生成可直接从文件夹（file://）打开的手册，搜索照常可用。")
@config_option
def build(data_dir: str, out: str, as_of: dt.date | None, offline: bool, config_file: str) -> None:
    """校验数据并生成手册。

    先校验；数据有错误时不写任何文件，原有的手册保持不变。生成在临时目录中完成后才替换输出目录。
    """
    from mkdocs.exceptions import Abort, MkDocsException

    from .site import ValidationFailed, build as build_site

    data = data_path(data_dir)
    config = config_path(config_file)
    try:
        build_site(config, Path(out), data=data, as_of=as_of, offline=offline)
    except ValidationFailed as failed:
        emit(failed.report, "text")
        click.echo("数据校验未通过，没有生成手册；原有的输出目录未改动。", err=True)
        sys.exit(1)
    except MkDocsException as exc:  # MkDocs has already logged the reason; Abort itself only says it stopped
        if not isinstance(exc, Abort):
            click.echo(f"错误：{exc}", err=True)
        click.echo("生成失败，原有的输出目录未改动。", err=True)
        sys.exit(1)
    click.echo(f"手册已生成：{out}" + ("（离线版，可直接打开 index.html）" if offline else ""))


@main.command()
@data_option
@as_of_option
@config_option
@click.option("--addr", "address", default="127.0.0.1:8000", show_default=True, help="监听地址。")
def serve(data_dir: str, as_of: dt.date | None, config_file: str, address: str) -> None:
    """在本机预览手册；修改 YAML 数据或 docs/ 中的页面后自动重新生成。"""
    from .site import serve as serve_site

    serve_site(config_path(config_file), data=data_path(data_dir), as_of=as_of, address=address)


@main.command()
@data_option
@click.option("--out", "out", required=True, metavar="DIR", help="写入生成页面的目录。")
@as_of_option
@format_option
def pages(data_dir: str, out: str, as_of: dt.date | None, fmt: str) -> None:
    """只生成 Markdown 页面和下载文件，写入一个目录，供其他站点引擎使用。

    不会覆盖或删除目录中不是由 qingdan 生成的文件；内容没有变化的文件不重写。
    """
    import json

    from .output import OutputConflict, write_tree
    from .pipeline import load_dataset
    from .site import generate

    result = load_dataset(data_path(data_dir))
    if result.dataset is None:
        emit(result.report, "text")
        sys.exit(1)
    try:
        written = write_tree(generate(result.dataset, as_of or dt.date.today()), Path(out))
    except OutputConflict as conflict:
        click.echo(f"错误：{out} 中已有同名的文件，它们不是 qingdan 生成的，不会覆盖："
                   f"{'、'.join(conflict.paths)}。", err=True)
        sys.exit(1)
    if fmt == "json":
        click.echo(json.dumps({"written": written.written, "unchanged": written.unchanged,
                               "removed": written.removed}, ensure_ascii=False, indent=2))
    else:
        click.echo(f"写入 {len(written.written)} 个文件，{len(written.unchanged)} 个未变，"
                   f"删除 {len(written.removed)} 个过时文件：{out}")


def emit(report: Report, fmt: str) -> None:
    if fmt == "json":
        click.echo(report.to_json())
        return
    if report.findings:
        click.echo(report.to_text())
    click.echo(report.summary(), err=bool(report.findings))


if __name__ == "__main__":  # pragma: no cover
    main()
