"""Deadline cells (完成时限) -> `Deadline`: the text as written, the date it means, and its kind.

Dates read (full-width digits and Chinese numerals like 十二月 work too):

* 2024年6月30日, 2024.6.30, 2024-06-30, 2024/6/30 and 9月30日: that day;
* a month, bare or with 底/末/下旬 (12月底前, 9月): its last day; 上旬: the 10th; 中旬: the 20th;
  月中: the 15th; 月初: the 5th (the start of a month is narrower than its first ten days);
* 一季度/第三季度/三季度末: the quarter's last day; 上半年: June 30; 下半年: December 31;
* 年底/年末/年内/全年 and a bare year (2025年): December 31;
* 次年/明年 count from the year before them, 今年/本年 is that year.

A range or a multi-step deadline means its latest date (9月至12月, 6月底前启动，12月底前完成).

Years: a year written in the text carries on to later dates without one (2025年3月底前启动，6月底前
完成 -> 2025-06-30), and dates with a written year outrank those without. Only when the chosen date
has no written year is the notice year used; `needs_year` tells the caller so, to mark the year as
inferred. Without a notice year such a date is not known: date None, kind "unknown".

Kinds: "by" when a date is known; else "recurring" when a clause has a word of `rules.recurring`
(每月, 每年…) — its dates are the schedule, not a deadline (每年12月底前); else "ongoing" for a word of
`rules.ongoing` (长期坚持); else "unknown". A date outranks an ongoing word (12月底前完成，长期坚持).
立即/即时 name no date and are left "unknown", so that the caller warns and a person decides.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from fenjie.model import Deadline
from fenjie.normalize.numbering import han_number
from fenjie.rules import Rules, load
from fenjie.text import squash

# Chinese numerals are turned into digits only where they count months, days or quarters, and only
# four of them (二〇二四) where they name a year: 三年内 is a span, not the year 3.
_CN_NUMBER = re.compile(r"[〇零一二两三四五六七八九十]+(?=月|日|号|季度)")
_CN_YEAR = re.compile(r"[〇零一二三四五六七八九]{4}(?=年)")
_CLAUSE_END = re.compile(r"[,;。\n]")  # after NFKC, ，and ；are , and ;
_RELATIVE_YEARS = {"今": 0, "本": 0, "次": 1, "明": 1}
_POINT = re.compile(
    r"(?<!\d)(?P<ny>\d{4})[./-](?P<nm>\d{1,2})(?!\d)(?:[./-](?P<nd>\d{1,2})(?!\d))?"
    r"|(?<!\d)(?:(?P<y>\d{4}|[今本次明])年)?"
    r"(?:(?P<m>\d{1,2})月份?(?:(?P<d>\d{1,2})[日号]|(?P<part>上旬|中旬|下旬|底|末|初|中))?"
    r"|第?(?P<q>[1-4])季度|(?P<half>[上下])半年)"
    r"|(?<!\d)(?P<ye>\d{4}|[今本次明])年"
    r"|(?<![\d一二两三四五六七八九十])(?:年底|年末|年内|全年)"
)
_PART_DAYS = {"上旬": 10, "中旬": 20, "初": 5, "中": 15}  # 底, 末, 下旬: the month's last day
_START = "起"  # 2024年10月起: a start, not a deadline


@dataclass(frozen=True)
class _Point:
    year: int | None  # written in the text, or carried from an earlier written year
    offset: int  # years after the notice year, when `year` is None (次年 -> 1)
    month: int
    day: int | None  # None: the month's last day


@dataclass(frozen=True)
class _Reading:
    point: _Point | None  # the latest date meant, if any
    ongoing: bool
    recurring: bool


def parse_deadline(text: str | None, year: int | None, rules: Rules | None = None) -> Deadline:
    """The deadline written in `text`, dated with the notice `year` where the text has none.

    `rules` defaults to the shipped rules; it only supplies the ongoing and recurring words.
    """
    text = (text or "").strip() or None
    if text is None:
        return Deadline()
    reading = _read(text, rules or load())
    if reading.point is not None:
        when = _date(reading.point, year)
        return Deadline(text=text, date=when, kind="by" if when else "unknown")
    if reading.recurring:
        return Deadline(text=text, kind="recurring")
    if reading.ongoing:
        return Deadline(text=text, kind="ongoing")
    return Deadline(text=text)


MAX_DEADLINE = 40  # characters; a longer cell with a date in it is a requirement, not a deadline


def looks_like_deadline(text: str, rules: Rules | None = None) -> bool:
    """Whether TEXT reads as a deadline (a date, ongoing or recurring words) and is short enough to be one."""
    text = squash(text or "")
    return 0 < len(text) <= MAX_DEADLINE and parse_deadline(text, 2000, rules).kind != "unknown"


def needs_year(text: str | None, rules: Rules | None = None) -> bool:
    """Whether the date of `text` takes its year from the notice (12月底前: yes; 2025年3月: no)."""
    point = _read(text or "", rules or load()).point
    return point is not None and point.year is None


@lru_cache(maxsize=4096)  # deadline cells repeat down a table: 12月底前, 12月底前, …
def _read(text: str, rules: Rules) -> _Reading:
    clauses = _clauses(text)
    repeating = [any(w in c for w in rules.recurring) for c in clauses]
    # 全年持续推进, 2025年持续推进: in a clause of ongoing work, a whole year is the span of the work, no deadline.
    clauses = [_without_spans(c, rules) if any(w in c for w in rules.ongoing) else c for c in clauses]
    points = _points(c for c, repeats in zip(clauses, repeating, strict=True) if not repeats)
    # A date with a written year outranks dates whose year is only implied.
    written = [p for p in points if p.year is not None]
    return _Reading(
        point=max(written or points, key=_order, default=None),
        ongoing=any(w in c for c in clauses for w in rules.ongoing),
        recurring=any(repeating),
    )


def _clauses(text: str) -> list[str]:
    """The clauses of `text`: white space removed, full-width forms folded, numerals as digits."""
    folded = unicodedata.normalize("NFKC", text)  # １２ -> 12, ，-> ,
    return [_digits(squash(clause)) for clause in _CLAUSE_END.split(folded)]


def _digits(clause: str) -> str:
    clause = _CN_YEAR.sub(lambda m: str(han_number(m[0])), clause)
    return _CN_NUMBER.sub(lambda m: str(han_number(m[0])), clause)


def _without_spans(clause: str, rules: Rules) -> str:
    """The clause without the words of `rules.spans` (全年, 年内) and bare years (2025年 not followed by a month)."""
    for word in rules.spans:
        clause = clause.replace(word, "")
    return _BARE_YEAR.sub("", clause)


_BARE_YEAR = re.compile(r"(?<!\d)(?:\d{4}|[今本次明])年(?![\d上下第]|度?底|度?末)")


def _points(clauses) -> list[_Point]:
    """The dates of the clauses in order, each written year carried on to later dates."""
    points: list[_Point] = []
    written: int | None = None
    for clause in clauses:
        for match in _POINT.finditer(clause):
            if clause.startswith(_START, match.end()):
                continue
            token, month, day = _fields(match)
            if not 1 <= month <= 12:
                continue
            if token is not None and token.isdigit():
                written = int(token)
            offset = _RELATIVE_YEARS.get(token, 0)
            if written is None:
                points.append(_Point(None, offset, month, day))
            else:
                points.append(_Point(written + offset, 0, month, day))
    return points


def _fields(match: re.Match) -> tuple[str | None, int, int | None]:
    """Year as written (digits or a relative word), month, and day (None: the month's last)."""
    if match["ny"]:
        return match["ny"], int(match["nm"]), int(match["nd"]) if match["nd"] else None
    if match["m"]:
        day = int(match["d"]) if match["d"] else _PART_DAYS.get(match["part"])
        return match["y"], int(match["m"]), day
    if match["q"]:
        return match["y"], int(match["q"]) * 3, None
    if match["half"]:
        return match["y"], 6 if match["half"] == "上" else 12, None
    return match["ye"], 12, None


def _order(point: _Point) -> tuple[int, int, int, int]:
    return (point.year or 0, point.offset, point.month, point.day or 32)


def _date(point: _Point, notice_year: int | None) -> str | None:
    year = point.year
    if year is None and notice_year is not None:
        year = notice_year + point.offset
    if year is None:
        return None
    day = point.day or calendar.monthrange(year, point.month)[1]
    try:
        return date(year, point.month, day).isoformat()
    except ValueError:  # 2月30日, or 2月29日 outside a leap year
        return None
