"""Grid -> task rows: sections, parent tasks, fill-down, units and deadlines.

Levels are known by numbering and position, never by a sample's words: a full-width row or a
section column opens a section, a task cell names the parent task, and a row whose task cell is
merged from above (or, in a text export, empty) belongs to the task above it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fenjie.extract.grid import Cell, Grid
from fenjie.model import Column, Deadline, Numbered, Row, SourceRef, Warning
from fenjie.normalize.deadlines import needs_year, parse_deadline
from fenjie.normalize.headers import UNIT_ROLES, Header, is_full_width, squash
from fenjie.normalize.numbering import section_of, task_number, task_of
from fenjie.normalize.units import split_units
from fenjie.rules import Rules


@dataclass
class TableRows:
    rows: list[Row] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)  # title rows found inside the table
    header_rows: set[int] = field(default_factory=set)  # grid rows that are the header or a repeat of it


@dataclass
class _Position:
    """Where the walk is: the open section and task and how many of each came before."""

    section: Numbered | None = None
    task: Numbered | None = None
    sections: int = 0
    tasks: int = 0  # within the section
    items: int = 0  # within the task
    previous: Row | None = None  # the last row of the open task, for the text-export fill-down

    def open_section(self, section: Numbered) -> None:
        if section != self.section:
            self.section, self.task = section, None
            self.sections += 1
            self.tasks = self.items = 0
            self.previous = None

    def open_task(self, task: Numbered) -> None:
        # The same task repeated after a page break stays one task.
        if task != self.task:
            self.task = task
            self.tasks += 1
            self.items = 0
            self.previous = None


def table_rows(grid: Grid, header: Header, year: int | None, rules: Rules) -> TableRows:
    out = TableRows(columns=[Column(header=t, role=r) for t, r in zip(header.texts, header.roles, strict=True)])
    out.titles = [c.text for row in grid.rows[: header.first] for c in row.cells if c.text]
    for text in dict.fromkeys(t for t, r in zip(header.texts, header.roles, strict=True) if r == "extra" and t):
        out.warnings.append(Warning(code="unknown-header", message=f"column {text!r} has no known role; "
                                    "its cells are kept in each row's `extra`"))
    covering = grid.covering()
    opens_sections, opens_tasks = _full_width_levels(covering[header.rows:])
    has_sections = header.has("section") or opens_sections
    has_tasks = (header.has("task") and header.has("requirement")) or opens_tasks
    position = _Position()
    # A header repeated in the body (a later page, or two tables joined into one): its leaf texts or any
    # of its rows as written.
    header_keys = {tuple(squash(t) for t in header.texts)}
    header_keys |= {_own_texts(covering[r], r) for r in range(header.first, header.rows)}
    out.header_rows = set(range(header.first, header.rows))
    for r in range(header.rows, len(grid.rows)):
        cells = covering[r]
        own = [cell if cell is not None and cell.row == r else None for cell in cells]
        if grid.rows[r].header or _own_texts(cells, r) in header_keys:
            out.header_rows.add(r)
            continue
        if not any(c is not None and c.text for c in own):
            continue
        if is_full_width(cells):
            _open_full_width(next(c for c in own if c is not None and c.text).text, position)
            continue
        _open_levels(cells, r, header, position, has_tasks)
        if not _has_item(own, header):
            continue
        position.items += 1
        row_id = ".".join(str(n) for n, level in ((position.sections, has_sections),
                                                    (position.tasks, has_tasks), (position.items, True)) if level)
        row = _item_row(row_id, grid, cells, r, header, position, year, rules)
        position.previous = row
        out.rows.append(row)
    return out


def _own_texts(cells: list[Cell | None], r: int) -> tuple[str, ...]:
    """Per grid column, the text of the cell that starts in row R, white space removed ("" elsewhere)."""
    return tuple(squash(c.text) if c is not None and c.row == r else "" for c in cells)


def _full_width_levels(rows: list[list[Cell | None]]) -> tuple[bool, bool]:
    """Whether the table's full-width rows open sections (一、…) and whether they open tasks (（一）…)."""
    texts = [next(c for c in row if c is not None).text for row in rows if is_full_width(row)]
    tasks = [task_number(text) is not None for text in texts]
    return not all(tasks), any(tasks)


def _open_full_width(text: str, position: _Position) -> None:
    numbered = task_number(text)
    if numbered:
        position.open_task(Numbered(no=numbered[0], title=numbered[1]))
    else:
        position.open_section(section_of(text))


def _text(cells: list[Cell | None], column: int | None) -> str:
    if column is None or cells[column] is None:
        return ""
    return cells[column].text


def _open_levels(cells, r: int, header: Header, position: _Position, has_tasks: bool) -> None:
    section_col = header.column("section")
    if section_col is not None and cells[section_col] is not None:
        section = section_of(cells[section_col].text)
        if section is not None:
            position.open_section(section)
    task_col = header.column("task")
    if has_tasks and task_col is not None:
        cell = cells[task_col]
        # A task cell merged from above, or empty, continues the task above.
        if cell is not None and cell.row == r and cell.text:
            seq_col = header.column("seq")
            seq = cells[seq_col].text if seq_col is not None and cells[seq_col] is not None else None
            position.open_task(task_of(cell.text, seq))


def _has_item(own: list[Cell | None], header: Header) -> bool:
    """A row that only opens a section or task (nothing else of its own) is not an item."""
    body_roles = ("requirement", "lead", "responsible", "deadline", "extra")
    if not header.has("requirement"):
        body_roles = (*body_roles, "task")
    return any(
        own[c] is not None and own[c].text for c, role in enumerate(header.roles) if role in body_roles
    )


def _item_row(row_id: str, grid: Grid, cells, r: int, header: Header, position: _Position, year: int | None,
              rules: Rules) -> Row:
    inferred: list[str] = []
    requirement_col = header.column("requirement")
    if requirement_col is None:  # a table without 具体要求: each task cell is the item itself
        requirement_col = header.column("task")
    requirement = _text(cells, requirement_col) or None
    units = {role: split_units(_text(cells, header.column(role)), rules) for role in UNIT_ROLES}
    unit_columns = [role for role in UNIT_ROLES if header.has(role)]
    previous = position.previous
    if (not grid.spans_known and previous is not None and unit_columns
            and all(not units[role].names for role in unit_columns)):
        # A text export cannot show merged unit cells: empty unit cells repeat the row above.
        inferred += unit_columns
        lead, responsible = list(previous.lead), list(previous.responsible)
        lead_open, responsible_open = previous.lead_open, previous.responsible_open
    else:
        lead, responsible = list(units["lead"].names), list(units["responsible"].names)
        lead_open, responsible_open = units["lead"].open, units["responsible"].open
        inferred += [f"{role}_names" for role in UNIT_ROLES if units[role].completed]
    deadline_text = _text(cells, header.column("deadline"))
    deadline = parse_deadline(deadline_text, year, rules) if header.has("deadline") else Deadline()
    if deadline.date and needs_year(deadline_text, rules):
        inferred.append("deadline_year")
    extra = {
        text or f"column {c + 1}": cells[c].text
        for c, (text, role) in enumerate(zip(header.texts, header.roles, strict=True))
        if role in ("extra", "seq") and cells[c] is not None and cells[c].text
        and not (role == "seq" and header.has("task"))
    }
    return Row(
        id=row_id,
        section=position.section,
        task=position.task if header.has("requirement") else None,
        lead=lead,
        responsible=responsible,
        lead_open=lead_open,
        responsible_open=responsible_open,
        requirement=requirement,
        deadline=deadline,
        inferred=inferred,
        source=SourceRef(table=grid.rows[r].source[0], row=grid.rows[r].source[1]),
        extra=extra,
    )


__all__ = ["TableRows", "table_rows"]
