"""Builds the default letter template, fenjie/data/letter.docx: `python -m fenjie.data.build_template`.

The template is a real Word file with docxtpl (jinja2) tags; README "Templates" lists its variables.
Its layout follows GB/T 9704-2012 (党政机关公文格式): A4, margins 37/35/28/26 mm, title 2号 小标宋,
body 3号 仿宋 on a fixed 28.95 pt line (22 lines a page), headings 黑体 and 楷体, page numbers
"— 1 —" in 4号 宋体. Word takes a CJK font only from `w:eastAsia`, which python-docx's `font.name`
does not set, so every style names its East Asian font explicitly and never a theme font.
The output is byte-stable (fixed zip times), so a test can compare it with the committed file.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

TARGET = Path(__file__).with_name("letter.docx")
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_1_FONT = "黑体"
HEADING_2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
# Font -> a commoner face a machine without it may use instead; charset 86 is GB2312.
FALLBACKS = {BODY_FONT: "仿宋", TITLE_FONT: "宋体", HEADING_1_FONT: "SimHei", HEADING_2_FONT: "楷体",
             PAGE_NUMBER_FONT: "SimSun"}

SIZE_2, SIZE_3, SIZE_4, SIZE_SMALL_4 = 22, 16, 14, 12  # 号 -> points
LINE = Pt(28.95)  # fixed line: 22 lines on the 225 mm text block
NO_SPACE = Pt(0)
INDENT_CHARS = 200  # first-line indent in hundredths of a character: 2 characters

# The task tables: header, cell text and alignment per column; their widths (twips) come from the
# letter (`widths`), measured from the longest text of each column.
COLUMNS = ("序号", "工作任务", "具体要求", None, "完成时限")
ROW_CELLS = ("{{ row.no }}", "{{ row.task }}", "{{ row.requirement }}", None, "{{ row.deadline }}")
CENTERED_COLUMNS = {0, 4}
FULL_WIDTH_SPACE = "\u3000"

KEPT_STYLES = {"Normal", "Title", "Heading1", "Heading2", "Footer", "DefaultParagraphFont", "TableNormal",
               "NoList", "TableGrid"}
# docProps/app.xml without python-docx's leftovers (Microsoft Macintosh Word, Normal.dotm).
APP_XML = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
           b"<Application>fenjie</Application></Properties>")
# docProps/core.xml: filled in per letter (title, issuer, generation time).
CORE_XML = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            b'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            b"<dc:title>{{ title }}</dc:title><dc:creator>{{ notice.issuer }}</dc:creator>"
            b'<dcterms:created xsi:type="dcterms:W3CDTF">{{ created }}</dcterms:created>'
            b'<dcterms:modified xsi:type="dcterms:W3CDTF">{{ created }}</dcterms:modified>'
            b"</cp:coreProperties>")
# 22 lines of 28 characters on the 156 x 225 mm text block (GB/T 9704 §5.2.2): a line grid of 22 lines,
# and body characters condensed by 0.25 pt (156 mm / 28 = 15.79 pt a character). A character grid
# (linesAndChars) would say the same to Word, but LibreOffice puts each 3号 character on two of its cells.
LINE_PITCH = 579  # twips: 225 mm / 22
CONDENSED = -5  # twentieths of a point taken from each body character

DROPPED_RELATIONSHIPS = ("stylesWithEffects", "customXml", "numbering", "thumbnail")


def build() -> bytes:
    document = docx.Document()
    _drop_extras(document)
    _set_page(document.sections[0])
    _set_styles(document)
    _write_body(document)
    _write_page_numbers(document)
    _set_grid(document.sections[0])
    document.part.settings.element.find(qn("w:themeFontLang")).set(qn("w:eastAsia"), "zh-CN")
    raw = io.BytesIO()
    document.save(raw)
    return _packed(raw.getvalue(), {"word/fontTable.xml": _font_table(), "docProps/app.xml": APP_XML,
                                    "docProps/core.xml": CORE_XML})


def _drop_extras(document) -> None:
    """Parts python-docx's default carries that a letter never uses; they are most of its size."""
    for rels in (document.part.rels, document.part.package.rels):
        for key, rel in list(rels.items()):
            if rel.reltype.endswith(DROPPED_RELATIONSHIPS):
                del rels[key]
    styles = document.styles.element
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in KEPT_STYLES:
            styles.remove(style)
        for link in style.findall(qn("w:link")):
            style.remove(link)
    styles.remove(styles.find(qn("w:latentStyles")))


def _set_page(section) -> None:
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(23)  # the page number sits 7 mm below the text block


def _set_styles(document) -> None:
    styles = document.styles
    _set_defaults(styles)
    _style(styles["Normal"], BODY_FONT, SIZE_3, indent=True, justify=WD_ALIGN_PARAGRAPH.JUSTIFY)
    condensed = OxmlElement("w:spacing")
    condensed.set(qn("w:val"), str(CONDENSED))
    styles["Normal"].element.rPr.append(condensed)
    _style(styles["Title"], TITLE_FONT, SIZE_2, justify=WD_ALIGN_PARAGRAPH.CENTER)
    styles["Title"].paragraph_format.keep_with_next = True
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):  # no extra space around the title's digits: it is measured
        styles["Title"].element.pPr.append(_off(tag))
    _style(styles["Heading 1"], HEADING_1_FONT, SIZE_3, indent=True, outline=0)
    _style(styles["Heading 2"], HEADING_2_FONT, SIZE_3, indent=True, outline=1)
    _style(styles["Footer"], PAGE_NUMBER_FONT, SIZE_4, justify=WD_ALIGN_PARAGRAPH.RIGHT, line=None)
    styles["Footer"].paragraph_format.right_indent = Pt(SIZE_4)  # odd pages: right, one character in
    _style(_new_style(styles, "Footer Even"), PAGE_NUMBER_FONT, SIZE_4, line=None)
    styles["Footer Even"].paragraph_format.left_indent = Pt(SIZE_4)  # even pages: left, one character in
    _style(_new_style(styles, "Recipient"), BODY_FONT, SIZE_3, before=LINE)
    styles["Recipient"].paragraph_format.keep_with_next = True
    # The signature block: issuer and date centred on one another, the longer 4 characters from the right.
    _style(_new_style(styles, "Signature"), BODY_FONT, SIZE_3, justify=WD_ALIGN_PARAGRAPH.CENTER)
    styles["Signature"].paragraph_format.keep_with_next = True
    _style(_new_style(styles, "Attachment Note"), BODY_FONT, SIZE_3, indent=True)
    styles["Attachment Note"].paragraph_format.keep_with_next = True
    _style(_new_style(styles, "Attachment Label"), HEADING_1_FONT, SIZE_3)
    styles["Attachment Label"].paragraph_format.page_break_before = True
    styles["Attachment Label"].paragraph_format.keep_with_next = True
    _style(_new_style(styles, "Attachment Title"), TITLE_FONT, SIZE_2, justify=WD_ALIGN_PARAGRAPH.CENTER,
           after=LINE)
    styles["Attachment Title"].paragraph_format.keep_with_next = True
    _style(_new_style(styles, "Imprint"), BODY_FONT, SIZE_4, line=None)
    _style(_new_style(styles, "Table Text"), BODY_FONT, SIZE_SMALL_4, line=None)
    _style(_new_style(styles, "Table Heading"), HEADING_1_FONT, SIZE_SMALL_4, line=None,
           justify=WD_ALIGN_PARAGRAPH.CENTER)
    _style(_new_style(styles, "Table Note"), HEADING_2_FONT, SIZE_SMALL_4, line=None)


def _set_defaults(styles) -> None:
    """Document defaults without theme fonts, which would outrank the fonts named in the styles."""
    defaults = styles.element.find(qn("w:docDefaults"))
    run = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(run, BODY_FONT)
    # The document grid's character pitch is this size plus the grid's charSpace: the body's 3号.
    for tag in ("w:sz", "w:szCs"):
        run.find(qn(tag)).set(qn("w:val"), str(SIZE_3 * 2))
    run.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")


def _new_style(styles, name: str):
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles["Normal"]
    return style


def _style(style, font: str, size: int, *, indent: bool = False, justify=WD_ALIGN_PARAGRAPH.LEFT,
           line=LINE, before=NO_SPACE, after=NO_SPACE, outline: int | None = None) -> None:
    """Replace whatever the default template gave the style with exactly these settings."""
    for old in (style.element.pPr, style.element.rPr):
        if old is not None:
            style.element.remove(old)
    _set_fonts(style.element.get_or_add_rPr(), font)
    style.font.size = Pt(size)
    paragraph = style.paragraph_format
    paragraph.alignment = justify
    paragraph.space_before, paragraph.space_after = before, after
    if line is None:
        paragraph.line_spacing = 1.0
    else:
        paragraph.line_spacing = line  # a Length: python-docx writes lineRule="exact"
    paragraph.first_line_indent = Pt(2 * size if indent else 0)  # for readers that ignore firstLineChars
    style.element.pPr.ind.set(qn("w:firstLineChars"), str(INDENT_CHARS if indent else 0))
    if outline is not None:
        paragraph.keep_with_next = True
        style.element.pPr.get_or_add_outlineLvl().val = outline


def _off(tag: str):
    element = OxmlElement(tag)
    element.set(qn("w:val"), "0")
    return element


def _set_fonts(run_properties, font: str) -> None:
    fonts = run_properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        run_properties.insert(0, fonts)
    for key in list(fonts.attrib):
        del fonts.attrib[key]
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{slot}"), font)


def _write_body(document) -> None:
    """Title, 主送, body, 附件说明, signature, 附注; then each attachment on pages of its own; then 版记."""
    _loop(document, "{%p for line in title_lines %}", ("{{ line }}", "Title"), "{%p endfor %}")
    document.add_paragraph("{{ recipient }}：", style="Recipient")
    _loop(document, "{%p for text in body %}", ("{{ text }}", None), "{%p endfor %}", keep=True)
    _loop(document, "{%p for note in attachment_notes %}", ("{{ note }}", "Attachment Note"), "{%p endfor %}")
    document.add_paragraph("", style="Signature").paragraph_format.keep_with_next = True
    issuer = document.add_paragraph("{{ notice.issuer }}", style="Signature")
    issuer.paragraph_format.space_before = LINE
    document.add_paragraph("{{ date }}", style="Signature")
    _signature_indents(document.paragraphs[-2:])
    _loop(document, "{%p if contact %}", ("（联系人：{{ contact }}）", None), "{%p endif %}")
    _attachment(document, "lead_rows", "lead")
    _attachment(document, "responsible_rows", "responsible")
    _imprint(document)


def _loop(document, start: str, line: tuple[str, str | None], end: str, keep: bool = False) -> None:
    document.add_paragraph(start)
    paragraph = document.add_paragraph(line[0], style=line[1])
    paragraph.paragraph_format.keep_with_next = keep or None
    document.add_paragraph(end)


def _signature_indents(paragraphs) -> None:
    """Indents in hundredths of a character, from the letter: the block sits 4 characters from the right."""
    for paragraph, key in zip(paragraphs, ("issuer", "date"), strict=True):
        ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
        ind.set(qn("w:leftChars"), f"{{{{ signature.{key}_left }}}}")
        ind.set(qn("w:rightChars"), f"{{{{ signature.{key}_right }}}}")
        ind.set(qn("w:firstLineChars"), "0")


def _attachment(document, rows: str, role: str) -> None:
    """附件N: a label in 黑体, the attachment's title, and the table; left out when there are no such rows."""
    document.add_paragraph(f"{{%p if {rows} %}}")
    document.add_paragraph(f"附件{{{{ attachments.{role}.no }}}}", style="Attachment Label")
    document.add_paragraph(f"{{{{ attachments.{role}.title }}}}", style="Attachment Title")
    _task_table(document, rows, role)
    document.add_paragraph("{%p endif %}")


def _imprint(document) -> None:
    """版记 (GB/T 9704 §7.4): 抄送 and 印发机关/印发日期 between rules, at the end of the letter."""
    document.add_paragraph("{%p if cc %}")
    _ruled(document.add_paragraph("抄送：{{ cc }}。", style="Imprint"), ("top",))
    document.add_paragraph("{%p endif %}")
    imprint = document.add_paragraph("{{ notice.issuer }}\t{{ printed }}印发", style="Imprint")
    imprint.paragraph_format.tab_stops.add_tab_stop(Mm(154), alignment=2)  # right
    _ruled(imprint, ("top", "bottom"))
    imprint.paragraph_format.keep_together = True


def _ruled(paragraph, sides: tuple[str, ...]) -> None:
    borders = OxmlElement("w:pBdr")
    for side in sides:
        line = OxmlElement(f"w:{side}")
        for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
            line.set(qn(f"w:{key}"), value)
        borders.append(line)
    paragraph._p.get_or_add_pPr().append(borders)


def _task_table(document, rows: str, role: str) -> None:
    """The rows of one role; the fourth column names the row's other units (the notice's own header)."""
    table = document.add_table(rows=4, cols=len(COLUMNS))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    header, loop_start, row, loop_end = table.rows
    for column, title in enumerate(COLUMNS):
        width = f"{{{{ widths.{role}[{column}] }}}}"
        table._tbl.tblGrid.findall(qn("w:gridCol"))[column].set(qn("w:w"), width)
        for cells in table.rows:
            cells.cells[column]._tc.get_or_add_tcPr().get_or_add_tcW().set(qn("w:w"), width)
            cells.cells[column]._tc.tcPr.tcW.set(qn("w:type"), "dxa")
        _cell(header.cells[column], title or f"{{{{ partners_header.{role} }}}}", "Table Heading")
        _cell(row.cells[column], ROW_CELLS[column] or "{{ row.partners }}", "Table Text",
              centered=column in CENTERED_COLUMNS)
    # A row that came through a group says so on a line of its own under the task.
    row.cells[1].add_paragraph("{%p if row.group %}", style="Table Text")
    row.cells[1].add_paragraph("{{ row.group }}", style="Table Note")
    row.cells[1].add_paragraph("{%p endif %}", style="Table Text")
    _row_property(header, "w:tblHeader")  # repeated on every page
    _row_property(row, "w:cantSplit")  # a requirement is never cut by a page break
    _cell(loop_start.cells[0], f"{{%tr for row in {rows} %}}", "Table Text")
    _cell(loop_end.cells[0], "{%tr endfor %}", "Table Text")


def _cell(cell, text: str, style: str, centered: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.style = style
    paragraph.add_run(text)
    if centered:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _row_property(row, tag: str) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement(tag))


def _write_page_numbers(document) -> None:
    """"— 1 —": a PAGE field between two em dashes; odd pages on the right, even pages on the left."""
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    for footer, style in ((section.footer, "Footer"), (section.even_page_footer, "Footer Even")):
        paragraph = footer.paragraphs[0]
        paragraph.style = style
        paragraph.add_run("— ")
        paragraph.add_run()._r.append(_field_char("begin"))
        code = OxmlElement("w:instrText")
        code.set(qn("xml:space"), "preserve")
        code.text = " PAGE "
        paragraph.add_run()._r.append(code)
        paragraph.add_run()._r.append(_field_char("separate"))
        paragraph.add_run("1")
        paragraph.add_run()._r.append(_field_char("end"))
        paragraph.add_run(" —")


def _set_grid(section) -> None:
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))


def _field_char(kind: str):
    field = OxmlElement("w:fldChar")
    field.set(qn("w:fldCharType"), kind)
    return field


def _font_table() -> bytes:
    """Each font with a fallback face and the GB2312 charset, so a machine without it picks a CJK face."""
    table = etree.Element(qn("w:fonts"), nsmap={"w": W_NS})
    for font, fallback in FALLBACKS.items():
        entry = etree.SubElement(table, qn("w:font"), {qn("w:name"): font})
        for tag, value in (("w:altName", fallback), ("w:charset", "86"), ("w:family", "auto")):
            etree.SubElement(entry, qn(tag), {qn("w:val"): value})
    return etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def _packed(data: bytes, replaced: dict[str, bytes]) -> bytes:
    """The package with some parts replaced and fixed zip times, so that a build is byte-stable."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = replaced.get(info.filename) or source.read(info)
            target.writestr(zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0)), part, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def main() -> None:
    TARGET.write_bytes(build())
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
