"""Writers: each turns a `Document` into files in an output folder and knows nothing of the source."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from importlib import import_module
from pathlib import Path

from fenjie.errors import write_error
from fenjie.model import Document
from fenjie.render.atomic import staged_folder
from fenjie.render.options import JsonOptions, LedgerOptions, LetterOptions, WorkbookOptions

# Output name -> module with `write(document, folder, options) -> list[Path]`, and the writer's options;
# the module is imported on use, so that `--only json` never pays for openpyxl or python-docx.
WRITERS: dict[str, tuple[str, type]] = {
    "json": ("fenjie.render.json", JsonOptions), "xlsx": ("fenjie.render.excel", WorkbookOptions),
    "letters": ("fenjie.render.word", LetterOptions), "ledgers": ("fenjie.ledger.write", LedgerOptions)}
# Every setting some writer takes.
SETTINGS = frozenset(field.name for _, options in WRITERS.values() for field in fields(options))


def writer(name: str) -> Callable[..., list[Path]]:
    return import_module(WRITERS[name][0]).write


def options_for(name: str, **settings) -> object:
    """The options of the writer NAME from a run's settings (the command line's, a batch's, serve's): each
    writer takes the settings its options name. A setting that no writer takes is a TypeError."""
    if unknown := sorted(set(settings) - SETTINGS):
        raise TypeError(f"no writer takes the setting {', '.join(unknown)}; "
                        f"the settings are {', '.join(sorted(SETTINGS))}")
    options = WRITERS[name][1]
    return options(**{field.name: settings[field.name] for field in fields(options) if field.name in settings})


def write_all(document: Document, folder: Path, only: list[str] | None = None, **settings) -> list[Path]:
    written: list[Path] = []
    for name in only or list(WRITERS):
        written += writer(name)(document, folder, options_for(name, **settings))
    return written


def write_folder(document: Document, folder: Path, name: str, only: list[str] | None = None, **settings) -> None:
    """Every output of DOCUMENT (read from the file NAME) as FOLDER, all or nothing: written into a
    staging folder next to it and put in its place whole, so that a failure (a bad template, a full disk)
    leaves FOLDER as it was. FOLDER then holds exactly the outputs of this run."""
    try:
        with staged_folder(folder) as staging:
            write_all(document, staging, only=only, **settings)
    except OSError as error:
        raise write_error(error, name, folder) from None
