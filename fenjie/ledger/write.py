"""The ledger writer: `ledgers/NN-<unit>.xlsx`, one workbook per unit, for the unit to fill in and send back.

The columns fenjie fills are locked (sheet protection without a password: it guards against slips,
not against the unit); the columns the unit fills are unlocked, with a list for the status and a date
check. A hidden sheet names the notice (its SHA-256), the unit and the row ids, so that `collect` can
tell whose ledger a returned file is, whatever it was renamed to.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from fenjie.ledger.layout import FILL, FOLDER, GIVEN, IDENTITY_KIND, LedgerRow, given_values, headers, ledgers_of, words
from fenjie.ledger.sheets import HEADER_FILL, body_cell, fit_row, for_printing, header_cells, set_widths
from fenjie.model import Document
from fenjie.render.atomic import atomic_path
from fenjie.render.excel import save_workbook
from fenjie.render.filenames import numbered_names
from fenjie.render.options import LedgerOptions

# Column widths in Excel's character units, by column key: A4 landscape at about two-thirds size.
WIDTHS = {"id": 7, "section": 12, "task": 16, "requirement": 34, "role": 5, "other_leads": 12, "deadline": 9,
          "date": 11, "progress": 30, "status": 9, "done": 11, "issues": 16, "next_steps": 16, "person": 8,
          "phone": 12}
FILL_LINES = 3  # room to write in, even beside a short requirement
_FILL_HEADER = PatternFill("solid", fgColor="FFF2CC")  # the columns to fill in stand out
_UNLOCKED = Protection(locked=False)


def write(document: Document, folder: Path, options: LedgerOptions | None = None) -> list[Path]:
    """Write FOLDER/ledgers/NN-<unit>.xlsx for every unit. The options' generated_at (default: now) is the files'
    only time."""
    options = options or LedgerOptions()
    generated_at = options.generated_at or datetime.now().astimezone().replace(microsecond=0)
    ledgers = ledgers_of(document)
    names = numbered_names(list(ledgers), ".xlsx")
    written = []
    for name, (unit, rows) in zip(names, ledgers.items(), strict=True):
        target = folder / FOLDER / name
        with atomic_path(target) as tmp:
            save_workbook(ledger_workbook(document, unit, rows), tmp, generated_at)
        written.append(target)
    return written


def ledger_workbook(document: Document, unit: str, rows: list[LedgerRow]) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = words().sheets.ledger
    write_ledger_sheet(sheet, document, unit, rows)
    write_identity(workbook.create_sheet(words().sheets.identity), document, unit, rows)
    return workbook


def write_ledger_sheet(ws: Worksheet, document: Document, unit: str, rows: list[LedgerRow]) -> None:
    keys = GIVEN + FILL
    widths = [WIDTHS[key] for key in keys]
    header_cells(ws, headers(), [HEADER_FILL] * len(GIVEN) + [_FILL_HEADER] * len(FILL))
    for r, entry in enumerate(rows, 2):
        given = given_values(entry, unit)
        for c, key in enumerate(keys, 1):
            cell = body_cell(ws, r, c, given.get(key))
            if key in FILL:
                cell.protection = _UNLOCKED
            if key in ("date", "done"):
                cell.number_format = "yyyy-mm-dd"
            else:
                cell.number_format = "@"  # a row id such as 1.10 must stay text, and so must what the unit types
        fit_row(ws, r, [given.get(key) for key in keys], widths, FILL_LINES)
    set_widths(ws, widths)
    _validate(ws, max(len(rows), 1) + 1)
    # Locked given columns; the unit may still resize, filter and sort what it fills in.
    ws.protection.sheet = True
    ws.protection.formatColumns = ws.protection.formatRows = ws.protection.autoFilter = ws.protection.sort = False
    for_printing(ws, len(keys), len(rows), words().print.header.format(unit=unit, subject=_subject(document)))
    ws.freeze_panes = "B2"


def _validate(ws: Worksheet, last: int) -> None:
    """A list for the status, a real date for the completion date."""
    text = words().validation
    status_column = get_column_letter(len(GIVEN) + FILL.index("status") + 1)
    date_column = get_column_letter(len(GIVEN) + FILL.index("done") + 1)
    statuses = ",".join(words().status.values())
    status = DataValidation(type="list", formula1=f'"{statuses}"', allow_blank=True, showErrorMessage=True,
                            showInputMessage=True, promptTitle=text.status_title, prompt=text.status_prompt,
                            errorTitle=text.status_title, error=text.status_prompt)
    status.add(f"{status_column}2:{status_column}{last}")
    done = DataValidation(type="date", operator="greaterThan", formula1="DATE(2000,1,1)", allow_blank=True,
                          showErrorMessage=True, showInputMessage=True, promptTitle=text.date_title,
                          prompt=text.date_prompt, errorTitle=text.date_title, error=text.date_error)
    done.add(f"{date_column}2:{date_column}{last}")
    ws.add_data_validation(status)
    ws.add_data_validation(done)


def write_identity(ws: Worksheet, document: Document, unit: str, rows: list[LedgerRow]) -> None:
    """The hidden sheet: kind, notice SHA-256, unit, then one row id per line."""
    for r, value in enumerate([IDENTITY_KIND, document.source.sha256, unit] + [e.row.id for e in rows], 1):
        ws.cell(r, 1, value).data_type = "s"
    ws.sheet_state = "hidden"
    ws.protection.sheet = True


def _subject(document: Document) -> str:
    return document.table.title or document.notice.title or ""
