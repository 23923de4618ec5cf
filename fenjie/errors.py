"""Every failure a user can cause, as one exception type with a stable code.

The CLI prints `str(error)` as one line and exits 1; a batch records `code` and the message.
"""

from __future__ import annotations

import errno
from pathlib import Path

from fenjie.extract.formats import SUPPORTED as SUFFIXES  # the format table only: no reader is imported

SUPPORTED = ", ".join(SUFFIXES)


class FenjieError(Exception):
    """A file could not be converted. `code` is stable and machine-readable."""

    code = "error"
    hint = ""

    def __init__(self, problem: str, path: str | Path | None = None):
        self.problem = problem
        self.path = str(path) if path is not None else None
        super().__init__(problem)

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}{self.problem}{hint}"


class NotANotice(FenjieError):
    code = "not-a-notice"
    hint = f"fenjie reads task-breakdown notices as {SUPPORTED}"


class NoTable(FenjieError):
    code = "no-table"
    hint = "the notice needs a task table with a 具体要求 column and a unit or deadline column"


class UnknownHeader(FenjieError):
    code = "unknown-header"
    hint = "add the header words to a --rules file under [roles]"


class Encrypted(FenjieError):
    code = "encrypted"
    hint = "remove the password in Word, Excel, WPS or the PDF reader and try again"


class Corrupt(FenjieError):
    code = "corrupt"


class Scanned(FenjieError):
    code = "scanned"
    hint = "the pages are images; run OCR on it (e.g. ocrmypdf) or get the notice as .docx, and try again"


class Unsafe(FenjieError):
    code = "unsafe"
    hint = "a file crafted to attack XML parsers is not read"


class TooLarge(FenjieError):
    code = "too-large"


class UnsupportedFormat(FenjieError):
    code = "unsupported-format"
    hint = f"supported: {SUPPORTED}"


class ConverterMissing(FenjieError):
    code = "converter-missing"
    hint = "install LibreOffice (apt-get install libreoffice-writer libreoffice-calc) so that `soffice` is on PATH"


class ConverterFailed(FenjieError):
    code = "converter-failed"


class TemplateError(FenjieError):
    code = "bad-template"
    hint = "see README, Templates, for the tags a letter template can use"


class BadRules(FenjieError):
    code = "bad-rules"
    hint = "see fenjie/data/rules.toml for the keys a --rules file can extend"


class BadData(FenjieError):
    code = "bad-data"
    hint = "a data file of fenjie was edited: put back the key as the file shipped it"


class BadUnits(FenjieError):
    code = "bad-units"
    hint = "see README, Unit directory, for the format"


class Vanished(FenjieError):
    code = "vanished"


class DiskFull(FenjieError):
    code = "disk-full"
    hint = "free some space and run again; earlier outputs were left as they were"


class WriteFailed(FenjieError):
    code = "write-failed"
    hint = "check that the --out folder can be written to; earlier outputs were left as they were"


def write_error(error: OSError, name: str | Path, where: str | Path) -> FenjieError:
    """The outputs of NAME could not be written to WHERE: a full disk (or quota) is told apart from the rest."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFull(f"no space left on the disk for {where}", name)
    return WriteFailed(f"cannot write {where}: {error.strerror or error}", name)
