"""One file in, one `Document` out: detect the format, read it, normalize it."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from fenjie.errors import Corrupt, FenjieError, NotANotice, TooLarge, UnsupportedFormat
from fenjie.extract.grid import Extracted
from fenjie.model import Document, Source
from fenjie.normalize import normalize
from fenjie.rules import load

MAX_INPUT = 256 * 1024 * 1024

ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def detect(data: bytes, name: str) -> str:
    """The format of a file from its bytes; the extension only breaks ties."""
    if not data.strip():
        raise NotANotice("the file is empty", name)
    if data.startswith(ZIP):
        return "docx"
    if data.startswith(OLE):
        raise UnsupportedFormat("an OLE file (.doc/.xls or an encrypted Office file) cannot be read yet", name)
    if data[:5] == b"{\\rtf":
        raise UnsupportedFormat("an RTF file cannot be read yet", name)
    if data.startswith(b"%PDF"):
        raise UnsupportedFormat("a PDF has no table structure to read; export the notice as .docx", name)
    return "txt"


def _read_docx(path: Path, data: bytes, name: str) -> Extracted:
    from fenjie.extract.docx import read_docx

    return read_docx(path, name)


def _read_txt(path: Path, data: bytes, name: str) -> Extracted:
    from fenjie.extract.txt import read_txt

    return read_txt(data, name)


READERS: dict[str, Callable[[Path, bytes, str], Extracted]] = {"docx": _read_docx, "txt": _read_txt}

# File extensions of the formats READERS read: a folder scan (`fenjie batch`) picks up exactly these.
SUPPORTED: tuple[str, ...] = (".docx", ".txt")


def convert(path: str | Path, rules: str | Path | None = None) -> Document:
    """Convert one notice file. Raises `FenjieError` (with a `code`) for anything wrong with the file."""
    path = Path(path)
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_INPUT:
            raise TooLarge(f"{size // 2**20} MB is far beyond any notice", name)
        data = path.read_bytes()
    except FenjieError:
        raise
    except IsADirectoryError:
        raise NotANotice("a folder, not a file", name) from None
    except OSError as error:
        raise NotANotice(f"cannot read the file: {error.strerror or error}", name) from None
    fmt = detect(data, name)
    extracted = READERS[fmt](path, data, name)
    source = Source(name=path.name, format=fmt, sha256=hashlib.sha256(data).hexdigest())
    try:
        return normalize(extracted, source, load(Path(rules) if rules else None), name)
    except RecursionError:
        raise Corrupt("the document nests too deeply to read", name) from None
