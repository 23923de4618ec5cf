"""The web app: a JSON API for other systems (/api/v1, OpenAPI at /docs) and review pages for people."""

from __future__ import annotations

import contextlib
from pathlib import Path
from urllib.parse import quote

import swagger_ui
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from fenjie import __version__
from fenjie.errors import FenjieError
from fenjie.serve import api, pages
from fenjie.serve.guard import CapUploads, LoginNeeded, LoopbackHostOnly, Unauthorized
from fenjie.serve.service import Service, Settings
from fenjie.serve.store import Conflict, NotFound
from fenjie.serve.worker import status_of

__all__ = ["Settings", "create_app"]

STATIC = Path(__file__).parent / "static"


def create_app(settings: Settings) -> FastAPI:
    service = Service(settings)
    templates = pages.templates()

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        yield
        service.converter.stop()  # a conversion in flight would hold the shutdown up to its timeout

    app = FastAPI(title="fenjie", version=__version__, docs_url=None, redoc_url=None, lifespan=lifespan,
                  description="Task-breakdown notices (通知 + 任务分解表) as structured data: upload a notice, read "
                  "its notice.json, correct a row, download tasks.xlsx and letters.zip. Errors are "
                  '`{"code", "message"}` with fenjie\'s error codes.')
    app.state.service = service
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    # The API docs from Swagger UI's files as installed (swagger-ui-py), not from a CDN: intranets have none.
    app.mount("/docs-static", StaticFiles(directory=Path(swagger_ui.__file__).parent / "static"), name="docs-static")
    app.add_middleware(CapUploads)
    if not settings.token:
        app.add_middleware(LoopbackHostOnly)
    app.include_router(api.router(service))
    app.include_router(pages.router(service, templates))

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="fenjie API",
                                   swagger_js_url="/docs-static/swagger-ui-bundle.js",
                                   swagger_css_url="/docs-static/swagger-ui.css",
                                   swagger_favicon_url="/docs-static/favicon-32x32.png")

    # Errors: {"code", "message"} for the API and for scripts, a page for people.

    def problem(request: Request, status: int, code: str, message: str, headers: dict | None = None) -> Response:
        if request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", ""):
            return JSONResponse({"code": code, "message": message}, status, headers=headers)
        response = pages.render(templates, service, request, "error.html", status, code=code, message=message,
                                status=status)
        response.headers.update(headers or {})
        return response

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

    return app
