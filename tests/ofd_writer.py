"""A small OFD writer (GB/T 33190, namespace http://www.ofdspec.org/2016, millimetres) for tests and the bench:
an OFD of a PDF's pages, from pdfplumber's characters and ruling lines. Not part of fenjie, which only reads OFD."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pdfplumber

OFD_NS = "http://www.ofdspec.org/2016"
MM = 25.4 / 72
RUNNING_HEADER = "某某市人民政府办公室文件"


def mm(value: float) -> str:
    return f"{value * MM:.3f}"


def ofd_from_pdf(pdf: Path | io.BytesIO, running_header: bool = False) -> bytes:
    """An OFD of the pages of PDF (GB/T 33190, in millimetres): each line of text one TextObject whose
    TextCode places its characters by DeltaX (equal steps as `g N D`), each ruling line one PathObject.
    With RUNNING_HEADER, a template page every page draws puts a header line above the text."""
    pages, template = [], None
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            objects = []
            lines: dict[float, list[dict]] = {}
            for char in page.chars:
                if char["text"].strip():
                    lines.setdefault(round(char["top"], 1), []).append(char)
            for top, chars in sorted(lines.items()):
                chars.sort(key=lambda c: c["x0"])
                steps = [b["x0"] - a["x0"] for a, b in zip(chars, chars[1:], strict=False)]
                equal = steps and max(steps) - min(steps) < 0.01
                delta = f"g {len(steps)} {mm(steps[0])}" if equal else " ".join(mm(step) for step in steps)
                size, left, width = chars[0]["size"], chars[0]["x0"], chars[-1]["x1"] - chars[0]["x0"]
                objects.append(
                    f'<ofd:TextObject ID="0" Boundary="{mm(left)} {mm(top)} {mm(width)} {mm(size)}" Font="1"'
                    f' Size="{mm(size)}"><ofd:TextCode X="0" Y="{mm(0.88 * size)}"'
                    f' DeltaX="{delta}">{escape("".join(c["text"] for c in chars))}</ofd:TextCode></ofd:TextObject>')
            for edge in page.edges:
                width, height = edge["x1"] - edge["x0"], edge["bottom"] - edge["top"]
                objects.append(
                    f'<ofd:PathObject ID="0" Boundary="{mm(edge["x0"])} {mm(edge["top"])} {mm(width)} {mm(height)}"'
                    f' LineWidth="0.18"><ofd:AbbreviatedData>M 0 0 L {mm(width)} {mm(height)}'
                    f'</ofd:AbbreviatedData></ofd:PathObject>')
            pages.append((page.width, page.height, objects))
    if running_header:
        width = pages[0][0]
        template = page_xml(width, pages[0][1], [
            f'<ofd:TextObject ID="0" Boundary="{mm(72)} {mm(30)} {mm(width - 144)} {mm(12)}" Font="1"'
            f' Size="{mm(10.5)}">'
            f'<ofd:TextCode X="0" Y="{mm(9.24)}" DeltaX="g {len(RUNNING_HEADER) - 1} {mm(10.5)}">{RUNNING_HEADER}'
            '</ofd:TextCode></ofd:TextObject>'], "")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("OFD.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{OFD_NS}" Version="1.1"'
                                    ' DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>fenjie-test</ofd:DocID>'
                                    '</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>')
        template_page = '<ofd:TemplatePage ID="2" BaseLoc="Tpls/Tpl_0/Content.xml"/>' if template else ""
        listed = "".join(f'<ofd:Page ID="{10 + n}" BaseLoc="Pages/Page_{n}/Content.xml"/>' for n in range(len(pages)))
        archive.writestr("Doc_0/Document.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document'
                         f' xmlns:ofd="{OFD_NS}">'
                         f'<ofd:CommonData><ofd:MaxUnitID>{10 + len(pages)}</ofd:MaxUnitID><ofd:PageArea>'
                         f'<ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>'
                         f'<ofd:PublicRes>PublicRes.xml</ofd:PublicRes>{template_page}</ofd:CommonData>'
                         f'<ofd:Pages>{listed}</ofd:Pages></ofd:Document>')
        archive.writestr("Doc_0/PublicRes.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{OFD_NS}"'
                         ' BaseLoc="Res"><ofd:Fonts><ofd:Font ID="1" FontName="宋体" FamilyName="宋体"/></ofd:Fonts>'
                         '</ofd:Res>')
        if template:
            archive.writestr("Doc_0/Tpls/Tpl_0/Content.xml", template)
        for n, (width, height, objects) in enumerate(pages):
            use = '<ofd:Template TemplateID="2" ZOrder="Background"/>' if template else ""
            archive.writestr(f"Doc_0/Pages/Page_{n}/Content.xml", page_xml(width, height, objects, use))
    return out.getvalue()


def page_xml(width: float, height: float, objects: list[str], template: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Area><ofd:PhysicalBox>0 0 '
            f'{mm(width)} {mm(height)}</ofd:PhysicalBox></ofd:Area>{template}<ofd:Content><ofd:Layer ID="1">'
            f'{"".join(objects)}</ofd:Layer></ofd:Content></ofd:Page>')
