"""Per-unit Word letters: `letters/NN-<unit>.docx` for every unit, and `letters/index.xlsx`.

A letter is a 公文 (GB/T 9704-2012) addressed to one unit: a title broken into balanced lines, 主送, an
opening that cites the notice, 附件说明, the issuer's signature and 成文日期, then the unit's tasks as
attachments (附件1 the rows it leads, 附件2 the rows it shares, each by deadline) and the 版记. The rows
are the unit's `Document.assignments()`, so a member of a group (unit directory) also gets the group's
rows, marked with the group. The letter is a docxtpl template filled in (`template=`, default
fenjie/data/letter.docx); `context_of` is everything a template sees, and README "Templates" lists it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from functools import cache, lru_cache
from importlib import resources
from itertools import combinations
from math import ceil
from pathlib import Path

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from fenjie import data
from fenjie.errors import TemplateError
from fenjie.files import read_regular
from fenjie.model import Assignment, Document, Row
from fenjie.render.atomic import atomic_path, write_bytes
from fenjie.render.docx_template import DocxTemplateOnce
from fenjie.render.filenames import numbered_names
from fenjie.render.options import LetterOptions
from fenjie.render.text import CHINA, joined_units
from fenjie.text import squash

FOLDER = "letters"
TEMPLATE_VARIABLES = (
    "unit", "subject", "notice", "table_title", "date", "groups", "lead_rows", "responsible_rows",
    "title", "title_lines", "recipient", "body", "attachment_notes", "attachments", "signature", "contact", "cc",
    "printed", "created", "widths", "partners_header",
)
MAX_TEMPLATE = 64 * 2**20
_OUR_LETTER = re.compile(r"^(\d{2,}-.*\.(docx|pdf)|letters\.pdf)$")
# The index has no time of its own (the letters carry the template's): a fixed one keeps it byte-stable.
INDEX_TIME = datetime(1980, 1, 1, tzinfo=UTC)

# Layout of the shipped template (GB/T 9704): characters of a line, in em of each font.
TITLE_CHARS = 20  # 2号 (22 pt) on the 156 mm line
BODY_CHARS = 28  # 3号 on the document grid
MIN_TITLE_LINE = 4  # GB/T 9704 §7.3.1: no line of a title that short
SIGNATURE_RIGHT = 4  # characters between the signature block and the right margin
TABLE_TEXT = 240  # twips of one CJK character of 小四 (12 pt) table text
TABLE_WIDTH = 8844  # twips: the 156 mm text width
CELL_PADDING = 400  # twips: the cell's left and right margins, the space around digits, and a little air
# Widest and narrowest column (characters) for the task and partner columns; the requirement takes the rest.
TASK_CHARS, PARTNER_CHARS, DEADLINE_CHARS = (5, 8), (5, 8), (4, 9)


def write(document: Document, folder: Path, options: LetterOptions | None = None) -> list[Path]:
    """FOLDER/letters/: a letter per unit (or per set of units with merge_identical), index.xlsx, and with
    pdf a PDF of each letter and letters.pdf."""
    options = options or LetterOptions()
    generated_at = options.generated_at or datetime.now(CHINA).replace(microsecond=0)
    options = replace(options, date=options.date or generated_at.date(), cc=tuple(options.cc),
                      generated_at=generated_at)
    engine = load_template(options.template)
    letters = (_merged(document.assignments()) if options.merge_identical
               else [[a] for a in document.assignments()])
    names = numbered_names([_file_unit(group) for group in letters], ".docx")
    out = folder / FOLDER
    table = RowCells(document)
    written = []
    for name, group in zip(names, letters, strict=True):
        written.append(write_bytes(out / name, engine.render(context_of(document, group, options, table))))
    index = write_index(out / "index.xlsx", letters, names)
    if options.pdf:
        from fenjie.render.pdf import write_pdfs

        written += write_pdfs(written, [_file_unit(group) for group in letters], out)
    _remove_stale_letters(out, {path.name for path in written})
    return [*written, index]


def _merged(assignments: list[Assignment]) -> list[list[Assignment]]:
    """Units whose tables would be the same (rows and groups by role), together, in order of first unit."""
    groups: dict[tuple, list[Assignment]] = {}
    for a in assignments:
        key = tuple(tuple((row.id, group) for row, group in pairs) for pairs in (a.lead, a.responsible))
        groups.setdefault(key, []).append(a)
    return list(groups.values())


def _file_unit(letter: list[Assignment]) -> str:
    first = letter[0].unit.name
    return first if len(letter) == 1 else _words().merged_file.format(unit=first, count=len(letter))


class RowCells:
    """Each row's place in the notice and the cells that read the same in every letter, computed once
    per notice: a row of a big notice goes to several letters."""

    def __init__(self, document: Document):
        self.position = {row.id: n for n, row in enumerate(document.rows)}
        self._cells: dict[str, dict[str, str]] = {}

    def __getitem__(self, row: Row) -> dict[str, str]:
        cells = self._cells.get(row.id)
        if cells is None:
            cells = self._cells[row.id] = _cells(row)
        return cells


def context_of(document: Document, letter: list[Assignment] | Assignment, options: LetterOptions | None = None,
               table: RowCells | None = None) -> dict:
    """The variables of a letter template (README, Templates); text is "" where the notice has none."""
    letter = [letter] if isinstance(letter, Assignment) else letter
    options = options or LetterOptions(date=datetime.now(CHINA).date())
    table = table or RowCells(document)
    words = _words()
    notice = {key: "" if value is None else value for key, value in document.notice.model_dump().items()}
    first = letter[0]
    lead_rows = _rows(first.lead, table, "lead", first.unit.name)
    responsible_rows = _rows(first.responsible, table, "responsible", first.unit.name)
    headers = _column_words(document)
    subject = document.notice.subject
    title = words.title.format(subject=subject or words.no_subject, kind=options.kind)
    attachments, notes = _attachments(subject, lead_rows, responsible_rows)
    recipient = words.recipient_separator.join(_recipient(document, a) for a in letter)
    written = _written_date(options.date)
    issuer = notice["issuer"]
    return {
        "unit": first.unit.name,
        "subject": subject,
        "notice": notice,
        "table_title": document.table.title or "",
        "date": written,
        "groups": list(dict.fromkeys(g for _, g in first.lead + first.responsible if g)),
        "lead_rows": lead_rows,
        "responsible_rows": responsible_rows,
        "title": title,
        "title_lines": title_lines(title, TITLE_CHARS),
        "recipient": recipient,
        "body": _body(document, letter, recipient, headers, options),
        "attachment_notes": notes,
        "attachments": attachments,
        "signature": _signature(issuer, written),
        "contact": options.contact,
        "cc": words.recipient_separator.join(options.cc),
        "printed": written,
        "created": (options.generated_at or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "widths": {"lead": _widths(lead_rows), "responsible": _widths(responsible_rows)},
        "partners_header": {"lead": headers["responsible"], "responsible": headers["lead"]},
    }


def _column_words(document: Document) -> dict[str, str]:
    """The notice's own headers of its unit columns (牵头部门, 责任单位), else the usual ones."""
    words = _words().columns
    own = {column.role: squash(column.header) for column in document.table.columns}
    return {role: own.get(role) or words[role] for role in ("lead", "responsible")}


def _recipient(document: Document, assignment: Assignment) -> str:
    """The unit as the notice's 主送 spells it (各县（市、区）人民政府 for 各县（市、区）政府), else its name."""
    spellings = [assignment.unit.name, *assignment.unit.aliases]
    return next((r for r in document.notice.recipients if r in spellings or _fuller(r, assignment.unit.name)),
                assignment.unit.name)


def _fuller(long: str, short: str) -> bool:
    """LONG spells SHORT out: same first and last two characters, SHORT's characters in order, at most 4 more
    (人民 in 各县（市、区）人民政府)."""
    if not 0 < len(long) - len(short) <= 4 or long[:2] != short[:2] or long[-2:] != short[-2:]:
        return False
    rest = iter(long)
    return all(ch in rest for ch in short)


def _is_collective(name: str) -> bool:
    """各县（市、区）政府, 市政府各部门、单位, 市安委会成员单位: a name for many units, not one."""
    words = _words().collective
    return name.startswith(words.starts) or any(w in name for w in words.contains) or name.endswith(words.ends)


def _body(document: Document, letter: list[Assignment], recipient: str, headers: dict[str, str],
          options: LetterOptions) -> list[str]:
    """The opening in the register of a notice: the notice cited, the counts that are not zero, the request."""
    words = _words().opening
    notice = document.notice
    first = letter[0]
    many = len(letter) > 1 or _is_collective(first.unit.name)
    addressee = recipient if many else words.you
    cited = "".join(part for part in (
        f"《{notice.title}》" if notice.title else "", f"（{notice.doc_number}）" if notice.doc_number else "") if part)
    basis = words.basis.format(cited=cited) if cited else words.no_basis
    lead_word = headers["lead"].removesuffix("单位").removesuffix("部门") or headers["lead"]
    counts = [text for count, text in (
        (len(first.lead), words.lead_count.format(count=len(first.lead), lead=lead_word)),
        (len(first.responsible), words.responsible_count.format(count=len(first.responsible),
                                                                   responsible=headers["responsible"])))
        if count]
    tasks = "、".join(counts) if counts else words.no_tasks
    text = basis + words.assigned.format(addressee=addressee, tasks=tasks)
    groups = {}
    for row_group in (g for _, g in first.lead + first.responsible if g):
        groups[row_group] = groups.get(row_group, 0) + 1
    if groups:
        text += words.groups.format(groups="；".join(words.group.format(group=g, count=n)
                                                       for g, n in groups.items()))
    text += words.request.format(addressee=recipient if many else "")
    lines = [text]
    if options.report_by:
        lines.append(words.report.format(addressee=recipient if many else words.you,
                                            date=_written_date(options.report_by), issuer=notice.issuer or ""))
    return lines


def _attachments(subject: str, lead_rows: list, responsible_rows: list) -> tuple[dict, list[str]]:
    """附件 numbers and titles of the two tables a letter may have, and the 附件说明 lines; a single
    attachment has no number (GB/T 9704 §7.3.6: 附件：…, and 附件 over it)."""
    words = _words().attachments
    attachments, notes = {}, []
    for role, rows in (("lead", lead_rows), ("responsible", responsible_rows)):
        if rows:
            attachments[role] = {"no": str(len(attachments) + 1), "title": words.of(role).format(subject=subject)}
    if len(attachments) == 1:
        (only,) = attachments.values()
        only["no"] = ""
    for attachment in attachments.values():
        numbered = f"{attachment['no']}．{attachment['title']}" if attachment["no"] else attachment["title"]
        notes.append((words.label if not notes else words.indent) + numbered)
    for role in ("lead", "responsible"):
        attachments.setdefault(role, {"no": "", "title": ""})
    return attachments, notes


def _signature(issuer: str, written: str) -> dict[str, int]:
    """Indents (hundredths of a character) that centre issuer and date on one another, 4 characters in."""
    block = ceil(max(text_width(issuer), text_width(written)))
    left = max(BODY_CHARS - SIGNATURE_RIGHT - block, 0) * 100
    return {"issuer_left": left, "issuer_right": SIGNATURE_RIGHT * 100,
            "date_left": left, "date_right": SIGNATURE_RIGHT * 100}


def text_width(text: str, narrow: float = 0.5) -> float:
    """Width in em: a CJK (wide) character is one, anything else NARROW (half of one in most fonts)."""
    return sum(1 if unicodedata.east_asian_width(ch) in "WF" else narrow for ch in text)


def _title_width(text: str) -> float:
    # Digits of a title face (or the face standing in for it) run a little wider than half an em.
    return text_width(text, 0.6)


# Never break a title after these, nor before those; breaking after a particle or 年 reads well.
_NO_BREAK_AFTER = "（《“‘〔【"
_NO_BREAK_BEFORE = "）》”’〕】、，。；：的"
_GOOD_BREAK_AFTER = "年的和与及、，"
_BAD_BREAK = 3  # em of imbalance a break between two characters of no known word costs


def title_lines(title: str, per_line: float) -> list[str]:
    """TITLE broken into the fewest lines of at most PER_LINE em, balanced, between words (GB/T 9704 §7.3.1).

    A break never splits a word of letters.toml's title_words, a number or a run of Latin letters,
    never leaves fewer than 4 characters on a line, prefers the ends of known words and the places
    after 年, 的, 和 …, and then the lines most alike.
    """
    if _title_width(title) <= per_line:
        return [title]
    inside, good = _word_places(title)
    places = [i for i in range(MIN_TITLE_LINE, len(title) - MIN_TITLE_LINE + 1)
              if i not in inside and _may_break(title, i)]
    for count in range(ceil(_title_width(title) / per_line), len(title) // MIN_TITLE_LINE + 1):
        best = None
        for cut in combinations(places, count - 1):
            bounds = (0, *cut, len(title))
            lines = [title[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
            widths = [_title_width(line) for line in lines]
            if max(widths) > per_line or min(len(line) for line in lines) < MIN_TITLE_LINE:
                continue
            # Balanced and between known words first; on a tie the longer line on top (an inverted trapezoid).
            score = (max(widths) - min(widths) + _BAD_BREAK * sum(c not in good for c in cut), [-w for w in widths])
            if best is None or score < best[0]:
                best = (score, lines)
        if best:
            return best[1]
    return [title]


def _word_places(title: str) -> tuple[set[int], set[int]]:
    """Places inside a known word (never a break), and places next to one or after a particle (good breaks)."""
    words = _title_words()
    inside, good = set(), {i + 1 for i, ch in enumerate(title) if ch in _GOOD_BREAK_AFTER}
    at = 0
    while at < len(title):
        word = next((w for w in words if title.startswith(w, at)), None)
        if word is None:
            at += 1
            continue
        inside.update(range(at + 1, at + len(word)))
        good.update((at, at + len(word)))
        at += len(word)
    return inside, good


@cache
def _title_words() -> tuple[str, ...]:
    return tuple(sorted(set(_words().title_words), key=len, reverse=True))


def _may_break(text: str, at: int) -> bool:
    before, after = text[at - 1], text[at]
    if before in _NO_BREAK_AFTER or after in _NO_BREAK_BEFORE:
        return False
    return not (before.isascii() and before.isalnum() and (after.isascii() and after.isalnum() or after in "年月日"))


def _widths(rows: list[dict]) -> list[int]:
    """Column widths in twips: each from its longest text, between bounds; the requirement takes the rest."""
    def chars(texts, bounds) -> float:
        # A text of n characters is at least 0.6 n wide: past the widest bound none needs measuring, and
        # each distinct text is measured once (a unit's partners repeat over thousands of rows).
        if any(len(t) * 0.6 > bounds[1] + 1 for t in texts):
            return bounds[1]
        longest = max((text_width(t, 0.6) for t in set(texts)), default=0)
        return min(max(longest, bounds[0]), bounds[1])

    number = chars([str(len(rows)), "序号"], (2, 3))
    task = chars([r["task"] for r in rows], TASK_CHARS)
    partners = chars([name for r in rows for name in r["partners"].split("、")], PARTNER_CHARS)
    deadline = chars([r["deadline"] for r in rows], DEADLINE_CHARS)
    fixed = [round(c * TABLE_TEXT) + CELL_PADDING for c in (number, task, partners, deadline)]
    requirement = TABLE_WIDTH - sum(fixed)
    return [fixed[0], fixed[1], requirement, fixed[2], fixed[3]]


def _rows(rows: list[tuple[Row, str | None]], table: RowCells, role: str, unit: str) -> list[dict]:
    """Rows by deadline (dated ones first, earliest first), then in table order; numbered from 1."""
    position = table.position
    ordered = sorted(rows, key=lambda pair: (pair[0].deadline.date is None, pair[0].deadline.date or "",
                                             position[pair[0].id]))
    group_word = _words().row_group
    out = []
    for n, (row, group) in enumerate(ordered, 1):
        cells = table[row]
        out.append({
            "no": str(n),
            **cells,
            "group": group_word.format(group=group) if group else "",
            # The units the unit shares the row with: co-leads first (for a row it leads), then the others.
            "partners": _partners(row, cells, role, (unit, group)),
        })
    return out


def _cells(row: Row) -> dict[str, str]:
    return {
        "id": row.id,
        "section": row.section.title if row.section else "",
        "task": (row.task or row.section).title if row.task or row.section else "",
        "requirement": row.requirement or "",
        "lead": joined_units(row.lead, row.lead_open) or "",
        "responsible": joined_units(row.responsible, row.responsible_open) or "",
        "deadline": row.deadline.text or "",
        "deadline_date": row.deadline.date or "",
    }


def _partners(row: Row, cells: dict[str, str], role: str, us: tuple[str, str | None]) -> str:
    """Who else works on the row: its lead units for a shared row; for a led row the other lead units
    (co-leads: neither the unit nor the group the row came through), then its responsible units."""
    if role == "responsible":
        return cells["lead"]
    responsible = cells["responsible"]
    others = [name for name in row.lead if name not in us]
    if not others:
        return responsible
    co_leads = _words().co_leads.format(units=joined_units(others, row.lead_open))
    return co_leads + ("；" + responsible if responsible else "")


@dataclass(frozen=True)
class CollectiveWords:
    """How a name for many units is written (各县（市、区）政府, 市安委会成员单位)."""

    starts: tuple[str, ...]
    contains: tuple[str, ...]
    ends: tuple[str, ...]


@dataclass(frozen=True)
class OpeningWords:
    basis: str
    no_basis: str
    you: str
    assigned: str
    lead_count: str
    responsible_count: str
    no_tasks: str
    groups: str
    group: str
    request: str
    report: str


@dataclass(frozen=True)
class AttachmentWords:
    label: str
    indent: str
    lead: str
    responsible: str

    def of(self, role: str) -> str:
        return self.lead if role == "lead" else self.responsible


@dataclass(frozen=True)
class DateWords:
    format: str


@dataclass(frozen=True)
class IndexWords:
    sheet: str
    headers: tuple[str, ...]


@dataclass(frozen=True)
class PdfWords:
    title: str
    contents: str


@dataclass(frozen=True)
class LetterWords:
    """fenjie/data/letters.toml."""

    title: str
    no_subject: str
    title_words: tuple[str, ...]
    recipient_separator: str
    merged_file: str
    row_group: str
    co_leads: str
    columns: dict[str, str]  # lead, responsible -> the usual header of the unit column
    collective: CollectiveWords
    opening: OpeningWords
    attachments: AttachmentWords
    date: DateWords
    index: IndexWords
    pdf: PdfWords


def _words() -> LetterWords:
    return data.words("letters.toml", LetterWords)


def _written_date(day: date | None) -> str:
    if day is None:
        return ""
    return _words().date.format.format(year=day.year, month=day.month, day=day.day)


def load_template(path: str | Path | None) -> DocxTemplateOnce:
    """The user's template, or the shipped one; compiled once per content of the file, like the rules: a
    long-lived process (a Dask worker) asked again after the file was edited uses the edited template."""
    if path is None:
        return _compiled(resources.files("fenjie.data").joinpath("letter.docx").read_bytes(), "fenjie/data/letter.docx")
    try:
        data = read_regular(path, MAX_TEMPLATE)
    except OSError as error:
        raise TemplateError(f"cannot read the template: {error.strerror or error}", path) from None
    if len(data) > MAX_TEMPLATE:
        raise TemplateError(f"more than {MAX_TEMPLATE // 2**20} MB, far beyond a letter template", path)
    return _compiled(data, Path(path))


@lru_cache(maxsize=8)  # keyed by the content: a few templates, a few versions of one while it is edited
def _compiled(data: bytes, name: str | Path) -> DocxTemplateOnce:
    return DocxTemplateOnce(data, name, TEMPLATE_VARIABLES)


def write_index(target: Path, letters: list[list[Assignment]], names: list[str]) -> Path:
    """letters/index.xlsx: per unit its letter (a link that opens it), lead and responsible counts, and how
    many of them came through a group; styled like tasks.xlsx, with filters, printed with its header."""
    from fenjie.render.excel import CENTER, TEXT, for_printing, save_workbook, styled_workbook, write_header

    words = _words().index
    book = styled_workbook()
    sheet = book.active
    sheet.title = words.sheet
    write_header(sheet, words.headers)
    r = 1
    for letter, name in zip(letters, names, strict=True):
        for a in letter:
            r += 1
            values = [a.unit.name, name, len(a.lead), len(a.responsible), a.through_groups]
            for c, (value, style) in enumerate(zip(values, (TEXT, TEXT, CENTER, CENTER, CENTER), strict=True), 1):
                cell = sheet.cell(r, c, ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value)
                cell.style = style
            sheet.cell(r, 2).hyperlink = name  # relative: opens the letter beside index.xlsx
    for column, width in zip("ABCDE", (36, 44, 8, 8, 14), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.auto_filter.ref = sheet.dimensions
    for_printing(sheet, words.sheet)
    with atomic_path(target) as tmp:
        save_workbook(book, tmp, INDEX_TIME)
    return target


def _remove_stale_letters(folder: Path, current: set[str]) -> None:
    """Letters (and PDFs) of an earlier run that this run has not written: the folder must match its index."""
    for path in folder.iterdir():
        if _OUR_LETTER.match(path.name) and path.name not in current:
            path.unlink(missing_ok=True)
