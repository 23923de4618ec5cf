"""Chinese official-document numbering: 一、 opens a section, （一） / 1. names a task."""

from __future__ import annotations

import re

from fenjie.model import Numbered

HAN_DIGITS = "一二三四五六七八九十百零〇"
HAN_DIGIT_VALUES = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
                    "六": 6, "七": 7, "八": 8, "九": 9}
SECTION = re.compile(rf"^\s*([{HAN_DIGITS}]+)\s*[、.．]\s*(.*)$", re.S)
TASK = re.compile(
    rf"^\s*(?:[（(]\s*([{HAN_DIGITS}]+)\s*[）)]|([0-9０-９]{{1,3}})\s*[.．、](?![0-9０-９])|第([{HAN_DIGITS}]+)项)\s*(.*)$",
    re.S,
)


LINE_BREAK = re.compile(r"\s*\n\s*")


def _clean(title: str) -> str:
    """One line: a title wrapped over lines in a narrow cell joins without a space."""
    return " ".join(LINE_BREAK.sub("", title).split())


def section_of(text: str) -> Numbered | None:
    if not text.strip():
        return None
    match = SECTION.match(text)
    if match:
        return Numbered(no=match.group(1), title=_clean(match.group(2)))
    return Numbered(no=None, title=_clean(text))


def task_number(text: str) -> tuple[str, str] | None:
    """(no, title) when the text starts with task numbering, else None."""
    match = TASK.match(text)
    if not match:
        return None
    no = match.group(1) or match.group(2) or match.group(3)
    return no, _clean(match.group(4))


def task_of(text: str, seq: str | None = None) -> Numbered | None:
    """A task cell as {no, title}; a 序号 cell numbers the task when the title has no numbering."""
    if not text.strip():
        return None
    numbered = task_number(text)
    if numbered:
        return Numbered(no=numbered[0], title=numbered[1])
    return Numbered(no=_clean(seq) if seq and seq.strip() else None, title=_clean(text))


def without_numbering(text: str) -> str:
    """The text with a leading section or task number (一、 （一） 1.) removed."""
    numbered = task_number(text)
    if numbered:
        return numbered[1]
    match = SECTION.match(text)
    return match.group(2) if match else text


def han_number(numeral: str) -> int:
    """一 -> 1, 十二 -> 12, 三十一 -> 31, 二〇二四 -> 2024 (a year is written digit by digit), 12 -> 12.
    Raises KeyError for a character that is no numeral."""
    if numeral.isdigit():
        return int(numeral)
    if "十" not in numeral:
        return int("".join(str(HAN_DIGIT_VALUES[c]) for c in numeral))
    tens, _, ones = numeral.partition("十")
    return (han_number(tens) if tens else 1) * 10 + (han_number(ones) if ones else 0)
