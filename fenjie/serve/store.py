"""The server's store: one SQLite database (WAL) with the uploaded files beside it.

A notice keeps its extraction as converted (`original`, never written again) and the list of changes
a person made; `current` (the corrected notice.json) and the list's summary columns are derived from
the two and rewritten in the same transaction as each change, so a killed server loses nothing it
had answered and never shows a half-applied edit.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

DATABASE = "fenjie.sqlite3"
FILES = "files"

SCHEMA = """
CREATE TABLE IF NOT EXISTS notices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created TEXT NOT NULL,
    file_name TEXT NOT NULL,              -- the client's name, for display only; the file is FILES/<id>
    original TEXT NOT NULL,               -- notice.json as converted; never updated
    grid TEXT NOT NULL,                   -- the task table as read, for the 原表 tab
    current TEXT NOT NULL,                -- notice.json with the active changes applied
    reviewed INTEGER NOT NULL DEFAULT 0,
    title TEXT, doc_number TEXT, rows INTEGER, units INTEGER, warnings INTEGER
);
CREATE TABLE IF NOT EXISTS changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    notice_id INTEGER NOT NULL REFERENCES notices(id),
    edit INTEGER NOT NULL,                -- the changes of one action share it and are undone together
    at TEXT NOT NULL,
    target TEXT NOT NULL,                 -- a row id, "notice" (metadata) or "status"
    field TEXT NOT NULL,
    old TEXT NOT NULL,                    -- JSON
    new TEXT NOT NULL,                    -- JSON
    undone_at TEXT
);
CREATE INDEX IF NOT EXISTS changes_of_notice ON changes(notice_id, id);
"""


@dataclass(frozen=True)
class Change:
    id: int
    edit: int
    at: str
    target: str
    field: str
    old: object
    new: object
    undone_at: str | None


@dataclass(frozen=True)
class Record:
    id: int
    created: str
    file_name: str
    reviewed: bool
    title: str | None
    doc_number: str | None
    rows: int
    units: int
    warnings: int


# (original notice.json, active changes in order) -> (current notice.json, reviewed)
Derive = Callable[[dict, list[Change]], tuple[dict, bool]]


class NotFound(LookupError):
    pass


class Conflict(ValueError):
    pass


def now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


class Store:
    def __init__(self, folder: Path, derive: Derive):
        self.folder = Path(folder)
        self.files = self.folder / FILES
        self.files.mkdir(parents=True, exist_ok=True)
        self.path = self.folder / DATABASE
        self.derive = derive
        self._local = threading.local()
        self._connect().executescript(SCHEMA)  # its own transaction
        self._remove_orphan_files()

    def _connect(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")  # an answered request is on disk
            db.execute("PRAGMA foreign_keys=ON")
            db.row_factory = sqlite3.Row
            self._local.db = db
        return db

    @contextmanager
    def _connection(self, write: bool = False) -> Iterator[sqlite3.Connection]:
        """One transaction; a writer takes the write lock first, so that read-modify-write is atomic."""
        db = self._connect()
        db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def _remove_orphan_files(self) -> None:
        """Files of uploads that were killed before their notice was stored."""
        with self._connection() as db:
            known = {str(r[0]) for r in db.execute("SELECT id FROM notices")}
        for file in self.files.iterdir():
            if file.name not in known:
                file.unlink(missing_ok=True)

    @contextmanager
    def upload(self) -> Iterator[Path]:
        """A temporary file for an incoming upload, in the store's folder; removed unless added."""
        path = self.files / f"upload-{secrets.token_hex(8)}"  # uploads arrive side by side in one thread
        try:
            yield path
        finally:
            path.unlink(missing_ok=True)

    def add(self, upload: Path, file_name: str, document: dict, grid: dict) -> int:
        """Store a converted notice; the upload is moved to FILES/<id> before the row is committed."""
        with self._connection(write=True) as db:
            cursor = db.execute(
                "INSERT INTO notices (created, file_name, original, grid, current) VALUES (?, ?, ?, ?, ?)",
                (now(), file_name, _dump(document), _dump(grid), _dump(document)))
            notice_id = cursor.lastrowid
            _summarize(db, notice_id, document, False)
            _fsync(upload)
            os.replace(upload, self.files / str(notice_id))
        return notice_id

    def find(self, sha256: str, file_name: str) -> int | None:
        """The newest notice converted from a file with these bytes and this name."""
        with self._connection() as db:
            row = db.execute("SELECT id FROM notices WHERE file_name = ? AND json_extract(original, '$.source.sha256') "
                             "= ? ORDER BY id DESC LIMIT 1", (file_name, sha256)).fetchone()
        return row[0] if row else None

    def list(self, notice_id: int | None = None) -> list[Record]:
        """Every notice, newest first (or only NOTICE_ID)."""
        where = "" if notice_id is None else f" WHERE id = {int(notice_id)}"
        with self._connection() as db:
            rows = db.execute("SELECT id, created, file_name, reviewed, title, doc_number, rows, units, warnings "
                              f"FROM notices{where} ORDER BY id DESC").fetchall()
        return [Record(**{**dict(r), "reviewed": bool(r["reviewed"])}) for r in rows]

    def record(self, notice_id: int) -> Record:
        return next(iter(self.list(notice_id)), None) or _missing(notice_id)

    def document(self, notice_id: int, which: str = "current") -> dict:
        """The corrected notice.json (`current`), or the extraction as converted (`original`)."""
        assert which in ("current", "original")
        return json.loads(self._column(notice_id, which))

    def grid(self, notice_id: int) -> dict:
        return json.loads(self._column(notice_id, "grid"))

    def _column(self, notice_id: int, column: str) -> str:
        with self._connection() as db:
            row = db.execute(f"SELECT {column} FROM notices WHERE id = ?", (notice_id,)).fetchone()
        return row[0] if row else _missing(notice_id)

    def changes(self, notice_id: int) -> list[Change]:
        with self._connection() as db:
            return _changes(db, notice_id, active_only=False)

    def change(self, notice_id: int, make: Callable[[dict, bool], list[tuple[str, str, object, object]]]) -> int:
        """Apply one edit: MAKE(current notice.json, reviewed) gives its (target, field, old, new) changes.

        Returns the edit's number (0 when MAKE found nothing to change)."""
        with self._connection(write=True) as db:
            row = db.execute("SELECT current, reviewed FROM notices WHERE id = ?", (notice_id,)).fetchone()
            if row is None:
                _missing(notice_id)
            changes = make(json.loads(row["current"]), bool(row["reviewed"]))
            if not changes:
                return 0
            edit = db.execute("SELECT COALESCE(MAX(edit), 0) + 1 FROM changes WHERE notice_id = ?",
                              (notice_id,)).fetchone()[0]
            at = now()
            db.executemany("INSERT INTO changes (notice_id, edit, at, target, field, old, new) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?)",
                           [(notice_id, edit, at, target, field, _dump(old), _dump(new))
                            for target, field, old, new in changes])
            self._rederive(db, notice_id)
        return edit

    def undo(self, notice_id: int, edit: int) -> None:
        """Undo one edit, unless a later edit changed one of the same values (undo that one first)."""
        with self._connection(write=True) as db:
            active = _changes(db, notice_id, active_only=True)
            mine = [c for c in active if c.edit == edit]
            if not mine:
                raise NotFound(f"notice {notice_id} has no edit {edit} to undo")
            touched = {(c.target, c.field) for c in mine}
            if any(c.edit > edit and (c.target, c.field) in touched for c in active):
                raise Conflict(f"a later edit changed the same value; undo it first (edit {edit})")
            db.execute("UPDATE changes SET undone_at = ? WHERE notice_id = ? AND edit = ?", (now(), notice_id, edit))
            self._rederive(db, notice_id)

    def _rederive(self, db: sqlite3.Connection, notice_id: int) -> None:
        original = json.loads(db.execute("SELECT original FROM notices WHERE id = ?", (notice_id,)).fetchone()[0])
        current, reviewed = self.derive(original, _changes(db, notice_id, active_only=True))
        db.execute("UPDATE notices SET current = ?, reviewed = ? WHERE id = ?", (_dump(current), reviewed, notice_id))
        _summarize(db, notice_id, current, reviewed)


def _changes(db: sqlite3.Connection, notice_id: int, active_only: bool) -> list[Change]:
    query = "SELECT id, edit, at, target, field, old, new, undone_at FROM changes WHERE notice_id = ?"
    rows = db.execute(query + (" AND undone_at IS NULL" if active_only else "") + " ORDER BY id", (notice_id,))
    return [Change(**{**dict(r), "old": json.loads(r["old"]), "new": json.loads(r["new"])}) for r in rows]


def _summarize(db: sqlite3.Connection, notice_id: int, document: dict, reviewed: bool) -> None:
    notice = document.get("notice", {})
    db.execute("UPDATE notices SET title = ?, doc_number = ?, rows = ?, units = ?, warnings = ?, reviewed = ? "
               "WHERE id = ?", (notice.get("title"), notice.get("doc_number"), len(document.get("rows", [])),
                                len(document.get("units", [])), len(document.get("warnings", [])), reviewed,
                                notice_id))


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _fsync(path: Path) -> None:
    with path.open("rb") as file:
        os.fsync(file.fileno())


def _missing(notice_id: int):
    raise NotFound(f"no notice {notice_id}")
