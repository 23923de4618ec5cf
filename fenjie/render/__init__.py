"""Writers: each turns a `Document` into files in an output folder and knows nothing of the source."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from pathlib import Path

from fenjie.errors import write_error
from fenjie.model import Document
from fenjie.render.atomic import staged_folder

# Output name -> module with `write(document, folder, **options) -> list[Path]`; imported on use,
# so that `--only json` never pays for openpyxl or python-docx.
WRITERS: dict[str, str] = {"json": "fenjie.render.json", "xlsx": "fenjie.render.excel", "letters": "fenjie.render.word",
                           "ledgers": "fenjie.ledger.write"}


def writer(name: str) -> Callable[..., list[Path]]:
    return import_module(WRITERS[name]).write


def write_all(document: Document, folder: Path, only: list[str] | None = None, **options) -> list[Path]:
    written: list[Path] = []
    for name in only or list(WRITERS):
        written += writer(name)(document, folder, **options)
    return written


def write_folder(document: Document, folder: Path, name: str, only: list[str] | None = None, **options) -> None:
    """Every output of DOCUMENT (read from the file NAME) as FOLDER, all or nothing: written into a
    staging folder next to it and put in its place whole, so that a failure (a bad template, a full disk)
    leaves FOLDER as it was. FOLDER then holds exactly the outputs of this run."""
    try:
        with staged_folder(folder) as staging:
            write_all(document, staging, only=only, **options)
    except OSError as error:
        raise write_error(error, name, folder) from None
