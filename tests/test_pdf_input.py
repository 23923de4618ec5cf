"""Notices read from PDF and OFD: the seed and the test layouts printed by LibreOffice (once per session),
and OFDs written here from those PDFs, give the rows of their .docx exactly; real OFDs read their text;
scans, passwords, bombs and damage are one-line errors.

(tests/test_pdf.py is about rendering fenjie's outputs to PDF, not about reading PDFs.)
"""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import time
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from conftest import SEED_DOCX, SEED_EXPECTED, compare, run_cli
from docx import Document as WordDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from ofd_writer import OFD_NS, RUNNING_HEADER, ofd_from_pdf
from PIL import Image
from test_headings import E_ROWS, E_TABLE, NOTICE
from test_headings import PREAMBLE as HEADINGS_PREAMBLE
from test_layouts import LAYOUTS, UP, add_table, write_docx

from fenjie.errors import FenjieError
from fenjie.extract.layout import Glyph, Line, Page, Rule, paragraphs, read_pages
from fenjie.extract.pdf import read_pdf
from fenjie.pipeline import batch as pipeline_batch
from fenjie.pipeline import convert, convert_bytes, detect

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_office = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")

LONG_SECTIONS = ("一、推进政务公开标准化", "二、优化政府网站集约化", "三、做好政策解读回应")


def long_table_docx(path: Path) -> None:
    """A notice whose table runs over three pages: sections in a merged column that crosses page breaks, a
    header row Word repeats on every page, a page number in the footer, rows long enough to be cut by a page."""
    document = WordDocument()
    for text in ("某某市人民政府办公室", "关于印发某某市2025年政务公开重点任务的通知",
                 "各县（市、区）人民政府，市政府各部门：", "现将重点任务印发给你们，请认真落实。"):
        document.add_paragraph(text)
    rows: list[list] = [["领域", "具体要求", "牵头单位", "责任单位", "完成时限"]]
    for s, section in enumerate(LONG_SECTIONS):
        for n in range(1, 9):
            rows.append([section if n == 1 else UP,
                         f"{n}．围绕第{s + 1}领域第{n}项工作，健全工作机制，细化责任分工，定期通报进展情况，"
                         "及时总结推广经验做法，确保各项任务按期保质完成，形成可复制可推广的经验。",
                         "市政府办公室", "各县（市、区）政府\n市直有关部门", f"{n}月底前"])
    add_table(document, rows)
    header = document.tables[0].rows[0]._tr.get_or_add_trPr()
    header.append(OxmlElement("w:tblHeader"))
    footer = document.sections[0].footer.paragraphs[0]
    footer.text = "— "
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    footer._p.append(field)
    footer.add_run(" —")
    document.save(path)


@pytest.fixture(scope="session")
def printed(tmp_path_factory) -> dict[str, Path]:
    """The seed, every test layout, the long table and a table of four levels (test_headings' layout e:
    sections, sub-sections, tasks and items), printed to PDF by one LibreOffice run."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = tmp_path_factory.mktemp("printed")
    shutil.copy(SEED_DOCX, folder / "seed.docx")
    for layout, (parts, *_) in LAYOUTS.items():
        write_docx(folder / f"{layout}.docx", parts)
    long_table_docx(folder / "long.docx")
    write_docx(folder / "levels.docx", [*HEADINGS_PREAMBLE, E_TABLE])
    docs = sorted(folder.glob("*.docx"))
    profile = (folder / "profile").as_uri()
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), *map(str, docs)], check=True, capture_output=True, timeout=300)
    return {doc.stem: doc.with_suffix(".pdf") for doc in docs}


def as_json(path: Path) -> dict:
    return convert(path).model_dump(mode="json")


def test_seed_printed_to_pdf_gives_the_seed_rows(printed, tmp_path):
    document = as_json(printed["seed"])
    report = compare(document, SEED_EXPECTED, tmp_path)
    assert "rows 73/73 exact" in report
    assert document["source"]["format"] == "pdf"
    assert document["warnings"] == []
    notice = document["notice"]
    assert notice["doc_number"] == "济政办字〔2024〕17号"
    assert notice["title"] == "关于印发济宁市贯彻落实2024年山东省政务公开工作要点任务分解表的通知"
    assert notice["body"][0].startswith("为贯彻落实") and notice["body"][0].endswith("请结合实际认真贯彻执行。")


@pytest.mark.parametrize("layout", LAYOUTS)
def test_layouts_printed_to_pdf_match_their_truth(layout, printed, tmp_path):
    document = as_json(printed[layout])
    compare(document, LAYOUTS[layout][1], tmp_path)
    docx = as_json(printed[layout].with_suffix(".docx"))
    assert unwrapped(document["rows"]) == unwrapped(docx["rows"])
    assert document["notice"] == docx["notice"]


def test_a_table_of_four_levels_printed_to_pdf(printed, tmp_path):
    document = as_json(printed["levels"])
    compare(document, {"notice": NOTICE, "rows": E_ROWS}, tmp_path)
    assert [r["id"] for r in document["rows"]] == ["1.1.1.1", "1.1.1.2", "1.1.2.1", "1.2.1.1", "2.1.0.1"]
    assert document["rows"] == as_json(printed["levels"].with_suffix(".docx"))["rows"]


def unwrapped(rows: list[dict]) -> list[dict]:
    """ROWS with the line breaks of requirements taken out: a line the author broke where it was nearly full
    looks like a wrapped one on the page, and is read as one."""
    return [row | {"requirement": row["requirement"].replace("\n", "")} for row in rows]


def test_a_table_over_three_pages_is_one_table(printed, tmp_path):
    """The repeated header rows are dropped, the sections' merged cells and the rows cut by a page break
    continue on the next page, the page numbers are no paragraphs."""
    pdf = printed["long"]
    with pdfplumber.open(pdf) as opened:
        assert len(opened.pages) >= 3
    extracted = read_pdf(pdf.read_bytes(), str(pdf))
    assert len(extracted.tables) == 1
    assert not any("—" in p for p in extracted.paragraphs)
    document = as_json(pdf)
    docx = as_json(pdf.with_suffix(".docx"))
    assert len(document["rows"]) == 24
    compare(document, docx, tmp_path)
    assert [r["section"]["title"] for r in document["rows"][::8]] == [s[2:] for s in LONG_SECTIONS]
    assert document["warnings"] == []


def line_of(text: str, x0: float, page_right: float, size: float = 10.0) -> Line:
    glyphs = [Glyph(char, x0 + i * size, x0 + (i + 1) * size, 0, size, size) for i, char in enumerate(text)]
    return Line(glyphs, 0, left=0.0, right=page_right)


def test_lines_join_where_they_wrapped_and_break_where_the_author_did():
    # A full line wraps; one that stops where the next character would have fit ends a paragraph; an
    # opening bracket goes down with the character after it, so a line one character short still wrapped.
    assert paragraphs([line_of("一二三四五", 0, 50), line_of("六七", 0, 50)]) == ["一二三四五六七"]
    assert paragraphs([line_of("一二三四", 0, 50), line_of("五六", 0, 50)]) == ["一二三四", "五六"]
    assert paragraphs([line_of("各县", 0, 25), line_of("（市、区）", 0, 25)]) == ["各县（市、区）"]
    # A centred line has its room on both sides; an indented line starts a paragraph.
    assert paragraphs([line_of("一二三", 10, 50), line_of("四五", 15, 50)]) == ["一二三", "四五"]
    assert paragraphs([line_of("一二三四五", 0, 50), line_of("六七八", 20, 50)]) == ["一二三四五", "六七八"]


def glyphs_of(text: str, x0: float, top: float, size: float = 16.0) -> list[Glyph]:
    return [Glyph(char, x0 + i * size, x0 + (i + 1) * size, top, top + size, size) for i, char in enumerate(text)]


@pytest.mark.parametrize("number", ["— {} —", "- {} -", "第{}页", "第 {} 页 共 3 页", "{}"])
def test_page_numbers_and_running_headers_are_no_text(number):
    """Each page: a header repeated on every page, its body text, its number at the foot; the first page's
    own top line (a doc number, not repeated) stays."""
    pages = []
    for n in range(1, 4):
        glyphs = glyphs_of("某某市人民政府办公室文件", 100, 40, 10) + glyphs_of(f"第{n}页的正文。", 80, 300)
        glyphs += glyphs_of(number.format(n), 280, 790, 12)
        if n == 1:
            glyphs += glyphs_of("某政办发〔2025〕8号", 150, 70, 10)
        pages.append(Page(595, 842, glyphs, [], []))
    assert read_pages(pages, "pdf", "x.pdf").paragraphs == ["某政办发〔2025〕8号", "第1页的正文。", "第2页的正文。",
                                                            "第3页的正文。"]


def test_radicals_standing_for_characters_are_those_characters():
    """Chrome's PDFs map 人, 民, 门 … to the radicals of the same shape (⼈ U+2F08, ⺠ U+2EA0, ⻔ U+2ED4)."""
    page = Page(595, 842, glyphs_of("济宁市⼈⺠政府办公室，市⼯业和信息化局、⻔户⽹站", 80, 300, 12), [], [])
    assert read_pages([page], "pdf", "x.pdf").paragraphs == ["济宁市人民政府办公室，市工业和信息化局、门户网站"]


# --- bad PDFs ----------------------------------------------------------------------------------------------

def scanned_pdf(printed) -> bytes:
    """The seed's table page as an image only: what a scanner makes."""
    png = printed["seed"].parent / "page.png"
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-singlefile", "-f", "3", "-l", "3", str(printed["seed"]),
                    str(png.with_suffix(""))], check=True, timeout=60)
    out = io.BytesIO()
    Image.open(png).convert("RGB").save(out, format="PDF")
    return out.getvalue()


def encrypted_pdf(printed) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(printed["c"]))
    writer.encrypt("secret", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


BAD_PDFS = {
    "scan.pdf": (scanned_pdf, "scanned"),
    "password.pdf": (encrypted_pdf, "encrypted"),
    "truncated.pdf": (lambda printed: printed["c"].read_bytes()[:3000], "corrupt"),
    "garbage.pdf": (lambda printed: b"%PDF-1.7\n" + bytes(range(256)) * 40, "corrupt"),
}


@pytest.mark.parametrize("name", BAD_PDFS)
def test_a_bad_pdf_is_one_error_within_5_s(name, printed):
    make, code = BAD_PDFS[name]
    data = make(printed)
    started = time.monotonic()
    with pytest.raises(FenjieError) as error:
        convert_bytes(data, name)
    assert error.value.code == code
    assert time.monotonic() - started < 5
    assert "\n" not in str(error.value) and name in str(error.value)


def test_the_cli_says_scanned_in_one_line(printed, tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(scanned_pdf(printed))
    result = run_cli("convert", path, "--out", tmp_path / "out")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and result.stderr.rstrip().endswith("[scanned]")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*"))


def test_a_pdf_is_told_by_its_bytes():
    assert detect(b"%PDF-1.4\n...", "notice.docx") == "pdf"
    assert detect(b"\r\n\x00garbage before the header %PDF-1.7\n...", "notice") == "pdf"


# --- OFD ---------------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def ofds(printed) -> dict[str, Path]:
    """An OFD written from each printed PDF (the long table's with a running header from a template page)."""
    out = {}
    for name, pdf in printed.items():
        out[name] = pdf.with_suffix(".ofd")
        out[name].write_bytes(ofd_from_pdf(pdf, running_header=name == "long"))
    return out


def test_seed_as_ofd_gives_the_seed_rows(ofds, tmp_path):
    document = as_json(ofds["seed"])
    assert document["source"]["format"] == "ofd"
    assert "rows 73/73 exact" in compare(document, SEED_EXPECTED, tmp_path)
    assert document["warnings"] == []


@pytest.mark.parametrize("layout", LAYOUTS)
def test_layouts_as_ofd_give_the_rows_of_the_pdf(layout, ofds, printed, tmp_path):
    document = as_json(ofds[layout])
    compare(document, LAYOUTS[layout][1], tmp_path)
    assert document["rows"] == as_json(printed[layout])["rows"]


def test_four_levels_as_ofd_give_the_rows_of_the_pdf(ofds, printed):
    assert as_json(ofds["levels"])["rows"] == as_json(printed["levels"])["rows"]


def test_a_template_page_header_is_no_text_of_the_notice(ofds, tmp_path):
    from fenjie.extract.ofd import read_ofd

    extracted = read_ofd(ofds["long"].read_bytes(), "long.ofd")
    assert len(extracted.tables) == 1 and not any(RUNNING_HEADER in p for p in extracted.paragraphs)
    compare(as_json(ofds["long"]), as_json(ofds["long"].with_suffix(".pdf")), tmp_path)


# Real OFDs from the test resources of ofdrw (github.com/ofdrw/ofdrw, Apache-2.0): an e-invoice template
# (template page, public and document resources, ruled boxes) and a case form from a KingGrid writer
# (templates in a folder of its own, absolute and relative BaseLoc, a page block).
REAL_OFDS = {
    "invoice-template.ofd": ("发票号码：12235358", "名 称：财天下科技有限公司"),
    "case-form.ofd": ("立案决定书", "案件名称测试数据AJMC"),
}


@pytest.mark.parametrize("name", REAL_OFDS)
def test_real_ofds_read_their_text(name):
    from fenjie.extract.ofd import read_ofd

    extracted = read_ofd((Path(__file__).parent / "ofd" / name).read_bytes(), name)
    paragraph, cell = REAL_OFDS[name]
    texts = extracted.paragraphs + [c.text for grid in extracted.tables for row in grid.rows for c in row.cells]
    assert paragraph in extracted.paragraphs
    assert any(cell in text.splitlines() for text in texts)


def test_an_ofd_is_told_by_its_bytes(ofds):
    assert detect(ofds["c"].read_bytes(), "notice.zip") == "ofd"


def ofd_bomb(ofds) -> bytes:
    """An OFD whose directory says a page expands to 4 GB."""
    data = bytearray(ofds["c"].read_bytes())
    central = data.rindex(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 0xFFFF0000)
    return bytes(data)


def ofd_with_part(ofds, part: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(ofds["c"]) as original, zipfile.ZipFile(out, "w") as copy:
        for info in original.infolist():
            copy.writestr(info, content if info.filename == part else original.read(info))
    return out.getvalue()


BAD_OFDS = {
    "bomb.ofd": (ofd_bomb, "too-large"),
    "truncated.ofd": (lambda ofds: ofds["c"].read_bytes()[:1500], "corrupt"),
    "broken-xml.ofd": (lambda ofds: ofd_with_part(ofds, "Doc_0/Document.xml", b"<ofd:Document"), "corrupt"),
    "no-page.ofd": (lambda ofds: ofd_with_part(ofds, "Doc_0/Pages/Page_0/Content.xml", b""), "corrupt"),
    "entities.ofd": (lambda ofds: ofd_with_part(ofds, "OFD.xml", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "a">]>'
                                                b"<x>&a;</x>"), "unsafe"),
    "images-only.ofd": (lambda ofds: ofd_with_part(ofds, "Doc_0/Pages/Page_0/Content.xml", (
        f'<ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Content><ofd:Layer ID="1"><ofd:ImageObject ID="2" ResourceID="3"'
        ' Boundary="0 0 210 297" CTM="210 0 0 297 0 0"/></ofd:Layer></ofd:Content></ofd:Page>').encode()), "scanned"),
    # A scanner's text layer that only numbers the page.
    "numbered-scan.ofd": (lambda ofds: ofd_with_part(ofds, "Doc_0/Pages/Page_0/Content.xml", (
        f'<ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Content><ofd:Layer ID="1"><ofd:ImageObject ID="2" ResourceID="3"'
        ' Boundary="0 0 210 297" CTM="210 0 0 297 0 0"/><ofd:TextObject ID="4" Boundary="95 280 20 6" Size="5">'
        '<ofd:TextCode X="0" Y="4.4" DeltaX="g 4 2.5">— 1 —</ofd:TextCode></ofd:TextObject></ofd:Layer>'
        '</ofd:Content></ofd:Page>').encode()), "scanned"),
}


@pytest.mark.parametrize("name", BAD_OFDS)
def test_a_bad_ofd_is_one_error_within_5_s(name, ofds):
    make, code = BAD_OFDS[name]
    data = make(ofds)
    started = time.monotonic()
    with pytest.raises(FenjieError) as error:
        convert_bytes(data, name)
    assert error.value.code == code, str(error.value)
    assert time.monotonic() - started < 5
    assert "\n" not in str(error.value) and name in str(error.value)


def test_batch_converts_pdf_and_ofd_and_records_a_scan(printed, ofds, tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    shutil.copy(printed["c"], archive / "c.pdf")
    shutil.copy(ofds["c"], archive / "c.ofd")
    (archive / "scan.pdf").write_bytes(scanned_pdf(printed))
    entries = {Path(e["path"]).name: e for e in pipeline_batch([archive], tmp_path / "out", workers=1)}
    assert entries["c.pdf"]["status"] == entries["c.ofd"]["status"] == "ok"
    assert entries["c.pdf"]["rows"] == entries["c.ofd"]["rows"] == 4
    assert (entries["scan.pdf"]["status"], entries["scan.pdf"]["error_code"]) == ("failed", "scanned")


@pytest.mark.parametrize(("lines", "pages"), [(2500, 1), (140, 40)], ids=["one page of lines", "pages of grids"])
def test_ruling_lines_beyond_any_table_are_too_large_within_5_s(lines, pages):
    """A page drawing thousands of crossing lines, or many pages of dense grids, is refused before the cells
    are laid out (their cost grows with the number of grid intervals)."""
    rules = [Rule(3.0 * i, 0, 3.0 * lines) for i in range(lines)]
    page = Page(10_000, 10_000, [Glyph("字", 1, 2, 1, 2, 1)], rules, rules)
    started = time.monotonic()
    with pytest.raises(FenjieError) as error:
        read_pages([page] * pages, "pdf", "dense.pdf")
    assert error.value.code == "too-large"
    assert time.monotonic() - started < 5
