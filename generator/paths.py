"""Where each generated page or file lives, relative to docs/. One place, so links and pages always agree."""
from __future__ import annotations

import re


def duty_path(duty_id: str) -> str:
    return f"duties/{duty_id}.md"


def unit_path(unit_id: str) -> str:
    return f"units/{unit_id}.md"


def line_path(line_id: str) -> str:
    return f"lines/{line_id}.md"


def role_path(role_id: str) -> str:
    return f"roles/{role_id}.md"


def brief_path(role_id: str) -> str:
    return f"roles/{role_id}-brief.md"


def document_path(doc_id: str) -> str:
    return f"documents/{doc_id}.md"


def kind_path(kind: str) -> str:
    return f"units/kind-{kind}.md"


def download_path(unit_id: str, ext: str) -> str:
    return f"downloads/{unit_id}.{ext}"


# A download's file name keeps a unit name's letters, digits and common punctuation only: no path or reserved
# characters (/ \\ : * ? " < > |), no control or bidi characters (清单\u202excod.exe reads backwards), and nothing
# Markdown would read as markup, since the name is written into the page's Markdown as the link's download name.
_NOT_IN_FILE_NAMES = re.compile(r"[^\w （）()【】《》〔〕、，·.-]|_")


def download_name(unit_name: str, ext: str) -> str:
    """The file name a unit's download is saved as: its name, cleaned as above, never hidden (no leading dot)."""
    name = " ".join(_NOT_IN_FILE_NAMES.sub(" ", unit_name).split()).lstrip(". ")[:80].rstrip(". ")
    return f"{name or '单位'}责任清单.{ext}"


GLOSSARY = "glossary.md"
ONBOARDING = "onboarding"
