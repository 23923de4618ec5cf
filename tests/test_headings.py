"""Headings of any depth (contract 1.1 `path`): 一、 / （一） / 1. / （1） / ① as full-width rows, as merged
section or task columns and as numbered paragraphs inside one task cell. Each layout is built in code (Word and
its text export) and checked against a hand-written truth. Places and units are invented (某某区)."""

from __future__ import annotations

import pytest
from conftest import compare
from test_layouts import LEFT, UP, convert_notice, full_width


def _n(no: str | None, title: str) -> dict:
    return {"no": no, "title": title}


def _row(path: list[dict], lead: list[str], requirement: str, deadline: str, date: str) -> dict:
    return {"path": path, "section": path[0], "task": path[-1] if len(path) > 1 else None, "lead": lead,
            "responsible": [], "requirement": requirement, "deadline": {"text": deadline, "date": date}}


PREAMBLE = ["关于印发某某区2025年政务公开工作要点任务分解的通知", "各街道办事处，区直各部门：", "请抓好落实。"]
NOTICE = {"title": PREAMBLE[0], "year": 2025}

S1, S2 = _n("一", "深化重点领域公开"), _n("二", "夯实公开基础")
P1, P2, P3 = _n("一", "加强政策解读"), _n("二", "做好回应关切"), _n("三", "规范公开目录")
T1, T2, T3 = _n("1", "落实解读机制"), _n("2", "丰富解读形式"), _n("1", "及时回应")

# (e) three levels: sections and sub-sections as full-width rows, tasks in a merged column.
E_TABLE = [
    ["工作任务", "具体要求", "牵头单位", "完成时限"],
    full_width("一、深化重点领域公开", 4),
    full_width("（一）加强政策解读", 4),
    ["1.落实解读机制", "政策文件与解读材料同步起草。", "区司法局", "6月底前"],
    [UP, "解读材料同步发布。", "区政府办", "6月底前"],
    ["2.丰富解读形式", "开展图解、视频解读。", "区融媒体中心", "12月底前"],
    full_width("（二）做好回应关切", 4),
    ["1.及时回应", "完善舆情回应机制。", "区委宣传部", "9月底前"],
    full_width("二、夯实公开基础", 4),
    full_width("（三）规范公开目录", 4),
    ["", "修订公开目录。", "区政府办", "10月底前"],
]
E_ROWS = [
    _row([S1, P1, T1], ["区司法局"], "政策文件与解读材料同步起草。", "6月底前", "2025-06-30"),
    _row([S1, P1, T1], ["区政府办"], "解读材料同步发布。", "6月底前", "2025-06-30"),
    _row([S1, P1, T2], ["区融媒体中心"], "开展图解、视频解读。", "12月底前", "2025-12-31"),
    _row([S1, P2, T3], ["区委宣传部"], "完善舆情回应机制。", "9月底前", "2025-09-30"),
    _row([S2, P3], ["区政府办"], "修订公开目录。", "10月底前", "2025-10-31"),
]


@pytest.mark.parametrize("form", ["docx", "txt"])
def test_e_three_levels_from_full_width_rows_and_a_task_column(form, tmp_path):
    document = convert_notice(tmp_path / f"e.{form}", [*PREAMBLE, E_TABLE])
    compare(document, {"notice": NOTICE, "rows": E_ROWS}, tmp_path)
    assert [r["id"] for r in document["rows"]] == ["1.1.1.1", "1.1.1.2", "1.1.2.1", "1.2.1.1", "2.1.0.1"]
    assert [w["code"] for w in document["warnings"]] == []


# (f) three merged heading columns: 领域 一、 / 重点任务 （一） / 工作事项 1., then the requirement.
F_TABLE = [
    ["领域", "重点任务", "工作事项", "具体措施", "责任单位", "完成时限"],
    ["一、深化重点领域公开", "（一）加强政策解读", "1.落实解读机制", "政策文件与解读材料同步起草。", "区司法局",
     "6月底前"],
    [UP, UP, UP, "解读材料同步发布。", "区政府办", "6月底前"],
    [UP, UP, "2.丰富解读形式", "开展图解、视频解读。", "区融媒体中心", "12月底前"],
    [UP, "（二）做好回应关切", "1.及时回应", "完善舆情回应机制。", "区委宣传部", "9月底前"],
    ["二、夯实公开基础", "（三）规范公开目录", "1.修订目录", "修订公开目录。", "区政府办", "10月底前"],
]
T4 = _n("1", "修订目录")


def _responsible(rows: list[dict]) -> list[dict]:
    """The same rows with their units in a 责任单位 column (responsible) instead of 牵头单位 (lead)."""
    return [{**row, "lead": [], "responsible": row["lead"]} for row in rows]


@pytest.mark.parametrize("form", ["docx", "txt"])
def test_f_three_merged_heading_columns(form, tmp_path):
    document = convert_notice(tmp_path / f"f.{form}", [*PREAMBLE, F_TABLE])
    rows = _responsible([*E_ROWS[:4], _row([S2, P3, T4], ["区政府办"], "修订公开目录。", "10月底前", "2025-10-31")])
    compare(document, {"notice": NOTICE, "rows": rows}, tmp_path)
    assert [r["id"] for r in document["rows"]] == ["1.1.1.1", "1.1.1.2", "1.1.2.1", "1.2.1.1", "2.1.1.1"]
    assert [c["role"] for c in document["table"]["columns"]] == [
        "section", "task", "task", "requirement", "responsible", "deadline"]
    assert document["warnings"] == []


# (g) numbered paragraphs inside one task cell: （一） and 1. in one merged cell, then 2. alone.
G_TABLE = [
    ["工作任务", "具体要求", "牵头单位", "完成时限"],
    full_width("一、深化重点领域公开", 4),
    ["（一）加强政策解读\n1.落实解读机制", "政策文件与解读材料同步起草。", "区司法局", "6月底前"],
    [UP, "解读材料同步发布。", "区政府办", "6月底前"],
    ["2.丰富解读形式", "开展图解、视频解读。", "区融媒体中心", "12月底前"],
    ["（二）做好回应关切\n1.及时回应", "完善舆情回应机制。", "区委宣传部", "9月底前"],
    full_width("二、夯实公开基础", 4),
    ["（三）规范公开目录", "修订公开目录。", "区政府办", "10月底前"],
]


def test_g_numbered_paragraphs_inside_one_task_cell(tmp_path):
    document = convert_notice(tmp_path / "g.docx", [*PREAMBLE, G_TABLE])
    compare(document, {"notice": NOTICE, "rows": E_ROWS}, tmp_path)
    assert [r["id"] for r in document["rows"]] == ["1.1.1.1", "1.1.1.2", "1.1.2.1", "1.2.1.1", "2.1.0.1"]
    assert document["warnings"] == []


# (h) arabic numbering: sections 1. in a merged column, tasks 1.1 in the next.
H_TABLE = [
    ["类别", "工作任务", "具体要求", "牵头单位", "完成时间"],
    ["1.深化重点领域公开", "1.1 加强政策解读", "政策文件与解读材料同步起草。", "区司法局", "2025年6月30日"],
    [UP, "1.2 做好回应关切", "完善舆情回应机制。", "区委宣传部", "2025年9月30日"],
    ["2.夯实公开基础", "2.1 规范公开目录", "修订公开目录。", "区政府办", "2025年10月31日"],
]


def test_h_arabic_and_dotted_numbering(tmp_path):
    document = convert_notice(tmp_path / "h.docx", [*PREAMBLE, H_TABLE])
    h1, h2 = _n("1", "深化重点领域公开"), _n("2", "夯实公开基础")
    rows = [
        _row([h1, _n("1.1", "加强政策解读")], ["区司法局"], "政策文件与解读材料同步起草。", "2025年6月30日",
             "2025-06-30"),
        _row([h1, _n("1.2", "做好回应关切")], ["区委宣传部"], "完善舆情回应机制。", "2025年9月30日", "2025-09-30"),
        _row([h2, _n("2.1", "规范公开目录")], ["区政府办"], "修订公开目录。", "2025年10月31日", "2025-10-31"),
    ]
    compare(document, {"notice": NOTICE, "rows": rows}, tmp_path)
    assert [r["path"] for r in document["rows"]] == [r["path"] for r in rows]  # numbers too, not only titles


# (i) （1） and ① headings as full-width rows under a task column of one level, and the table cut by a page
#     break: the second part repeats the header and the heading rows above the cut (一、…（续）), which stay one.
I_HEAD = ["工作任务", "具体要求", "牵头单位", "完成时限"]
I_FIRST = [
    I_HEAD,
    full_width("一、深化重点领域公开", 4),
    full_width("（1）加强政策解读", 4),
    ["①落实解读机制", "政策文件与解读材料同步起草。", "区司法局", "6月底前"],
]
I_SECOND = [
    I_HEAD,
    full_width("一、深化重点领域公开（续）", 4),
    full_width("（1）加强政策解读", 4),
    ["①落实解读机制", "解读材料同步发布。", "区政府办", "6月底前"],
    ["②丰富解读形式", "开展图解、视频解读。", "区融媒体中心", "12月底前"],
]


def test_i_a_page_break_repeats_the_headings_above_the_cut(tmp_path):
    document = convert_notice(tmp_path / "i.docx", [*PREAMBLE, I_FIRST, I_SECOND])
    c1, c2 = _n("1", "落实解读机制"), _n("2", "丰富解读形式")
    p1 = _n("1", "加强政策解读")
    rows = [
        _row([S1, p1, c1], ["区司法局"], "政策文件与解读材料同步起草。", "6月底前", "2025-06-30"),
        _row([S1, p1, c1], ["区政府办"], "解读材料同步发布。", "6月底前", "2025-06-30"),
        _row([S1, p1, c2], ["区融媒体中心"], "开展图解、视频解读。", "12月底前", "2025-12-31"),
    ]
    compare(document, {"notice": NOTICE, "rows": rows}, tmp_path)
    assert [r["id"] for r in document["rows"]] == ["1.1.1.1", "1.1.1.2", "1.1.2.1"]
    assert document["warnings"] == []


# (j) heading rows that do not span the table: 一、 merged over all but an empty last cell, （一） alone in the
#     序号 cell of an otherwise empty row.
J_TABLE = [
    ["序号", "具体要求", "牵头单位", "完成时限"],
    ["一、深化重点领域公开", LEFT, LEFT, ""],
    ["（一）加强政策解读", "", "", ""],
    ["1", "政策文件与解读材料同步起草。", "区司法局", "6月底前"],
    ["2", "解读材料同步发布。", "区政府办", "6月底前"],
    ["（二）做好回应关切", "", "", ""],
    ["3", "完善舆情回应机制。", "区委宣传部", "9月底前"],
]


def test_j_heading_rows_that_do_not_span_the_table(tmp_path):
    document = convert_notice(tmp_path / "j.docx", [*PREAMBLE, J_TABLE])
    rows = [
        _row([S1, P1], ["区司法局"], "政策文件与解读材料同步起草。", "6月底前", "2025-06-30"),
        _row([S1, P1], ["区政府办"], "解读材料同步发布。", "6月底前", "2025-06-30"),
        _row([S1, P2], ["区委宣传部"], "完善舆情回应机制。", "9月底前", "2025-09-30"),
    ]
    compare(document, {"notice": NOTICE, "rows": rows}, tmp_path)
    assert [r["extra"] for r in document["rows"]] == [{"序号": "1"}, {"序号": "2"}, {"序号": "3"}]
    assert [w["code"] for w in document["warnings"]] == []
