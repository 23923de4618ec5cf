"""Chinese official-document numbering: 一、 （一） 1. 1.1 （1） 1） ① 第一项, split off a heading's title.

A heading's *style* is its numbering form; official documents nest them in the order above (GB/T 9704:
一、 then （一） then 1. then （1）), but a table may skip or reorder levels, so a caller decides depth by
the order in which styles appear, not by this list. A title never keeps its number.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from fenjie.model import Numbered
from fenjie.text import one_spaced, squash

HAN_DIGITS = "一二三四五六七八九十百零〇两"
HAN_DIGIT_VALUES = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
                    "六": 6, "七": 7, "八": 8, "九": 9}
_DIGITS = "0-9０-９"
# A number followed by one of these is a quantity, not numbering: 1.5亿元, 2.3万户.
_QUANTITY = "亿万千百十元角个%％倍米吨亩户人次家件台辆座公里年月日天周季A-Za-z"
# Longest forms first: （一） before 一、 cannot clash, but 1.1 must be tried before 1.
STYLES: tuple[tuple[str, re.Pattern[str]], ...] = tuple((name, re.compile(pattern, re.S)) for name, pattern in (
    ("（一）", rf"^\s*[（(]\s*([{HAN_DIGITS}]+)\s*[）)]\s*[、.．]?\s*(.*)$"),
    ("一、", rf"^\s*([{HAN_DIGITS}]+)\s*[、.．]\s*(.*)$"),
    ("第一项", rf"^\s*第([{HAN_DIGITS}]+)项\s*(.*)$"),
    ("1.1", rf"^\s*([{_DIGITS}]{{1,2}}(?:[.．][{_DIGITS}]{{1,2}})+)(?![{_DIGITS}{_QUANTITY}])\s*[、.．]?\s*(.*)$"),
    # 1.5亿 is a quantity, but 1.2017年10月底前… and 3.5G… are items 1 and 3
    ("1.", rf"^\s*([{_DIGITS}]{{1,3}})\s*[.．、](?!(?![{_DIGITS}]{{4}}年|[{_DIGITS}]+[A-Za-z])[{_DIGITS}])\s*(.*)$"),
    ("（1）", rf"^\s*[（(]\s*([{_DIGITS}]{{1,3}})\s*[）)]\s*[、.．]?\s*(.*)$"),
    ("1）", rf"^\s*([{_DIGITS}]{{1,3}})\s*[）)]\s*(.*)$"),
    ("①", r"^\s*([\u2460-\u2473\u3251-\u325f\u32b1-\u32bf])\s*[、.．]?\s*(.*)$"),
))
SECTION_STYLES = ("一、",)  # a lone level numbered like this is a section; any other numbering names a task
_CONTINUED = re.compile(r"\s*[（(]\s*续(?:表|上)?\s*[）)]\s*$")  # 一、…（续）: a heading repeated on a new page
LINE_BREAK = re.compile(r"\s*\n\s*")


@dataclass(frozen=True)
class Heading:
    style: str | None  # one of STYLES' names; None for a heading without numbering
    numbered: Numbered


def _clean(title: str) -> str:
    """One line: a title wrapped over lines in a narrow cell joins without a space; （续） goes."""
    return _CONTINUED.sub("", one_spaced(LINE_BREAK.sub("", title)))


def _no(style: str, written: str) -> str:
    if style == "①":
        return str(int(unicodedata.numeric(written)))
    return squash(unicodedata.normalize("NFKC", written)).replace("．", ".")


def heading_of(text: str) -> Heading | None:
    """The numbering style, number and title of TEXT; None for an empty text."""
    if not text.strip():
        return None
    for style, pattern in STYLES:
        match = pattern.match(text)
        if match and match.group(2).strip():
            no = _no(style, match.group(1))
            if style == "1.1":  # 1.1 and 1.1.1 are two levels
                style = "1" + ".1" * no.count(".")
            return Heading(style, Numbered(no=no, title=_clean(match.group(2))))
    return Heading(None, Numbered(no=None, title=_clean(text)))


def headings_in(text: str) -> list[Heading]:
    """The headings of one cell, outermost first: "（一）…⏎1.…" holds two levels.

    A line opens a new heading only when the cell starts with numbering and the line is numbered in a style
    the cell has not used yet; any other line continues the title above it (a title wrapped in a narrow cell).
    """
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return []
    first = heading_of(lines[0])
    if first.style is None:
        return [heading_of(text)]
    chunks: list[list[str]] = [[lines[0]]]
    styles = {first.style}
    for line in lines[1:]:
        heading = heading_of(line)
        if heading.style is not None and heading.style not in styles:
            styles.add(heading.style)
            chunks.append([line])
        else:
            chunks[-1].append(line)
    return [heading_of("\n".join(chunk)) for chunk in chunks]


def section_of(text: str) -> Numbered | None:
    heading = heading_of(text)
    return heading.numbered if heading else None


def task_of(text: str, seq: str | None = None) -> Numbered | None:
    """A task cell as {no, title}; a 序号 cell numbers the task when the title has no numbering."""
    heading = heading_of(text)
    if heading is None:
        return None
    if heading.style is None and seq and seq.strip():
        return Numbered(no=_clean(seq), title=heading.numbered.title)
    return heading.numbered


def without_numbering(text: str) -> str:
    """The text with a leading number (一、 （一） 1. （1） ①) removed."""
    for _, pattern in STYLES:
        match = pattern.match(text)
        if match and match.group(2).strip():
            return match.group(2)
    return text


def han_number(numeral: str) -> int:
    """一 -> 1, 十二 -> 12, 三十一 -> 31, 二〇二四 -> 2024 (a year is written digit by digit), 12 -> 12.
    Raises KeyError for a character that is no numeral."""
    if numeral.isdigit():
        return int(numeral)
    if "十" not in numeral:
        return int("".join(str(HAN_DIGIT_VALUES[c]) for c in numeral))
    tens, _, ones = numeral.partition("十")
    return (han_number(tens) if tens else 1) * 10 + (han_number(ones) if ones else 0)
