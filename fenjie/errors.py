"""Every failure a user can cause, as one exception type with a stable code.

The CLI prints `str(error)` as one line and exits 1; a batch records `code` and the message.
"""

from __future__ import annotations

from pathlib import Path


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
    hint = "fenjie reads .docx and text exports of task-breakdown notices"


class NoTable(FenjieError):
    code = "no-table"
    hint = "the notice needs a task table with a 具体要求 column and a unit or deadline column"


class UnknownHeader(FenjieError):
    code = "unknown-header"
    hint = "add the header words to a --rules file under [roles]"


class Encrypted(FenjieError):
    code = "encrypted"
    hint = "remove the password in Word or WPS and try again"


class Corrupt(FenjieError):
    code = "corrupt"


class Unsafe(FenjieError):
    code = "unsafe"


class TooLarge(FenjieError):
    code = "too-large"


class UnsupportedFormat(FenjieError):
    code = "unsupported-format"
    hint = "supported: .docx, .txt"


class ConverterMissing(FenjieError):
    code = "converter-missing"
    hint = "install LibreOffice (apt-get install libreoffice-writer) so that `soffice` is on PATH"


class ConverterFailed(FenjieError):
    code = "converter-failed"
