"""Event dates: the expressions a sentence uses ("on May 7", "on Wednesday",
"yesterday", "last week", "earlier this month", "in 2013"), resolved against
the article's reference date with a precision.  With no reference date, a
relative expression stays unresolved: a date is never invented."""

from __future__ import annotations

import bisect
import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from ..clean.dates import FOUR_DIGITS, MONTHS, WEEKDAYS

_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_NUM_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}

# A pattern that may start only with a month's initial (or one of a few letters) says so in a lookahead
# before anything else: re then skips to those letters instead of trying the whole pattern at every
# character (about 40% less time on these three; the matches are the same, the lookahead holding at
# the start of any match).
_AT_MONTH = r"(?=[ADFJMNOS])"
EXPRESSIONS = [
    ("month_day_range", re.compile(_AT_MONTH + r"\b(?P<month>" + _MONTH + r")\s+(?P<day>\d{1,2})\s*(?:-|–|to|and)\s*(?:(?P<month2>" + _MONTH + r")\s+)?(?P<day2>\d{1,2})(?:,?\s+(?P<year>\d{4}))?\b")),
    ("day_month_range", re.compile(r"\b(?P<day>\d{1,2})\s*(?:-|–|to|and)\s*(?P<day2>\d{1,2})\s+(?P<month>" + _MONTH + r")(?:,?\s+(?P<year>\d{4}))?\b")),
    ("part_of_month", re.compile(r"(?=[elmt])\b(?P<part>early|mid|late|the end of|the beginning of|the start of|the middle of)[-\s]+(?P<month>" + _MONTH + r")(?:,?\s+(?P<year>\d{4}))?\b", re.I)),
    ("month_day", re.compile(_AT_MONTH + r"\b(?P<month>" + _MONTH + r")\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?!\d)(?:,?\s+(?P<year>\d{4}))?")),
    ("day_month", re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>" + _MONTH + r")(?:,?\s+(?P<year>\d{4}))?\b")),
    ("month_year", re.compile(r"\b(?:in\s+|last\s+|this\s+|next\s+)?(?P<month>" + _MONTH + r")(?:\s+(?P<year>\d{4}))?\b(?!\s+\d)")),
    ("weekday", re.compile(r"\b(?P<rel>last\s+|next\s+|this\s+)?(?P<weekday>" + _WEEKDAY + r")(?:'s)?\b")),
    ("relative_day", re.compile(r"\b(?P<word>yesterday|today|tonight|tomorrow|this morning|this afternoon|this evening|the same day|earlier today)\b", re.I)),
    ("relative_period", re.compile(r"\b(?P<word>last week|this week|next week|earlier this week|earlier this month|this month|last month|next month|earlier this year|this year|last year|next year)\b", re.I)),
    ("ago", re.compile(r"\b(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten|a)\s+(?P<unit>day|days|week|weeks|month|months|year|years)\s+ago\b", re.I)),
    ("year", re.compile(r"\b(?:in|since|from|of|until|by)\s+(?P<year>(?:19|20)\d{2})\b")),
]


# What every match of an expression above has: (a digit, words one of which it holds, whether those
# are looked for ignoring case). A month is written capitalised where its
# pattern heeds case; a weekday ends in "day". An expression added above needs its line here, and
# must keep it true: _matches runs a pattern only on a text that has what it needs
# (tests/test_dates.py checks the scan against running every pattern).
_DIGIT = re.compile(r"\d")
_MONTH_STARTS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_NEEDS = {
    "month_day_range": (True, _MONTH_STARTS, False),
    "day_month_range": (True, _MONTH_STARTS, False),
    "part_of_month": (False, tuple(m.lower() for m in _MONTH_STARTS), True),
    "month_day": (True, _MONTH_STARTS, False),
    "day_month": (True, _MONTH_STARTS, False),
    "month_year": (False, _MONTH_STARTS, False),
    "weekday": (False, ("day",), False),
    "relative_day": (False, ("day", "tonight", "tomorrow", "morning", "afternoon", "evening"), True),
    "relative_period": (False, ("week", "month", "year"), True),
    "ago": (False, ("ago",), True),
    "year": (True, (), False),
}
# Each tuple of words as one pattern, and as one that ignores case as the expressions that ignore it do
# (re's own case folding, also of letters outside ASCII: "ſ" is an "s"): a single scan tells whether
# the text holds one of them.
_WORDS = {(words, folded): re.compile("|".join(map(re.escape, words)), re.I if folded else 0)
          for _, words, folded in _NEEDS.values() if words}


# Only the first four expressions name a day explicitly (with a reference date, or with no reference
# date when they give the year): those, and the one before the last of them that may take their words
# ("early May 3, 2019"), are all that the article's reference date and main date need.
_DAY_KINDS = 1 + max(i for i, (kind, _) in enumerate(EXPRESSIONS)
                     if kind in ("month_day_range", "day_month_range", "month_day", "day_month"))


@dataclass(frozen=True, slots=True)
class DateExpr:
    start: int
    end: int
    text: str
    value: date | None
    precision: str  # day, week, month, year
    explicit: bool  # names the day itself (not only relative to the reference)
    last: date | None = None  # the last day of a range ("May 7-8", "7-8 May")


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def _year_for(month: int, day: int, ref: date | None) -> int | None:
    if ref is None:
        return None
    year = ref.year
    try:
        candidate = date(year, month, day)
    except ValueError:
        return year
    # "December 28" in an article of 2 January is last year's.
    if candidate > ref + timedelta(days=45):
        return year - 1
    return year


def find(text: str, ref: date | None, offset: int = 0, future: bool = False) -> list[DateExpr]:
    """Every date expression in ``text`` (offsets shifted by ``offset``)."""
    return list(_find(text, ref, offset, future))


@lru_cache(maxsize=256)
def _matches(text: str, kinds: int = len(EXPRESSIONS)) -> tuple[tuple[str, re.Match], ...]:
    """Every match of the first ``kinds`` expressions in ``text``, in the
    order of ``EXPRESSIONS``; a pattern runs only on a text with what its
    matches need (``_NEEDS``), so most sentences skip most patterns."""
    digit = _DIGIT.search(text) is not None
    holds: dict[tuple[tuple[str, ...], bool], bool] = {}  # (words, folded) → whether the text holds one
    out = []
    for kind, pattern in EXPRESSIONS[:kinds]:
        needs_digit, words, folded = _NEEDS[kind]
        if needs_digit and not digit:
            continue
        if words:
            held = holds.get((words, folded))
            if held is None:
                held = holds[(words, folded)] = _WORDS[(words, folded)].search(text) is not None
            if not held:
                continue
        out.extend((kind, m) for m in pattern.finditer(text))
    return tuple(out)


@lru_cache(maxsize=256)  # the coder asks again for each candidate of a sentence
def _find(text: str, ref: date | None, offset: int, future: bool,
          kinds: int = len(EXPRESSIONS)) -> tuple[DateExpr, ...]:
    out: list[DateExpr] = []
    starts: list[int] = []  # of the spans taken, which never overlap: sorted
    ends: list[int] = []
    for kind, m in _matches(text, kinds):  # the scan is shared by the calls with another reference or offset
        i = bisect.bisect_left(starts, m.start())
        if (i > 0 and ends[i - 1] > m.start()) or (i < len(starts) and starts[i] < m.end()):
            continue  # inside (or across) an expression an earlier pattern took
        expr = _resolve(kind, m, ref, future)
        if expr is None:
            continue
        value, precision, explicit = expr[:3]
        last = expr[3] if len(expr) > 3 else None
        starts.insert(i, m.start())
        ends.insert(i, m.end())
        out.append(DateExpr(offset + m.start(), offset + m.end(), m.group(), value, precision, explicit, last))
    out.sort(key=lambda d: d.start)
    # "on Monday (Jun 3)": the day named in full is the date.
    return tuple(d for i, d in enumerate(out)
                 if not (not d.explicit and i + 1 < len(out) and out[i + 1].explicit and out[i + 1].precision == "day"
                         and 0 <= out[i + 1].start - d.end <= 3
                         and text[d.end - offset:out[i + 1].start - offset].strip() in ("(", ",", "", "-")))


def _resolve(kind: str, m: re.Match, ref: date | None, future: bool):
    g = m.groupdict()
    if kind in ("month_day_range", "day_month_range", "month_day", "day_month"):
        month, day = _month(g["month"]), int(g["day"])
        if not 1 <= day <= 31:
            return None
        year = int(g["year"]) if g.get("year") else _year_for(month, day, ref)
        if year is None:
            return None, "day", True
        try:
            first = date(year, month, day)
        except ValueError:
            return None
        last = None
        if g.get("day2"):
            month2 = _month(g["month2"]) if g.get("month2") else month
            try:
                last = date(year + (month2 < month), month2, int(g["day2"]))
            except ValueError:
                last = None
            if last is not None and not first < last <= first + timedelta(days=31):
                last = None
        return first, "day", True, last
    if kind == "part_of_month":
        month = _month(g["month"])
        if g.get("year"):
            return date(int(g["year"]), month, 1), "month", True
        if ref is None:
            return None, "month", False
        year = ref.year if month <= ref.month + 1 else ref.year - 1
        return date(year, month, 1), "month", True
    if kind == "month_year":
        if g["month"].lower().startswith("may") and not g.get("year") and not m.group().lower().startswith(("in ", "last ", "this ", "next ")):
            return None  # the verb "may"
        month = _month(g["month"])
        if g.get("year"):
            return date(int(g["year"]), month, 1), "month", True
        if ref is None:
            return None, "month", False
        year = ref.year if month <= ref.month or m.group().lower().startswith("next") else ref.year - 1
        return date(year, month, 1), "month", False
    if kind == "weekday":
        wd = WEEKDAYS[g["weekday"].lower()[:3]]
        if ref is None:
            return None, "day", False
        rel = (g.get("rel") or "").strip().lower()
        if rel == "next" or (future and rel != "last"):
            delta = (wd - ref.weekday()) % 7 or 7
            return ref + timedelta(days=delta), "day", False
        back = (ref.weekday() - wd) % 7
        if rel == "last" and back == 0:
            back = 7
        return ref - timedelta(days=back), "day", False
    if kind == "relative_day":
        word = g["word"].lower()
        if word == "the same day":
            return None
        if ref is None:
            return None, "day", False
        shift = {"yesterday": -1, "tomorrow": 1}.get(word, 0)
        return ref + timedelta(days=shift), "day", False
    if kind == "relative_period":
        if ref is None:
            return None, "week", False
        word = g["word"].lower()
        if "week" in word:
            shift = {"last": -7, "next": 7}.get(word.split()[0], 0)
            return ref + timedelta(days=shift), "week", False
        if "month" in word:
            if word.startswith("last"):
                first = (ref.replace(day=1) - timedelta(days=1)).replace(day=1)
            elif word.startswith("next"):
                first = (ref.replace(day=28) + timedelta(days=4)).replace(day=1)
            else:
                first = ref.replace(day=1)
            return first, "month", False
        year = ref.year + {"last": -1, "next": 1}.get(word.split()[0], 0)
        return date(year, 1, 1), "year", False
    if kind == "ago":
        if ref is None:
            return None, "day", False
        n = g["n"].lower()
        n = 1 if n == "a" else _NUM_WORDS.get(n) or int(n)
        unit = g["unit"].lower().rstrip("s")
        if unit == "day":
            return ref - timedelta(days=n), "day", False
        if unit == "week":
            return ref - timedelta(days=7 * n), "week", False
        if unit == "month":
            month = ref.month - n
            year = ref.year + (month - 1) // 12
            month = (month - 1) % 12 + 1
            return date(year, month, min(ref.day, calendar.monthrange(year, month)[1])), "month", False
        return date(ref.year - n, ref.month, 1), "year", False
    if kind == "year":
        return date(int(g["year"]), 1, 1), "year", True
    return None


def day_of(value: str | None) -> date | None:
    """The day of an ISO date or time ("2025-05-08T09:44:00+07:00"), or None."""
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def reference_date(published: str | None, texts: list[str]) -> date | None:
    """The date an article's relative expressions count from: its publication
    day, else the latest full date (with a year) that it or its captions
    print, else None."""
    day = day_of(published)
    if day:
        return day
    best = None
    for text in texts:
        if not FOUR_DIGITS.search(text):
            continue  # with no reference, a day has a value only when its year is written
        for d in _find(text, None, 0, False, _DAY_KINDS):
            if d.value and d.precision == "day" and d.explicit:
                best = max(best, d.value) if best else d.value
    return best


def is_historical(expr: DateExpr, ref: date | None) -> bool:
    """A date well before the article's own time: background, not news."""
    if expr.value is None or ref is None:
        return False
    if expr.precision == "year":
        return expr.value.year < ref.year - (0 if ref.month > 2 else 1)
    return expr.value < ref - timedelta(days=60)


def main_date(paragraphs: list[str], ref: date | None) -> tuple[date, str] | None:
    """The day of the article's main happening: the first explicit day its
    opening paragraphs give (not a past anniversary, not a future plan)."""
    for text in paragraphs:
        for expr in _find(text, ref, 0, False, _DAY_KINDS):
            if expr.value and expr.precision == "day" and expr.explicit and not is_historical(expr, ref) \
                    and (ref is None or expr.value <= ref):
                return expr.value, expr.precision
    return None
