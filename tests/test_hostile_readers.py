"""Unusual and hostile input the readers must survive without losing text silently (issue 14).

Every fixture is a few lines of XML (conftest's builders), HTML or text: a task table of three rows (工作任务,
牵头单位, 责任单位, 完成时限) written the way the case needs, converted with `convert_bytes`.
"""

from __future__ import annotations

import io
import time
import zipfile
from xml.sax.saxutils import escape

import pytest
from conftest import R_NS, REL_TYPES, W_NS, docx, paragraph, tbl, tc, tr, workbook, xlsx_bytes

from fenjie.errors import FenjieError, TooLarge
from fenjie.extract.webpage import read_html
from fenjie.model import Document
from fenjie.pipeline import convert_bytes

HEADER = ["工作任务", "牵头单位", "责任单位", "完成时限"]
ROWS = [
    ["完善政务公开制度", "市政府办公室", "市司法局", "2024年6月底前"],
    ["推进重点领域信息公开", "市财政局", "市教育局", "2024年9月底前"],
    ["加强政策解读", "市发展改革委", "市商务局", "2024年12月底前"],
]


# --- fixtures -----------------------------------------------------------------------------------


def task_tbl(rows: list[list[str]] = ROWS) -> str:
    return tbl([tr(HEADER), *(tr(row) for row in rows)])


def alt_chunk(target: str) -> tuple[str, str]:
    """A w:altChunk in the body and its relationship."""
    return ("<w:altChunk r:id='rIdChunk'/>",
            f"<Relationship Id='rIdChunk' Type='{REL_TYPES}/aFChunk' Target='{target}'/>")


def html_table(rows: list[list[str]] = ROWS) -> str:
    cells = "".join("<tr>" + "".join(f"<td>{escape(t)}</td>" for t in row) + "</tr>" for row in [HEADER, *rows])
    return f"<table border='1'>{cells}</table>"


def convert(data: bytes, name: str) -> Document:
    return convert_bytes(data, name)


def units(document: Document) -> list[str]:
    return [unit.name for unit in document.units]


def warnings(document: Document, code: str) -> list[str]:
    return [warning.message for warning in document.warnings if warning.code == code]


def assert_task_rows(document: Document) -> None:
    assert [row.requirement for row in document.rows] == [r[0] for r in ROWS]
    assert [row.lead for row in document.rows] == [[r[1]] for r in ROWS]
    assert [row.responsible for row in document.rows] == [[r[2]] for r in ROWS]
    assert not warnings(document, "lost-text")


# --- 5: w:altChunk -----------------------------------------------------------------------------


def test_an_alt_chunk_of_html_is_read_through_the_html_table_reader():
    chunk, rel = alt_chunk("afchunk.htm")
    page = f"<html><body><p>2024年政务公开工作任务分解表</p>{html_table()}</body></html>"
    document = convert(docx(paragraph("关于印发2024年工作要点的通知") + chunk,
                            parts={"word/afchunk.htm": page}, part_rels=rel), "chunk.docx")
    assert_task_rows(document)
    assert document.notice.title == "关于印发2024年工作要点的通知"
    assert document.table.title == "2024年政务公开工作任务分解表"


def test_an_alt_chunk_of_mhtml_is_read():
    """html-docx-js and CMS exporters import an MHTML document, its HTML quoted-printable."""
    import quopri

    html = quopri.encodestring(f"<html><body>{html_table()}</body></html>".encode()).decode("ascii")
    mht = ("MIME-Version: 1.0\nContent-Type: multipart/related; boundary=\"B\"\n\n--B\n"
           "Content-Type: text/html; charset=\"utf-8\"\nContent-Transfer-Encoding: quoted-printable\n\n"
           f"{html}\n--B--\n")
    chunk, rel = alt_chunk("/word/afchunk.mht")
    assert_task_rows(convert(docx(chunk, parts={"word/afchunk.mht": mht}, part_rels=rel), "mht.docx"))


def test_an_alt_chunk_of_a_docx_part_is_read():
    chunk, rel = alt_chunk("inner.docx")
    inner = docx(paragraph("任务分解表") + task_tbl())
    assert_task_rows(convert(docx(chunk, parts={"word/inner.docx": inner}, part_rels=rel), "embedded.docx"))


def test_an_alt_chunk_that_cannot_be_read_is_a_warning():
    chunk, rel = alt_chunk("afchunk.rtf")
    document = convert(docx(task_tbl() + chunk, parts={"word/afchunk.rtf": r"{\rtf1 市审计局}"}, part_rels=rel),
                       "rtf.docx")
    assert_task_rows(document)
    assert warnings(document, "unread-content") == [
        "an imported part (w:altChunk) was not read: word/afchunk.rtf (rtf); open the document in Word and save "
        "it again to make its content ordinary text"]


@pytest.mark.parametrize("part, kind", [("book.xlsx", "not a Word document, or imported by one"),
                                        ("image.bin", "not text")])
def test_an_alt_chunk_of_another_kind_of_file_is_a_warning(part, kind):
    chunk, rel = alt_chunk(part)
    content = xlsx_bytes(workbook(("Sheet1", [["x"]]))) if part.endswith("xlsx") else b"\x89PNG\r\n\x1a\n\x00\x00"
    document = convert(docx(task_tbl() + chunk, parts={f"word/{part}": content}, part_rels=rel), "other.docx")
    assert_task_rows(document)
    assert warnings(document, "unread-content") == [
        f"an imported part (w:altChunk) was not read: word/{part} ({kind}); open the document in Word and save "
        "it again to make its content ordinary text"]


def test_an_alt_chunk_inside_a_table_cell_is_a_warning():
    chunk, rel = alt_chunk("afchunk.htm")
    body = task_tbl().replace("<w:t xml:space='preserve'>市商务局</w:t></w:r></w:p>",
                              f"<w:t xml:space='preserve'>市商务局</w:t></w:r></w:p>{chunk}")
    document = convert(docx(body, parts={"word/afchunk.htm": "<p>市审计局</p>"}, part_rels=rel), "cell.docx")
    assert_task_rows(document)
    assert warnings(document, "unread-content") == [
        "an imported part (w:altChunk) inside a table cell or text box was not read: word/afchunk.htm"]


# --- 6: formula cells without a saved value -----------------------------------------------------


def test_a_formula_without_a_saved_value_is_named():
    book = workbook(("Sheet1", [HEADER, *ROWS]))
    book["Sheet1"]["D3"] = '=CONCATENATE("2024年","9月底前")'  # openpyxl saves formulas uncalculated
    document = convert(xlsx_bytes(book), "formula.xlsx")
    assert warnings(document, "formula-without-value") == [
        'Sheet1!D3 is a formula with no saved value (=CONCATENATE("2024年","9月底前")); open the file in Excel '
        "or WPS and save it to store the values"]
    assert document.rows[1].deadline.text is None


def test_a_formula_with_a_value_excel_saved_is_read_quietly():
    book = workbook(("Sheet1", [HEADER, *ROWS]))
    book["Sheet1"]["D3"] = '=CONCATENATE("2024年","9月底前")'
    # As Excel saves it: the formula with its value, and no request to calculate on load.
    data = rewrite_parts(xlsx_bytes(book), {
        "xl/worksheets/sheet1.xml": lambda xml: xml.replace(b'<c r="D3"><f>', b'<c r="D3" t="str"><f>').replace(
            b"<v></v>", "<v>2024年9月底前</v>".encode()),
        "xl/workbook.xml": lambda xml: xml.replace(b' fullCalcOnLoad="1"', b""),
    })
    document = convert(data, "saved.xlsx")
    assert document.rows[1].deadline.text == "2024年9月底前"
    assert not warnings(document, "formula-without-value")


def rewrite_parts(data: bytes, edits: dict) -> bytes:
    source, buffer = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename in edits:
                edited = edits[info.filename](content)
                assert edited != content, info.filename
                content = edited
            target.writestr(info, content)
    return buffer.getvalue()


# --- 7: hidden sheets, rows, text ---------------------------------------------------------------


def test_a_hidden_sheet_with_an_old_table_is_not_the_task_table():
    old = [HEADER, ["去年的任务", "市旧局", "市旧办", "2023年底前"]]
    book = workbook(("2023年", old), ("2024年", [HEADER, *ROWS]))
    book["2023年"].sheet_state = "hidden"
    document = convert(xlsx_bytes(book), "hidden-sheet.xlsx")
    assert_task_rows(document)
    assert warnings(document, "hidden-content") == [
        "sheet '2023年' is hidden and was not read (8 cells): 工作任务 | 牵头单位 | 责任单位 | 完成时限 | 去年的任务 | "
        "市旧局 | 市旧办 | 2023年底前"]
    assert not warnings(document, "other-table")


def test_a_hidden_row_is_not_a_task():
    book = workbook(("Sheet1", [HEADER, ROWS[0], ["删去的任务", "市旧局", "市旧办", "2023年底前"], *ROWS[1:]]))
    book["Sheet1"].row_dimensions[3].hidden = True
    document = convert(xlsx_bytes(book), "hidden-row.xlsx")
    assert_task_rows(document)
    assert warnings(document, "hidden-content") == [
        "sheet 'Sheet1' row 3 is hidden and was not read: 删去的任务 | 市旧局 | 市旧办 | 2023年底前"]


def test_a_hidden_column_and_rows_a_filter_hides_are_not_read():
    book = workbook(("Sheet1", [[*HEADER, "内部备注"], *([*row, "旧"] for row in ROWS)]))
    sheet = book["Sheet1"]
    sheet.column_dimensions["E"].hidden = True
    sheet.auto_filter.ref = "A1:E4"
    sheet.auto_filter.add_filter_column(1, ["市政府办公室", "市发展改革委"])
    sheet.row_dimensions[3].hidden = True
    document = convert(xlsx_bytes(book), "filtered.xlsx")
    assert [row.requirement for row in document.rows] == [ROWS[0][0], ROWS[2][0]]
    assert [column.header for column in document.table.columns] == HEADER
    assert warnings(document, "hidden-content") == [
        "sheet 'Sheet1' column E is hidden and was not read: 内部备注 | 旧 | 旧",
        "sheet 'Sheet1' row 3 is hidden by a filter and was not read: " + " | ".join([*ROWS[1], "旧"]),
    ]


def test_a_hidden_row_inside_a_merge_shortens_it():
    book = workbook(("Sheet1", [HEADER, *ROWS]))
    sheet = book["Sheet1"]
    sheet.insert_rows(3)
    sheet["B3"] = "市旧局"
    sheet.merge_cells("C2:C4")  # 市司法局 over its own row, the hidden one and the next
    sheet.row_dimensions[3].hidden = True
    document = convert(xlsx_bytes(book), "merge.xlsx")
    assert [row.responsible for row in document.rows] == [["市司法局"], ["市司法局"], ["市商务局"]]
    assert warnings(document, "hidden-content") == ["sheet 'Sheet1' row 3 is hidden and was not read: 市旧局"]


def test_text_hidden_in_word_is_not_read():
    hidden = "<w:r><w:rPr><w:vanish/></w:rPr><w:t>、市审计局</w:t></w:r>"
    body = task_tbl().replace("<w:t xml:space='preserve'>市财政局</w:t></w:r>",
                              f"<w:t xml:space='preserve'>市财政局</w:t></w:r>{hidden}")
    shown = "<w:r><w:rPr><w:vanish w:val='0'/></w:rPr><w:t>（已完成）</w:t></w:r>"
    body = body.replace("<w:t xml:space='preserve'>加强政策解读</w:t></w:r>",
                        f"<w:t xml:space='preserve'>加强政策解读</w:t></w:r>{shown}")
    document = convert(docx(body), "vanish.docx")
    assert document.rows[1].lead == ["市财政局"]
    assert document.rows[2].requirement == "加强政策解读（已完成）"
    assert warnings(document, "hidden-content") == ["text formatted as hidden in Word was not read: 、市审计局"]


def test_text_of_a_hidden_style_is_not_read():
    styles = (f"<?xml version='1.0'?><w:styles xmlns:w='{W_NS}'><w:style w:type='character' w:styleId='Secret'>"
              "<w:rPr><w:vanish/></w:rPr></w:style><w:style w:type='character' w:styleId='Note'>"
              "<w:basedOn w:val='Secret'/></w:style><w:style w:type='character' w:styleId='Shown'>"
              "<w:basedOn w:val='Secret'/><w:rPr><w:vanish w:val='false'/></w:rPr></w:style></w:styles>")
    styled = "<w:r><w:rPr><w:rStyle w:val='{}'/></w:rPr><w:t>{}</w:t></w:r>"
    body = task_tbl().replace("<w:t xml:space='preserve'>市财政局</w:t></w:r>",
                              "<w:t xml:space='preserve'>市财政局</w:t></w:r>" + styled.format("Note", "、市审计局"))
    body = body.replace("<w:t xml:space='preserve'>加强政策解读</w:t></w:r>",
                        "<w:t xml:space='preserve'>加强政策解读</w:t></w:r>" + styled.format("Shown", "（已完成）"))
    rel = f"<Relationship Id='rIdStyles' Type='{REL_TYPES}/styles' Target='styles.xml'/>"
    document = convert(docx(body, parts={"word/styles.xml": styles}, part_rels=rel), "styles.docx")
    assert document.rows[1].lead == ["市财政局"]
    assert document.rows[2].requirement == "加强政策解读（已完成）"
    assert warnings(document, "hidden-content") == ["text formatted as hidden in Word was not read: 、市审计局"]


def test_text_a_page_hides_is_not_read():
    table = html_table().replace("<td>市教育局</td>", "<td>市教育局<span style='DISPLAY: none'>、市审计局</span></td>")
    table = table.replace("<tr><td>加强", "<tr hidden><td>旧任务</td><td>市旧局</td><td>无</td>"
                                          "<td>2023年</td></tr><tr><td>加强")
    page = (f"<html><head><meta charset='utf-8'><title>通知</title></head><body><div class='menu' "
            f"style='display:none'>首页 机构</div><div>{table}</div></body></html>")
    document = convert(page.encode(), "hidden.html")
    assert_task_rows(document)
    assert warnings(document, "hidden-content") == [
        "text the page hides (display:none) was not read: 、市审计局",
        "text the page hides (the hidden attribute) was not read: 旧任务 市旧局 无 2023年",
    ]  # the hidden menu outside the article is page chrome, like the visible one


# --- 8: TAB rows have no quoting ----------------------------------------------------------------


def test_a_tab_cell_starting_with_a_quote_keeps_the_rows_after_it():
    rows = [['"十四五"规划任务', *ROWS[0][1:]], ['"数字政府', *ROWS[1][1:]], ROWS[2]]
    text = "\n".join("\t".join(row) for row in [HEADER, *rows])
    document = convert(text.encode(), "quotes.txt")
    assert [row.requirement for row in document.rows] == ['"十四五"规划任务', '"数字政府', "加强政策解读"]
    assert [row.lead for row in document.rows] == [[r[1]] for r in ROWS]


def test_a_tab_cell_with_line_breaks_in_excel_quotes_is_one_cell():
    rows = ["\t".join(HEADER), "完善政务公开制度\t\"市政府办公室\n市司法局\"\t市司法局\t2024年6月底前",
            "\t".join(ROWS[1]), "\t".join(ROWS[2])]
    document = convert("\n".join(rows).encode(), "excel.txt")
    assert [row.lead for row in document.rows] == [["市政府办公室", "市司法局"], ["市财政局"], ["市发展改革委"]]


# --- 9: w:gridBefore and w:gridAfter ------------------------------------------------------------


@pytest.mark.parametrize("value", ["-3", "1000000000", "x"])
def test_grid_before_and_after_out_of_range_shift_nothing(value):
    props = f"<w:gridBefore w:val='{value}'/><w:gridAfter w:val='{value}'/>"
    body = tbl([tr(HEADER), *(tr(row, props) for row in ROWS)])
    document = convert(docx(body), "grid.docx")
    assert_task_rows(document)
    assert [row.deadline.text for row in document.rows] == [r[3] for r in ROWS]


def test_grid_before_that_fits_the_grid_still_shifts():
    body = tbl([tr(HEADER), tr(ROWS[0]), tr(ROWS[1][1:], "<w:gridBefore w:val='1'/>"), tr(ROWS[2])])
    document = convert(docx(body), "indent.docx")
    assert [row.lead for row in document.rows] == [[r[1]] for r in ROWS]
    assert document.rows[1].requirement is None


# --- 10: a small table inside a cell ------------------------------------------------------------


def test_a_small_table_in_a_cell_of_a_docx_task_table_stays_in_its_cell():
    inner = tbl([tr(["阶段", "时间"]), tr(["启动", "3月"])], columns=2)
    cell = tc(ROWS[1][0]).replace("</w:tc>", f"{inner}<w:p/></w:tc>")
    body = tbl([tr(HEADER), tr(ROWS[0]), f"<w:tr>{cell}{''.join(map(tc, ROWS[1][1:]))}</w:tr>", tr(ROWS[2])])
    document = convert(docx(body), "inner.docx")
    assert [row.lead for row in document.rows] == [[r[1]] for r in ROWS]
    assert document.rows[1].requirement.split("\n") == ["推进重点领域信息公开", "阶段", "时间", "启动", "3月"]


def test_a_table_of_one_cell_around_the_task_table_is_a_frame():
    frame = f"<w:tbl><w:tr><w:tc>{paragraph('关于印发工作要点的通知')}{task_tbl()}<w:p/></w:tc></w:tr></w:tbl>"
    document = convert(docx(frame), "framed.docx")
    assert_task_rows(document)
    assert document.notice.title == "关于印发工作要点的通知"


def test_a_small_table_in_a_cell_of_an_html_task_table_stays_in_its_cell():
    inner = "<table><tr><td>阶段</td><td>时间</td></tr><tr><td>启动</td><td>3月</td></tr></table>"
    page = html_table().replace("<td>推进重点领域信息公开</td>", f"<td>推进重点领域信息公开{inner}</td>")
    document = convert(f"<html><body><p>关于印发工作要点的通知</p>{page}</body></html>".encode(), "inner.html")
    assert [row.lead for row in document.rows] == [[r[1]] for r in ROWS]
    assert document.rows[1].requirement.split("\n") == ["推进重点领域信息公开", "阶段", "时间", "启动", "3月"]


def test_a_layout_table_around_the_task_table_is_not_the_task_table():
    page = (f"<html><body><table><tr><td>网站首页</td><td><p>关于印发工作要点的通知</p>{html_table()}</td></tr>"
            "</table></body></html>")
    assert_task_rows(convert(page.encode(), "layout.html"))


# --- 11: units separated by white space only ----------------------------------------------------


def test_units_separated_by_spaces_are_split():
    rows = [[*ROWS[0][:2], "市司法局 市教育局\t市民政局", ROWS[0][3]], [*ROWS[1][:2], "市财政局　市政府各部门",
                                                                    ROWS[1][3]], ROWS[2]]
    document = convert(docx(task_tbl(rows)), "spaces.docx")
    assert [row.responsible for row in document.rows[:2]] == [["市司法局", "市教育局", "市民政局"],
                                                              ["市财政局", "市政府各部门"]]
    assert "responsible_names" in document.rows[0].inferred


def test_a_name_written_with_spaces_stays_one_name():
    rows = [[*ROWS[0][:2], "市 司 法 局", ROWS[0][3]], [*ROWS[1][:2], "济宁市 教育局", ROWS[1][3]], ROWS[2]]
    document = convert(docx(task_tbl(rows)), "spaced.docx")
    assert [row.responsible for row in document.rows[:2]] == [["市司法局"], ["济宁市教育局"]]


# --- 13: declared encodings ---------------------------------------------------------------------


def page_declaring(charset: str, encoding: str = "utf-8", filler: int = 0) -> bytes:
    """A page in ENCODING (ascii: every Chinese character a character reference) that declares CHARSET."""
    paragraphs = ("<p>" + "各单位要认真落实。" * 20 + "</p>") * filler
    return (f"<html><head><meta charset='{charset}'></head><body><p>关于印发工作要点的通知</p>{html_table()}"
            f"{paragraphs}</body></html>").encode(encoding, "xmlcharrefreplace")


@pytest.mark.parametrize("charset", ["punycode", "utf-7", "idna", "rot13", "no-such-charset"])
@pytest.mark.parametrize("encoding", ["ascii", "utf-8"])
def test_a_label_browsers_do_not_know_falls_back_to_the_bytes(charset, encoding):
    assert_task_rows(convert(page_declaring(charset, encoding), "label.html"))


def test_whatwg_labels_are_taken_as_browsers_take_them():
    assert_task_rows(convert(page_declaring("x-gbk", "gb18030"), "gbk.html"))
    assert_task_rows(convert(page_declaring("chinese", "gbk"), "chinese.html"))
    assert_task_rows(convert(page_declaring("utf-16"), "utf16-label.html"))  # ASCII bytes cannot be UTF-16


def test_a_large_page_declaring_punycode_is_read_in_linear_time():
    page = page_declaring("punycode", "ascii", filler=420)
    assert len(page) > 600_000
    started = time.perf_counter()
    document = convert(page, "big.html")
    assert time.perf_counter() - started < 10
    assert_task_rows(document)


@pytest.mark.parametrize("data", [b"\xef\xbb\xbf<html><body>\xff\xfe</body></html>", b"\xef\xbb\xbf\xc3\x28\t\xe4\xbb"])
def test_bytes_that_break_the_encoding_they_start_with_are_corrupt(data):
    with pytest.raises(FenjieError) as refused:
        convert(data, "broken.html")
    assert refused.value.code == "corrupt" and "is not UTF-8" in str(refused.value)


# --- 16: nesting depth --------------------------------------------------------------------------


def nested_page(depth: int) -> bytes:
    return (f"<html><body>{'<div>' * depth}<p>关于印发工作要点的通知</p>{html_table()}{'</div>' * depth}"
            "</body></html>").encode()


def test_a_page_nested_past_the_parser_limit_is_refused():
    with pytest.raises(TooLarge, match="nests its elements more than 255 deep"):
        convert(nested_page(300), "deep.html")


def test_a_document_nested_past_the_parser_limit_is_refused():
    body = "<w:sdt><w:sdtContent>" * 300 + task_tbl() + "</w:sdtContent></w:sdt>" * 300
    with pytest.raises(TooLarge, match="word/document.xml nests its elements more than 255 deep"):
        convert(docx(body), "deep.docx")


def test_a_deep_page_within_the_limit_is_read_in_time_that_does_not_grow_with_depth():
    filler = "<p>" + "各单位要认真落实工作任务。" * 10 + "</p>"

    def seconds(depth: int) -> float:
        page = nested_page(depth).replace(b"<p>", (filler * 3000).encode() + b"<p>", 1)
        started = time.process_time()  # CPU time: other work on a busy machine does not count
        read_html(page, "deep.html")
        return time.process_time() - started

    assert_task_rows(convert(nested_page(240), "deep.html"))
    shallow, deep = min(seconds(2) for _ in range(2)), min(seconds(240) for _ in range(2))
    assert deep < 2 * shallow + 0.1, (shallow, deep)  # on main: 7x


# --- 18: w:sym codes XML cannot hold, spans no worksheet can ------------------------------------


@pytest.mark.parametrize("code", ["0000", "000B", "FFFE", "D800", "110000", "FFFFFFFFFFFFFFFFFFFF"])
def test_a_symbol_xml_cannot_hold_is_dropped(code):
    sym = f"<w:r><w:sym w:font='Symbol' w:char='{code}'/></w:r>"
    body = task_tbl().replace("<w:t xml:space='preserve'>市财政局</w:t></w:r>",
                              f"<w:t xml:space='preserve'>市财政局</w:t></w:r>{sym}")
    assert_task_rows(convert(docx(body), "sym.docx"))


def test_a_symbol_of_a_symbol_font_is_kept():
    sym = "<w:r><w:sym w:font='Wingdings' w:char='F0FC'/></w:r>"
    body = task_tbl().replace("<w:t xml:space='preserve'>加强政策解读</w:t></w:r>",
                              f"<w:t xml:space='preserve'>加强政策解读</w:t></w:r>{sym}")
    assert convert(docx(body), "sym.docx").rows[2].requirement == "加强政策解读\uf0fc"


def test_a_span_wider_than_a_worksheet_is_too_large():
    body = tbl([tr(HEADER), tr(ROWS[0]), tr(["说明"], cell_props="<w:gridSpan w:val='50000'/>")])
    with pytest.raises(TooLarge, match="50000 columns"):
        convert(docx(body), "span.docx")


# --- 19: Strict OOXML and the main part named by _rels/.rels -------------------------------------


def test_a_main_part_with_another_name_is_found_through_rels():
    assert_task_rows(convert(docx(task_tbl(), main="word/document2.xml"), "renamed.docx"))
    assert_task_rows(convert(docx(task_tbl(), main="content/main.xml"), "renamed.docx"))


def test_strict_ooxml_is_read():
    data = rewrite_parts(docx(task_tbl()), {
        "word/document.xml": lambda xml: xml.replace(W_NS.encode(), b"http://purl.oclc.org/ooxml/wordprocessingml/main")
        .replace(R_NS.encode(), b"http://purl.oclc.org/ooxml/officeDocument/relationships"),
        "_rels/.rels": lambda xml: xml.replace(REL_TYPES.encode(), b"http://purl.oclc.org/ooxml/officeDocument/"
                                                                   b"relationships"),
    })
    document = convert(data, "strict.docx")
    assert document.source.format == "docx"
    assert_task_rows(document)


def test_a_strict_workbook_is_refused_as_unsupported():
    data = rewrite_parts(xlsx_bytes(workbook(("Sheet1", [HEADER, *ROWS]))), {
        "xl/workbook.xml": lambda xml: xml.replace(b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                                                   b"http://purl.oclc.org/ooxml/spreadsheetml/main"),
    })
    with pytest.raises(FenjieError) as refused:
        convert(data, "strict.xlsx")
    assert refused.value.code == "unsupported-format" and "Strict Open XML" in str(refused.value)
