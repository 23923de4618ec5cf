"""The title under an issuer line keeps its 关 (issue 9 §8): the issuer's name on one line, 关于…的通知 on the next."""

from __future__ import annotations

import pytest

from fenjie.normalize.notice import notice_of
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
