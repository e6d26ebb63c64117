"""Where each generated page or file lives, relative to docs/. One place, so links and pages always agree."""
from __future__ import annotations


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


GLOSSARY = "glossary.md"
ONBOARDING = "onboarding"
