"""What a ledger holds, for the writer and the collector alike: its columns, statuses and each unit's rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from fenjie import data
from fenjie.model import Document, Row
from fenjie.render.text import joined_units

FOLDER = "ledgers"
IDENTITY_KIND = "fenjie-ledger/1"  # the first cell of the hidden sheet: what kind of file this is
Role = Literal["lead", "responsible"]
STATUSES = ("not_started", "in_progress", "done", "ongoing")
SETTLED = ("done", "ongoing")  # statuses that are never overdue
GIVEN = ("id", "section", "task", "requirement", "role", "other_leads", "deadline", "date")
FILL = ("progress", "status", "done", "issues", "next_steps", "person", "phone")


@dataclass(frozen=True)
class Sheets:
    ledger: str
    identity: str  # the hidden sheet that names the notice, the unit and the rows


@dataclass(frozen=True)
class Validation:
    status_title: str
    status_prompt: str
    date_title: str
    date_prompt: str
    date_error: str


@dataclass(frozen=True)
class Printing:
    header: str  # {unit}, {subject}


@dataclass(frozen=True)
class ProgressWords:
    """The words of progress.xlsx (`fenjie collect`)."""

    by_task: str
    by_unit: str
    details: str
    by_section: str
    problems: str
    chart: str
    no_section: str
    unfilled: str
    overdue: str
    returned: str
    not_returned: str
    last_update: str
    unit: str
    lead_status: str
    responsible_status: str
    overall: str
    total: str
    yes: str
    code: str
    message: str
    file: str
    row: str


@dataclass(frozen=True)
class LedgerWords:
    """fenjie/data/ledger.toml."""

    sheets: Sheets
    given: dict[str, str]  # column key -> header, of the columns fenjie fills (GIVEN)
    fill: dict[str, str]  # column key -> header, of the columns the unit fills (FILL)
    roles: dict[str, str]  # lead, responsible -> the word in the role column
    status: dict[str, str]  # status key -> the word in the list (STATUSES)
    validation: Validation
    print: Printing
    progress: ProgressWords
    problems: dict[str, str]  # problem code -> its message, with {row}, {unit}, {file}, {column}, {value}


def words() -> LedgerWords:
    return data.words("ledger.toml", LedgerWords)


def headers() -> list[str]:
    """The ledger's column headers, given columns first."""
    return [words().given[key] for key in GIVEN] + [words().fill[key] for key in FILL]


def status_key(label: str) -> str | None:
    """The status a label of the list means, or None."""
    return next((key for key, word in words().status.items() if word == label), None)


@dataclass(frozen=True)
class LedgerRow:
    row: Row
    role: Role


def ledgers_of(document: Document) -> dict[str, list[LedgerRow]]:
    """Each unit's rows in table order, units in the order they first appear; with a unit directory a member
    also gets its groups' rows (as the letters do). A row the unit leads is its 牵头 row."""
    order = {row.id: n for n, row in enumerate(document.rows)}
    ledgers = {}
    for assignment in document.assignments():
        roles: dict[str, LedgerRow] = {row.id: LedgerRow(row, "responsible") for row, _ in assignment.responsible}
        roles.update({row.id: LedgerRow(row, "lead") for row, _ in assignment.lead})
        ledgers[assignment.unit.name] = sorted(roles.values(), key=lambda entry: order[entry.row.id])
    return ledgers


def given_values(entry: LedgerRow, unit: str) -> dict[str, Any]:
    """The locked cells of one ledger row, by column key: what the notice says of the row."""
    row = entry.row
    other_leads = [name for name in row.lead if name != unit]
    return {
        "id": row.id,
        "section": row.section.title if row.section else None,
        "task": row.task.title if row.task else None,
        "requirement": row.requirement,
        "role": words().roles[entry.role],
        "other_leads": joined_units(other_leads, row.lead_open and bool(other_leads)),
        "deadline": row.deadline.text,
        "date": date.fromisoformat(row.deadline.date) if row.deadline.date else None,
    }
