"""One file in, one `Document` out: detect the format, read it, normalize it."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

from fenjie.errors import Corrupt, NotANotice, TooLarge, UnsupportedFormat, Vanished
from fenjie.extract import SUPPORTED as SUPPORTED  # the file names a folder scan (`fenjie batch`) picks up
from fenjie.extract.container import main_part, ole_format, open_zip, read_part
from fenjie.extract.grid import Extracted
from fenjie.files import NotRegular, open_regular
from fenjie.model import Document, Source
from fenjie.normalize import normalize
from fenjie.normalize.directory import load_directory
from fenjie.rules import load

MAX_INPUT = 256 * 1024 * 1024

ZIP = b"PK\x03\x04"
EMPTY_ZIP = b"PK\x05\x06"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HTML_START = re.compile(rb"<(?:!doctype\s+html|html|head|body|meta|title|table|div|p)[\s>/]", re.I)
ODF_MIMETYPES = {"application/vnd.oasis.opendocument.text": "odt",
                 "application/vnd.oasis.opendocument.spreadsheet": "ods"}
# The content types of a package's main part, Strict or Transitional (.docm, .dotx and .xlsm are read alike).
MAIN_TYPES = {
    f"application/vnd.{kind}.main+xml": fmt for fmt, kinds in {
        "docx": ("openxmlformats-officedocument.wordprocessingml.document",
                 "openxmlformats-officedocument.wordprocessingml.template",
                 "ms-word.document.macroEnabled", "ms-word.template.macroEnabledTemplate"),
        "xlsx": ("openxmlformats-officedocument.spreadsheetml.sheet",
                 "openxmlformats-officedocument.spreadsheetml.template",
                 "ms-excel.sheet.macroEnabled", "ms-excel.template.macroEnabled"),
    }.items() for kind in kinds
}
# What LibreOffice turns each format into, for the .docx or .xlsx reader.
ZIP_SUFFIXES = (".docx", ".xlsx", ".odt", ".ods")
OFFICE_TARGETS = {"doc": "docx", "wps": "docx", "rtf": "docx", "odt": "docx",
                  "xls": "xlsx", "et": "xlsx", "ods": "xlsx"}


def detect(data: bytes, name: str) -> str:
    """The format of a file from its bytes; the extension only breaks ties (.doc or .wps)."""
    if not data.strip():
        raise NotANotice("the file is empty", name)
    if data.startswith(ZIP):
        return zip_format(data, name)
    if data.startswith(EMPTY_ZIP):
        raise NotANotice("an empty zip archive", name)
    if data.startswith(OLE):
        fmt = ole_format(data, name)
        if not fmt:
            raise UnsupportedFormat("an OLE file that is neither a Word nor an Excel document", name)
        return fmt
    if data[:5] == b"{\\rtf":
        return "rtf"
    if b"%PDF-" in data[:1024]:  # a PDF reader looks for its header in the first kilobyte
        return "pdf"
    if is_html(data):
        return "html"
    return "txt"


def zip_format(data: bytes, name: str) -> str:
    """docx, xlsx, odt or ods from the parts a zip holds."""
    archive = open_zip(data, name)
    main = main_part(archive, name)  # the part _rels/.rels names, whatever its name
    if main is not None and MAIN_TYPES.get(main[1]):
        return MAIN_TYPES[main[1]]
    parts = set(archive.namelist())
    if "word/document.xml" in parts:
        return "docx"
    if "xl/workbook.xml" in parts:
        return "xlsx"
    if "OFD.xml" in parts:
        return "ofd"
    if "mimetype" in parts:
        mimetype = read_part(archive, archive.getinfo("mimetype"), name)[:100].decode("ascii", "replace").strip()
        if mimetype in ODF_MIMETYPES:
            return ODF_MIMETYPES[mimetype]
    raise NotANotice("a zip file that is neither a Word, an Excel nor an OpenDocument file", name)


def is_html(data: bytes) -> bool:
    head = data[:2048]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"<?xml"):  # XHTML
        head = head[head.find(b"?>") + 2:].lstrip()
    return head.startswith(b"<") and HTML_START.search(head) is not None


def _read_docx(data: bytes, name: str) -> Extracted:
    from fenjie.extract.docx import read_docx

    return read_docx(data, name)


def _read_txt(data: bytes, name: str) -> Extracted:
    from fenjie.extract.txt import read_txt

    try:
        return read_txt(data, name)
    except NotANotice:
        # Neither a zip nor text: for a file named as an Office document, say what is wrong with it.
        suffix = Path(name).suffix.lower()
        if suffix in ZIP_SUFFIXES:
            raise Corrupt(f"not a valid {suffix} file (it is not a zip container, nor text)", name) from None
        raise


def _read_html(data: bytes, name: str) -> Extracted:
    from fenjie.extract.html import read_html

    return read_html(data, name)


def _read_xlsx(data: bytes, name: str) -> Extracted:
    from fenjie.extract.xlsx import read_xlsx

    return read_xlsx(data, name)


def _read_pdf(data: bytes, name: str) -> Extracted:
    from fenjie.extract.pdf import read_pdf

    return read_pdf(data, name)


def _read_ofd(data: bytes, name: str) -> Extracted:
    from fenjie.extract.ofd import read_ofd

    return read_ofd(data, name)


def _via_office(fmt: str) -> Callable[[bytes, str], Extracted]:
    """A reader that has LibreOffice convert `fmt` to .docx or .xlsx and reads the result."""
    def read(data: bytes, name: str) -> Extracted:
        from fenjie.extract.office import convert_with_office

        target = OFFICE_TARGETS[fmt]
        converted = convert_with_office(data, fmt, target, name)
        return READERS[target](converted, name)

    return read


# Each reader gets the file's bytes and its name for messages.
READERS: dict[str, Callable[[bytes, str], Extracted]] = {
    "docx": _read_docx, "txt": _read_txt, "html": _read_html, "xlsx": _read_xlsx, "pdf": _read_pdf, "ofd": _read_ofd,
    **{fmt: _via_office(fmt) for fmt in OFFICE_TARGETS},
}



def convert(path: str | Path, rules: str | Path | None = None, units: str | Path | None = None) -> Document:
    """Convert one notice file. Raises `FenjieError` (with a `code`) for anything wrong with the file.

    RULES extends the shipped vocabulary; UNITS is a unit directory (aliases, groups).
    """
    path = Path(path)
    return convert_bytes(read_input(path, str(path)), str(path), rules, units)


def read_input(path: Path, name: str) -> bytes:
    """The file's bytes, never more than MAX_INPUT of them. Only a regular file is read (also through a
    symlink): a FIFO would block, a device (/dev/zero) never ends, a socket is no document."""
    try:
        with open_regular(path) as (file, size):
            if size > MAX_INPUT:
                raise TooLarge(f"{size // 2**20} MB is far beyond any notice", name)
            data = file.read(MAX_INPUT + 1)
    except NotRegular as error:
        raise UnsupportedFormat(f"{error}: only regular files are read", name) from None
    except IsADirectoryError:
        raise NotANotice("a folder, not a file", name) from None
    except FileNotFoundError:
        raise Vanished("no such file (deleted or moved?)", name) from None
    except OSError as error:
        raise NotANotice(f"cannot read the file: {error.strerror or error}", name) from None
    if len(data) > MAX_INPUT:
        raise TooLarge(f"more than {MAX_INPUT // 2**20} MB, far beyond any notice", name)
    return data


def convert_bytes(data: bytes, name: str, rules: str | Path | None = None,
                  units: str | Path | None = None) -> Document:
    """Convert the bytes of one notice file; `name` is its path, for messages and `source.name`."""
    return read_notice(data, name, rules, units)[0]


def read_notice(data: bytes, name: str, rules: str | Path | None = None,
                units: str | Path | None = None) -> tuple[Document, Extracted]:
    """The `Document` and what its reader saw (the grids a review page shows as the original table)."""
    vocabulary, directory = load(Path(rules) if rules else None), load_directory(units)
    fmt = detect(data, name)
    source = Source(name=Path(name).name, format=fmt, sha256=hashlib.sha256(data).hexdigest())
    try:
        extracted = READERS[fmt](data, name)
        return normalize(extracted, source, vocabulary, name, directory), extracted
    except RecursionError:
        raise Corrupt("the document nests too deeply to read", name) from None


def batch(paths, out: str | Path, **options) -> list[dict]:
    """Convert an archive into OUT, incrementally: the manifest entries, one per input.

    The options are those of `fenjie.batch.run` (settings, workers, force, executor).
    """
    from fenjie.batch import run

    return run(paths, out, **options)
