"""Header roles: which column holds the task, the lead units, the deadline, ...

Roles come from the words in the rules data, never from a column's position. A header may take
two rows (责任单位 over 牵头单位 | 配合单位): the lowest header cell with a role decides.
"""

from __future__ import annotations

from dataclasses import dataclass

from fenjie.extract.grid import Cell, Grid
from fenjie.rules import Rules

MAX_TITLE_ROWS = 3  # rows above the header that may hold a title inside the table
MAX_HEADER_ROWS = 3
MAX_HEADER_LENGTH = 16  # a header names a column; a longer text in the first rows is content
UNIT_ROLES = ("lead", "responsible")


@dataclass
class Header:
    rows: int  # index of the first body row
    first: int  # index of the first header row (rows above it are titles inside the table)
    texts: list[str]  # header text per grid column
    roles: list[str]  # role per grid column; "extra" when no word matched

    def column(self, role: str) -> int | None:
        return self.roles.index(role) if role in self.roles else None

    def has(self, role: str) -> bool:
        return role in self.roles


def squash(text: str) -> str:
    """Text without any white space, for comparing headers written as 完成 时限 or 完成\\n时限."""
    return "".join(text.split())


def role_of(text: str, rules: Rules) -> str | None:
    """The role whose longest word the header contains; None for an unknown header."""
    text = squash(text)
    if not text or len(text) > MAX_HEADER_LENGTH:
        return None
    best: tuple[int, str] | None = None
    for role, words in rules.roles.items():
        for word in words:  # longest first
            if word in text:
                if best is None or len(word) > best[0]:
                    best = (len(word), role)
                break
    return best[1] if best else None


def _matches(cells: list[Cell], rules: Rules) -> tuple[int, int]:
    """How many of a row's non-empty cells are headers with a role, and how many are non-empty."""
    texts = [c.text for c in cells if c.text]
    return sum(1 for t in texts if role_of(t, rules)), len(texts)


def is_full_width(cells: list[Cell | None]) -> bool:
    """A row that is one cell with text across the table (a section or title row).

    `cells` is the row of `Grid.covering()`. Grid columns no cell covers (a row that starts late or
    ends early, w:gridBefore / w:gridAfter) do not count against it; a cell merged down from above does.
    """
    present = {id(c): c for c in cells if c is not None}
    if len(present) != 1:
        return False
    cell = next(iter(present.values()))
    return cell.colspan > 1 and bool(cell.text)


def find_header(grid: Grid, rules: Rules) -> Header | None:
    first = None
    for r, row in enumerate(grid.rows[: MAX_TITLE_ROWS + 1]):
        hits, filled = _matches(row.cells, rules)
        if hits >= 2 and hits * 2 >= filled:
            first = r
            break
    if first is None:
        return None
    covering = grid.covering()
    end = first + 1
    while end < len(grid.rows) and end - first < MAX_HEADER_ROWS:
        row = grid.rows[end]
        hits, filled = _matches(row.cells, rules)
        if not (row.header or (filled and hits == filled and not is_full_width(covering[end]))):
            break
        end += 1
    texts: list[str] = []
    roles: list[str] = []
    for c in range(grid.ncols):
        leaf_text, leaf_role = "", None
        for r in range(first, end):
            cell = covering[r][c]
            if cell is None or not cell.text:
                continue
            role = role_of(cell.text, rules)
            if leaf_role is None or role is not None:
                leaf_text, leaf_role = squash(cell.text), role
        texts.append(leaf_text)
        roles.append(leaf_role or "extra")
    return Header(rows=end, first=first, texts=texts, roles=roles)


def is_task_header(header: Header) -> bool:
    has_body = header.has("requirement") or header.has("task")
    return has_body and any(header.has(r) for r in (*UNIT_ROLES, "deadline"))
