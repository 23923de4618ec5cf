from __future__ import annotations

import dataclasses

import pytest

from fenjie.model import Deadline
from fenjie.normalize.deadlines import needs_year, parse_deadline
from fenjie.rules import load

CASES = [
    # Months: a bare month or 底/末/下旬 is its last day.
    ("12月底前", 2024, "2024-12-31", "by"),
    ("6月底前", 2024, "2024-06-30", "by"),
    ("9月", 2024, "2024-09-30", "by"),
    ("9月份完成", 2024, "2024-09-30", "by"),
    ("11月末", 2024, "2024-11-30", "by"),
    ("2月底前", 2024, "2024-02-29", "by"),
    ("2月底前", 2025, "2025-02-28", "by"),
    ("10月上旬", 2024, "2024-10-10", "by"),
    ("10月中旬", 2024, "2024-10-20", "by"),
    ("10月下旬", 2024, "2024-10-31", "by"),
    ("10月初", 2024, "2024-10-05", "by"),
    ("10月中", 2024, "2024-10-15", "by"),
    ("9月30日前", 2024, "2024-09-30", "by"),
    ("9月30号之前", 2024, "2024-09-30", "by"),
    # An explicit year wins over the notice year.
    ("2025年3月底前", 2024, "2025-03-31", "by"),
    ("2026年6月底前", 2025, "2026-06-30", "by"),
    ("2025年3月底前", None, "2025-03-31", "by"),
    # Numeric dates.
    ("2024.6.30", 2023, "2024-06-30", "by"),
    ("2024-06-30前", None, "2024-06-30", "by"),
    ("2024/6/30", None, "2024-06-30", "by"),
    ("2024年6月30日", None, "2024-06-30", "by"),
    # Years, halves and quarters.
    ("年底前", 2024, "2024-12-31", "by"),
    ("年内", 2024, "2024-12-31", "by"),
    ("全年", 2024, "2024-12-31", "by"),
    ("2025年底前", 2024, "2025-12-31", "by"),
    ("2025年", 2024, "2025-12-31", "by"),
    ("上半年", 2024, "2024-06-30", "by"),
    ("下半年", 2024, "2024-12-31", "by"),
    ("2025年上半年", 2024, "2025-06-30", "by"),
    ("一季度", 2024, "2024-03-31", "by"),
    ("一季度末", 2024, "2024-03-31", "by"),
    ("二季度", 2024, "2024-06-30", "by"),
    ("三季度末", 2024, "2024-09-30", "by"),
    ("第三季度", 2024, "2024-09-30", "by"),
    ("第四季度", 2024, "2024-12-31", "by"),
    # Ranges and steps end at their latest date.
    ("9月至12月", 2024, "2024-12-31", "by"),
    ("6月底前启动，12月底前完成", 2024, "2024-12-31", "by"),
    ("2024年10月—2025年6月", None, "2025-06-30", "by"),
    ("2024.10-2025.6", None, "2025-06-30", "by"),
    ("2025年3月底前启动；6月底前完成", 2024, "2025-06-30", "by"),
    ("12月底前启动，2025年3月完成", 2024, "2025-03-31", "by"),
    ("10月至次年3月", 2024, "2025-03-31", "by"),
    ("2024年10月至次年3月", None, "2025-03-31", "by"),
    ("2024年10月至次年3月，2025年12月底前总结", None, "2025-12-31", "by"),
    ("今年底前", 2024, "2024-12-31", "by"),
    # Chinese numerals, full-width digits and stray spaces.
    ("十二月底前", 2024, "2024-12-31", "by"),
    ("十月中旬", 2024, "2024-10-20", "by"),
    ("二〇二五年三月三十一日前", None, "2025-03-31", "by"),
    ("１２月底前", 2024, "2024-12-31", "by"),
    ("２０２５年６月", None, "2025-06-30", "by"),
    ("12 月\u3000底前", 2024, "2024-12-31", "by"),
    # A date outranks an ongoing word.
    ("12月底前完成，长期坚持", 2024, "2024-12-31", "by"),
    # Ongoing and recurring work has no date.
    ("长期坚持", 2024, None, "ongoing"),
    ("持续推进", 2024, None, "ongoing"),
    ("常态化开展", 2024, None, "ongoing"),
    ("持续开展", None, None, "ongoing"),
    # A whole year beside an ongoing word is how long the work goes on, not a deadline (issue 9 §8).
    ("全年持续推进", 2024, None, "ongoing"),
    ("全年持续开展", 2024, None, "ongoing"),
    ("全年常态化推进", 2024, None, "ongoing"),
    ("年内持续推进", 2024, None, "ongoing"),
    ("2024年全年持续推进", 2024, None, "ongoing"),
    ("2025年持续推进", 2024, None, "ongoing"),
    ("长期坚持，全年推进", 2024, "2024-12-31", "by"),  # 全年 in a clause of its own is still year end
    ("全年", 2024, "2024-12-31", "by"),
    ("2024年底前持续推进", 2024, "2024-12-31", "by"),
    ("2024年上半年持续推进", 2024, "2024-06-30", "by"),
    ("每月", 2024, None, "recurring"),
    ("每季度报送", 2024, None, "recurring"),
    ("按季度调度", 2024, None, "recurring"),
    ("每年12月底前报送", 2024, None, "recurring"),
    ("每半年", 2024, None, "recurring"),
    ("长期坚持，每季度调度", 2024, None, "recurring"),
    ("2024年10月起每月调度", 2024, None, "recurring"),
    # No date can be read.
    ("立即", 2024, None, "unknown"),
    ("即时办理", 2024, None, "unknown"),
    ("2025年起", 2024, None, "unknown"),
    ("三年内完成", 2024, None, "unknown"),
    ("2月30日前", 2024, None, "unknown"),
    ("2月29日前", 2025, None, "unknown"),
    ("12月底前", None, None, "unknown"),
    ("12月底前完成，长期坚持", None, None, "unknown"),
]


@pytest.mark.parametrize(("text", "year", "date", "kind"), CASES)
def test_parse_deadline(text, year, date, kind):
    assert parse_deadline(text, year) == Deadline(text=text.strip(), date=date, kind=kind)


@pytest.mark.parametrize("text", [None, "", "  \n\u3000"])
def test_empty_deadline(text):
    assert parse_deadline(text, 2024) == Deadline(text=None, date=None, kind="unknown")


def test_text_is_kept_stripped():
    assert parse_deadline("  12月底前\n", 2024) == Deadline(text="12月底前", date="2024-12-31", kind="by")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12月底前", True),
        ("10月至次年3月", True),
        ("2025年3月底前", False),
        ("2025年3月底前启动，6月底前完成", False),
        ("2024.6.30", False),
        ("长期坚持", False),
        ("每年12月底前", False),
        (None, False),
    ],
)
def test_needs_year(text, expected):
    assert needs_year(text) is expected


def test_words_come_from_the_rules():
    rules = dataclasses.replace(load(), ongoing=("滚动实施",), recurring=("隔月",))
    assert parse_deadline("滚动实施", 2024, rules).kind == "ongoing"
    assert parse_deadline("隔月报送", 2024, rules).kind == "recurring"
    assert parse_deadline("长期坚持", 2024, rules).kind == "unknown"
