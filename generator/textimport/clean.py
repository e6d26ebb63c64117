"""Cleaning what web copies of policy texts carry, before anything tries to read them.

Traditional characters become Simplified (OpenCC), pinyin that some sites insert after characters is dropped
(`質(zhì)量` → 质量), site furniture (navigation, 扫一扫, 语音播报, 打印本页) goes, punctuation is made consistent, and the
page's own metadata block (发文字号, 成文日期 …) is kept aside for the document record.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .outline import is_marked
from .read import Para

_converter = None


def to_simplified(text: str) -> str:
    global _converter
    if _converter is None:
        import opencc

        _converter = opencc.OpenCC("t2s")
    return _converter.convert(text)


TONE = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
# A pinyin syllable in brackets right after a character. A tone mark is required, so "(app)" or "(A)" stay.
PINYIN = re.compile(rf"(?<=[\u3400-\u9fff])[(（]\s*([a-z{TONE}]{{1,7}})\s*[)）]")

# GBK text read with the wrong codec: 縣 (BF 68) after a character ending in byte A3 (。 A1A3, 保 B1A3) comes out as
# "??h". Seen in seed 004; after 确 it was 确保县…, elsewhere a sentence end.
GARBLED_XIAN = re.compile(r"(确)?\?\?h")
SUSPECT = re.compile(r"[\u3400-\u9fff]\?|\?[\u3400-\u9fff!]")

FURNITURE = re.compile(
    r"^(?:扫一扫.*|语音播报|语音合成中.*|进入播报模式|退出播报模式|打印本页|【?打印】?|【?关闭】?|关闭窗口|关闭本页|返回顶部|收起|展开|"
    r"返回主站|返回首页|网站首页|首页|分享到.*|【?字体[：:]?\s*[【\[]?大[】\]]?\s*[【\[]?中[】\]]?\s*[【\[]?小[】\]]?】?|"
    r"上一篇.*|下一篇.*|网站地图|智能问答|部门街镇|政务新媒体|相关链接.*|主办单位.*|承办单位.*|版权所有.*|.*ICP备.*|.*公网安备.*|"
    r"联系我们|网站声明|无障碍|长者模式|您当前的位置.*|当前位置.*|首页\s*[>＞].*|日期[：:]\s*\d{4}-\d{1,2}-\d{1,2}|"
    r"浏览次数.*|访问量.*|阅读次数.*|点击[数量率].*|责任编辑.*|信息来源.*|来源[：:].{0,30}|发布时间[：:].*|（此件公开发布）|"
    r"[•·▪■◆●]\s*\S.{0,24}|.{0,40}登录\s*[|｜]\s*注册.{0,20}|.{0,30}(?:\s[|｜]\s.{1,20}){1,}|"
    r"【(?:大|中|小|默认)】.*|【广告】.*|广告|广告[：:].{0,30}|.{0,20}(?:二维码|关注我们|微信公众号|官方微博).{0,10}|"
    # a site's menu, one item a line (as a saved page has it)
    r"政务公开|政府信息公开|信息公开|办事服务|政务服务|互动交流|公众参与|网上办事|新闻中心|新闻动态|通知公告|政策文件|"
    r"政策解读|机构职能|领导之窗|专题专栏|走进.{2,6}|数据发布|便民服务|在线访谈|意见征集|网站导航|我要留言|站内搜索|搜索|"
    # page numbers of a printed copy: — 3 —, -3-, 第3页 共8页, 3/8
    r"[—－\-–]\s*\d{1,3}\s*[—－\-–]|第\s*\d{1,3}\s*页(?:\s*[，,/]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3}|"
    # comment lines of a page's code, saved with its text
    r"<!--.*|.*-->|//.*|/\*.*\*/|"
    # printing and sharing buttons, in brackets or not, several on a line
    r"(?:[【\[]?(?:打印本页|打印|关闭窗口|关闭|返回顶部|收藏|分享|字体|大|中|小|默认)[】\]]?\s*[：:]?\s*){1,8})$")
# Markers that close a web page: everything after them (once the body has begun) is page footer.
PAGE_END = re.compile(r"^(?:扫一扫|返回顶部|打印本页|【?打印】?$|关闭窗口|相关链接|上一篇|下一篇|版权所有|分享到)")
META = re.compile(r"\[\s*(索引号|发文字号|文号|主题分类|体裁分类|发布机构|发文机关|成文日期|发布日期)\s*\]\s*([^\[]*)")
META_COLON = re.compile(r"^(发文字号|文号|发布机构|发文机关|成文日期|发布日期|索引号)[：:]\s*(.+)$")


@dataclass(frozen=True)
class Cleaned:
    paragraphs: tuple[Para, ...]
    meta: dict = field(default_factory=dict)  # 发文字号, 成文日期, 发布机构 … as the page states them
    converted: int = 0  # characters changed from Traditional to Simplified
    pinyin: int = 0  # pinyin insertions removed
    furniture: int = 0  # lines of site furniture dropped
    repaired: int = 0  # garbled "??h" sequences restored
    suspect: tuple[str, ...] = ()  # paragraphs that still look garbled, for a person to check


def clean(paragraphs: list[Para]) -> Cleaned:
    meta: dict[str, str] = {}
    out: list[Para] = []
    converted = pinyin = furniture = repaired = 0
    suspect: list[str] = []
    body_started = False
    for index, para in enumerate(paragraphs):
        text, n = PINYIN.subn("", para.text)
        pinyin += n
        simplified = to_simplified(text)
        converted += sum(1 for a, b in zip(text, simplified) if a != b)
        text, n = _repair(simplified)
        repaired += n
        text = punctuation(text)
        lead = punctuation(to_simplified(PINYIN.sub("", para.bold_lead))) if para.bold_lead else ""
        found = META.findall(text) or ([META_COLON.match(text).groups()] if META_COLON.match(text) else [])
        if found:
            for key, value in found:
                meta.setdefault(key, value.strip())
            furniture += 1
            continue
        if body_started and PAGE_END.match(text):
            furniture += len(paragraphs) - index
            break
        if FURNITURE.match(text):
            furniture += 1
            continue
        if not text:
            continue
        if is_marked(text) or lead:
            body_started = True
        if SUSPECT.search(text):
            suspect.append(text)
        out.append(Para(text, lead))
    return Cleaned(tuple(out), meta, converted, pinyin, furniture, repaired, tuple(suspect))


def _repair(text: str) -> tuple[str, int]:
    return GARBLED_XIAN.subn(lambda m: "确保县" if m.group(1) else "。县", text)


FULL_WIDTH = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)} | {c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)} \
    | {c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)} | {0x3000: 0x20, 0x00A0: 0x20, 0x200B: None, 0xFEFF: None}
CJK = r"\u3400-\u9fff"
SPACED_OUT = re.compile(rf"^(?:[{CJK}]\s+)+[{CJK}]$")


def punctuation(text: str) -> str:
    """One form for everything the two widths mix up: ASCII letters and digits half-width, Chinese punctuation
    full-width (but "1,000" and "8:30" stay), brackets full-width, runs of spaces single."""
    text = text.translate(FULL_WIDTH)
    text = re.sub(r"(?<!\d),|,(?!\d)", "，", text)
    text = re.sub(rf"(?<=[{CJK}）”])\s*:|:\s*(?=[{CJK}（“])", "：", text)
    text = text.replace(";", "；").replace("(", "（").replace(")", "）")
    text = re.sub(rf"(?<=[{CJK}])!|!(?=[{CJK}])", "！", text)
    text = re.sub(r"[ \t]+", " ", text).strip()
    if SPACED_OUT.match(text):  # "通  知" letter-spaced headings
        text = re.sub(r"\s+", "", text)
    return text
