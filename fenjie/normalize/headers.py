"""Header roles: which column holds the task, the lead units, the deadline, ...

Roles come from the words in the rules data, never from a column's position. A header may take
two rows (责任单位 over 牵头单位 | 配合单位): the lowest header cell with a role decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from fenjie.extract.grid import Cell, Grid, is_full_width
from fenjie.normalize.deadlines import looks_like_deadline
from fenjie.normalize.roles import looks_like_units
from fenjie.rules import Rules
from fenjie.text import squash

MAX_TITLE_ROWS = 3  # rows above the header that may hold a title inside the table
MAX_HEADER_ROWS = 3
MAX_HEADER_LENGTH = 16  # a header names a column; a longer text in the first rows is content
UNIT_ROLES = ("lead", "responsible")
SINGLE_ROLES = ("requirement", "deadline", "seq")  # roles read from one column; unit and heading roles may have several


@dataclass
class Header:
    rows: int  # index of the first body row
    first: int  # index of the first header row (rows above it are titles inside the table)
    texts: list[str]  # header text per grid column
    roles: list[str]  # role per grid column; "extra" when no word matched
    by_content: tuple[int, ...] = ()  # columns whose role was decided from their cells, not their header

    def column(self, role: str) -> int | None:
        return self.roles.index(role) if role in self.roles else None

    def columns(self, role: str) -> tuple[int, ...]:
        """Every column of ROLE, left to right (牵头单位 | 责任单位 | 配合单位: two of responsible)."""
        return _layout(tuple(self.roles)).columns.get(role, ())

    def has(self, role: str) -> bool:
        return role in self.roles

    def item_column(self) -> int | None:
        """The column holding each item's own text: 具体要求, else the last task column (重点任务 alone)."""
        return _layout(tuple(self.roles)).item

    def heading_columns(self) -> tuple[int, ...]:
        """Section and task columns, outermost (leftmost) first, but not the item's own column."""
        return _layout(tuple(self.roles)).headings


class _Layout(NamedTuple):
    columns: dict[str, tuple[int, ...]]
    item: int | None
    headings: tuple[int, ...]


@lru_cache(maxsize=64)  # asked for every row of the table: once per distinct header
def _layout(roles: tuple[str, ...]) -> _Layout:
    columns = {role: tuple(c for c, r in enumerate(roles) if r == role) for role in dict.fromkeys(roles)}
    tasks = columns.get("task", ())
    item = columns["requirement"][0] if "requirement" in columns else (tasks[-1] if tasks else None)
    return _Layout(columns, item, tuple(c for c, role in enumerate(roles) if role in ("section", "task") and c != item))


ROLE_PRIORITY = ("extra", "seq", "lead", "responsible", "deadline", "requirement", "task", "section")
_BRACKETED = re.compile(r"[（(][^（()）]*[）)]")
_JOINED = re.compile(r"[及和与、/／]")  # a header naming two things


def role_of(text: str, rules: Rules) -> str | None:
    """The role whose longest word the header contains (on a tie, the first of ROLE_PRIORITY); None for an
    unknown header. Bracketed words only qualify: 类型（机制、任务等） names no task, 责任处（单位） is 责任处."""
    text = squash(text)
    if not text or len(text) > MAX_HEADER_LENGTH:
        return None
    text = _BRACKETED.sub("", text) or text
    if text.endswith(rules.roles.get("extra", ())) and not _JOINED.search(text):
        return "extra"  # 责任单位负责人, 牵头单位联系人: a person, not the unit (but 责任单位及责任人 names both)
    best: tuple[int, int, str] | None = None
    for role, words in rules.roles.items():
        word = next((w for w in words if w in text), None)  # longest first
        if word is None:
            continue
        rank = (len(word), -ROLE_PRIORITY.index(role) if role in ROLE_PRIORITY else -len(ROLE_PRIORITY), role)
        if best is None or rank[:2] > best[:2]:
            best = rank
    return best[2] if best else None


def _matches(cells: list[Cell], rules: Rules) -> tuple[int, int]:
    """How many of a row's non-empty cells are headers with a role, and how many are non-empty."""
    texts = [c.text for c in cells if c.text]
    return sum(1 for t in texts if role_of(t, rules)), len(texts)


def find_header(grid: Grid, rules: Rules) -> Header | None:
    first = None
    for r, row in enumerate(grid.rows[: MAX_TITLE_ROWS + 1]):
        hits, filled = _matches(row.cells, rules)
        # Half of the cells have a role word; or a third, when every cell is short like a header (a column
        # of unknown header is then decided by its cells).
        short = all(len(squash(c.text)) <= MAX_HEADER_LENGTH for c in row.cells)
        if hits >= 2 and (hits * 2 >= filled or (short and hits * 3 >= filled)):
            first = r
            break
    if first is None:
        return None
    covering = grid.covering(first + MAX_HEADER_ROWS)  # the header's rows, not the whole table
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
    for role in SINGLE_ROLES:  # a second 具体要求 or 完成时限 is kept in `extra`, not read as the first
        roles = [r if r != role or c == roles.index(role) else "extra" for c, r in enumerate(roles)]
    return Header(rows=end, first=first, texts=texts, roles=roles)


CONTENT_SHARE = 0.6  # of a column's non-empty cells that must look alike for its cells to decide its role
MIN_CONTENT_CELLS = 2


def decide_by_content(grid: Grid, header: Header, rules: Rules) -> None:
    """Give a column with an unknown header the role its cells show: unit lists (the unit role the table
    lacks: lead left of a responsible column, else responsible) or deadlines (when the table has none).
    People and contact columns (责任领导, 电话) have a known role, extra, and are never decided here."""
    for c, (text, role) in enumerate(zip(header.texts, header.roles, strict=True)):
        if role != "extra" or (text and role_of(text, rules) is not None):
            continue
        texts = [cell.text for row in grid.rows[header.rows:] for cell in row.cells
                 if cell.col == c and cell.colspan == 1 and cell.text]
        if len(texts) < MIN_CONTENT_CELLS:
            continue
        decided = None
        if _share(texts, lambda t: looks_like_units(t, rules)) >= CONTENT_SHARE:
            responsible = header.column("responsible")
            if not header.has("lead") and responsible is not None and c < responsible:
                decided = "lead"
            elif not header.has("responsible"):
                decided = "responsible"
        elif not header.has("deadline") and _share(texts, lambda t: looks_like_deadline(t, rules)) >= CONTENT_SHARE:
            decided = "deadline"
        if decided:
            header.roles[c] = decided
            header.by_content += (c,)


def _share(texts: list[str], test) -> float:
    return sum(1 for t in texts if test(t)) / len(texts)


def is_task_header(header: Header) -> bool:
    has_body = header.has("requirement") or header.has("task")
    return has_body and any(header.has(r) for r in (*UNIT_ROLES, "deadline"))
