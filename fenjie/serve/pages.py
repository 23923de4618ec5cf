"""The pages people use: the list, a notice's review page, a row's form, the login. Rendered on the server."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from fenjie import __version__
from fenjie.errors import FenjieError
from fenjie.extract import SUPPORTED
from fenjie.model import Notice
from fenjie.serve import edits, view
from fenjie.serve.guard import SESSION
from fenjie.serve.service import Service
from fenjie.serve.store import NotFound

TEMPLATES = Path(__file__).parent / "templates"
GRID_ROWS = 500  # rows of the original table on the 原表 tab; tasks.xlsx has them all


def templates() -> Jinja2Templates:
    made = Jinja2Templates(directory=TEMPLATES)
    made.env.globals.update(words=edits.words(), version=__version__, supported=SUPPORTED)
    made.env.filters["shown"] = shown
    return made


def render(pages: Jinja2Templates, service: Service, request: Request, name: str, status_code: int = 200,
           **context) -> HTMLResponse:
    signed_in = bool(service.settings.token) and service.guard.session(request) is not None  # 退出 is offered
    return pages.TemplateResponse(request, name, {"csrf": service.guard.csrf(request), "login": signed_in,
                                                  **context},
                                  status_code=status_code)


def router(service: Service, pages: Jinja2Templates) -> APIRouter:
    store, guard = service.store, service.guard

    def page(request: Request, name: str, status_code: int = 200, **context) -> HTMLResponse:
        return render(pages, service, request, name, status_code, **context)

    def signed_in(request: Request) -> None:
        guard.page(request)

    def form_sent(request: Request, csrf: Annotated[str | None, Form()] = None) -> None:
        guard.form(request, csrf)

    routes = APIRouter(include_in_schema=False)
    viewing, changing = [Depends(signed_in)], [Depends(form_sent)]

    @routes.get("/login")
    def login_page(request: Request, next: str = "/") -> Response:
        return page(request, "login.html", next=local(next), failed=False)

    @routes.post("/login")
    def login(request: Request, token: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "/",
              csrf: Annotated[str | None, Form()] = None) -> Response:
        guard.check_csrf(request, csrf)
        if not guard.login(token):
            return page(request, "login.html", 401, next=local(next), failed=True)
        response = RedirectResponse(local(next), 303)
        response.set_cookie(SESSION, guard.new_session(), httponly=True, samesite="strict", path="/")
        return response

    @routes.post("/logout", dependencies=changing)
    def logout() -> Response:
        response = RedirectResponse("/login", 303)
        response.delete_cookie(SESSION, path="/")
        return response

    @routes.get("/", dependencies=viewing)
    def list_page(request: Request) -> Response:
        return page(request, "list.html", notices=store.list(), failures=[])

    @routes.post("/upload", dependencies=changing)
    async def upload_page(request: Request, files: Annotated[list[UploadFile], File()]) -> Response:
        """The upload form without JavaScript: every file in turn, then the list with any failures."""
        failures = []
        for upload in files:
            try:
                await service.receive(upload)
            except FenjieError as error:
                failures.append((upload.filename, error.code, str(error)))
        if failures:
            return page(request, "list.html", 422, notices=store.list(), failures=failures)
        return RedirectResponse("/", 303)

    @routes.get("/notices/{notice_id}", dependencies=viewing)
    def review_page(request: Request, notice_id: int, unit: str = "", flag: str = "", month: str = "",
                    page_no: Annotated[int, Query(alias="page", ge=1)] = 1) -> Response:
        record = store.record(notice_id)
        document = store.document(notice_id)
        filters = view.Filters(unit=unit, flag=flag, month=month)
        items, passed = view.review(document, filters, page_no)
        changes = store.changes(notice_id)
        pages_in_all = max(1, -(-passed // view.PAGE))
        return page(request, "review.html", record=record, document=document, items=items, shown=passed,
                    filters=filters, choices=view.filter_choices(document), grid=store.grid(notice_id),
                    edits=by_edit(changes), meta=meta_fields(), filtered=bool(unit or flag or month),
                    flagged=view.flagged(document), page_no=page_no, page_count=pages_in_all, per_page=view.PAGE,
                    grid_limit=GRID_ROWS,
                    query=urlencode({k: v for k, v in (("unit", unit), ("flag", flag), ("month", month)) if v}))

    @routes.post("/notices/{notice_id}/notice", dependencies=changing)
    async def save_meta(request: Request, notice_id: int) -> Response:
        form = await request.form()
        patch = {}
        for name, kind in meta_fields():
            value = str(form.get(name, ""))
            if kind == "lines":
                patch[name] = lines(value)
            elif kind == "int":
                patch[name] = int(value) if value.strip().isdigit() else None
            else:
                patch[name] = value.strip() or None
        store.change(notice_id, lambda document, _: edits.notice_edits(document, patch))
        return RedirectResponse(f"/notices/{notice_id}", 303)

    @routes.post("/notices/{notice_id}/units/rename", dependencies=changing)
    def rename_unit(notice_id: int, name: Annotated[str, Form()], new_name: Annotated[str, Form()]) -> Response:
        service.rename_unit(notice_id, name, new_name)
        return RedirectResponse(f"/notices/{notice_id}?{urlencode({'unit': new_name.strip()})}", 303)

    @routes.post("/notices/{notice_id}/status", dependencies=changing)
    def save_status(notice_id: int, reviewed: Annotated[bool, Form()]) -> Response:
        store.change(notice_id, lambda _, was: edits.status_edit(was, reviewed))
        return RedirectResponse(f"/notices/{notice_id}", 303)

    @routes.post("/notices/{notice_id}/edits/{edit}/undo", dependencies=changing)
    def undo_page(notice_id: int, edit: int) -> Response:
        store.undo(notice_id, edit)
        return RedirectResponse(f"/notices/{notice_id}?tab=changes", 303)

    @routes.get("/notices/{notice_id}/rows/{row_id}", dependencies=viewing)
    def row_page(request: Request, notice_id: int, row_id: str) -> Response:
        document = store.document(notice_id)
        row = next((r for r in document["rows"] if r["id"] == row_id), None)
        if row is None:
            raise NotFound(f"notice {notice_id} has no row {row_id}")
        warnings = [w for w in document["warnings"] if w.get("row") == row_id]
        return page(request, "row.html", record=store.record(notice_id), row=row,
                    view=view.row_view(row, warnings), headings=view.headings(row))

    @routes.post("/notices/{notice_id}/rows/{row_id}", dependencies=changing)
    def save_row(notice_id: int, row_id: str, lead: Annotated[str, Form()] = "",
                 responsible: Annotated[str, Form()] = "", requirement: Annotated[str, Form()] = "",
                 deadline_text: Annotated[str, Form()] = "", deadline_date: Annotated[str, Form()] = "",
                 shown_date: Annotated[str, Form()] = "") -> Response:
        """The row form: one unit per line; a changed 截止日期 overrides the date read from 完成时限."""
        deadline: dict = {"text": deadline_text.strip() or None}
        if deadline_date != shown_date:
            deadline["date"] = deadline_date or None
        service.edit_row(notice_id, row_id, {"lead": lines(lead), "responsible": lines(responsible),
                                             "requirement": requirement.replace("\r\n", "\n").strip() or None,
                                             "deadline": deadline})
        return RedirectResponse(f"/notices/{notice_id}?page={view.page_of(store.document(notice_id), row_id)}"
                                f"#row-{row_id}", 303)

    return routes


def local(path: str) -> str:
    """A redirect target on this server only."""
    return path if path.startswith("/") and not path.startswith("//") and "\\" not in path else "/"


def shown(value: object) -> str:
    """A changed value as a person reads it: unit lists joined with 、, a deadline as text and date."""
    if isinstance(value, list):
        return "、".join(map(str, value)) or "（空）"
    if isinstance(value, dict):
        return " → ".join(str(v) for k, v in value.items() if k in ("text", "date", "title") and v) or "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    return "（空）" if value is None else str(value)


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def by_edit(changes) -> list[tuple[int, list]]:
    """Changes grouped by edit, newest first."""
    grouped: dict[int, list] = {}
    for change in changes:
        grouped.setdefault(change.edit, []).append(change)
    return sorted(grouped.items(), reverse=True)


def meta_fields() -> list[tuple[str, str]]:
    """The notice metadata a person can correct, with their kind of input: text, int or lines."""
    kinds = []
    for field in dataclasses.fields(Notice):
        if field.name == "body":  # the notice's text, not its metadata
            continue
        kind = str(field.type)  # the annotation as written: list[str], int | None, str | None
        kinds.append((field.name, "lines" if kind.startswith("list") else "int" if "int" in kind else "text"))
    return kinds
