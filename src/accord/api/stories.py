"""/api/stories: happenings that one or more articles report."""

from __future__ import annotations

from fastapi import APIRouter, Path

from ._errors import ApiError
from ._models import ERRORS, Page
from ._params import FiltersDep, PagingDep, StoreDep, matching

router = APIRouter(prefix="/api/stories", tags=["stories"], responses=ERRORS)


@router.get("", response_model=Page, summary="Happenings, oldest first, with their sources")
def list_stories(store: StoreDep, paging: PagingDep, filters: FiltersDep) -> dict:
    """Filters: ``country`` (repeat it for stories of every one), ``since``
    and ``until`` (the story's day), ``type`` (PLOVER), ``q`` (words of its
    evidence or of its articles' titles)."""
    wanted = matching(store, filters.q, "stories")
    rows = store.stories(countries=filters.countries, type=filters.type, since=filters.since, until=filters.until,
                         ids=sorted(wanted) if wanted is not None else None)
    return paging.page(rows)


@router.get("/{story_id}", summary="One happening: its articles, sources, first report and evidence")
def get_story(store: StoreDep, story_id: int = Path(ge=1, le=2**63 - 1, description="The story's id.")) -> dict:
    story = store.story(story_id)
    if story is None:
        raise ApiError(404, f"no story {story_id} in the store: see /api/stories", "story_id")
    return story
