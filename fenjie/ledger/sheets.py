"""The table layout the ledgers and the progress report share: bordered cells, rows tall enough, A4 landscape."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date
from math import ceil
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

LINE_HEIGHT = 16  # points per line of 11 pt text (CJK lines are taller than Latin ones)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_LINE = Side(style="thin", color="808080")
_GRID = Border(left=_LINE, right=_LINE, top=_LINE, bottom=_LINE)
_WRAP = Alignment(vertical="center", wrap_text=True)
_HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
_BOLD = Font(bold=True)


def header_cells(ws: Worksheet, headers: Sequence[str], fills: Sequence[PatternFill] | None = None) -> None:
    for c, header in enumerate(headers, 1):
        cell = ws.cell(1, c, header)
        cell.font, cell.border, cell.alignment = _BOLD, _GRID, _HEADER_ALIGN
        cell.fill = fills[c - 1] if fills else HEADER_FILL


def body_cell(ws: Worksheet, r: int, c: int, value: Any, fill: PatternFill | None = None) -> Cell:
    """A bordered, wrapping cell; text stays text (never a formula), dates show as yyyy-mm-dd."""
    cell = ws.cell(r, c, ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value)
    if cell.data_type == "f":  # text that starts with = is text, never a formula
        cell.data_type = "s"
    cell.border, cell.alignment = _GRID, _WRAP
    if isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    if fill is not None:
        cell.fill = fill
    return cell


def fit_row(ws: Worksheet, r: int, values: Sequence[Any], widths: Sequence[int], min_lines: int = 1) -> None:
    """Row R as tall as its longest wrapped cell: Excel and LibreOffice do not grow rows openpyxl writes."""
    lines = max((_lines(str(v), w) for v, w in zip(values, widths, strict=False) if v is not None and v != ""),
                default=1)
    ws.row_dimensions[r].height = max(lines, min_lines) * LINE_HEIGHT


def set_widths(ws: Worksheet, widths: Sequence[int]) -> None:
    for c, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = width


def for_printing(ws: Worksheet, columns: int, rows: int, page_header: str | None = None) -> None:
    """Frozen and filtered header, printed on every page; A4 landscape, one page wide; page numbers."""
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(columns)}{max(rows, 1) + 1}"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation, ws.page_setup.paperSize = ws.ORIENTATION_LANDSCAPE, ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    if page_header:
        ws.oddHeader.center.text = page_header.replace("&", "&&")
    ws.oddFooter.center.text = "&P / &N"


def _lines(text: str, width: int) -> int:
    """Wrapped lines of TEXT in a column WIDTH characters wide (a CJK character takes two)."""
    room = max(width - 1, 1)
    return sum(max(1, ceil(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line) / room))
               for line in text.split("\n"))
