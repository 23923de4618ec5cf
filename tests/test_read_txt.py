"""The text reader, one layout rule a test: a few lines of text and the Grid or paragraphs the reader makes.
Word's export writes a cell per TAB line and a blank line after each row; Excel's TSV a row per line. A
browser's "save as text" is tests/test_browser_text.py; the seed's export is tests/test_golden.py.
"""

from __future__ import annotations

from fenjie.extract.grid import Extracted, Grid
from fenjie.pipeline import READERS


def read(text: str, encoding: str = "utf-8") -> Extracted:
    return READERS["txt"](text.encode(encoding), "t.txt")


def grid_of(text: str) -> Grid:
    (grid,) = read(text).tables
    return grid


def placed(grid: Grid) -> list[list[tuple]]:
    """Each row's cells as (row, col, rowspan, colspan, text)."""
    return [[(c.row, c.col, c.rowspan, c.colspan, c.text) for c in row.cells] for row in grid.rows]


def test_a_tab_line_is_a_cell_and_a_blank_line_ends_the_row():
    grid = grid_of("\t任务\n\t牵头单位\n\n\t甲\n\t市财政局\n\n")
    assert placed(grid) == [[(0, 0, 1, 1, "任务"), (0, 1, 1, 1, "牵头单位")],
                            [(1, 0, 1, 1, "甲"), (1, 1, 1, 1, "市财政局")]]
    assert not grid.spans_known  # a text export records no merges: the normalizer must not trust its spans


def test_a_line_without_tab_goes_on_with_the_cell():
    grid = grid_of("\t任务\n\t牵头单位\n\n\t甲\n\t市财政局\n市教育局\n\n")
    assert grid.rows[1].cells[1].lines == ["市财政局", "市教育局"]


def test_a_row_of_one_cell_spans_the_table():
    grid = grid_of("\t任务\n\t牵头单位\n\t完成时限\n\n\t一、标题\n\n\t甲\n\t市财政局\n\t6月\n\n")
    assert placed(grid)[1] == [(1, 0, 1, 3, "一、标题")]


def test_an_empty_first_cell_goes_on_with_the_cell_above():
    grid = grid_of("\t任务\n\t牵头单位\n\n\t甲\n\t市财政局\n\n\t\n\t市教育局\n\n")
    assert placed(grid) == [[(0, 0, 1, 1, "任务"), (0, 1, 1, 1, "牵头单位")],
                            [(1, 0, 2, 1, "甲"), (1, 1, 1, 1, "市财政局")], [(2, 1, 1, 1, "市教育局")]]


def test_lines_before_and_after_the_table_are_paragraphs():
    extracted = read("关于印发工作要点的通知\n各单位：\n\t任务\n\t牵头单位\n\n\t甲\n\t市财政局\n\n附件2\n")
    assert extracted.paragraphs == ["关于印发工作要点的通知", "各单位：", "附件2"]
    assert extracted.tables[0].after_paragraph == 2


def test_tab_rows_are_one_row_a_line_and_a_row_of_one_field_spans():
    grid = grid_of("任务\t牵头单位\t完成时限\n一、标题\t\t\n甲\t市财政局\t6月\n")
    assert placed(grid) == [[(0, 0, 1, 1, "任务"), (0, 1, 1, 1, "牵头单位"), (0, 2, 1, 1, "完成时限")],
                            [(1, 0, 1, 3, "一、标题")],
                            [(2, 0, 1, 1, "甲"), (2, 1, 1, 1, "市财政局"), (2, 2, 1, 1, "6月")]]
    assert not grid.spans_known


def test_tab_rows_quoted_as_excel_quotes_are_one_cell():
    """Excel quotes a field with line breaks (inner quotes doubled); a quote elsewhere is text."""
    grid = grid_of('任务\t牵头单位\t完成时限\n甲\t"市财政局\n市""教育""局"\t6月\n"十四五"规划\t市商务局\t9月\n')
    assert [[c.lines for c in row.cells] for row in grid.rows[1:]] == [
        [["甲"], ["市财政局", '市"教育"局'], ["6月"]], [['"十四五"规划'], ["市商务局"], ["9月"]]]


def test_gb18030_and_a_utf8_bom_and_crlf_are_read():
    text = "关于印发工作要点的通知\r\n\t任务\r\n\t牵头单位\r\n\r\n\t甲\r\n\t市财政局\r\n"
    for extracted in (read(text, "gb18030"), READERS["txt"](b"\xef\xbb\xbf" + text.encode(), "t.txt")):
        assert extracted.paragraphs == ["关于印发工作要点的通知"]
        assert placed(extracted.tables[0])[1] == [(1, 0, 1, 1, "甲"), (1, 1, 1, 1, "市财政局")]


def test_bookmarks_of_the_export_are_no_text():
    extracted = read("[bookmark: _Toc1]关于印发工作要点的通知\n\t任务\n\t牵头单位\n\n\t甲\n\t市财[bookmark: b]政局\n\n")
    assert extracted.paragraphs == ["关于印发工作要点的通知"]
    assert extracted.tables[0].rows[1].cells[1].text == "市财政局"
