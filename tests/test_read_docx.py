"""The .docx reader, one OOXML element a test: a few lines of w:tbl or w:p XML in a minimal .docx in memory
(conftest's `docx`, `tbl`, `tr`, `tc`), and the Grid or paragraphs the reader makes of them.

A reader bug fails here by the element's name; the seed rewritten by Word, WPS and LibreOffice is
tests/test_docx_variants.py, and whole notices are tests/test_golden.py.
"""

from __future__ import annotations

from conftest import docx, paragraph, tbl, tc, tr

from fenjie.extract.grid import Extracted, Grid
from fenjie.pipeline import READERS

RESTART, CONTINUE = "<w:vMerge w:val='restart'/>", "<w:vMerge w:val='continue'/>"
PAGE_BREAK = "<w:r><w:br w:type='page'/></w:r>"


def read(body: str) -> Extracted:
    return READERS["docx"](docx(body), "t.docx")


def grid_of(body: str) -> Grid:
    (grid,) = read(body).tables
    return grid


def placed(grid: Grid) -> list[list[tuple]]:
    """Each row's cells as (row, col, rowspan, colspan, text)."""
    return [[(c.row, c.col, c.rowspan, c.colspan, c.text) for c in row.cells] for row in grid.rows]


def run(text: str, props: str = "") -> str:
    return f"<w:r><w:rPr>{props}</w:rPr><w:t xml:space='preserve'>{text}</w:t></w:r>"


def cell_xml(content: str, props: str = "") -> str:
    """A w:tc whose paragraph holds CONTENT (runs and what wraps them)."""
    return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p>{content}</w:p></w:tc>"


def test_gridSpan_merges_columns():
    grid = grid_of(tbl([tr(["一、标题"], cell_props="<w:gridSpan w:val='3'/>"), tr(["甲", "乙", "丙"])], columns=3))
    assert grid.ncols == 3
    assert placed(grid) == [[(0, 0, 1, 3, "一、标题")], [(1, 0, 1, 1, "甲"), (1, 1, 1, 1, "乙"), (1, 2, 1, 1, "丙")]]


def test_vMerge_restart_and_bare_vMerge_merge_rows():
    """Word writes a vertical merge's first cell as w:vMerge w:val="restart", the cells below as a bare w:vMerge."""
    body = tbl([f"<w:tr>{tc('任务', RESTART)}{tc('甲')}</w:tr>",
                f"<w:tr>{tc('', '<w:vMerge/>')}{tc('乙')}</w:tr>",
                f"<w:tr>{tc('下一项')}{tc('丙')}</w:tr>"], columns=2)
    assert placed(grid_of(body)) == [[(0, 0, 2, 1, "任务"), (0, 1, 1, 1, "甲")], [(1, 1, 1, 1, "乙")],
                                     [(2, 0, 1, 1, "下一项"), (2, 1, 1, 1, "丙")]]


def test_vMerge_continue_merges_rows():
    """LibreOffice writes the cells below as w:vMerge w:val="continue"."""
    body = tbl([f"<w:tr>{tc('任务', RESTART)}{tc('甲')}</w:tr>",
                f"<w:tr>{tc('', CONTINUE)}{tc('乙')}</w:tr>"], columns=2)
    assert placed(grid_of(body)) == [[(0, 0, 2, 1, "任务"), (0, 1, 1, 1, "甲")], [(1, 1, 1, 1, "乙")]]


def test_text_in_a_vMerge_continuation_is_a_note():
    """Word shows only the first cell's text: what a merged-over cell holds is not read, and said so."""
    body = tbl([f"<w:tr>{tc('任务', RESTART)}{tc('甲')}</w:tr>",
                f"<w:tr>{tc('旧文字', '<w:vMerge/>')}{tc('乙')}</w:tr>"], columns=2)
    grid = grid_of(body)
    assert placed(grid)[0][0] == (0, 0, 2, 1, "任务")
    assert [(note.code, note.message) for note in grid.notes] == [
        ("hidden-content", "table 1 row 2: text in a merged-over cell is hidden by Word and was not read: 旧文字")]


def test_vMerge_of_another_width_starts_a_cell():
    """A continuation under a cell of another w:gridSpan merges nothing: it is a cell of its own."""
    body = tbl(["<w:tr>" + tc("宽", "<w:gridSpan w:val='2'/>" + RESTART) + "</w:tr>",
                f"<w:tr>{tc('窄', '<w:vMerge/>')}{tc('乙')}</w:tr>"], columns=2)
    assert placed(grid_of(body)) == [[(0, 0, 1, 2, "宽")], [(1, 0, 1, 1, "窄"), (1, 1, 1, 1, "乙")]]


def test_gridBefore_shifts_the_row_and_gridAfter_ends_it_early():
    body = tbl([tr(["甲", "乙", "丙"]), tr(["乙2"], "<w:gridBefore w:val='1'/><w:gridAfter w:val='1'/>")], columns=3)
    assert placed(grid_of(body))[1] == [(1, 1, 1, 1, "乙2")]


def test_tblGridChange_adds_no_column():
    """A tracked edit keeps the table's earlier w:tblGrid inside the new one: its w:gridCol are not columns."""
    body = tbl([tr(["甲", "乙"])], columns=2).replace(
        "</w:tblGrid>", "<w:tblGridChange w:id='5'><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>"
                        "</w:tblGridChange></w:tblGrid>")
    assert grid_of(body).ncols == 2


def test_tblHeader_marks_a_repeated_header_row():
    body = tbl([tr(["任务", "单位"], "<w:tblHeader/>"), tr(["甲", "乙"], "<w:tblHeader w:val='0'/>")], columns=2)
    assert [row.header for row in grid_of(body).rows] == [True, False]


def test_trPr_del_removes_a_deleted_row():
    body = tbl([tr(["任务", "单位"]), tr(["删去", "旧"], "<w:del w:id='1' w:author='审核人'/>"), tr(["甲", "乙"])],
               columns=2)
    assert [[c.text for c in row.cells] for row in grid_of(body).rows] == [["任务", "单位"], ["甲", "乙"]]


def test_p_br_and_cr_end_lines_of_a_cell():
    content = f"{run('市财政局')}<w:r><w:br/></w:r>{run('市教育局')}<w:r><w:cr/></w:r>{run('市民政局')}"
    two_paragraphs = "<w:tc><w:p>" + run("甲") + "</w:p><w:p>" + run("乙") + "</w:p></w:tc>"
    grid = grid_of(tbl([f"<w:tr>{cell_xml(content)}{two_paragraphs}</w:tr>"], columns=2))
    assert [c.lines for c in grid.rows[0].cells] == [["市财政局", "市教育局", "市民政局"], ["甲", "乙"]]


def test_br_of_a_page_break_ends_no_line():
    grid = grid_of(tbl([f"<w:tr>{cell_xml(run('甲') + PAGE_BREAK + run('乙'))}</w:tr>"],
                       columns=1))
    assert grid.rows[0].cells[0].lines == ["甲乙"]


def test_tab_noBreakHyphen_and_sym_are_their_characters():
    content = (f"{run('2024')}<w:r><w:noBreakHyphen/></w:r>{run('2025')}<w:r><w:tab/></w:r>{run('年')}"
               "<w:r><w:sym w:font='Wingdings' w:char='F0FC'/></w:r>")
    assert grid_of(tbl([f"<w:tr>{cell_xml(content)}</w:tr>"], columns=1)).rows[0].cells[0].text == "2024-2025 年\uf0fc"


def test_ins_and_moveTo_are_text_del_and_moveFrom_are_not():
    content = (f"<w:del w:id='1' w:author='a'><w:r><w:delText>市错误局、</w:delText></w:r></w:del>"
               f"<w:ins w:id='2' w:author='a'>{run('市财政局')}</w:ins>"
               f"<w:moveFrom w:id='3' w:author='a'>{run('、市挪走局')}</w:moveFrom>"
               f"<w:moveTo w:id='4' w:author='a'>{run('、市教育局')}</w:moveTo>")
    assert grid_of(tbl([f"<w:tr>{cell_xml(content)}</w:tr>"], columns=1)).rows[0].cells[0].text == "市财政局、市教育局"


def test_instrText_is_not_text_the_field_result_is():
    content = ("<w:r><w:fldChar w:fldCharType='begin'/></w:r><w:r><w:instrText> DOCPROPERTY 牵头 </w:instrText></w:r>"
               f"<w:r><w:fldChar w:fldCharType='separate'/></w:r>{run('市财政局')}"
               "<w:r><w:fldChar w:fldCharType='end'/></w:r>"
               f"<w:fldSimple w:instr=' TITLE '>{run('（标题）')}</w:fldSimple>")
    assert grid_of(tbl([f"<w:tr>{cell_xml(content)}</w:tr>"], columns=1)).rows[0].cells[0].text == "市财政局（标题）"


def test_sdt_hyperlink_and_smartTag_are_read_through():
    """Content controls around a row, a cell and runs; a hyperlink and a smart tag around runs."""
    cell = cell_xml(f"<w:sdt><w:sdtContent>{run('市财')}</w:sdtContent></w:sdt>"
                    f"<w:hyperlink w:anchor='x'>{run('政')}</w:hyperlink><w:smartTag>{run('局')}</w:smartTag>")
    row = f"<w:tr><w:sdt><w:sdtContent>{cell}</w:sdtContent></w:sdt>{tc('乙')}</w:tr>"
    body = tbl([tr(["任务", "单位"]), f"<w:sdt><w:sdtContent>{row}</w:sdtContent></w:sdt>"], columns=2)
    assert placed(grid_of(body))[1] == [(1, 0, 1, 1, "市财政局"), (1, 1, 1, 1, "乙")]


def test_mc_AlternateContent_is_read_once():
    """mc:Fallback repeats mc:Choice for older readers: its text is not read a second time."""
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    content = (f"<mc:AlternateContent xmlns:mc='{mc}'><mc:Choice Requires='wps'>{run('甲')}</mc:Choice>"
               f"<mc:Fallback>{run('甲')}</mc:Fallback></mc:AlternateContent>")
    assert grid_of(tbl([f"<w:tr>{cell_xml(content)}</w:tr>"], columns=1)).rows[0].cells[0].text == "甲"


def test_vanish_hides_a_run_with_a_note():
    content = run("市财政局") + run("、市审计局", "<w:vanish/>") + run("（已完成）", "<w:vanish w:val='0'/>")
    extracted = read(tbl([f"<w:tr>{cell_xml(content)}</w:tr>"], columns=1))
    assert extracted.tables[0].rows[0].cells[0].text == "市财政局（已完成）"
    assert [(note.code, note.message) for note in extracted.notes] == [
        ("hidden-content", "text formatted as hidden in Word was not read: 、市审计局")]


def test_nested_tbl_stays_in_its_cell():
    inner = tbl([tr(["阶段", "时间"]), tr(["启动", "3月"])], columns=2)
    outer = tbl([tr(["任务", "单位"]), f"<w:tr><w:tc>{paragraph('甲')}{inner}<w:p/></w:tc>{tc('乙')}</w:tr>"],
                columns=2)
    grid = grid_of(outer)
    assert grid.ncols == 2
    assert grid.rows[1].cells[0].text.split("\n") == ["甲", "阶段", "时间", "启动", "3月"]


def test_tbl_of_one_cell_is_a_frame_around_the_body():
    framed = f"<w:tbl><w:tr><w:tc>{paragraph('关于印发工作要点的通知')}{tbl([tr(['任务', '单位'])], columns=2)}<w:p/>" \
             "</w:tc></w:tr></w:tbl>"
    extracted = read(framed)
    assert extracted.paragraphs == ["关于印发工作要点的通知"]
    assert [[c.text for c in row.cells] for row in extracted.tables[0].rows] == [["任务", "单位"]]


def test_p_before_and_between_tables_are_paragraphs_and_place_the_tables():
    body = (paragraph("关于印发工作要点的通知") + paragraph("附件") + tbl([tr(["任务", "单位"])], columns=2)
            + paragraph("附件2") + tbl([tr(["联系人", "电话"])], columns=2))
    extracted = read(body)
    assert extracted.paragraphs == ["关于印发工作要点的通知", "附件", "附件2"]
    assert [(grid.index, grid.after_paragraph) for grid in extracted.tables] == [(0, 2), (1, 3)]


def test_tbl_split_in_two_repeating_its_header_is_one_grid():
    """Two w:tbl with nothing between them, the second repeating the header: one table, the repeat dropped."""
    header = tr(["任务", "单位"])
    body = tbl([header, tr(["甲", "市财政局"])], columns=2) + tbl([header, tr(["乙", "市教育局"])], columns=2)
    grid = grid_of(body)
    assert [[c.text for c in row.cells] for row in grid.rows] == [["任务", "单位"], ["甲", "市财政局"],
                                                                  ["乙", "市教育局"]]
    assert [c.row for row in grid.rows for c in row.cells] == [0, 0, 1, 1, 2, 2]
    assert [row.source for row in grid.rows] == [(0, 0), (0, 1), (1, 1)]  # where each row stands in the file


def test_txbxContent_lines_stand_where_the_text_box_is_anchored():
    """A text box's paragraphs are lines of the paragraph that anchors it, read once, at the box's place."""
    vml = "urn:schemas-microsoft-com:vml"
    box = (f"<w:r><w:pict><v:shape xmlns:v='{vml}'><v:textbox><w:txbxContent>{paragraph('框1')}{paragraph('框2')}"
           "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>")
    content = run("前") + box + run("后")
    extracted = read(f"<w:p>{content}</w:p>" + tbl([f"<w:tr>{cell_xml(content)}</w:tr>"], columns=1))
    assert extracted.paragraphs == ["前框1\n框2\n后"]
    assert extracted.tables[0].rows[0].cells[0].lines == ["前框1", "框2", "后"]
