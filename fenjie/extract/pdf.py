"""Reader for PDF: pdfplumber gives each page's characters and ruling lines; layout.py rebuilds the rest."""

from __future__ import annotations

import io
import logging

from fenjie.errors import Corrupt, Encrypted, FenjieError, Scanned, TooLarge
from fenjie.extract.grid import Extracted
from fenjie.extract.layout import MAX_PAGES, Glyph, Page, Rule, read_pages

# pdfminer warns on stderr about fonts it can read anyway (a missing FontBBox): not the user's concern, and
# a message of fenjie's is one line.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


def read_pdf(data: bytes, name: str = "") -> Extracted:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise TooLarge(f"{len(pdf.pages)} pages, far more than any notice", name)
            pages = [read_page(page) for page in pdf.pages]
            images = any(page.images for page in pdf.pages)
    except FenjieError:
        raise
    except Exception as error:  # noqa: BLE001 - pdfminer raises many types on damaged input
        cause = error.args[0] if error.args and isinstance(error.args[0], Exception) else error
        if isinstance(cause, PDFPasswordIncorrect):
            raise Encrypted("a password-protected PDF", name) from None
        raise Corrupt(f"the PDF is damaged and cannot be read ({type(cause).__name__})", name) from None
    glyphs = [glyph for page in pages for glyph in page.glyphs if glyph.text.strip()]
    if sum(glyph.text.startswith("(cid:") for glyph in glyphs) > len(glyphs) / 2:
        raise Scanned("the PDF's text cannot be read: its fonts do not map their glyphs to characters", name)
    return read_pages(pages, "pdf", name, images)


def read_page(page) -> Page:
    """A pdfplumber page as glyphs and ruling segments (lines, and the edges of rectangles and curves)."""
    glyphs = [Glyph(c["text"], c["x0"], c["x1"], c["top"], c["bottom"], c["size"]) for c in page.chars]
    horizontals, verticals = [], []
    for edge in page.edges:
        if edge["orientation"] == "h":
            horizontals.append(Rule(edge["top"], edge["x0"], edge["x1"]))
        else:
            verticals.append(Rule(edge["x0"], edge["top"], edge["bottom"]))
    return Page(float(page.width), float(page.height), glyphs, horizontals, verticals)
