"""What the API and the pages both do: take an upload, convert it in a worker, store it, correct it,
and make the downloads from the corrected notice."""

from __future__ import annotations

import functools
import hashlib
import io
import json
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PureWindowsPath
from urllib.parse import quote

from fastapi import UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from fenjie import pipeline
from fenjie.errors import TooLarge
from fenjie.model import Document
from fenjie.normalize.directory import load_directory
from fenjie.render import options_for, writer
from fenjie.render.filenames import safe_stem
from fenjie.rules import load
from fenjie.serve import edits
from fenjie.serve.guard import Guard
from fenjie.serve.store import Record, Store
from fenjie.serve.worker import TIMEOUT, Converter

CHUNK = 1 << 20
STATUSES = {"pending": False, "reviewed": True}
SECRET = "secret"  # in the data folder: the key of the pages' CSRF tokens when there is no --token
DOWNLOADS = {"notice.json": ("application/json", ".notice.json"),
             "tasks.xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "-tasks.xlsx"),
             "letters.zip": ("application/zip", "-letters.zip"),
             "ledgers.zip": ("application/zip", "-ledgers.zip")}


@dataclass(frozen=True)
class Settings:
    """What `fenjie serve` was started with."""

    data: Path
    token: str | None = None  # required (checked by the CLI) when binding beyond loopback
    rules: str | None = None
    template: str | None = None
    units: str | None = None
    workers: int = 2
    queue: int = 32
    timeout: float = TIMEOUT


class Service:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.rules = load(Path(settings.rules) if settings.rules else None)
        directory = load_directory(settings.units)
        self.store = Store(settings.data, functools.partial(edits.derive, rules=self.rules, directory=directory))
        self.converter = Converter(workers=settings.workers, queue=settings.queue, timeout=settings.timeout,
                                   rules=settings.rules, units=settings.units)
        self.guard = Guard(settings.token, settings.data / SECRET)

    async def receive(self, upload: UploadFile) -> tuple[int, dict]:
        """Store the upload under a name of the server's choosing, convert it in a worker, keep the result."""
        name = PureWindowsPath(upload.filename or "").name or "upload"  # the client's name: only shown
        with self.store.upload() as path:
            size = 0
            with path.open("wb") as file:
                while chunk := await upload.read(CHUNK):
                    size += len(chunk)
                    if size > pipeline.MAX_INPUT:
                        raise TooLarge(f"more than {pipeline.MAX_INPUT // 2**20} MB, far beyond any notice", name)
                    file.write(chunk)
            return await run_in_threadpool(self.ingest, path, name)

    def ingest(self, path: Path, name: str) -> tuple[int, dict]:
        """Convert a file the store holds (in `store.upload()`) in a worker and keep the result."""
        converted = self.converter.convert(path, name)
        return self.store.add(path, name, converted.document, converted.grid), converted.document

    def open_file(self, path: Path) -> int:
        """`fenjie serve --open FILE`: the notice of FILE, converted now unless the same file is stored already."""
        data = pipeline.read_input(path, str(path))
        known = self.store.find(hashlib.sha256(data).hexdigest(), path.name)
        if known is not None:
            return known
        with self.store.upload() as upload:
            upload.write_bytes(data)
            return self.ingest(upload, path.name)[0]

    def edit_row(self, notice_id: int, row_id: str, patch: dict) -> int:
        return self.store.change(notice_id, lambda document, _: edits.row_edits(document, row_id, patch, self.rules))

    def rename_unit(self, notice_id: int, name: str, new_name: str) -> int:
        return self.store.change(notice_id, lambda document, _: edits.rename_edits(document, name, new_name))

    def edit_notice(self, notice_id: int, patch: dict) -> int:
        """{"notice": a merge patch of the metadata, "status": "pending" or "reviewed"}, as one edit."""
        if set(patch) - {"notice", "status"} or patch.get("status", "pending") not in STATUSES:
            raise edits.BadEdit('a notice patch has "notice" (a merge patch of the metadata) and "status" '
                                f"({' or '.join(STATUSES)})")

        def make(document: dict, reviewed: bool) -> list:
            changes = edits.notice_edits(document, patch["notice"]) if "notice" in patch else []
            if "status" in patch:
                changes += edits.status_edit(reviewed, STATUSES[patch["status"]])
            return changes

        return self.store.change(notice_id, make)

    def download(self, notice_id: int, name: str) -> Response:
        """notice.json, tasks.xlsx, letters.zip or ledgers.zip of the corrected notice, as an attachment named after
        the file."""
        media, suffix = DOWNLOADS[name]
        current = self.store.document(notice_id)
        if name == "notice.json":
            data = (json.dumps(current, ensure_ascii=False, indent=2) + "\n").encode()
        elif name == "tasks.xlsx":
            with tempfile.TemporaryDirectory() as folder:
                [path] = writer("xlsx")(Document.model_validate(current), Path(folder))
                data = path.read_bytes()
        else:
            data = self._zipped(name.removesuffix(".zip"), Document.model_validate(current))
        stem = safe_stem(Path(self.store.record(notice_id).file_name).stem)
        return Response(data, media_type=media,
                        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(stem + suffix)}"})

    def _zipped(self, output: str, document: Document) -> bytes:
        """The files of one output (letters, ledgers) in a zip, under their folder."""
        with tempfile.TemporaryDirectory() as folder:
            written = writer(output)(document, Path(folder), options_for(output, template=self.settings.template))
            buffer = io.BytesIO()
            stamp = datetime.now().timetuple()[:6]
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for path in sorted(written):
                    archive.writestr(zipfile.ZipInfo(path.relative_to(folder).as_posix(), stamp), path.read_bytes())
        return buffer.getvalue()


def summary(record: Record) -> dict:
    """A notice as the API lists it."""
    return {"id": record.id, "file_name": record.file_name, "created": record.created,
            "status": "reviewed" if record.reviewed else "pending", "title": record.title,
            "doc_number": record.doc_number, "rows": record.rows, "units": record.units, "warnings": record.warnings}
