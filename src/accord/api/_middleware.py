"""Small ASGI wrappers: security headers on every response, a cap on the
size of request bodies, one on the length of URLs, and HEAD answered as GET
without the body."""

from __future__ import annotations

import json

from starlette.requests import Request

from ._errors import SECURITY_HEADERS, error_body, respond

_HEADERS = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]


class SecurityHeaders:
    """Add the Content-Security-Policy (no inline script, nothing from
    elsewhere) and ``nosniff`` to every response that lacks them."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                have = {name.lower() for name, _ in message.get("headers", [])}
                message = {**message, "headers": list(message.get("headers", []))
                           + [(k, v) for k, v in _HEADERS if k not in have]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """Refuse a request body over ``max_bytes`` with a 413 before the app
    reads it: by its Content-Length, else by counting as it arrives (the
    body is then handed on whole)."""

    def __init__(self, app, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            return await self._too_large(send)
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.max_bytes:
                return await self._too_large(send)
            if not message.get("more_body"):
                break
        body, sent = b"".join(chunks), False

        async def replay():
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _too_large(self, send) -> None:
        payload = json.dumps(error_body(413, f"the request body is over {self.max_bytes:,} bytes: send a smaller "
                                             "document")).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(payload)).encode())] + _HEADERS})
        await send({"type": "http.response.body", "body": payload})


class UrlLimit:
    """Refuse a request whose path and query string together are over
    ``max_bytes`` with a 414 before any route parses them: an answer in
    the one error shape (a page for the pages), not a slow scan."""

    def __init__(self, app, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("raw_path") or scope["path"].encode()
        if len(path) + len(scope.get("query_string", b"")) <= self.max_bytes:
            return await self.app(scope, receive, send)
        response = respond(Request(scope), 414, f"the URL is over {self.max_bytes:,} bytes: ask for less, with "
                                                "fewer or shorter parameters")
        await response(scope, receive, send)


class HeadAsGet:
    """Answer HEAD as GET with the body left out (link checkers and uptime
    monitors ask ``HEAD /``); FastAPI's routes take GET only."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            return await self.app(scope, receive, send)

        async def send_headers_only(message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)
