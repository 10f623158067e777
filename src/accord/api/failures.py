"""/api/failures: the documents a stage dropped, with the reason."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from ._models import ERRORS, Page
from ._params import PagingDep, StoreDep, TextQuery, text

router = APIRouter(prefix="/api/failures", tags=["failures"], responses=ERRORS)


@router.get("", response_model=Page, summary="What was dropped, newest first")
def list_failures(store: StoreDep, paging: PagingDep,
                  stage: Annotated[Literal["read", "clean", "code", "store"] | None, Query(description="Only this stage.")]
                  = None, q: TextQuery = None) -> dict:
    """Filters: ``stage``, ``q`` (words of the document's name or the reason)."""
    rows = store.failures(stage=stage)
    words = (text(q) or "").lower().split()
    if words:
        rows = [r for r in rows if all(w in f"{r['source']} {r['reason']}".lower() for w in words)]
    return paging.page(rows)
