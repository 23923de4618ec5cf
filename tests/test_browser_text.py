"""A browser's "save as text" of a notice's web page reads like Word's text export.

The browser writes the page's chrome and metadata box as lines, each table cell on its own TAB-indented
line (a cell's paragraphs on the lines below it), a blank line after each row, and no cell at all where
a cell merged from above (rowspan) covers the column — Word writes an empty cell there.
"""

from __future__ import annotations

import pytest
from conftest import SEED_DOCX, SEED_EXPECTED, compare

from fenjie.extract.docx import read_docx
from fenjie.extract.grid import Extracted
from fenjie.extract.txt import read_txt
from fenjie.pipeline import convert

CHROME = ["首页", "政务公开", "当前位置：首页 > 政务公开 > 通知公告", "",
          "\t索引号：", "\t11370800004349613X/2024-00123", "\t发布机构：", "\t济宁市人民政府办公室", "",
          "\t成文日期：", "\t2024年02月29日", "\t发布日期：", "\t2024年03月05日", "", ""]


def browser_text(seed: Extracted) -> str:
    lines = [*CHROME, *seed.paragraphs, ""]
    for row in seed.tables[0].rows:
        lines += ["\t" + c.text for c in row.cells]  # cells covered by a merge above are not written
        lines.append("")
    return "\n".join([*lines, "【打印】【关闭】"]) + "\n"


@pytest.fixture(scope="module")
def seed() -> Extracted:
    return read_docx(SEED_DOCX.read_bytes(), str(SEED_DOCX))


@pytest.mark.parametrize("encoding, newline", [("utf-8", "\n"), ("gb18030", "\r\n")])
def test_browser_text_gives_the_seed_rows(seed, tmp_path, encoding, newline):
    path = tmp_path / "page.txt"
    path.write_bytes(browser_text(seed).replace("\n", newline).encode(encoding))
    document = convert(path)
    report = compare(document.model_dump(mode="json"), SEED_EXPECTED, tmp_path)
    assert report.splitlines()[-1] == "rows 73/73 exact, fields 511/511, notice 6/6"
    # The metadata box is the page's, not a table of the notice; the print tools are no text.
    notice = document.notice
    assert (notice.date, notice.published, notice.index_no) == ("2024-02-29", "2024-03-05",
                                                                "11370800004349613X/2024-00123")
    assert not [w for w in document.warnings if w.code in ("other-table", "lost-text")]
    assert "打印" not in document.model_dump_json()


SHORT_ROWS = ("\t任务\n\t牵头单位\n\t完成时限\n\n\t甲\n\t市财政局\n\t6月\n\n\t市教育局\n\t9月\n\n"
              "\t乙\n\t市商务局\n\t12月\n")
WORD_BLANK_IN_CELL = "\t任务\n\t牵头单位\n\t完成时限\n\n\t甲\n\t市财政局\n\n市教育局\n\t6月\n\n"


@pytest.mark.parametrize("text, want", [
    # A short row keeps its cells on the right: the task cell above is merged down over it.
    (SHORT_ROWS, [[(0, 0, 1, "任务"), (0, 1, 1, "牵头单位"), (0, 2, 1, "完成时限")],
                  [(1, 0, 2, "甲"), (1, 1, 1, "市财政局"), (1, 2, 1, "6月")],
                  [(2, 1, 1, "市教育局"), (2, 2, 1, "9月")],
                  [(3, 0, 1, "乙"), (3, 1, 1, "市商务局"), (3, 2, 1, "12月")]]),
    # Word's export: a blank line inside a row still short of cells is an empty paragraph of the cell.
    (WORD_BLANK_IN_CELL, [[(0, 0, 1, "任务"), (0, 1, 1, "牵头单位"), (0, 2, 1, "完成时限")],
                          [(1, 0, 1, "甲"), (1, 1, 1, "市财政局\n\n市教育局"), (1, 2, 1, "6月")]]),
], ids=["browser short rows", "word blank line in a cell"])
def test_cell_lines_rows(text, want):
    grid = read_txt(text.encode("utf-8"), "t.txt").tables[0]
    assert [[(c.row, c.col, c.rowspan, c.text) for c in row.cells] for row in grid.rows] == want
