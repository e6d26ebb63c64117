"""Drafting data from a policy text (`qingdan import`): read → clean → outline → leads, deadlines, units → draft.

Each stage is a module with plain functions: `read` (txt, md, docx), `clean` (Traditional → Simplified, pinyin,
site furniture, punctuation), `outline` (一、 (一) 1. (1) ① and bold lead phrases), `leads`, `deadlines`, `units`,
`lines`, `draft` (the data file and its check), `report`, `recall` (scoring against expected answers) and `command`.
"""
from .command import import_command
from .draft import Draft, check, draft_file, to_yaml
from .read import ImportFailed

__all__ = ["Draft", "ImportFailed", "check", "draft_file", "import_command", "to_yaml"]
