"""The web app: a JSON API for other systems (/api/v1, OpenAPI at /docs) and review pages for people."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import io
import ipaddress
import json
import secrets
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PureWindowsPath
from typing import Annotated
from urllib.parse import quote

import swagger_ui
from fastapi import Body, Depends, FastAPI, File, Form, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from fenjie import __version__, pipeline
from fenjie.errors import FenjieError, TooLarge
from fenjie.model import Document, Notice
from fenjie.normalize.directory import load_directory
from fenjie.render import writer
from fenjie.render.filenames import safe_stem
from fenjie.rules import load
from fenjie.serve import edits, view
from fenjie.serve.store import Conflict, NotFound, Store
from fenjie.serve.worker import TIMEOUT, Converter, ServeError, status_of

HERE = Path(__file__).parent
SESSION = "fenjie_session"
CHUNK = 1 << 20
MULTIPART_SLACK = 1 << 20  # a request may exceed the file's cap by its multipart framing


class Problem(BaseModel):
    """Every error answer: a stable code (README, Commands: fenjie serve) and a message naming the problem."""

    code: str
    message: str


def _answers(*statuses: int) -> dict:
    """OpenAPI's list of the error answers a route may give."""
    said = {401: "unauthorized: no or a wrong Bearer token", 404: "not-found", 409: "conflict: undo the later edit "
            "first", 413: "too-large", 415: "unsupported-format", 422: "the file is not a convertible notice "
            "(not-a-notice, no-table, unknown-header, encrypted, corrupt, unsafe, timeout, worker-died, …), or "
            "bad-edit / bad-request", 429: "busy: too many conversions waiting; see Retry-After"}
    return {status: {"model": Problem, "description": said[status]} for status in (401, *statuses)}


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


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Unauthorized(ServeError):
    code = "unauthorized"
    status = 401


class Forbidden(ServeError):
    code = "csrf"
    status = 403


class Guard:
    """Who may do what: with a token, the API wants it as a Bearer token and the pages a login session;
    forms always carry a CSRF token tied to the session (a page on another site cannot read it)."""

    def __init__(self, token: str | None):
        self.token = token
        self.secret = hashlib.sha256(token.encode()).digest() if token else secrets.token_bytes(32)

    def _sign(self, value: str) -> str:
        return hmac.new(self.secret, value.encode(), hashlib.sha256).hexdigest()

    def new_session(self) -> str:
        nonce = secrets.token_hex(16)
        return f"{nonce}.{self._sign('session:' + nonce)}"

    def session(self, request: Request) -> str | None:
        """The session's nonce; "" when no login is needed; None when there is no valid session."""
        if not self.token:
            return ""
        nonce, _, signature = request.cookies.get(SESSION, "").partition(".")
        return nonce if nonce and hmac.compare_digest(signature, self._sign("session:" + nonce)) else None

    def csrf(self, request: Request) -> str:
        return self._sign("csrf:" + (self.session(request) or ""))

    def check_csrf(self, request: Request, given: str | None) -> None:
        if not given or not hmac.compare_digest(given, self.csrf(request)):
            raise Forbidden("the form has no valid CSRF token; reload the page and try again")

    def bearer(self, request: Request) -> bool:
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        return bool(self.token) and scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), self.token)

    def api(self, request: Request) -> None:
        """The API: a Bearer token, or the pages' session (with the CSRF header when it changes anything)."""
        if not self.token or self.bearer(request):
            if not self.token and request.method not in ("GET", "HEAD"):
                self._csrf_header_if_browser(request)
            return
        if self.session(request) is None:
            raise Unauthorized("send the server's token as 'Authorization: Bearer TOKEN'")
        if request.method not in ("GET", "HEAD"):
            self.check_csrf(request, request.headers.get("x-csrf-token"))

    def _csrf_header_if_browser(self, request: Request) -> None:
        # Without a token anyone on this machine may call the API; a browser tab of another site may not:
        # a cross-site form post carries an Origin header naming that site.
        origin = request.headers.get("origin")
        if origin and origin.rstrip("/") != str(request.base_url).rstrip("/"):
            self.check_csrf(request, request.headers.get("x-csrf-token"))


class LoginNeeded(Exception):
    def __init__(self, path: str):
        self.path = path


def create_app(settings: Settings) -> FastAPI:
    rules = load(Path(settings.rules) if settings.rules else None)
    directory = load_directory(settings.units)
    store = Store(settings.data, functools.partial(edits.derive, rules=rules, directory=directory))
    converter = Converter(workers=settings.workers, queue=settings.queue, timeout=settings.timeout,
                          rules=settings.rules, units=settings.units)
    guard = Guard(settings.token)
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.globals.update(words=edits.words(), version=__version__)
    templates.env.filters["shown"] = _shown

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        yield
        converter.stop()  # a conversion in flight would hold the shutdown up to its timeout

    app = FastAPI(title="fenjie", version=__version__, docs_url=None, redoc_url=None, lifespan=lifespan,
                  description="Task-breakdown notices (通知 + 任务分解表) as structured data: upload a notice, read "
                  "its notice.json, correct a row, download tasks.xlsx and letters.zip. Errors are "
                  '`{"code", "message"}` with fenjie\'s error codes.')
    app.state.settings, app.state.store, app.state.converter, app.state.guard = settings, store, converter, guard
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    # The API docs from Swagger UI's files as installed (swagger-ui-py), not from a CDN: intranets have none.
    app.mount("/docs-static", StaticFiles(directory=Path(swagger_ui.__file__).parent / "static"), name="docs-static")
    app.add_middleware(CapUploads)
    if not settings.token:
        app.add_middleware(LoopbackHostOnly)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="fenjie API",
                                   swagger_js_url="/docs-static/swagger-ui-bundle.js",
                                   swagger_css_url="/docs-static/swagger-ui.css",
                                   swagger_favicon_url="/docs-static/favicon-32x32.png")

    # ---- errors: JSON for the API, a page for people ----

    def problem(request: Request, status: int, code: str, message: str, headers: dict | None = None) -> Response:
        if request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", ""):
            return JSONResponse({"code": code, "message": message}, status, headers=headers)
        page = templates.TemplateResponse(request, "error.html", {"code": code, "message": message,
                                                                  "status": status, "csrf": guard.csrf(request)},
                                          status_code=status, headers=headers)
        return page

    @app.exception_handler(FenjieError)
    async def fenjie_error(request: Request, error: FenjieError) -> Response:
        status = getattr(error, "status", None) or status_of(error.code)
        headers = {"Retry-After": "5"} if status == 429 else None
        if isinstance(error, Unauthorized):
            headers = {"WWW-Authenticate": "Bearer"}
        return problem(request, status, error.code, str(error), headers)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, error: NotFound) -> Response:
        return problem(request, 404, "not-found", str(error))

    @app.exception_handler(Conflict)
    async def conflict(request: Request, error: Conflict) -> Response:
        return problem(request, 409, "conflict", str(error))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        where = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        return problem(request, 422, "bad-request", where)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        code = {404: "not-found", 401: "unauthorized", 413: "too-large"}.get(error.status_code, "bad-request")
        return problem(request, error.status_code, code, str(error.detail))

    @app.exception_handler(Exception)
    async def internal(request: Request, error: Exception) -> Response:  # a bug of ours: still a JSON answer
        return problem(request, 500, "internal", f"unexpected {type(error).__name__}: {error} (please report this)")

    @app.exception_handler(LoginNeeded)
    async def login_needed(request: Request, error: LoginNeeded) -> Response:
        return RedirectResponse(f"/login?next={quote(error.path)}", 303)

    # ---- shared steps ----

    def api_guard(request: Request) -> None:
        guard.api(request)

    def page_guard(request: Request) -> None:
        if guard.session(request) is None:
            raise LoginNeeded(request.url.path)

    def form_guard(request: Request, csrf: Annotated[str | None, Form()] = None) -> None:
        page_guard(request)
        guard.check_csrf(request, csrf)

    async def receive(upload: UploadFile) -> tuple[int, dict]:
        """Store the upload under a name of the server's choosing, convert it in a worker, keep the result."""
        name = PureWindowsPath(upload.filename or "").name or "upload"  # the client's name: only shown
        with store.upload() as path:
            size = 0
            with path.open("wb") as file:
                while chunk := await upload.read(CHUNK):
                    size += len(chunk)
                    if size > pipeline.MAX_INPUT:
                        raise TooLarge(f"more than {pipeline.MAX_INPUT // 2**20} MB, far beyond any notice", name)
                    file.write(chunk)
            return await run_in_threadpool(ingest, path, name)

    def ingest(path: Path, name: str) -> tuple[int, dict]:
        """Convert a file the store holds (in `store.upload()`) in a worker and keep the result."""
        converted = converter.convert(path, name)
        return store.add(path, name, converted.document, converted.grid), converted.document

    def open_file(path: Path) -> int:
        """`fenjie serve --open FILE`: the notice of FILE, converted now unless the same file is stored already."""
        data = pipeline.read_input(path, str(path))
        known = store.find(hashlib.sha256(data).hexdigest(), path.name)
        if known is not None:
            return known
        with store.upload() as upload:
            upload.write_bytes(data)
            return ingest(upload, path.name)[0]

    app.state.open_file = open_file

    def corrected(notice_id: int) -> Document:
        return Document.model_validate(store.document(notice_id))

    def download_name(notice_id: int, suffix: str) -> str:
        return safe_stem(Path(store.record(notice_id).file_name).stem) + suffix

    def attachment(data: bytes, media: str, name: str) -> Response:
        return Response(data, media_type=media,
                        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})

    def tasks_xlsx(notice_id: int) -> Response:
        with tempfile.TemporaryDirectory() as folder:
            [path] = writer("xlsx")(corrected(notice_id), Path(folder))
            data = path.read_bytes()
        return attachment(data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          download_name(notice_id, "-tasks.xlsx"))

    def letters_zip(notice_id: int) -> Response:
        with tempfile.TemporaryDirectory() as folder:
            written = writer("letters")(corrected(notice_id), Path(folder), template=settings.template)
            buffer = io.BytesIO()
            stamp = datetime.now().timetuple()[:6]
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for path in sorted(written):
                    archive.writestr(zipfile.ZipInfo(path.relative_to(folder).as_posix(), stamp), path.read_bytes())
        return attachment(buffer.getvalue(), "application/zip", download_name(notice_id, "-letters.zip"))

    def notice_json(notice_id: int) -> Response:
        data = json.dumps(store.document(notice_id), ensure_ascii=False, indent=2) + "\n"
        return attachment(data.encode(), "application/json", download_name(notice_id, ".notice.json"))

    def summary(record) -> dict:
        return {"id": record.id, "file_name": record.file_name, "created": record.created,
                "status": "reviewed" if record.reviewed else "pending", "title": record.title,
                "doc_number": record.doc_number, "rows": record.rows, "units": record.units,
                "warnings": record.warnings}

    # ---- the API ----

    api = [Depends(api_guard)]

    @app.post("/api/v1/notices", status_code=201, dependencies=api, tags=["notices"],
              responses=_answers(413, 415, 422, 429))
    async def upload_notice(file: Annotated[UploadFile, File(description="A notice: .docx, .doc, .txt, …")]) -> dict:
        """Convert one notice. 201: `{"id", "notice"}`, notice being what `fenjie convert --only json` prints."""
        notice_id, document = await receive(file)
        return JSONResponse({"id": notice_id, "notice": document}, 201)  # as it is: no re-encoding of the notice

    @app.get("/api/v1/notices", dependencies=api, tags=["notices"], responses=_answers())
    def list_notices() -> dict:
        """Every stored notice, newest first: id, file name, status (pending/reviewed), title, counts."""
        return {"notices": [summary(r) for r in store.list()]}

    @app.get("/api/v1/notices/{notice_id}", dependencies=api, tags=["notices"], responses=_answers(404))
    def get_notice(notice_id: int) -> dict:
        """The notice with every active correction applied (`notice`), and its status."""
        return JSONResponse({**summary(store.record(notice_id)), "notice": store.document(notice_id)})

    @app.get("/api/v1/notices/{notice_id}/original", dependencies=api, tags=["notices"], responses=_answers(404))
    def get_original(notice_id: int) -> dict:
        """notice.json as converted, before any correction."""
        return JSONResponse(store.document(notice_id, "original"))

    @app.get("/api/v1/notices/{notice_id}/changes", dependencies=api, tags=["notices"], responses=_answers(404))
    def get_changes(notice_id: int) -> dict:
        """Every change made, oldest first: edit, at, target (row id, notice, status), field, old, new, undone_at."""
        store.record(notice_id)
        return {"changes": [vars(c) for c in store.changes(notice_id)]}

    @app.patch("/api/v1/notices/{notice_id}/rows/{row_id}", dependencies=api, tags=["notices"],
               responses=_answers(404, 422))
    def patch_row(notice_id: int, row_id: str, patch: Annotated[dict, Body(
            media_type="application/merge-patch+json",
            examples=[{"lead": ["市政府办公室"], "deadline": {"text": "2024年9月底前"}}])]) -> dict:
        """Correct a row with a JSON merge patch (RFC 7386). A new deadline text has its date read again;
        a `deadline.date` given overrides it. `id`, `source` and `inferred` cannot be changed."""
        edit = store.change(notice_id, lambda document, _: edits.row_edits(document, row_id, patch, rules))
        row = next(r for r in store.document(notice_id)["rows"] if r["id"] == row_id)
        return {"edit": edit, "row": row}

    @app.post("/api/v1/notices/{notice_id}/edits/{edit}/undo", dependencies=api, tags=["notices"],
              responses=_answers(404, 409))
    def undo_edit(notice_id: int, edit: int) -> dict:
        """Undo one edit (all its changes); refused (409) while a later edit changed the same value."""
        store.undo(notice_id, edit)
        return {"undone": edit}

    @app.get("/api/v1/notices/{notice_id}/notice.json", dependencies=api, tags=["downloads"],
             responses=_answers(404))
    def download_json(notice_id: int) -> Response:
        """The corrected notice.json as a file."""
        return notice_json(notice_id)

    @app.get("/api/v1/notices/{notice_id}/tasks.xlsx", dependencies=api, tags=["downloads"],
             responses=_answers(404))
    def download_tasks(notice_id: int) -> Response:
        """tasks.xlsx of the corrected notice."""
        return tasks_xlsx(notice_id)

    @app.get("/api/v1/notices/{notice_id}/letters.zip", dependencies=api, tags=["downloads"],
             responses=_answers(404))
    def download_letters(notice_id: int) -> Response:
        """One Word letter per unit (and letters/index.xlsx) of the corrected notice, zipped."""
        return letters_zip(notice_id)

    # ---- the pages ----

    def page(request: Request, name: str, status_code: int = 200, **context) -> HTMLResponse:
        return templates.TemplateResponse(request, name, {"csrf": guard.csrf(request),
                                                          "login": bool(settings.token), **context},
                                          status_code=status_code)

    @app.get("/login", include_in_schema=False)
    def login_page(request: Request, next: str = "/") -> Response:
        return page(request, "login.html", next=_local(next), failed=False)

    @app.post("/login", include_in_schema=False)
    def login(request: Request, token: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "/",
              csrf: Annotated[str | None, Form()] = None) -> Response:
        guard.check_csrf(request, csrf)
        if not settings.token or not hmac.compare_digest(token, settings.token):
            return page(request, "login.html", 401, next=_local(next), failed=True)
        response = RedirectResponse(_local(next), 303)
        response.set_cookie(SESSION, guard.new_session(), httponly=True, samesite="strict", path="/")
        return response

    @app.post("/logout", include_in_schema=False, dependencies=[Depends(form_guard)])
    def logout() -> Response:
        response = RedirectResponse("/login", 303)
        response.delete_cookie(SESSION, path="/")
        return response

    @app.get("/", include_in_schema=False, dependencies=[Depends(page_guard)])
    def list_page(request: Request) -> Response:
        return page(request, "list.html", notices=store.list(), failures=[])

    @app.post("/upload", include_in_schema=False, dependencies=[Depends(form_guard)])
    async def upload_page(request: Request, files: Annotated[list[UploadFile], File()]) -> Response:
        """The upload form without JavaScript: every file in turn, then the list with any failures."""
        failures = []
        for upload in files:
            try:
                await receive(upload)
            except FenjieError as error:
                failures.append((upload.filename, error.code, str(error)))
        if failures:
            return page(request, "list.html", 422, notices=store.list(), failures=failures)
        return RedirectResponse("/", 303)

    @app.get("/notices/{notice_id}", include_in_schema=False, dependencies=[Depends(page_guard)])
    def review_page(request: Request, notice_id: int, unit: str = "", flag: str = "", month: str = "") -> Response:
        record = store.record(notice_id)
        document = store.document(notice_id)
        filters = view.Filters(unit=unit, flag=flag, month=month)
        items, shown = view.review(document, filters)
        changes = store.changes(notice_id)
        return page(request, "review.html", record=record, document=document, items=items, shown=shown,
                    filters=filters, choices=view.filter_choices(document), grid=store.grid(notice_id),
                    changes=changes, edits=_edits(changes), meta=_meta_fields(document["notice"]),
                    filtered=bool(unit or flag or month))

    @app.post("/notices/{notice_id}/notice", include_in_schema=False, dependencies=[Depends(form_guard)])
    async def save_meta(request: Request, notice_id: int) -> Response:
        form = await request.form()
        patch = {}
        for name, kind in _meta_fields(store.document(notice_id)["notice"]):
            value = str(form.get(name, ""))
            if kind == "lines":
                patch[name] = _lines(value)
            elif kind == "int":
                patch[name] = int(value) if value.strip().isdigit() else None
            else:
                patch[name] = value.strip() or None
        store.change(notice_id, lambda document, _: edits.notice_edits(document, patch))
        return RedirectResponse(f"/notices/{notice_id}", 303)

    @app.post("/notices/{notice_id}/status", include_in_schema=False, dependencies=[Depends(form_guard)])
    def save_status(notice_id: int, reviewed: Annotated[bool, Form()]) -> Response:
        store.change(notice_id, lambda _, was: edits.status_edit(was, reviewed))
        return RedirectResponse(f"/notices/{notice_id}", 303)

    @app.post("/notices/{notice_id}/edits/{edit}/undo", include_in_schema=False,
              dependencies=[Depends(form_guard)])
    def undo_page(notice_id: int, edit: int) -> Response:
        store.undo(notice_id, edit)
        return RedirectResponse(f"/notices/{notice_id}?tab=changes", 303)

    @app.get("/notices/{notice_id}/rows/{row_id}", include_in_schema=False, dependencies=[Depends(page_guard)])
    def row_page(request: Request, notice_id: int, row_id: str) -> Response:
        document = store.document(notice_id)
        row = next((r for r in document["rows"] if r["id"] == row_id), None)
        if row is None:
            raise NotFound(f"notice {notice_id} has no row {row_id}")
        warnings = [w for w in document["warnings"] if w.get("row") == row_id]
        return page(request, "row.html", record=store.record(notice_id), row=row,
                    view=view.row_view(row, warnings), headings=view.headings(row))

    @app.post("/notices/{notice_id}/rows/{row_id}", include_in_schema=False, dependencies=[Depends(form_guard)])
    def save_row(notice_id: int, row_id: str, lead: Annotated[str, Form()] = "",
                 responsible: Annotated[str, Form()] = "", requirement: Annotated[str, Form()] = "",
                 deadline_text: Annotated[str, Form()] = "", deadline_date: Annotated[str, Form()] = "",
                 shown_date: Annotated[str, Form()] = "") -> Response:
        """The row form: one unit per line; a changed 截止日期 overrides the date read from 完成时限."""
        deadline: dict = {"text": deadline_text.strip() or None}
        if deadline_date != shown_date:
            deadline["date"] = deadline_date or None
        patch = {"lead": _lines(lead), "responsible": _lines(responsible),
                 "requirement": requirement.replace("\r\n", "\n").strip() or None, "deadline": deadline}
        store.change(notice_id, lambda document, _: edits.row_edits(document, row_id, patch, rules))
        return RedirectResponse(f"/notices/{notice_id}#row-{row_id}", 303)

    return app


class LoopbackHostOnly:
    """Without a token, only requests addressed to this machine by a loopback name are served: a web page
    that rebinds its own domain name to 127.0.0.1 (DNS rebinding) sends its name as Host and is refused."""

    HOSTS = {"127.0.0.1", "localhost", "[::1]"}

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            host = dict(scope["headers"]).get(b"host", b"").decode("latin-1").lower()
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if name not in self.HOSTS:
                return await _refuse(send, 421, "bad-host", f"this server answers to 127.0.0.1 or localhost, not "
                                     f"{host!r}; to serve other names, start it with --token")
        await self.app(scope, receive, send)


class CapUploads:
    """Refuses a request body beyond the readers' input limit while it arrives, not after it was stored."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            return await self.app(scope, receive, send)
        limit = pipeline.MAX_INPUT + MULTIPART_SLACK
        length = dict(scope["headers"]).get(b"content-length", b"")
        if length.isdigit() and int(length) > limit:
            return await _refuse(send, 413, "too-large", f"{int(length) // 2**20} MB is beyond the "
                                 f"{pipeline.MAX_INPUT // 2**20} MB a notice may have")
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:  # an HTTPException, which FastAPI's body parsing lets through as it is
                raise HTTPException(413, f"the request is larger than {limit // 2**20} MB")
            return message

        await self.app(scope, counted, send)


async def _refuse(send, status: int, code: str, message: str) -> None:
    """An error answered before the app sees the request."""
    body = json.dumps({"code": code, "message": message}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _local(path: str) -> str:
    """A redirect target on this server only."""
    return path if path.startswith("/") and not path.startswith("//") and "\\" not in path else "/"


def _shown(value: object) -> str:
    """A changed value as a person reads it: unit lists joined with 、, a deadline as text and date."""
    if isinstance(value, list):
        return "、".join(map(str, value)) or "（空）"
    if isinstance(value, dict):
        return " → ".join(str(v) for k, v in value.items() if k in ("text", "date", "title") and v) or "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    return "（空）" if value is None else str(value)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _edits(changes) -> list[tuple[int, list]]:
    """Changes grouped by edit, newest first."""
    grouped: dict[int, list] = {}
    for change in changes:
        grouped.setdefault(change.edit, []).append(change)
    return sorted(grouped.items(), reverse=True)


def _meta_fields(notice: dict) -> list[tuple[str, str]]:
    """The notice metadata a person can correct, with their kind of input: text, int or lines."""
    kinds = []
    for name, field in Notice.model_fields.items():
        if name == "body":  # the notice's text, not its metadata
            continue
        annotation = str(field.annotation)
        kinds.append((name, "lines" if annotation.startswith("list") else "int" if "int" in annotation else "text"))
    return kinds
