"""/api/relations/{a}/{b}: the record of a pair of countries."""

from __future__ import annotations

from fastapi import APIRouter, Path

from ..store import filters as f
from ._errors import ApiError
from ._models import ERRORS
from ._params import StoreDep

router = APIRouter(prefix="/api/relations", tags=["relations"], responses=ERRORS)

COUNTRY_PATH = "ISO alpha-3, alpha-2 or a name (Vietnam, VN, VNM)."


@router.get("/{a}/{b}", summary="A pair's level now and its history, timeline, quad counts, commitments, sources")
def get_relation(store: StoreDep, a: str = Path(description=COUNTRY_PATH),
                 b: str = Path(description="The other country.")) -> dict:
    """What ``accord relation A B --json`` prints: ``level`` and ``since``,
    ``levels`` (every level reached, with the story behind it),
    ``timeline`` (its stories), ``quad_counts`` (events by PLOVER quad class
    per month), ``commitments`` (by sector) and ``sources``."""
    return store.relation(*pair(a, b))


def pair(a: str, b: str) -> tuple[str, str]:
    """Two different countries as ISO alpha-3: 404 for one accord does not
    know, 422 for the same one twice."""
    codes = []
    for name, value in (("a", a), ("b", b)):
        try:
            codes.append(f.country(value))
        except ValueError as error:
            raise ApiError(404, str(error), name) from None
    if codes[0] == codes[1]:
        raise ApiError(422, f"a relation needs two different countries, not {codes[0]} twice", "b")
    return codes[0], codes[1]
