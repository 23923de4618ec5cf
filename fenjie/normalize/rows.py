"""Grid -> task rows: headings of any depth, fill-down, units and deadlines.

Levels are known by numbering and position, never by a sample's words: a full-width row, a section
column or a task cell opens a heading (一、 （一） 1. （1） ①, or none), and a row whose task cell is
merged from above (or, in a text export, empty) belongs to the heading above it. How deep a heading
sits is learned from the order in which kinds of heading appear (see `_Walk`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from fenjie.errors import TooLarge
from fenjie.extract.grid import Cell, Grid, cell_at, cell_texts, is_full_width, own_cells, own_texts, text_at
from fenjie.model import Column, Deadline, Numbered, Row, SourceRef, Warning
from fenjie.normalize.deadlines import needs_year, parse_deadline
from fenjie.normalize.headers import UNIT_ROLES, Header, role_of
from fenjie.normalize.numbering import SECTION_STYLES, Heading, heading_of, headings_in
from fenjie.normalize.roles import read_roles
from fenjie.normalize.units import Units, unit_text
from fenjie.rules import Rules
from fenjie.text import one_spaced, squash

# (unit, row) pairs a table may give: a notice of 20,000 rows with ten units a row stays below. Past it, one
# cell of 500 units merged over 2,000 rows (a 14 KB .docx) would make every writer's rows explode.
MAX_PAIRS = 200_000


@dataclass
class TableRows:
    rows: list[Row] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)  # title rows found inside the table
    header_rows: set[int] = field(default_factory=set)  # grid rows that are the header or a repeat of it


Kind = tuple[object, str | None]  # (where, numbering style): where is "row" (full width) or a column index


@dataclass
class _Level:
    kind: Kind
    heading: Numbered
    ordinal: int  # among the headings of its kind under the same parent, from 1


@dataclass
class _Walk:
    """Where the walk is: the open headings, outermost first, and every kind of heading seen so far.

    Depth is learned, not assumed: a kind not yet open nests under the innermost open heading, and a
    kind already open closes everything below it. `order` keeps every kind in nesting order, so that
    ids have one slot per level of the whole table.
    """

    path: list[_Level] = field(default_factory=list)
    order: list[Kind] = field(default_factory=list)
    items: int = 0  # within the innermost heading
    previous: Row | None = None  # the last row under the same headings, for the text-export fill-down

    def open(self, kind: Kind, heading: Numbered) -> None:
        depth = next((i for i, level in enumerate(self.path) if level.kind == kind), None)
        if depth is None:
            ordinal = 1
            if kind not in self.order:
                self.order.insert(self.order.index(self.path[-1].kind) + 1 if self.path else 0, kind)
        elif self.path[depth].heading == heading:
            return  # the same heading repeated after a page break stays one
        else:
            ordinal = self.path[depth].ordinal + 1
            del self.path[depth:]
        self.path.append(_Level(kind, heading, ordinal))
        self.items = 0
        self.previous = None

    def kind_in_column(self, column: int, style: str | None) -> Kind:
        """An unnumbered cell is a sibling of the open heading read from its column, if any."""
        if style is None:
            return next((level.kind for level in reversed(self.path) if level.kind[0] == column), (column, None))
        return column, style


def table_rows(grid: Grid, header: Header, year: int | None, rules: Rules, name: str = "",
               first_leads: bool = False) -> TableRows:
    """The rows of the task table. FIRST_LEADS: the notice says the first unit of each list leads."""
    out = TableRows(columns=[Column(header=t, role=r) for t, r in zip(header.texts, header.roles, strict=True)])
    out.titles = cell_texts(grid.rows[: header.first])
    for text in dict.fromkeys(t for t, r in zip(header.texts, header.roles, strict=True)
                              if r == "extra" and t and role_of(t, rules) is None):
        out.warnings.append(Warning(code="unknown-column", message=f"column {text!r} has no known role; "
                                    "its cells are kept in each row's `extra`"))
    for c in header.by_content:
        out.warnings.append(Warning(code="header-by-content", message=f"column {header.texts[c] or c + 1!r} has "
                                    f"no known header word; its cells read as {header.roles[c]}: check them"))
    covering = grid.covering()
    walk = _Walk()
    pairs = 0  # (unit, row) pairs so far: what every writer's rows grow with
    paths: list[tuple[list[_Level], int]] = []  # per row: its open headings and its item number
    # A header repeated in the body (a later page, or two tables joined into one): its leaf texts or any
    # of its rows as written.
    header_keys = {tuple(squash(t) for t in header.texts)}
    header_keys |= {own_texts(covering[r], r) for r in range(header.first, header.rows)}
    out.header_rows = set(range(header.first, header.rows))
    for r in range(header.rows, len(grid.rows)):
        cells = covering[r]
        own = own_cells(cells, r)
        if grid.rows[r].header or own_texts(cells, r) in header_keys:
            out.header_rows.add(r)
            continue
        if not any(c is not None and c.text for c in own):
            continue
        if is_full_width(cells):
            _open_full_width(next(c for c in own if c is not None and c.text).text, walk)
            continue
        _open_levels(cells, r, header, walk)
        if not _has_item(own, header):
            _open_lone_heading(own, header, walk)
            continue
        walk.items += 1
        row = _item_row(grid, cells, r, header, walk.previous, year, rules, first_leads)
        pairs += len(row.lead) + len(row.responsible)
        if pairs > MAX_PAIRS:
            raise TooLarge(f"the task table gives more than {MAX_PAIRS:,} (unit, row) pairs by its row {r + 1}, "
                           f"which alone names {len(row.lead) + len(row.responsible)} units (a cell merged or "
                           "filled down over many rows?): far beyond any notice", name)
        walk.previous = row
        paths.append((list(walk.path), walk.items))
        out.rows.append(row)
    for row, (path, item) in zip(out.rows, paths, strict=True):
        ordinals = {level.kind: level.ordinal for level in path}
        row.id = ".".join(str(n) for n in (*(ordinals.get(kind, 0) for kind in walk.order), item))
        row.path = [level.heading for level in path]
        row.section, row.task = _section_and_task(path, walk.order, header)
    return out


def _section_and_task(path: list[_Level], order: list[Kind], header: Header) -> tuple[Numbered | None, ...]:
    """`section` is the outermost level of the table, `task` the innermost heading under it.

    In a table of one level, that level is a section when it is read from a section column, or from
    full-width rows numbered like sections (一、) or not at all; else it names tasks.
    """
    if not path:
        return None, None
    if len(order) == 1:
        where, style = path[0].kind
        is_section = (style in (None, *SECTION_STYLES)) if where == "row" else header.roles[where] == "section"
        return (path[0].heading, None) if is_section else (None, path[0].heading)
    section = path[0].heading if path[0].kind == order[0] else None
    task = path[-1].heading if path[-1].kind != order[0] else None
    return section, task


def _open_full_width(text: str, walk: _Walk) -> None:
    """A full-width row opens a heading; one without numbering is a sibling of the outermost such row."""
    heading = heading_of(text)
    kind: Kind = ("row", heading.style)
    if heading.style is None:
        kind = next((k for k in walk.order if k[0] == "row"), kind)
    walk.open(kind, heading.numbered)


def _open_levels(cells, r: int, header: Header, walk: _Walk) -> None:
    """The headings that start in row R, left to right: section and task columns (a cell may hold several)."""
    seq_col = header.column("seq")
    columns = header.heading_columns()
    for column in columns:
        cell = cells[column]
        # A cell merged from above, or empty, continues the heading above.
        if cell is None or cell.row != r or not cell.text:
            continue
        headings = headings_in(cell.text)
        seq = text_at(cells, seq_col)
        if headings[0].style is None and seq and column == columns[-1] and header.roles[column] == "task":
            # 序号 numbers the innermost task
            headings[0] = Heading(None, Numbered(no=one_spaced(seq), title=headings[0].numbered.title))
        for heading in headings:
            walk.open(walk.kind_in_column(column, heading.style), heading.numbered)


def _open_lone_heading(own: list[Cell | None], header: Header, walk: _Walk) -> None:
    """A numbered text alone in a row that is no item, outside the heading columns (（一）… written in the 序号
    cell), is a heading row, as if it spanned the table."""
    texts = [c for c in own if c is not None and c.text]
    if len(texts) == 1 and texts[0].col not in header.heading_columns() and heading_of(texts[0].text).style:
        _open_full_width(texts[0].text, walk)


def _numbers_a_task(header: Header) -> bool:
    """Whether a 序号 column numbers the task headings (it is then no item's own value)."""
    columns = header.heading_columns()
    return bool(columns) and header.roles[columns[-1]] == "task"


def _has_item(own: list[Cell | None], header: Header) -> bool:
    """A row that only opens headings (nothing else of its own) is not an item."""
    body_roles = ("requirement", "lead", "responsible", "deadline", "extra")
    item = header.item_column()
    return any(own[c] is not None and own[c].text for c, role in enumerate(header.roles)
               if role in body_roles or c == item)


def _units(cells, header: Header, unit_columns: list[str], rules: Rules) -> tuple[dict[str, Units], bool]:
    """Lead and responsible units of a row, and whether a phrase in a cell named them (X牵头，Y配合).

    In a table with a single unit column a phrase decides both roles; beside both columns a cell's names
    all take its column's role, in the order written, and only the verbs go.
    """
    texts = tuple("\n".join(unit_text(cell_at(cells, c), rules) for c in header.columns(role)) for role in unit_columns)
    units, from_phrase = _read_units(texts, tuple(unit_columns), rules)
    return dict(units), from_phrase


@lru_cache(maxsize=4096)  # the unit cells of a row repeat down a table, as each cell does
def _read_units(texts: tuple[str, ...], unit_columns: tuple[str, ...], rules: Rules) -> tuple[dict[str, Units], bool]:
    phrases = {role: read_roles(text, rules) for role, text in zip(unit_columns, texts, strict=True)}
    units = {role: Units((), False, False) for role in UNIT_ROLES}
    if len(unit_columns) == 1:
        column, phrase = unit_columns[0], phrases[unit_columns[0]]
        for role in UNIT_ROLES:
            marks = (role, None) if role == column else (role,)
            names = tuple(dict.fromkeys(n for mark in marks for n in phrase.names(mark)))
            units[role] = Units(names, any(phrase.is_open(m) for m in marks),
                                any(phrase.completed(m) for m in marks))
    else:
        units.update({role: phrase.all_names() for role, phrase in phrases.items()})
    return units, any(phrase.verbs for phrase in phrases.values())


def _item_row(grid: Grid, cells, r: int, header: Header, previous: Row | None, year: int | None,
              rules: Rules, first_leads: bool) -> Row:
    """The row's own fields; its id, path, section and task are set once the whole table is walked."""
    inferred: list[str] = []
    requirement = text_at(cells, header.item_column()) or None
    unit_columns = [role for role in UNIT_ROLES if header.has(role)]
    units, from_phrase = _units(cells, header, unit_columns, rules)
    no_units = all(not units[role].names for role in unit_columns)
    if first_leads and unit_columns == ["responsible"] and not from_phrase and units["responsible"].names:
        # The notice says the first unit of a list leads: 列第一位的责任单位为牵头单位.
        names = units["responsible"]
        units = {"lead": Units(names.names[:1], False, names.completed),
                 "responsible": Units(names.names[1:], names.open, names.completed)}
        inferred.append("lead_by_order")
    if not grid.spans_known and previous is not None and unit_columns and no_units:
        # A text export cannot show merged unit cells: empty unit cells repeat the row above.
        inferred += unit_columns
        lead, responsible = list(previous.lead), list(previous.responsible)
        lead_open, responsible_open = previous.lead_open, previous.responsible_open
    else:
        lead, responsible = list(units["lead"].names), list(units["responsible"].names)
        lead_open, responsible_open = units["lead"].open, units["responsible"].open
        inferred += [f"{role}_names" for role in UNIT_ROLES if units[role].completed]
        if from_phrase:
            inferred.append("roles_from_phrase")
    deadline_text = text_at(cells, header.column("deadline"))
    deadline = parse_deadline(deadline_text, year, rules) if header.has("deadline") else Deadline()
    if deadline.date and needs_year(deadline_text, rules):
        inferred.append("deadline_year")
    extra = {
        text or f"column {c + 1}": cells[c].text
        for c, (text, role) in enumerate(zip(header.texts, header.roles, strict=True))
        if role in ("extra", "seq") and cells[c] is not None and cells[c].text
        and not (role == "seq" and _numbers_a_task(header))
    }
    if any(cells[c] is not None and cells[c].text for c in header.by_content):
        inferred.append("header_by_content")
    return Row(
        id="",
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
