"""/relations/{a}/{b}: the record of a pair of countries."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ..api.relations import pair
from . import charts
from ._render import render

router = APIRouter(include_in_schema=False)


@router.get("/relations/{a}/{b}", response_class=HTMLResponse)
def relation(request: Request, a: str, b: str):
    x, y = pair(a, b)
    if (x, y) != (a, b):  # Vietnam/AZ → VNM/AZE: one address per pair
        return RedirectResponse(f"/relations/{x}/{y}", status_code=308)
    rec = request.app.state.store.relation(x, y)
    return HTMLResponse(render(request, "relation.html", rec=rec, a=x, b=y,
                               timeline=charts.level_timeline(rec["levels"]),
                               bars=charts.quad_bars(rec["quad_counts"])))
