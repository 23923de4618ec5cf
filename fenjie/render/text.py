"""Model values written out for people, shared by every writer so that they all read the same."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta, timezone

from fenjie import data
from fenjie.model import Numbered

# China Standard Time: the default zone of generation times and of a letter's day (--tz changes it).
CHINA = timezone(timedelta(hours=8), "CST")


@dataclass(frozen=True)
class UnitWords:
    separator: str  # between unit names
    open_mark: str  # at the end of an open list (the notice wrote 等)


@dataclass(frozen=True)
class Numbering:
    section: str
    task: str
    task_arabic: str


@dataclass(frozen=True)
class TextWords:
    """fenjie/data/text.toml."""

    units: UnitWords
    numbering: Numbering


def words() -> TextWords:
    return data.words("text.toml", TextWords)


def joined_units(names: Sequence[str], open_list: bool) -> str | None:
    """Unit names as one cell: 市财政局、市商务局, and 等 kept when the notice's list was open."""
    if not names:
        return None
    units = words().units
    return units.separator.join(names) + (units.open_mark if open_list else "")


def numbered(level: Numbered | None, kind: str) -> str | None:
    """A section or parent task written back with its number: 一、… or （一）…"""
    if level is None:
        return None
    if level.no is None:
        return level.title
    formats = words().numbering
    task = formats.task_arabic if level.no.isdigit() else formats.task
    return (formats.section if kind == "section" else task).format(no=level.no, title=level.title)
