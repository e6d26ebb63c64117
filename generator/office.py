"""Office Open XML written directly: the one-sheet workbook and the one-table Word form of a unit's checklist.

A province has thousands of units; building each file through openpyxl / python-docx object trees cost ~30 ms a
unit, more than the rest of the generator together. These writers emit only the parts the two layouts need, as
strings, into a zip whose entry times are pinned to the as-of date so that the same data gives the same bytes.
Tests read every file back with openpyxl and python-docx.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape

_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_WORD_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CT = "application/vnd.openxmlformats-officedocument."
# Characters XML 1.0 cannot carry at all; YAML allows some of them, an Office file would be unreadable with them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
TWIPS_PER_CM = 567
_WIDE = re.compile("[\u2e80-\U0010ffff]")  # CJK and full-width forms: two units of column width


def x(value: object) -> str:
    """Text for an XML element or attribute."""
    return escape(_NOT_XML.sub("", str(value)), {'"': "&quot;"})


def _types(overrides: dict[str, str]) -> str:
    return (_DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            + "".join(f'<Override PartName="/{part}" ContentType="{kind}"/>' for part, kind in overrides.items())
            + '<Override PartName="/docProps/core.xml" '
              'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
              f'<Override PartName="/docProps/app.xml" ContentType="{_CT}extended-properties+xml"/></Types>')


def _rels(targets: list[tuple[str, str]]) -> str:
    return (_DECL + f'<Relationships xmlns="{_PKG_REL}">'
            + "".join(f'<Relationship Id="rId{i}" Type="{kind}" Target="{target}"/>'
                      for i, (kind, target) in enumerate(targets, 1))
            + "</Relationships>")


def _package(main: str, parts: dict[str, str], types: dict[str, str], title: str, stamp: dt.datetime) -> bytes:
    """A zip package: content types, package relationships, core and app properties, then `parts` (name → XML),
    whose content types are `types` (relationship parts are covered by the .rels default)."""
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    core = (_DECL + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
            'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{x(title)}</dc:title><dc:creator>qingdan</dc:creator><cp:revision>1</cp:revision>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{iso}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{iso}</dcterms:modified></cp:coreProperties>')
    app = (_DECL + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
           "<Application>qingdan</Application></Properties>")
    files = {
        "[Content_Types].xml": _types(types),
        "_rels/.rels": _rels([(f"{_REL}/officeDocument", main),
                              (f"{_PKG_REL}/metadata/core-properties", "docProps/core.xml"),
                              (f"{_REL}/extended-properties", "docProps/app.xml")]),
        "docProps/core.xml": core,
        "docProps/app.xml": app,
    }
    files.update(parts)
    out = io.BytesIO()
    when = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            entry = zipfile.ZipInfo(name, date_time=when)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, text.encode("utf-8"))
    return out.getvalue()


# -- workbook

_XLSX_STYLES = (
    _DECL + f'<styleSheet xmlns="{_SHEET_NS}">'
    '<fonts count="3"><font><sz val="11"/><name val="等线"/><family val="2"/></font>'
    '<font><b/><sz val="14"/><name val="等线"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="等线"/><family val="2"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/><bgColor indexed="64"/></patternFill></fill>'
    '</fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')
_TITLE, _HEADER, _BODY = 1, 2, 3  # indexes into cellXfs above


def _column(i: int) -> str:
    name = ""
    i += 1
    while i:
        i, rest = divmod(i - 1, 26)
        name = chr(65 + rest) + name
    return name


def _cell(ref: str, value: str | int, style: int) -> str:
    if isinstance(value, int):
        return f'<c r="{ref}" s="{style}"><v>{value}</v></c>'
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{x(value)}</t></is></c>'


def _lines(value: str | int, width: float) -> int:
    """How many lines a wrapped cell takes: a Chinese character is two units of column width, others one."""
    room = max(width * 0.9 - 1, 1)  # a little short: fonts differ, and a cut-off line is worse than a gap
    return sum(max(1, -(-(len(line) + len(_WIDE.findall(line))) // room)) for line in str(value).split("\n"))


def _height(row: list[str | int], widths: list[float]) -> float:
    """Row height in points that shows every wrapped line. Spreadsheet programs do not all fit rows to wrapped
    text when they open a file, and a one-line row hides all but the start of a duty."""
    return 15 * max((_lines(value, width) for value, width in zip(row, widths)), default=1)


def workbook(sheet: str, title: str, header: list[str], rows: list[list[str | int]], widths: list[float],
             stamp: dt.datetime) -> bytes:
    """One sheet: a bold title row, a shaded header row that stays in view and repeats on printed pages, then the
    rows wrapped and top-aligned; landscape A4, as wide as one page."""
    last = _column(len(header) - 1)
    table_range = f"A2:{last}{len(rows) + 2}"  # the header row and the rows: filtered and sorted together
    lines = [f'<row r="1">{_cell("A1", title, _TITLE)}</row>',
             '<row r="2">' + "".join(_cell(f"{_column(i)}2", v, _HEADER) for i, v in enumerate(header)) + "</row>"]
    for n, row in enumerate(rows, 3):
        lines.append(f'<row r="{n}" ht="{_height(row, widths)}" customHeight="1">' + "".join(_cell(f"{_column(i)}{n}", v, _BODY) for i, v in enumerate(row)
                                                if v != "") + "</row>")  # an empty cell is no cell, not empty text
    cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths, 1))
    worksheet = (
        _DECL + f'<worksheet xmlns="{_SHEET_NS}" xmlns:r="{_REL}">'
        '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
        f'<dimension ref="A1:{last}{len(rows) + 2}"/>'
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="2" topLeftCell="A3" activePane="bottomLeft" '
        'state="frozen"/><selection pane="bottomLeft" activeCell="A3" sqref="A3"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>{"".join(lines)}</sheetData>'
        f'<autoFilter ref="{table_range}"/><pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/></worksheet>')
    book = (_DECL + f'<workbook xmlns="{_SHEET_NS}" xmlns:r="{_REL}">'
            f'<sheets><sheet name="{x(sheet)}" sheetId="1" r:id="rId1"/></sheets>'
            "<definedNames><definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"0\" hidden=\"1\">"
            f"'{x(sheet)}'!$A$2:${last}${len(rows) + 2}</definedName>"
            f"<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">'{x(sheet)}'!$2:$2"
            "</definedName></definedNames></workbook>")
    parts = {"xl/workbook.xml": book,
             "xl/_rels/workbook.xml.rels": _rels([(f"{_REL}/worksheet", "worksheets/sheet1.xml"),
                                                  (f"{_REL}/styles", "styles.xml")]),
             "xl/styles.xml": _XLSX_STYLES, "xl/worksheets/sheet1.xml": worksheet}
    types = {"xl/workbook.xml": f"{_CT}spreadsheetml.sheet.main+xml", "xl/styles.xml": f"{_CT}spreadsheetml.styles+xml",
             "xl/worksheets/sheet1.xml": f"{_CT}spreadsheetml.worksheet+xml"}
    return _package("xl/workbook.xml", parts, types, title, stamp)


# -- Word form

@dataclass(frozen=True)
class Para:
    """A paragraph: its text (line breaks kept), bold or not, size in points, centred or not."""
    text: str
    bold: bool = False
    size: float | None = None
    center: bool = False


_FONT = '<w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体" w:cs="宋体"/>'
_DOCX_STYLES = (
    _DECL + f'<w:styles xmlns:w="{_WORD_NS}">'
    f'<w:docDefaults><w:rPrDefault><w:rPr>{_FONT}<w:sz w:val="21"/><w:szCs w:val="21"/>'
    '<w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault><w:pPrDefault/></w:docDefaults>'
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>'
    f'<w:rPr>{_FONT}<w:sz w:val="21"/><w:szCs w:val="21"/></w:rPr></w:style>'
    '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr>'
    '<w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
    '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
    '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/>'
    '<w:tblPr><w:tblBorders>'
    + "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
              for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    + '</w:tblBorders></w:tblPr></w:style></w:styles>')


def _para(p: Para) -> str:
    props = '<w:pPr><w:jc w:val="center"/></w:pPr>' if p.center else ""
    run_props = ("<w:b/>" if p.bold else "") + (f'<w:sz w:val="{round(p.size * 2)}"/>' if p.size else "")
    run_props = f"<w:rPr>{run_props}</w:rPr>" if run_props else ""
    pieces = "<w:br/>".join(f'<w:t xml:space="preserve">{x(line)}</w:t>' for line in p.text.split("\n"))
    return f"<w:p>{props}<w:r>{run_props}{pieces}</w:r></w:p>" if p.text else f"<w:p>{props}</w:p>"


def _field(code: str) -> str:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in when the page is laid out."""
    return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> {code} </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


_FOOTER = (_DECL + f'<w:ftr xmlns:w="{_WORD_NS}"><w:p><w:pPr><w:jc w:val="center"/></w:pPr>'
           '<w:r><w:t xml:space="preserve">第 </w:t></w:r>' + _field("PAGE")
           + '<w:r><w:t xml:space="preserve"> 页，共 </w:t></w:r>' + _field("NUMPAGES")
           + '<w:r><w:t xml:space="preserve"> 页</w:t></w:r></w:p></w:ftr>')
# A row of at most this many lines is kept on one page; a longer one may break, or Word would cut it off.
KEEP_TOGETHER_LINES = 24
_CHAR_CM = 0.37  # width of a Chinese character at 10.5 pt


def _row_lines(row: list[list[Para]], widths_cm: list[float]) -> int:
    return max((sum(_lines(p.text, w / _CHAR_CM * 2) for p in paras) for paras, w in zip(row, widths_cm)),
               default=1)


def document(title: str, before: list[Para], header: list[str], rows: list[list[list[Para]]], widths_cm: list[float],
             after: list[Para], stamp: dt.datetime, margin_cm: float = 1.8) -> bytes:
    """Landscape A4 with page numbers: paragraphs, a bordered table whose bold header row repeats on every printed
    page and whose rows do not break across pages (unless longer than KEEP_TOGETHER_LINES), paragraphs.

    Each table cell is a list of paragraphs."""
    widths = [round(w * TWIPS_PER_CM) for w in widths_cm]

    def cell(paras: list[Para], width: int) -> str:
        return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{"".join(map(_para, paras))}</w:tc>'

    def keep(row: list[list[Para]]) -> str:
        return "<w:trPr><w:cantSplit/></w:trPr>" if _row_lines(row, widths_cm) <= KEEP_TOGETHER_LINES else ""

    table = ['<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/><w:jc w:val="center"/>'
             '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
             'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>'
             + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths) + "</w:tblGrid>",
             '<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>'
             + "".join(cell([Para(word, bold=True)], w) for word, w in zip(header, widths)) + "</w:tr>"]
    table += [f"<w:tr>{keep(row)}" + "".join(cell(paras, w) for paras, w in zip(row, widths)) + "</w:tr>"
              for row in rows]
    table.append("</w:tbl>")
    margin = round(margin_cm * TWIPS_PER_CM)
    body = ("".join(map(_para, before)) + "".join(table) + "".join(map(_para, after))
            + '<w:sectPr><w:footerReference w:type="default" r:id="rId2"/>'
              f'<w:pgSz w:w="{round(29.7 * TWIPS_PER_CM)}" w:h="{round(21.0 * TWIPS_PER_CM)}" '
              f'w:orient="landscape"/><w:pgMar w:top="{margin}" w:right="{margin}" w:bottom="{margin}" '
              f'w:left="{margin}" w:header="720" w:footer="567" w:gutter="0"/></w:sectPr>')
    main = _DECL + f'<w:document xmlns:w="{_WORD_NS}" xmlns:r="{_REL}"><w:body>{body}</w:body></w:document>'
    parts = {"word/document.xml": main,
             "word/_rels/document.xml.rels": _rels([(f"{_REL}/styles", "styles.xml"),
                                                    (f"{_REL}/footer", "footer1.xml")]),
             "word/styles.xml": _DOCX_STYLES, "word/footer1.xml": _FOOTER}
    types = {"word/document.xml": f"{_CT}wordprocessingml.document.main+xml",
             "word/styles.xml": f"{_CT}wordprocessingml.styles+xml",
             "word/footer1.xml": f"{_CT}wordprocessingml.footer+xml"}
    return _package("word/document.xml", parts, types, title, stamp)
