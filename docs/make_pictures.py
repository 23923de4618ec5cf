"""The README's pictures of the outputs as printed: `python docs/make_pictures.py` (needs LibreOffice and poppler).

Converts the sample, prints the first two pages of one letter and the 单位汇总 sheet of tasks.xlsx through
LibreOffice (in fenjie's sandbox) and rasterizes them with pdftoppm into docs/*.png.
"""

from __future__ import annotations

import subprocess
import tempfile
from datetime import date
from pathlib import Path

import openpyxl

from fenjie import convert
from fenjie.extract.office import convert_files_with_office
from fenjie.render import write_all

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "jining-2024.docx"
UNIT = "市商务局"
DPI = "60"


def main() -> None:
    document = convert(SAMPLE)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        write_all(document, work, only=["letters", "xlsx"], date=date(2024, 3, 5))
        (letter,) = [p for p in (work / "letters").glob("*.docx") if p.stem.endswith(f"-{UNIT}")]
        book = openpyxl.load_workbook(work / "tasks.xlsx")
        for sheet in [s for s in book.worksheets if s.title != "单位汇总"]:
            book.remove(sheet)
        summary = work / "summary.xlsx"
        book.save(summary)
        letter_pdf, summary_pdf = convert_files_with_office([letter, summary], "pdf", work / "pdf", "pictures")
        for pdf, name, pages in ((letter_pdf, "letter", "2"), (summary_pdf, "summary", "1")):
            subprocess.run(["pdftoppm", "-r", DPI, "-png", "-f", "1", "-l", pages, str(pdf),
                            str(ROOT / "docs" / name)], check=True)
    print("wrote", *sorted(p.name for p in (ROOT / "docs").glob("*.png")))


if __name__ == "__main__":
    main()
