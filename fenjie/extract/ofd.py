"""Reader for OFD (GB/T 33190-2016), the fixed-layout format of China's electronic documents.

An OFD is a zip of XML parts: OFD.xml names each document's Document.xml (ofd:DocBody/ofd:DocRoot),
which lists the pages (ofd:Pages/ofd:Page, BaseLoc -> the page's Content.xml) and the template pages
(ofd:CommonData/ofd:TemplatePage) a page may draw under or over its own content. A page's text is
ofd:TextObject (Boundary, Size, CTM; ofd:TextCode with X, Y and DeltaX for each character), its lines
and boxes ofd:PathObject (Boundary, CTM, ofd:AbbreviatedData: M, L, B, Q, A, C). Positions are in
millimetres from the page's top left; they are turned into points for layout.py, which rebuilds the
tables and paragraphs as for a PDF. The text is Unicode in the TextCode, so fonts are not needed to read
it. Parts are read as the .docx reader reads them (container.py): bounded, without DTDs or entities.
"""

from __future__ import annotations

import math
import posixpath
import zipfile

from lxml import etree

from fenjie.errors import Corrupt, NotANotice, TooLarge
from fenjie.extract.container import open_zip, parse_xml, read_part
from fenjie.extract.grid import Extracted
from fenjie.extract.layout import MAX_PAGES, Glyph, Page, Rule, read_pages
from fenjie.text import is_wide

OFD = "{http://www.ofdspec.org/2016}"
POINTS_PER_MM = 72 / 25.4
A4 = (210.0, 297.0)
ASCENT = 0.88  # of the font size above the baseline, as for the PDF's characters
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


class Package:
    """The parts of an OFD zip, read and parsed on demand, by paths resolved as OFD resolves them."""

    def __init__(self, data: bytes, name: str):
        self.archive: zipfile.ZipFile = open_zip(data, name)
        self.parts = {info.filename.lstrip("/"): info for info in self.archive.infolist()}
        self.name = name

    def xml(self, path: str) -> etree._Element:
        info = self.parts.get(path)
        if info is None:
            raise Corrupt(f"the OFD names {path}, which it does not hold", self.name)
        return parse_xml(read_part(self.archive, info, self.name), path, self.name)


def resolve(base: str, location: str) -> str:
    """A BaseLoc or DocRoot: absolute from the package root, or relative to the folder of the part naming it."""
    location = location.strip()
    path = location if location.startswith("/") else posixpath.join(base, location)
    return posixpath.normpath(path).lstrip("/")


def read_ofd(data: bytes, name: str = "") -> Extracted:
    package = Package(data, name)
    if "OFD.xml" not in package.parts:
        raise NotANotice("a zip file without OFD.xml, not an OFD document", name)
    root = package.xml("OFD.xml")
    doc_root = root.findtext(f"{OFD}DocBody/{OFD}DocRoot")
    if not doc_root:
        raise Corrupt("OFD.xml names no document (ofd:DocBody/ofd:DocRoot)", name)
    document_path = resolve("", doc_root)
    document = package.xml(document_path)
    folder = posixpath.dirname(document_path)
    common = document.find(f"{OFD}CommonData")
    default_box = physical_box(common.find(f"{OFD}PageArea") if common is not None else None, A4)
    templates = {} if common is None else {
        template.get("ID"): resolve(folder, template.get("BaseLoc", ""))
        for template in common.iterfind(f"{OFD}TemplatePage")}
    page_refs = document.findall(f"{OFD}Pages/{OFD}Page")
    if len(page_refs) > MAX_PAGES:
        raise TooLarge(f"{len(page_refs)} pages, far more than any notice", name)
    pages, images = [], False
    for ref in page_refs:
        content = package.xml(resolve(folder, ref.get("BaseLoc", "")))
        width, height = physical_box(content.find(f"{OFD}Area"), default_box)
        layers = [content]
        for use in content.iterfind(f"{OFD}Template"):
            if use.get("TemplateID") in templates:
                layers.append(package.xml(templates[use.get("TemplateID")]))
        page = Page(width * POINTS_PER_MM, height * POINTS_PER_MM, [], [], [])
        for layer in layers:
            read_objects(layer, page)
            images = images or next(layer.iter(f"{OFD}ImageObject"), None) is not None
        pages.append(page)
    return read_pages(pages, "ofd", name, images)


def physical_box(area: etree._Element | None, default: tuple[float, float]) -> tuple[float, float]:
    numbers = floats(area.findtext(f"{OFD}PhysicalBox") if area is not None else None)
    return (numbers[2], numbers[3]) if len(numbers) == 4 and numbers[2] > 0 and numbers[3] > 0 else default


def floats(text: str | None) -> list[float]:
    try:
        return [float(value) for value in (text or "").split()]
    except ValueError:
        return []


def read_objects(layer: etree._Element, page: Page) -> None:
    """The text and path objects of a page or template, however deep in layers and page blocks."""
    for element in layer.iter(f"{OFD}TextObject", f"{OFD}PathObject"):
        at = placement(element)
        if at is None:
            continue
        if element.tag == f"{OFD}TextObject":
            read_text_object(element, at, page)
        else:
            read_path_object(element, at, page)


def placement(element: etree._Element) -> Matrix | None:
    """The object's CTM followed by the move to its Boundary's origin, or None for a malformed Boundary."""
    boundary = floats(element.get("Boundary"))
    if len(boundary) != 4:
        return None
    ctm = floats(element.get("CTM"))
    a, b, c, d, e, f = ctm if len(ctm) == 6 else IDENTITY
    return a, b, c, d, e + boundary[0], f + boundary[1]


def apply(matrix: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


def deltas(text: str | None) -> list[float]:
    """DeltaX or DeltaY: numbers, where `g N D` stands for N times D."""
    out: list[float] = []
    tokens = (text or "").split()
    at = 0
    try:
        while at < len(tokens):
            if tokens[at] == "g":
                out += [float(tokens[at + 2])] * min(int(tokens[at + 1]), 100_000)
                at += 3
            else:
                out.append(float(tokens[at]))
                at += 1
    except (ValueError, IndexError):
        return out
    return out


def read_text_object(element: etree._Element, at: Matrix, page: Page) -> None:
    size = float(element.get("Size", "0") or 0) * math.sqrt(abs(at[0] * at[3] - at[1] * at[2]))
    if size <= 0:
        return
    x = y = 0.0
    for code in element.iterfind(f"{OFD}TextCode"):
        x = float(code.get("X", x))
        y = float(code.get("Y", y))
        text = code.text or ""
        steps_x, steps_y = deltas(code.get("DeltaX")), deltas(code.get("DeltaY"))
        for i, char in enumerate(text):
            left, baseline = apply(at, x, y)
            width = glyph_width(text, i, steps_x, size)
            page.glyphs.append(Glyph(char, left * POINTS_PER_MM, (left + width) * POINTS_PER_MM,
                                     (baseline - ASCENT * size) * POINTS_PER_MM,
                                     (baseline + (1 - ASCENT) * size) * POINTS_PER_MM, size * POINTS_PER_MM))
            x += steps_x[i] if i < len(steps_x) else width
            y += steps_y[i] if i < len(steps_y) else 0.0


def glyph_width(text: str, i: int, steps: list[float], size: float) -> float:
    """How wide character I is: its step to the next character (an OFD has no glyph boxes); for the last
    one, the step before it when both are of one script, else a square for Chinese and half of it for Latin."""
    if i < len(steps) and steps[i] > 0:
        return min(steps[i], size)
    wide = is_wide(text[i])
    if 0 < i <= len(steps) and steps[i - 1] > 0 and is_wide(text[i - 1]) == wide:
        return min(steps[i - 1], size)
    return size if wide else size / 2


def read_path_object(element: etree._Element, at: Matrix, page: Page) -> None:
    """The straight horizontal and vertical strokes of a path: table rules, and the sides of boxes."""
    tokens = (element.findtext(f"{OFD}AbbreviatedData") or "").split()
    arity = {"M": 2, "S": 2, "L": 2, "Q": 4, "B": 6, "A": 7, "C": 0}
    start = current = None
    at_token = 0
    while at_token < len(tokens):
        command = tokens[at_token]
        count = arity.get(command)
        numbers = floats(" ".join(tokens[at_token + 1:at_token + 1 + (count or 0)]))
        at_token += 1 + (count or 0)
        if count is None or len(numbers) != count:
            return  # not a path OFD writes: keep what was read
        if command in ("M", "S"):
            start = current = (numbers[0], numbers[1])
        elif command == "C":
            if current is not None and start is not None:
                add_rule(page, apply(at, *current), apply(at, *start))
            current = start
        elif current is not None:
            end = (numbers[-2], numbers[-1])
            if command == "L":
                add_rule(page, apply(at, *current), apply(at, *end))
            current = end


def add_rule(page: Page, one: tuple[float, float], other: tuple[float, float]) -> None:
    (x0, y0), (x1, y1) = one, other
    if abs(y0 - y1) < 0.05:
        page.horizontals.append(Rule(y0 * POINTS_PER_MM, min(x0, x1) * POINTS_PER_MM, max(x0, x1) * POINTS_PER_MM))
    elif abs(x0 - x1) < 0.05:
        page.verticals.append(Rule(x0 * POINTS_PER_MM, min(y0, y1) * POINTS_PER_MM, max(y0, y1) * POINTS_PER_MM))
