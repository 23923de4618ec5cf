"""Tasks written as prose: numbered paragraphs whose roles are written in them give rows.

Each layout is a notice of a few paragraphs, as a district publishes them (the words are cut down from
real notices of 平潭综合实验区 and others); the truth is written by hand.
"""

from __future__ import annotations

import csv
import html
import json

import openpyxl
import pytest
from conftest import run_cli

from fenjie.errors import NoTable
from fenjie.extract.grid import Extracted
from fenjie.model import Source
from fenjie.normalize import normalize
from fenjie.normalize.numbering import heading_of
from fenjie.rules import load

FRONT = ["岚综管办〔2023〕12号", "平潭综合实验区管委会办公室关于印发新污染物治理工作方案的通知", "各相关单位："]
BACK_MATTER = ["平潭综合实验区管委会办公室", "2023年3月30日"]

PARENTHESIS = [
    *FRONT, "现将工作方案印发给你们，请认真组织实施。", *BACK_MATTER,
    "一、总体要求",
    "到2025年，对一批重点管控新污染物开展专项治理。",
    "二、重点任务",
    "（一）开展调查监测，动态评估环境风险状况",
    "1.落实环境信息调查。2023年底前完成首轮重点化学物质基本信息调查。（牵头单位：区资源生态局；责任单位：各片区管理局；"
    "完成时限：2023年12月底前）",
    "2.开展环境调查监测。制定新污染物专项环境调查监测实施方案。（区资源生态局牵头，区经发局、区农业农村局，平潭海关等按职责分工负责）",
    "（二）严格源头管控，有力防范新污染物产生",
    "3.严格实施禁限措施。在新兴产业园区新建项目实施管控措施。（区经发局、区资源生态局、区市场监管局等按职责分工负责）",
    "4.规范药物使用管理。落实抗菌药全链条监督管理。（区农业农村局、区农业农村中心（区供销社））",
    "三、保障措施",
    "（一）加强组织领导。各相关单位要指定一名分管领导负责新污染物治理工作（试行）。",
]

LABELS = [
    *FRONT, "现将2024年政务公开工作要点印发给你们，请结合实际抓好落实。", *BACK_MATTER,
    "一、加强政策解读",
    "1.提升解读质量。坚持政策性文件与解读材料同步起草、同步审签、同步发布。",
    "牵头单位：区政务办 配合单位：区发改局、区财政局 完成时间：2024年6月底前",
    "2.推进政策问答库建设",
    "牵头单位：区政务办",
    "责任单位：区市场监管局牵头，区行政审批局配合",
    "完成时限：长期坚持",
    "二、深化重点领域信息公开",
    "3.做好财政信息公开。按要求公开预决算信息，细化到功能分类的项级科目。\n责任单位：区财政局、区审计局\n完成时限：2024年9月",
    "各单位要高度重视，认真抓好落实。",
]

SUB_ITEMS = [
    *FRONT, "现将有关工作通知如下。", *BACK_MATTER,
    "一、强化公开平台建设",
    "1.加强政府网站管理",
    "（1）规范网站栏目设置。按标准优化栏目设置，清理空白栏目。（责任单位：区政务办）",
    "（2）提升网站检索功能。（区智慧岛公司、区政务办）",
    "2.用好政务新媒体",
    "（1）推进政务新媒体矩阵建设，统筹各部门政务新媒体的开设和整合，做到应开尽开、应合尽合，形成发布合力。"
    "（牵头单位：区党群工作部；责任单位：区直各单位）",
    "二、做好依申请公开",
    "区直各单位要依法依规做好政府信息依申请公开工作，提高答复质量。",
]

EXPECTED = {
    "parenthesis": [
        {"id": "2.1.1", "path": ["重点任务", "开展调查监测，动态评估环境风险状况"], "task": ("1", "落实环境信息调查"),
         "requirement": "2023年底前完成首轮重点化学物质基本信息调查。", "lead": ["区资源生态局"],
         "responsible": ["各片区管理局"], "deadline": ("2023年12月底前", "2023-12-31"), "inferred": []},
        {"id": "2.1.2", "path": ["重点任务", "开展调查监测，动态评估环境风险状况"], "task": ("2", "开展环境调查监测"),
         "requirement": "制定新污染物专项环境调查监测实施方案。", "lead": ["区资源生态局"],
         "responsible": ["区经发局", "区农业农村局", "平潭海关"], "responsible_open": True, "deadline": (None, None),
         "inferred": ["roles_from_phrase"]},
        {"id": "2.2.1", "path": ["重点任务", "严格源头管控，有力防范新污染物产生"], "task": ("3", "严格实施禁限措施"),
         "requirement": "在新兴产业园区新建项目实施管控措施。", "lead": ["区经发局", "区资源生态局", "区市场监管局"],
         "lead_open": True, "responsible": [], "deadline": (None, None), "inferred": ["roles_from_phrase"]},
        {"id": "2.2.2", "path": ["重点任务", "严格源头管控，有力防范新污染物产生"], "task": ("4", "规范药物使用管理"),
         "requirement": "落实抗菌药全链条监督管理。", "lead": [],
         "responsible": ["区农业农村局", "区农业农村中心（区供销社）"], "deadline": (None, None),
         "inferred": ["roles_from_phrase"]},
    ],
    "labels": [
        {"id": "1.1", "path": ["加强政策解读"], "task": ("1", "提升解读质量"),
         "requirement": "坚持政策性文件与解读材料同步起草、同步审签、同步发布。", "lead": ["区政务办"],
         "responsible": ["区发改局", "区财政局"], "deadline": ("2024年6月底前", "2024-06-30"), "inferred": []},
        {"id": "1.2", "path": ["加强政策解读"], "task": ("2", "推进政策问答库建设"), "requirement": None,
         "lead": ["区政务办", "区市场监管局"], "responsible": ["区行政审批局"], "deadline": ("长期坚持", None),
         "inferred": ["roles_from_phrase"]},
        {"id": "2.1", "path": ["深化重点领域信息公开"], "task": ("3", "做好财政信息公开"),
         "requirement": "按要求公开预决算信息，细化到功能分类的项级科目。", "lead": [],
         "responsible": ["区财政局", "区审计局"], "deadline": ("2024年9月", "2024-09-30"), "inferred": []},
    ],
    "sub-items": [
        {"id": "1.1.1", "path": ["强化公开平台建设", "加强政府网站管理"], "task": ("1", "规范网站栏目设置"),
         "requirement": "按标准优化栏目设置，清理空白栏目。", "lead": [], "responsible": ["区政务办"],
         "deadline": (None, None), "inferred": []},
        {"id": "1.1.2", "path": ["强化公开平台建设", "加强政府网站管理"], "task": ("2", "提升网站检索功能"),
         "requirement": None, "lead": [], "responsible": ["区智慧岛公司", "区政务办"], "deadline": (None, None),
         "inferred": ["roles_from_phrase"]},
        {"id": "1.2.1", "path": ["强化公开平台建设", "用好政务新媒体"], "task": None,
         "requirement": "推进政务新媒体矩阵建设，统筹各部门政务新媒体的开设和整合，做到应开尽开、应合尽合，"
                        "形成发布合力。",
         "lead": ["区党群工作部"], "responsible": ["区直各单位"], "deadline": (None, None), "inferred": []},
    ],
}
LAYOUTS = {"parenthesis": PARENTHESIS, "labels": LABELS, "sub-items": SUB_ITEMS}


def convert_paragraphs(paragraphs: list[str]):
    source = Source(name="notice.html", format="html", sha256="0" * 64)
    return normalize(Extracted(format="html", paragraphs=paragraphs), source, load())


def row_view(row) -> dict:
    view = {"id": row.id, "path": [p.title for p in row.path],
            "task": (row.task.no, row.task.title) if row.task else None, "requirement": row.requirement,
            "lead": row.lead, "responsible": row.responsible,
            "deadline": (row.deadline.text, row.deadline.date), "inferred": row.inferred}
    view |= {flag: True for flag in ("lead_open", "responsible_open") if getattr(row, flag)}
    return view


@pytest.mark.parametrize("layout", LAYOUTS)
def test_prose_layout_gives_rows(layout):
    document = convert_paragraphs(LAYOUTS[layout])
    assert [row_view(row) for row in document.rows] == EXPECTED[layout]
    for row in document.rows:
        assert row.section is not None and row.section.title == row.path[0].title
        paragraph = LAYOUTS[layout][row.source.paragraph]
        assert row.requirement is None or row.requirement in paragraph.replace("\n", "")


@pytest.mark.parametrize("layout", LAYOUTS)
def test_prose_notice_keeps_metadata_and_body(layout):
    document = convert_paragraphs(LAYOUTS[layout])
    notice = document.notice
    assert (notice.doc_number, notice.issuer, notice.date) == ("岚综管办〔2023〕12号", "平潭综合实验区管委会办公室",
                                                              "2023-03-30")
    assert notice.recipients == ["各相关单位"]
    rows_paragraphs = {row.source.paragraph for row in document.rows}
    # Every paragraph reaches the output: as a row, a heading of a row, a label line, or the body.
    for i, text in enumerate(LAYOUTS[layout][len(FRONT):], start=len(FRONT)):
        if i in rows_paragraphs or text in BACK_MATTER:
            continue
        in_rows = any(heading_of(text).numbered in row.path for row in document.rows)
        assert text in notice.body or in_rows or "单位：" in text or "时限：" in text, text
    assert document.warnings[0].code == "prose-rows"
    assert document.table.columns == []
    json.loads(document.model_dump_json())


def test_preamble_and_measures_without_roles_stay_body():
    notice = convert_paragraphs(PARENTHESIS).notice
    assert "到2025年，对一批重点管控新污染物开展专项治理。" in notice.body
    assert "（一）加强组织领导。各相关单位要指定一名分管领导负责新污染物治理工作（试行）。" in notice.body
    assert "二、重点任务" not in notice.body  # a heading of rows is their path
    assert "一、总体要求" in notice.body


def test_prose_without_roles_is_still_no_table():
    with pytest.raises(NoTable):
        convert_paragraphs([*FRONT, "一、总体要求", "做好政务公开工作。（试行）", *BACK_MATTER])


def test_a_deadline_in_the_phrase_is_the_rows_deadline():
    document = convert_paragraphs([*FRONT, "现将有关事项通知如下。", *BACK_MATTER, "一、加强政策解读",
                                   "1.开展政策解读。围绕重点政策及时解读。（区政务办牵头，区发改局配合，6月底前完成）"])
    row = document.rows[0]
    assert (row.lead, row.responsible) == (["区政务办"], ["区发改局"])
    assert (row.deadline.text, row.deadline.date, row.deadline.kind) == ("6月底前完成", "2023-06-30", "by")
    assert row.inferred == ["roles_from_phrase", "deadline_year"]


def test_prose_notice_gets_every_output(tmp_path):
    """tasks.xlsx, the letters and batch take rows read from prose as they take a table's."""
    page = tmp_path / "notice.html"
    page.write_text("<html><head><meta charset='utf-8'><title>x</title></head><body><div class='article'>"
                    + "".join(f"<p>{html.escape(p)}</p>" for p in PARENTHESIS) + "</div></body></html>",
                    encoding="utf-8")
    result = run_cli("convert", page, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "out" / "notice"
    book = openpyxl.load_workbook(folder / "tasks.xlsx")
    tasks = [row for row in book["任务清单"].iter_rows(min_row=2, values_only=True)]
    assert [row[0] for row in tasks] == ["2.1.1", "2.1.2", "2.2.1", "2.2.2"]
    assert tasks[0][2:6] == ("落实环境信息调查", "2023年底前完成首轮重点化学物质基本信息调查。", "区资源生态局",
                             "各片区管理局")
    assert "没有任务分解表" in book["原表"]["A1"].value
    letters = sorted(p.name for p in (folder / "letters").glob("*.docx"))
    assert len(letters) == len({u for row in EXPECTED["parenthesis"] for u in row["lead"] + row["responsible"]})
    result = run_cli("batch", page, "--out", tmp_path / "batch", "--only", "json", "--quiet", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    with (tmp_path / "batch" / "rows.csv").open(encoding="utf-8-sig") as file:
        rows = list(csv.DictReader(file))
    assert [(r["id"], r["source_table"], r["source_paragraph"]) for r in rows][:2] == [("2.1.1", "", "11"),
                                                                                          ("2.1.2", "", "12")]


PHRASES = {
    # The notice says once, in the first parenthesis, that the first unit of each list leads.
    "first unit leads": (["（一）加大稳岗支持力度。对参保企业返还失业保险费。"
                          "（人社部、财政部负责。列第一位者为牵头单位，下同）",
                          "（二）支持小微企业。引导金融资源支持创业就业。（财政部、人民银行、银保监会负责）"],
                         [(["人社部"], ["财政部"], ["roles_from_phrase", "lead_by_order"]),
                          (["财政部"], ["人民银行", "银保监会"], ["roles_from_phrase", "lead_by_order"])]),
    "会同 and 等有关部门": (["（一）完善督查激励。加大激励支持力度。（国家发展改革委会同有关部门负责）",
                          "（二）做好见习补贴。适当提高补贴标准。（财政部、教育部等有关部门和单位负责）"],
                         [(["国家发展改革委"], ["有关部门"], ["roles_from_phrase"]),
                          (["财政部", "教育部", "有关部门和单位"], [], ["roles_from_phrase"])]),
    "a label of no role": (["（一）开展试点。在自贸试验区试点。（负责部门：商务部，适用范围：福建自贸试验区）"],
                           [(["商务部"], [], [])]),
}


@pytest.mark.parametrize("items, want", PHRASES.values(), ids=PHRASES.keys())
def test_phrases_of_roles_in_items(items, want):
    document = convert_paragraphs([*FRONT, "现将有关事项通知如下。", *BACK_MATTER, "一、重点任务", *items])
    assert [(row.lead, row.responsible, row.inferred) for row in document.rows] == want
