"""POST /api/documents: ingest one document, when the server was started
with ``ACCORD_WRITE_TOKEN`` set and the request carries it as a bearer
token.  Otherwise the API is read-only."""

from __future__ import annotations

import hmac
import threading

from fastapi import APIRouter, Request, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from .._errors import RefusedError
from ..clean.dates import parse_published
from ..models import Failure, RawDocument
from ..pipeline import extract_documents, refused
from ..read import content_id
from ..settings import Settings
from ..store import Store
from ._errors import ApiError
from ._models import DocumentIn, DocumentOut, ErrorOut

router = APIRouter(prefix="/api/documents", tags=["documents"])

MAX_BODY = 2_000_000  # bytes of one request body; more is a 413
_writing = threading.Lock()  # one ingest at a time: the store's duplicate index is not shared safely

_ERRORS = {status: {"model": ErrorOut} for status in (401, 403, 413, 414, 422, 503)}
_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": DocumentIn.model_json_schema()}}}}


_STORED = {201: {"description": "Stored: a new article, with what was found in it."},
           200: {"model": DocumentOut, "description": "Already stored (the same bytes): a sighting is noted, and "
                                                      "the stored article's title and counts are given."}}


@router.post("", status_code=201, response_model=DocumentOut, responses=_STORED | _ERRORS, openapi_extra=_BODY,
             summary="Ingest one document (needs ACCORD_WRITE_TOKEN)")
async def post_document(request: Request, response: Response) -> dict:
    """Read, clean, code and store one document given as JSON: ``text`` or
    ``html``, and optionally ``url``, ``outlet``, ``published``, ``title``.
    Send ``Authorization: Bearer <token>``.  A new article is 201; the same
    bytes again add only a sighting and answer 200 (``new`` is false) with
    the stored article's title and counts.  Bodies over 2 MB are refused (413)."""
    token = request.app.state.write_token
    if not token:
        raise ApiError(403, "this server is read-only: start 'accord serve' with ACCORD_WRITE_TOKEN set to accept "
                            "documents")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise ApiError(401, "send the write token as 'Authorization: Bearer <token>'", "Authorization",
                       headers={"WWW-Authenticate": "Bearer"})
    try:
        doc = DocumentIn.model_validate_json(await request.body())
    except ValidationError as error:
        first = error.errors()[0]
        where = [str(p) for p in first.get("loc", ()) if not isinstance(p, int)]
        raise ApiError(422, f"{'.'.join(where) + ': ' if where else ''}{first['msg']}; send JSON like "
                            '{"text": "Title\\n\\nBody..."}', where[-1] if where else None) from None
    store: Store = request.app.state.store
    if store.read_only:
        raise ApiError(403, f"the database {store.url} is read-only for this server: give it write access")
    out = await run_in_threadpool(ingest_one, store, request.app.state.settings, doc)
    if not out["new"]:
        response.status_code = 200
    return out


def ingest_one(store: Store, settings: Settings, doc: DocumentIn) -> dict:
    """What ``accord ingest`` does for one document, in one go."""
    body = doc.html or doc.text or ""
    raw = RawDocument(id=content_id(body.encode("utf-8")), source=doc.url or "<api>", text=body,
                      kind="html" if doc.html else "text", url=doc.url, outlet=doc.outlet,
                      published=doc.published, title=doc.title)
    with _writing:
        published = parse_published(raw.published) if raw.published else None
        if store.has_document(raw.id) and (published or not raw.published):
            store.add_sighting(raw.id, raw.source, url=raw.url, outlet=raw.outlet,
                               published=published[0] if published else None)
            return _stored(store, raw.id)
        (item,) = extract_documents([raw], settings)
        if isinstance(item, Failure):
            store.add_failure(item)
            raise ApiError(422, f"the document was not stored: {item.stage} stage: {item.reason}",
                           "html" if doc.html else "text")
        try:
            new = store.add_article(item)
        except RefusedError as err:
            store.add_failure(refused(item, err))
            raise ApiError(422, f"the document was not stored: store stage: {err.reason}",
                           "html" if doc.html else "text") from None
        if not new:  # another writer stored the same bytes meanwhile
            return _stored(store, item.id)
        store.resolve([item.id])
    return {"id": item.id, "new": True, "title": item.title, "events": len(item.events),
            "commitments": len(item.commitments), "url": f"/api/articles/{item.id}"}


def _stored(store: Store, article_id: str) -> dict:
    """The answer for a document stored before: the stored article's."""
    article = store.article_summary(article_id) or {"id": article_id}
    return {**article, "new": False, "url": f"/api/articles/{article_id}"}
