"""What every reader produces: the notice's body paragraphs and its tables as grids of spanned cells.

A reader knows its file format and nothing about notices; the normalizer knows notices and
nothing about file formats. This module is the contract between the two, and holds the helpers
both use to read a grid (a row as `Grid.covering()` lays it out, its texts, its full-width rows).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fenjie.errors import TooLarge
from fenjie.text import squash

if TYPE_CHECKING:
    from collections.abc import Iterable

    from fenjie.model import WarningCode

MAX_CELLS = 1_000_000  # rows x columns of one table; a notice's table has a few thousand
MAX_COLUMNS = 16_384  # as many as a worksheet holds (tasks.xlsx lays the table out as it was)
TOP_ROWS = 4  # rows at the top of a table that may hold a title and the header


@dataclass(slots=True)
class Cell:
    """One table cell placed on the grid: its top-left position and how far it spans."""

    lines: list[str]
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    # (line, offset) where a reader of a fixed layout (PDF, OFD) joined two lines of LINES though the first
    # was only nearly full: a new paragraph there looks the same (see normalize.units.unit_text).
    doubtful: list[tuple[int, int]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines).strip()


@dataclass(slots=True)
class GridRow:
    cells: list[Cell]
    source: tuple[int, int]  # (table, row) in the source file, for messages and `Row.source`
    header: bool = False  # marked as a repeating header row by the source (w:tblHeader, <thead>)


@dataclass
class Grid:
    """A logical table: rows of cells on `ncols` grid columns, merges as row/col spans."""

    rows: list[GridRow]
    ncols: int
    index: int = 0  # position of the table among the source's logical tables
    after_paragraph: int = 0  # how many body paragraphs precede the table
    spans_known: bool = True  # False where the format cannot record vertical merges (text export)
    notes: list[Note] = field(default_factory=list)  # what the reader skipped in the table, for `warnings`

    def covering(self, rows: int | None = None) -> list[list[Cell | None]]:
        """For every (row, col) of the first ROWS rows (default: all), the cell that covers it, whichever row
        that cell starts in."""
        count = len(self.rows) if rows is None else min(rows, len(self.rows))
        table: list[list[Cell | None]] = [[None] * self.ncols for _ in range(count)]
        for grid_row in self.rows[:count]:
            for cell in grid_row.cells:
                for r in range(cell.row, min(cell.row + cell.rowspan, count)):
                    for c in range(cell.col, min(cell.col + cell.colspan, self.ncols)):
                        table[r][c] = cell
        return table


@dataclass(slots=True)
class Note:
    """What a reader skipped or could not read, for the document's `warnings`."""

    code: WarningCode  # what it is: hidden-content, formula-without-value, unread-content
    message: str


@dataclass
class Extracted:
    """A source file as read: body paragraphs in order and its tables."""

    format: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Grid] = field(default_factory=list)
    # What the file says of the notice outside its text (a web page's metadata box and <meta> tags), by
    # `Notice` field (doc_number, issuer, title, date, published, index_no), as written.
    page: dict[str, str] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)  # content skipped on purpose or not readable

    def extend(self, other: Extracted) -> None:
        """OTHER's content after this one's (a part embedded in the document at its end so far)."""
        for grid in other.tables:
            grid.index += len(self.tables)
            grid.after_paragraph += len(self.paragraphs)
            for row in grid.rows:
                row.source = (grid.index, row.source[1])
        self.tables += other.tables
        self.paragraphs += other.paragraphs
        self.notes += other.notes


def refuse_oversized(nrows: int, ncols: int, table: str, name: str) -> None:
    """A table far larger than any notice's is refused before anything lays it out on a grid (`covering`)."""
    if nrows * ncols > MAX_CELLS or ncols > MAX_COLUMNS:
        raise TooLarge(f"{table} spans {nrows} rows x {ncols} columns (a worksheet holds {MAX_COLUMNS})", name)


def repeated_header_rows(first: Grid, second: Grid) -> int:
    """How many leading rows of SECOND repeat rows at the top of FIRST: its header (one row or more) on a
    new page, which may leave out a title row that stands above the header inside the table."""
    best = 0
    for start in range(min(len(first.rows), TOP_ROWS)):
        count = 0
        for mine, theirs in zip(first.rows[start:], second.rows, strict=False):
            if row_texts(mine) != row_texts(theirs) or not any(row_texts(theirs)):
                break
            count += 1
        best = max(best, count)
    return best


def row_texts(row: GridRow) -> list[str]:
    return [squash(cell.text) for cell in row.cells]


def cell_texts(rows: Iterable[GridRow]) -> list[str]:
    """The texts of the cells of ROWS that hold text, row by row."""
    return [c.text for row in rows for c in row.cells if c.text]


# Reading a grid row by row: `Grid.covering()` gives, per row, the cell covering each grid column (None where
# no cell does), whichever row that cell starts in.


def is_full_width(cells: list[Cell | None]) -> bool:
    """A row that is one cell with text across the table (a section or title row).

    `cells` is the row of `Grid.covering()`. Grid columns no cell covers (a row that starts late or
    ends early, w:gridBefore / w:gridAfter) or only empty cells cover do not count against it; a cell
    with text merged down from above does.
    """
    present = {id(c): c for c in cells if c is not None and c.text}
    if len(present) != 1:
        return False
    cell = next(iter(present.values()))
    return cell.colspan > 1 and bool(cell.text)


def own_cells(cells: list[Cell | None], r: int) -> list[Cell | None]:
    """Per grid column, the cell that starts in row R (None where a cell merged from above covers it)."""
    return [c if c is not None and c.row == r else None for c in cells]


def own_texts(cells: list[Cell | None], r: int) -> tuple[str, ...]:
    """Per grid column, the text of the cell that starts in row R, white space removed ("" elsewhere)."""
    return tuple(squash(c.text) if c is not None else "" for c in own_cells(cells, r))


def cell_at(cells: list[Cell | None], column: int | None) -> Cell | None:
    """The cell covering COLUMN of a row (None when no column is given, or no cell covers it)."""
    return None if column is None else cells[column]


def text_at(cells: list[Cell | None], column: int | None) -> str:
    """The text of the cell covering COLUMN of a row; "" where there is none."""
    cell = cell_at(cells, column)
    return cell.text if cell is not None else ""
