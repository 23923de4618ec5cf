"""Worksheet cells written as XML into the workbook's zip while it is saved, never held as cell objects.

openpyxl keeps a Python object per cell and writes each one through lxml: the million cells of a big
notice's tasks.xlsx took most of a minute and most of a gigabyte. A StreamedSheet is an openpyxl worksheet
for everything around its cells (widths, merges, frozen panes, printing, charts); its cells are blocks of
rows, made anew when the workbook is saved and written straight into the sheet's part of the zip. Cells
hold numbers, dates as day numbers under a date style, and text as Excel keeps it: each text once in the
workbook's shared strings (a requirement recurs on each of its units' rows), the cells pointing at it.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from copy import copy
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.compat import safe_string
from openpyxl.packaging.relationship import Relationship, RelationshipList
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter
from openpyxl.xml.constants import ARC_SHARED_STRINGS, ARC_WORKBOOK_RELS, SHARED_STRINGS, SHEET_MAIN_NS
from openpyxl.xml.functions import fromstring, tostring

CELL_TEXT = 32_767  # Excel's most characters in a cell; openpyxl cuts longer text there too
CHUNK = 1 << 20  # characters of row XML handed to the zip at a time
CHUNK_STRINGS = 10_000  # shared strings handed to the zip at a time
# Deflate's level: a 20,000-row notice's 52 MB of XML take 0.4 s CPU at 5 and 0.7 s at 6 (zlib's default),
# for a file 1 % larger (4.47 MB against 4.43); 1 takes 0.2 s for 6.3 MB.
COMPRESS_LEVEL = 5
# Control characters, and the characters XML has no place for: a workbook cannot hold them.
NOT_XML = re.compile(f"{ILLEGAL_CHARACTERS_RE.pattern}|[\ud800-\udfff\ufffe\uffff]")
EMPTY_ROWS = b"<sheetData></sheetData>"  # openpyxl's sheetData of a sheet without cells

# A row: its values, the named style of each (None: no style), its height in points (None: Excel's default).
SheetRow = tuple[Sequence[Any], Sequence[str | None], float | None]


@dataclass(frozen=True)
class Block:
    """COUNT rows of up to WIDTH cells from (FIRST_ROW, FIRST_COLUMN) on; ROWS makes them, each time they are read."""

    first_row: int
    first_column: int
    count: int
    width: int
    rows: Callable[[], Iterable[SheetRow]]


class StreamedSheet(Worksheet):
    """A worksheet whose cells are blocks of rows, written when the workbook is saved. Blocks may share rows
    (tables side by side), never cells; a row shared by blocks is as high as the highest of them wants."""

    def __init__(self, parent: Workbook, title: str):
        super().__init__(parent, title)
        self.blocks: list[Block] = []

    def add(self, block: Block) -> None:
        self.blocks.append(block)

    def calculate_dimension(self) -> str:
        blocks = [b for b in self.blocks if b.count and b.width]
        if not blocks:
            return "A1:A1"
        top, left = min(b.first_row for b in blocks), min(b.first_column for b in blocks)
        bottom = max(b.first_row + b.count - 1 for b in blocks)
        right = max(b.first_column + b.width - 1 for b in blocks)
        return f"{get_column_letter(left)}{top}:{get_column_letter(right)}{bottom}"


def streamed_sheet(workbook: Workbook, title: str) -> StreamedSheet:
    ws = StreamedSheet(workbook, title)
    workbook._add_sheet(ws)
    return ws


class Memo(dict):
    """F of each key, computed on first use: a big sheet's columns repeat their values (a requirement is on
    each of its units' rows), so each is measured or turned into XML once."""

    def __init__(self, f: Callable[[Any], Any]):
        super().__init__()
        self.f = f

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self.f(key)
        return value


class _Cells:
    """The XML of a workbook's cells: `<c r="` + column, the row number, then `" s="N"` and the value; and
    the shared strings they point at."""

    def __init__(self, workbook: Workbook):
        self.workbook = workbook
        self.values = Memo(self._value)
        self.heads = Memo(self._heads)
        self.styles = Memo(self._style)
        self.strings: list[str] = []  # the <si> of each shared string, numbered from 0

    def row(self, r: int, first_column: int, values: Sequence[Any], styles: Sequence[str | None]) -> str:
        number, values_xml = str(r), self.values
        return "".join([f"{column}{number}{style}{values_xml[value]}"
                        for (column, style), value in zip(self.heads[first_column, tuple(styles)], values,
                                                          strict=True)])

    def _heads(self, key: tuple[int, tuple[str | None, ...]]) -> list[tuple[str, str]]:
        first_column, styles = key
        return [(f'<c r="{get_column_letter(c)}', f'"{self.styles[style]}')
                for c, style in enumerate(styles, first_column)]

    def _style(self, name: str | None) -> str:
        """The ` s="N"` of a named style: the workbook's cell-style index, numbered in the order of first use."""
        if name is None:
            return ""
        array = copy(self.workbook._named_styles[name].as_tuple())
        return f' s="{self.workbook._cell_styles.add(array)}"'


    def _value(self, value: Any) -> str:
        """A cell's type and content, up to </c>; a text becomes the next shared string."""
        if isinstance(value, str):
            value = NOT_XML.sub("", value)[:CELL_TEXT]
            if value:
                space = ' xml:space="preserve"' if value != value.strip() else ""
                self.strings.append(f"<si><t{space}>{escape(value).replace(chr(13), '&#13;')}</t></si>")
                return f' t="s"><v>{len(self.strings) - 1}</v></c>'
            value = None
        if value is None:
            return ' t="n"></c>'
        if isinstance(value, date):
            value = to_excel(value, self.workbook.epoch)
        elif not isinstance(value, int):
            raise TypeError(f"no cell for a {type(value).__name__}")
        return f' t="n"><v>{safe_string(value)}</v></c>'


def sheet_rows(ws: StreamedSheet, cells: _Cells) -> Iterator[bytes]:
    """The <row> elements of WS's blocks in row order, as UTF-8 chunks of about CHUNK characters."""
    numbered = [_numbered(block) for block in ws.blocks]
    chunk: list[str] = []
    size = 0
    for r, placed in groupby(heapq.merge(*numbered, key=itemgetter(0)), key=itemgetter(0)):
        parts = []
        height = None
        for _, first_column, (values, styles, row_height) in sorted(placed, key=itemgetter(1)):
            if row_height is not None:
                height = row_height if height is None else max(height, row_height)
            parts.append(cells.row(r, first_column, values, styles))
        size_attrs = "" if height is None else f' ht="{height:.16g}" customHeight="1"'
        row = f'<row r="{r}"{size_attrs}>{"".join(parts)}</row>'
        chunk.append(row)
        size += len(row)
        if size >= CHUNK:
            yield "".join(chunk).encode()
            chunk, size = [], 0
    yield "".join(chunk).encode()


def _numbered(block: Block) -> Iterator[tuple[int, int, SheetRow]]:
    """(sheet row, first column, row) of each row of BLOCK."""
    for i, row in enumerate(block.rows()):
        yield block.first_row + i, block.first_column, row


# --- saving ------------------------------------------------------------------------------------


class _StampedZip(ZipFile):
    """A zip whose entries all carry one time, so the same workbook is the same bytes; the rows of a
    StreamedSheet go into its part as they are made, and the workbook points at the shared strings."""

    def __init__(self, path: Path, stamp: datetime):
        super().__init__(path, "w", ZIP_DEFLATED)
        self.stamp = stamp.timetuple()[:6]
        self.rows: Iterator[bytes] | None = None  # the streamed rows of the worksheet being saved
        self.shared_strings = False  # written: the workbook's relationships must name them

    def _entry(self, name: str) -> ZipInfo:
        entry = ZipInfo(name, date_time=self.stamp)
        entry.compress_type = ZIP_DEFLATED
        entry._compresslevel = COMPRESS_LEVEL  # Python 3.13 names it compress_level and keeps this name too
        return entry

    def writestr(self, name, data, *args, **kwargs):
        if name == ARC_WORKBOOK_RELS and self.shared_strings:  # openpyxl has no shared strings to relate
            relationships = RelationshipList.from_tree(fromstring(data))
            relationships.append(Relationship(type="sharedStrings", Target="sharedStrings.xml"))
            data = tostring(relationships.to_tree())
        super().writestr(self._entry(name) if isinstance(name, str) else name, data, *args, **kwargs)

    def write(self, filename, arcname=None, *args, **kwargs):  # worksheets come from temporary files
        data = Path(filename).read_bytes()
        name = arcname or Path(filename).name
        if self.rows is None:
            self.writestr(name, data)
            return
        head, found, tail = data.partition(EMPTY_ROWS)
        if not found:  # openpyxl wrote cells of its own: they would be lost
            raise ValueError(f"{name}: a streamed sheet holds cells of openpyxl's")
        self._stream(name, head + b"<sheetData>", self.rows, b"</sheetData>" + tail)
        self.rows = None

    def write_shared_strings(self, strings: list[str]) -> None:
        chunks = ("".join(strings[i:i + CHUNK_STRINGS]).encode() for i in range(0, len(strings), CHUNK_STRINGS))
        self._stream(ARC_SHARED_STRINGS, f'<sst xmlns="{SHEET_MAIN_NS}" uniqueCount="{len(strings)}">'.encode(),
                     chunks, b"</sst>")
        self.shared_strings = True

    def _stream(self, name: str, head: bytes, chunks: Iterable[bytes], tail: bytes) -> None:
        with self.open(self._entry(name), "w") as part:
            part.write(head)
            for chunk in chunks:
                part.write(chunk)
            part.write(tail)


class _SharedStrings:
    """The shared strings part, as the package's content types list it."""

    path = f"/{ARC_SHARED_STRINGS}"
    mime_type = SHARED_STRINGS


class _Writer(ExcelWriter):
    """openpyxl's writer, handing the rows of a StreamedSheet to the zip as the sheet is saved, then the
    shared strings of their cells."""

    def __init__(self, workbook: Workbook, archive: _StampedZip):
        super().__init__(workbook, archive)
        self.cells = _Cells(workbook)

    def write_worksheet(self, ws):
        self._archive.rows = sheet_rows(ws, self.cells) if isinstance(ws, StreamedSheet) else None
        super().write_worksheet(ws)

    def _write_worksheets(self):
        super()._write_worksheets()
        if self.cells.strings:
            self._archive.write_shared_strings(self.cells.strings)
            self.manifest.append(_SharedStrings)


def save_workbook(workbook: Workbook, path: Path, stamp: datetime) -> None:
    """Save with STAMP as the file's only time: openpyxl's own save stamps it with the clock."""
    utc = stamp.astimezone(UTC).replace(tzinfo=None)  # the core properties want naive UTC
    workbook.properties.created = workbook.properties.modified = utc
    _Writer(workbook, _StampedZip(path, stamp)).save()
