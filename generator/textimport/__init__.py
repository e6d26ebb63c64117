"""Drafting data from a policy text (`qingdan import`): read → clean → outline → leads, deadlines, units → draft.

Each stage is a module with plain functions: `read` (txt, md, html via `webpage`, docx, xlsx; tables via `tables`),
`clean` (Traditional → Simplified, pinyin, site furniture, page numbers, punctuation), `outline` (一、 (一) 1. (1) ①,
bold lead phrases, lines naming a unit, 一是……二是…), `fields` (the words lists label their parts with), `leads`,
`deadlines`, `units` (names, places, new units), `lines`, `draft` (the data file and its check), `report`,
`recall` (scoring against answer keys) and `command`.
"""
from .command import import_command
from .draft import Draft, check, draft_file, to_yaml
from .read import ImportFailed

__all__ = ["Draft", "ImportFailed", "check", "draft_file", "import_command", "to_yaml"]
