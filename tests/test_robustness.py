"""Hostile and broken inputs, generated here: each ends in its documented error code, exit 1, one
line on stderr, no traceback, within 5 s. Nothing is fetched and nothing is expanded first."""

from __future__ import annotations

import contextlib
import io
import struct
import time
import zipfile

import openpyxl
import pytest
from conftest import SEED_DOCX, run_cli

from fenjie.errors import FenjieError, Unsafe
from fenjie.extract.container import MAX_ENTRIES, MAX_TOTAL
from fenjie.pipeline import convert_bytes

ENTITY_BOMB = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
               + b"".join(b'<!ENTITY lol%d "%s">' % (n, b"".join([b"&lol%d;" % (n - 1) if n > 1 else b"&lol;"] * 10))
                          for n in range(1, 10))
               + b"]>\n")


def replaced_part(source: bytes, part: str, edit) -> bytes:
    """The zip `source` with `part` replaced by edit(old bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as original, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in original.infolist():
            data = original.read(info)
            copy.writestr(info, edit(data) if info.filename == part else data)
    return out.getvalue()


def with_entity_bomb(xml: bytes) -> bytes:
    body = xml[xml.index(b"?>") + 2:] if xml.startswith(b"<?xml") else xml
    return ENTITY_BOMB + body.replace(b"<w:t>", b"<w:t>&lol9;", 1)


def in_utf16(xml: bytes) -> bytes:
    """The part in UTF-16LE without a byte order mark, which XML parsers recognize from `<` and NUL."""
    return xml.replace(b'encoding="UTF-8"', b'encoding="UTF-16"').decode("utf-8").encode("utf-16-le")


def small_workbook(rows: list[list[str]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bomb() -> bytes:
    """A .docx whose directory says a part expands to 4 GB (the real data is 16 MB of zeros)."""
    out = io.BytesIO(SEED_DOCX.read_bytes())
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/zeros.bin", bytes(16 * 2**20))
    data = bytearray(out.getvalue())
    central = data.rindex(b"PK\x01\x02")  # the last entry's central directory record
    struct.pack_into("<I", data, central + 24, 0xFFFF0000)  # its uncompressed size
    return bytes(data)


def with_wide_span(xml: bytes) -> bytes:
    """A cell of the seed table claiming 30 million grid columns: a few bytes, a grid beyond memory."""
    return xml.replace(b"<w:tcPr>", b'<w:tcPr><w:gridSpan w:val="30000000"/>', 1)


def many_parts() -> bytes:
    return zipped({"word/document.xml": b"<w:document/>"} | {f"customXml/item{n}.xml": b"" for n in range(MAX_ENTRIES)})


def zipped(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def encrypted(plain: bytes) -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(plain)).encrypt("secret", out)
    return out.getvalue()


PAGE_WITHOUT_TABLE = ("<html><head><meta charset='utf-8'><title>关于开展检查的通知</title></head><body>"
                      "<div class='nav'><a href='/'>首页</a></div><div id='zoom'><p>各单位：</p>"
                      "<p>请于12月底前完成检查。</p></div></body></html>").encode()

BAD_INPUTS = {
    # name: (bytes, error code)
    "truncated.docx": (lambda: SEED_DOCX.read_bytes()[:20000], "corrupt"),
    "bomb.docx": (zip_bomb, "too-large"),
    "many-parts.docx": (many_parts, "too-large"),
    "entities.docx": (lambda: replaced_part(SEED_DOCX.read_bytes(), "word/document.xml", with_entity_bomb),
                      "unsafe"),
    "entities.xlsx": (lambda: replaced_part(small_workbook([["具体要求", "牵头单位"]]), "xl/worksheets/sheet1.xml",
                                            with_entity_bomb), "unsafe"),
    "entities.html": (lambda: b"<!DOCTYPE html [" + ENTITY_BOMB[ENTITY_BOMB.index(b"<!ENTITY"):] + b"<p>&lol9;</p>",
                      "unsafe"),
    "entities-utf16.xlsx": (lambda: replaced_part(small_workbook([["具体要求", "牵头单位"]]),
                                                  "xl/worksheets/sheet1.xml",
                                                  lambda xml: in_utf16(with_entity_bomb(xml))), "unsafe"),
    "entities-utf16.html": (lambda: ("<!DOCTYPE html [" + ENTITY_BOMB[ENTITY_BOMB.index(b"<!ENTITY"):].decode()
                                     + "<p>&lol9;</p>").encode("utf-16"), "unsafe"),
    "odd-utf16.html": (lambda: "<html><body><table><tr><td>具体要求</td></tr></table>".encode("utf-16") + b"\x00",
                       "corrupt"),
    "wide-span.docx": (lambda: replaced_part(SEED_DOCX.read_bytes(), "word/document.xml", with_wide_span),
                       "too-large"),
    "wide.txt": (lambda: "具体要求\t牵头单位\n做好公开\t市财政局\n".encode() + b"\t" * 1_000_000, "too-large"),
    "locked.docx": (lambda: encrypted(SEED_DOCX.read_bytes()), "encrypted"),
    "locked.xlsx": (lambda: encrypted(small_workbook([["具体要求", "牵头单位"], ["做好公开", "市财政局"]])),
                    "encrypted"),
    "garbage.txt": (lambda: bytes(range(256)) * 64, "not-a-notice"),
    "no-table.html": (lambda: PAGE_WITHOUT_TABLE, "no-table"),
    "no-header.xlsx": (lambda: small_workbook([["甲", "乙", "丙"], ["1", "2", "3"], ["4", "5", "6"]]),
                       "unknown-header"),
    "photos.docx": (lambda: zipped({"a.jpg": b"\xff\xd8", "readme.txt": b"hello"}), "not-a-notice"),
    "no-pages.pdf": (lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n", "corrupt"),
    "empty.doc": (lambda: b"", "not-a-notice"),
}


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_bad_input_fails_with_its_code(name, tmp_path):
    make, code = BAD_INPUTS[name]
    path = tmp_path / name
    path.write_bytes(make())
    started = time.monotonic()
    result = run_cli("convert", path, "--out", tmp_path / "out")
    assert time.monotonic() - started < 5
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert lines[0].startswith(f"error: {path}: ") and lines[0].endswith(f"[{code}]"), lines[0]
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.json"))


def test_declared_sizes_are_checked_before_expanding():
    started = time.monotonic()
    with pytest.raises(FenjieError, match="zip bomb") as error:
        convert_bytes(zip_bomb(), "bomb.docx")
    assert error.value.code == "too-large" and time.monotonic() - started < 2
    assert MAX_TOTAL < 0xFFFF0000


def test_an_external_entity_is_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    page = f'<!DOCTYPE html [<!ENTITY x SYSTEM "file://{secret}">]><table><tr><td>&x;</td></tr></table>'
    with pytest.raises(Unsafe):
        convert_bytes(page.encode(), "xxe.html")
    # Without a declaration the reference stays what it is: text, never the file.
    page = f'<html><body><img src="file://{secret}"><iframe src="http://127.0.0.1:9/"></iframe></body></html>'
    with pytest.raises(FenjieError) as error:
        convert_bytes(page.encode(), "refs.html")
    assert error.value.code == "no-table" and "top secret" not in str(error.value)


def test_a_table_too_wide_to_be_a_notice_is_refused():
    page = "<table>" + "<tr><td colspan=1000>x</td><td colspan=1000>y</td></tr>" * 600 + "</table>"
    with pytest.raises(FenjieError) as error:
        convert_bytes(page.encode(), "wide.html")
    assert error.value.code == "too-large"



def test_a_file_that_grows_past_its_size_is_read_no_further_than_the_limit(tmp_path, monkeypatch):
    from fenjie import files, pipeline

    monkeypatch.setattr(pipeline, "MAX_INPUT", 4096)
    grown = tmp_path / "grown.docx"
    grown.write_bytes(bytes(10_000))
    real_open = files.open_regular

    @contextlib.contextmanager
    def stale_size(path):  # the size seen when it was opened, and the file grew since
        with real_open(path) as (file, _size):
            yield file, 0

    monkeypatch.setattr(pipeline, "open_regular", stale_size)
    with pytest.raises(FenjieError) as error:
        pipeline.convert(grown)
    assert error.value.code == "too-large"


def test_every_reader_is_named_in_the_supported_suffixes():
    from fenjie.errors import SUPPORTED as message
    from fenjie.pipeline import READERS, SUPPORTED

    assert {f".{fmt}" for fmt in READERS} <= set(SUPPORTED)
    assert all(suffix in message for suffix in SUPPORTED)


def test_a_long_html_table_is_read_in_linear_time():
    from fenjie.extract.webpage import read_html

    rows = "".join(f"<tr><td>{n}</td><td><p>任务{n}</p><p>要求</p></td><td>市财政局</td></tr>" for n in range(3000))
    page = f"<html><body><div><p>各单位：</p><table>{rows}</table></div></body></html>".encode()
    started = time.monotonic()
    grid = read_html(page, "long.html").tables[0]
    assert time.monotonic() - started < 5  # it took minutes when each cell's text re-read its whole table
    assert len(grid.rows) == 3000 and grid.rows[-1].cells[1].lines == ["任务2999", "要求"]
