"""Reader for the plain-text export of a notice (Word's "save as text" with a table).

The layout: body paragraphs, then the table, one cell per line that starts with TAB. A cell goes
on over the following lines that do not start with TAB; a blank line ends the row, unless the row
is still short of cells, in which case the blank line is part of the current cell. A row of a
single cell spans the table; an empty first cell continues the cell above it.

The other common export has one row per line, its cells separated by TABs (a cell with line
breaks in double quotes, as Excel writes it, but no other quoting); `read_tab_rows` reads that one.
"""

from __future__ import annotations

import re

from fenjie.extract.decode import decode_text
from fenjie.extract.grid import Cell, Extracted, Grid, GridRow, cell_texts, refuse_oversized
from fenjie.text import squash

MAX_INFO_LINE = 300  # characters; a metadata or info line is short
BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")


def read_txt(data: bytes, name: str = "") -> Extracted:
    lines = [BOOKMARK.sub("", line) for line in decode_text(data, name).split("\n")]
    out = read_tab_rows(lines, name) if is_row_per_line(lines) else read_cell_lines(lines)
    for grid in out.tables:  # one line of a million TABs is a million columns in every row
        refuse_oversized(len(grid.rows), grid.ncols, f"table {grid.index + 1}", name)
    return page_chrome(out)


def page_chrome(out: Extracted) -> Extracted:
    """A web page saved as text keeps its metadata box (索引号：… as lines, or as a table of label and value
    cells) and info lines (当前位置：…): what they say of the notice goes to `page`, and they are no text of it."""
    from fenjie.extract.webpage import chrome, is_label_cell, page_metadata

    labels, tools = chrome().labels, chrome().tools
    boxes = [grid for grid in out.tables
             if (cells := cell_texts(grid.rows))
             and all(is_label_cell(text) for text in cells[::2])]
    squashed = [squash(text) for text in out.paragraphs]
    lines = [i for i, text in enumerate(squashed) if len(text) <= MAX_INFO_LINE and text.startswith(labels)]
    tool_lines = [i for i, text in enumerate(squashed) if text and not tools.sub("", text)]  # 【打印】【关闭】
    if not boxes and not lines and not tool_lines:
        return out
    texts = ["\n".join(c.text for row in grid.rows for c in row.cells) for grid in boxes]
    out.page = page_metadata(texts + [out.paragraphs[i] for i in lines], {})
    out.tables = [grid for grid in out.tables if grid not in boxes]
    dropped = {*lines, *tool_lines}
    for grid in out.tables:  # the paragraphs above each table, without the dropped lines
        grid.after_paragraph -= sum(1 for i in dropped if i < grid.after_paragraph)
    out.paragraphs = [text for i, text in enumerate(out.paragraphs) if i not in dropped]
    return out


def read_cell_lines(lines: list[str]) -> Extracted:
    """Paragraphs and tables written one cell per line (see the module's docstring)."""
    out = Extracted(format="txt")
    builder: _TableBuilder | None = None
    for line in lines:
        if builder is None:
            if line.startswith("\t"):
                builder = _TableBuilder(len(out.tables), len(out.paragraphs))
                builder.feed(line)
            elif line.strip():
                out.paragraphs.append(line.strip())
            continue
        if builder.feed(line):
            continue
        out.tables.append(builder.grid())
        builder = None
        if line.strip():
            out.paragraphs.append(line.strip())
    if builder is not None:
        out.tables.append(builder.grid())
    return out


def is_row_per_line(lines: list[str]) -> bool:
    """Whether the table is written one row per line (TABs between cells), not one cell per line."""
    row_lines = sum(1 for line in lines if line.count("\t") >= 2 or "\t" in line.lstrip("\t"))
    cell_lines = sum(1 for line in lines if line.startswith("\t") and line.count("\t") == 1)
    return row_lines > cell_lines


def read_tab_rows(lines: list[str], name: str) -> Extracted:
    """Paragraphs, then the table from the first to the last line with TABs, then paragraphs.

    Inside the table a line without TABs, or with text in its first cell only, is a full-width row.
    """
    first = next(i for i, line in enumerate(lines) if "\t" in line)
    out = Extracted(format="txt", paragraphs=[line.strip() for line in lines[:first] if line.strip()])
    records = tab_records(lines[first:])
    last = max((i for i, record in enumerate(records) if len(record) > 1), default=-1)
    if last >= 0:
        out.tables.append(_tab_grid(records[: last + 1], len(out.paragraphs)))
    out.paragraphs += [text for text in ("\n".join(record).strip() for record in records[last + 1:]) if text]
    return out


def tab_records(lines: list[str]) -> list[list[str]]:
    """The cells of each line, split at every TAB: the format has no quoting, so a cell that starts with " is
    text. Excel's export is the one exception it makes: a cell with line breaks written whole in quotes
    ("line 1 ⏎ line 2", inner quotes doubled), ending at a TAB or the end of a line; a quote that opens
    such a cell closes on a later line before any TAB, so no row is ever taken into a cell."""
    records: list[list[str]] = []
    at = 0
    while at < len(lines):
        fields = lines[at].split("\t")
        at += 1
        if fields[-1].startswith('"') and not quoted_whole(fields[-1]):
            end = next((i for i in range(at, len(lines)) if "\t" in lines[i] or lines[i].split("\t")[0].endswith('"')),
                       None)
            if end is not None and quoted_whole("\n".join([fields[-1], *lines[at:end], lines[end].split("\t")[0]])):
                fields[-1] = "\n".join([fields[-1], *lines[at:end], lines[end].split("\t")[0]])
                fields += lines[end].split("\t")[1:]
                at = end + 1
        records.append([unquoted(field) for field in fields])
    return records


def quoted_whole(field: str) -> bool:
    """Whether FIELD is one quoted value as Excel writes it: "…" with every inner quote doubled."""
    return len(field) >= 2 and field[0] == field[-1] == '"' and '"' not in field[1:-1].replace('""', "")


def unquoted(field: str) -> str:
    return field[1:-1].replace('""', '"') if quoted_whole(field) and ("\n" in field or '""' in field) else field


def _tab_grid(records: list[list[str]], after_paragraph: int) -> Grid:
    ncols = max(len(record) for record in records)
    rows: list[GridRow] = []
    for record in filter(any, records):
        r = len(rows)
        texts = [_strip(field.split("\n")) for field in record]
        if not any(texts[1:]):
            cells = [Cell(texts[0], r, 0, colspan=ncols)]
        else:
            cells = [Cell(lines, r, c) for c, lines in enumerate(texts)]
        rows.append(GridRow(cells, source=(0, r)))
    return Grid(rows, ncols, 0, after_paragraph, spans_known=False)


class _TableBuilder:
    """Turns the TAB lines of one table into rows of cells.

    Word's export writes every cell of a row, merged ones as empty cells, and a blank line inside a row is
    an empty paragraph of a cell. A browser's "save as text" writes no cell where a cell merged from above
    covers the column, so its rows are short, and a blank line always ends one: when the cells read as one
    row outnumber the header's, the row is split at the blank lines inside it, and the short rows keep
    their cells on the right (the columns merged from above are on the left, as task columns are).
    """

    def __init__(self, index: int, after_paragraph: int):
        self.index = index
        self.after_paragraph = after_paragraph
        self.rows: list[list[list[str]]] = []
        self.row: list[list[str]] = []
        self.breaks: list[int] = []  # cells of the row that a blank line came before
        self.blank = False  # the last line was blank, inside a row still short of cells
        self.width = 0  # cells in a complete row, known from the first row of several cells (the header)
        self.short_rows: set[int] = set()  # rows split off a browser's row: their cells are on the right

    def feed(self, line: str) -> bool:
        """Take one line; False when the line is no longer part of the table."""
        if line.startswith("\t"):
            if self.blank:
                self.breaks.append(len(self.row))
            self.row.append([line[1:]])
            self.blank = False
        elif not line.strip():
            if self.row and 1 < len(self.row) < self.width and not self.short_rows:
                self.row[-1].append("")
                self.blank = True
            else:  # once the table shows a browser's short rows, every blank line ends a row
                self._end_row()
        elif self.row:
            self.row[-1].append(line)
            self.blank = False
        else:
            return False
        return True

    def _end_row(self) -> None:
        if self.row:
            rows = [self.row]
            if self.width and len(self.row) > self.width and self.breaks:
                rows = self._split()
                self.short_rows |= {len(self.rows) + i for i, row in enumerate(rows) if len(row) < self.width}
            elif self.short_rows and 1 < len(self.row) < self.width:
                self.short_rows.add(len(self.rows))
            self.rows += rows
            # A title row of one cell above the header says nothing about the width.
            if not self.width and len(self.row) > 1:
                self.width = len(self.row)
            self.row, self.breaks, self.blank = [], [], False

    def _split(self) -> list[list[list[str]]]:
        """The row cut at as few of its blank lines as leave no piece wider than the header (the other blank
        lines are empty paragraphs of a cell)."""
        rows, start = [], 0
        while len(self.row) - start > self.width:
            fitting = [b for b in self.breaks if start < b <= start + self.width]
            if not fitting:
                break
            rows.append(self.row[start:fitting[-1]])
            start = fitting[-1]
        return [*rows, self.row[start:]]

    def grid(self) -> Grid:
        self._end_row()
        ncols = max([self.width, *(len(r) for r in self.rows)])
        rows: list[GridRow] = []
        above: list[Cell | None] = [None] * ncols  # per column, the cell a missing or empty cell continues
        for r, texts in enumerate(self.rows):
            cells: list[Cell] = []
            if len(texts) == 1:
                cells.append(Cell(_strip(texts[0]), r, 0, colspan=ncols))
                above = [None] * ncols
            else:
                offset = ncols - len(texts) if r in self.short_rows else 0
                for c in range(offset):
                    if above[c] is not None:
                        above[c].rowspan += 1
                for c, lines in enumerate(texts, start=offset):
                    lines = _strip(lines)
                    if c == 0 and not lines and above[0] is not None:
                        above[0].rowspan += 1
                        continue
                    cell = Cell(lines, r, c)
                    cells.append(cell)
                    above[c] = cell
            rows.append(GridRow(cells, source=(self.index, r)))
        return Grid(rows, ncols, self.index, self.after_paragraph, spans_known=False)


def _strip(lines: list[str]) -> list[str]:
    """Cell lines without surrounding white space or blank lines at either end."""
    lines = [line.strip() for line in lines]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return lines
