"""The `qingdan` command line. Each command is a thin shell over a pipeline function."""
from __future__ import annotations

import datetime as dt
import inspect
import re
import sys
from collections import Counter
from pathlib import Path

import click

from . import clitext
from .findings import Report
from .labels import CHANGE_KINDS
from .pipeline import validate_dir

clitext.install()  # before the commands below are defined: their --help texts are taken then

DEFAULT_DATA = "responsibilities"

data_option = click.option(
    "--data", "data_dir", default=DEFAULT_DATA, show_default=True, metavar="目录",
    help="数据目录：其中所有 .yaml/.yml 文件一起读取。")
format_option = click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
    help="输出格式：text 给人看，json 给脚本用。")


def write_file(path: Path, text: str) -> None:
    """Write a result file, or stop with a usage error that says why it cannot be written."""
    if path.is_dir():
        raise click.UsageError(f"{path} 是一个目录。--out 要写文件名，例如 --out graph.json。")
    if not path.parent.is_dir():
        raise click.UsageError(f"目录 {path.parent} 不存在。请先建立它，或换一个位置。")
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise click.UsageError(f"无法写入 {path}：{exc.strerror or exc}。") from None


def data_path(value: str) -> Path:
    path = Path(value)
    if path.is_file():
        raise click.UsageError(f"{value} 是一个文件。--data 要写存放 YAML 数据的目录，例如 --data responsibilities。")
    if not path.is_dir():
        raise click.UsageError(f"找不到数据目录 {value}。请用 --data 指定存放 YAML 数据的目录。")
    return path


@click.group(cls=clitext.Group, context_settings={"help_option_names": ["-h", "--help"]})
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
    return click.option("--as-of", "as_of", metavar="日期", callback=_parse_date,
                        help="按哪一天计算“已过/30 天内/以后”，写作 YYYY-MM-DD；默认今天。")(func)


def _parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):  # the right form, but no such day (2026-02-30)
            raise click.BadParameter(f"没有 {value} 这一天，请检查月份和日期。") from None
        raise click.BadParameter(f"日期应写作 YYYY-MM-DD，例如 2026-01-31，现在是 {value!r}。") from None


config_option = click.option("--config", "config_file", default="mkdocs.yml", show_default=True, metavar="文件",
                             help="MkDocs 配置文件。")


def config_path(value: str) -> Path:
    path = Path(value)
    if not path.is_file():
        raise click.UsageError(f"找不到配置文件 {value}。请在项目目录中运行，或用 --config 指定 mkdocs.yml。")
    return path


@main.command()
@data_option
@click.option("--out", "out", default="site", show_default=True, metavar="目录", help="手册输出目录。")
@as_of_option
@click.option("--offline", is_flag=True, help="生成可直接从文件夹（file://）打开的手册，搜索照常可用。")
@click.option("--engine", "engine", type=click.Choice(["mkdocs", "zensical"]), default="mkdocs", show_default=True,
              help="站点引擎：mkdocs（MkDocs 和 Material for MkDocs）或 zensical。两者用同一份生成的项目。")
@config_option
def build(data_dir: str, out: str, as_of: dt.date | None, offline: bool, engine: str, config_file: str) -> None:
    """校验数据并生成手册。

    先校验；数据有错误时不写任何文件，原有的手册保持不变。生成在临时目录中完成后才替换输出目录。
    """
    from .project import ProjectConflict
    from .publish import EngineFailed, OutputRefused, ValidationFailed, build as build_site

    data = data_path(data_dir)
    config = config_path(config_file)
    try:
        build_site(config, Path(out), data=data, as_of=as_of, offline=offline, engine_name=engine)
    except OutputRefused as refused:
        raise click.UsageError(str(refused)) from None
    except ValidationFailed as failed:
        emit(failed.report, "text")
        click.echo("数据校验未通过，没有生成手册；原有的输出目录未改动。", err=True)
        sys.exit(1)
    except ProjectConflict as conflict:
        click.echo(f"错误：{conflict.message()}", err=True)
        click.echo("没有生成手册；原有的输出目录未改动。", err=True)
        sys.exit(1)
    except EngineFailed as exc:  # the engine's own reasons were shown already
        if str(exc):
            click.echo(f"错误：{exc}", err=True)
        click.echo("生成失败，原有的输出目录未改动。", err=True)
        sys.exit(1)
    click.echo(f"手册已生成：{out}" + ("（离线版，可直接打开 index.html）" if offline else ""))


@main.command()
@data_option
@as_of_option
@config_option
@click.option("--addr", "address", default="127.0.0.1:8000", show_default=True, metavar="地址:端口",
              help="监听地址。")
def serve(data_dir: str, as_of: dt.date | None, config_file: str, address: str) -> None:
    """在本机预览手册；修改 YAML 数据或 docs/ 中的页面后自动重新生成。"""
    import errno

    from .site import serve as serve_site

    import ipaddress

    host, _, port = address.rpartition(":")
    try:
        ipaddress.ip_address(host.strip("[]"))
        usable = port.isdigit() and 0 < int(port) < 65536
    except ValueError:
        usable = False
    if not usable:
        raise click.BadParameter(f"{address} 不是“IP 地址:端口”，例如 127.0.0.1:8000。", param_hint="'--addr'")
    try:
        serve_site(config_path(config_file), data=data_path(data_dir), as_of=as_of, address=address)
    except OSError as exc:
        reason = "端口已被占用" if exc.errno == errno.EADDRINUSE else (exc.strerror or str(exc))
        click.echo(f"无法在 {address} 启动预览：{reason}。"
                   "如果端口被占用，请用 --addr 换一个，例如 --addr 127.0.0.1:8001。", err=True)
        sys.exit(1)


@main.command()
@data_option
@click.option("--out", "out", required=True, metavar="目录", help="写入项目的目录。")
@as_of_option
@click.option("--offline", is_flag=True, help="页面链接写成 file:// 可用的形式（units/x.html），并打开离线插件。")
@config_option
@format_option
def pages(data_dir: str, out: str, as_of: dt.date | None, offline: bool, config_file: str, fmt: str) -> None:
    """输出一个完整的手册项目，供任何读取 mkdocs.yml 的站点引擎使用。

    目录中有 mkdocs.yml（导航、样式、脚本都已写好）和 docs/（生成的页面、关系图、下载文件，以及手写页面）。

    在该目录中运行 mkdocs build 或 zensical build 即可生成手册，不需要 qingdan 插件。

    不会覆盖或删除目录中不是由 qingdan 生成的文件；内容没有变化的文件不重写。
    """
    import json

    from .history import history
    from .output import OutputConflict, write_tree
    from .pipeline import load_dataset
    from .project import ProjectConflict, project_files

    config = config_path(config_file)
    target = Path(out).resolve()
    if target == config.resolve().parent or target in config.resolve().parent.parents:
        raise click.UsageError(f"--out {out} 是本项目所在的目录（或它的上级），生成的 mkdocs.yml 会与手写的冲突。"
                               "请另选一个输出目录，例如 --out build/handbook。")
    if target == Path("docs").resolve() or Path("docs").resolve() in target.parents:
        raise click.UsageError("不要写入 docs/：那是手册手写页面的目录，它们会被一起复制到输出的项目中。"
                               "请另选一个输出目录，例如 --out build/handbook。")
    result = load_dataset(data_path(data_dir))
    if result.dataset is None:
        emit(result.report, "text")
        sys.exit(1)
    try:
        files = project_files(config, result.dataset, result.graph, as_of or dt.date.today(),
                              history(data_path(data_dir)), offline=offline)
        written = write_tree(files, Path(out))
    except ProjectConflict as conflict:
        click.echo(f"错误：{conflict.message()}", err=True)
        sys.exit(1)
    except OutputConflict as conflict:
        click.echo(f"错误：{out} 中已有同名的文件，它们不是 qingdan 生成的，不会覆盖："
                   f"{'、'.join(conflict.paths)}。请换一个空目录，或先把这些文件移走。", err=True)
        sys.exit(1)
    if fmt == "json":
        click.echo(json.dumps({"written": written.written, "unchanged": written.unchanged,
                               "removed": written.removed}, ensure_ascii=False, indent=2))
    else:
        click.echo(f"写入 {len(written.written)} 个文件，{len(written.unchanged)} 个未变，"
                   f"删除 {len(written.removed)} 个过时文件：{out}")


def load_or_exit(data_dir: str):
    """The validated data set and its graph, or the validation report and exit status 1."""
    from .pipeline import load_dataset

    result = load_dataset(data_path(data_dir))
    if result.dataset is None:
        emit(result.report, "text")
        click.echo("数据校验未通过，请先修正上面的错误。", err=True)
        sys.exit(1)
    return result


def pick_unit(data, query: str):
    from .graph import resolve_unit, similar_units

    found = resolve_unit(data, query)
    if len(found) == 1:
        return found[0]
    if not found:
        close = similar_units(data, query)
        hint = ("你是不是想写：" + "、".join(f"{u.id}（{u.name}）" for u in close) + "？") if close else \
            "可以用单位的标识符、全称、简称或别名，例如 wansheng.minzheng 或 区民政局。"
        raise click.UsageError(f"找不到单位“{query}”。{hint}")
    choices = "\n".join(f"  {u.id}  {u.name}（{u.jurisdiction}）" for u in found)
    raise click.UsageError(f"“{query}”可能指以下几个单位，请改用标识符：\n{choices}")


def print_json(value) -> None:
    import json

    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


@main.command()
@click.argument("unit", metavar="单位")
@data_option
@format_option
def who(unit: str, data_dir: str, fmt: str) -> None:
    """列出单位牵头和配合的职责、时限和协作单位；上级单位包括下级单位的职责（和单位页一样）。

    单位可以写标识符、全称、简称或别名（如 区民政局、万盛经开区民政局、wansheng.minzheng）；
    同名单位在几个辖区都有时，会列出它们，请改用标识符。
    """
    from . import questions

    result = load_or_exit(data_dir)
    answer = questions.who(result.dataset, result.graph, pick_unit(result.dataset, unit))
    print_json(answer) if fmt == "json" else click.echo(questions.who_text(answer, result.dataset))


@main.command()
@click.argument("unit", metavar="单位")
@data_option
@format_option
def impact(unit: str, data_dir: str, fmt: str) -> None:
    """如果单位（连同它的下级单位）被撤销或合并：哪些职责失去唯一牵头单位、失去配合单位，以及经依赖关系受影响的后续职责。"""
    from . import questions

    result = load_or_exit(data_dir)
    answer = questions.impact(result.dataset, result.graph, pick_unit(result.dataset, unit))
    print_json(answer) if fmt == "json" else click.echo(questions.impact_text(answer, result.dataset))


@main.command()
@data_option
@format_option
def check(data_dir: str, fmt: str) -> None:
    """审核分工：编者指定的牵头单位、跨辖区的牵头、时限倒挂、牵头过多的单位、没有职责的保护线、无人引用的单位。"""
    from . import questions

    result = load_or_exit(data_dir)
    answer = questions.check(result.dataset, result.graph)
    if fmt == "json":
        print_json(answer)
        return
    report = result.report
    if report.findings:
        click.echo(report.to_text())
        click.echo("")
    click.echo(questions.check_text(answer, result.dataset))
    click.echo("")
    click.echo(f"共 {len(report.errors)} 个错误，{len(report.warnings)} 个警告，{len(report.infos)} 条审核提示。")


@main.command(name="graph")
@data_option
@click.option("--format", "fmt", type=click.Choice(["json", "graphml", "dot"]), default="json", show_default=True,
              help="json 为 networkx 的 node-link 格式；graphml 供 Gephi 等工具；dot 供 Graphviz。")
@click.option("--out", "out", metavar="文件", help="写入文件；省略时输出到屏幕。")
def graph_command(data_dir: str, fmt: str, out: str | None) -> None:
    """导出整个关系图：单位、职责、条线、文件、岗位及其关系。"""
    from .graph import export

    result = load_or_exit(data_dir)
    text = export(result.graph, fmt)
    if out:
        write_file(Path(out), text)
        click.echo(f"已写入 {out}")
    else:
        click.echo(text, nl=False)


def fail_on_kinds(value: str | None) -> set[str]:
    """The change kinds --fail-on names: comma-separated, each a kind or a pattern such as deadline-*."""
    import fnmatch

    from .diff import KINDS
    from .nearest import nearest

    wanted: set[str] = set()
    for word in filter(None, (k.strip() for k in (value or "").split(","))):
        hits = fnmatch.filter(KINDS, word)
        if not hits:
            guess = nearest(word, KINDS)
            hint = f"你是不是想写 {guess[0]}？" if guess else f"可用的类型：{', '.join(KINDS)}。"
            raise click.UsageError(f"--fail-on 中有不认识的变更类型：{word}。{hint}（diff --help 列出全部类型）")
        wanted.update(hits)
    return wanted


@main.command(short_help="比较两个版本的清单数据，说明改了什么。")
@click.argument("rev_a", required=False, metavar="[版本A]")
@click.argument("rev_b", required=False, metavar="[版本B]")
@data_option
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True,
              help="text 给终端看；markdown 可直接贴到合并请求的评论里；json 给脚本用。")
@click.option("--fail-on", "fail_on", metavar="类型",
              help="逗号分隔的变更类型，例如 lead-removed,duty-removed ；也可以写 deadline-* 这样的通配。"
                   "出现其中任何一种时以状态 1 退出。")
def diff(rev_a: str | None, rev_b: str | None, data_dir: str, fmt: str, fail_on: str | None) -> None:
    """比较两个版本的清单数据，说明改了什么：职责、牵头和配合单位、时限、文字、单位、文件，以及转介路线、风险等级、报告路线、岗位、术语。

    不带版本：HEAD 与工作区比较；一个版本：它与工作区比较；两个版本：前者与后者比较。也可以写 A..B，或
    main...feature（从分叉点比较）。任何一方数据校验未通过时，报告其错误并以状态 1 退出。
    """
    from . import diff as diffs
    from . import diffformat

    wanted = fail_on_kinds(fail_on)
    data = data_path(data_dir)
    try:
        repo = diffs.repo_root(data)
        data_rel = data.resolve().relative_to(repo.resolve()).as_posix()
        comparison = diffs.compare_revisions(repo, data_rel, rev_a, rev_b)
    except diffs.GitError as exc:
        raise click.UsageError(f"无法读取 git 版本：{exc}") from None
    if fmt == "json":
        click.echo(diffformat.to_json(comparison))
    elif fmt == "markdown":
        click.echo(diffformat.to_markdown(comparison))
    else:
        click.echo(diffformat.to_text(comparison, color=sys.stdout.isatty()))
    hits = Counter(c.kind for c in comparison.changes if c.kind in wanted)
    if hits:  # on stderr, so --format json / markdown output stays clean
        click.echo("出现了 --fail-on 指定的变更：" + "、".join(f"{diffs.KINDS[k]}（{k}）{n} 项"
                                                   for k, n in sorted(hits.items())) + "。", err=True)
    sys.exit(1 if not comparison.ok or hits else 0)


# One kind a line, kept as written (\b): a name is copied from here into --fail-on. The docstring is dedented first,
# or its indentation would survive next to these unindented lines as gaps inside its sentences.
diff.help = inspect.cleandoc(diff.help) + "\n\n--fail-on 可用的变更类型（也可以写 deadline-* 这样的通配）：\n\n\b\n" + "\n".join(
    f"  {k:<24}{v}" for k, v in CHANGE_KINDS.items())


@main.command(name="export")
@data_option
@click.option("--format", "fmt", type=click.Choice(["xlsx"]), default="xlsx", show_default=True,
              help="文件格式：xlsx，Excel 和 WPS 都能打开和保存。")
@click.option("--jurisdiction", metavar="名称",
              help="只导出一个辖区的文件、单位和职责，例如 贵州省桐梓县（写“桐梓”也可以）；省略时导出全部数据。")
@click.option("--out", "out", required=True, metavar="文件.xlsx", help="写出的工作簿。")
@click.option("--force", is_flag=True, help="--out 指定的文件已存在时覆盖它。")
def export_command(data_dir: str, fmt: str, jurisdiction: str | None, out: str, force: bool) -> None:
    """把清单数据导出为工作簿，在 Excel 或 WPS 中修改后用 qingdan import 导回。

    每类记录一个工作表（职责、时限、单位、文件……），中文表头，单位、条线、牵头依据等有下拉列表；每行带着隐藏的标识，
    导回时只改动改过的记录，其他内容（包括注释和排版）一字不变。导回：

        qingdan import 清单.xlsx --data 目录 [--dry-run]

    退出状态：0 已导出；1 数据校验未通过；2 用法错误。
    """
    from .workbookcli import export_command as run

    run(data_path(data_dir), jurisdiction, Path(out), force)


def emit(report: Report, fmt: str, infos: bool = False) -> None:
    """Findings for people (review notes only when asked) or for scripts (everything)."""
    if fmt == "json":
        click.echo(report.to_json())
        return
    shown = report if infos else report.without_infos()
    if shown.findings:
        click.echo(shown.to_text())
    click.echo(report.summary())


def _register_import() -> None:
    from .textimport import import_command  # its own package: the importer is large and optional to read

    main.add_command(import_command)


_register_import()

if __name__ == "__main__":  # pragma: no cover
    main()
