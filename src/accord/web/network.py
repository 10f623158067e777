"""/network: countries as nodes, the level of each pair as an edge."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from ..api._errors import ApiError
from . import charts
from ._pairs import as_of, leveled_pairs
from ._render import render

router = APIRouter(include_in_schema=False)


@router.get("/network", response_class=HTMLResponse)
def network(request: Request, level: Annotated[str, Query(max_length=10)] = "",
            year: Annotated[str, Query(max_length=10)] = "") -> HTMLResponse:
    """``level``: only pairs at this rank (0-9) or higher; ``year``: the
    levels as they stood at its end.  Empty (the form's "any") is no filter."""
    rank, until = _whole("level", level, 0, 9), _whole("year", year, 1900, 2100)
    every = leveled_pairs(request.app.state.store)
    years = sorted({lv["since"][:4] for p in every for lv in p["levels"] if lv["since"]})
    pairs = every
    if until is not None:
        pairs = [p for p in (as_of(p, until) for p in pairs) if p]
    if rank is not None:
        pairs = [p for p in pairs if p["rank"] >= rank]
    return HTMLResponse(render(request, "network.html", graph=charts.network(pairs), pairs=pairs, level=rank,
                               year=until, years=years))


def _whole(name: str, value: str, low: int, high: int) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit() or not low <= int(value) <= high:
        raise ApiError(422, f"{name} must be a whole number from {low} to {high}, not {value!r}", name)
    return int(value)
