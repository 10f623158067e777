"""/api/events: the stored events, oldest first (undated last)."""

from __future__ import annotations

from fastapi import APIRouter

from ._models import ERRORS, Page
from ._params import FiltersDep, PagingDep, StoreDep, matching

router = APIRouter(prefix="/api/events", tags=["events"], responses=ERRORS)


@router.get("", response_model=Page, summary="The stored events, oldest first")
def list_events(store: StoreDep, paging: PagingDep, filters: FiltersDep) -> dict:
    """Filters: ``country`` (repeat it for events of every one), ``since``
    and ``until`` (the event's day), ``type`` (PLOVER), ``q`` (words of the
    evidence or of the article's title).  Each event carries its actors and
    its evidence: sentences with their offsets into the article's text."""
    rows = store.events(countries=filters.countries, since=filters.since, until=filters.until, type=filters.type)
    wanted = matching(store, filters.q, "events")
    if wanted is not None:
        rows = [r for r in rows if r["id"] in wanted]
    return paging.page(rows)
