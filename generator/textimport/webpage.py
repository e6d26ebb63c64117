"""A web page (HTML, as saved from a browser) as lines of text and tables, with the page's code left out.

Tags are stripped; block elements and <br> end a line; scripts, styles, the <head> (its <title> is the site's, not
the document's) and comments are dropped. A <table> whose cells hold no other table is kept as a grid (rowspan and
colspan repeated into every cell they cover), so a responsibility table reads as one; a table used for page layout
(one holding another table) is read as the lines in its cells.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "ul", "ol", "dd", "dt",
         "dl", "center", "hr", "header", "footer", "blockquote", "pre", "caption", "nav", "aside", "main", "form",
         "address", "figure", "figcaption"}
SKIP = {"script", "style", "head", "noscript", "template", "svg", "iframe", "select", "button", "textarea", "object"}


@dataclass
class Grid:
    """A table read from the page: rows of cells, each cell the text in it."""

    rows: list[list[str]] = field(default_factory=list)


@dataclass
class _Cell:
    parts: list = field(default_factory=list)  # lines (str) and nested Grids, in order
    rowspan: int = 1
    colspan: int = 1

    def text(self) -> str:
        return "\n".join(p for p in self.parts if isinstance(p, str))


@dataclass
class _Table:
    rows: list[list[_Cell]] = field(default_factory=list)
    layout: bool = False  # it holds another table


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list = []  # lines and Grids of the page outside tables
        self.tables: list[_Table] = []
        self.cell: list[tuple[int, _Cell]] = []  # open cells, with the depth of the table they are in
        self.line = ""
        self.skip = 0

    def _target(self) -> list:
        return self.cell[-1][1].parts if self.cell else self.out

    def _close_cells(self) -> None:
        """Close the cells of the innermost table (</td> may be left out: a new <td>, <tr> or </table> ends it)."""
        while self.cell and self.cell[-1][0] == len(self.tables):
            self.cell.pop()

    def _end_line(self) -> None:
        text = re.sub(r"\s+", " ", self.line).strip()
        if text:
            self._target().append(text)
        self.line = ""

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in SKIP:
            self.skip += 1
            return
        if self.skip:
            return
        if tag in BLOCK:
            self._end_line()
        elif tag == "table":
            self._end_line()
            if self.tables:
                self.tables[-1].layout = True
            self.tables.append(_Table())
        elif tag == "tr" and self.tables:
            self._end_line()
            self._close_cells()
            self.tables[-1].rows.append([])
        elif tag in ("td", "th") and self.tables:
            self._end_line()
            self._close_cells()
            spans = dict(attrs)
            cell = _Cell(rowspan=_span(spans.get("rowspan")), colspan=_span(spans.get("colspan")))
            if not self.tables[-1].rows:
                self.tables[-1].rows.append([])
            self.tables[-1].rows[-1].append(cell)
            self.cell.append((len(self.tables), cell))

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        if tag in BLOCK and not self.skip:
            self._end_line()

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag in BLOCK:
            self._end_line()
        elif tag in ("td", "th") and self.tables:
            self._end_line()
            self._close_cells()
        elif tag == "table" and self.tables:
            self._end_line()
            self._close_cells()
            table = self.tables.pop()
            if table.layout:  # page layout: its cells are the page's text, in order
                for row in table.rows:
                    for cell in row:
                        self._target().extend(cell.parts)
            else:
                self._target().append(Grid(_grid(table)))

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.line += re.sub(r"\s*\n\s*", "", data)  # a line break in the page's source is not one on screen


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 50))
    except ValueError:
        return 1


def _grid(table: _Table) -> list[list[str]]:
    """The table as a full grid: a cell spanning rows or columns is repeated in each."""
    grid: dict[tuple[int, int], str] = {}
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            while (r, c) in grid:
                c += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    grid.setdefault((r + dr, c + dc), cell.text())
            c += cell.colspan
    if not grid:
        return []
    height = max(r for r, _ in grid) + 1
    width = max(c for _, c in grid) + 1
    return [[grid.get((r, c), "") for c in range(width)] for r in range(height)]


def page_blocks(text: str) -> list:
    """The page as a list of lines (str) and tables (Grid), in reading order."""
    page = _Page()
    page.feed(text)
    page.close()
    page._end_line()
    while page.tables:  # a table never closed: keep what it had
        table = page.tables.pop()
        page.out.append(Grid(_grid(table)))
    return page.out
