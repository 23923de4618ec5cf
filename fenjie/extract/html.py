"""Reader for a notice saved from a government website (often a Word table pasted into a CMS).

The page is parsed with lxml (no network, no entities), its chrome is pruned (navigation,
breadcrumbs, metadata boxes, download links, scripts, footers: words in fenjie/data/html.toml),
the article is the container that holds most of the remaining text, and its paragraphs and
tables are read in order. The page heading (h1, else <title>) goes first when the article does
not repeat it: the notice metadata code finds the title, issuer and doc number from there.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lxml_html

from fenjie.errors import Corrupt, NotANotice, TooLarge, Unsafe
from fenjie.extract.grid import Cell, Extracted, Grid, GridRow, Note, refuse_oversized
from fenjie.extract.txt import codec_for, decode

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
MAX_CHROME_TEXT = 300  # characters; a metadata box or info line is short, an article is not
MAX_LIST_TEXT = 3000  # characters of a tool bar or a list of downloads, at most
SIBLING_SHARE = 0.2  # a sibling with this share of the article's text is part of the article

CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-]+)""")
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
SPACE_RUN = re.compile(r"[ \t\n\r\f]+")
TITLE_SEPARATORS = re.compile(r"\s*(?:[_|｜]|\s-\s|--)\s*")
TOKEN_SEPARATORS = re.compile(r"[\s\-_]+")
COLON = ("：", ":")
ATTACHMENT_LINK = re.compile(r"^附件\s*\d*\s*[：:.．、]|^附件\s*\d+")

HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


@dataclass(frozen=True)
class Chrome:
    classes: frozenset[str]
    labels: tuple[str, ...]  # each with a colon after it: 索引号：
    tools: re.Pattern
    download_suffixes: tuple[str, ...]
    label_at: re.Pattern  # any label and its colon, spaces allowed between its characters (索 引 号：)
    fields: dict[str, str]  # metadata box label -> notice field
    meta_fields: dict[str, str]  # <meta> name, lower case -> notice field
    site_meta: frozenset[str]  # <meta> names, lower case, that hold the site's or the column's name


@cache
def chrome() -> Chrome:
    data = tomllib.loads(resources.files("fenjie.data").joinpath("html.toml").read_text("utf-8"))
    box, metadata = data["chrome"], data["metadata"]
    tools = re.compile("|".join(map(re.escape, sorted(box["tools"], key=len, reverse=True))))
    labels = tuple(label + colon for label in box["labels"] for colon in COLON)
    words = sorted({*box["labels"], *(w for field, ws in metadata.items() if field != "meta" for w in ws)},
                   key=len, reverse=True)
    label_at = re.compile("(" + "|".join(r"\s*".join(map(re.escape, w)) for w in words) + r")\s*[：:]")
    fields = {word: field for field, ws in metadata.items() if field != "meta" for word in ws}
    meta_fields = {name.lower(): field for field, names in metadata["meta"].items() for name in names}
    return Chrome(frozenset(box["classes"]), labels, tools, tuple(box["download_suffixes"]), label_at, fields,
                  meta_fields, frozenset(name.lower() for name in data["site"]["meta"]))


def read_html(data: bytes, name: str = "") -> Extracted:
    root = parse(decode_html(data, name), name)
    site_names, page = meta_tags(root)
    heading = page_heading(root, site_names, page.get("title"))
    hidden = drop_unseen(root)
    lengths = text_lengths(root)
    boxes: list[str] = []
    prune(root, lengths[root], lengths, boxes, {squash(n) for n in site_names})
    out = Extracted(format="html", page=page_metadata(boxes, page))
    # Known once: asking for every text in a table whether the table is data would be quadratic.
    data_tables = frozenset(table for table in root.iter("table") if is_data_table(table))
    parts = article(root, data_tables)
    reader = _Reader(out, name, data_tables)
    for part in parts:
        reader.block(part)
    reader.flush()
    # What the page hides inside the article is reported; hidden menus and dialogs of the page are chrome.
    shown = set(parts)
    out.notes += [note for holder, note in hidden if holder is not None and (
        holder in shown or any(a in shown for a in holder.iterancestors()))]
    if heading and not repeats(heading, out.paragraphs):
        out.paragraphs.insert(0, heading)
        for grid in out.tables:
            grid.after_paragraph += 1
    return out


def read_fragment(data: bytes, name: str = "") -> Extracted:
    """HTML imported into a Word document (w:altChunk): all of it is content, nothing is page chrome."""
    out = Extracted(format="html")
    text = decode_html(data, name)
    if not text.strip():
        return out
    root = parse(text, name)
    out.notes += [note for _, note in drop_unseen(root)]
    data_tables = frozenset(table for table in root.iter("table") if is_data_table(table))
    reader = _Reader(out, name, data_tables)
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
                text = payload.decode(encoding) if encoding else decode(payload, name)
            except UnicodeError:
                text = decode(payload, name)
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
    return "".join(found.group(0).split()).lower() if found else "the hidden attribute"


def decode_html(data: bytes, name: str) -> str:
    """The page as text, in the encoding it declares, else the one its bytes show (UTF-8, GB18030).
    Declared names are WHATWG encoding labels, as browsers take them: an unknown label is ignored."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise Corrupt("the page starts as UTF-16 but its bytes are not", name) from None
    else:
        declared = CHARSET.search(data[:4096]) or XML_ENCODING.search(data[:200])
        encoding = whatwg_codec(declared.group(1).decode("ascii")) if declared else None
        text = declared_text(data, encoding) if encoding and not data.startswith(b"\xef\xbb\xbf") else None
        if text is None:  # nothing declared, or the declaration is wrong: the bytes tell
            text = decode(data, name)
    if "<!ENTITY" in text:  # looked for in the text, whatever encoding the bytes were in
        raise Unsafe("the page declares entities, which no web page needs; refused", name)
    return text


def declared_text(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeError:
        return None


def whatwg_codec(label: str) -> str | None:
    """The Python codec for an encoding label as the WHATWG Encoding Standard reads it, None when browsers
    do not know the label (punycode, utf-7: a page cannot ask for them) or it names no text encoding."""
    import webencodings

    encoding = webencodings.lookup(label)
    if encoding is None or encoding.name in ("replacement", "x-user-defined"):
        return None
    if encoding.name.startswith("utf-16"):  # a page that declares UTF-16 in ASCII bytes is not UTF-16
        return "utf-8"
    return codec_for(encoding.codec_info.name)


def parse(text: str, name: str) -> lxml_html.HtmlElement:
    """The page's tree; nesting past libxml2's depth limit (256) is refused, where the parser would cut it."""
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


def meta_tags(root: lxml_html.HtmlElement) -> tuple[set[str], dict[str, str]]:
    """The site's and column's names, and the notice fields, that the page's <meta> tags give."""
    words = chrome()
    site_names: set[str] = set()
    fields: dict[str, str] = {}
    for meta in root.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").strip().lower()
        content = clean(meta.get("content") or "")
        if not content:
            continue
        if name in words.site_meta:
            site_names.add(content)
        elif name in words.meta_fields:
            fields.setdefault(words.meta_fields[name], content)
    return site_names, fields


def page_heading(root: lxml_html.HtmlElement, site_names: set[str], meta_title: str | None) -> str | None:
    """The notice title as the page shows it: the longest <h1> or <meta> title, else the longest part of
    <title>; never the site's or the column's name."""
    headings = [clean(h.text_content()) for h in root.iter("h1")] + [meta_title or ""]
    headings = [h for h in headings if 6 <= len(h) <= 200 and h not in site_names]
    if not headings:
        title = root.find(".//title")
        if title is not None:
            headings = [p for p in TITLE_SEPARATORS.split(clean(title.text_content()))
                        if len(p) <= 200 and p not in site_names]
    return max(headings, key=len, default=None) or None


def page_metadata(boxes: list[str], meta: dict[str, str]) -> dict[str, str]:
    """Notice fields from the metadata boxes' "label：value" pairs, then from <meta>; the first one wins."""
    words = chrome()
    fields: dict[str, str] = {}
    for box in boxes:
        found = list(words.label_at.finditer(box))
        for match, following in zip(found, [*found[1:], None], strict=True):
            field = words.fields.get(squash(match.group(1)))
            value = clean(box[match.end():following.start() if following else len(box)]).strip("\u2002\u3000 ")
            if field and value:
                fields.setdefault(field, value)
    return {**meta, **fields}


def repeats(heading: str, paragraphs: list[str]) -> bool:
    """Whether the article already has the heading, or its latter half (the title without the issuer),
    in one paragraph or wrapped over up to three (issuer / 关于… / …的通知)."""
    wanted = squash(heading)
    texts = [squash(p) for p in paragraphs[:12]]
    pieces = ("".join(texts[i:i + n]) for i in range(len(texts)) for n in (1, 2, 3) if texts[i])
    return any(2 * len(p) >= len(wanted) and wanted.endswith(p) for p in pieces)


def prune(element: lxml_html.HtmlElement, page_text: int, lengths: dict, boxes: list[str],
          site_names: set[str]) -> None:
    """Remove page chrome under `element`, keeping the text that follows each removed element.
    The text of each removed metadata box or info line goes to BOXES."""
    for child in list(element):
        chrome_kind = is_chrome(child, page_text, lengths, site_names)
        if chrome_kind:
            if chrome_kind == "labels":
                boxes.append(box_text(child))
            child.drop_tree()
        elif not (child.tag == "table" and is_data_table(child)):  # a data table is kept whole, cell for cell
            prune(child, page_text, lengths, boxes, site_names)


def text_lengths(root: lxml_html.HtmlElement) -> dict:
    """For every element, the length of its text without white space, counted once bottom-up: asking each
    element for its text would cost the page's depth times its text."""
    lengths: dict = {}
    for element in reversed(list(root.iter())):
        lengths[element] = len(squash(element.text or "")) + sum(
            lengths[child] + len(squash(child.tail or "")) for child in element)
    return lengths


def box_text(element: lxml_html.HtmlElement) -> str:
    """A metadata box's text with a line break between its text nodes (cells, items, <font> values)."""
    return "\n".join(element.itertext())


def is_chrome(element: lxml_html.HtmlElement, page_text: int, lengths: dict, site_names: set[str]) -> str | None:
    """Whether the element is page chrome: "labels" for a metadata box or info line, "chrome" for the rest
    (SITE_NAMES: the site's and column's names, white space removed, as a logo or banner shows them)."""
    words = chrome()
    tag = element.tag
    length = lengths.get(element, 0)
    tokens = set(TOKEN_SEPARATORS.split(f"{element.get('class', '')} {element.get('id', '')}".lower()))
    # A wrapper named like chrome that holds most of the page is the page, not chrome.
    if tokens & words.classes and 2 * length < page_text:
        return "chrome"
    if tag not in BLOCKS or tag in ("html", "body"):
        return None
    if tag == "table":
        cells = [c.text_content() for c in element.iter("td", "th")]
        return "labels" if sum(map(is_label_cell, cells)) >= 2 else None
    if length > MAX_LIST_TEXT:  # chrome is short; only short elements are asked for their text
        return None
    text = squash(element.text_content())
    if len(text) <= MAX_CHROME_TEXT and text.startswith(words.labels):
        return "labels"
    if text and (not words.tools.sub("", text) or text in site_names):
        return "chrome"
    links = "".join(squash(a.text_content()) for a in downloads(element))
    # A download link of the article's own 附件 list ("附件1：….docx") is the attachment's title.
    return "chrome" if text and text == links and not ATTACHMENT_LINK.match(text) else None


def is_label_cell(text: str) -> bool:
    """A cell of a metadata box: a label with its colon (索引号：), perhaps its value too."""
    text = squash(text)
    return text.startswith(chrome().labels) or text + "：" in chrome().labels


def downloads(element: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    suffixes = chrome().download_suffixes
    return [a for a in element.iter("a") if urlsplit(a.get("href", "")).path.lower().endswith(suffixes)]


def article(root: lxml_html.HtmlElement, data_tables: frozenset) -> list[lxml_html.HtmlElement]:
    """The container holding most paragraph and table text, with siblings holding a fair share too."""
    scores: dict[lxml_html.HtmlElement, float] = {}
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        own = len(squash((element.text or "") + "".join(c.tail or "" for c in element)))
        if not own:
            continue
        unit = unit_of(element, data_tables)
        if unit.tag in PARAGRAPHS or unit.tag == "table":
            holders = [(unit.getparent(), 1.0), (unit.getparent().getparent() if unit.getparent() is not None
                                                   else None, 0.5)]
        else:
            holders = [(unit, 1.0), (unit.getparent(), 0.5)]
        for holder, share in holders:
            if holder is not None:
                scores[holder] = scores.get(holder, 0.0) + own * share
    if not scores:
        return [root]
    best = max(scores, key=scores.get)
    parent = best.getparent()
    if parent is None:
        return [best]
    return [s for s in parent if s is best or scores.get(s, 0.0) >= SIBLING_SHARE * scores[best]]


def unit_of(element: lxml_html.HtmlElement, data_tables: frozenset) -> lxml_html.HtmlElement:
    """The block a text belongs to: its paragraph, or the whole table when it sits in a data table."""
    unit = element
    while unit.tag not in BLOCKS and unit.getparent() is not None:
        unit = unit.getparent()
    for ancestor in unit.iterancestors("table"):
        if ancestor in data_tables:
            return ancestor
    return unit


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


class _Reader:
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


def is_wide(char: str) -> bool:
    return bool(char) and ord(char) >= 0x2E80  # CJK, its punctuation and full-width forms


def squash(text: str) -> str:
    return "".join(text.split())
