"""Reader for Word .docx: walks word/document.xml once with lxml.

Each function reads one OOXML element and is named after it. Text is what Word shows with
tracked changes accepted: w:ins and w:moveTo count, w:del and w:moveFrom do not; field codes
(w:instrText) are skipped so that only field results remain.
"""

from __future__ import annotations

import zipfile

from lxml import etree

from fenjie.errors import Corrupt, NotANotice, TooLarge, Unsafe
from fenjie.extract.grid import Cell, Extracted, Grid, GridRow

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

P, TBL, TR, TC = W + "p", W + "tbl", W + "tr", W + "tc"
T, TAB, BR, CR, SYM = W + "t", W + "tab", W + "br", W + "cr", W + "sym"
NO_BREAK_HYPHEN = W + "noBreakHyphen"
# Elements whose content is not shown text, or shown twice (mc:Fallback repeats mc:Choice).
HIDDEN = frozenset(
    {W + "del", W + "moveFrom", W + "instrText", W + "delText", W + "delInstrText", W + "pPr", W + "rPr",
     W + "tblPr", W + "trPr", W + "tcPr", W + "fldData", MC + "Fallback"}
)
# Elements that only wrap content: read straight through them.
WRAPPERS = frozenset({W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag", W + "ins", W + "moveTo",
                      W + "hyperlink", W + "fldSimple"})

TOP_ROWS = 4  # rows at the top of a table that may hold a title and the header
MAX_PART = 64 * 1024 * 1024  # bytes of document.xml; real notices are well under 5 MB
MAX_ENTRIES = 2000
MAX_TOTAL = 512 * 1024 * 1024

PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                         remove_comments=True, remove_pis=True)


def read_docx(path, name: str = "") -> Extracted:
    root = etree_of_document(path, name)
    body = root.find(W + "body")
    if body is None:
        raise NotANotice("word/document.xml has no body", name)
    out = Extracted(format="docx")
    read_body(body, out)
    join_split_tables(out)
    return out


def etree_of_document(path, name: str) -> etree._Element:
    """word/document.xml parsed safely: bounded sizes, no DTD, no entities, no network."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ENTRIES or sum(i.file_size for i in infos) > MAX_TOTAL:
                raise TooLarge("the archive expands far beyond any notice (zip bomb?)", name)
            try:
                info = archive.getinfo("word/document.xml")
            except KeyError:
                raise NotANotice("a zip file without word/document.xml, not a Word document", name) from None
            if info.file_size > MAX_PART:
                raise TooLarge(f"word/document.xml is {info.file_size // 2**20} MB", name)
            with archive.open(info) as part:
                data = part.read(MAX_PART + 1)
    except zipfile.BadZipFile:
        raise Corrupt("not a valid .docx (the zip container is damaged or truncated)", name) from None
    except (OSError, EOFError, zipfile.LargeZipFile, NotImplementedError) as error:
        raise Corrupt(f"cannot read the .docx container: {error}", name) from None
    if len(data) > MAX_PART:
        raise TooLarge("word/document.xml is larger than its header says", name)
    refuse_doctype(data, name)
    try:
        return etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError as error:
        raise Corrupt(f"word/document.xml is not well-formed XML ({error.msg})", name) from None


def refuse_doctype(data: bytes, name: str) -> None:
    """Office never writes a DTD; one in a part can only be an entity bomb or an external reference."""
    head = data[:4096]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head or b"<!ENTITY" in data:
        raise Unsafe("the XML declares a DTD or entities, which Office never writes; refused", name)


def read_body(body: etree._Element, out: Extracted) -> None:
    for child in body:
        tag = child.tag
        if tag == P:
            text = "\n".join(read_p(child)).strip()
            if text:
                out.paragraphs.append(text)
        elif tag == TBL:
            out.tables.append(read_tbl(child, len(out.tables), len(out.paragraphs)))
        elif tag in WRAPPERS:
            read_body(child.find(W + "sdtContent") if tag == W + "sdt" else child, out)


def read_p(p: etree._Element) -> list[str]:
    """The lines of a paragraph: w:br and w:cr start a new line."""
    lines = [""]
    read_runs(p, lines)
    return lines


def read_runs(element: etree._Element, lines: list[str]) -> None:
    for child in element:
        tag = child.tag
        if tag in HIDDEN or not isinstance(tag, str):
            continue
        if tag == T:
            lines[-1] += child.text or ""
        elif tag == TAB:
            lines[-1] += " "
        elif tag == BR:
            if child.get(W + "type") in (None, "textWrapping"):
                lines.append("")
        elif tag == CR:
            lines.append("")
        elif tag == NO_BREAK_HYPHEN:
            lines[-1] += "-"
        elif tag == SYM:
            lines[-1] += read_sym(child)
        elif tag == P:  # a paragraph inside a text box
            lines.append("")
            read_runs(child, lines)
        else:
            read_runs(child, lines)


def read_sym(sym: etree._Element) -> str:
    try:
        return chr(int(sym.get(W + "char", ""), 16))
    except ValueError:
        return ""


def read_tbl(tbl: etree._Element, index: int, after_paragraph: int) -> Grid:
    grid_cols = tbl.find(W + "tblGrid")
    ncols = len(grid_cols) if grid_cols is not None else 0
    rows: list[GridRow] = []
    notes: list[str] = []
    last_at: dict[int, Cell] = {}  # the latest cell starting at each grid column, for w:vMerge
    for r, tr in enumerate(iter_content(tbl, TR)):
        if is_deleted(tr):
            continue
        row = read_tr(tr, len(rows), last_at, notes, (index, r))
        rows.append(row)
        if row.cells:
            ncols = max(ncols, max(c.col + c.colspan for c in row.cells))
    return Grid(rows, ncols, index, after_paragraph, notes=notes)


def read_tr(tr, r: int, last_at: dict[int, Cell], notes: list[str], source: tuple[int, int]) -> GridRow:
    props = child(tr, W + "trPr")
    col = int_val(props, "gridBefore", 0)
    repeats = child(props, W + "tblHeader")
    header = repeats is not None and not is_off(repeats)
    cells: list[Cell] = []
    for tc in iter_content(tr, TC):
        tc_props = child(tc, W + "tcPr")
        span = max(1, int_val(tc_props, "gridSpan", 1))
        lines = read_tc(tc)
        merge = child(tc_props, W + "vMerge")
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


def read_tc(tc: etree._Element) -> list[str]:
    """All lines of a cell; the text of a nested table stays in the cell."""
    lines: list[str] = []
    for child in iter_content(tc, P, TBL):
        if child.tag == P:
            lines.extend(read_p(child))
        else:
            for tr in iter_content(child, TR):
                for inner in iter_content(tr, TC):
                    lines.extend(read_tc(inner))
    return lines


def iter_content(element: etree._Element, *tags: str):
    """Children with one of `tags`, looking through content controls and custom XML."""
    for child in element:
        if child.tag in tags:
            yield child
        elif child.tag in WRAPPERS:
            yield from iter_content(child, *tags)


def is_deleted(tr: etree._Element) -> bool:
    return child(child(tr, W + "trPr"), W + "del") is not None


def child(element: etree._Element | None, tag: str) -> etree._Element | None:
    """The first child with TAG. Unlike `find`, which runs lxml's ElementPath in Python, this stays in C:
    it is called several times for every table cell."""
    return next(element.iterchildren(tag), None) if element is not None else None


def is_off(element: etree._Element) -> bool:
    return element.get(W + "val") in ("0", "false", "off")


def int_val(props, name: str, default: int) -> int:
    element = child(props, W + name)
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
