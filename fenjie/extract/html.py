"""HTML -> paragraphs and grids: blocks and <br> end a paragraph, a data table becomes a grid with its rowspan
and colspan placed as browsers place them, and what a browser never shows is dropped.

A web page's article (found by `fenjie.extract.webpage`) and HTML a Word document imports (w:altChunk,
`read_fragment`) are read alike.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

from fenjie.errors import Corrupt, NotANotice, TooLarge, Unsafe
from fenjie.extract.decode import decode_html, decode_text, whatwg_codec
from fenjie.extract.grid import Cell, Extracted, Grid, GridRow, Note, refuse_oversized
from fenjie.text import is_wide, squash

BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "html", "li",
    "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
# Blocks that are one paragraph each; their text is credited to the container that holds them.
PARAGRAPHS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "pre", "blockquote", "caption"})
NEVER_TEXT = frozenset({
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas", "select", "option",
    "button", "input", "textarea", "nav", "aside", "header", "footer", "map", "audio", "video", "head", "link",
})
SECTIONS = ("thead", "tbody", "tfoot")
MAX_COLSPAN = 1000  # as browsers clamp it
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
SPACE_RUN = re.compile(r"[ \t\n\r\f]+")
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def read_fragment(data: bytes, name: str = "") -> Extracted:
    """HTML imported into a Word document (w:altChunk): all of it is content, nothing is page chrome."""
    out = Extracted(format="html")
    text = decode_html(data, name)
    if not text.strip():
        return out
    root = parse(text, name)
    out.notes += [note for _, note in drop_unseen(root)]
    reader = BlockReader(out, name, data_tables_in(root))
    reader.block(root)
    reader.flush()
    return out


def html_of_mhtml(data: bytes, name: str) -> bytes:
    """The HTML of a MIME HTML archive (.mht, as web-to-Word exporters import it), in UTF-8."""
    from email import message_from_bytes, policy

    for part in message_from_bytes(data, policy=policy.compat32).walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True) or b""
            label = part.get_content_charset()
            encoding = whatwg_codec(label) if label else None
            try:
                text = payload.decode(encoding) if encoding else decode_text(payload, name)
            except UnicodeError:
                text = decode_text(payload, name)
            return ('<meta charset="utf-8">' + text).encode("utf-8")
    return b""


def drop_unseen(root: lxml_html.HtmlElement) -> list[tuple[lxml_html.HtmlElement | None, Note]]:
    """Remove what a browser never shows: scripts, forms and the like silently, and elements the page hides
    (the hidden attribute, display:none, visibility:hidden) each with a note and the element it sat in."""
    for element in [e for e in root.iter() if not isinstance(e.tag, str) or e.tag in NEVER_TEXT]:
        if element.getparent() is not None:
            element.drop_tree()
    hidden = [e for e in root.iter() if e.get("hidden") is not None or HIDDEN_STYLE.search(e.get("style", ""))]
    notes = []
    for element in hidden:
        if element.getparent() is None or any(a.get("hidden") is not None or HIDDEN_STYLE.search(a.get("style", ""))
                                               for a in element.iterancestors()):
            continue  # the page itself, or inside an element already removed
        text = " ".join(cell_lines(element))
        holder = element.getparent()
        element.drop_tree()
        if text:
            notes.append((holder, Note("hidden-content", f"text the page hides ({hidden_by(element)}) "
                                                         f"was not read: {text}")))
    return notes


def hidden_by(element: lxml_html.HtmlElement) -> str:
    found = HIDDEN_STYLE.search(element.get("style", ""))
    return squash(found.group(0)).lower() if found else "the hidden attribute"


def parse(text: str, name: str) -> lxml_html.HtmlElement:
    """The page's tree; nesting past libxml2's depth limit (256) is refused, where the parser would cut it."""
    if "<!ENTITY" in text:  # looked for in the text, whatever encoding the bytes were in
        raise Unsafe("the page declares entities, which no web page needs; refused", name)
    parser = lxml_html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, huge_tree=False,
                                  default_doctype=False)
    try:
        root = lxml_html.document_fromstring(XML_DECLARATION.sub("", text, count=1), parser=parser)
    except etree.ParserError:
        raise NotANotice("a web page without content", name) from None
    except (etree.LxmlError, ValueError) as error:
        raise Corrupt(f"the page cannot be parsed as HTML ({error})", name) from None
    if any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log):
        raise TooLarge("the page nests its elements more than 255 deep, far beyond any web page's layout", name)
    return root


def data_tables_in(root: lxml_html.HtmlElement) -> frozenset[lxml_html.HtmlElement]:
    """The data tables under ROOT, known once: asking for every text in a table whether the table is data would
    be quadratic."""
    return frozenset(table for table in root.iter("table") if is_data_table(table))


def is_data_table(table: lxml_html.HtmlElement) -> bool:
    """A table that lays out the page is a single box, or holds other tables; a data table is neither, unless
    it has rows of three cells and more, and the small tables in its cells hold less than half its text (their
    text then stays in their cells). A table of one column (a title row, a 文号 row, the article's row) lays
    out the page too: no task table has a single column."""
    if len(list(table_cells(table))) < 2:
        return False
    if all(sum(1 for cell in tr if cell.tag in ("td", "th")) < 2 for tr in table_rows(table)):
        return False
    inner = list(table.iterdescendants("table"))
    if not inner:
        return True
    wide_rows = sum(1 for tr in table_rows(table) if sum(1 for cell in tr if cell.tag in ("td", "th")) >= 3)
    inner_text = sum(len(squash(t.text_content())) for t in inner if next(t.iterancestors("table")) is table)
    return wide_rows >= 2 and 2 * inner_text < len(squash(table.text_content()))


def table_rows(table: lxml_html.HtmlElement):
    """The <tr> of a table, not of tables nested in it."""
    for child in table:
        if child.tag in SECTIONS:
            yield from (tr for tr in child if tr.tag == "tr")
        elif child.tag == "tr":
            yield child


def table_cells(table: lxml_html.HtmlElement):
    for tr in table_rows(table):
        yield from (cell for cell in tr if cell.tag in ("td", "th"))


class BlockReader:
    """Reads an article into paragraphs and grids: blocks and <br> end a paragraph."""

    def __init__(self, out: Extracted, name: str, data_tables: frozenset):
        self.out = out
        self.name = name
        self.data_tables = data_tables
        self.pieces: list[str] = []

    def flush(self) -> None:
        text = clean("".join(self.pieces))
        self.pieces = []
        if text:
            self.out.paragraphs.append(text)

    def block(self, element: lxml_html.HtmlElement) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "table":
            self.flush()
            if element in self.data_tables:
                self.table(element)
            else:
                for cell in table_cells(element):
                    self.block(cell)
            return
        if tag == "br":
            self.flush()
            return
        if tag in BLOCKS:
            self.flush()
        self.pieces.append(element.text or "")
        for child in element:
            self.block(child)
            self.pieces.append(child.tail or "")
        if tag in BLOCKS:
            self.flush()

    def table(self, table: lxml_html.HtmlElement) -> None:
        caption = table.find("caption")
        if caption is not None:
            self.block(caption)
        index = len(self.out.tables)
        self.out.tables.append(read_table(table, index, len(self.out.paragraphs), self.name))


def read_table(table: lxml_html.HtmlElement, index: int, after_paragraph: int, name: str) -> Grid:
    """A grid with rowspan and colspan placed as browsers place them."""
    trs = list(table_rows(table))
    taken: list[set[int]] = [set() for _ in trs]
    rows: list[GridRow] = []
    ncols = 0
    for r, tr in enumerate(trs):
        cells: list[Cell] = []
        col = 0
        for td in (cell for cell in tr if cell.tag in ("td", "th")):
            while col in taken[r]:
                col += 1
            rowspan = span(td, "rowspan", len(trs) - r)
            colspan = span(td, "colspan", MAX_COLSPAN)
            ncols = max(ncols, col + colspan)
            refuse_oversized(len(trs), ncols, f"table {index + 1}", name)  # before `taken` grows with it
            for covered in taken[r:r + rowspan]:
                covered.update(range(col, col + colspan))
            cells.append(Cell(cell_lines(td), r, col, rowspan, colspan))
            col += colspan
        rows.append(GridRow(cells, source=(index, r), header=tr.getparent().tag == "thead"))
    return Grid(rows, ncols, index, after_paragraph)


def span(cell: lxml_html.HtmlElement, attribute: str, rest: int) -> int:
    """rowspan/colspan as a count from 1 to `rest`; rowspan="0" reaches the end of the table."""
    try:
        value = int(cell.get(attribute, "1").strip() or 1)
    except ValueError:
        return 1
    if value == 0 and attribute == "rowspan":
        return rest
    return max(1, min(value, rest))


def cell_lines(cell: lxml_html.HtmlElement) -> list[str]:
    """The lines of a cell: <br>, <p> and other blocks break lines; runs of <span>/<font> join."""
    lines: list[list[str]] = [[]]

    def walk(element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "br" or tag in BLOCKS:
            lines.append([])
        if tag not in NEVER_TEXT:
            lines[-1].append(element.text or "")
            for child in element:
                walk(child)
                lines[-1].append(child.tail or "")
        if tag in BLOCKS:
            lines.append([])

    lines[-1].append(cell.text or "")
    for child in cell:
        walk(child)
        lines[-1].append(child.tail or "")
    return [text for text in (clean("".join(pieces)) for pieces in lines) if text]


def clean(text: str) -> str:
    """Text as a browser shows it: white space runs are one space, none where a line wrap split CJK text."""
    def space(match: re.Match) -> str:
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        return "" if "\n" in match.group(0) and is_wide(before) and is_wide(after) else " "

    return SPACE_RUN.sub(space, text).replace("\xa0", " ").strip()
