"""The Excel writer: tasks.xlsx, the task table for people to filter, count and print.

Sheets: the task list (one row per task row), the table as the notice laid it out (merged
sections and parent tasks), one row per (unit, role, row) for pivot tables, a per-unit summary
with charts, and an about sheet with the source and every warning. Words come from
fenjie/data/xlsx.toml. Styles are named styles made once per workbook: a cell only points at one.
The sheets are StreamedSheets (render/xlsx_stream.py): their rows are made while the file is written,
so a notice of 20,000 rows costs seconds and no cell objects.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from math import ceil
from operator import getitem
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.worksheet import Worksheet

from fenjie import __version__, data
from fenjie.model import Assignment, Document, GridCell, Numbered, Row
from fenjie.render.atomic import atomic_path
from fenjie.render.options import WorkbookOptions
from fenjie.render.text import CHINA, joined_units
from fenjie.render.xlsx_stream import Block, Memo, SheetRow, StreamedSheet, save_workbook, streamed_sheet
from fenjie.text import squash

# Named styles, by name.
HEADER, TEXT, CENTER, DATE, SECTION = "fenjie-header", "fenjie-text", "fenjie-center", "fenjie-date", "fenjie-section"
TITLE = "fenjie-title"  # a table's title, merged across its columns, without borders

_LINE = Side(style="thin", color="808080")
_GRID = Border(left=_LINE, right=_LINE, top=_LINE, bottom=_LINE)
_BOLD = Font(bold=True)
_PLAIN = Font()
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_SECTION_FILL = PatternFill("solid", fgColor="F2F2F2")
_NO_FILL = PatternFill()
_WRAP_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_WRAP_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_STYLES = (  # name, font, fill, alignment, number format
    (HEADER, _BOLD, _HEADER_FILL, _WRAP_CENTER, "General"),
    (TEXT, _PLAIN, _NO_FILL, _WRAP_LEFT, "General"),
    (CENTER, _PLAIN, _NO_FILL, _WRAP_CENTER, "General"),
    (DATE, _PLAIN, _NO_FILL, _WRAP_CENTER, "yyyy-mm-dd"),
    (SECTION, _BOLD, _SECTION_FILL, _WRAP_LEFT, "General"),
    (TITLE, Font(bold=True, size=14), _NO_FILL, _WRAP_CENTER, "General"),
)

LINE_HEIGHT = 15  # points per wrapped line of 11 pt text, CJK included
CJK_WIDTH = 2  # a full-width character takes about two of Excel's character-width units
UNITS_CHART_ROW = 18  # below the month chart (7.5 cm, about 15 rows of 15 pt)
CHART_UNITS = 20  # units the unit chart shows, most tasks first
MIN_CHART_MONTHS = 3  # a month chart of one or two bars says nothing the table does not


@dataclass(frozen=True)
class Col:
    """A sheet column: its header (a key of [headers] in xlsx.toml), widest width and style."""

    header: str
    width: int
    style: str = TEXT


TASK_COLUMNS = (
    Col("id", 8, CENTER), Col("section", 16), Col("task", 18), Col("requirement", 46), Col("lead", 16),
    Col("responsible", 24), Col("deadline", 10, CENTER), Col("date", 11, DATE), Col("notes", 20),
)
UNIT_ROW_COLUMNS = (
    Col("unit", 22), Col("role", 6, CENTER), Col("id", 8, CENTER), Col("task", 18), Col("requirement", 46),
    Col("deadline", 10, CENTER), Col("date", 11, DATE), Col("group", 18),
)
SUMMARY_COLUMNS = (
    Col("unit", 26), Col("lead_count", 6, CENTER), Col("responsible_count", 6, CENTER), Col("total", 6, CENTER),
    Col("through_groups", 10, CENTER), Col("earliest", 12, DATE),
)
MONTH_COLUMNS = (Col("month", 10, CENTER), Col("rows", 8, CENTER))
WARNING_COLUMNS = (Col("code", 18), Col("message", 80), Col("row", 8, CENTER))
ORIGINAL_WIDTHS = {"task": 18, "requirement": 46, "lead": 16, "responsible": 24, "deadline": 10, "section": 16,
                   "seq": 6}
ORIGINAL_WIDTH = 16  # a column of no known role


@dataclass(frozen=True)
class SheetNames:
    tasks: str
    original: str
    by_unit: str
    summary: str
    about: str


@dataclass(frozen=True)
class OriginalWords:
    no_table: str  # 原表 of a notice whose tasks were read from paragraphs


@dataclass(frozen=True)
class ChartWords:
    units: str
    months: str
    top_units: str  # {count}
    others: str  # {count}
    no_date: str


@dataclass(frozen=True)
class AboutWords:
    source: str
    sha256: str
    doc_number: str
    title: str
    generated_at: str
    version: str
    every_row: str
    warnings: str


@dataclass(frozen=True)
class PrintWords:
    footer: str


@dataclass(frozen=True)
class WorkbookWords:
    """fenjie/data/xlsx.toml."""

    sheets: SheetNames
    headers: dict[str, str]  # column key -> header
    roles: dict[str, str]  # lead, responsible -> the word in 按单位's role column
    inferred: dict[str, str]  # `inferred` mark -> what it means, in 备注 and 说明
    original: OriginalWords
    charts: ChartWords
    about: AboutWords
    print: PrintWords


def words() -> WorkbookWords:
    return data.words("xlsx.toml", WorkbookWords)


def write(document: Document, folder: Path, options: WorkbookOptions | None = None) -> list[Path]:
    """Write FOLDER/tasks.xlsx. The options' generated_at (default: now) is the only moving part of the file."""
    options = options or WorkbookOptions()
    generated_at = options.generated_at or datetime.now(CHINA).replace(microsecond=0)
    workbook = build_workbook(document, generated_at)
    target = folder / "tasks.xlsx"
    with atomic_path(target) as tmp:
        save_workbook(workbook, tmp, generated_at)
    return [target]


def styled_workbook() -> Workbook:
    """A workbook holding fenjie's named styles (tasks.xlsx, letters/index.xlsx)."""
    workbook = Workbook()
    for name, font, fill, alignment, number_format in _STYLES:
        workbook.add_named_style(NamedStyle(name, font=font, fill=fill, border=Border() if name == TITLE else _GRID,
                                            alignment=alignment,
                                            number_format=number_format))
    return workbook


def build_workbook(document: Document, generated_at: datetime) -> Workbook:
    sheets = words().sheets
    workbook = styled_workbook()
    workbook.remove(workbook.active)
    write_tasks(streamed_sheet(workbook, sheets.tasks), document)
    write_original(streamed_sheet(workbook, sheets.original), document)
    assignments = document.assignments()
    write_by_unit(streamed_sheet(workbook, sheets.by_unit), document, assignments)
    write_summary(streamed_sheet(workbook, sheets.summary), document, assignments)
    write_about(streamed_sheet(workbook, sheets.about), document, generated_at)
    return workbook


# --- the sheets --------------------------------------------------------------------------------


def write_tasks(ws: StreamedSheet, document: Document) -> None:
    """任务清单: one row per task row, for filtering and printing."""
    notes = _row_notes(document)

    def rows() -> Iterator[list[Any]]:
        for row in document.rows:
            yield [row.id, _title(row.section), _title(row.task), row.requirement,
                   joined_units(row.lead, row.lead_open), joined_units(row.responsible, row.responsible_open),
                   row.deadline.text, _date(row.deadline.date), notes.get(row.id)]

    _write_table(ws, TASK_COLUMNS, rows)
    ws.auto_filter.ref = ws.dimensions
    for_printing(ws, _print_title(document))


def write_original(ws: StreamedSheet, document: Document) -> None:
    """原表: the task table as the notice laid it out, its cell texts and merges, under its title."""
    table = document.table
    if not table.cells:  # tasks read from numbered paragraphs: there is no table to lay out
        if document.rows:
            ws.add(Block(1, 1, 1, 1, lambda: [([words().original.no_table], [None], None)]))
        return
    ncols = max(max(c.col + c.colspan for c in table.cells), len(table.columns))
    nrows = max(c.row + c.rowspan for c in table.cells)
    roles = [c.role for c in table.columns] + ["extra"] * (ncols - len(table.columns))
    widths = [ORIGINAL_WIDTHS.get(role, ORIGINAL_WIDTH) for role in roles]
    top = 0  # sheet rows above the table
    title = table.title
    if title and squash(title) not in {squash(c.text) for c in table.cells}:
        ws.add(Block(1, 1, 1, ncols, lambda: [([title] + [None] * (ncols - 1), [TITLE] * ncols, 2 * LINE_HEIGHT)]))
        _merge(ws, 1, 1, 1, ncols)
        top = 1
    header_rows = set(table.header_rows)
    first_header = min(header_rows, default=0)
    styles = [HEADER if r in header_rows else TITLE if r < first_header else TEXT for r in range(nrows)]
    by_row: list[list[GridCell]] = [[] for _ in range(nrows)]
    heights = [1] * nrows  # lines
    wrapped = Memo(lambda text_width: _lines(*text_width))
    for cell in table.cells:
        by_row[cell.row].append(cell)
        if cell.rowspan > 1 or cell.colspan > 1:
            _merge(ws, top + cell.row + 1, top + cell.row + cell.rowspan, cell.col + 1, cell.col + cell.colspan)
        if cell.rowspan == 1:  # a cell merged down spreads over its rows: only a row's own cells decide its height
            width = sum(widths[cell.col:cell.col + cell.colspan])
            heights[cell.row] = max(heights[cell.row], wrapped[cell.text, width])

    def rows() -> Iterator[SheetRow]:
        for style, cells, lines in zip(styles, by_row, heights, strict=True):
            values, cell_styles = [None] * ncols, [style] * ncols  # every place bordered and styled, merged or not
            for cell in cells:
                values[cell.col] = cell.text
                if style == TEXT and cell.colspan == ncols > 1:  # a section heading across the table
                    cell_styles[cell.col] = SECTION
            yield values, cell_styles, lines * LINE_HEIGHT

    ws.add(Block(top + 1, 1, nrows, ncols, rows))
    _set_widths(ws, widths)
    repeated = first_header  # the header block at the top of the table, printed on every page
    while repeated in header_rows:
        repeated += 1
    for_printing(ws, _print_title(document), header=bool(top + repeated), header_rows=top + repeated)


def write_by_unit(ws: StreamedSheet, document: Document, assignments: list[Assignment]) -> None:
    """按单位: one row per (unit, role, task row), for filters and pivot tables; a group's row says the group."""
    roles = words().roles
    # A task row's cells, made once: the row recurs for each of its units.
    cells = {row.id: (row.id, _title(row.task), row.requirement, row.deadline.text, _date(row.deadline.date))
             for row in document.rows}

    def rows() -> Iterator[list[Any]]:
        for a in assignments:
            for role, pairs in (("lead", a.lead), ("responsible", a.responsible)):
                for row, group in pairs:
                    yield [a.unit.name, roles[role], *cells[row.id], group]

    _write_table(ws, UNIT_ROW_COLUMNS, rows)
    ws.auto_filter.ref = ws.dimensions
    for_printing(ws, _print_title(document))


def write_summary(ws: StreamedSheet, document: Document, assignments: list[Assignment]) -> None:
    """单位汇总: counts per unit, most tasks first, and charts of them and of deadlines by month."""
    rows = []
    for a in assignments:
        earliest = min((row.deadline.date for row, _ in a.lead + a.responsible if row.deadline.date), default=None)
        rows.append([a.unit.name, len(a.lead), len(a.responsible), len(a.lead) + len(a.responsible),
                     a.through_groups, _date(earliest)])  # ISO dates sort as dates
    rows.sort(key=lambda values: (-values[3], values[0]))
    _write_table(ws, SUMMARY_COLUMNS, lambda: rows)
    months = [list(m) for m in deadline_months(document.rows)]
    month_column = len(SUMMARY_COLUMNS) + 2
    _write_table(ws, MONTH_COLUMNS, lambda: months, first_column=month_column)
    charts = words().charts
    chart_column = get_column_letter(month_column + len(MONTH_COLUMNS) + 1)
    chart_row = 1
    if sum(1 for month, _ in months if month[:4].isdigit()) >= MIN_CHART_MONTHS:
        chart = _bar_chart(ws, charts.months, "col", data_column=month_column + 1, count=len(months))
        ws.add_chart(chart, f"{chart_column}1")
        chart_row = UNITS_CHART_ROW
    if rows:
        shown = min(len(rows), CHART_UNITS)  # the most loaded units; every label stays readable
        title, data_column, first_row = charts.units, 2, 1
        if len(rows) > CHART_UNITS:  # the most loaded units and one bar of all the others, from a table of its own
            rest = rows[CHART_UNITS:]
            bars = [values[:3] for values in rows[:CHART_UNITS]]
            bars.append([charts.others.format(count=len(rest)), sum(v[1] for v in rest), sum(v[2] for v in rest)])
            first_row = len(months) + 3
            _write_table(ws, SUMMARY_COLUMNS[:3], lambda: bars, first_row=first_row, first_column=month_column)
            title, data_column, shown = charts.top_units.format(count=CHART_UNITS), month_column + 1, len(bars)
        chart = _bar_chart(ws, title, "bar", data_column=data_column, count=shown, series=2, first_row=first_row)
        chart.grouping, chart.overlap = "stacked", 100
        chart.x_axis.scaling.orientation = "maxMin"  # the unit with most tasks on top, as in the table
        chart.height = 3 + 0.6 * shown  # cm: a label's line for every unit
        chart.width = 18
        ws.add_chart(chart, f"{chart_column}{chart_row}")
    for_printing(ws, _print_title(document))


def write_about(ws: StreamedSheet, document: Document, generated_at: datetime) -> None:
    """说明: where the workbook came from, and every warning of the conversion."""
    about = words().about
    facts = [
        [about.source, document.source.name], [about.sha256, document.source.sha256],
        [about.doc_number, document.notice.doc_number], [about.title, document.notice.title],
        [about.generated_at, generated_at.isoformat()], [about.version, __version__],
        *([about.every_row, words().inferred.get(code, code)] for code in notice_wide(document)),
    ]
    ws.add(Block(1, 1, len(facts), 2, lambda: ((values, [HEADER, TEXT], None) for values in facts)))
    first = len(facts) + 2
    ws.add(Block(first, 1, 1, 1, lambda: [([about.warnings], [SECTION], None)]))
    warnings = [[w.code, w.message, w.row] for w in document.warnings]
    _write_table(ws, WARNING_COLUMNS, lambda: warnings, first_row=first + 1)
    _set_widths(ws, [c.width for c in WARNING_COLUMNS])  # the facts above share these columns
    for_printing(ws, _print_title(document), header=False)


# --- what goes in the cells --------------------------------------------------------------------


def deadline_months(rows: Iterable[Row]) -> list[tuple[str, int]]:
    """(YYYY-MM, task rows due that month), in month order; rows with no date last, under one label."""
    counts = Counter(row.deadline.date[:7] if row.deadline.date else None for row in rows)
    undated = counts.pop(None, 0)
    months = sorted(counts.items())
    return months + [(words().charts.no_date, undated)] if undated else months


def notice_wide(document: Document) -> list[str]:
    """Inferences made on every row (the deadlines' year from the notice): said once in 说明, not in each 备注."""
    if len(document.rows) < 2:
        return []
    codes = set(document.rows[0].inferred).intersection(*(row.inferred for row in document.rows[1:]))
    return [code for code in document.rows[0].inferred if code in codes]


def _row_notes(document: Document) -> dict[str, str]:
    """备注 per row id: what was inferred for that row alone, then the row's warnings."""
    inferred = words().inferred
    everywhere = set(notice_wide(document))
    notes: dict[str, list[str]] = defaultdict(list)
    for row in document.rows:
        notes[row.id] += [inferred.get(code, code) for code in row.inferred if code not in everywhere]
    for warning in document.warnings:
        if warning.row is not None:
            notes[warning.row].append(f"{warning.code}: {warning.message}")
    return {row_id: "\n".join(lines) for row_id, lines in notes.items() if lines}


def _print_title(document: Document) -> str | None:
    return document.notice.title or document.table.title


def _title(level: Numbered | None) -> str | None:
    return level.title if level is not None else None


def _date(iso: str | None) -> date | None:
    return date.fromisoformat(iso) if iso else None


# --- layout ------------------------------------------------------------------------------------


def write_header(ws: Worksheet, headers: Sequence[str], first_row: int = 1, first_column: int = 1) -> None:
    """A header row of openpyxl cells, for the small workbooks styled like this one (letters/index.xlsx)."""
    for c, header in enumerate(headers, first_column):
        ws.cell(first_row, c, header).style = HEADER


def _write_table(ws: StreamedSheet, columns: Sequence[Col], rows: Callable[[], Iterable[Sequence[Any]]],
                 first_row: int = 1, first_column: int = 1) -> None:
    """A header row and bordered body rows; columns as wide as their text (up to their width). ROWS makes the
    body rows: once here to fit the columns and count the rows, once more when the sheet is written."""
    headers = [words().headers[c.header] for c in columns]
    measured = [Memo(_text_width) for _ in columns]  # each column's texts, with their widths
    count = 0
    for values in rows():
        count += 1
        for column, value in zip(measured, values, strict=True):
            column[value]  # noqa: B018 - measures the text the first time it comes
    widths = [min(c.width, max([_text_width(header), *m.values()]) + 2)
              for c, header, m in zip(columns, headers, measured, strict=True)]
    styles = [c.style for c in columns]
    # Lines of each value in its column; an empty cell counts as one line, as a row has at least one.
    wrapped = [Memo(lambda value, width=width: 1 if value is None else _lines(value, width)) for width in widths]

    def body() -> Iterator[SheetRow]:
        for values in rows():
            yield values, styles, max(map(getitem, wrapped, values)) * LINE_HEIGHT

    ws.add(Block(first_row, first_column, 1, len(columns), lambda: [(headers, [HEADER] * len(headers), None)]))
    ws.add(Block(first_row + 1, first_column, count, len(columns), body))
    _set_widths(ws, widths, first_column)


def _merge(ws: Worksheet, first_row: int, last_row: int, first_column: int, last_column: int) -> None:
    """Merge a range of a notice's table, whose merges never overlap: openpyxl's merge_cells (and its
    MultiCellRange.add) compares each range with every other, quadratic in a big table."""
    ws.merged_cells.ranges.add(CellRange(min_row=first_row, max_row=last_row, min_col=first_column,
                                         max_col=last_column))


def _set_widths(ws: Worksheet, widths: Sequence[float], first_column: int = 1) -> None:
    for c, width in enumerate(widths, first_column):
        ws.column_dimensions[get_column_letter(c)].width = width


def _text_width(value: Any) -> int:
    """Width of the longest line in Excel character units."""
    if value is None:
        return 0
    if isinstance(value, date):
        return len("yyyy-mm-dd")
    return max(_line_width(line) for line in str(value).split("\n"))


# Width of each character met: a big notice's texts are millions of characters of a few thousand kinds.
_CHAR_WIDTHS = Memo(lambda ch: CJK_WIDTH if unicodedata.east_asian_width(ch) in "WF" else 1)


@lru_cache(maxsize=4096)  # the same requirement and unit lists come back on many rows
def _line_width(line: str) -> int:
    if line.isascii():  # row ids, dates, numbers
        return len(line)
    return sum(map(_CHAR_WIDTHS.__getitem__, line))


def _lines(value: Any, width: float) -> int:
    """Lines VALUE takes in a column WIDTH characters wide, wrapped: rows are given the height of their
    tallest cell, as Excel does not grow rows written by openpyxl."""
    return sum(max(1, ceil(_line_width(line) / max(width - 1, 1))) for line in str(value).split("\n"))


def for_printing(ws: Worksheet, title: str | None, header: bool = True, header_rows: int = 1) -> None:
    """A4 landscape, one page wide; the HEADER_ROWS stay in view and are printed on every page, under a
    page header naming TITLE (the notice), with 第 N 页 共 M 页 at the foot."""
    if header:
        ws.freeze_panes = f"A{header_rows + 1}"
        ws.print_title_rows = f"1:{header_rows}"
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    if title:
        ws.oddHeader.center.text = title.replace("&", "&&")
    ws.oddFooter.center.text = words().print.footer


def _bar_chart(ws: Worksheet, title: str, kind: str, data_column: int, count: int, series: int = 1,
               first_row: int = 1) -> BarChart:
    """A bar chart of COUNT rows below the header in FIRST_ROW: categories in the column left of the data."""
    chart = BarChart()
    chart.type, chart.title = kind, title
    if series == 1:
        chart.legend = None
    data = Reference(ws, min_col=data_column, max_col=data_column + series - 1, min_row=first_row,
                     max_row=first_row + count)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=data_column - 1, min_row=first_row + 1, max_row=first_row + count))
    chart.x_axis.delete = chart.y_axis.delete = False  # openpyxl hides the axes otherwise
    return chart
