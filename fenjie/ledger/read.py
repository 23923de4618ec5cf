"""Reading a ledger a unit sent back, as Excel, WPS or LibreOffice saved it (.xlsx; .xls, .et, .ods by LibreOffice)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fenjie.errors import UnsupportedFormat
from fenjie.extract.office import convert_with_office
from fenjie.extract.xlsx import load_workbook, text_of
from fenjie.ledger.layout import FILL, GIVEN, IDENTITY_KIND, words
from fenjie.pipeline import detect, read_input
from fenjie.text import squash

WORKBOOKS = (".xlsx", ".xls", ".et", ".ods")  # the files of a folder that collect reads
HEADER_ROWS = 10  # a unit may put a title above the header row
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_EXCEL_DAYS = range(36526, 73051)  # serial numbers of 2000-01-01 .. 2099-12-31: a date that lost its format


@dataclass(frozen=True)
class Identity:
    """What the hidden sheet says: the notice's SHA-256, the unit, the row ids it was given."""

    notice_sha256: str
    unit: str
    rows: tuple[str, ...]


@dataclass
class Returned:
    """One returned ledger: who it says it is, when it was saved, and its rows as column key -> cell value."""

    file: str
    identity: Identity | None
    modified: datetime | None
    has_header: bool
    rows: list[dict[str, Any]] = field(default_factory=list)


def read_returned(path: Path) -> Returned:
    name = str(path)
    data = read_input(path, name)
    fmt = detect(data, name)
    if fmt != "xlsx":
        if fmt not in ("xls", "et", "ods"):
            raise UnsupportedFormat(f"a ledger is a workbook (.xlsx, .xls, .et, .ods), not {fmt}", name)
        data = convert_with_office(data, fmt, "xlsx", name)
    workbook = load_workbook(data, name)
    identity = identity_of(workbook)
    modified = workbook.properties.modified
    for sheet in workbook.worksheets:
        columns, header_row = _columns(sheet)
        if columns is not None:
            return Returned(name, identity, modified, True, _rows(sheet, columns, header_row))
    return Returned(name, identity, modified, False)


def identity_of(workbook) -> Identity | None:
    sheet_name = words().sheets.identity
    if sheet_name not in workbook.sheetnames:
        return None
    values = [text_of(row[0]) for row in workbook[sheet_name].iter_rows(max_col=1, values_only=True)]
    if len(values) < 3 or values[0] != IDENTITY_KIND:
        return None
    return Identity(values[1], values[2], tuple(v for v in values[3:] if v))


def _columns(sheet) -> tuple[dict[str, int] | None, int]:
    """Column key -> column index, found by header text in the first rows (units move and insert columns)."""
    by_header = {squash(header): key for key, header in
                 [*words().given.items(), *words().fill.items()] if key in GIVEN + FILL}
    for r, values in enumerate(sheet.iter_rows(max_row=HEADER_ROWS, values_only=True), 1):
        columns = {by_header[h]: c for c, h in enumerate(map(squash, map(text_of, values))) if h in by_header}
        if "id" in columns:
            return columns, r
    return None, 0


def _rows(sheet, columns: dict[str, int], header_row: int) -> list[dict[str, Any]]:
    rows = []
    for values in sheet.iter_rows(min_row=header_row + 1, values_only=True):
        row = {key: values[c] if c < len(values) else None for key, c in columns.items()}
        if text_of(row["id"]):
            rows.append(row)
    return rows


def cell_text(value: Any) -> str | None:
    """A cell as text, None when empty."""
    return text_of(value) or None


def cell_date(value: Any) -> date | None:
    """A cell meant as a date: a date cell, a date written as text, or a serial number that lost its format.
    Raises ValueError for anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and int(value) in _EXCEL_DAYS:
        from openpyxl.utils.datetime import from_excel

        return from_excel(value).date()
    match = _DATE.match(str(value).strip())
    if not match:
        raise ValueError(value)
    return date(*map(int, match.groups()))

