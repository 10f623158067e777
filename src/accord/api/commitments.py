"""/api/commitments: what the parties committed to, sector by sector."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from ..store import filters as f
from ._models import ERRORS, Page
from ._params import CountryQuery, PagingDep, StoreDep, TextQuery, checked, countries, matching, text

router = APIRouter(prefix="/api/commitments", tags=["commitments"], responses=ERRORS)


@router.get("", response_model=Page, summary="Commitments, with the sentence that states each")
def list_commitments(store: StoreDep, paging: PagingDep, country: CountryQuery = None,
                     sector: Annotated[str | None, Query(description="One sector, e.g. energy or 'economy and trade'.")]
                     = None, q: TextQuery = None) -> dict:
    """Filters: ``country`` (a party; repeat it for commitments of every
    one), ``sector``, ``q`` (words of the sentence)."""
    rows = store.commitments(countries=countries(country), sector=checked("sector", f.sector, sector))
    wanted = matching(store, text(q), "commitments")
    if wanted is not None:
        rows = [r for r in rows if r["id"] in wanted]
    return paging.page(rows)
