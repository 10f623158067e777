"""The values a query may be given, checked before any SQL runs: the CLI,
the Python API and the web API share these, so each refuses nonsense the
same way, with a ``QueryError`` that says what was expected."""

from __future__ import annotations

import calendar
import re
from datetime import date

from .._errors import QueryError
from ..code.lexicon import OLD_NAMES, PLOVER_TYPES, sectors

_PERIOD = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def period(value: str | date | None, *, end: bool = False, name: str = "date") -> str | None:
    """An ISO date, ``YYYY-MM`` or ``YYYY`` as the first day of that period
    (``end=True``: its last day), written ``YYYY-MM-DD`` so that stored dates
    compare with it as dates."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()
    m = _PERIOD.fullmatch(str(value).strip())
    if not m:
        raise QueryError(f"{name} {value!r} is not a date: give YYYY-MM-DD, YYYY-MM or YYYY")
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if day:
            return date(year, int(month), int(day)).isoformat()
        if month:
            first = date(year, int(month), 1)
            return first.replace(day=calendar.monthrange(year, first.month)[1]).isoformat() if end else first.isoformat()
        return date(year, 12, 31).isoformat() if end else date(year, 1, 1).isoformat()
    except ValueError as err:
        raise QueryError(f"{name} {value!r} is not a date ({err}): give YYYY-MM-DD, YYYY-MM or YYYY") from None


def date_range(since, until) -> tuple[str | None, str | None]:
    low, high = period(since, name="since"), period(until, end=True, name="until")
    if low and high and low > high:
        raise QueryError(f"since {since!r} is after until {until!r}")
    return low, high


def event_type(value: str | None) -> str | None:
    """A PLOVER type in any case, or one of its older names."""
    if value is None or value == "":
        return None
    upper = str(value).strip().upper()
    upper = OLD_NAMES.get(upper, upper)
    if upper not in PLOVER_TYPES:
        raise QueryError(f"type {value!r} is not a PLOVER event type: one of {', '.join(PLOVER_TYPES)}")
    return upper


def sector(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    known = [name for name, _ in sectors()] + ["general"]  # "general": a commitment no sector word names
    wanted = str(value).strip().lower()
    for name in known:
        if wanted == name or wanted == name.replace(" ", "-") or wanted == name.replace(" ", "_"):
            return name
    raise QueryError(f"sector {value!r} is unknown: one of {', '.join(repr(k) for k in known)}")


def limit(value: int | None, *, name: str = "limit") -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise QueryError(f"{name} must be a whole number of 1 or more, not {value!r}")
    return value


def country(value: str | None) -> str | None:
    """ISO alpha-3 from an alpha-3, alpha-2 code or a name, in any case."""
    if value is None or value == "":
        return None
    from ..nlp.gazetteer import gazetteer
    code = gazetteer().country_code(str(value))
    if code is None:
        raise QueryError(f"{value!r} is not a country accord knows: give an ISO code (VNM, VN) or a name (Vietnam)")
    return code
