"""The assembly of the `Document`: the task table (or numbered paragraphs), the notice around it, units and warnings."""

from __future__ import annotations

from fenjie.errors import NoTable, UnknownHeader
from fenjie.extract.grid import Extracted, Grid, cell_texts
from fenjie.model import Document, GridCell, Row, Source, Table, Unit, Warning
from fenjie.normalize.conserve import lost_texts
from fenjie.normalize.directory import EMPTY, Directory, with_directory
from fenjie.normalize.headers import Header, decide_by_content, find_header, is_task_header
from fenjie.normalize.notice import notice_of
from fenjie.normalize.roles import first_unit_leads
from fenjie.normalize.rows import table_rows
from fenjie.normalize.subject import subject_of
from fenjie.rules import Rules


def normalize(extracted: Extracted, source: Source, rules: Rules, name: str = "",
              directory: Directory = EMPTY) -> Document:
    rules = with_directory(rules, directory)
    try:
        grid, header = task_table(extracted, rules, name)
    except (NoTable, UnknownHeader):
        # No task table: the tasks may be numbered paragraphs that carry their roles.
        document = prose_document(extracted, source, rules, directory)
        if document is None:
            raise
        return document
    notice, table_title, used, _ = notice_of(extracted.paragraphs, grid.after_paragraph, rules, extracted.page)
    table = table_rows(grid, header, notice.year, rules, name, first_leads=first_unit_leads(notice.body, rules))
    warnings = [Warning(code=note.code, message=note.message) for note in extracted.notes]
    warnings += table.warnings
    warnings += [Warning(code=note.code, message=note.message) for note in grid.notes]
    if table_title is None and table.titles:
        table_title = table.titles.pop(0)
    notice.subject = subject_of(notice.title, table_title, notice.year, rules)
    warnings += [Warning(code="unplaced-text", message=f"text in the table above its header: {t}")
                 for t in table.titles]
    warnings += _unplaced(extracted, used) + _other_tables(extracted, grid)
    warnings += _deadline_warnings(table.rows, header.has("deadline"))
    document = Document(
        source=source,
        notice=notice,
        table=Table(title=table_title, columns=table.columns, cells=_cells(grid),
                    header_rows=sorted(table.header_rows)),
        rows=table.rows,
        units=units_of(table.rows, directory, rules.aliases),
        warnings=warnings,
    )
    document.warnings += [
        Warning(code="lost-text", message=f"table {t + 1} row {r + 1}: text not found in the output: {text}")
        for t, r, text in lost_texts(grid, table.header_rows, document, rules)
    ]
    return document


def prose_document(extracted: Extracted, source: Source, rules: Rules, directory: Directory = EMPTY) -> Document | None:
    """The document of a notice whose tasks are numbered paragraphs with their roles; None when no paragraph
    carries roles."""
    from fenjie.normalize.prose import prose_rows  # its patterns cost a notice with a task table 3 ms to compile

    notice, _, used, body = notice_of(extracted.paragraphs, None, rules, extracted.page)
    prose = prose_rows(extracted.paragraphs, body, notice.year, rules, first_unit_leads(extracted.paragraphs, rules))
    if not prose.rows:
        return None
    notice.body = [extracted.paragraphs[i] for i in body if i not in prose.used]
    notice.subject = subject_of(notice.title, None, notice.year, rules)
    warnings = [Warning(code="prose-rows", message=f"no task table: {len(prose.rows)} rows were read from "
                        "numbered paragraphs that carry their roles; check them against the notice")]
    warnings += prose.warnings + _unplaced(extracted, used) + _other_tables(extracted, None)
    warnings += _deadline_warnings(prose.rows, any(row.deadline.text for row in prose.rows))
    return Document(source=source, notice=notice, rows=prose.rows,
                    units=units_of(prose.rows, directory, rules.aliases), warnings=warnings)


def _unplaced(extracted: Extracted, used: set[int]) -> list[Warning]:
    return [Warning(code="unplaced-text", message=f"paragraph {i + 1} was not given a meaning: {text}")
            for i, text in enumerate(extracted.paragraphs) if i not in used]


def _other_tables(extracted: Extracted, task_grid: Grid | None) -> list[Warning]:
    return [Warning(code="other-table", message=f"table {other.index + 1} is not the task table and was not "
                    f"converted: {' | '.join(texts)}")
            for other in extracted.tables if other is not task_grid and (texts := cell_texts(other.rows))]


def _deadline_warnings(rows: list[Row], has_deadlines: bool) -> list[Warning]:
    """no-deadline where the notice gives deadlines but not to this row; deadline-unknown where no date is read."""
    warnings = []
    for row in rows:
        if row.deadline.text is None and has_deadlines:
            warnings.append(Warning(code="no-deadline", message="the row has no deadline", row=row.id))
        elif row.deadline.kind == "unknown" and row.deadline.text:
            warnings.append(Warning(code="deadline-unknown", row=row.id,
                                    message=f"no date could be read from the deadline {row.deadline.text!r}"))
    return warnings


def task_table(extracted: Extracted, rules: Rules, name: str) -> tuple[Grid, Header]:
    """The first table whose header has a requirement (or task) role and a unit or deadline role."""
    if not extracted.tables:
        raise NoTable("the document has no table", name)
    headers = [(grid, find_header(grid, rules)) for grid in extracted.tables]
    for grid, header in headers:
        if header is None:
            continue
        decide_by_content(grid, header, rules)  # a unit or deadline column under an unknown header
        if is_task_header(header):
            return grid, header
    first_rows = "; ".join(
        " | ".join(c.text.replace("\n", "") for c in grid.rows[0].cells) for grid, _ in headers if grid.rows
    )
    raise UnknownHeader(f"no table has a recognizable task header (first rows: {first_rows[:200]})", name)


def units_of(rows, directory: Directory = EMPTY, aliases: dict[str, str] | None = None) -> list[Unit]:
    """Every unit named in the rows, in order of first appearance, with the rows it leads or shares;
    then the directory's members that the rows reach only through a group. Each with its aliases and the
    groups of this notice it belongs to."""
    units: dict[str, Unit] = {}
    for row in rows:
        for role in ("lead", "responsible"):
            for name in getattr(row, role):
                unit = units.setdefault(name, Unit(name=name))
                getattr(unit, role).append(row.id)
    named = set(units)
    for name in directory.units:
        if name not in units and any(g in named for g in directory.groups_of(name)):
            units[name] = Unit(name=name)
    spellings: dict[str, list[str]] = {}
    for alias, name in (aliases or {}).items():
        spellings.setdefault(name, []).append(alias)
    for unit in units.values():
        unit.aliases = spellings.get(unit.name, [])
        unit.groups = [g for g in directory.groups_of(unit.name) if g in named and g != unit.name]
    return list(units.values())


def _cells(grid: Grid) -> list[GridCell]:
    """The task table as read, for showing it as laid out."""
    return [GridCell(text=cell.text, row=cell.row, col=cell.col, rowspan=cell.rowspan, colspan=cell.colspan)
            for grid_row in grid.rows for cell in grid_row.cells]

