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

# Column widths of the task tables (mm); they add up to the 156 mm text width.
COLUMNS = (("序号", 13), ("工作任务", 30), ("具体要求", 57), (None, 34), ("完成时限", 22))
ROW_CELLS = ("{{ row.no }}",
             "{{ row.task }}{% if row.group %}（{{ row.group }}任务）{% endif %}",
             "{{ row.requirement }}", None, "{{ row.deadline }}")
CENTERED_COLUMNS = {0, 4}

KEPT_STYLES = {"Normal", "Title", "Heading1", "Heading2", "Footer", "DefaultParagraphFont", "TableNormal",
               "NoList", "TableGrid"}
DROPPED_RELATIONSHIPS = ("stylesWithEffects", "customXml", "numbering", "thumbnail")


def build() -> bytes:
    document = docx.Document()
    _drop_extras(document)
    _set_page(document.sections[0])
    _set_styles(document)
    _write_body(document)
    _write_page_numbers(document.sections[0])
    document.core_properties.author = "fenjie"
    document.part.settings.element.find(qn("w:themeFontLang")).set(qn("w:eastAsia"), "zh-CN")
    raw = io.BytesIO()
    document.save(raw)
    return _packed(raw.getvalue(), {"word/fontTable.xml": _font_table()})


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
    _style(styles["Title"], TITLE_FONT, SIZE_2, justify=WD_ALIGN_PARAGRAPH.CENTER, after=LINE)
    _style(styles["Heading 1"], HEADING_1_FONT, SIZE_3, indent=True, outline=0)
    _style(styles["Heading 2"], HEADING_2_FONT, SIZE_3, indent=True, outline=1)
    _style(styles["Footer"], PAGE_NUMBER_FONT, SIZE_4, justify=WD_ALIGN_PARAGRAPH.CENTER, line=None)
    _style(_new_style(styles, "Recipient"), BODY_FONT, SIZE_3, before=LINE)
    _style(_new_style(styles, "Signature"), BODY_FONT, SIZE_3, justify=WD_ALIGN_PARAGRAPH.RIGHT)
    styles["Signature"].paragraph_format.right_indent = Pt(SIZE_3 * 4)  # 右空四字
    _style(_new_style(styles, "Table Text"), BODY_FONT, SIZE_SMALL_4, line=None)
    _style(_new_style(styles, "Table Heading"), HEADING_1_FONT, SIZE_SMALL_4, line=None,
           justify=WD_ALIGN_PARAGRAPH.CENTER)


def _set_defaults(styles) -> None:
    """Document defaults without theme fonts, which would outrank the fonts named in the styles."""
    defaults = styles.element.find(qn("w:docDefaults"))
    run = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(run, BODY_FONT)
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
    document.add_paragraph("{{ unit }}{{ subject }}任务清单", style="Title")
    document.add_paragraph("{{ unit }}：", style="Recipient")
    document.add_paragraph(
        "根据{{ notice.issuer }}{% if notice.title %}《{{ notice.title }}》{% endif %}"
        "{% if notice.doc_number %}（{{ notice.doc_number }}）{% endif %}，现将你单位牵头的"
        "{{ lead_rows|length }}项任务和配合的{{ responsible_rows|length }}项任务列出如下"
        "{% if groups %}（含你单位所属的{{ groups|join('、') }}承担的任务，已在工作任务后注明）{% endif %}"
        "，请认真抓好落实。")
    _task_section(document, "lead_rows", "一、牵头任务", "责任单位", "responsible")
    _task_section(document, "responsible_rows", "{{ '二' if lead_rows else '一' }}、配合任务", "牵头单位", "lead")
    document.add_paragraph("{{ notice.issuer }}", style="Signature").paragraph_format.space_before = LINE * 2
    document.add_paragraph("{{ date }}", style="Signature")


def _task_section(document, rows: str, heading: str, units_header: str, units: str) -> None:
    """A heading and a table of ROWS, both left out when a unit has no such rows."""
    document.add_paragraph(f"{{%p if {rows} %}}")
    document.add_paragraph(heading, style="Heading 1")
    _task_table(document, rows, units_header, units)
    document.add_paragraph("{%p endif %}")


def _task_table(document, rows: str, units_header: str, units: str) -> None:
    table = document.add_table(rows=4, cols=len(COLUMNS))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    header, loop_start, row, loop_end = table.rows
    for column, (title, width) in enumerate(COLUMNS):
        table.columns[column].width = Mm(width)
        for cells in table.rows:
            cells.cells[column].width = Mm(width)
        _cell(header.cells[column], title or units_header, "Table Heading")
        text = ROW_CELLS[column] or f"{{{{ row.{units} }}}}"
        _cell(row.cells[column], text, "Table Text", centered=column in CENTERED_COLUMNS)
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


def _write_page_numbers(section) -> None:
    """"— 1 —": a PAGE field between two em dashes, centred in the footer."""
    paragraph = section.footer.paragraphs[0]
    paragraph.style = "Footer"
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
