"""Reader for Excel .xlsx: every worksheet becomes a grid, its merged ranges become spans.

The rows at the top of a sheet that hold a single text (附件1, the table's title) are paragraphs
before that sheet's grid, as they would be above a table in Word. Which grid is the task table
is the normalizer's choice (the first one with a recognizable header).
"""

from __future__ import annotations

import io
import warnings
from datetime import date, datetime, time

from fenjie.errors import Corrupt, FenjieError
from fenjie.extract.container import open_zip, refuse_unsafe_xml
from fenjie.extract.grid import Cell, Extracted, Grid, GridRow, refuse_oversized


def read_xlsx(data: bytes, name: str = "") -> Extracted:
    workbook = load_workbook(data, name)
    out = Extracted(format="xlsx")
    for sheet in workbook.worksheets:
        read_sheet(sheet, out, name)
    return out


def load_workbook(data: bytes, name: str):
    """The workbook, after every XML part was checked for DTDs; cached values instead of formulas."""
    import openpyxl

    refuse_unsafe_xml(open_zip(data, name), name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it drops
            return openpyxl.load_workbook(io.BytesIO(data), data_only=True, keep_links=False, rich_text=False)
    except FenjieError:
        raise
    except Exception as error:  # noqa: BLE001 - openpyxl raises many types on damaged parts; all mean corrupt
        raise Corrupt(f"not a readable .xlsx workbook ({type(error).__name__})", name) from None


def read_sheet(sheet, out: Extracted, name: str) -> None:
    # Only the cells the file defines: max_row x max_column can be a million rows of nothing.
    texts = {position: text_of(cell.value) for position, cell in sheet._cells.items()}
    texts = {position: text for position, text in texts.items() if text}
    merges = {(r.min_row, r.min_col): (r.max_row - r.min_row + 1, r.max_col - r.min_col + 1)
              for r in sheet.merged_cells.ranges}
    if not texts:
        return
    first_row = min(r for r, _ in texts)
    first_col = min(c for _, c in texts)
    ends = [(r + merges.get((r, c), (1, 1))[0] - 1, c + merges.get((r, c), (1, 1))[1] - 1) for r, c in texts]
    last_row, last_col = max(r for r, _ in ends), max(c for _, c in ends)
    refuse_oversized(last_row - first_row + 1, last_col - first_col + 1, f"sheet {sheet.title!r}", name)
    while first_row <= last_row and len([c for (r, c) in texts if r == first_row]) == 1:
        out.paragraphs.append(next(t for (r, _), t in texts.items() if r == first_row).strip())
        first_row += 1
    if first_row > last_row:
        return
    index = len(out.tables)
    rows = []
    for r in range(first_row, last_row + 1):
        cells = []
        for c in range(first_col, last_col + 1):
            if (r, c) not in texts and (r, c) not in merges:
                continue
            rowspan, colspan = merges.get((r, c), (1, 1))
            cells.append(Cell(texts.get((r, c), "").split("\n"), r - first_row, c - first_col, rowspan, colspan))
        rows.append(GridRow(cells, source=(index, r - 1)))
    out.tables.append(Grid(rows, last_col - first_col + 1, index, len(out.paragraphs)))


def text_of(value) -> str:
    """A cell value as the text a person sees: whole numbers without .0, dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.15g}"
    return str(value).replace("\r\n", "\n").replace("\r", "\n").replace("_x000D_", "").strip()
