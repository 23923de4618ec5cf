"""progress.json: what `fenjie collect` found in the ledgers units sent back. A public contract like notice.json."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

PROGRESS_SCHEMA_VERSION = "1.0"

Status = Literal["not_started", "in_progress", "done", "ongoing"]
ProblemCode = Literal["unreadable", "unmatched", "other-notice", "not-a-ledger", "unknown-row", "deleted-row",
                      "locked-changed", "bad-status", "bad-date", "duplicate-ledger", "not-returned",
                      "matched-by-name"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NoticeRef(_Model):
    sha256: str = Field(description="SHA-256 of the notice file the ledgers were made from.")
    doc_number: str | None = None
    title: str | None = None


class Entry(_Model):
    """One unit's report on one task row."""

    row: str = Field(description="Row id of notice.json.")
    unit: str
    role: Literal["lead", "responsible"]
    status: Status | None = Field(None, description="None: the unit did not fill it in (or sent nothing).")
    progress: str | None = Field(None, description="进展情况.")
    done_date: str | None = Field(None, description="完成日期, ISO 8601.")
    issues: str | None = Field(None, description="存在问题.")
    next_steps: str | None = Field(None, description="下步打算.")
    person: str | None = Field(None, description="责任人.")
    phone: str | None = Field(None, description="联系电话.")
    overdue: bool = Field(False, description="The deadline is before as_of and the row is neither done nor ongoing.")
    ledger: str | None = Field(None, description="The file this entry was read from.")


class Ledger(_Model):
    """A file given to collect."""

    file: str
    unit: str | None = Field(None, description="The unit it was matched to; None when it matched none.")
    matched_by: Literal["identity", "file-name"] | None = None
    modified: str | None = Field(None, description="When the workbook was last saved, ISO 8601.")
    used: bool = Field(False, description="False for a ledger that was refused or replaced by a newer one.")


class UnitProgress(_Model):
    name: str
    returned: bool
    counts: dict[str, int] = Field(description="Rows per status, and 'unfilled'.")
    overdue: int
    last_update: str | None = None


class Problem(_Model):
    code: ProblemCode
    message: str
    file: str | None = None
    unit: str | None = None
    row: str | None = None


class Progress(_Model):
    schema_version: str = PROGRESS_SCHEMA_VERSION
    notice: NoticeRef
    as_of: str = Field(description="The day overdue rows are counted at, ISO 8601.")
    ledgers: list[Ledger] = Field(default_factory=list)
    entries: list[Entry] = Field(default_factory=list)
    units: list[UnitProgress] = Field(default_factory=list)
    problems: list[Problem] = Field(default_factory=list)
