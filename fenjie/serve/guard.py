"""Who may do what, and what is refused before the app sees it.

With a token, the API wants it as a Bearer token and the pages a login session; forms always carry a
CSRF token tied to the session (a page of another site cannot read it). Without a token, only names
of this machine are served. Request bodies are capped while they arrive.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import ipaddress
import json
import os
import secrets
from pathlib import Path

from fastapi import Request
from starlette.exceptions import HTTPException

from fenjie import pipeline
from fenjie.serve.worker import ServeError

SESSION = "fenjie_session"
MULTIPART_SLACK = 1 << 20  # a request may exceed the file's cap by its multipart framing


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


class LoginNeeded(Exception):
    """A page asked for without a session: the answer is the login page."""

    def __init__(self, path: str):
        self.path = path


class Guard:
    def __init__(self, token: str | None, secret_file: Path):
        self.token = token
        self.secret = hashlib.sha256(token.encode()).digest() if token else _secret(secret_file)

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

    def login(self, token: str) -> bool:
        return bool(self.token) and hmac.compare_digest(token, self.token)

    def bearer(self, request: Request) -> bool:
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        return scheme.lower() == "bearer" and self.login(given.strip())

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

    def page(self, request: Request) -> None:
        if self.session(request) is None:
            raise LoginNeeded(request.url.path)

    def form(self, request: Request, csrf: str | None) -> None:
        self.page(request)
        self.check_csrf(request, csrf)

    def _csrf_header_if_browser(self, request: Request) -> None:
        # Without a token anyone on this machine may call the API; a browser tab of another site may not:
        # a cross-site form post carries an Origin header naming that site.
        origin = request.headers.get("origin")
        if origin and origin.rstrip("/") != str(request.base_url).rstrip("/"):
            self.check_csrf(request, request.headers.get("x-csrf-token"))


def _secret(path: Path) -> bytes:
    """The key of the pages' CSRF tokens without a token, kept in the data folder so that a page
    opened before a restart still works after it."""
    with contextlib.suppress(FileNotFoundError):
        if len(secret := path.read_bytes()) == 32:
            return secret
    secret = secrets.token_bytes(32)
    tmp = path.with_name(path.name + ".tmp")
    descriptor = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(secret)
    os.replace(tmp, path)
    return secret


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
                return await refuse(send, 421, "bad-host", f"this server answers to 127.0.0.1 or localhost, not "
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
            return await refuse(send, 413, "too-large", f"{int(length) // 2**20} MB is beyond the "
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


async def refuse(send, status: int, code: str, message: str) -> None:
    """An error answered before the app sees the request."""
    body = json.dumps({"code": code, "message": message}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
