"""Each writer's options, one frozen dataclass per writer (pandoc's WriterOptions, one per writer here).

A writer takes exactly its own: a misspelt or foreign option is a TypeError where the options are built,
never silently dropped. `fenjie.render.options_for` builds them from a run's settings. This module
imports no writer, so that building the options of `--only json` costs nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path


@dataclass(frozen=True)
class JsonOptions:
    """notice.json has no option: the contract is the same for every run."""


@dataclass(frozen=True)
class WorkbookOptions:
    """tasks.xlsx."""

    generated_at: datetime | None = None  # the only moving part of the file; default: now, in China


@dataclass(frozen=True)
class LetterOptions:
    """letters/: what the command line can change in a letter; every field has a sensible default."""

    template: str | Path | None = None  # a .docx template; default: fenjie/data/letter.docx
    date: date | None = None  # 成文日期; default: the day of generated_at
    kind: str = "通知"  # 文种 of the title: 通知 or 函
    cc: Sequence[str] = ()  # 抄送
    contact: str = ""  # 联系人 and 电话, as written
    report_by: date | None = None  # units report their progress by this day
    merge_identical: bool = False  # one letter for units whose tables are the same
    pdf: bool = False  # also print each letter to PDF, and all of them into letters.pdf
    generated_at: datetime | None = None  # the letters' creation time; default: now, in China


@dataclass(frozen=True)
class LedgerOptions:
    """ledgers/."""

    generated_at: datetime | None = None  # the files' only time; default: now, in the local zone
