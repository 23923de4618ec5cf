"""The conservation check: every text of the task table must reach the output.

A cell's text is looked for in the whole output (rows, notice, table, warnings) with white space
removed. A unit cell is checked piece by piece, since splitting completes names (济宁高新区 ->
济宁高新区管委会) and drops separators and 等. Header rows (and their repeats in the body) are not
checked: their meaning is the columns' roles, and a group cell over two leaf headers (责任单位 over
牵头单位 | 配合单位) has no other. A piece that only says "no units" ("/", "无") becomes an empty
list, so it is not looked for.
"""

from __future__ import annotations

import re

from fenjie.extract.grid import Grid
from fenjie.model import Document
from fenjie.normalize.numbering import headings_in, without_numbering
from fenjie.normalize.roles import read_roles
from fenjie.normalize.units import unit_text
from fenjie.rules import Rules
from fenjie.text import squash

UNIT_SEPARATORS = re.compile(r"[\s、，,；;。]+")


def lost_texts(grid: Grid, header_rows: set[int], document: Document, rules: Rules) -> list[tuple[int, int, str]]:
    """(table, row, text) of every non-empty table cell outside HEADER_ROWS whose text is not in the output."""
    values = {squash(v) for v in set(_output_texts(document)) if v}  # most cells arrive whole
    haystack = "\n".join(values)  # the rest (unit pieces, numbered titles) as parts of an output text
    lost = []
    reached: dict[str, bool] = {}  # cells repeat (unit lists, deadlines): each text is looked for once
    for r, row in enumerate(grid.rows):
        if r in header_rows:
            continue
        for cell in row.cells:
            text = unit_text(cell, rules)  # a unit cell may be split where the cell's text is not
            if not text:
                continue
            if text not in reached:
                reached[text] = _reached(text, values, haystack, rules)
            if not reached[text]:
                lost.append((row.source[0], row.source[1], text))
    return lost


def _reached(text: str, values: set[str], haystack: str, rules: Rules) -> bool:
    """Whether a cell reaches the output: whole, as unit pieces, as a phrase's names, or as its headings' titles
    (a task cell of several levels, a heading repeated with （续））."""
    return (squash(text) in values or all(piece in haystack for piece in _pieces(text, rules))
            or _phrase_reached(text, haystack, rules)
            or all(squash(h.numbered.title) in values for h in headings_in(text)))


def _phrase_reached(text: str, haystack: str, rules: Rules) -> bool:
    """A phrase of roles (X牵头，Y配合) reaches the output when its names do and it said nothing else."""
    phrase = read_roles(text, rules)
    names = phrase.all_names().names
    return phrase.verbs and not phrase.unread and bool(names) and all(name in haystack for name in names)


def _pieces(text: str, rules: Rules) -> list[str]:
    pieces = [p.removesuffix(next((m for m in rules.open_marks if p.endswith(m)), ""))
              for p in UNIT_SEPARATORS.split(without_numbering(text))]  # white space is a separator too
    return [p for p in pieces if p and p not in rules.empty]


def _output_texts(document: Document):
    """Every text of the output that a table cell can reach."""
    notice, table = document.notice, document.table
    yield from (notice.doc_number, notice.issuer, notice.title, notice.date, table.title)
    yield from (*notice.recipients, *notice.body, *notice.attachments)
    yield from (column.header for column in table.columns)
    yield from (warning.message for warning in document.warnings)
    for unit in document.units:  # a cell may spell a unit by an alias
        yield from unit.aliases
    for row in document.rows:
        yield from (row.requirement, row.deadline.text, *row.lead, *row.responsible, *row.extra, *row.extra.values())
        yield from (level.title for level in (row.section, row.task, *row.path) if level is not None)
        yield from (level.no for level in (row.section, row.task, *row.path) if level is not None)
