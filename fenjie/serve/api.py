"""The JSON API for other systems, under /api/v1 (OpenAPI at /docs)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, File, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from fenjie.serve.service import Service, summary


class Problem(BaseModel):
    """Every error answer: a stable code (README, Commands: fenjie serve) and a message naming the problem."""

    code: str
    message: str


class Rename(BaseModel):
    name: str
    new_name: str


SAID = {401: "unauthorized: no or a wrong Bearer token", 404: "not-found", 409: "conflict: undo the later edit first",
        413: "too-large", 415: "unsupported-format", 422: "the file is not a convertible notice (not-a-notice, "
        "no-table, unknown-header, encrypted, corrupt, unsafe, timeout, worker-died, …), or bad-edit / bad-request",
        429: "busy: too many conversions waiting; see Retry-After"}


def answers(*statuses: int) -> dict:
    """OpenAPI's list of the error answers a route may give."""
    return {status: {"model": Problem, "description": SAID[status]} for status in (401, *statuses)}


def router(service: Service) -> APIRouter:
    store = service.store

    def allowed(request: Request) -> None:
        service.guard.api(request)

    api = APIRouter(prefix="/api/v1/notices", dependencies=[Depends(allowed)])

    @api.post("", status_code=201, tags=["notices"], responses=answers(413, 415, 422, 429))
    async def upload_notice(file: Annotated[UploadFile, File(description="A notice: .docx, .doc, .txt, …")]) -> dict:
        """Convert one notice. 201: `{"id", "notice"}`, notice being what `fenjie convert --only json` prints."""
        notice_id, document = await service.receive(file)
        return JSONResponse({"id": notice_id, "notice": document}, 201)  # as it is: no re-encoding of the notice

    @api.get("", tags=["notices"], responses=answers())
    def list_notices() -> dict:
        """Every stored notice, newest first: id, file name, status (pending/reviewed), title, counts."""
        return {"notices": [summary(r) for r in store.list()]}

    @api.get("/{notice_id}", tags=["notices"], responses=answers(404))
    def get_notice(notice_id: int) -> dict:
        """The notice with every active correction applied (`notice`), and its status."""
        return JSONResponse({**summary(store.record(notice_id)), "notice": store.document(notice_id)})

    @api.get("/{notice_id}/original", tags=["notices"], responses=answers(404))
    def get_original(notice_id: int) -> dict:
        """notice.json as converted, before any correction."""
        return JSONResponse(store.document(notice_id, "original"))

    @api.get("/{notice_id}/changes", tags=["notices"], responses=answers(404))
    def get_changes(notice_id: int) -> dict:
        """Every change made, oldest first: edit, at, target (row id, notice, status), field, old, new, undone_at."""
        store.record(notice_id)
        return {"changes": [vars(c) for c in store.changes(notice_id)]}

    @api.patch("/{notice_id}/rows/{row_id}", tags=["notices"], responses=answers(404, 422))
    def patch_row(notice_id: int, row_id: str, patch: Annotated[dict, Body(
            media_type="application/merge-patch+json",
            examples=[{"lead": ["市政府办公室"], "deadline": {"text": "2024年9月底前"}}])]) -> dict:
        """Correct a row with a JSON merge patch (RFC 7386). A new deadline text has its date read again;
        a `deadline.date` given overrides it. `id`, `source` and `inferred` cannot be changed."""
        edit = service.edit_row(notice_id, row_id, patch)
        row = next(r for r in store.document(notice_id)["rows"] if r["id"] == row_id)
        return {"edit": edit, "row": row}

    @api.patch("/{notice_id}", tags=["notices"], responses=answers(404, 422))
    def patch_notice(notice_id: int, patch: Annotated[dict, Body(
            media_type="application/merge-patch+json",
            examples=[{"notice": {"doc_number": "济政办字〔2024〕17号"}, "status": "reviewed"}])]) -> dict:
        """Correct the notice's metadata (`notice`: a JSON merge patch of it) and set its `status` (pending or
        reviewed), as one edit."""
        edit = service.edit_notice(notice_id, patch)
        return {"edit": edit, **summary(store.record(notice_id))}

    @api.post("/{notice_id}/units/rename", tags=["notices"], responses=answers(404, 422))
    def rename_unit(notice_id: int, rename: Annotated[Rename, Body()]) -> dict:
        """Rename a unit in every row that names it (牵头 or 责任), as one edit."""
        return {"edit": service.rename_unit(notice_id, rename.name, rename.new_name)}

    @api.post("/{notice_id}/edits/{edit}/undo", tags=["notices"], responses=answers(404, 409))
    def undo_edit(notice_id: int, edit: int) -> dict:
        """Undo one edit (all its changes); refused (409) while a later edit changed the same value."""
        store.undo(notice_id, edit)
        return {"undone": edit}

    @api.get("/{notice_id}/notice.json", tags=["downloads"], responses=answers(404))
    def download_json(notice_id: int) -> Response:
        """The corrected notice.json as a file."""
        return service.download(notice_id, "notice.json")

    @api.get("/{notice_id}/tasks.xlsx", tags=["downloads"], responses=answers(404))
    def download_tasks(notice_id: int) -> Response:
        """tasks.xlsx of the corrected notice."""
        return service.download(notice_id, "tasks.xlsx")

    @api.get("/{notice_id}/letters.zip", tags=["downloads"], responses=answers(404))
    def download_letters(notice_id: int) -> Response:
        """One Word letter per unit (and letters/index.xlsx) of the corrected notice, zipped."""
        return service.download(notice_id, "letters.zip")

    @api.get("/{notice_id}/ledgers.zip", tags=["downloads"], responses=answers(404))
    def download_ledgers(notice_id: int) -> Response:
        """One ledger (台账) per unit of the corrected notice, to fill in and send back, zipped."""
        return service.download(notice_id, "ledgers.zip")

    return api
