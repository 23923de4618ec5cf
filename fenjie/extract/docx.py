"""Reader for Word .docx: walks word/document.xml once with lxml.

Each function reads one OOXML element and is named after it. Text is what Word shows with
tracked changes accepted: w:ins and w:moveTo count, w:del and w:moveFrom do not; field codes
(w:instrText) are skipped so that only field results remain. `accept_changes` does that to the
whole tree first, in lxml's C code, so that a paragraph's text is then one `itertext` call.
"""

from __future__ import annotations

import re
import zipfile

from lxml import etree

from fenjie.errors import FenjieError, NotANotice
from fenjie.extract.container import as_transitional, main_part, open_zip, parse_xml, read_part, relationships
from fenjie.extract.grid import Cell, Extracted, Grid, GridRow, Note, refuse_oversized, repeated_header_rows

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"

P, TBL, TR, TC, R = W + "p", W + "tbl", W + "tr", W + "tc", W + "r"
TR_PR, TC_PR, GRID_SPAN, V_MERGE = W + "trPr", W + "tcPr", W + "gridSpan", W + "vMerge"
RPR, VANISH, ALT_CHUNK, TEXT_BOX = W + "rPr", W + "vanish", W + "altChunk", W + "txbxContent"
T, TAB, BR, CR, SYM = W + "t", W + "tab", W + "br", W + "cr", W + "sym"
NO_BREAK_HYPHEN = W + "noBreakHyphen"
# Elements whose content is not shown text, or shown twice (mc:Fallback repeats mc:Choice).
HIDDEN = (W + "del", W + "moveFrom", W + "instrText", W + "delText", W + "delInstrText", W + "fldData",
          MC + "Fallback")
# Elements that only wrap content: read straight through them.
WRAPPERS = frozenset({W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag", W + "ins", W + "moveTo",
                      W + "hyperlink", W + "fldSimple"})
LINE = "\n"
XML_CHAR = re.compile("[\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")



def read_docx(data: bytes, name: str = "", embedded: bool = False) -> Extracted:
    archive = open_zip(data, name)
    part = main_part(archive, name)
    main = part[0] if part is not None else "word/document.xml"
    root = etree_of_document(archive, main, name)
    body = child(root, W + "body")
    if body is None:
        raise NotANotice(f"{main} has no body", name)
    out = Extracted(format="docx")
    hide_vanished(body, out, hidden_styles(archive, main, name))
    accept_changes(body)
    chunks = _Chunks(archive, main, name, embedded)
    read_body(body, out, chunks)
    chunks.note_unread(body, out)
    for grid in out.tables:  # w:gridSpan and w:gridBefore are numbers in the file: a few bytes can claim millions
        refuse_oversized(len(grid.rows), grid.ncols, f"table {grid.index + 1}", name)
    join_split_tables(out)
    return out


def etree_of_document(archive: zipfile.ZipFile, main: str, name: str) -> etree._Element:
    """The main part parsed safely (bounded sizes, no DTD, no entities, no network), Strict read as Transitional."""
    try:
        info = archive.getinfo(main)
    except KeyError:
        raise NotANotice("a zip file without word/document.xml, not a Word document", name) from None
    return parse_xml(as_transitional(read_part(archive, info, name)), info.filename, name)


def hide_vanished(body: etree._Element, out: Extracted, hidden_styles: frozenset[str]) -> None:
    """Runs formatted as hidden (w:vanish, in the run or its character or paragraph style) are not shown by
    Word, so they are not read: one note per paragraph."""
    if hidden_styles:
        runs = [run for run in body.iter(R) if run_is_hidden(run, hidden_styles)]
    else:  # the usual case: only w:vanish written on runs, found without visiting every run
        runs = [vanish.getparent().getparent() for vanish in body.iter(VANISH)
                if vanish.getparent().tag == RPR and not is_off(vanish)]
        runs = [run for run in runs if run is not None and run.tag == R]  # not a paragraph mark's w:rPr
    hidden: dict[etree._Element, list[str]] = {}
    for run in runs:
        paragraph = next(run.iterancestors(P), run)
        hidden.setdefault(paragraph, []).append("".join(run.itertext(T, with_tail=False)))
        run.getparent().remove(run)
    for texts in hidden.values():
        if "".join(texts).strip():
            out.notes.append(Note("hidden-content", f"text formatted as hidden in Word was not read: "
                                                    f"{''.join(texts).strip()}"))


def run_is_hidden(run: etree._Element, hidden_styles: frozenset[str]) -> bool:
    """Whether Word hides the run: its own w:vanish decides, else its character style, else its paragraph's."""
    props = child(run, RPR)
    vanish = child(props, VANISH)
    if vanish is not None:
        return not is_off(vanish)
    style = child(props, W + "rStyle")
    if style is not None and style.get(W + "val") in hidden_styles:
        return True
    paragraph = next(run.iterancestors(P), None)
    style = child(child(paragraph, W + "pPr"), W + "pStyle")
    return style is not None and style.get(W + "val") in hidden_styles


def hidden_styles(archive: zipfile.ZipFile, main: str, name: str) -> frozenset[str]:
    """The ids of the styles that hide their text (w:vanish in the style or in one it is based on)."""
    target = next((t for kind, t in relationships(archive, main, name).values() if kind.endswith("/styles")), None)
    info = archive.NameToInfo.get(target or "")
    data = read_part(archive, info, name) if info is not None else b""
    if b"vanish" not in data:  # almost every document: no second parse
        return frozenset()
    own: dict[str, bool | None] = {}
    based_on: dict[str, str] = {}
    for style in parse_xml(as_transitional(data), info.filename, name).iterchildren(W + "style"):
        style_id = style.get(W + "styleId", "")
        vanish = child(child(style, RPR), VANISH)
        own[style_id] = None if vanish is None else not is_off(vanish)
        base = child(style, W + "basedOn")
        if base is not None:
            based_on[style_id] = base.get(W + "val", "")

    def hides(style_id: str) -> bool:
        seen = set()
        while style_id in own and style_id not in seen:  # a loop of w:basedOn ends the walk
            if own[style_id] is not None:
                return own[style_id]
            seen.add(style_id)
            style_id = based_on.get(style_id, "")
        return False

    return frozenset(style_id for style_id in own if hides(style_id))


def accept_changes(body: etree._Element) -> None:
    """The tree as Word shows it: deleted rows and hidden text removed, breaks and tabs made text, text
    boxes made text where they are anchored, so that a paragraph's text is one `itertext` call away."""
    for deleted in list(body.iter(W + "del")):  # most documents have none: one pass in C finds that
        props = deleted.getparent()
        if props.tag == TR_PR and (tr := props.getparent()).getparent() is not None:  # a deleted row
            tr.getparent().remove(tr)
    etree.strip_elements(body, *HIDDEN, with_tail=False)
    for element in list(body.iter(TAB, BR, CR, NO_BREAK_HYPHEN, SYM)):
        tag = element.tag
        if tag == BR:
            shown = LINE if element.get(W + "type") in (None, "textWrapping") else ""
        else:
            shown = {TAB: " ", CR: LINE, NO_BREAK_HYPHEN: "-"}.get(tag) or read_sym(element)
        element.getparent().replace(element, text_element(shown))
    for box in reversed(list(body.iter(TEXT_BOX))):  # a box inside a box first
        # Its paragraphs are lines of the paragraph that anchors it, which then holds no paragraph of its own.
        box.getparent().replace(box, text_element("".join(line + LINE for line in read_lines(box))))


def text_element(text: str) -> etree._Element:
    element = etree.Element(T)
    element.text = text
    return element


def read_body(body: etree._Element, out: Extracted, chunks: _Chunks) -> None:
    for child in body:
        tag = child.tag
        if tag == P:
            text = "\n".join(read_lines(child)).strip()
            if text:
                out.paragraphs.append(text)
        elif tag == TBL and (frame := framed_content(child)) is not None:
            read_body(frame, out, chunks)
        elif tag == TBL:
            out.tables.append(read_tbl(child, len(out.tables), len(out.paragraphs)))
        elif tag == ALT_CHUNK:
            chunks.read_alt_chunk(child, out)
        elif tag in WRAPPERS:  # a w:sdt's w:sdtPr holds neither paragraphs nor tables
            read_body(child, out, chunks)


def framed_content(tbl: etree._Element) -> etree._Element | None:
    """The cell of a table of one cell that holds a table: a frame drawn around content (a notice boxed
    whole), not a table of data, so its content is read as the body's."""
    rows = list(iter_content(tbl, TR))
    cells = list(iter_content(rows[0], TC)) if len(rows) == 1 else []
    return cells[0] if len(cells) == 1 and next(cells[0].iter(TBL), None) is not None else None


class _Chunks:
    """The parts a w:altChunk imports where it stands: HTML (or MHTML) through the HTML reader, a .docx
    through this one; any other kind is a note, never dropped silently."""

    def __init__(self, archive: zipfile.ZipFile, main: str, name: str, embedded: bool):
        self.archive, self.main, self.name, self.embedded = archive, main, name, embedded
        self.rels: dict[str, tuple[str, str]] | None = None
        self.read: set[str] = set()  # each part once: a few bytes of w:altChunk could import one part endlessly
        self.placed: set[etree._Element] = set()

    def note_unread(self, body: etree._Element, out: Extracted) -> None:
        """Imports this reader does not place (inside a table cell, a text box): notes, never silence."""
        for alt_chunk in body.iter(ALT_CHUNK):
            if alt_chunk not in self.placed:
                out.notes.append(Note("unread-content", f"an imported part (w:altChunk) inside a table cell or "
                                                        f"text box was not read: {self.target(alt_chunk) or '?'}"))

    def target(self, alt_chunk: etree._Element) -> str:
        """The part a w:altChunk imports, by the main part's relationships."""
        if self.rels is None:
            self.rels = relationships(self.archive, self.main, self.name)
        return self.rels.get(alt_chunk.get(R_ID, ""), ("", ""))[1]

    def read_alt_chunk(self, alt_chunk: etree._Element, out: Extracted) -> None:
        self.placed.add(alt_chunk)
        target = self.target(alt_chunk)
        info = self.archive.NameToInfo.get(target)
        if info is None or target in self.read:
            problem = "is missing" if info is None else "was imported before and is read once"
            out.notes.append(Note("unread-content", f"an imported part (w:altChunk) {problem}: {target or '?'}"))
            return
        self.read.add(target)
        from fenjie.extract.html import html_of_mhtml, read_fragment  # only documents that import parts need it

        data = read_part(self.archive, info, self.name)
        kind = chunk_kind(data)
        if kind == "docx" and not self.embedded and (document := embedded_docx(data, self.name)) is not None:
            out.extend(document)  # one level: an imported document's own imports are notes
        elif kind == "html" or kind == "mhtml" and (data := html_of_mhtml(data, self.name)):
            out.extend(read_fragment(data, self.name))
        elif kind == "text" and (text := text_of_chunk(data)) is not None:
            out.paragraphs += [line.strip() for line in text.split("\n") if line.strip()]
        else:
            out.notes.append(Note("unread-content", f"an imported part (w:altChunk) was not read: {target} "
                                                    f"({NOT_READ.get(kind, kind)}); open the "
                                                    "document in Word and save it again to make its content "
                                                    "ordinary text"))


NOT_READ = {"text": "not text", "mhtml": "MHTML without HTML", "docx": "not a Word document, or imported by one"}


def embedded_docx(data: bytes, name: str) -> Extracted | None:
    try:
        return read_docx(data, name, embedded=True)
    except NotANotice:  # another kind of zip; a damaged or oversized one stops the document
        return None


def text_of_chunk(data: bytes) -> str | None:
    from fenjie.extract.decode import decode_text

    try:
        return decode_text(data)
    except FenjieError:  # binary data, or broken UTF-8
        return None


def chunk_kind(data: bytes) -> str:
    """What an imported part holds (docx, rtf, mhtml, html or text), told by its bytes as Word does."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(b"mime-version:") or b"content-type: multipart/related" in head:
        return "mhtml"
    if head.startswith(b"<"):
        return "html"
    return "text"


def read_lines(element: etree._Element) -> list[str]:
    """The lines of a w:p, w:tc or w:txbxContent: each w:p starts one, each w:br and w:cr ends one (see
    `accept_changes`). A nested table's text stays in its cell. (`iter` and `.text` cost a third of `itertext`.)"""
    lines = "".join([LINE if e.tag == P else e.text or "" for e in element.iter(P, T)]).split(LINE)
    return lines[1:] if len(lines) > 1 else lines


def read_sym(sym: etree._Element) -> str:
    """The character of a w:sym, if XML can hold it (a crafted code can be NUL, a surrogate or U+FFFE)."""
    try:
        char = chr(int(sym.get(W + "char", ""), 16))
    except (ValueError, OverflowError):
        return ""
    return char if XML_CHAR.fullmatch(char) else ""


def read_tbl(tbl: etree._Element, index: int, after_paragraph: int) -> Grid:
    grid_cols = child(tbl, W + "tblGrid")  # its w:gridCol; a tracked edit adds a w:tblGridChange
    grid_width = ncols = sum(1 for _ in grid_cols.iterchildren(W + "gridCol")) if grid_cols is not None else 0
    rows: list[GridRow] = []
    notes: list[Note] = []
    last_at: dict[int, Cell] = {}  # the latest cell starting at each grid column, for w:vMerge
    for r, tr in enumerate(iter_content(tbl, TR)):
        row = read_tr(tr, len(rows), last_at, notes, (index, r), grid_width)
        rows.append(row)
        if row.cells:
            ncols = max(ncols, max(c.col + c.colspan for c in row.cells))
    return Grid(rows, ncols, index, after_paragraph, notes=notes)


def read_tr(tr, r: int, last_at: dict[int, Cell], notes: list[Note], source: tuple[int, int],
            grid_width: int) -> GridRow:
    props = read_pr(child(tr, TR_PR))
    col = read_grid_before(props.get(W + "gridBefore"), tr, grid_width)
    repeats = props.get(W + "tblHeader")
    header = repeats is not None and not is_off(repeats)
    cells: list[Cell] = []
    for tc in iter_content(tr, TC):
        span, merge = read_tc_pr(child(tc, TC_PR))
        lines = read_lines(tc)
        origin = last_at.get(col)
        if (merge is not None and merge.get(W + "val") in (None, "continue") and origin is not None
                and origin.row + origin.rowspan == r and origin.colspan == span):
            origin.rowspan += 1
            if any(line.strip() for line in lines):
                notes.append(Note("hidden-content", f"table {source[0] + 1} row {source[1] + 1}: text in a merged-over "
                                  f"cell is hidden by Word and was not read: {' '.join(lines).strip()}"))
        else:
            cell = Cell(lines, r, col, colspan=span)
            cells.append(cell)
            last_at[col] = cell
        col += span
    return GridRow(cells, source=source, header=header)


def read_tc_pr(props: etree._Element | None) -> tuple[int, etree._Element | None]:
    """A cell's w:gridSpan (at least 1) and its w:vMerge, if any; its other properties are not visited."""
    span, merge = 1, None
    for prop in props.iterchildren(GRID_SPAN, V_MERGE) if props is not None else ():
        if prop.tag == GRID_SPAN:
            span = max(1, int_val(prop, 1))
        else:
            merge = prop
    return span, merge


def read_grid_before(grid_before: etree._Element | None, tr: etree._Element, grid_width: int) -> int:
    """The grid columns skipped before a row's first cell: never negative, and no more than the table's
    w:tblGrid leaves beside the row's own cells (Word lays out a larger value the same way)."""
    before = max(0, int_val(grid_before, 0))
    if before and grid_width:
        spans = sum(read_tc_pr(child(tc, TC_PR))[0] for tc in iter_content(tr, TC))
        before = min(before, max(0, grid_width - spans))
    return before


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
    """The properties of a w:trPr by tag, read in one pass."""
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
