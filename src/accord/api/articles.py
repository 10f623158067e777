"""/api/articles: the stored articles; one with its text, events and sightings."""

from __future__ import annotations

from fastapi import APIRouter, Path

from ..store import Store
from ._errors import ApiError
from ._models import ERRORS, Page
from ._params import ArticleFiltersDep, PagingDep, StoreDep, checked, matching

router = APIRouter(prefix="/api/articles", tags=["articles"], responses=ERRORS)


@router.get("", response_model=Page, summary="The stored articles, in the order they were first seen")
def list_articles(store: StoreDep, paging: PagingDep, filters: ArticleFiltersDep) -> dict:
    """Filters: ``country`` (an event of it; repeated: an event of them
    all), ``since`` and ``until`` (the publication day), ``q`` (words of the
    title or text).  Items leave the text out: ask ``/api/articles/{id}``."""
    rows = checked("country", store.articles, country=_one(filters.countries), since=filters.since,
                   until=filters.until)
    if len(filters.countries) > 1:  # an event that involves them all
        ids = {e["article_id"] for e in store.events(countries=filters.countries)}
        rows = [r for r in rows if r["id"] in ids]
    wanted = matching(store, filters.q, "articles")
    if wanted is not None:
        rows = [r for r in rows if r["id"] in wanted]
    return paging.page([{k: v for k, v in r.items() if k != "text"} for r in rows])


@router.get("/{article_id}", summary="One article with its text, events and sightings")
def get_article(store: StoreDep, article_id: str = Path(
        description="The article's id (sha256:...), or the first 12 or more hex digits of it.")) -> dict:
    article = find(store, article_id)
    article["events"] = [e for e in store.events() if e["article_id"] == article["id"]]
    article["sightings"] = store.sightings(article["id"])
    return article


def find(store: Store, article_id: str) -> dict:
    """The article ``article_id`` names: a whole id or a unique prefix of
    its hex digits (12 or more, as the CLI prints them); 404 when none."""
    wanted = article_id.strip().lower().removeprefix("sha256:")
    if len(wanted) < 12 or any(ch not in "0123456789abcdef" for ch in wanted):
        raise ApiError(404, f"no article {article_id!r}: give its id (sha256:...) or 12 or more of its hex digits",
                       "article_id")
    found = [a for a in store.articles() if a["id"].removeprefix("sha256:").startswith(wanted)]
    if not found:
        raise ApiError(404, f"no article {article_id!r} in the store: see /api/articles", "article_id")
    if len(found) > 1:
        raise ApiError(422, f"{article_id!r} is the start of {len(found)} article ids: give more digits", "article_id")
    return found[0]


def _one(codes: list[str]) -> str | None:
    return codes[0] if codes else None
