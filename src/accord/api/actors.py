"""/api/actors: who the events name, each once, with how many events."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from ._models import ERRORS, Page
from ._params import PagingDep, StoreDep, TextQuery, checked, countries, text

router = APIRouter(prefix="/api/actors", tags=["actors"], responses=ERRORS)


@router.get("", response_model=Page, summary="The actors of the stored events, most named first")
def list_actors(store: StoreDep, paging: PagingDep,
                country: Annotated[str | None, Query(description="ISO alpha-3, alpha-2 or a name.")] = None,
                kind: Annotated[Literal["country", "person", "org"] | None, Query(description="What it is.")] = None,
                q: TextQuery = None) -> dict:
    """Filters: ``country`` (the actor's), ``kind``, ``q`` (words of the name).
    ``events`` counts the events that name the actor as source or target."""
    code = countries([country] if country else None)
    rows = checked("q", store.actors, country=code[0] if code else None, kind=kind, q=text(q))
    return paging.page(rows)
