"""The `qingdan` command line. Each command is a thin shell over a pipeline function."""
from __future__ import annotations

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


def emit(report: Report, fmt: str) -> None:
    if fmt == "json":
        click.echo(report.to_json())
        return
    if report.findings:
        click.echo(report.to_text())
    click.echo(report.summary(), err=bool(report.findings))


if __name__ == "__main__":  # pragma: no cover
    main()
