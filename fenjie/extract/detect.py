"""Which format a file is, from its bytes (the name only breaks ties), and its reader: both from `FORMATS`."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from pathlib import Path

from fenjie.errors import Corrupt, NotANotice, UnsupportedFormat
from fenjie.extract.container import main_part, ole_format, open_zip, read_part
from fenjie.extract.formats import BY_NAME, FORMATS
from fenjie.extract.grid import Extracted

ZIP = b"PK\x03\x04"
EMPTY_ZIP = b"PK\x05\x06"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HTML_START = re.compile(rb"<(?:!doctype\s+html|html|head|body|meta|title|table|div|p)[\s>/]", re.I)

MAIN_TYPES = {kind: fmt.name for fmt in FORMATS for kind in fmt.main_types}
ZIP_PARTS = {part: fmt.name for fmt in FORMATS for part in fmt.parts}
ODF_MIMETYPES = {fmt.mimetype: fmt.name for fmt in FORMATS if fmt.mimetype}
MAGIC = sorted((fmt for fmt in FORMATS if fmt.magic), key=lambda fmt: fmt.within)
# The Office documents that are zip packages: named so but not a zip, they are corrupt rather than text.
ZIP_SUFFIXES = tuple(suffix for fmt in FORMATS if fmt.main_types or fmt.mimetype for suffix in fmt.suffixes)
# What LibreOffice turns a format into, for the .docx or .xlsx reader.
OFFICE_TARGETS = {fmt.name: fmt.office for fmt in FORMATS if fmt.office}


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
    # Then the magic bytes, a header at the start before one anywhere in the head (a PDF reader looks for
    # its header in the first kilobyte).
    for fmt in MAGIC:
        if fmt.magic in data[:fmt.within] if fmt.within else data.startswith(fmt.magic):
            return fmt.name
    if is_html(data):
        return "html"
    return "txt"


def zip_format(data: bytes, name: str) -> str:
    """docx, xlsx, ofd, odt or ods from the parts a zip holds."""
    archive = open_zip(data, name)
    main = main_part(archive, name)  # the part _rels/.rels names, whatever its name
    if main is not None and MAIN_TYPES.get(main[1]):
        return MAIN_TYPES[main[1]]
    parts = set(archive.namelist())
    for part, fmt in ZIP_PARTS.items():
        if part in parts:
            return fmt
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


Reader = Callable[[bytes, str], Extracted]


def _reader(spec: str) -> Reader:
    """The reader "module:function" names, its module imported on the first call only."""
    module, function = spec.split(":")

    def read(data: bytes, name: str) -> Extracted:
        return getattr(importlib.import_module(f"fenjie.extract.{module}"), function)(data, name)

    return read


def _via_office(fmt: str, target: str) -> Reader:
    """A reader that has LibreOffice convert `fmt` to `target` (.docx or .xlsx) and reads the result."""
    def read(data: bytes, name: str) -> Extracted:
        from fenjie.extract.office import convert_with_office

        return READERS[target](convert_with_office(data, fmt, target, name), name)

    return read


_txt = _reader(BY_NAME["txt"].reader)


def _read_txt(data: bytes, name: str) -> Extracted:
    try:
        return _txt(data, name)
    except NotANotice:
        # Neither a zip nor text: for a file named as an Office document, say what is wrong with it.
        suffix = Path(name).suffix.lower()
        if suffix in ZIP_SUFFIXES:
            raise Corrupt(f"not a valid {suffix} file (it is not a zip container, nor text)", name) from None
        raise


# Each reader gets the file's bytes and its name for messages.
READERS: dict[str, Reader] = {
    fmt.name: _via_office(fmt.name, fmt.office) if fmt.office else _reader(fmt.reader) for fmt in FORMATS
}
READERS["txt"] = _read_txt


def extract(data: bytes, name: str, fmt: str | None = None) -> Extracted:
    """What the reader of FMT (detected when not given) sees in the file."""
    return READERS[fmt or detect(data, name)](data, name)
