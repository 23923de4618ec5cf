"""An archive of generated notices for the batch benchmark: the seed with varied years, units and row counts.

Half are .docx (document.xml edited with lxml), half text exports. The variation is drawn from the
seed itself (its own unit names, shuffled), so no vocabulary is invented here.
"""

from __future__ import annotations

import random
import re
import zipfile
from pathlib import Path

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SEED_YEAR = "2024"


def make_archive(folder: Path, seed_docx: Path, seed_txt: Path, count: int = 500) -> list[Path]:
    """COUNT notices under FOLDER/<year>/, alternating .docx and .txt; the same files for the same COUNT."""
    from fenjie.pipeline import convert

    units = [unit.name for unit in convert(seed_docx).units]
    docx_parts = _parts(seed_docx)
    text = seed_txt.read_text("utf-8")
    made = []
    for i in range(count):
        draw = random.Random(i)
        year = str(2015 + i % 11)
        rename = _unit_swaps(units, draw)
        target = folder / year / f"notice-{i:03}{'.docx' if i % 2 == 0 else '.txt'}"
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.suffix == ".docx":
            _write_docx(target, docx_parts, lambda t, year=year, rename=rename: _vary(t, year, rename),
                        keep=draw.randint(10, 80))
        else:
            target.write_text(_truncate_text(_vary(text, year, rename), keep=draw.randint(10, 80)), "utf-8")
        made.append(target)
    return made


def _unit_swaps(units: list[str], draw: random.Random) -> dict[str, str]:
    """A few pairs of the seed's units trade places."""
    chosen = draw.sample(units, k=min(12, len(units) // 2 * 2))
    pairs = list(zip(chosen[::2], chosen[1::2], strict=True))
    return {a: b for x, y in pairs for a, b in ((x, y), (y, x))}


def _vary(text: str, year: str, rename: dict[str, str]) -> str:
    text = text.replace(SEED_YEAR, year)
    if not rename:
        return text
    names = re.compile("|".join(map(re.escape, sorted(rename, key=len, reverse=True))))
    return names.sub(lambda m: rename[m.group()], text)


def _parts(docx: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(docx) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _write_docx(target: Path, parts: dict[str, bytes], vary, keep: int) -> None:
    root = etree.fromstring(parts["word/document.xml"])
    for paragraph in root.iter(W + "p"):
        _vary_paragraph(paragraph, vary)
    table = max(root.iter(W + "tbl"), key=lambda t: len(t.findall(W + "tr")))
    for row in table.findall(W + "tr")[keep + 1:]:  # the header row and KEEP rows stay
        table.remove(row)
    document = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, document if name == "word/document.xml" else data)


def _vary_paragraph(paragraph, vary) -> None:
    """Word splits words over runs: the paragraph's text goes into its first w:t, varied as a whole.

    A paragraph with line breaks keeps its runs (joining them would join its lines) and is varied run by run.
    """
    texts = paragraph.findall(f".//{W}t")
    if not texts:
        return
    if paragraph.find(f".//{W}br") is not None or paragraph.find(f".//{W}cr") is not None:
        for t in texts:
            t.text = vary(t.text or "")
        return
    texts[0].text = vary("".join(t.text or "" for t in texts))
    for t in texts[1:]:
        t.text = ""


def _truncate_text(text: str, keep: int) -> str:
    """The text export with its table cut after KEEP rows (rows are blocks between empty lines)."""
    start = text.index("\n\t")
    blocks = text[start:].split("\n\n")
    return text[:start] + "\n\n".join(blocks[: keep + 1]) + "\n"
