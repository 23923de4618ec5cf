"""Outputs as printed: a letter and tasks.xlsx through LibreOffice to PDF, read back with pypdf."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from conftest import SEED_DOCX
from pypdf import PdfReader

from fenjie import convert
from fenjie.render import write_all

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")

UNIT = "各县（市、区）政府"  # the unit with the most rows: its letter runs over several pages


def to_pdf(path: Path, tmp_path: Path) -> PdfReader:
    """PATH printed to PDF by LibreOffice, with a profile of its own so that parallel runs never share one."""
    profile = (tmp_path / "soffice-profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=180)
    return PdfReader(tmp_path / (path.stem + ".pdf"))


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def seed():
    return convert(SEED_DOCX)


def test_a_printed_letter_holds_every_requirement_of_its_unit(seed, tmp_path):
    write_all(seed, tmp_path, only=["letters"])
    (letter,) = [p for p in (tmp_path / "letters").glob("*.docx") if p.name.endswith(f"-{UNIT}.docx")]
    pdf = to_pdf(letter, tmp_path)
    text = squeezed("".join(page.extract_text() for page in pdf.pages))
    (unit,) = [u for u in seed.units if u.name == UNIT]
    rows = {row.id: row for row in seed.rows}
    requirements = [squeezed(rows[i].requirement) for i in dict.fromkeys(unit.lead + unit.responsible)]
    assert len(requirements) == 65
    assert [r for r in requirements if r not in text] == []
    assert len(pdf.pages) > 1 and all(f"—{n}—" in squeezed(page.extract_text())
                                      for n, page in enumerate(pdf.pages, 1))


def test_the_task_sheet_prints_one_page_wide_with_its_header_on_every_page(seed, tmp_path):
    (tasks,) = write_all(seed, tmp_path, only=["xlsx"])
    book = openpyxl.load_workbook(tasks)
    for sheet in book.worksheets[1:]:  # print the first sheet, 任务清单, alone
        book.remove(sheet)
    headers = [squeezed(str(cell.value)) for cell in book.worksheets[0][1] if cell.value]
    alone = tmp_path / "task-sheet.xlsx"
    book.save(alone)
    pdf = to_pdf(alone, tmp_path)
    assert len(pdf.pages) > 1
    for page in pdf.pages:
        assert page.mediabox.width > page.mediabox.height  # landscape
        text = squeezed(page.extract_text())
        assert [h for h in headers if h not in text] == []  # every column, and the header repeated
    text = "".join(squeezed(page.extract_text()) for page in pdf.pages)
    assert [row.id for row in seed.rows if row.id not in text] == []
