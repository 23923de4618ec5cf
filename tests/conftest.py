"""Shared helpers: the sample paths, the CLI as a subprocess, compare.py, .docx surgery with lxml, tiny .docx
and .xlsx files built from a few lines of XML or cells, and the `--accept` option that rewrites the golden
corpus's expected files (tests/test_golden.py)."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SEED_DOCX = SAMPLES / "jining-2024.docx"
SEED_TXT = SAMPLES / "jining-2024.txt"
ACCEPTANCE = Path(__file__).resolve().parent / "acceptance"
SEED_EXPECTED = ACCEPTANCE / "jining-2024.expected.json"

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--accept", action="store_true",
                     help="rewrite the golden corpus's expected files (tests/corpus/golden) from what fenjie makes "
                          "now, instead of comparing; review the diff before committing it")


@pytest.fixture
def accept(request: pytest.FixtureRequest) -> bool:
    return request.config.getoption("--accept")


def run_cli(*args: str | Path, cwd: Path | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`fenjie ARGS...` as a user runs it, in a fresh interpreter."""
    return subprocess.run([sys.executable, "-m", "fenjie", *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd, timeout=timeout)


def convert_json(path: Path) -> dict:
    """The JSON that `fenjie convert PATH --only json --out -` prints, made in this process by the functions the
    command calls (a subprocess costs a second; tests/test_cli.py checks what the command itself prints)."""
    from fenjie.pipeline import convert
    from fenjie.render.json import dumps

    return json.loads(dumps(convert(path)))


def _compare_module():
    spec = importlib.util.spec_from_file_location("compare", ACCEPTANCE / "compare.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


COMPARE = _compare_module()


def compare(actual: dict, expected: dict | Path, tmp_path: Path) -> str:
    """compare.py's report of ACTUAL against EXPECTED; asserts that every row and notice field matches."""
    actual_path = tmp_path / "actual.json"
    actual_path.write_text(json.dumps(actual, ensure_ascii=False), encoding="utf-8")
    if isinstance(expected, dict):
        expected_path = tmp_path / "expected.json"
        expected_path.write_text(json.dumps(expected, ensure_ascii=False), encoding="utf-8")
    else:
        expected_path = expected
    report = io.StringIO()
    with contextlib.redirect_stdout(report):
        status = COMPARE.main(["compare.py", str(actual_path), str(expected_path)])
    assert status == 0, report.getvalue()
    return report.getvalue()


def docx_variant(target: Path, edit: Callable[[etree._Element], None], source: Path = SEED_DOCX) -> Path:
    """A copy of SOURCE whose word/document.xml went through EDIT (which changes the tree in place)."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in original.infolist():
            data = original.read(info)
            if info.filename == "word/document.xml":
                root = etree.fromstring(data)
                edit(root)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            copy.writestr(info, data)
    return target


def w(tag: str, **attributes: str) -> etree._Element:
    """A new w: element with w: attributes."""
    element = etree.Element(W + tag)
    for key, value in attributes.items():
        element.set(W + key, value)
    return element


def run_of(text: str, tag: str = "t") -> etree._Element:
    """<w:r><w:t>TEXT</w:t></w:r> (or w:delText / w:instrText with TAG)."""
    run = w("r")
    run.append(w(tag))
    run[0].text = text
    if text != text.strip():
        run[0].set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return run


# --- tiny files from a few lines of XML (the way python-docx tests its reader) ---------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_TYPES = R_NS  # relationship types start with the relationships namespace


def tc(text: str, props: str = "") -> str:
    runs = "".join(f"<w:r><w:t xml:space='preserve'>{escape(line)}</w:t></w:r>" for line in text.split("\n"))
    return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p>{runs}</w:p></w:tc>"


def tr(cells: list[str], props: str = "", cell_props: str = "") -> str:
    return f"<w:tr><w:trPr>{props}</w:trPr>{''.join(tc(text, cell_props) for text in cells)}</w:tr>"


def tbl(rows: list[str], columns: int = 4) -> str:
    grid = "".join("<w:gridCol w:w='1000'/>" for _ in range(columns))
    return f"<w:tbl><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"


def paragraph(text: str) -> str:
    return f"<w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p>"


def docx(body: str, *, parts: dict[str, bytes] | None = None, part_rels: str = "",
         main: str = "word/document.xml") -> bytes:
    """A .docx holding BODY; PARTS beside it, related to the main part by PART_RELS."""
    document = (f"<?xml version='1.0' encoding='UTF-8'?><w:document xmlns:w='{W_NS}' xmlns:r='{R_NS}'>"
                f"<w:body>{body}</w:body></w:document>")
    folder, _, base = main.rpartition("/")
    files = {
        "[Content_Types].xml": "<?xml version='1.0'?><Types xmlns='http://schemas.openxmlformats.org/package/"
        "2006/content-types'><Default Extension='rels' ContentType='application/vnd.openxmlformats-package."
        "relationships+xml'/><Default Extension='xml' ContentType='application/xml'/>"
        f"<Override PartName='/{main}' ContentType='application/vnd.openxmlformats-officedocument."
        "wordprocessingml.document.main+xml'/></Types>",
        "_rels/.rels": "<?xml version='1.0'?><Relationships xmlns='http://schemas.openxmlformats.org/package/2006/"
        f"relationships'><Relationship Id='rId1' Type='{REL_TYPES}/officeDocument' Target='{main}'/>"
        "</Relationships>",
        main: document,
        f"{folder}/_rels/{base}.rels": "<?xml version='1.0'?><Relationships xmlns='http://schemas.openxmlformats"
        f".org/package/2006/relationships'>{part_rels}</Relationships>",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, content in {**files, **(parts or {})}.items():
            archive.writestr(path, content.encode("utf-8") if isinstance(content, str) else content)
    return buffer.getvalue()


def workbook(*sheets: tuple[str, list[list[str]]]) -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    return book


def xlsx_bytes(book: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
