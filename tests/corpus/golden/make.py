"""Writes the golden corpus's inputs (`<case>/source.<ext>`) with the builders the other tests use.

Run once when a case is added or its builder changes, from the repository root:
`python tests/corpus/golden/make.py [CASE...]`, then `pytest tests/test_golden.py --accept` and review the
diff. The inputs are committed, so the tests never rebuild them (the PDF needs LibreOffice). A rebuilt
input has new bytes (python-docx and LibreOffice stamp the time): rebuild only the cases you mean to.
"""

from __future__ import annotations

import html
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent
TESTS = GOLDEN.parent.parent
sys.path.insert(0, str(TESTS))

from conftest import SEED_DOCX, SEED_TXT, docx, paragraph, tbl, tc, tr, workbook, xlsx_bytes  # noqa: E402
from ofd_writer import ofd_from_pdf  # noqa: E402
from test_formats import html_page, tab_text  # noqa: E402
from test_formats import workbook as seed_workbook  # noqa: E402
from test_headings import E_TABLE, F_TABLE, G_TABLE  # noqa: E402
from test_headings import PREAMBLE as HEADINGS  # noqa: E402
from test_hostile_readers import HEADER, ROWS  # noqa: E402
from test_layouts import A_PARTS, B_PARTS, C_PARTS, D_PARTS, write_docx, write_txt  # noqa: E402
from test_pdf_input import long_table_docx  # noqa: E402
from test_prose import LABELS, PARENTHESIS, SUB_ITEMS  # noqa: E402

from fenjie.extract.docx import read_docx  # noqa: E402


def seed():
    return read_docx(SEED_DOCX.read_bytes(), str(SEED_DOCX))


def link(target: Path) -> Callable[[Path], None]:
    """The sample itself, as a relative symlink: the golden file follows the one file people read."""
    def make(path: Path) -> None:
        path.symlink_to(Path("../../../..") / target.relative_to(TESTS.parent))
    return make


def printed(builder: Callable[[Path], None]) -> Callable[[Path], None]:
    """The .docx BUILDER writes, printed to PDF by LibreOffice."""
    def make(path: Path) -> None:
        with tempfile.TemporaryDirectory() as folder:
            docx = Path(folder) / "source.docx"
            builder(docx)
            subprocess.run(["soffice", f"-env:UserInstallation={(Path(folder) / 'profile').as_uri()}", "--headless",
                            "--convert-to", "pdf", "--outdir", folder, str(docx)], check=True, capture_output=True,
                           timeout=300)
            shutil.copy(docx.with_suffix(".pdf"), path)
    return make


def as_ofd(make_pdf: Callable[[Path], None]) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        with tempfile.TemporaryDirectory() as folder:
            pdf = Path(folder) / "source.pdf"
            make_pdf(pdf)
            path.write_bytes(ofd_from_pdf(pdf))
    return make


def page_of(paragraphs: list[str]) -> Callable[[Path], None]:
    """PARAGRAPHS as the article of a web page, one <p> each."""
    def make(path: Path) -> None:
        article = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
        path.write_text(f"<html><head><meta charset='utf-8'><title>通知</title></head><body><div class='article'>"
                        f"{article}</div></body></html>", encoding="utf-8")
    return make


def parts(writer: Callable[[Path, list], None], content: list) -> Callable[[Path], None]:
    return lambda path: writer(path, content)


def tab_rows_of(content: list) -> Callable[[Path], None]:
    """CONTENT written as a .docx, read back and saved as Excel's TSV (one row a line)."""
    def make(path: Path) -> None:
        with tempfile.TemporaryDirectory() as folder:
            docx = Path(folder) / "source.docx"
            write_docx(docx, content)
            path.write_text(tab_text(read_docx(docx.read_bytes(), str(docx))), encoding="utf-8")
    return make


def docx_with_notes(path: Path) -> None:
    """test_hostile_readers' task table with what Word hides: a run formatted as hidden, text under a vertical
    merge; each is a warning."""
    hidden = tc(ROWS[0][1]).replace("</w:p>", "<w:r><w:rPr><w:vanish/></w:rPr><w:t>、市审计局</w:t></w:r></w:p>")
    restart, below = tc(ROWS[1][0], "<w:vMerge w:val='restart'/>"), tc("（旧）", "<w:vMerge/>")
    merged = (f"<w:tr>{restart}{''.join(map(tc, ROWS[1][1:]))}</w:tr>"
              f"<w:tr>{below}{''.join(map(tc, ROWS[2][1:]))}</w:tr>")
    rows = [tr(HEADER), f"<w:tr>{tc(ROWS[0][0])}{hidden}{''.join(map(tc, ROWS[0][2:]))}</w:tr>", merged]
    path.write_bytes(docx(paragraph("关于印发2024年工作要点的通知") + tbl(rows)))


def xlsx_with_notes(path: Path) -> None:
    """test_hostile_readers' task table with a hidden sheet, a hidden row and a formula without a saved value."""
    dropped = ["删去的任务", "市旧局", "市旧办", "2023年底前"]
    book = workbook(("2023年", [HEADER, ["去年的任务", "市旧局", "市旧办", "2023年底前"]]),
                    ("2024年", [["2024年工作任务分解表"], HEADER, ROWS[0], dropped, *ROWS[1:]]))
    book["2023年"].sheet_state = "hidden"
    book["2024年"].row_dimensions[4].hidden = True
    book["2024年"]["D5"] = '=CONCATENATE("2024年","9月底前")'
    path.write_bytes(xlsx_bytes(book))


# case -> (suffix, maker). Cases are named <what>-<format>.
CASES: dict[str, tuple[str, Callable[[Path], None]]] = {
    "seed-docx": (".docx", link(SEED_DOCX)),
    "seed-txt": (".txt", link(SEED_TXT)),
    "seed-html": (".html", lambda path: path.write_bytes(
        html_page(seed(), charset="gb2312", cell_breaks="br", title_in_article=False))),
    "seed-xlsx": (".xlsx", lambda path: seed_workbook(seed(), path)),
    "seed-ofd": (".ofd", as_ofd(printed(lambda path: shutil.copy(SEED_DOCX, path)))),
    "long-table-pdf": (".pdf", printed(long_table_docx)),
    "seq-two-row-header-docx": (".docx", parts(write_docx, A_PARTS)),
    "merged-sections-txt": (".txt", parts(write_txt, B_PARTS)),
    "no-task-level-tab-txt": (".txt", tab_rows_of(C_PARTS)),
    "full-width-headings-docx": (".docx", parts(write_docx, D_PARTS)),
    "four-levels-docx": (".docx", parts(write_docx, [*HEADINGS, E_TABLE])),
    "merged-heading-columns-docx": (".docx", parts(write_docx, [*HEADINGS, F_TABLE])),
    "headings-in-a-cell-docx": (".docx", parts(write_docx, [*HEADINGS, G_TABLE])),
    "prose-parenthesis-html": (".html", page_of(PARENTHESIS)),
    "prose-labels-docx": (".docx", parts(write_docx, LABELS)),
    "reader-notes-docx": (".docx", docx_with_notes),
    "reader-notes-xlsx": (".xlsx", xlsx_with_notes),
    "prose-sub-items-txt": (".txt", lambda path: path.write_text("\n".join(SUB_ITEMS) + "\n", encoding="utf-8")),
}


def main(names: list[str]) -> None:
    for name in names or CASES:
        suffix, make = CASES[name]
        folder = GOLDEN / name
        folder.mkdir(exist_ok=True)
        for old in folder.glob("source.*"):
            old.unlink()
        make(folder / f"source{suffix}")
        print(folder / f"source{suffix}")


if __name__ == "__main__":
    main(sys.argv[1:])
