"""Fixed-layout pages (PDF, OFD) -> `Extracted`: ruled tables rebuilt from their lines, text in reading order.

A front end (pdf.py, ofd.py) gives each page as positioned glyphs and ruling segments in points; this
module knows nothing of either file format. A table is a set of ruling lines that cross one another:
its column and row edges are the distinct positions of those lines, and a cell is a region no line
divides, so a merged cell is one box over several column or row intervals. A table that runs on to
the next page is one table: the header row the next page repeats is dropped, a row cut by the page
break is joined again, and a merged cell that crosses the break covers the rows on both pages.

Lines of text are joined into paragraphs the way a reader sees them: a line that reaches the right
edge of its cell or page only wrapped, and the next one continues it; a line that stops short where
the next line's first word would have fit was broken by the author. Page numbers and running headers
are page furniture, not text of the notice.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from fenjie.errors import Scanned, TooLarge
from fenjie.extract.grid import Cell, Extracted, Grid, GridRow, refuse_oversized, repeated_header_rows
from fenjie.text import squash

MAX_PAGES = 500  # a notice with its attachments has a few dozen
MAX_CROSSINGS = 20_000  # horizontal x vertical ruling lines of a page; a notice's page has a few hundred
MAX_GRID = 30_000  # grid intervals of all tables of a document (the seed's: about 2,000)
TOLERANCE = 2.0  # points: ruling lines this close are one line, and meet when they come this close
MAX_PADDING = 12.0  # points: a cell's inner margin is at most this (Word's default is 5.4)
FURNITURE_BAND = 0.12  # the top and bottom share of a page where headers, footers and page numbers sit
PAGE_NUMBER = re.compile(r"[-—–－~]*\d{1,4}[-—–－~]*|第\d{1,4}页(?:[,，/]?共\d{1,4}页)?|\d{1,4}/\d{1,4}"
                         r"|page\d{1,4}(?:of\d{1,4})?", re.I)
# Characters that never start a line (a line breaker moves the character before them down too).
NO_LINE_START = frozenset("，。、；：！？）》」』”’〕】…,.;:!?)]}%")
NO_LINE_END = frozenset("（《「『“‘〔【([{")  # and these never end one: they go down with the character after
QUOTES = frozenset("“”‘’\"'")  # no line breaks before or after a quotation mark
SLACK = 0.1  # points: rounding in the positions of a PDF
DOUBT = 0.25  # a wrapped line with more room than this (in em) may as well have ended a paragraph
# Fonts that map a character to the radical of the same shape (Chrome's and some Office PDFs do): the Kangxi
# radicals by Unicode's own compatibility mapping, the simplified ones of the supplement by this table.
RADICALS = {code: unicodedata.normalize("NFKC", chr(code)) for code in range(0x2F00, 0x2FD6)} | str.maketrans(
    "⺁⺇⺝⺟⺠⺩⺧⺶⺼⻁⻄⻅⻆⻉⻊⻋⻓⻔⻗⻘⻙⻚⻛⻜⻝⻢⻣⻤⻥⻦⻧⻨⻩⻬⻮⻰⻳",
    "厂几月母民王牛羊月虎西见角贝足车长门雨青韦页风飞食马骨鬼鱼鸟卤麦黄齐齿龙龟")


@dataclass(slots=True)
class Glyph:
    """One character (or a run of them) and its box, in points from the page's top left."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass(slots=True)
class Rule:
    """A ruling segment: `at` is the y of a horizontal one or the x of a vertical one."""

    at: float
    start: float
    end: float


@dataclass
class Page:
    width: float
    height: float
    glyphs: list[Glyph]
    horizontals: list[Rule]
    verticals: list[Rule]


@dataclass(slots=True)
class Line:
    """Glyphs side by side, with the edges of what holds them (a cell's inner edges, or the page's text frame)."""

    glyphs: list[Glyph]
    page: int
    left: float = 0.0
    right: float = 0.0

    @property
    def x0(self) -> float:
        return self.glyphs[0].x0

    @property
    def x1(self) -> float:
        return self.glyphs[-1].x1

    @property
    def top(self) -> float:
        return min(g.top for g in self.glyphs)

    @property
    def bottom(self) -> float:
        return max(g.bottom for g in self.glyphs)

    @property
    def size(self) -> float:
        return max(g.size for g in self.glyphs)

    @property
    def text(self) -> str:
        out = [self.glyphs[0].text]
        for before, after in pairwise(self.glyphs):
            gap = after.x0 - before.x1
            if gap > after.size or (gap > 0.15 * after.size and is_latin(before.text[-1]) and is_latin(after.text[0])):
                out.append(" ")
            out.append(after.text)
        return "".join(out)


@dataclass
class Box:
    """A table cell on a page: its place on the table's grid and its lines."""

    cell: Cell
    lines: list[Line]


@dataclass
class PageTable:
    """The part of a table on one page."""

    page: int
    xs: list[float]  # column edges
    ys: list[float]  # row edges
    boxes: list[Box]

    @property
    def top(self) -> float:
        return self.ys[0]


@dataclass
class Flow:
    """The pages' content in reading order, turned into paragraphs and tables as it comes."""

    out: Extracted
    lines: list[Line] = field(default_factory=list)  # of the paragraph being read
    chain: list[PageTable] = field(default_factory=list)  # parts of the table being read

    def add_lines(self, lines: list[Line]) -> None:
        self.end_table()
        self.lines += lines

    def add_table(self, table: PageTable, continues: bool) -> None:
        self.end_paragraphs()
        if not continues:
            self.end_table()
        self.chain.append(table)

    def end_paragraphs(self) -> None:
        self.out.paragraphs += [text for text in paragraphs(self.lines) if text.strip()]
        self.lines = []

    def end_table(self) -> None:
        if self.chain:
            self.out.tables.append(join_pages(self.chain, len(self.out.tables), len(self.out.paragraphs)))
            self.chain = []


def read_pages(pages: list[Page], fmt: str, name: str, images: bool = False) -> Extracted:
    """The paragraphs and tables of PAGES, in reading order. Pages with nothing to read but page numbers
    are a scan when they hold IMAGES (a scanner's text layer may number the pages)."""
    tables: list[list[PageTable]] = []
    cells = 0
    for number, page in enumerate(pages):
        tables.append(find_tables(page, number, name))
        cells += sum((len(t.xs) - 1) * (len(t.ys) - 1) for t in tables[-1])
        if cells > MAX_GRID:
            raise TooLarge(f"the tables up to page {number + 1} have over {MAX_GRID} cells, beyond any notice", name)
    body = [make_lines([g for g in page.glyphs if not any(holds(t, g) for t in page_tables)], number)
            for number, (page, page_tables) in enumerate(zip(pages, tables, strict=True))]
    drop_furniture(pages, body, tables)
    frame_body(pages, body)
    flow = Flow(Extracted(format=fmt))
    last_on_page: PageTable | None = None
    for lines, page_tables in zip(body, tables, strict=True):
        items = sorted([(line.top, line) for line in lines] + [(t.top, t) for t in page_tables], key=lambda i: i[0])
        for n, (_, item) in enumerate(items):
            if isinstance(item, Line):
                flow.add_lines([item])
            else:
                continues = n == 0 and last_on_page is not None and same_columns(last_on_page, item)
                flow.add_table(item, continues)
        last_on_page = items[-1][1] if items and isinstance(items[-1][1], PageTable) else None
    flow.end_paragraphs()
    flow.end_table()
    if not flow.out.paragraphs and not flow.out.tables:
        what = "its pages are images without a text layer (a scan)" if images else "it has no text"
        raise Scanned(f"a {fmt.upper()} that fenjie cannot read: {what}", name)
    for grid in flow.out.tables:
        refuse_oversized(len(grid.rows), grid.ncols, f"table {grid.index + 1}", name)
    return flow.out


# --- ruling lines -> tables ------------------------------------------------------------------------------

def merge_rules(rules: list[Rule]) -> list[Rule]:
    """Collinear segments that touch or overlap as one (a table's border is often drawn cell by cell)."""
    merged: list[Rule] = []
    for rule in sorted(rules, key=lambda r: (round(r.at / TOLERANCE), r.start)):
        last = merged[-1] if merged else None
        if last and abs(last.at - rule.at) <= TOLERANCE and rule.start <= last.end + TOLERANCE:
            last.end = max(last.end, rule.end)
        else:
            merged.append(Rule(rule.at, rule.start, rule.end))
    return [rule for rule in merged if rule.end - rule.start > TOLERANCE]


def cluster(values: list[float]) -> list[float]:
    """Positions within TOLERANCE of each other as one, their mean."""
    groups: list[list[float]] = []
    for value in sorted(values):
        if groups and value - groups[-1][-1] <= TOLERANCE:
            groups[-1].append(value)
        else:
            groups.append([value])
    return [sum(group) / len(group) for group in groups]


def crosses(h: Rule, v: Rule) -> bool:
    return h.start - TOLERANCE <= v.at <= h.end + TOLERANCE and v.start - TOLERANCE <= h.at <= v.end + TOLERANCE


def find_tables(page: Page, number: int, name: str) -> list[PageTable]:
    """Every group of crossing ruling lines that makes more than one cell, top to bottom."""
    hs, vs = merge_rules(page.horizontals), merge_rules(page.verticals)
    if len(hs) * len(vs) > MAX_CROSSINGS:
        raise TooLarge(f"page {number + 1} draws {len(hs)} x {len(vs)} ruling lines, far beyond any table", name)
    parent = list(range(len(hs) + len(vs)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            if crosses(h, v):
                parent[root(i)] = root(len(hs) + j)
    groups: dict[int, tuple[list[Rule], list[Rule]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(root(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(root(len(hs) + j), ([], []))[1].append(v)
    tables = []
    for group_hs, group_vs in groups.values():
        if len(group_hs) < 2 or len(group_vs) < 2:
            continue
        xs = cluster([v.at for v in group_vs] + [min(h.start for h in group_hs), max(h.end for h in group_hs)])
        ys = cluster([h.at for h in group_hs] + [min(v.start for v in group_vs), max(v.end for v in group_vs)])
        if len(xs) > 2 or len(ys) > 2:  # a single framed box is not a table
            refuse_oversized(len(ys) - 1, len(xs) - 1, f"a table on page {number + 1}", name)
            tables.append(page_table(page, number, xs, ys, group_hs, group_vs))
    return sorted(tables, key=lambda t: t.top)


def page_table(page: Page, number: int, xs: list[float], ys: list[float], hs: list[Rule], vs: list[Rule]) -> PageTable:
    """The cells of one table on a page: grid intervals that no ruling line separates are one cell."""
    nrows, ncols = len(ys) - 1, len(xs) - 1
    parent = list(range(nrows * ncols))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    at_x, at_y = rules_at(vs, xs), rules_at(hs, ys)
    for r in range(nrows):
        for c in range(ncols):
            if c + 1 < ncols and not ruled(at_x[c + 1], ys[r], ys[r + 1]):
                parent[root(r * ncols + c + 1)] = root(r * ncols + c)
            if r + 1 < nrows and not ruled(at_y[r + 1], xs[c], xs[c + 1]):
                parent[root((r + 1) * ncols + c)] = root(r * ncols + c)
    spans: dict[int, list[int]] = {}  # root -> [top row, bottom row, left col, right col]
    for r in range(nrows):
        for c in range(ncols):
            span = spans.setdefault(root(r * ncols + c), [r, r, c, c])
            span[1], span[2], span[3] = max(span[1], r), min(span[2], c), max(span[3], c)
    boxes = {key: Box(Cell([], r0, c0, r1 - r0 + 1, c1 - c0 + 1), []) for key, (r0, r1, c0, c1) in spans.items()}
    glyphs: dict[int, list[Glyph]] = {key: [] for key in boxes}
    for glyph in page.glyphs:
        x, y = (glyph.x0 + glyph.x1) / 2, (glyph.top + glyph.bottom) / 2
        if xs[0] <= x <= xs[-1] and ys[0] <= y <= ys[-1]:
            r, c = min(bisect_right(ys, y) - 1, nrows - 1), min(bisect_right(xs, x) - 1, ncols - 1)
            glyphs[root(r * ncols + c)].append(glyph)
    for key, box in boxes.items():
        box.lines = make_lines(glyphs[key], number)
    padding = min((line.x0 - xs[box.cell.col] for box in boxes.values() for line in box.lines), default=0.0)
    padding = min(max(padding, 0.0), MAX_PADDING)
    for box in boxes.values():
        for line in box.lines:
            line.left, line.right = xs[box.cell.col] + padding, xs[box.cell.col + box.cell.colspan] - padding
    ordered = sorted(boxes.values(), key=lambda b: (b.cell.row, b.cell.col))
    return PageTable(number, xs, ys, ordered)


def rules_at(rules: list[Rule], edges: list[float]) -> list[list[Rule]]:
    """The rules lying on each edge (column or row edge) of a table."""
    out: list[list[Rule]] = [[] for _ in edges]
    for rule in rules:
        i = nearest(edges, rule.at)
        if abs(edges[i] - rule.at) <= TOLERANCE:
            out[i].append(rule)
    return out


def ruled(rules: list[Rule], start: float, end: float) -> bool:
    """Whether one of RULES (on one edge) runs along the middle half of START..END."""
    quarter = (end - start) / 4
    return any(rule.start <= start + quarter and rule.end >= end - quarter for rule in rules)


def holds(table: PageTable, glyph: Glyph) -> bool:
    x, y = (glyph.x0 + glyph.x1) / 2, (glyph.top + glyph.bottom) / 2
    return table.xs[0] <= x <= table.xs[-1] and table.ys[0] <= y <= table.ys[-1]


def same_columns(before: PageTable, after: PageTable) -> bool:
    """Whether AFTER, first on its page, continues BEFORE, last on the page before: the same outer edges."""
    return abs(before.xs[0] - after.xs[0]) <= 3 * TOLERANCE and abs(before.xs[-1] - after.xs[-1]) <= 3 * TOLERANCE


# --- a table over pages -> one Grid ----------------------------------------------------------------------

def join_pages(chain: list[PageTable], index: int, after_paragraph: int) -> Grid:
    """One Grid from a table's parts on consecutive pages, on the columns of all of them together."""
    xs = cluster([x for part in chain for x in part.xs])
    lines_of: dict[int, list[Line]] = {}
    grid: Grid | None = None
    for part in chain:
        rows = [GridRow([], source=(index, r)) for r in range(len(part.ys) - 1)]
        for box in part.boxes:
            cell = box.cell
            right = nearest(xs, part.xs[cell.col + cell.colspan])
            cell.col = nearest(xs, part.xs[cell.col])
            cell.colspan = max(1, right - cell.col)
            cell.lines = paragraphs(box.lines)  # for comparing a repeated header
            rows[cell.row].cells.append(cell)
            lines_of[id(cell)] = box.lines
        piece = Grid(rows, len(xs) - 1, index, after_paragraph)
        if grid is None:
            grid = piece
            continue
        drop_rows(piece, repeated_header_rows(grid, piece))
        join_seam(grid, piece, lines_of)
        shift = len(grid.rows)
        for row in piece.rows:
            for cell in row.cells:
                cell.row += shift
            grid.rows.append(row)
    assert grid is not None
    for r, row in enumerate(grid.rows):
        row.source = (index, r)
        for cell in row.cells:
            cell.doubtful = []
            cell.lines = paragraphs(lines_of[id(cell)], cell.doubtful)
    return grid


def nearest(values: list[float], value: float) -> int:
    """The index of the value of VALUES (sorted) nearest to VALUE."""
    i = bisect_right(values, value)
    return i - 1 if i == len(values) or (i > 0 and value - values[i - 1] <= values[i] - value) else i


def drop_rows(grid: Grid, count: int) -> None:
    """The first COUNT rows removed (a header the page repeats); cells reaching below them keep that part."""
    for row in grid.rows[:count]:
        for cell in row.cells:
            if cell.row + cell.rowspan > count:
                cell.rowspan -= count - cell.row
                cell.row = count
                grid.rows[count].cells.append(cell)
    grid.rows = grid.rows[count:]
    for row in grid.rows:
        row.cells.sort(key=lambda c: c.col)
        for cell in row.cells:
            cell.row -= count


def join_seam(grid: Grid, piece: Grid, lines_of: dict[int, list[Line]]) -> None:
    """Where PIECE (the next page's part, header dropped) meets GRID: a row cut by the page break is one row
    again, and a merged cell of a grouping column that crosses the break covers the rows below it too.

    Where the row was not cut (`is_rest_of_row`), an empty cell at the top of the page under a merged
    cell is that merged cell going on: Word and WPS do not repeat its text on the new page.
    """
    if not grid.rows or not piece.rows:
        return
    above = grid.covering()[-1]
    pairs = [(above[cell.col], cell) for cell in piece.rows[0].cells
             if above[cell.col] is not None and above[cell.col].col == cell.col
             and above[cell.col].colspan == cell.colspan]
    grouping = {c.col for row in grid.rows for c in row.cells if c.rowspan > 1}
    cut = is_rest_of_row(pairs, grouping, lines_of)
    for a, b in pairs:
        if cut or (not lines_of[id(b)] and lines_of[id(a)] and a.col in grouping):
            lines_of[id(a)] = lines_of[id(a)] + lines_of[id(b)]
            a.rowspan += b.rowspan
            piece.rows[0].cells.remove(b)
    if not piece.rows[0].cells:  # the cut row is whole again: its second part is no row of its own
        for a, _ in pairs:
            a.rowspan -= 1
        drop_rows(piece, 1)


def is_rest_of_row(pairs: list[tuple[Cell, Cell]], grouping: set[int], lines_of: dict[int, list[Line]]) -> bool:
    """Whether the first row of a page is the rest of the row above, cut by the page break.

    Each cell of the row above that has text (merged ones aside) says so when its part below is empty
    (it ended before the page did) or goes on a line that only wrapped, and says no when its part below
    starts a paragraph. A line so full that no paragraph could have ended there settles it.
    """
    rest = new = 0
    for a, b in pairs:
        above, below = lines_of[id(a)], lines_of[id(b)]
        if a.col in grouping or not above:
            continue
        if below and surely_wrapped(above[-1], below[0]):
            return True
        if not below or wrapped(above[-1], below[0]):
            rest += 1
        else:
            new += 1
    return rest > new and new + rest > 1


# --- glyphs -> lines -> paragraphs -----------------------------------------------------------------------

def make_lines(glyphs: list[Glyph], page: int) -> list[Line]:
    """Glyphs grouped into lines (top to bottom), each left to right; a glyph drawn twice (fake bold) once,
    a radical standing for a character as that character."""
    lines: list[list[Glyph]] = []
    for glyph in sorted(glyphs, key=lambda g: (g.top + g.bottom) / 2):
        if not glyph.text.strip():
            continue
        glyph.text = glyph.text.translate(RADICALS)
        middle = (glyph.top + glyph.bottom) / 2
        if lines and lines[-1][0].top <= middle <= lines[-1][0].bottom:
            lines[-1].append(glyph)
        else:
            lines.append([glyph])
    out = []
    for members in lines:
        members.sort(key=lambda g: g.x0)
        kept = [members[0]]
        for glyph in members[1:]:
            if glyph.text == kept[-1].text and abs(glyph.x0 - kept[-1].x0) < 0.3 * glyph.size:
                continue
            kept.append(glyph)
        out.append(Line(kept, page))
    return sorted(out, key=lambda line: line.top)


def is_latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def first_word_width(line: Line, before: Line) -> float:
    """How wide the start of LINE is that could not have been put at the end of BEFORE: a Latin word, a
    character with the punctuation that may not start a line, a quotation mark with what it touches; and
    the space a typesetter puts between Chinese and Latin (0.2 em) where BEFORE ends in the other script."""
    glyphs = line.glyphs
    end = 1
    while end < len(glyphs):
        last, following = glyphs[end - 1], glyphs[end]
        latin_word = (is_latin(last.text[-1]) and following.text[0].isascii() and not following.text[0].isspace()
                      and following.x0 - last.x1 < 0.15 * following.size)
        if not (latin_word or last.text[-1] in NO_LINE_END or last.text[-1] in QUOTES
                or following.text[0] in NO_LINE_START or following.text[0] in QUOTES):
            break
        end += 1
    autospace = 0.2 * line.size if is_latin(before.glyphs[-1].text[-1]) != is_latin(glyphs[0].text[0]) else 0.0
    return glyphs[end - 1].x1 - glyphs[0].x0 + autospace


def indented(line: Line) -> bool:
    """A first line indented from the left edge (not a centred line)."""
    from_left, from_right = line.x0 - line.left, line.right - line.x1
    return from_left >= 1.5 * line.size and from_left - from_right > line.size


def room(line: Line) -> float:
    """The space LINE left free: at its right, and at its left too when it is centred."""
    from_left, from_right = line.x0 - line.left, line.right - line.x1
    centred = abs(from_left - from_right) <= 0.3 * line.size + 1
    return from_right + (from_left if centred else 0.0)


def wrapped(line: Line, after: Line) -> bool:
    """Whether AFTER continues LINE: LINE is full (AFTER's first word would not have fit in its room),
    AFTER is no indented first line, and both have one size."""
    if abs(line.size - after.size) > 0.15 * max(line.size, after.size) or indented(after):
        return False
    return room(line) < first_word_width(after, line) - SLACK


def surely_wrapped(line: Line, after: Line) -> bool:
    """Wrapped, and so full that no paragraph could have ended there (see DOUBT)."""
    return wrapped(line, after) and room(line) <= DOUBT * line.size


def paragraphs(lines: list[Line], doubtful: list[tuple[int, int]] | None = None) -> list[str]:
    """LINES (in reading order) joined into paragraphs; a wider gap than the lines' usual spacing also
    ends one. Joins after a line that was only nearly full go to DOUBTFUL as (paragraph, offset)."""
    if not lines:
        return []
    gaps = [b.top - a.bottom for a, b in pairwise(lines) if a.page == b.page and b.top > a.bottom]
    usual = statistics.median(gaps) if len(gaps) >= 3 else None
    out = [lines[0].text]
    for line, after in pairwise(lines):
        apart = usual is not None and line.page == after.page and after.top - line.bottom > usual + 0.6 * line.size
        if not apart and wrapped(line, after):
            if doubtful is not None and room(line) > DOUBT * line.size:
                doubtful.append((len(out) - 1, len(out[-1])))
            space = " " if is_latin(out[-1][-1]) and is_latin(after.text[0]) else ""
            out[-1] += space + after.text
        else:
            out.append(after.text)
    return out


# --- page furniture and the text frame --------------------------------------------------------------------

def drop_furniture(pages: list[Page], body: list[list[Line]], tables: list[list[PageTable]]) -> None:
    """Page numbers and running headers or footers removed: lines in a page's top or bottom band with
    nothing further out, that are a page number or repeat on other pages."""
    def band(page: Page, lines: list[Line], page_tables: list[PageTable]) -> list[Line]:
        tops = [t.ys[0] for t in page_tables] + [line.top for line in lines]
        bottoms = [t.ys[-1] for t in page_tables] + [line.bottom for line in lines]
        def on_top(line: Line) -> bool:
            return line.bottom < FURNITURE_BAND * page.height and not any(b <= line.top for b in bottoms)

        def at_foot(line: Line) -> bool:
            return line.top > (1 - FURNITURE_BAND) * page.height and not any(t >= line.bottom for t in tops)

        return [line for line in lines if on_top(line) or at_foot(line)]

    edges = [band(page, lines, page_tables) for page, lines, page_tables in zip(pages, body, tables, strict=True)]
    seen = Counter(text for lines in edges for text in {squash(line.text) for line in lines})
    for lines, furniture in zip(body, edges, strict=True):
        for line in furniture:
            text = squash(line.text)
            if PAGE_NUMBER.fullmatch(text) or seen[text] > 1:
                lines.remove(line)


def frame_body(pages: list[Page], body: list[list[Line]]) -> None:
    """Each body line gets its page's text frame, from the body lines of all pages of that size: where most
    lines start, and on the right where full lines end, or as
    far from the page's edge as the left margin is when too few lines are full to tell."""
    by_size: dict[tuple[int, int], list[Line]] = {}
    for page, lines in zip(pages, body, strict=True):
        by_size.setdefault((round(page.width), round(page.height)), []).extend(lines)
    frames = {}
    for (width, _), lines in by_size.items():
        if not lines:
            continue
        left = lower_half([line.x0 for line in lines])
        near = 0.25 * statistics.median(line.size for line in lines)
        # A punctuation mark may hang in the margin, a full line of characters ends at the frame.
        ends = sorted((line.x1 for line in lines if line.glyphs[-1].text[-1] not in NO_LINE_START), reverse=True)
        full = next((end for end, below in pairwise(ends) if end - below <= near), 0.0)
        frames[width] = (left, max(full, width - left))
    for page, lines in zip(pages, body, strict=True):
        for line in lines:
            line.left, line.right = frames[round(page.width)]


def lower_half(values: list[float]) -> float:
    """The median of the lower half of VALUES: the edge most lines reach, unmoved by a few that go further."""
    ordered = sorted(values)
    return statistics.median(ordered[:max(1, (len(ordered) + 1) // 2)])
