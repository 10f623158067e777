"""/: a search box, the latest stories, the pairs whose level changed last."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ._pairs import leveled_pairs
from ._render import render

router = APIRouter(include_in_schema=False)

LATEST = 12


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    store = request.app.state.store
    stories = store.stories()
    latest = sorted(stories, key=lambda s: (s["date"] or "", s["id"]), reverse=True)[:LATEST]
    changed = sorted(leveled_pairs(store), key=lambda p: (p["since"] or "", p["a"], p["b"]), reverse=True)[:LATEST]
    return HTMLResponse(render(request, "home.html", stories=latest, story_total=len(stories), pairs=changed,
                               counts=store.counts()))
