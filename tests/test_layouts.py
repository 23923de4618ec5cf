"""Notices in layouts unlike the seed, built in code, each checked against a hand-written truth.

(a) a 序号 column numbering the tasks, a two-row header (责任单位 over 牵头单位 | 配合单位), an unknown
    column, and a second table that is a contact list, not a task table;
(b) sections in a merged-down 领域 column, a single unit column, deadlines in words;
(c) no task level: items straight under full-width sections, 序号 numbering the items;
(d) sections and tasks both as full-width rows, no task column.
The places and units are invented (某某市); none of the seed's words.
"""

from __future__ import annotations

import pytest
from conftest import compare, convert_json
from docx import Document as WordDocument

UP = object()  # the cell is merged with the one above
LEFT = object()  # the cell is merged with the one to its left


def full_width(text: str, columns: int) -> list:
    return [text] + [LEFT] * (columns - 1)


def write_docx(path, parts: list) -> None:
    """PARTS in order: a str is a body paragraph, a list of rows is a table (cells: str, UP or LEFT)."""
    document = WordDocument()
    for part in parts:
        if isinstance(part, str):
            document.add_paragraph(part)
        else:
            add_table(document, part)
    document.save(path)


def add_table(document, rows: list[list]) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is UP or value is LEFT:
                continue
            bottom, right = r, c
            while bottom + 1 < len(rows) and rows[bottom + 1][c] is UP:
                bottom += 1
            while right + 1 < len(row) and row[right + 1] is LEFT:
                right += 1
            cell = table.cell(r, c)
            if (bottom, right) != (r, c):
                cell = cell.merge(table.cell(bottom, right))
            first, *more = value.split("\n")
            cell.paragraphs[0].text = first
            for line in more:
                cell.add_paragraph(line)


def write_txt(path, parts: list) -> None:
    """The same notice as Word's text export: a cell per TAB line, a blank line after each row."""
    lines: list[str] = []
    for part in parts:
        if isinstance(part, str):
            lines.append(part)
            continue
        for row in part:
            for value in row:
                if value is LEFT:
                    continue
                lines.append("\t" + ("" if value is UP else value))
            lines.append("")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def convert_notice(path, parts: list) -> dict:
    """PARTS written to PATH (a .docx, or a text export for any other suffix), converted: the JSON `--only json`
    prints."""
    (write_docx if path.suffix == ".docx" else write_txt)(path, parts)
    return convert_json(path)


def _numbered(part: tuple[str, str] | None) -> dict | None:
    return {"no": part[0], "title": part[1]} if part else None


def item(section, task, lead, responsible, requirement, deadline, date) -> dict:
    """One row of a truth file; SECTION and TASK are (no, title) or None."""
    return {"section": _numbered(section), "task": _numbered(task), "lead": lead, "responsible": responsible,
            "requirement": requirement, "deadline": {"text": deadline, "date": date}}


# --- (a) 序号, a two-row header, a contact list ----------------------------------------------------

A_LIST = "某某市2025年优化营商环境重点任务清单"
A_CONTACTS = "某某市优化营商环境工作联络员名单"
A_COLUMNS = 7
A_TABLE = [
    ["序号", "重点任务", "具体措施", "责任单位", LEFT, "完成时限", "备注"],
    [UP, UP, UP, "牵头单位", "配合单位", UP, UP],
    ["1", "提升政务服务效能", "1．推行“高效办成一件事”，年内新增10个集成办事场景。", "市行政审批服务局",
     "市大数据局、市司法局", "2025年6月底前", "新增"],
    [UP, UP, "2．推进政务服务事项“跨域通办”。", "市大数据局", "/", "9月30日前", ""],
    [UP, UP, "3．常态化开展“政务服务体验官”活动。", "市行政审批服务局", "各县（市、区）政府", "持续推进", ""],
    ["2", "降低企业经营成本", "落实结构性减税降费政策，\n确保应享尽享、直达快享。", "市税务局",
     "市财政局、市发展改革委等", "每季度", "延续"],
    ["3", "强化要素保障", "1．优化工业用地供应方式。", "市自然资源和规划局",
     "某某高新区、某某经济开发区管委会", "三季度末", ""],
    [UP, UP, "2．用电报装“三零”服务实现全覆盖。", "国网某某供电公司", "市发展改革委", "年底前", ""],
]
A_PARTS = [
    "某某市人民政府办公室文件",
    "某政办发〔2025〕8号",
    f"关于印发{A_LIST}的通知",
    "各县（市、区）人民政府，市直各部门、单位：",
    f"现将《{A_LIST}》印发给你们，请结合实际认真抓好落实。",
    f"附件：1．{A_LIST}",
    f"2．{A_CONTACTS}",
    "某某市人民政府办公室",
    "2025年3月12日",
    "附件1",
    A_LIST,
    A_TABLE,
    "附件2",
    A_CONTACTS,
    [["单位", "联系人", "联系电话"], ["市行政审批服务局", "张某某", "0000-1234567"],
     ["市大数据局", "李某某", "0000-7654321"]],
]
A_TASKS = [("1", "提升政务服务效能"), ("2", "降低企业经营成本"), ("3", "强化要素保障")]
A_EXPECTED = {
    "notice": {
        "doc_number": "某政办发〔2025〕8号",
        "issuer": "某某市人民政府办公室",
        "title": f"关于印发{A_LIST}的通知",
        "year": 2025,
        "date": "2025-03-12",
        "recipients": ["各县（市、区）人民政府", "市直各部门、单位"],
        "attachments": [A_LIST, A_CONTACTS],
    },
    "rows": [
        item(None, A_TASKS[0], ["市行政审批服务局"], ["市大数据局", "市司法局"],
             "推行“高效办成一件事”，年内新增10个集成办事场景。", "2025年6月底前", "2025-06-30"),
        item(None, A_TASKS[0], ["市大数据局"], [], "推进政务服务事项“跨域通办”。", "9月30日前", "2025-09-30"),
        item(None, A_TASKS[0], ["市行政审批服务局"], ["各县（市、区）政府"],
             "常态化开展“政务服务体验官”活动。", "持续推进", None),
        item(None, A_TASKS[1], ["市税务局"], ["市财政局", "市发展改革委"],
             "落实结构性减税降费政策，\n确保应享尽享、直达快享。", "每季度", None),
        item(None, A_TASKS[2], ["市自然资源和规划局"], ["某某高新区管委会", "某某经济开发区管委会"],
             "优化工业用地供应方式。", "三季度末", "2025-09-30"),
        item(None, A_TASKS[2], ["国网某某供电公司"], ["市发展改革委"],
             "用电报装“三零”服务实现全覆盖。", "年底前", "2025-12-31"),
    ],
}


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """converted(layout, form): the JSON of a layout written in one form; each is converted once."""
    cache: dict[tuple[str, str], dict] = {}

    def get(layout: str, form: str) -> dict:
        if (layout, form) not in cache:
            path = tmp_path_factory.mktemp(layout) / f"{layout}.{form}"
            cache[layout, form] = convert_notice(path, LAYOUTS[layout][0])
        return cache[layout, form]

    return get


@pytest.fixture(scope="module")
def layout_a(converted) -> dict:
    return converted("a", "docx")


def test_a_numbers_tasks_from_the_seq_column(layout_a):
    rows = layout_a["rows"]
    assert [r["id"] for r in rows] == ["1.1", "1.2", "1.3", "2.1", "3.1", "3.2"]
    assert [r["task"]["no"] for r in rows] == ["1", "1", "1", "2", "3", "3"]
    assert all(r["section"] is None for r in rows)
    assert rows[3]["responsible_open"] is True and rows[0]["responsible_open"] is False
    assert rows[3]["requirement"] == "落实结构性减税降费政策，\n确保应享尽享、直达快享。"
    assert [r["deadline"]["kind"] for r in rows] == ["by", "by", "ongoing", "recurring", "by", "by"]


def test_a_reads_the_leaf_headers_and_keeps_unknown_columns(layout_a):
    columns = [(c["header"], c["role"]) for c in layout_a["table"]["columns"]]
    assert columns == [("序号", "seq"), ("重点任务", "task"), ("具体措施", "requirement"), ("牵头单位", "lead"),
                       ("配合单位", "responsible"), ("完成时限", "deadline"), ("备注", "extra")]
    assert layout_a["table"]["title"] == A_LIST
    extras = [r["extra"] for r in layout_a["rows"]]
    assert extras == [{"备注": "新增"}, {}, {}, {"备注": "延续"}, {}, {}]


def test_a_warns_about_what_it_did_not_convert(layout_a):
    codes = [w["code"] for w in layout_a["warnings"]]
    assert codes.count("unknown-column") == 1
    other = [w["message"] for w in layout_a["warnings"] if w["code"] == "other-table"]
    assert len(other) == 1 and "张某某" in other[0]
    assert "lost-text" not in codes
    # The signature is not body text, though the red header already named the issuer.
    assert layout_a["notice"]["body"] == [f"现将《{A_LIST}》印发给你们，请结合实际认真抓好落实。"]
    units = {u["name"]: u for u in layout_a["units"]}
    assert units["市行政审批服务局"]["lead"] == ["1.1", "1.3"]
    assert units["市发展改革委"]["responsible"] == ["2.1", "3.2"]


@pytest.mark.parametrize("joined", [False, True], ids=["two tables", "one table"])
def test_a_two_row_header_repeated_on_the_next_page(joined, layout_a, tmp_path):
    """Both header rows repeated after the third item: as a second w:tbl, or inside the same table (Word
    joins two tables into one when the paragraph between them is deleted). Neither row is an item."""
    first, second = A_TABLE[:5], [*A_TABLE[:2], *A_TABLE[5:]]
    tables = [first + second] if joined else [first, second]
    at = A_PARTS.index(A_TABLE)
    path = tmp_path / "a-repeated-header.docx"
    document = convert_notice(path, [*A_PARTS[:at], *tables, *A_PARTS[at + 1:]])
    compare(document, A_EXPECTED, tmp_path)
    assert [r["id"] for r in document["rows"]] == [r["id"] for r in layout_a["rows"]]
    assert [w for w in document["warnings"] if w["code"] in ("no-deadline", "lost-text")] == []


# --- (b) sections in a merged 领域 column, one unit column ---------------------------------------------

B_TITLE = "某某县2025年安全生产重点工作任务分工"
B_TABLE = [
    ["领域", "工作任务", "具体要求", "责任单位", "完成时限"],
    ["一、压实安全生产责任", "（一）落实属地管理责任", "1．各乡镇（街道）制定年度安全生产工作要点，明确责任清单。",
     "各乡镇人民政府（街道办事处）", "2025年3月底前"],
    [UP, UP, "2．定期召开安全生产形势分析会，研判风险隐患。", "县安委会办公室", "每季度"],
    [UP, "（二）落实部门监管责任", "按照“管行业必须管安全”要求，健全行业监管制度。", "县政府有关部门、单位",
     "长期坚持"],
    ["二、深化重点行业领域专项整治", "（三）城镇燃气安全整治", "全面排查整治燃气管网老化、违规用气等问题。",
     "县住房城乡建设局、县市场监管局、县应急局", "2025年6月底前"],
    [UP, "（四）道路交通安全整治", "严厉打击“三超一疲劳”等交通违法行为。", "县公安局、县交通运输局等", "10月中旬"],
    ["三、夯实安全生产基层基础", "（五）提升应急处置能力", "组建乡镇（街道）应急救援队伍，开展实战化演练。",
     "各乡镇人民政府（街道办事处），县应急局", "2025年12月底前"],
]
B_PARTS = [
    "某县政办字〔2025〕3号",
    f"关于印发{B_TITLE}的通知",
    "各乡镇人民政府（街道办事处），县政府各部门：",
    f"《{B_TITLE}》已经县政府同意，现印发给你们，请认真贯彻落实。",
    "某某县人民政府办公室",
    "二〇二五年二月八日",  # 成文日期 in Chinese numerals
    B_TITLE,
    B_TABLE,
]
B_SECTIONS = [("一", "压实安全生产责任"), ("二", "深化重点行业领域专项整治"), ("三", "夯实安全生产基层基础")]
B_EXPECTED = {
    "notice": {
        "doc_number": "某县政办字〔2025〕3号",
        "issuer": "某某县人民政府办公室",
        "title": f"关于印发{B_TITLE}的通知",
        "year": 2025,
        "date": "2025-02-08",
        "recipients": ["各乡镇人民政府（街道办事处）", "县政府各部门"],
        "attachments": [],
    },
    "rows": [
        item(B_SECTIONS[0], ("一", "落实属地管理责任"), [], ["各乡镇人民政府（街道办事处）"],
             "各乡镇（街道）制定年度安全生产工作要点，明确责任清单。", "2025年3月底前", "2025-03-31"),
        item(B_SECTIONS[0], ("一", "落实属地管理责任"), [], ["县安委会办公室"],
             "定期召开安全生产形势分析会，研判风险隐患。", "每季度", None),
        item(B_SECTIONS[0], ("二", "落实部门监管责任"), [], ["县政府有关部门、单位"],
             "按照“管行业必须管安全”要求，健全行业监管制度。", "长期坚持", None),
        item(B_SECTIONS[1], ("三", "城镇燃气安全整治"), [], ["县住房城乡建设局", "县市场监管局", "县应急局"],
             "全面排查整治燃气管网老化、违规用气等问题。", "2025年6月底前", "2025-06-30"),
        item(B_SECTIONS[1], ("四", "道路交通安全整治"), [], ["县公安局", "县交通运输局"],
             "严厉打击“三超一疲劳”等交通违法行为。", "10月中旬", "2025-10-20"),
        item(B_SECTIONS[2], ("五", "提升应急处置能力"), [], ["各乡镇人民政府（街道办事处）", "县应急局"],
             "组建乡镇（街道）应急救援队伍，开展实战化演练。", "2025年12月底前", "2025-12-31"),
    ],
}


@pytest.mark.parametrize("form", ["docx", "txt"])
def test_b_sections_from_the_merged_column(form, converted):
    layout_b = converted("b", form)
    rows = layout_b["rows"]
    assert [r["id"] for r in rows] == ["1.1.1", "1.1.2", "1.2.1", "2.1.1", "2.2.1", "3.1.1"]
    assert [r["section"]["no"] for r in rows] == ["一", "一", "一", "二", "二", "三"]
    assert [r["task"]["no"] for r in rows] == ["一", "一", "二", "三", "四", "五"]
    assert all(r["lead"] == [] and r["lead_open"] is False for r in rows)
    assert rows[4]["responsible_open"] is True
    assert [r["deadline"]["kind"] for r in rows] == ["by", "recurring", "ongoing", "by", "by", "by"]
    assert [c["role"] for c in layout_b["table"]["columns"]] == [
        "section", "task", "requirement", "responsible", "deadline"]
    assert layout_b["warnings"] == []
    assert layout_b["notice"]["body"] == [B_PARTS[3]]


@pytest.mark.parametrize("form", ["docx", "txt"])
def test_b_header_words_spaced_and_a_title_row_inside_the_table(form, tmp_path):
    """完成 时限, 工作⏎任务 and 配合/责任单位 still match; with no title paragraph above the table (it follows
    the date) the title row inside the table is the table's title. A blank line inside a requirement
    stays in its cell (in a text export the one-cell title row must not pass for the table's width)."""
    two_paragraphs = [*B_TABLE[2][:2], "2．定期召开安全生产形势分析会，\n\n研判风险隐患。", *B_TABLE[2][3:]]
    table = [full_width(B_TITLE + "表", 5), ["领  域", "工作\n任务", "具体要求", "配合/责任单位", "完成 时限"],
             B_TABLE[1], two_paragraphs, *B_TABLE[3:]]
    path = tmp_path / f"b-title-row.{form}"
    document = convert_notice(path, [*B_PARTS[:-2], table])
    compare(document, B_EXPECTED, tmp_path)
    assert document["table"]["title"] == B_TITLE + "表"
    assert [c["header"] for c in document["table"]["columns"]] == ["领域", "工作任务", "具体要求", "配合/责任单位",
                                                                   "完成时限"]
    assert document["warnings"] == []


@pytest.mark.parametrize("title_row", [False, True], ids=["header first", "title row above the header"])
def test_b_split_table_repeating_its_section_and_task_on_the_next_page(title_row, tmp_path):
    """The second part repeats the header (not the title row inside the table, if any) and restates the
    section and task cells above the cut: still one table, one section and one task."""
    first = [full_width(B_TITLE + "表", 5), *B_TABLE[:3]] if title_row else B_TABLE[:3]
    second = [B_TABLE[0], ["一、压实安全生产责任", "（二）落实部门监管责任", *B_TABLE[3][2:]], *B_TABLE[4:]]
    path = tmp_path / "b-split.docx"
    document = convert_notice(path, [*B_PARTS[:-2 if title_row else -1], first, second])
    compare(document, B_EXPECTED, tmp_path)
    assert [r["id"] for r in document["rows"]] == ["1.1.1", "1.1.2", "1.2.1", "2.1.1", "2.2.1", "3.1.1"]
    assert document["warnings"] == []


# --- (c) no task level ---------------------------------------------------------------------------------

C_TITLE = "某某区2025年防汛工作任务清单"
C_TABLE = [
    ["序号", "工作内容", "牵头单位", "责任单位", "完成时间"],
    full_width("一、汛前准备", 5),
    ["1", "完成辖区河道清障和排水管网疏浚。", "区水务局", "各街道办事处", "5月底前"],
    ["2", "修订完善防汛应急预案。", "区应急管理局", "区水务局、区住房城乡建设局", "2025年5月15日前"],
    full_width("二、汛期值守", 5),
    ["3", "严格执行24小时值班和领导带班制度。", "区应急管理局", "区政府各部门、单位", "6月至9月"],
    ["4", "及时报送雨情水情信息。", "区水务局", "/", "每日"],
]
C_PARTS = [
    f"关于印发{C_TITLE}的通知",
    "各街道办事处，区政府各部门：",
    "现将任务清单印发给你们，请抓好落实。",
    "某某区人民政府办公室",
    "2025年4月1日",
    C_TITLE,
    C_TABLE,
]
C_EXPECTED = {
    "notice": {"title": f"关于印发{C_TITLE}的通知", "issuer": "某某区人民政府办公室", "year": 2025,
               "date": "2025-04-01", "recipients": ["各街道办事处", "区政府各部门"]},
    "rows": [
        item(("一", "汛前准备"), None, ["区水务局"], ["各街道办事处"], "完成辖区河道清障和排水管网疏浚。",
             "5月底前", "2025-05-31"),
        item(("一", "汛前准备"), None, ["区应急管理局"], ["区水务局", "区住房城乡建设局"], "修订完善防汛应急预案。",
             "2025年5月15日前", "2025-05-15"),
        item(("二", "汛期值守"), None, ["区应急管理局"], ["区政府各部门、单位"],
             "严格执行24小时值班和领导带班制度。", "6月至9月", "2025-09-30"),
        item(("二", "汛期值守"), None, ["区水务局"], [], "及时报送雨情水情信息。", "每日", None),
    ],
}


@pytest.mark.parametrize("form", ["docx", "txt"])
def test_c_items_sit_straight_under_sections(form, converted):
    layout_c = converted("c", form)
    rows = layout_c["rows"]
    assert [r["id"] for r in rows] == ["1.1", "1.2", "2.1", "2.2"]
    assert all(r["task"] is None for r in rows)
    assert [r["extra"] for r in rows] == [{"序号": str(n)} for n in range(1, 5)]
    # Nothing is filled down (every row has its own lead); the notice's year completes the bare dates.
    assert [r["inferred"] for r in rows] == [["deadline_year"], [], ["deadline_year"], []]
    assert layout_c["notice"]["doc_number"] is None
    assert layout_c["warnings"] == []


# --- (d) sections and tasks as full-width rows ----------------------------------------------------------

D_TITLE = "某某市2025年数字政府建设重点任务"
D_TABLE = [
    ["具体要求", "牵头单位", "责任单位", "完成时限"],
    full_width("一、夯实数字基础设施", 4),
    full_width("（一）建设统一云平台", 4),
    ["完成市级政务云扩容。", "市大数据局", "市财政局", "6月底前"],
    ["推动部门业务系统上云。", "市大数据局", "市直各部门、单位", "12月底前"],
    full_width("（二）完善数据共享", 4),
    ["编制公共数据资源目录。", "市大数据局", "/", "9月底前"],
    full_width("二、提升政务服务水平", 4),
    ["开展政务服务“好差评”。", "市行政审批服务局", "各县（市、区）政府", "每月"],
]
D_PARTS = [f"关于印发{D_TITLE}的通知", "各县（市、区）人民政府，市直各部门、单位：", "请认真抓好落实。", D_TABLE]
D_EXPECTED = {
    "notice": {"title": f"关于印发{D_TITLE}的通知", "year": 2025},
    "rows": [
        item(("一", "夯实数字基础设施"), ("一", "建设统一云平台"), ["市大数据局"], ["市财政局"], "完成市级政务云扩容。",
             "6月底前", "2025-06-30"),
        item(("一", "夯实数字基础设施"), ("一", "建设统一云平台"), ["市大数据局"], ["市直各部门、单位"],
             "推动部门业务系统上云。", "12月底前", "2025-12-31"),
        item(("一", "夯实数字基础设施"), ("二", "完善数据共享"), ["市大数据局"], [], "编制公共数据资源目录。",
             "9月底前", "2025-09-30"),
        item(("二", "提升政务服务水平"), None, ["市行政审批服务局"], ["各县（市、区）政府"], "开展政务服务“好差评”。",
             "每月", None),
    ],
}


@pytest.mark.parametrize("form", ["docx", "txt"])
def test_d_tasks_from_full_width_rows(form, converted):
    document = converted("d", form)
    # Ids keep three levels, so that no two rows share one; an item under no task has task ordinal 0.
    assert [r["id"] for r in document["rows"]] == ["1.1.1", "1.1.2", "1.2.1", "2.0.1"]
    assert document["warnings"] == []


# --- every layout against its truth --------------------------------------------------------------------

# Layout -> (parts, truth, forms). Layout (a) has no text export: its two-row header spans columns.
LAYOUTS = {
    "a": (A_PARTS, A_EXPECTED, ["docx"]),
    "b": (B_PARTS, B_EXPECTED, ["docx", "txt"]),
    "c": (C_PARTS, C_EXPECTED, ["docx", "txt"]),
    "d": (D_PARTS, D_EXPECTED, ["docx", "txt"]),
}


@pytest.mark.parametrize(("layout", "form"), [(name, form) for name, (*_, forms) in LAYOUTS.items() for form in forms])
def test_layout_matches_its_truth(layout, form, converted, tmp_path):
    compare(converted(layout, form), LAYOUTS[layout][1], tmp_path)
