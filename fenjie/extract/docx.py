"""Reader for Word .docx: walks word/document.xml once with lxml.

Each function reads one OOXML element and is named after it. Text is what Word shows with
tracked changes accepted: w:ins and w:moveTo count, w:del and w:moveFrom do not; field codes
(w:instrText) are skipped so that only field results remain. `accept_changes` does that to the
whole tree first, in lxml's C code, so that a paragraph's text is then one `itertext` call.
"""

from __future__ import annotations

from lxml import etree

from fenjie.errors import NotANotice
from fenjie.extract.container import open_zip, parse_xml, read_part
from fenjie.extract.grid import Cell, Extracted, Grid, GridRow, refuse_oversized

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

P, TBL, TR, TC = W + "p", W + "tbl", W + "tr", W + "tc"
T, TAB, BR, CR, SYM = W + "t", W + "tab", W + "br", W + "cr", W + "sym"
NO_BREAK_HYPHEN = W + "noBreakHyphen"
# Elements whose content is not shown text, or shown twice (mc:Fallback repeats mc:Choice); run and
# paragraph properties go too, only to make the tree smaller.
HIDDEN = (W + "del", W + "moveFrom", W + "instrText", W + "delText", W + "delInstrText", W + "fldData",
          W + "rPr", W + "pPr", MC + "Fallback")
# Elements that only wrap content: read straight through them.
WRAPPERS = frozenset({W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag", W + "ins", W + "moveTo",
                      W + "hyperlink", W + "fldSimple"})
LINE = "\n"

TOP_ROWS = 4  # rows at the top of a table that may hold a title and the header


def read_docx(data: bytes, name: str = "") -> Extracted:
    root = etree_of_document(data, name)
    body = child(root, W + "body")
    if body is None:
        raise NotANotice("word/document.xml has no body", name)
    accept_changes(body)
    out = Extracted(format="docx")
    read_body(body, out)
    for grid in out.tables:  # w:gridSpan and w:gridBefore are numbers in the file: a few bytes can claim millions
        refuse_oversized(len(grid.rows), grid.ncols, f"table {grid.index + 1}", name)
    join_split_tables(out)
    return out


def etree_of_document(data: bytes, name: str) -> etree._Element:
    """word/document.xml parsed safely: bounded sizes, no DTD, no entities, no network."""
    archive = open_zip(data, name)
    try:
        info = archive.getinfo("word/document.xml")
    except KeyError:
        raise NotANotice("a zip file without word/document.xml, not a Word document", name) from None
    return parse_xml(read_part(archive, info, name), info.filename, name)


def accept_changes(body: etree._Element) -> None:
    """The tree as Word shows it: deleted rows and hidden text removed, breaks, tabs and paragraph
    ends made text, so that the lines of any element are one `itertext` call away."""
    for tr in list(body.iter(TR)):
        if child(child(tr, W + "trPr"), W + "del") is not None:
            tr.getparent().remove(tr)
    etree.strip_elements(body, *HIDDEN, with_tail=False)
    for element in list(body.iter(TAB, BR, CR, NO_BREAK_HYPHEN, SYM)):
        tag = element.tag
        if tag == BR:
            shown = LINE if element.get(W + "type") in (None, "textWrapping") else ""
        else:
            shown = {TAB: " ", CR: LINE, NO_BREAK_HYPHEN: "-"}.get(tag) or read_sym(element)
        element.getparent().replace(element, text_element(shown))
    for p in body.iter(P):  # also the paragraphs of text boxes and nested tables
        p.append(text_element(LINE))


def text_element(text: str) -> etree._Element:
    element = etree.Element(T)
    element.text = text
    return element


def read_body(body: etree._Element, out: Extracted) -> None:
    for child in body:
        tag = child.tag
        if tag == P:
            text = "\n".join(read_lines(child)).strip()
            if text:
                out.paragraphs.append(text)
        elif tag == TBL:
            out.tables.append(read_tbl(child, len(out.tables), len(out.paragraphs)))
        elif tag in WRAPPERS:  # a w:sdt's w:sdtPr holds neither paragraphs nor tables
            read_body(child, out)


def read_lines(element: etree._Element) -> list[str]:
    """The lines of a w:p or w:tc: each w:p, w:br and w:cr ends one (see `accept_changes`).
    A nested table's text stays in its cell."""
    lines = "".join(element.itertext(T, with_tail=False)).split(LINE)
    return lines[:-1] if len(lines) > 1 else lines


def read_sym(sym: etree._Element) -> str:
    try:
        return chr(int(sym.get(W + "char", ""), 16))
    except ValueError:
        return ""


def read_tbl(tbl: etree._Element, index: int, after_paragraph: int) -> Grid:
    grid_cols = child(tbl, W + "tblGrid")  # its w:gridCol; a tracked edit adds a w:tblGridChange
    ncols = sum(1 for _ in grid_cols.iterchildren(W + "gridCol")) if grid_cols is not None else 0
    rows: list[GridRow] = []
    notes: list[str] = []
    last_at: dict[int, Cell] = {}  # the latest cell starting at each grid column, for w:vMerge
    for r, tr in enumerate(iter_content(tbl, TR)):
        row = read_tr(tr, len(rows), last_at, notes, (index, r))
        rows.append(row)
        if row.cells:
            ncols = max(ncols, max(c.col + c.colspan for c in row.cells))
    return Grid(rows, ncols, index, after_paragraph, notes=notes)


def read_tr(tr, r: int, last_at: dict[int, Cell], notes: list[str], source: tuple[int, int]) -> GridRow:
    props = read_pr(child(tr, W + "trPr"))
    col = int_val(props.get(W + "gridBefore"), 0)
    repeats = props.get(W + "tblHeader")
    header = repeats is not None and not is_off(repeats)
    cells: list[Cell] = []
    for tc in iter_content(tr, TC):
        tc_props = read_pr(child(tc, W + "tcPr"))
        span = max(1, int_val(tc_props.get(W + "gridSpan"), 1))
        lines = read_lines(tc)
        merge = tc_props.get(W + "vMerge")
        origin = last_at.get(col)
        if (merge is not None and merge.get(W + "val") in (None, "continue") and origin is not None
                and origin.row + origin.rowspan == r and origin.colspan == span):
            origin.rowspan += 1
            if any(line.strip() for line in lines):
                notes.append(f"table {source[0] + 1} row {source[1] + 1}: text in a merged-over cell "
                             f"is hidden by Word and was not read: {' '.join(lines).strip()}")
        else:
            cell = Cell(lines, r, col, colspan=span)
            cells.append(cell)
            last_at[col] = cell
        col += span
    return GridRow(cells, source=source, header=header)


def iter_content(element: etree._Element, *tags: str):
    """Children with one of `tags`, looking through content controls and custom XML."""
    for child in element:
        if child.tag in tags:
            yield child
        elif child.tag in WRAPPERS:
            yield from iter_content(child, *tags)


def child(element: etree._Element | None, tag: str) -> etree._Element | None:
    """The first child with TAG. Unlike `find`, which runs lxml's ElementPath in Python, this stays in C:
    it is called for every table cell."""
    return next(element.iterchildren(tag), None) if element is not None else None


def is_off(element: etree._Element) -> bool:
    return element.get(W + "val") in ("0", "false", "off")


def read_pr(props: etree._Element | None) -> dict[str, etree._Element]:
    """The properties of a w:trPr or w:tcPr by tag, read in one pass."""
    return {} if props is None else {prop.tag: prop for prop in props}


def int_val(element: etree._Element | None, default: int) -> int:
    if element is None:
        return default
    try:
        return int(element.get(W + "val", default))
    except ValueError:
        return default


def join_split_tables(out: Extracted) -> None:
    """A table the author split in two (the second repeating the header rows) is one table."""
    joined: list[Grid] = []
    for grid in out.tables:
        previous = joined[-1] if joined else None
        repeated = 0
        if previous is not None and previous.after_paragraph == grid.after_paragraph and previous.ncols == grid.ncols:
            repeated = repeated_header_rows(previous, grid)
        if repeated:
            shift = len(previous.rows) - repeated
            for row in grid.rows[repeated:]:
                for cell in row.cells:
                    cell.row += shift
                previous.rows.append(row)
            previous.notes.extend(grid.notes)
        else:
            grid.index = len(joined)
            joined.append(grid)
    out.tables = joined


def repeated_header_rows(first: Grid, second: Grid) -> int:
    """How many leading rows of SECOND repeat rows at the top of FIRST: its header (one row or more) on a
    new page, which may leave out a title row that stands above the header inside the table."""
    best = 0
    for start in range(min(len(first.rows), TOP_ROWS)):
        count = 0
        for mine, theirs in zip(first.rows[start:], second.rows, strict=False):
            if row_texts(mine) != row_texts(theirs) or not any(row_texts(theirs)):
                break
            count += 1
        best = max(best, count)
    return best


def row_texts(row: GridRow) -> list[str]:
    return ["".join(cell.text.split()) for cell in row.cells]
