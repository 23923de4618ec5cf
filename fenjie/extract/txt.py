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

from fenjie.errors import Corrupt, NotANotice
from fenjie.extract.grid import Cell, Extracted, Grid, GridRow, refuse_oversized

BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")
# C0 controls other than TAB/LF/CR do not occur in text a person wrote.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Labels of GB2312, GBK and GB18030 (lower case, without - and _), as pages declare and detectors guess them.
GB_FAMILY = frozenset({"gb2312", "gbk", "xgbk", "gb231280", "cp936", "gb18030", "euccn", "hz", "hzgb2312"})


def decode(data: bytes, name: str = "") -> str:
    """Text of a file in UTF-8 (with or without BOM) or GB18030/GBK, with LF line ends."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            text = data[3:].decode("utf-8")
        except UnicodeDecodeError as error:
            raise Corrupt(f"the file starts as UTF-8 (byte order mark) but byte {error.start + 3} is not UTF-8",
                          name) from None
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _decode_legacy(data, name)
    if CONTROL.search(text[:65536]):
        raise NotANotice("binary data, not text", name)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_legacy(data: bytes, name: str) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:262144]).best()
    encoding = codec_for(best.encoding) if best is not None else "gb18030"
    try:
        return data.decode(encoding)
    except (UnicodeError, LookupError):
        raise NotANotice("not text in UTF-8 or GB18030", name) from None


def codec_for(label: str) -> str:
    """The codec to decode text labeled LABEL with. GB2312 and GBK are subsets of GB18030, and text
    labeled either often holds the superset's characters: decoded as GB18030, no character is lost."""
    return "gb18030" if label.lower().replace("_", "").replace("-", "") in GB_FAMILY else label


def read_txt(data: bytes, name: str = "") -> Extracted:
    lines = [BOOKMARK.sub("", line) for line in decode(data, name).split("\n")]
    out = read_tab_rows(lines, name) if is_row_per_line(lines) else read_cell_lines(lines)
    for grid in out.tables:  # one line of a million TABs is a million columns in every row
        refuse_oversized(len(grid.rows), grid.ncols, f"table {grid.index + 1}", name)
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
    """Turns the TAB lines of one table into rows of cells."""

    def __init__(self, index: int, after_paragraph: int):
        self.index = index
        self.after_paragraph = after_paragraph
        self.rows: list[list[list[str]]] = []
        self.row: list[list[str]] = []
        self.width = 0  # cells in a complete row, known from the first row of several cells (the header)

    def feed(self, line: str) -> bool:
        """Take one line; False when the line is no longer part of the table."""
        if line.startswith("\t"):
            self.row.append([line[1:]])
        elif not line.strip():
            if self.row and 1 < len(self.row) < self.width:
                self.row[-1].append("")
            else:
                self._end_row()
        elif self.row:
            self.row[-1].append(line)
        else:
            return False
        return True

    def _end_row(self) -> None:
        if self.row:
            self.rows.append(self.row)
            # A title row of one cell above the header says nothing about the width.
            if not self.width and len(self.row) > 1:
                self.width = len(self.row)
            self.row = []

    def grid(self) -> Grid:
        self._end_row()
        ncols = max([self.width, *(len(r) for r in self.rows)])
        rows: list[GridRow] = []
        above: Cell | None = None  # the first-column cell an empty first cell continues
        for r, texts in enumerate(self.rows):
            cells: list[Cell] = []
            if len(texts) == 1:
                cells.append(Cell(_strip(texts[0]), r, 0, colspan=ncols))
                above = None
            else:
                for c, lines in enumerate(texts):
                    lines = _strip(lines)
                    if c == 0 and not lines and above is not None:
                        above.rowspan += 1
                        continue
                    cell = Cell(lines, r, c)
                    cells.append(cell)
                    if c == 0:
                        above = cell
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
