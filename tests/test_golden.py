"""The golden corpus (tests/corpus/golden/, see its README): each case's input against its expected outputs.

Every case holds `source.<ext>` and `notice.json`, exactly what `fenjie convert --only json` writes for it;
some also `tasks.json`, the sheets of its tasks.xlsx as a person sees them (cell values row by row, merged
ranges, where each named style is). After a deliberate change, `pytest tests/test_golden.py --accept`
rewrites the expected files; review `git diff tests/corpus/golden` and commit it with the change.
"""

from __future__ import annotations

import difflib
import json
import tempfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT
from openpyxl.utils import get_column_letter

from fenjie import __version__
from fenjie.model import Document
from fenjie.pipeline import convert
from fenjie.render import excel
from fenjie.render.json import dumps
from fenjie.render.options import WorkbookOptions

GOLDEN = ROOT / "tests" / "corpus" / "golden"
CASES = sorted(path.parent.name for path in GOLDEN.glob("*/source.*"))
# tasks.xlsx's one moving part, fixed; its fenjie version is masked, so that a release rewrites no golden
# file (test_excel checks the version it shows).
GENERATED_AT = datetime(2025, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=8)))
VERSION = "<fenjie version>"


def source_of(case: str) -> Path:
    (source,) = (GOLDEN / case).glob("source.*")
    return source


def tasks_sheets(document: Document) -> str:
    """tasks.xlsx as written and read back: every sheet's values (trailing empty cells dropped) and merges."""
    with tempfile.TemporaryDirectory() as folder:
        [path] = excel.write(document, Path(folder), WorkbookOptions(generated_at=GENERATED_AT))
        book = openpyxl.load_workbook(path)
    sheets = []
    for sheet in book.worksheets:  # one line a row, so that a diff shows the rows that changed
        rows = [_line([_shown(value) for value in row]) for row in sheet.iter_rows(values_only=True)]
        merged = sorted((str(cells) for cells in sheet.merged_cells.ranges), key=_range_key)
        sheets.append(f'{{"name": {_line(sheet.title)}, "merged": {_line(merged)},\n "styles": '
                      f'{_line(_styled_ranges(sheet))}, "rows": [\n  ' + ",\n  ".join(rows) + "\n]}")
    return "[\n" + ",\n".join(sheets) + "\n]\n"


def _styled_ranges(sheet) -> list[str]:
    """Where each named style (bold header, grey section row, date) is: "A1:I1 fenjie-header", the cells of one
    style joined into runs down each column, and runs of neighbouring columns over the same rows into one."""
    runs: dict[int, list[list]] = {}  # column -> [style, first row, last row]
    for (row, col), cell in sorted(sheet._cells.items(), key=lambda item: (item[0][1], item[0][0])):
        if cell.style == "Normal":
            continue
        column = runs.setdefault(col, [])
        if column and column[-1][0] == cell.style and column[-1][2] == row - 1:
            column[-1][2] = row
        else:
            column.append([cell.style, row, row])
    boxes: list[list] = []  # [style, first row, last row, first column, last column]
    for col in sorted(runs):
        for style, first, last in runs[col]:
            box = next((b for b in boxes if b[:3] == [style, first, last] and b[4] == col - 1), None)
            if box:
                box[4] = col
            else:
                boxes.append([style, first, last, col, col])
    return [f"{get_column_letter(left)}{first}:{get_column_letter(right)}{last} {style}"
            for style, first, last, left, right in sorted(boxes, key=lambda b: (b[1], b[3]))]


def _shown(value):
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return VERSION if value == __version__ else value


def _line(value) -> str:
    """VALUE as one line of JSON; a row without its trailing empty cells."""
    if isinstance(value, list):
        while value and value[-1] is None:
            value.pop()
    return json.dumps(value, ensure_ascii=False)


def _range_key(cells: str) -> tuple[int, str]:
    start = cells.split(":")[0]
    return int("".join(filter(str.isdigit, start))), start


def check(expected: Path, actual: str, accept: bool) -> None:
    """ACTUAL is EXPECTED's text; with --accept, EXPECTED is rewritten to it instead."""
    if accept:
        if not expected.is_file() or expected.read_text(encoding="utf-8") != actual:
            expected.write_text(actual, encoding="utf-8")
        return
    assert expected.is_file(), f"{expected} is missing: run `pytest tests/test_golden.py --accept` to write it"
    want = expected.read_text(encoding="utf-8")
    if actual != want:
        diff = list(difflib.unified_diff(want.splitlines(), actual.splitlines(), str(expected), "actual",
                                         lineterm="", n=2))
        shown = "\n".join(diff[:80]) + (f"\n... {len(diff) - 80} more lines" if len(diff) > 80 else "")
        pytest.fail(f"{expected.relative_to(ROOT)} differs (if the change is meant, run "
                    f"`pytest tests/test_golden.py --accept` and review the diff):\n{shown}", pytrace=False)


@pytest.mark.parametrize("case", CASES)
def test_golden_case(case, accept):
    folder = GOLDEN / case
    document = convert(source_of(case))
    check(folder / "notice.json", dumps(document), accept)
    tasks = folder / "tasks.json"
    if tasks.is_file():
        check(tasks, tasks_sheets(document), accept)


def test_every_folder_is_a_case():
    """A folder without its source (a case renamed or half deleted) would be passed over silently."""
    folders = {path.name for path in GOLDEN.iterdir() if path.is_dir() and not path.name.startswith(("_", "."))}
    assert folders == set(CASES)


def test_the_corpus_has_a_case_of_every_reader():
    formats = {json.loads((GOLDEN / case / "notice.json").read_text(encoding="utf-8"))["source"]["format"]
               for case in CASES}
    assert formats == {"docx", "txt", "html", "xlsx", "pdf", "ofd"}
    assert [case for case in CASES if (GOLDEN / case / "tasks.json").is_file()], "no case checks tasks.xlsx"
