"""Writes the Word and Excel files of the import corpus (texts/13-15, and the held-out 17, 19 and 25).

    .venv/bin/python benchmarks/import_corpus/make_office.py

The files are committed; this script is how they were made, so that their content can be read and changed here.
They are built the way clerks build them: a title above the table, section rows merged across the table, a lead
cell merged over the rows it applies to, several names in one cell on separate lines, dates typed as text or
entered as Excel dates, and a sheet of notes that is not a table.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

TEXTS = Path(__file__).resolve().parent / "texts"
FIXED = dt.datetime(2024, 3, 1, 9, 0, 0)


def word(title: str):
    import docx

    document = docx.Document()
    document.core_properties.created = document.core_properties.modified = FIXED
    document.add_paragraph(title)
    return document


def grid(document, rows: list[list[str]]):
    """A five-column table with the rows' text; a row of one value is merged across the table (a section row)."""
    table = document.add_table(rows=len(rows), cols=5)
    table.style = "Table Grid"
    for r, values in enumerate(rows):
        cells = table.rows[r].cells
        if len(values) == 1:
            cells[0].merge(cells[4]).text = values[0]
            continue
        for c, value in enumerate(values):
            if value:
                cells[c].text = value
    return table


def fenghe_docx(path: Path) -> None:
    document = word("枫河县2024年未成年人保护工作责任清单")
    document.add_paragraph("为落实县未成年人保护工作领导小组2024年第一次全体会议部署，现将年度重点任务分解如下。"
                           "列为“牵头”的单位负总责，其他责任单位按职责分工落实。")
    rows = [
        ["序号", "主要任务", "责任单位", "配合单位", "时间节点"],
        ["一、家庭保护"],
        ["1", "举办“家庭教育大讲堂”，每个乡镇全年不少于4场", "县妇联", "县教育局、各乡镇人民政府", "2024年11月底前"],
        ["2", "对重点家庭开展家庭教育指导入户服务", "县妇联", "县民政局", "长期开展"],
        ["二、社会保护"],
        ["3", "建设县级未成年人救助保护中心并投入运行", "县民政局（牵头）、县发展改革局", "县财政局", "2024年12月31日前"],
        ["4", "开展未成年人文身治理专项行动", "县市场监管局", "县卫生健康局、县商务局", "2024年8月至10月"],
        ["5", "在城乡社区建设“儿童之家”，实现行政村全覆盖", "县民政局", "各乡镇人民政府", "2024年12月底前"],
        ["6", "组织社会工作者开展困境儿童个案服务", "县民政局", "团县委", "长期开展"],
        ["三、司法保护"],
        ["7", "开展“法治进校园”巡讲，覆盖全县中小学", "县司法局", "县教育局、县人民法院", "每学期一次"],
        ["8", "落实侵害未成年人案件强制报告制度，开展履职情况专项检查", "县人民检察院", "县公安局、县教育局、县卫生健康局", "2024年9月底前"],
    ]
    table = grid(document, rows)
    # the lead of rows 5 and 6 is one cell, merged down from row 5 (县民政局): clerks write it once
    top, below = table.cell(7, 2), table.cell(8, 2)
    below.text = ""
    top.merge(below).text = "县民政局"

    document.add_paragraph("附：县直部门配合事项")
    rows = [
        ["编号", "重点工作", "牵头部门", "协同单位", "完成时间"],
        ["1", "将未成年人保护经费纳入县级财政预算", "县财政局", "县民政局", "2024年3月底前"],
        ["2", "对歌舞娱乐场所、网吧开展暑期专项检查", "县文化广电旅游局", "县公安局", "2024年7月1日至8月31日"],
    ]
    grid(document, rows)
    document.add_paragraph("枫河县未成年人保护工作领导小组办公室")
    document.add_paragraph("2024年3月1日")
    document.save(str(path))


def workbook(creator: str, sheet: str):
    from openpyxl import Workbook

    wb = Workbook()
    wb.properties.created = wb.properties.modified = FIXED
    wb.properties.creator = creator
    wb.active.title = sheet
    return wb, wb.active


def yanqiu_xlsx(path: Path) -> None:
    from openpyxl.styles import Alignment, Font

    wb, ws = workbook("雁丘市民政局", "任务清单")
    ws.append(["雁丘市2024年未成年人保护重点工作任务清单"])
    ws.merge_cells("A1:F1")
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(["序号", "工作类别", "工作任务", "牵头单位", "配合单位", "完成时间"])
    data = [
        [1, "家庭保护", "开展“家长学校”规范化建设，中小学幼儿园家长学校建校率达到100%", "市教育局", "市妇联", "2024年12月底前"],
        [2, None, "依法处置监护人严重侵害未成年人权益案件，落实临时监护措施", "市民政局", "市公安局、市法院", "长期"],
        [3, None, "开展“最美家庭”寻访活动，选树家庭教育典型", "市妇联", "市委宣传部", dt.datetime(2024, 10, 31)],
        [4, "学校保护", "推进中小学法治副校长全覆盖并规范履职", "市教育局", "市司法局、市公安局、市检察院", "每学期"],
        [5, None, "组织开展中小学生心理健康普查", None, "市卫生健康委", dt.datetime(2024, 11, 30)],
        [6, "网络保护", "开展未成年人网络沉迷防治宣传进校园活动", "市委网信办", "市教育局、团市委", "2024年9月1日至9月30日"],
        [7, "政府保护", "落实孤儿、事实无人抚养儿童保障标准自然增长机制", "市民政局\n市财政局", None, "2024年6月30日前"],
        [8, None, "加强儿童福利机构和未成年人救助保护机构规范化建设", "市民政局", "各县（市、区）人民政府", "2024年12月底前"],
        [9, "司法保护", "开展涉未成年人案件“一站式”取证救助", "市检察院", "市公安局、市卫生健康委", "长期"],
    ]
    for row in data:
        ws.append(row)
    ws.merge_cells("B3:B5")  # 家庭保护 over rows 1–3
    ws.merge_cells("B6:B7")  # 学校保护 over rows 4–5
    ws.merge_cells("D6:D7")  # one lead for rows 4 and 5: 市教育局
    ws.merge_cells("B9:B10")  # 政府保护 over rows 7–8
    for cell in ("F5", "F7"):
        ws[cell].number_format = "yyyy-mm-dd"
    for column, width in zip("ABCDEF", (6, 10, 48, 14, 24, 18)):
        ws.column_dimensions[column].width = width
    notes = wb.create_sheet("填表说明")
    notes["A1"] = "填表说明"
    notes["A2"] = "1. 每项任务只填一个牵头单位，配合单位可以填写多个，用顿号隔开。"
    notes["A3"] = "2. 完成时间请写到具体月份或日期，长期工作填“长期”。"
    notes["A4"] = "3. 本表由市未成年人保护工作领导小组办公室汇总，联系电话见通知。"
    wb.save(str(path))


def liutang_xlsx(path: Path) -> None:
    wb, ws = workbook("柳塘区民政局", "Sheet1")
    ws["A1"] = "柳塘区未成年人保护工作领导小组2024年度重点事项分工表"
    ws.merge_cells("A1:E1")
    # row 2 left blank, as clerks leave it
    ws.append([])
    ws.append(["编号", "任务内容", "责任部门", "协办单位", "时限要求"])
    data = [
        ["1", "健全区、街道、社区三级未成年人保护工作网络，街道未成年人保护工作站实现全覆盖", "区民政局", "各街道办事处", "2024年6月底前"],
        ["2", "开展校外培训机构安全检查，每季度至少一次", "区教育局", "区市场监管局、区消防救援大队", "每季度"],
        ["3", "建立未成年人遭受侵害强制报告线索台账，按月通报", "区检察院", "区公安分局", "每月"],
        ["4", "组织社区儿童主任参加业务培训", "区民政局", "", "2024年5月31日前"],
        ["5", "开展“护苗·绿书签”进校园活动", "区委宣传部\n区文化和旅游局", "区教育局", "2024年4月"],
        ["6", "加强对未成年人活动场所的消防安全检查", "区消防救援大队", "区教育局、区文化和旅游局", "长期"],
    ]
    for row in data:
        ws.append(row)
    wb.save(str(path))


def qinghe_docx(path: Path) -> None:
    """A table whose header takes two rows: 责任单位 over 牵头 and 配合, the other headings merged down."""
    document = word("清禾县2024年未成年人保护重点工作责任分解表")
    rows = [
        ["序号", "工作任务", "责任单位", "", "完成时限"],
        ["", "", "牵头", "配合", ""],
        ["1", "开展农村留守儿童和困境儿童信息排查，实行动态管理", "县民政局", "各乡镇人民政府", "2024年4月30日前"],
        ["2", "实施中小学校“法治副校长”聘任全覆盖", "县教育局", "县司法局、县公安局", "2024年9月1日前"],
        ["3", "开展打击侵害未成年人违法犯罪专项行动", "县公安局", "县人民检察院、县人民法院", "2024年6月至12月"],
        ["4", "建设县未成年人心理健康辅导中心", "县卫生健康局", "县教育局、团县委", "2024年10月底前"],
        ["5", "组织家庭教育指导服务进社区", "县妇联", "县民政局、各乡镇人民政府", "长期"],
    ]
    table = grid(document, rows)
    table.cell(0, 2).merge(table.cell(0, 3)).text = "责任单位"
    for c, heading in ((0, "序号"), (1, "工作任务"), (4, "完成时限")):
        table.cell(1, c).text = ""
        table.cell(0, c).merge(table.cell(1, c)).text = heading
    document.add_paragraph("清禾县未成年人保护工作领导小组办公室")
    document.add_paragraph("2024年3月20日")
    document.save(str(path))


def lucheng_xlsx(path: Path) -> None:
    """Two task columns: a 重点任务 merged over its 具体措施 rows, and a 责任单位 beside the 牵头单位."""
    wb, ws = workbook("鹭城市民政局", "2024年")
    ws.append(["鹭城市2024年未成年人保护工作任务分解"])
    ws.merge_cells("A1:F1")
    ws.append(["序号", "重点任务", "具体措施", "牵头单位", "责任单位", "完成时限"])
    data = [
        [1, "加强家庭保护", "举办家庭教育公益讲座，每个县（区）不少于10场", "市妇联", "市教育局", "2024年12月底前"],
        [2, None, "对失职监护人依法进行训诫和家庭教育指导", "市公安局", "市法院、市检察院", "长期"],
        [3, "加强学校保护", "开展校园欺凌专项治理", "市教育局", "市公安局", "2024年6月30日前"],
        [4, None, "配齐配强中小学心理健康教师", "市教育局", "市人力资源社会保障局", "2024年9月1日前"],
        [5, "加强网络保护", "开展未成年人网络环境专项整治", "市委网信办", "市公安局、市文化广电旅游局", "2024年7月1日至8月31日"],
    ]
    for row in data:
        ws.append(row)
    ws.merge_cells("B3:B4")
    ws.merge_cells("B5:B6")
    wb.save(str(path))


def yingyang_xlsx(path: Path) -> None:
    """Headings broken over lines and spaced out, a hidden sheet, 一 二 三 as numbers, blank rows between."""
    wb, ws = workbook("滢阳县民政局", "任务")
    ws.append(["滢阳县2025年未成年人保护重点任务"])
    ws.append(["序 号", "工作\n任务", "牵头\n单位", "配合\n单位", "完 成 时 限"])
    ws.append(["一", "开展困境儿童家庭走访，建立一户一档", "县民政局", "各乡镇人民政府", "2025年3月31日前"])
    ws.append([])
    ws.append(["二", "组织中小学开展防溺水安全教育", "县教育局", "县水利局、县应急管理局", "2025年5月底前"])
    ws.append(["三", "开展暑期校外培训机构专项检查", "县教育局", "县市场监管局", "2025年7月至8月"])
    hidden = wb.create_sheet("旧版")
    hidden.append(["序号", "工作任务", "牵头单位"])
    hidden.append([1, "已经完成的旧任务", "县民政局"])
    hidden.sheet_state = "hidden"
    wb.save(str(path))


def main() -> None:
    fenghe_docx(TEXTS / "13-fenghe-county-list.docx")
    yanqiu_xlsx(TEXTS / "14-yanqiu-city-list.xlsx")
    liutang_xlsx(TEXTS / "15-liutang-district-list.xlsx")
    qinghe_docx(TEXTS / "17-qinghe-county-two-row-header.docx")
    lucheng_xlsx(TEXTS / "19-lucheng-city-two-task-columns.xlsx")
    yingyang_xlsx(TEXTS / "25-yingyang-county-broken-headings.xlsx")


if __name__ == "__main__":
    main()
