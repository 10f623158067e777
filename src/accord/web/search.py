"""/search?q=: the countries, actors, stories and articles that match."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from .._errors import QueryError
from ..store import filters as f
from ._render import render

router = APIRouter(include_in_schema=False)

SHOWN = 50


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, q: Annotated[str, Query(max_length=200)] = "") -> HTMLResponse:
    store, q = request.app.state.store, q.strip()
    found = {"country": None, "partners": [], "actors": [], "stories": [], "articles": []}
    if q:
        try:
            found["country"] = f.country(q)
        except QueryError:
            pass
        if found["country"]:
            found["partners"] = sorted({c for s in store.stories(country=found["country"]) for c in s["countries"]}
                                       - {found["country"]})
        ids = store.search(q)
        found["actors"] = store.actors(q=q)
        found["stories"] = store.stories(ids=ids["stories"])
        by_id = {a["id"]: a for a in store.articles()}
        found["articles"] = [by_id[i] for i in ids["articles"] if i in by_id]
    return HTMLResponse(render(request, "search.html", q=q, shown=SHOWN, **found))
