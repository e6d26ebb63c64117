"""Click's own words — usage lines, help headings, usage errors — in Chinese, like the rest of the CLI.

Click passes these texts through gettext but ships no Chinese catalogue, and a catalogue would only be used under
a Chinese locale (servers usually run C.UTF-8). So the texts a user can meet are given here and installed into
Click's modules before the commands are defined; a text not listed stays as Click wrote it.
"""
from __future__ import annotations

import inspect
import textwrap

import click

TEXTS = {
    "Usage:": "用法:",  # Click adds a space, and its headings end in ":"
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "位置参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看帮助。",
    "Error: {message}": "错误：{message}",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "Did you mean {possibility}?": "你是不是想用 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（你是不是想用其中之一：{possibilities}？）",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing command.": "缺少命令。",
    "Missing {param_type}": "缺少 {param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Option {name!r} requires an argument.": "选项 {name!r} 后面要跟一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 后面要跟 {nargs} 个值。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不带值。",
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 要 {nargs} 个值。",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不在可选值 {choices} 之中。",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "{value!r} does not match the format {format}.": "{value!r} 不符合格式 {format}。",
    "{value!r} does not match the formats {formats}.": "{value!r} 不符合以下任一格式：{formats}。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "file": "文件",
    "directory": "目录",
    "path": "路径",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件，这里要一个目录。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是目录，这里要一个文件。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "Aborted!": "已中止。",
    "%(prog)s, version %(version)s": "%(prog)s 版本 %(version)s",
}


def _(message: str) -> str:
    return TEXTS.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _(singular if n == 1 else plural)


class _Wrapper(textwrap.TextWrapper):
    """Click's wrapper, but never breaking a line at a hyphen: names such as support-added and deadline-* must stay
    whole to be copied into an option (Chinese text wraps between characters anyway)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs["break_on_hyphens"] = False
        super().__init__(*args, **kwargs)


def install() -> None:
    """Put the Chinese texts into Click's modules (each imported gettext's functions under its own names)."""
    import click._textwrap

    if not issubclass(click._textwrap.TextWrapper, _Wrapper):
        _Wrapper.__bases__ = (click._textwrap.TextWrapper,)
        click._textwrap.TextWrapper = _Wrapper  # type: ignore[misc]  # wrap_text imports it at each call
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.termui
    import click.types
    import click.utils

    for module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.termui,
                   click.types, click.utils):
        if hasattr(module, "_"):
            module._ = _  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext  # type: ignore[attr-defined]


class Command(click.Command):
    """A command whose usage line reads 用法: qingdan who [选项] 单位."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)


def first_sentence(help_text: str | None) -> str:
    """A command's summary for the list of commands: its help up to the first 。, whole. (Click looks for ". " to
    end a sentence, finds none in Chinese and cuts the text at a width, mid-word: "或把 qingdan...".)"""
    paragraph = inspect.cleandoc(help_text or "").split("\n\n")[0].replace("\n", "")
    head, stop, _ = paragraph.partition("。")
    return head + stop


class Group(click.Group):
    """The `qingdan` group: its own usage line and its commands' in Chinese."""

    command_class = Command

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.short_help or first_sentence(command.help)))
        if rows:
            with formatter.section(_("Commands")):
                formatter.write_dl(rows)
