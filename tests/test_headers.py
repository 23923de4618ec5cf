"""Header words as families, then content (issue 9 §4), and roles written in unit cells inside a table (§5).

Header variants are table-driven; whole tables are built in code (Word) and checked against hand-written
truths. Places and units are invented (某某区)."""

from __future__ import annotations

import pytest
from conftest import compare
from test_layouts import LEFT, UP, convert_notice

from fenjie.normalize.headers import role_of
from fenjie.rules import load

RULES = load()

HEADERS = [
    # lead
    ("牵头单位", "lead"), ("牵头部门", "lead"), ("省级牵头部门", "lead"), ("主办单位", "lead"), ("主责单位", "lead"),
    ("负责单位", "lead"), ("牵头", "lead"), ("牵 头\n单 位", "lead"),
    # responsible
    ("责任单位", "responsible"), ("配合单位", "responsible"), ("协办单位", "responsible"), ("协助单位", "responsible"),
    ("参与部门", "responsible"), ("承办单位", "responsible"), ("责任处（单位）", "responsible"),
    ("本局责任处（单位）", "responsible"), ("责任科室", "responsible"), ("配合/责任单位", "responsible"),
    # deadline
    ("完成时限", "deadline"), ("完成时间", "deadline"), ("时间节点", "deadline"), ("完成期限", "deadline"),
    ("进度安排", "deadline"), ("时限要求", "deadline"), ("工作进度", "deadline"),
    # requirement
    ("具体要求", "requirement"), ("工作措施", "requirement"), ("主要内容", "requirement"), ("主要举措", "requirement"),
    ("工作目标", "requirement"), ("完成标准", "requirement"), ("任务内容", "requirement"),
    # task
    ("工作任务", "task"), ("重点任务", "task"), ("工作事项", "task"), ("重点项目", "task"), ("事项名称", "task"),
    ("名称", "task"),
    # people and contacts are kept, never units
    ("责任领导", "extra"), ("分管领导", "extra"), ("责任人", "extra"), ("联系人", "extra"), ("联系电话", "extra"),
    ("牵头领导", "extra"), ("责任单位负责人", "extra"), ("牵头单位联系人", "extra"),
    ("企业方联系人及联系方式", "extra"), ("负责事项", "requirement"),
    ("牵头单位及责任人", "lead"), ("责任单位/责任人", "responsible"),  # a unit and its person: the unit column
    # bracketed words only qualify; unknown headers
    ("类型（机制、任务等）", None), ("备注", None), ("完成情况", None),
    ("序号", "seq"), ("领域", "section"),
]


@pytest.mark.parametrize(("header", "role"), HEADERS, ids=[h.replace("\n", "⏎") for h, _ in HEADERS])
def test_header_role(header, role):
    assert role_of(header, RULES) == role


PREAMBLE = ["关于印发某某区2025年重点工作任务分工的通知", "区直各部门：", "请抓好落实。"]


def _row(task, lead, responsible, requirement, deadline=None, date=None, section=None) -> dict:
    return {"section": section, "task": task, "lead": lead, "responsible": responsible, "requirement": requirement,
            "deadline": {"text": deadline, "date": date}}


def test_a_single_unit_column_of_phrases_gives_lead_and_responsible(tmp_path):
    table = [
        ["序号", "重点任务", "责任单位", "完成时间"],
        ["1", "推进政务公开标准化。", "区政府办牵头，区司法局、区数据局配合落实", "2025年6月底前"],
        ["2", "开展政策解读。", "区司法局负责", "全年持续推进"],
        ["3", "完善依申请公开。", "区政府办（牵头）、区司法局", "长期坚持"],
        ["4", "更新公开目录。", "区数据局", "9月底前"],
        ["5", "规范公开平台。", "各部门按职责分工负责", "年底前"],
    ]
    document = convert_notice(tmp_path / "phrases.docx", [*PREAMBLE, table])
    rows = [
        _row(None, ["区政府办"], ["区司法局", "区数据局"], "推进政务公开标准化。", "2025年6月底前", "2025-06-30"),
        _row(None, ["区司法局"], [], "开展政策解读。", "全年持续推进", None),
        _row(None, ["区政府办"], ["区司法局"], "完善依申请公开。", "长期坚持", None),
        _row(None, [], ["区数据局"], "更新公开目录。", "9月底前", "2025-09-30"),
        _row(None, ["各部门"], [], "规范公开平台。", "年底前", "2025-12-31"),
    ]
    compare(document, {"notice": {"year": 2025}, "rows": rows}, tmp_path)
    # 重点任务 alone is the text of each item: its requirement; the task comes from headings only (none here).
    assert [r["inferred"].count("roles_from_phrase") for r in document["rows"]] == [1, 1, 1, 0, 1]
    assert [r["deadline"]["kind"] for r in document["rows"]] == ["by", "ongoing", "ongoing", "by", "by"]
    assert [w["code"] for w in document["warnings"]] == []


def test_a_responsible_column_beside_a_lead_column_takes_every_name_in_order(tmp_path):
    table = [
        ["工作任务", "具体要求", "牵头单位", "本局责任处（单位）", "责任领导", "完成时限"],
        ["（一）加强政策解读", "政策与解读同步发布。", "办公室", "综合处牵头，法规处、信息中心配合落实", "张某某",
         "6月底前"],
        [UP, "开展解读评估。", "办公室", "区党工委管委会办公室\n（政策法规处）", "张某某", "12月底前"],
    ]
    document = convert_notice(tmp_path / "two-columns.docx", [*PREAMBLE, table])
    task = {"no": "一", "title": "加强政策解读"}
    rows = [
        _row(task, ["办公室"], ["综合处", "法规处", "信息中心"], "政策与解读同步发布。", "6月底前", "2025-06-30"),
        _row(task, ["办公室"], ["区党工委管委会办公室（政策法规处）"], "开展解读评估。", "12月底前", "2025-12-31"),
    ]
    compare(document, {"notice": {"year": 2025}, "rows": rows}, tmp_path)
    assert [c["role"] for c in document["table"]["columns"]] == [
        "task", "requirement", "lead", "responsible", "extra", "deadline"]
    assert [r["extra"] for r in document["rows"]] == [{"责任领导": "张某某"}] * 2  # a person is never a unit
    assert "roles_from_phrase" in document["rows"][0]["inferred"]
    assert [w["code"] for w in document["warnings"]] == []  # 责任领导 is a known header: no unknown-column


def test_an_unknown_header_is_decided_by_its_cells(tmp_path):
    table = [
        ["工作任务", "具体要求", "单位", "办结", "说明"],
        ["（一）优化营商环境", "压减审批时限。", "区行政审批局", "6月底前", "新增"],
        [UP, "推行证照分离。", "区市场监管局、区行政审批局", "9月底前", "延续"],
        [UP, "开展营商环境评价。", "区发改局", "12月底前", "新增"],
    ]
    document = convert_notice(tmp_path / "by-content.docx", [*PREAMBLE, table])
    assert [c["role"] for c in document["table"]["columns"]] == [
        "task", "requirement", "responsible", "deadline", "extra"]
    assert document["rows"][1]["responsible"] == ["区市场监管局", "区行政审批局"]
    assert document["rows"][2]["deadline"]["date"] == "2025-12-31"
    assert all("header_by_content" in r["inferred"] for r in document["rows"])
    warnings = [w for w in document["warnings"] if w["code"] == "header-by-content"]
    assert [("'单位'" in w["message"], "'办结'" in w["message"]) for w in warnings] == [(True, False), (False, True)]
    assert [w["code"] for w in document["warnings"] if w["code"] != "header-by-content"] == ["unknown-column"]


def test_two_columns_of_one_unit_role_are_read_in_order_and_a_second_deadline_is_kept(tmp_path):
    table = [
        ["工作任务", "具体要求", "牵头单位", "责任单位", "配合单位", "完成时限", "完成时间（调整后）"],
        ["（一）加强政策解读", "政策与解读同步发布。", "区政府办", "区司法局", "区数据局、区融媒体中心", "6月底前",
         "9月底前"],
    ]
    document = convert_notice(tmp_path / "two-responsible.docx", [*PREAMBLE, table])
    row = document["rows"][0]
    assert (row["lead"], row["responsible"]) == (["区政府办"], ["区司法局", "区数据局", "区融媒体中心"])
    assert row["deadline"]["text"] == "6月底前"
    assert row["extra"] == {"完成时间（调整后）": "9月底前"}
    assert [c["role"] for c in document["table"]["columns"]] == [
        "task", "requirement", "lead", "responsible", "responsible", "deadline", "extra"]
    assert "lost-text" not in [w["code"] for w in document["warnings"]]


def test_a_project_table_with_people_columns_and_labels_in_the_unit_cell(tmp_path):
    """The shape of a project breakdown (序号 / 项目名称 / 项目内容 / 投资额 / 联系人 / 牵头领导 / 责任单位 /
    责任单位负责人 / 负责事项): leaders and contacts are people, the unit cell carries its own labels."""
    table = [
        ["序号", "项目名称", "项目内容", "投资额（亿元）", "企业方联系人及联系方式", "牵头领导", "责任单位",
         "责任单位负责人", "负责事项"],
        ["一、签约项目", LEFT, LEFT, LEFT, LEFT, LEFT, LEFT, LEFT, LEFT],
        ["1", "某某产业园项目", "共同开发建设产业园。", "50", "张某 13900000000", "王某某",
         "牵头单位： 某某片区管理局 配合单位： 区自然资源局 区规划局", "李某 赵某 钱某", "片区负责土地征迁。"],
        ["2", "某某基金项目", "设立发展基金。", "100", "孙某 13900000001", "周某某", "区财政金融局", "吴某",
         "区财政金融局负责对接。"],
    ]
    document = convert_notice(tmp_path / "projects.docx", [*PREAMBLE, table])
    section = {"no": "一", "title": "签约项目"}
    rows = [
        _row({"no": "1", "title": "某某产业园项目"}, ["某某片区管理局"], ["区自然资源局", "区规划局"],
             "共同开发建设产业园。", section=section),
        _row({"no": "2", "title": "某某基金项目"}, [], ["区财政金融局"], "设立发展基金。", section=section),
    ]
    compare(document, {"notice": {"year": 2025}, "rows": rows}, tmp_path)
    assert [c["role"] for c in document["table"]["columns"]] == [
        "seq", "task", "requirement", "extra", "extra", "extra", "responsible", "extra", "extra"]
    assert document["rows"][0]["extra"]["牵头领导"] == "王某某"
    assert "roles_from_phrase" in document["rows"][0]["inferred"]
    assert [w["message"] for w in document["warnings"] if w["code"] == "unknown-column"] == [
        "column '投资额（亿元）' has no known role; its cells are kept in each row's `extra`"]


@pytest.mark.parametrize("form", ["docx", "txt"])
def test_a_notice_saying_the_first_unit_leads(form, tmp_path):
    """杭州's convention: "责任分解中，列第一位的责任单位为牵头单位" — a single unit column's first name leads."""
    table = [
        ["序号", "重点工作", "责任单位"],
        ["1", "推进政务公开标准化。", "区政府办、区司法局、区数据局"],
        ["2", "开展政策解读。", "区司法局"],
        ["3", "完善依申请公开。", "区数据局牵头，区政府办配合"],
    ]
    said = "责任分解中，列第一位的责任单位为牵头单位，其余为配合单位。"
    document = convert_notice(tmp_path / f"first.{form}", [*PREAMBLE[:2], said, table])
    rows = [
        _row(None, ["区政府办"], ["区司法局", "区数据局"], "推进政务公开标准化。"),
        _row(None, ["区司法局"], [], "开展政策解读。"),
        _row(None, ["区数据局"], ["区政府办"], "完善依申请公开。"),
    ]
    compare(document, {"notice": {"year": 2025}, "rows": rows}, tmp_path)
    assert [r["inferred"] for r in document["rows"]] == [["lead_by_order"], ["lead_by_order"], ["roles_from_phrase"]]
    without = convert_notice(tmp_path / f"plain.{form}", [*PREAMBLE, table])
    assert [r["lead"] for r in without["rows"]] == [[], [], ["区数据局"]]
