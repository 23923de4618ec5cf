"""Headings of any depth (contract 1.1 `path`): 一、 / （一） / 1. / （1） / ① as full-width rows, as merged
section or task columns and as numbered paragraphs inside one task cell. Each layout is built in code (Word and
its text export) and checked against a hand-written truth. Places and units are invented (某某区)."""

from __future__ import annotations

import pytest
from conftest import compare
from test_layouts import UP, convert_notice, full_width


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
