"""Reader for a notice saved from a government website (often a Word table pasted into a CMS): the page ->
its article.

The page is parsed with lxml (no network, no entities), its chrome is pruned (navigation,
breadcrumbs, metadata boxes, download links, scripts, footers: words in fenjie/data/html.toml),
the article is the container that holds most of the remaining text, and its paragraphs and
tables are read in order (`fenjie.extract.html`). The page heading (h1, else <title>) goes first when the
article does not repeat it: the notice metadata code finds the title, issuer and doc number from there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from lxml import html as lxml_html

from fenjie import data
from fenjie.extract.decode import decode_html
from fenjie.extract.grid import Extracted
from fenjie.extract.html import (
    BLOCKS,
    PARAGRAPHS,
    BlockReader,
    clean,
    data_tables_in,
    drop_unseen,
    is_data_table,
    parse,
)
from fenjie.text import squash

MAX_CHROME_TEXT = 300  # characters; a metadata box or info line is short, an article is not
MAX_LIST_TEXT = 3000  # characters of a tool bar or a list of downloads, at most
SIBLING_SHARE = 0.2  # a sibling with this share of the article's text is part of the article
TITLE_SEPARATORS = re.compile(r"\s*(?:[_|｜]|\s-\s|--)\s*")
TOKEN_SEPARATORS = re.compile(r"[\s\-_]+")
COLON = ("：", ":")
ATTACHMENT_LINK = re.compile(r"^附件\s*\d*\s*[：:.．、]|^附件\s*\d+")


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


@dataclass(frozen=True)
class ChromeWords:
    classes: tuple[str, ...]
    labels: tuple[str, ...]
    tools: tuple[str, ...]
    download_suffixes: tuple[str, ...]


@dataclass(frozen=True)
class MetadataWords:
    box: dict[str, tuple[str, ...]]  # notice field -> labels of a metadata box
    meta: dict[str, tuple[str, ...]]  # notice field -> <meta> names


@dataclass(frozen=True)
class SiteWords:
    meta: tuple[str, ...]


@dataclass(frozen=True)
class HtmlWords:
    """fenjie/data/html.toml."""

    chrome: ChromeWords
    metadata: MetadataWords
    site: SiteWords


@cache
def chrome() -> Chrome:
    page = data.words("html.toml", HtmlWords)
    box, metadata = page.chrome, page.metadata
    tools = re.compile("|".join(map(re.escape, sorted(box.tools, key=len, reverse=True))))
    labels = tuple(label + colon for label in box.labels for colon in COLON)
    words = sorted({*box.labels, *(w for ws in metadata.box.values() for w in ws)}, key=len, reverse=True)
    label_at = re.compile("(" + "|".join(r"\s*".join(map(re.escape, w)) for w in words) + r")\s*[：:]")
    fields = {word: field for field, ws in metadata.box.items() for word in ws}
    meta_fields = {name.lower(): field for field, names in metadata.meta.items() for name in names}
    return Chrome(frozenset(box.classes), labels, tools, box.download_suffixes, label_at, fields,
                  meta_fields, frozenset(name.lower() for name in page.site.meta))


def read_html(data: bytes, name: str = "") -> Extracted:
    root = parse(decode_html(data, name), name)
    site_names, page = meta_tags(root)
    heading = page_heading(root, site_names, page.get("title"))
    hidden = drop_unseen(root)
    lengths = text_lengths(root)
    boxes: list[str] = []
    prune(root, lengths[root], lengths, boxes, {squash(n) for n in site_names})
    out = Extracted(format="html", page=page_metadata(boxes, page))
    data_tables = data_tables_in(root)
    parts = article(root, data_tables)
    reader = BlockReader(out, name, data_tables)
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
