"""Collecting the ledgers units sent back into one `Progress`: every row of every unit, and every problem found.

Nothing is dropped without a problem saying so: a file that cannot be read or matched, a ledger of another
notice, a row that is not the unit's, a row it deleted, a locked cell it changed, a status outside the list,
a date that is not one, a second ledger of one unit (the newer wins), a unit that sent nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from fenjie.errors import FenjieError
from fenjie.ledger.layout import SETTLED, STATUSES, LedgerRow, given_values, ledgers_of, status_key, words
from fenjie.ledger.model import Entry, Ledger, NoticeRef, Problem, Progress, UnitProgress
from fenjie.ledger.read import WORKBOOKS, Returned, cell_date, cell_text, read_returned
from fenjie.model import Document
from fenjie.render.filenames import safe_stem
from fenjie.text import squash

CHINA = timezone(timedelta(hours=8), "CST")
_NUMBERED = re.compile(r"^\d+-")


def today_in_china() -> date:
    return datetime.now(CHINA).date()


def load_notice(path: str | Path) -> Document:
    """A notice.json written by `fenjie convert`."""
    path = Path(path)
    try:
        return Document.model_validate_json(path.read_bytes())
    except OSError as error:
        raise FenjieError(f"cannot read the notice: {error.strerror or error}", path) from None
    except ValueError as error:
        raise FenjieError(f"not a notice.json written by fenjie convert ({str(error).splitlines()[0]})",
                          path) from None


def ledger_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files given, and the workbooks in the folders given (recursively; hidden and Office lock files skipped)."""
    files = []
    for path in map(Path, paths):
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix.lower() in WORKBOOKS and p.is_file()
                            and not any(part.startswith((".", "~$")) for part in p.relative_to(path).parts))
        else:
            files.append(path)
    return files


def collect(paths: Iterable[str | Path], notice: Document | str | Path, as_of: date | None = None) -> Progress:
    """Read the returned ledgers PATHS (files or folders) against NOTICE (a Document or its notice.json)."""
    document = notice if isinstance(notice, Document) else load_notice(notice)
    as_of = as_of or today_in_china()
    expected = ledgers_of(document)
    problems: list[Problem] = []
    ledgers: list[Ledger] = []
    chosen: dict[str, tuple[Ledger, Returned]] = {}
    for path in ledger_files(paths):
        ledger, returned = _match(path, document, expected, problems)
        ledgers.append(ledger)
        if ledger.unit is None:
            continue
        earlier = chosen.get(ledger.unit)
        if earlier is not None:
            older, newer = sorted([earlier, (ledger, returned)], key=lambda pair: pair[0].modified or "")
            older[0].used = False
            problems.append(_problem("duplicate-ledger", older[0].file, ledger.unit, value=newer[0].file))
            chosen[ledger.unit] = newer
        else:
            chosen[ledger.unit] = (ledger, returned)
    entries: list[Entry] = []
    units: list[UnitProgress] = []
    for unit, rows in expected.items():
        pair = chosen.get(unit)
        if pair is None:
            problems.append(_problem("not-returned", None, unit))
            unit_entries = [_entry(e, unit, None, as_of) for e in rows]
        else:
            unit_entries = _entries(unit, rows, pair, as_of, problems)
        entries += unit_entries
        units.append(_unit_progress(unit, unit_entries, pair[0] if pair else None))
    return Progress(notice=NoticeRef(sha256=document.source.sha256, doc_number=document.notice.doc_number,
                                     title=document.notice.title),
                    as_of=as_of.isoformat(), ledgers=ledgers, entries=entries, units=units, problems=problems)


def _match(path: Path, document: Document, expected: dict[str, list[LedgerRow]],
           problems: list[Problem]) -> tuple[Ledger, Returned | None]:
    """The ledger of PATH and the unit it belongs to (None when it belongs to none, with a problem saying why)."""
    name = str(path)
    try:
        returned = read_returned(path)
    except FenjieError as error:
        problems.append(_problem("unreadable", name, value=f"{error.problem} [{error.code}]"))
        return Ledger(file=name), None
    ledger = Ledger(file=name, modified=returned.modified.isoformat() if returned.modified else None)
    identity = returned.identity
    if identity is not None and identity.notice_sha256 != document.source.sha256:
        problems.append(_problem("other-notice", name, identity.unit, value=identity.notice_sha256[:12]))
        return ledger, returned
    if not returned.has_header:
        problems.append(_problem("not-a-ledger", name))
        return ledger, returned
    if identity is not None and identity.unit in expected:
        ledger.unit, ledger.matched_by = identity.unit, "identity"
    else:
        ledger.unit = unit_by_file_name(path, list(expected))
        if ledger.unit is None:
            problems.append(_problem("unmatched", name))
            return ledger, returned
        ledger.matched_by = "file-name"
        problems.append(_problem("matched-by-name", name, ledger.unit))
    ledger.used = True
    return ledger, returned


def unit_by_file_name(path: Path, units: list[str]) -> str | None:
    """The unit a file is named after: NN-<unit>.xlsx as written, else the longest unit name in the file name."""
    stem = _NUMBERED.sub("", path.stem)
    for unit in units:
        if stem == safe_stem(unit):
            return unit
    named = [unit for unit in units if safe_stem(unit) in path.stem]
    return max(named, key=len, default=None)


def _entries(unit: str, rows: list[LedgerRow], pair: tuple[Ledger, Returned], as_of: date,
             problems: list[Problem]) -> list[Entry]:
    ledger, returned = pair
    file, report = ledger.file, problems
    by_id: dict[str, dict] = {}
    for values in returned.rows:
        by_id.setdefault(cell_text(values["id"]), values)
    mine = {e.row.id for e in rows}
    for row_id in by_id:
        if row_id not in mine:
            report.append(_problem("unknown-row", file, unit, row_id))
    entries = []
    for entry in rows:
        values = by_id.get(entry.row.id)
        if values is None:
            report.append(_problem("deleted-row", file, unit, entry.row.id))
        else:
            _check_given(entry, unit, values, file, report)
        entries.append(_entry(entry, unit, values, as_of, file, report))
    return entries


def _check_given(entry: LedgerRow, unit: str, values: dict, file: str, problems: list[Problem]) -> None:
    """A locked cell the unit changed anyway (by unprotecting the sheet): reported, the notice's value kept."""
    for key, want in given_values(entry, unit).items():
        if key not in values or key == "id":
            continue
        got = values[key]
        try:
            same = cell_date(got) == want if key == "date" else squash(cell_text(got) or "") == squash(want or "")
        except ValueError:
            same = False
        if not same:
            column = words().given[key]
            problems.append(_problem("locked-changed", file, unit, entry.row.id, column=column,
                                     value=want.isoformat() if isinstance(want, date) else want or ""))


def _entry(entry: LedgerRow, unit: str, values: dict | None, as_of: date, file: str | None = None,
           problems: list[Problem] | None = None) -> Entry:
    row = entry.row
    fields: dict = {}
    if values is not None:
        status_text = cell_text(values.get("status"))
        status = status_key(status_text) if status_text else None
        if status_text and status is None:
            problems.append(_problem("bad-status", file, unit, row.id, value=status_text))
        try:
            done = cell_date(values.get("done"))
        except ValueError:
            problems.append(_problem("bad-date", file, unit, row.id, value=cell_text(values.get("done"))))
            done = None
        fields = {key: cell_text(values.get(key)) for key in ("progress", "issues", "next_steps", "person", "phone")}
        fields.update(status=status, done_date=done.isoformat() if done else None, ledger=file)
    deadline = date.fromisoformat(row.deadline.date) if row.deadline.date else None
    overdue = deadline is not None and deadline < as_of and fields.get("status") not in SETTLED
    return Entry(row=row.id, unit=unit, role=entry.role, overdue=overdue, **fields)


def _unit_progress(unit: str, entries: list[Entry], ledger: Ledger | None) -> UnitProgress:
    counts = {status: sum(e.status == status for e in entries) for status in STATUSES}
    counts["unfilled"] = sum(e.status is None for e in entries)
    return UnitProgress(name=unit, returned=ledger is not None, counts=counts,
                        overdue=sum(e.overdue for e in entries), last_update=ledger.modified if ledger else None)


def _problem(code: str, file: str | None, unit: str | None = None, row: str | None = None, **fill) -> Problem:
    message = words().problems[code].format(row=row, unit=unit, file=file, **fill)
    return Problem(code=code, message=message, file=file, unit=unit, row=row)

