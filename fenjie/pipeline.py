"""One file in, one `Document` out: read the file, detect its format, extract it, normalize it.

The formats and their readers are `fenjie.extract.formats.FORMATS`; detection and the readers are re-exported here.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fenjie.errors import Corrupt, NotANotice, TooLarge, UnsupportedFormat, Vanished
from fenjie.extract import SUPPORTED as SUPPORTED  # the file names a folder scan (`fenjie batch`) picks up
from fenjie.extract.detect import OFFICE_TARGETS as OFFICE_TARGETS
from fenjie.extract.detect import READERS as READERS
from fenjie.extract.detect import ZIP_SUFFIXES as ZIP_SUFFIXES
from fenjie.extract.detect import detect as detect
from fenjie.extract.detect import extract
from fenjie.extract.detect import zip_format as zip_format
from fenjie.extract.grid import Extracted
from fenjie.files import NotRegular, open_regular
from fenjie.model import Document, Source
from fenjie.normalize import normalize
from fenjie.normalize.directory import load_directory
from fenjie.rules import load

MAX_INPUT = 256 * 1024 * 1024


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
        with _no_cycle_collection():
            extracted = extract(data, name, fmt)
            return normalize(extracted, source, vocabulary, name, directory), extracted
    except RecursionError:
        raise Corrupt("the document nests too deeply to read", name) from None


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Reading makes objects by the hundred thousand and no reference cycles: the cycle collector, which would
    walk every object of the process again and again to find none, waits until the document is read (a
    seventh of the time of the seed, of a notice of 20,000 rows)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def batch(paths, out: str | Path, **options) -> list[dict]:
    """Convert an archive into OUT, incrementally: the manifest entries, one per input.

    The options are those of `fenjie.batch.run` (settings, workers, force, executor).
    """
    from fenjie.batch import run

    return run(paths, out, **options)
