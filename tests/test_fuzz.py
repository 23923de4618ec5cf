"""Mutated notices (rows dropped or repeated, random merges, random bytes) convert cleanly, with
every table text in the output or a warning, or fail with a `FenjieError`: never another
exception, never a hang. Fixed seed and a bounded number of examples, so CI stays fast."""

from __future__ import annotations

import copy
import io
import zipfile
from datetime import timedelta

from conftest import SEED_DOCX, SEED_TXT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from test_formats import tab_text

from fenjie.errors import FenjieError
from fenjie.extract.docx import read_docx
from fenjie.normalize.conserve import lost_texts
from fenjie.normalize.document import task_table
from fenjie.normalize.rows import table_rows
from fenjie.pipeline import READERS, convert_bytes, detect
from fenjie.rules import load

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FUZZ = settings(max_examples=40, derandomize=True, deadline=timedelta(seconds=5), database=None,
                suppress_health_check=[HealthCheck.too_slow])

with zipfile.ZipFile(SEED_DOCX) as _seed:
    SEED_PARTS = {info.filename: _seed.read(info) for info in _seed.infolist()}
SEED_TREE = etree.fromstring(SEED_PARTS["word/document.xml"])


TEXT_EXPORTS = [SEED_TXT.read_text(encoding="utf-8").encode("utf-8").split(b"\n"),
                tab_text(read_docx(SEED_DOCX.read_bytes(), "")).encode("utf-8").split(b"\n")]

# (operation, where, bytes): where is taken modulo the number of lines or rows.
EDITS = st.lists(st.tuples(st.sampled_from(["drop", "repeat", "swap", "bytes", "merge", "span", "cut"]),
                           st.integers(min_value=0, max_value=10**6), st.binary(max_size=6)), max_size=6)


def assert_clean_or_refused(data: bytes, name: str) -> None:
    """Either a FenjieError, or a document in which every task table text shows up somewhere."""
    try:
        document = convert_bytes(data, name)
    except FenjieError as error:
        assert error.code and str(error).startswith(name) and "\n" not in str(error)
        return
    fmt = detect(data, name)
    extracted = READERS[fmt](data, name)
    grid, header = task_table(extracted, load(), name)
    header_rows = table_rows(grid, header, document.notice.year, load()).header_rows
    assert lost_texts(grid, header_rows, document, load()) == []
    assert [row.id for row in document.rows] == list(dict.fromkeys(row.id for row in document.rows))


def edit_lines(lines: list[bytes], edits) -> bytes:
    lines = list(lines)
    for operation, where, noise in edits:
        at = where % len(lines)
        if operation == "drop" and len(lines) > 1:
            del lines[at]
        elif operation == "repeat":
            lines.insert(at, lines[at])
        elif operation == "swap":
            other = (where // len(lines)) % len(lines)
            lines[at], lines[other] = lines[other], lines[at]
        elif operation in ("bytes", "cut"):
            cut = (where // len(lines)) % (len(lines[at]) + 1)
            lines[at] = lines[at][:cut] + (noise if operation == "bytes" else b"\t") + lines[at][cut:]
        else:  # merge: two lines become one
            if at + 1 < len(lines):
                lines[at:at + 2] = [lines[at] + lines[at + 1]]
    return b"\n".join(lines)


@FUZZ
@given(export=st.sampled_from([0, 1]), edits=EDITS)
def test_mutated_text_exports(export, edits):
    assert_clean_or_refused(edit_lines(TEXT_EXPORTS[export], edits), "mutated.txt")


def edit_table(root: etree._Element, edits) -> bytes:
    """document.xml with rows dropped or repeated, cells merged or spanned, and raw bytes put in."""
    rows = root.findall(f".//{W}tbl/{W}tr")
    noise_at: list[tuple[int, bytes]] = []
    for operation, where, noise in edits:
        tr = rows[where % len(rows)]
        cells = tr.findall(f"{W}tc")
        tc = cells[(where // len(rows)) % len(cells)] if cells else None
        if operation == "drop" and tr.getparent() is not None:
            tr.getparent().remove(tr)
        elif operation == "repeat" and tr.getparent() is not None:
            tr.addnext(copy.deepcopy(tr))
        elif operation in ("merge", "span") and tc is not None:
            props = tc.find(f"{W}tcPr")
            if props is None:
                props = etree.SubElement(tc, f"{W}tcPr")
                tc.insert(0, props)
            if operation == "merge":
                merge = etree.SubElement(props, f"{W}vMerge")
                if where % 2:
                    merge.set(f"{W}val", "restart")
            else:
                etree.SubElement(props, f"{W}gridSpan").set(f"{W}val", str(where % 7))
        elif operation == "cut" and tc is not None:
            tr.remove(tc)
        elif operation in ("bytes", "swap"):
            noise_at.append((where, noise))
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    for where, noise in noise_at:
        at = where % len(data)
        data = data[:at] + noise + data[at + len(noise):]
    return data


def docx_with(document_xml: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, data in SEED_PARTS.items():
            archive.writestr(name, document_xml if name == "word/document.xml" else data)
    return out.getvalue()


@FUZZ
@given(edits=EDITS)
def test_mutated_document_xml(edits):
    assert_clean_or_refused(docx_with(edit_table(copy.deepcopy(SEED_TREE), edits)), "mutated.docx")


@FUZZ
@given(data=st.binary(max_size=2048), head=st.sampled_from([b"", b"PK\x03\x04", b"<html><table>",
                                                             b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]))
def test_random_bytes(head, data):
    assert_clean_or_refused(head + data, "random.bin")
