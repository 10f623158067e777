"""The query parameters the endpoints share, checked by the store's own
filters so that the API refuses what the CLI refuses, and pagination."""

from __future__ import annotations

from dataclasses import dataclass
from types import UnionType
from typing import Annotated, Callable, Union, get_args, get_origin
from urllib.parse import parse_qsl

from fastapi import Depends, Query, Request

from .._errors import QueryError
from ..store import Store
from ..store import filters as f
from ._errors import ApiError

MAX_LIMIT = 1000
DEFAULT_LIMIT = 50
MAX_URL = 8_192  # bytes of path and query string; more is a 414
MAX_COUNTRIES = 10  # of a repeated country; each is one more condition in the query
MAX_WORDS = 10  # of q; each word is one more scan of the text


def checked(parameter: str, check: Callable, *args, **kwargs):
    """``check(*args, **kwargs)``, or a 422 that blames ``parameter``."""
    try:
        return check(*args, **kwargs)
    except QueryError as error:
        raise ApiError(422, str(error), parameter) from None


async def checked_query(request: Request) -> None:
    """Every route's first dependency: refuse, with a 422 naming it, a query
    parameter of the JSON API that its endpoint does not take (``?contry=VNM``
    would answer everything), one that takes a single value given twice
    (``?type=AGREE&type=CONSULT`` would keep the last), and an empty value
    (``?country=``, an unset variable in a script).  The pages' forms send
    empty fields, so the pages are left alone."""
    route = request.scope.get("route")
    if route is None or not request.url.path.startswith("/api/"):
        return
    names = _QUERY_NAMES.get(id(route))
    if names is None:
        names = _QUERY_NAMES[id(route)] = _query_names(route)
    seen: set[str] = set()
    for name, value in parse_qsl(request.scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True):
        if name not in names:
            known = ", ".join(sorted(names)) or "none"
            raise ApiError(422, f"{name!r} is not a parameter of this endpoint (it takes: {known})", name)
        if not value.strip():
            raise ApiError(422, f"{name} is empty: give a value, or leave it out", name)
        if name in seen and not names[name]:
            raise ApiError(422, f"{name} is given twice: give it once", name)
        seen.add(name)


_QUERY_NAMES: dict = {}  # id of a route (they live as long as the app) → {query parameter: whether it takes several values}


def _query_names(route) -> dict[str, bool]:
    from fastapi.dependencies.utils import get_flat_params
    from fastapi.params import Query as QueryInfo

    return {f.alias: _several(f.field_info.annotation) for f in get_flat_params(route.dependant)
            if isinstance(f.field_info, QueryInfo)}


def _several(annotation) -> bool:
    origin = get_origin(annotation)
    if origin in (list, tuple, set, frozenset):
        return True
    return origin in (Union, UnionType) and any(_several(a) for a in get_args(annotation))


def store(request: Request) -> Store:
    return request.app.state.store


@dataclass(frozen=True, slots=True)
class Paging:
    limit: int
    offset: int

    def page(self, rows: list) -> dict:
        """One page of ``rows`` with the total it was cut from."""
        return {"total": len(rows), "limit": self.limit, "offset": self.offset,
                "items": rows[self.offset:self.offset + self.limit]}


def paging(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"At most this many items (1 to {MAX_LIMIT}).")]
    = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, description="Skip this many items first.")] = 0,
) -> Paging:
    return Paging(limit, offset)


@dataclass(frozen=True, slots=True)
class Filters:
    """The checked values: countries as ISO alpha-3, days as YYYY-MM-DD."""
    countries: list[str]
    since: str | None
    until: str | None
    type: str | None
    q: str | None


CountryQuery = Annotated[list[str] | None, Query(max_length=MAX_COUNTRIES, description=(
    f"ISO alpha-3, alpha-2 or a name (Vietnam, VN, VNM); repeat it (up to {MAX_COUNTRIES} times) for items that "
    "involve every one."))]
SinceQuery = Annotated[str | None, Query(description="From this day: YYYY-MM-DD, YYYY-MM or YYYY.")]
UntilQuery = Annotated[str | None, Query(description="Up to this day: YYYY-MM-DD, YYYY-MM (its last day) or YYYY.")]
TypeQuery = Annotated[str | None, Query(alias="type", description="PLOVER event type, e.g. CONSULT.")]
TextQuery = Annotated[str | None, Query(max_length=200, description=(
    f"Words to look for (at most {MAX_WORDS}), every one, in any case: in the evidence sentences and article titles "
    "(articles: title and text; commitments: the sentence)."))]


def countries(values: list[str] | None) -> list[str]:
    return [checked("country", f.country, v) for v in values or [] if v]


def text(value: str | None) -> str | None:
    """``q`` stripped, or None; a 422 over ``MAX_WORDS`` words, which would
    each cost a scan."""
    value = (value or "").strip()
    if len(value.split()) > MAX_WORDS:
        raise ApiError(422, f"q holds {len(value.split())} words: give at most {MAX_WORDS}", "q")
    return value or None


def filters(country: CountryQuery = None, since: SinceQuery = None, until: UntilQuery = None,
            type_: TypeQuery = None, q: TextQuery = None) -> Filters:
    low = checked("since", f.period, since, name="since")
    high = checked("until", f.period, until, end=True, name="until")
    if low and high and low > high:
        raise ApiError(422, f"since {since!r} is after until {until!r}", "until")
    return Filters(countries(country), low, high, checked("type", f.event_type, type_), text(q))


def article_filters(country: CountryQuery = None, since: SinceQuery = None, until: UntilQuery = None,
                    q: TextQuery = None) -> Filters:
    """The filters of articles: no event type."""
    return filters(country, since, until, None, q)


def matching(store: Store, q: str | None, what: str) -> set | None:
    """The ids of ``what`` (articles, events, stories, commitments) that
    hold the words of ``q``; None when there is no ``q``."""
    if not q:
        return None
    return set(checked("q", store.search, q)[what])


PagingDep = Annotated[Paging, Depends(paging)]
FiltersDep = Annotated[Filters, Depends(filters)]
ArticleFiltersDep = Annotated[Filters, Depends(article_filters)]
StoreDep = Annotated[Store, Depends(store)]
