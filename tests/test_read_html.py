"""The HTML reader, one element or attribute a test: a snippet of a page and the Grid, paragraphs, notes or
metadata the reader makes of it. The seed as a whole government page is tests/test_formats.py; hostile
pages are tests/test_hostile_readers.py; whole notices are tests/test_golden.py.
"""

from __future__ import annotations

from fenjie.extract.grid import Extracted, Grid
from fenjie.pipeline import READERS


def read(body: str, head: str = "<meta charset='utf-8'>") -> Extracted:
    return READERS["html"](f"<html><head>{head}</head><body>{body}</body></html>".encode(), "t.html")


def grid_of(table: str) -> Grid:
    (grid,) = read(f"<div>{table}</div>").tables
    return grid


def placed(grid: Grid) -> list[list[tuple]]:
    """Each row's cells as (row, col, rowspan, colspan, text)."""
    return [[(c.row, c.col, c.rowspan, c.colspan, c.text) for c in row.cells] for row in grid.rows]


def test_rowspan_merges_rows_and_the_next_row_starts_beside_it():
    grid = grid_of("<table><tr><td rowspan=2>任务</td><td>甲</td><td>一</td></tr>"
                   "<tr><td>乙</td><td>二</td></tr></table>")
    assert placed(grid) == [[(0, 0, 2, 1, "任务"), (0, 1, 1, 1, "甲"), (0, 2, 1, 1, "一")],
                            [(1, 1, 1, 1, "乙"), (1, 2, 1, 1, "二")]]


def test_rowspan_zero_reaches_the_end_and_a_rowspan_past_the_end_stops_there():
    grid = grid_of("<table><tr><td rowspan=0>任务</td><td>甲</td></tr><tr><td>乙</td></tr>"
                   "<tr><td>丙</td><td rowspan=9>x</td></tr></table>")
    assert placed(grid) == [[(0, 0, 3, 1, "任务"), (0, 1, 1, 1, "甲")], [(1, 1, 1, 1, "乙")],
                            [(2, 1, 1, 1, "丙"), (2, 2, 1, 1, "x")]]


def test_colspan_merges_columns_and_a_bad_colspan_is_one():
    grid = grid_of("<table><tr><td colspan=3>一、标题</td></tr><tr><td colspan=x>甲</td><td colspan=0>乙</td>"
                   "<td>丙</td></tr></table>")
    assert grid.ncols == 3
    assert placed(grid) == [[(0, 0, 1, 3, "一、标题")], [(1, 0, 1, 1, "甲"), (1, 1, 1, 1, "乙"), (1, 2, 1, 1, "丙")]]


def test_th_is_a_cell_and_thead_marks_header_rows():
    grid = grid_of("<table><thead><tr><th>任务</th><th>单位</th></tr></thead>"
                   "<tbody><tr><td>甲</td><td>乙</td></tr></tbody></table>")
    assert [[c.text for c in row.cells] for row in grid.rows] == [["任务", "单位"], ["甲", "乙"]]
    assert [row.header for row in grid.rows] == [True, False]


def test_br_and_p_end_lines_of_a_cell_and_spans_join():
    grid = grid_of("<table><tr><td>市财政局<br>市教育局</td><td><p>甲</p><p><span>乙</span><font>丙</font></p></td>"
                   "</tr><tr><td>x</td><td>y</td></tr></table>")
    assert [c.lines for c in grid.rows[0].cells] == [["市财政局", "市教育局"], ["甲", "乙丙"]]


def test_nbsp_cells_are_empty_and_cjk_line_wraps_vanish():
    page = ("<div><p>济宁市人民\n  政府办公室</p><table><tr><td>任务</td><td>&nbsp;&nbsp;</td></tr>"
            "<tr><td rowspan=2><span>甲</span>\n<span>乙</span><br>丙</td><td colspan=0>x y</td></tr>"
            "<tr><td>z</td></tr></table></div>")
    extracted = read(page)
    assert extracted.paragraphs == ["济宁市人民政府办公室"]
    rows = extracted.tables[0].rows
    assert rows[0].cells[1].lines == []
    assert rows[1].cells[0].lines == ["甲乙", "丙"] and rows[1].cells[0].rowspan == 2
    assert rows[1].cells[1].text == "x y" and rows[2].cells[0].col == 1


def test_a_small_table_in_a_td_stays_in_its_cell():
    inner = "<table><tr><td>阶段</td><td>时间</td></tr><tr><td>启动</td><td>3月</td></tr></table>"
    grid = grid_of(f"<table><tr><td>任务</td><td>单位</td><td>时限</td></tr><tr><td>甲{inner}</td><td>乙</td>"
                   "<td>6月</td></tr><tr><td>丙</td><td>丁</td><td>9月</td></tr></table>")
    assert grid.ncols == 3
    assert grid.rows[1].cells[0].lines == ["甲", "阶段", "时间", "启动", "3月"]


def test_a_table_of_one_column_lays_out_the_page():
    """No task table has a single column: the table around the article is no grid, the one inside it is."""
    extracted = read("<table><tr><td>通知</td></tr><tr><td><table><tr><td>具体要求</td><td>牵头单位</td>"
                     "<td>完成时限</td></tr><tr><td>做好政策解读</td><td>市政府办公室</td><td>6月底前</td></tr>"
                     "</table></td></tr></table>")
    assert [[c.text for c in row.cells] for grid in extracted.tables for row in grid.rows] == [
        ["具体要求", "牵头单位", "完成时限"], ["做好政策解读", "市政府办公室", "6月底前"]]


def test_td_of_a_data_table_is_never_taken_for_chrome():
    page = ("<div id='zoom'><p>各单位：</p><table><tr><td>具体要求</td><td>牵头单位</td></tr>"
            "<tr><td class='footer'>来源：网站</td><td>关闭</td></tr></table></div>")
    grid = read(page).tables[0]
    assert [c.text for c in grid.rows[1].cells] == ["来源：网站", "关闭"]


def test_hidden_attribute_and_display_none_are_notes():
    table = ("<table><tr><td>任务</td><td>单位<span style='display: none'>、市审计局</span></td></tr>"
             "<tr hidden><td>旧任务</td><td>市旧局</td></tr><tr><td>甲</td><td>乙</td></tr></table>")
    extracted = read(f"<div>{table}</div>")
    assert [[c.text for c in row.cells] for row in extracted.tables[0].rows] == [["任务", "单位"], ["甲", "乙"]]
    assert [(note.code, note.message) for note in extracted.notes] == [
        ("hidden-content", "text the page hides (display:none) was not read: 、市审计局"),
        ("hidden-content", "text the page hides (the hidden attribute) was not read: 旧任务 市旧局")]


def test_script_and_style_are_no_text():
    extracted = read("<div><script>var a = '关于';</script><style>p {}</style><p>各单位：</p></div>")
    assert extracted.paragraphs == ["各单位："]


def test_meta_ArticleTitle_and_PubDate_fill_the_page_metadata():
    extracted = read("<div><p>各单位：</p></div>", head="<meta charset='utf-8'><meta name='ArticleTitle' "
                     "content='关于印发工作要点的通知'><meta name='PubDate' content='2024-03-05 10:00'>")
    assert extracted.page["title"] == "关于印发工作要点的通知"
    assert extracted.page["published"].startswith("2024-03-05")
