"""Small Markdown writing helpers. Everything taken from the data passes through `text()`."""
from __future__ import annotations

import html
import json
import re

# Appended to a heading: Material leaves that section out of the search index (tables that repeat duty titles).
EXCLUDE = "{ data-search-exclude }"

# Python-Markdown's backslash escapes, plus the table pipe (written as an entity).
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!])")


_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_CJK_GAP = re.compile(f"(?<=[{_CJK}])\\s+(?=[{_CJK}])")


def text(value: object) -> str:
    """Data text shown literally: no HTML, no Markdown syntax, no line breaks that would end a block.

    A line break inside Chinese text (YAML folds it into a space) disappears: Chinese puts no space between words.
    """
    escaped = html.escape(_CJK_GAP.sub("", str(value)), quote=False)
    escaped = _SPECIAL.sub(r"\\\1", escaped).replace("|", "&#124;")
    return " ".join(escaped.split())


def screen_only(words: str) -> str:
    """Words that only make sense on a screen ("click …"): left out when the page is printed."""
    return f'<span class="qd-screen-only">{words}</span>'


def title(value: object) -> str:
    """A title handed to the site engine (front matter, navigation): one line, HTML-escaped. MkDocs' and Material's
    templates print page and navigation titles as they are, into the page head, the sidebar and the footer."""
    return html.escape(" ".join(str(value).split()), quote=True)


def attr(value: object) -> str:
    """A value inside a double-quoted attribute (attr_list or raw HTML)."""
    return html.escape(" ".join(str(value).split()), quote=True)


def rel(target: str, page: str) -> str:
    """Relative link from page path `page` to page or file path `target` (both relative to docs/, normalised).

    posixpath.relpath's answer, without its two abspath calls: a province handbook makes millions of links.
    """
    base = page.split("/")[:-1]
    parts = target.split("/")
    common = 0
    for a, b in zip(base, parts):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(base) - common) + parts[common:]) or "."


def link(label: object, target: str, page: str) -> str:
    return f"[{text(label)}]({rel(target, page)})"


def table(header: list[str], rows: list[list[str]], empty: str = "—") -> str:
    """A Markdown table; cells must already be escaped or built from escaped parts."""
    if not rows:
        return ""
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    out += ["| " + " | ".join(cell or empty for cell in row) + " |" for row in rows]
    return "\n".join(out)


def front_matter(**fields: object) -> str:
    """YAML front matter with JSON-quoted scalars (valid YAML, safe for any title)."""
    lines = ["---"]
    for key, value in fields.items():
        if value is None:
            continue
        if key == "title":
            value = title(value)
        elif key == "tags":  # shown as HTML in Material's search results
            value = [title(v) for v in value]
        if isinstance(value, dict):
            lines.append(f"{key}:")
            lines += [f"  {k}: {json.dumps(v, ensure_ascii=False)}" for k, v in value.items()]
        else:
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    lines.append("---")
    return "\n".join(lines) + "\n\n"
