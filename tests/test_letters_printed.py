"""Every seed letter as an office prints it: LibreOffice -> PDF, read back with pdftotext -bbox-layout.

What a reader of the page would notice: a title line of 1-3 characters, a page holding only the
signature, the date or the page number, page numbers on the wrong side, a deadline broken over two
lines, a body line that does not hold 28 characters.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from conftest import ROOT, SEED_DOCX, run_cli
from lxml import etree
from pypdf import PdfReader

from fenjie import convert
from fenjie.extract.office import convert_files_with_office
from fenjie.render import write_all
from fenjie.render.word import text_width

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                                reason="LibreOffice and poppler-utils are needed")

DIRECTORY = ROOT / "fenjie" / "data" / "units-jining.toml"
TEXT_WIDTH = 156 / 25.4 * 72  # points: the text block of a GB/T 9704 page
XHTML = "{http://www.w3.org/1999/xhtml}"
PAGE_NUMBER = re.compile(r"—\d+—")
DAY = date(2024, 3, 5)


@dataclass
class Line:
    text: str  # without white space
    x_min: float
    x_max: float


@dataclass
class Page:
    width: float
    lines: list[Line]


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pages_of(pdf: Path) -> list[Page]:
    """The PDF's pages as lines of text with their horizontal extent (pdftotext -bbox-layout)."""
    html = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=True).stdout
    tree = etree.fromstring(html)
    return [Page(float(page.get("width")),
                 [Line(squeezed("".join(w.text or "" for w in line.iter(f"{XHTML}word"))),
                       float(line.get("xMin")), float(line.get("xMax"))) for line in page.iter(f"{XHTML}line")])
            for page in tree.iter(f"{XHTML}page")]


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> list[tuple[object, list[Page]]]:
    """(the letter's assignment, its printed pages) for every seed letter, plain and with the directory:
    all of them printed by ONE LibreOffice run."""
    root = tmp_path_factory.mktemp("printed")
    letters, assignments = [], []
    for kind, units in (("plain", None), ("directory", DIRECTORY)):
        document = convert(SEED_DOCX, units=units)
        write_all(document, root / kind, only=["letters"], date=DAY)
        files = sorted((root / kind / "letters").glob("*.docx"))
        assert len(files) == len(document.units)
        for path, assignment in zip(files, document.assignments(), strict=True):
            letters.append(path.rename(root / f"{kind}-{path.name}"))
            assignments.append(assignment)
    pdfs = convert_files_with_office(letters, "pdf", root / "pdf", "seed letters")
    return [(a, pages_of(pdf)) for a, pdf in zip(assignments, pdfs, strict=True)]


def test_every_seed_letter_was_printed(printed):
    assert len(printed) == 47 + 58
    assert all(pages for _, pages in printed)


def test_no_title_line_under_4_characters(printed):
    for assignment, pages in printed:
        lines = [line.text for line in pages[0].lines]
        recipient = next(i for i, text in enumerate(lines) if text.endswith("："))
        title = lines[:recipient]
        assert title and "".join(title).startswith("关于落实") and "".join(title).endswith("的通知")
        assert min(len(text) for text in title) >= 4, (assignment.unit.name, title)


def test_no_page_holds_only_the_signature_the_date_or_its_number(printed):
    for assignment, pages in printed:
        issuer, day = "济宁市人民政府办公室", "2024年3月5日"
        for n, page in enumerate(pages, 1):
            text = "".join(line.text for line in page.lines if not PAGE_NUMBER.fullmatch(line.text))
            assert text not in ("", issuer, day, issuer + day), (assignment.unit.name, n)


def test_page_numbers_right_on_odd_pages_and_left_on_even_pages(printed):
    for assignment, pages in printed:
        for n, page in enumerate(pages, 1):
            (number,) = [line for line in page.lines if PAGE_NUMBER.fullmatch(line.text)]
            assert number.text == f"—{n}—"
            if n % 2:
                assert number.x_min > page.width / 2, (assignment.unit.name, n)
            else:
                assert number.x_max < page.width / 2, (assignment.unit.name, n)


def test_no_deadline_is_broken_across_lines(printed):
    for assignment, pages in printed:
        rows = [row for row, _ in assignment.lead + assignment.responsible]
        wanted = Counter(squeezed(row.deadline.text) for row in rows if row.deadline.text)
        found = Counter()
        for page in pages:
            for line in page.lines:
                for deadline in wanted:
                    found[deadline] += line.text.count(deadline)
        assert all(found[d] >= n for d, n in wanted.items()), (assignment.unit.name, wanted, found)


def test_a_full_body_line_holds_28_characters(printed):
    for assignment, pages in printed:
        lines = pages[0].lines
        recipient = next(i for i, line in enumerate(lines) if line.text.endswith("："))
        body = lines[recipient + 1:next(i for i, line in enumerate(lines) if line.text.startswith("附件："))]
        full = [line for line in body if line.x_max - line.x_min > TEXT_WIDTH * 0.95]
        assert full, assignment.unit.name
        # A run of digits is never split, so a line that breaks before one may end up to 1.5 characters short.
        assert all(27 - 0.5 * bool(re.search(r"\d", line.text)) <= characters(line.text) <= 29 for line in full), [
            (line.text, characters(line.text)) for line in full]


def characters(text: str) -> float:
    """Characters of a line as the grid counts them: a digit is half of one, and Word, WPS and LibreOffice
    put a quarter of one on each side of a run of digits or Latin letters among Chinese text."""
    return text_width(text) + 0.5 * len(re.findall(r"[\x21-\x7e]+", text))


def test_convert_with_pdf_makes_every_letter_and_letters_pdf_within_a_minute(tmp_path):
    started = time.monotonic()
    result = run_cli("convert", SEED_DOCX, "--out", tmp_path, "--only", "letters", "--pdf")
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    letters = tmp_path / "jining-2024" / "letters"
    pdfs = sorted(letters.glob("[0-9]*.pdf"))
    assert len(pdfs) == len(list(letters.glob("*.docx"))) == 47
    book = PdfReader(letters / "letters.pdf")
    counts = [len(PdfReader(p).pages) for p in pdfs]
    contents = len(book.pages) - sum(counts)
    assert contents >= 1
    starts = [contents + 1 + sum(counts[:n]) for n in range(len(pdfs))]
    listed = [squeezed(line) for line in subprocess.run(
        ["pdftotext", "-layout", "-l", str(contents), str(letters / "letters.pdf"), "-"],
        capture_output=True, check=True, text=True).stdout.splitlines()]
    for path, start in zip(pdfs, starts, strict=True):  # the contents page says where each letter starts
        number, unit = path.stem.split("-", 1)
        assert any(re.fullmatch(rf"{number}{re.escape(unit)}\.*{start}", line) for line in listed), (unit, start)
    assert [item.title for item in book.outline] == [p.stem.split("-", 1)[1] for p in pdfs]
    assert elapsed < 60
