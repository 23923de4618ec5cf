"""Per-unit Word letters: `letters/NN-<unit>.docx` for every unit, and `letters/index.xlsx`.

A letter lists the rows its unit leads and the rows it shares, each sorted by deadline: the unit's
`Document.assignments()`, so a member of a group (unit directory) also gets the group's rows, marked
with the group. The letter is a docxtpl template filled in (`template=`, default fenjie/data/letter.docx);
`context_of` is everything a template sees, and README "Templates" lists it.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from functools import cache
from importlib import resources
from pathlib import Path

from fenjie.errors import TemplateError
from fenjie.model import Assignment, Document, Row
from fenjie.render.atomic import atomic_path, write_bytes
from fenjie.render.docx_template import DocxTemplateOnce
from fenjie.render.filenames import numbered_names
from fenjie.render.text import data_words, joined_units

FOLDER = "letters"
TEMPLATE_VARIABLES = ("unit", "subject", "notice", "table_title", "date", "groups", "lead_rows", "responsible_rows")
_OUR_LETTER = re.compile(r"^\d{2,}-.*\.docx$")
# The index has no time of its own (the letters carry the template's): a fixed one keeps it byte-stable.
INDEX_TIME = datetime(1980, 1, 1, tzinfo=UTC)


def write(document: Document, folder: Path, template: str | Path | None = None, **_options) -> list[Path]:
    engine = load_template(template)
    letters = document.assignments()
    names = numbered_names([letter.unit.name for letter in letters], ".docx")
    out = folder / FOLDER
    written = [write_bytes(out / name, engine.render(context_of(document, letter)))
               for name, letter in zip(names, letters, strict=True)]
    written.append(write_index(out / "index.xlsx", letters, names))
    _remove_stale_letters(out, set(names))
    return written


def context_of(document: Document, letter: Assignment) -> dict:
    """The variables of a letter template (README, Templates); text is "" where the notice has none."""
    notice = {key: "" if value is None else value for key, value in document.notice.model_dump().items()}
    position = {row.id: n for n, row in enumerate(document.rows)}
    return {
        "unit": letter.unit.name,
        "subject": document.notice.subject,
        "notice": notice,
        "table_title": document.table.title or "",
        "date": _written_date(document.notice.date),
        "groups": list(dict.fromkeys(g for _, g in letter.lead + letter.responsible if g)),
        "lead_rows": _rows(letter.lead, position),
        "responsible_rows": _rows(letter.responsible, position),
    }


def _rows(rows: list[tuple[Row, str | None]], position: dict[str, int]) -> list[dict]:
    """Rows by deadline (dated ones first, earliest first), then in table order; numbered from 1."""
    ordered = sorted(rows, key=lambda pair: (pair[0].deadline.date is None, pair[0].deadline.date or "",
                                             position[pair[0].id]))
    return [_row(n, row, group) for n, (row, group) in enumerate(ordered, 1)]


def _row(no: int, row: Row, group: str | None) -> dict:
    return {
        "no": str(no),
        "id": row.id,
        "section": row.section.title if row.section else "",
        "task": (row.task or row.section).title if row.task or row.section else "",
        "requirement": row.requirement or "",
        "lead": joined_units(row.lead, row.lead_open) or "",
        "responsible": joined_units(row.responsible, row.responsible_open) or "",
        "deadline": row.deadline.text or "",
        "deadline_date": row.deadline.date or "",
        "group": group or "",
    }


def _words() -> dict:
    return data_words("letters.toml")


def _written_date(iso: str | None) -> str:
    if not iso:
        return ""
    day = date.fromisoformat(iso)
    return _words()["date"]["format"].format(year=day.year, month=day.month, day=day.day)


def load_template(path: str | Path | None) -> DocxTemplateOnce:
    """The user's template, or the shipped one; loaded and compiled once per file version."""
    if path is None:
        return _loaded(None, None)
    path = Path(path)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError as error:
        raise TemplateError(f"cannot read the template: {error.strerror or error}", path) from None
    return _loaded(path, stamp)


@cache
def _loaded(path: Path | None, _stamp: int | None) -> DocxTemplateOnce:
    if path is None:
        data = resources.files("fenjie.data").joinpath("letter.docx").read_bytes()
        return DocxTemplateOnce(data, "fenjie/data/letter.docx", TEMPLATE_VARIABLES)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise TemplateError(f"cannot read the template: {error.strerror or error}", path) from None
    return DocxTemplateOnce(data, path, TEMPLATE_VARIABLES)


def write_index(target: Path, letters: list[Assignment], names: list[str]) -> Path:
    """letters/index.xlsx: unit, file, lead and responsible counts, and how many came through a group."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from fenjie.render.excel import save_workbook

    words = _words()["index"]
    book = Workbook(write_only=True)
    sheet = book.create_sheet(words["sheet"])
    for column, width in zip("ABCDE", (36, 44, 8, 8, 14), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.append(words["headers"])
    for letter, name in zip(letters, names, strict=True):
        unit = ILLEGAL_CHARACTERS_RE.sub("", letter.unit.name)
        sheet.append([unit, name, len(letter.lead), len(letter.responsible), letter.through_groups])
    with atomic_path(target) as tmp:
        save_workbook(book, tmp, INDEX_TIME)
    return target


def _remove_stale_letters(folder: Path, current: set[str]) -> None:
    """Letters of an earlier run for units this run has not: the folder must match its index."""
    for path in folder.glob("*.docx"):
        if _OUR_LETTER.match(path.name) and path.name not in current:
            path.unlink(missing_ok=True)
