"""What readers see is Chinese: no internal ids, field names or English anywhere on a built page.

Every page of the bundled handbook is read the way a browser shows it: the text, the pictures' words and the
tooltips (title, alt, aria-label, placeholder attributes; SVG <title> elements are tooltips too). Only the
clerk's guide (guide/), which teaches the data's field names, is left out.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

# File formats readers know by these names; the template's blanks (xx县, 每年x月) quoted as the source has them.
ALLOWED = {"Excel", "Word", "CSV", "ICS"}
BLANK = re.compile(r"x+")
COMMIT = re.compile(r"[0-9a-f]{7,40}")  # the change log names commits without a Chinese message by their number
COMMANDS = ("qingdan check", "qingdan diff")  # the review pages tell reviewers which command shows the same
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*[A-Za-z0-9]|[A-Za-z]")  # kept when it has a letter


class Visible(HTMLParser):
    """The text of a page as shown, with the text of <code> elements apart. Text a change log strikes out (<del>)
    is what the data said before, quoted: not ours to translate."""

    HIDDEN = {"script", "style", "noscript", "template", "del"}
    TOOLTIPS = ("title", "alt", "aria-label", "placeholder")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.code = 0
        self.text: list[str] = []
        self.code_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        if tag == "code":
            self.code += 1
            self.code_text.append("")
        for name, value in attrs:
            if value and (name in self.TOOLTIPS or name == "xlink:title"):
                self.text.append(value)

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden -= 1
        if tag == "code":
            self.code -= 1

    def handle_data(self, data):
        if self.hidden:
            return
        if self.code:
            self.code_text[-1] += data
        else:
            self.text.append(data)


def foreign_words(html: str) -> list[str]:
    page = Visible()
    page.feed(html)
    found = [w for chunk in page.text for w in WORD.findall(chunk) if re.search("[A-Za-z]", w)
             and w not in ALLOWED and not BLANK.fullmatch(w) and not COMMIT.fullmatch(w)]
    found += [code for code in page.code_text if WORD.search(code) and code not in COMMANDS]
    return found


def test_the_scan_sees_what_a_reader_sees():
    """The scan must catch an id in text, a field name in a tooltip and an id in a picture's title."""
    assert foreign_words("<p>见 wansheng-2021-3.01</p>") == ["wansheng-2021-3.01"]
    assert foreign_words('<a title="lead_note">说明</a>') == ["lead_note"]
    assert foreign_words("<svg><g><title>cluster_family</title><text>家庭保护</text></g></svg>") == ["cluster_family"]
    assert foreign_words("<p>下载 Excel、Word</p><script>var x = 1</script><code>qingdan check</code>") == []
    assert foreign_words("<h1>404 - Not found</h1>") == ["Not", "found"]
    assert foreign_words("<p>提交 970240bc3e：2021-11-25 前 12345 热线，原为<del>app</del></p>") == []


def test_no_page_shows_ids_field_names_or_english(http_site: Path):  # each engine's pages
    offenders = {}
    for path in sorted(http_site.rglob("*.html")):
        page = path.relative_to(http_site).as_posix()
        if page.startswith("guide/"):
            continue
        words = foreign_words(path.read_text(encoding="utf-8"))
        if words:
            offenders[page] = sorted(set(words))[:8]
    assert offenders == {}


def test_the_not_found_page_is_chinese(http_site: Path):
    html = (http_site / "404.html").read_text(encoding="utf-8")  # each engine's (the project's theme override)
    assert "<h1>找不到这一页</h1>" in html
    assert "Not found" not in html
