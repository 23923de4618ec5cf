"""The title under an issuer line keeps its 关 (issue 9 §8): the issuer's name on one line, 关于…的通知 on the next."""

from __future__ import annotations

import pytest

from fenjie.normalize.notice import (
    Paragraphs,
    _attachments_at,
    _doc_number_at,
    _red_header_at,
    _table_title_at,
    notice_of,
)
from fenjie.rules import load

TITLE = "关于印发某某区2025年政务公开工作要点任务分解表的通知"


@pytest.mark.parametrize("paragraphs", [
    [f"某某区人民政府办公室\n{TITLE}", "各街道办事处："],  # one paragraph with a line break (<br>, w:br)
    [f"某某区人民政府办公室\n\n{TITLE}", "各街道办事处："],
    ["某某区人民政府办公室", TITLE, "各街道办事处："],  # two paragraphs
    [f"某某区人民政府办公室{TITLE}", "各街道办事处："],  # a web page's heading: issuer and title on one line
], ids=["line break", "blank line", "two paragraphs", "one line"])
def test_title_keeps_its_guan_under_the_issuer(paragraphs):
    notice = notice_of(paragraphs, len(paragraphs), load()).notice
    assert notice.title == TITLE
    assert notice.issuer == "某某区人民政府办公室"
    assert notice.recipients == ["各街道办事处"]


def test_notice_of_marks_the_parts_it_reads_and_the_finders_only_look():
    """Each part is taken out of the body once, by notice_of; asking a finder where a part is marks nothing."""
    paragraphs = ["某某区人民政府办公室文件", "某政办发〔2025〕3号", TITLE, "各街道办事处：", "现将要点印发给你们。",
                  "附件：1.任务分解表", "2.联系人名单", "某某区人民政府办公室", "2025年3月1日", "任务分解表"]
    parts = notice_of(paragraphs, len(paragraphs), load())
    notice = parts.notice
    assert (notice.issuer, notice.doc_number, notice.title, notice.date) == (
        "某某区人民政府办公室", "某政办发〔2025〕3号", TITLE, "2025-03-01")
    assert notice.attachments == ["任务分解表", "联系人名单"] and parts.table_title == "任务分解表"
    assert notice.body == ["现将要点印发给你们。"] and parts.body == [4]
    body = Paragraphs(paragraphs)
    assert _doc_number_at(body, range(2)) == (1, "某政办发〔2025〕3号", 2025)
    assert _red_header_at(body, range(2), load()) == (0, "某某区人民政府办公室")
    assert _attachments_at(body, 4, 9, None) == (["任务分解表", "联系人名单"], [5, 6])
    assert _table_title_at(body, 10) == 9
    assert body.used == set()
