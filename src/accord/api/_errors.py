"""Every error the web app answers, in one shape.

The JSON API answers ``{"error": {"status": 422, "message": "...",
"parameter": "since"}}`` (``parameter`` is null when no one parameter is to
blame); the pages answer the same status with a page that says the same.

    ApiError            a request the app refuses: a bad parameter (4xx),
                        an unknown id (404), writing not allowed (401, 403)
    QueryError          raised by the store's filters: 422
    RequestValidationError, HTTPException   FastAPI's and Starlette's own
    StoreError          the database cannot answer: 503
    anything else       logged, then a 500 in the same shape (a bug)
"""

from __future__ import annotations

import logging
import re

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.exceptions import HTTPException

from .._errors import QueryError, StoreError

log = logging.getLogger("accord.api")

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


class ApiError(Exception):
    """A request the app refuses, with the status, what to do, and the
    parameter to blame."""

    def __init__(self, status: int, message: str, parameter: str | None = None, headers: dict | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.parameter = parameter
        self.headers = headers


def error_body(status: int, message: str, parameter: str | None = None) -> dict:
    return {"error": {"status": status, "message": message, "parameter": parameter}}


def wants_json(request: Request) -> bool:
    path = request.url.path
    return path == "/api" or path.startswith("/api/") or path == "/openapi.json"


def respond(request: Request, status: int, message: str, parameter: str | None = None,
            headers: dict | None = None):
    """The error as JSON for the API, as a page for the pages."""
    headers = {**SECURITY_HEADERS, **(headers or {})}
    if wants_json(request):
        return JSONResponse(error_body(status, message, parameter), status_code=status, headers=headers)
    from ..web._render import render_error
    return HTMLResponse(render_error(request, status, message, parameter), status_code=status, headers=headers)


_NAMED = re.compile(r"(since|until|type|sector|limit|kind|q)\b")


def _blamed(message: str) -> str | None:
    """The parameter a store ``QueryError`` names first, if any."""
    m = _NAMED.match(message)
    return m.group(1) if m else None


def _validation_message(error: dict) -> tuple[str, str | None]:
    loc = [str(part) for part in error.get("loc", ())
           if part not in ("query", "path", "body", "header") and not isinstance(part, int)]
    parameter = loc[-1] if loc else None
    given = error.get("input")
    shown = f" (got {given!r})" if isinstance(given, (str, int, float)) and len(repr(given)) < 80 else ""
    message = error.get("msg", "invalid value")
    return (f"{parameter}: {message}{shown}" if parameter else f"{message}{shown}"), parameter


def install(app: FastAPI) -> None:
    """Wire the handlers above into ``app``."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        return respond(request, exc.status, exc.message, exc.parameter, exc.headers)

    @app.exception_handler(QueryError)
    async def _query_error(request: Request, exc: QueryError):
        return respond(request, 422, str(exc), _blamed(str(exc)))

    @app.exception_handler(StoreError)
    async def _store_error(request: Request, exc: StoreError):
        log.error("store error on %s: %s", request.url.path, exc)
        return respond(request, 503, f"the store cannot answer: {exc}")

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        errors = exc.errors()
        message, parameter = _validation_message(errors[0]) if errors else ("invalid request", None)
        if len(errors) > 1:
            message += f" (and {len(errors) - 1} more)"
        return respond(request, 422, message, parameter)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException):
        message = exc.detail if isinstance(exc.detail, str) else "request refused"
        if exc.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}: see /docs for the API and / for the pages"
        return respond(request, exc.status_code, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception):
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return respond(request, 500, "internal error: the server logged it; please report it with the URL")
