"""The .xlsx reader, one part of a worksheet a test: a workbook of a few cells made with openpyxl in memory
(conftest's `workbook`), and the Grid or paragraphs the reader makes of it. Hidden sheets, rows and columns
and formulas without a value are tests/test_hostile_readers.py; the seed as a workbook is tests/test_formats.py.
"""

from __future__ import annotations

import datetime

from conftest import workbook, xlsx_bytes

from fenjie.extract.grid import Extracted
from fenjie.pipeline import READERS

HEADER = ["具体要求", "牵头单位", "完成时限"]


def read(book) -> Extracted:
    return READERS["xlsx"](xlsx_bytes(book), "t.xlsx")


def placed(extracted: Extracted) -> list[list[tuple]]:
    """The first grid's rows, each cell as (row, col, rowspan, colspan, text)."""
    return [[(c.row, c.col, c.rowspan, c.colspan, c.text) for c in row.cells] for row in extracted.tables[0].rows]


def test_mergeCell_is_a_span():
    book = workbook(("Sheet1", [HEADER, ["一、标题"], ["做好公开", "市财政局", "6月"], [None, "市教育局", "9月"]]))
    book["Sheet1"].merge_cells("A2:C2")
    book["Sheet1"].merge_cells("A3:A4")
    extracted = read(book)
    assert extracted.tables[0].spans_known
    assert placed(extracted) == [
        [(0, 0, 1, 1, "具体要求"), (0, 1, 1, 1, "牵头单位"), (0, 2, 1, 1, "完成时限")],
        [(1, 0, 1, 3, "一、标题")],
        [(2, 0, 2, 1, "做好公开"), (2, 1, 1, 1, "市财政局"), (2, 2, 1, 1, "6月")],
        [(3, 1, 1, 1, "市教育局"), (3, 2, 1, 1, "9月")]]


def test_rows_of_one_text_above_the_table_are_paragraphs():
    """附件1 and the table's title stand above the header, as paragraphs would above a table in Word; the
    grid starts at the header, and its rows say where they stand in the sheet (from 0)."""
    book = workbook(("Sheet1", [["附件1"], ["2024年任务分解表"], HEADER, ["做好公开", "市财政局", "6月"]]))
    book["Sheet1"].merge_cells("A2:C2")
    extracted = read(book)
    assert extracted.paragraphs == ["附件1", "2024年任务分解表"]
    (grid,) = extracted.tables
    assert (grid.after_paragraph, grid.ncols) == (2, 3)
    assert [c.text for c in grid.rows[0].cells] == HEADER
    assert [row.source for row in grid.rows] == [(0, 2), (0, 3)]


def test_a_table_away_from_A1_starts_at_its_first_cell():
    book = workbook(("Sheet1", []))
    for r, row in enumerate([HEADER, ["做好公开", "市财政局", "6月"]], start=3):
        for c, value in enumerate(row, start=2):
            book["Sheet1"].cell(r, c, value)
    assert placed(read(book)) == [[(0, 0, 1, 1, "具体要求"), (0, 1, 1, 1, "牵头单位"), (0, 2, 1, 1, "完成时限")],
                                  [(1, 0, 1, 1, "做好公开"), (1, 1, 1, 1, "市财政局"), (1, 2, 1, 1, "6月")]]


def test_values_read_as_shown():
    """Whole numbers without .0, dates in ISO form (with the time only when there is one), line breaks as lines."""
    row = [3, 2.5, datetime.datetime(2024, 12, 31), datetime.datetime(2024, 6, 30, 17, 30),
           "市财政局\r\n市教育局_x000D_"]
    extracted = read(workbook(("Sheet1", [["序号", "权重", "完成时限", "截止", "牵头单位"], row])))
    cells = extracted.tables[0].rows[1].cells
    assert [c.text for c in cells] == ["3", "2.5", "2024-12-31", "2024-06-30 17:30:00", "市财政局\n市教育局"]
    assert cells[4].lines == ["市财政局", "市教育局"]


def test_every_visible_sheet_with_cells_is_a_grid():
    extracted = read(workbook(("任务", [HEADER, ["做好公开", "市财政局", "6月"]]), ("空白", []),
                              ("联系人", [["单位", "联系人"], ["市财政局", "张某"]])))
    assert [(grid.index, grid.ncols, len(grid.rows)) for grid in extracted.tables] == [(0, 3, 2), (1, 2, 2)]
    assert [row.source for row in extracted.tables[1].rows] == [(1, 0), (1, 1)]
