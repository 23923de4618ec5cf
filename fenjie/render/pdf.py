"""Letters printed to PDF (`--pdf`): a PDF beside each letter, and letters/letters.pdf to print them all.

LibreOffice converts every letter in one run, in the readers' sandbox (fenjie/extract/office.py: a
profile of its own, no network, no macros, a time limit). letters.pdf is a contents page (unit, file,
first page) and then every letter, with a bookmark per letter.
"""

from __future__ import annotations

import io
import shutil
import tempfile
from math import ceil
from pathlib import Path

import docx
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from fenjie import data
from fenjie.extract.office import convert_files_with_office
from fenjie.render.atomic import atomic_path
from fenjie.render.word import LetterWords, PdfWords

CONTENTS_LINE = Pt(20)  # a fixed line: 31 lines on the 225 mm text block
CONTENTS_LINES = 29  # entries a contents page holds under its title


def write_pdfs(letters: list[Path], units: list[str], folder: Path) -> list[Path]:
    """A PDF beside each of LETTERS (addressed to UNITS), and FOLDER/letters.pdf; the PDFs written."""
    from pypdf import PdfReader, PdfWriter

    words = data.words("letters.toml", LetterWords).pdf
    with tempfile.TemporaryDirectory(prefix="fenjie-pdf-") as work:
        pdfs = convert_files_with_office(letters, "pdf", Path(work), str(folder))
        pages = [len(PdfReader(path).pages) for path in pdfs]
        contents_pages = ceil((len(letters) + 2) / (CONTENTS_LINES + 2))
        contents = _contents(units, [path.name for path in letters], pages, contents_pages, words, Path(work))
        (contents_pdf,) = convert_files_with_office([contents], "pdf", Path(work) / "contents", str(folder))
        book = PdfWriter()
        book.append(str(contents_pdf))
        for unit, path in zip(units, pdfs, strict=True):
            book.append(str(path), outline_item=unit)
        book.add_metadata({"/Title": words.title, "/Creator": "fenjie"})
        written = []
        for letter, pdf in zip(letters, pdfs, strict=True):
            target = letter.with_suffix(".pdf")
            with atomic_path(target) as tmp:
                shutil.copyfile(pdf, tmp)
            written.append(target)
        target = folder / "letters.pdf"
        with atomic_path(target) as tmp, open(tmp, "wb") as out:
            book.write(out)
        written.append(target)
    return written


def _contents(units: list[str], files: list[str], pages: list[int], contents_pages: int, words: PdfWords,
              work: Path) -> Path:
    """A contents page as .docx: per letter its unit and the page of letters.pdf it starts on."""
    document = docx.Document()
    section = document.sections[0]
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = Mm(37), Mm(35), Mm(28), \
        Mm(26)
    for style in (document.styles["Normal"], document.styles["Title"]):
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋_GB2312")
    title = document.add_paragraph(words.contents)
    title.alignment = 1
    title.runs[0].font.size = Pt(22)
    start = contents_pages + 1
    for unit, file, count in zip(units, files, pages, strict=True):
        paragraph = document.add_paragraph(f"{file.split('-', 1)[0]}　{unit}\t{start}")
        paragraph.paragraph_format.tab_stops.add_tab_stop(Mm(156), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        paragraph.runs[0].font.size = Pt(14)
        paragraph.paragraph_format.space_after = 0
        paragraph.paragraph_format.line_spacing = CONTENTS_LINE
        start += count
    raw = io.BytesIO()
    document.save(raw)
    path = work / "contents.docx"
    path.write_bytes(raw.getvalue())
    return path
