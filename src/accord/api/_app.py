"""``create_app(settings)``: one FastAPI app for the JSON API (/api,
described at /openapi.json and /docs) and the pages, over one store."""

from __future__ import annotations

import os
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from .. import __version__
from ..settings import Settings
from ..store import Store
from . import _errors, actors, articles, commitments, docs, documents, events, failures, relations, stories
from ._middleware import BodyLimit, HeadAsGet, SecurityHeaders, UrlLimit
from ._params import MAX_URL, checked_query

STATIC = Path(__file__).resolve().parents[1] / "web" / "static"


def create_app(settings: Settings | None = None, *, write_token: str | None = None) -> FastAPI:
    """The app over the store at ``settings.db``, which must exist (as for
    the reading commands).  ``write_token`` (default: ``ACCORD_WRITE_TOKEN``)
    turns on ``POST /api/documents`` for requests that carry it; without
    one the API is read-only.  Raises ``StoreError`` when the store cannot
    be opened."""
    from ..web import routers as pages

    settings = settings or Settings()
    store = Store(settings.db, duplicate_threshold=settings.near_duplicate_threshold, must_exist=True)
    app = FastAPI(title="accord", version=__version__, docs_url=None, redoc_url=None, lifespan=_lifespan,
                  dependencies=[Depends(checked_query)],
                  description="What countries did with each other, read from the news, with the evidence. "
                              "Lists answer `{total, limit, offset, items}`; errors answer "
                              '`{"error": {"status", "message", "parameter"}}`.')
    app.state.settings = settings
    app.state.store = store
    app.state.write_token = (write_token if write_token is not None else os.environ.get("ACCORD_WRITE_TOKEN")) or None
    for module in (articles, events, stories, actors, relations, commitments, failures, documents, docs):
        app.include_router(module.router)
    for router in pages:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _errors.install(app)
    app.add_middleware(BodyLimit, max_bytes=documents.MAX_BODY)
    app.add_middleware(UrlLimit, max_bytes=MAX_URL)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HeadAsGet)
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI):
    yield
    app.state.store.close()
