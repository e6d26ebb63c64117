"""A Python-Markdown extension for task lists (pymdownx.tasklist): each checkbox is named by its item's text.

pymdownx.tasklist writes `<label><input type="checkbox"><span></span></label> text`: the label holds no text, so a
screen reader announced an unnamed checkbox (axe: "Form elements must have labels"). The item's own words, without
its sub-list, become the box's aria-label. Any engine rendering with Python-Markdown can list this extension
(`generator.checklist`); the MkDocs plugin adds it itself.
"""
from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

_STASHED = re.compile("\x02wzxhzdk:(\\d+)\x03")
_TAG = re.compile(r"<[^>]*>")


class _NameTheBoxes(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for item in root.iter("li"):
            if "task-list-item" not in (item.get("class") or "").split():
                continue
            # tight list: the box is the item's text; loose list: the text of its first paragraph
            holder = item if (item.text or "").strip() else (item[0] if len(item) and item[0].tag == "p" else None)
            start = _STASHED.match(holder.text or "") if holder is not None else None
            if start is None:
                continue
            n = int(start.group(1))
            box = str(self.md.htmlStash.rawHtmlBlocks[n])
            words = self.words(holder, holder.text[start.end():])
            if words and box.count('<input type="checkbox"') == 1:
                self.md.htmlStash.rawHtmlBlocks[n] = box.replace(
                    '<input type="checkbox"', f'<input type="checkbox" aria-label="{html.escape(words, quote=True)}"')

    def words(self, holder: etree.Element, first: str) -> str:
        """The plain text of an item up to its sub-list."""
        parts = [first]
        for child in holder:
            if child.tag in ("ul", "ol"):
                break
            parts += [*child.itertext(), child.tail or ""]
        raw = _STASHED.sub(lambda m: self.stashed(int(m.group(1))), "".join(parts))
        return " ".join(html.unescape(_TAG.sub("", raw)).split())

    def stashed(self, n: int) -> str:
        blocks = self.md.htmlStash.rawHtmlBlocks
        return str(blocks[n]) if n < len(blocks) else ""


class ChecklistExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # after inline patterns and unescaping (priorities 20 and 0): the item's text is final then
        md.treeprocessors.register(_NameTheBoxes(md), "qingdan_checklist_names", -5)


def makeExtension(**kwargs) -> ChecklistExtension:  # noqa: N802 - Python-Markdown's entry point
    return ChecklistExtension(**kwargs)
