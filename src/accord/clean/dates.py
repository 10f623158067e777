"""Publication dates and times as pages print them, with their zone and
precision.  Numeric day/month order is resolved by the weekday when one is
given, then by plausibility (not in the future, near the dates the article
mentions), then by the outlet's locale."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

MONTHS = {
    m: i + 1
    for i, names in enumerate([
        ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
        ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
        ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"), ("december", "dec"),
    ])
    for m in names
}
WEEKDAYS = {
    w: i
    for i, names in enumerate([
        ("monday", "mon"), ("tuesday", "tue", "tues"), ("wednesday", "wed"), ("thursday", "thu", "thur", "thurs"),
        ("friday", "fri"), ("saturday", "sat"), ("sunday", "sun"),
    ])
    for w in names
}
ZONES = {"GMT": 0, "UTC": 0, "ICT": 7, "WIB": 7, "SGT": 8, "MYT": 8, "PHT": 8, "HKT": 8, "AWST": 8,
         "JST": 9, "KST": 9, "AEST": 10, "AEDT": 11, "IST": 5.5, "PKT": 5, "CET": 1, "CEST": 2,
         "EET": 2, "EEST": 3, "MSK": 3, "AZT": 4, "GST": 4, "BST": 1, "EST": -5, "EDT": -4,
         "CDT": -5, "PST": -8, "PDT": -7}

_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_WEEKDAY = r"(?:(?P<weekday>mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_TIME = r"(?P<hour>\d{1,2})[:h](?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?\s*(?P<ampm>[ap]\.?m\.?)?"
_ZONE = r"(?:\(?\s*(?:(?P<gmt>GMT|UTC)\s*(?P<offset>[+-]\s*\d{1,2}(?::?\d{2})?)?|(?P<abbr>[A-Z]{2,4}T))\s*\)?)?"
_SEP = r"\s*[,|\-–@]?\s*"

PATTERNS = [
    # 2025-05-08T09:44:00+07:00, 2025-05-08 09:44
    re.compile(r"(?P<year>\d{4})-(?P<mnum>\d{2})-(?P<day>\d{2})(?:[T ]" + _TIME + r"(?P<iso_zone>Z|[+-]\d{2}:?\d{2})?)?", re.I),
    # 27-MAR-1987 07:16:49.94
    re.compile(r"(?P<day>\d{1,2})-" + _MONTH + r"-(?P<year>\d{4})(?:\s+" + _TIME + ")?", re.I),
    # Thursday, 08/05/2025 09:44 (GMT+7)
    re.compile(_WEEKDAY + r"(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<year>\d{4})(?:" + _SEP + _TIME + r")?\s*" + _ZONE, re.I),
    # 09:02, May 14, 2025
    re.compile(_TIME + _SEP + _WEEKDAY + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})\s*" + _ZONE, re.I),
    # Mon, November 27, 2023 | 11:39 pm GMT+7
    re.compile(_WEEKDAY + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})(?:" + _SEP + _TIME + r")?\s*" + _ZONE, re.I),
    # Thursday 8 May 2025 09:44
    re.compile(_WEEKDAY + r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>\d{4})(?:" + _SEP + _TIME + r")?\s*" + _ZONE, re.I),
]


FOUR_DIGITS = re.compile(r"\d{4}")  # what every pattern above has: the year written in full


def _offset(m: re.Match) -> timezone | None:
    g = m.groupdict()
    if g.get("iso_zone"):
        z = g["iso_zone"]
        if z.upper() == "Z":
            return timezone.utc
        sign = -1 if z[0] == "-" else 1
        digits = z[1:].replace(":", "")
        return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0)))
    if g.get("gmt"):
        off = (g.get("offset") or "").replace(" ", "")
        if not off:
            return timezone.utc
        sign = -1 if off[0] == "-" else 1
        body = off[1:].replace(":", "")
        hours, minutes = (int(body[:-2]), int(body[-2:])) if len(body) > 2 else (int(body), 0)
        return timezone(sign * timedelta(hours=hours, minutes=minutes))
    if g.get("abbr") and g["abbr"].upper() in ZONES:
        return timezone(timedelta(hours=ZONES[g["abbr"].upper()]))
    return None


def _candidates(m: re.Match) -> list[date]:
    g = m.groupdict()
    year = int(g["year"])
    if g.get("a"):
        a, b = int(g["a"]), int(g["b"])
        out = []
        for day, month in ((a, b), (b, a)):
            try:
                out.append(date(year, month, day))
            except ValueError:
                pass
        return list(dict.fromkeys(out))
    month = int(g["mnum"]) if g.get("mnum") else MONTHS[g["month"].lower().rstrip(".")]
    try:
        return [date(year, month, int(g["day"]))]
    except ValueError:
        return []


def parse_published(
    line: str,
    *,
    locale: str = "dmy",
    now: datetime | None = None,
    mentioned: list[tuple[int, int]] | None = None,
) -> tuple[str, str] | None:
    """The first date (and time) in ``line`` as (ISO string, precision), or None.

    ``mentioned`` holds (month, day) pairs the article's text names, used to
    pick between day/month orders when the weekday does not decide."""
    if not FOUR_DIGITS.search(line):
        return None  # every pattern writes the year in full
    now = now or datetime.now(timezone.utc)
    for pattern in PATTERNS:
        m = pattern.search(line)
        if not m:
            continue
        cands = _candidates(m)
        if not cands:
            continue
        g = m.groupdict()
        if g.get("weekday") and len(cands) > 1:
            wd = WEEKDAYS[g["weekday"].lower()[:3]]
            cands = [c for c in cands if c.weekday() == wd] or cands
        if len(cands) > 1:
            cands = [c for c in cands if c <= now.date() + timedelta(days=1)] or cands
        decided = len(cands) == 1
        if len(cands) > 1 and mentioned:
            def distance(c: date) -> int:
                best = 10_000
                for month, day in mentioned:
                    try:
                        best = min(best, abs((c - date(c.year, month, day)).days))
                    except ValueError:
                        pass
                return best
            ranked = sorted(cands, key=distance)
            if distance(ranked[0]) < distance(ranked[1]):
                cands, decided = ranked, True
        if not decided and len(cands) > 1 and g.get("a"):
            a, b = int(g["a"]), int(g["b"])
            want = (a, b) if locale == "dmy" else (b, a)
            cands.sort(key=lambda c: (c.day, c.month) != want)
        day = cands[0]
        if g.get("hour") is None:
            return day.isoformat(), "day"
        hour, minute = int(g["hour"]), int(g["minute"])
        ampm = (g.get("ampm") or "").lower().replace(".", "")
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        if hour > 23 or minute > 59:
            return day.isoformat(), "day"
        second = int(g["second"]) if g.get("second") else 0
        tz = _offset(m)
        stamp = datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=tz)
        return stamp.isoformat(), "second" if g.get("second") else "minute"
    return None


_MENTION = re.compile(r"\b" + _MONTH + r"\s+(?P<day>\d{1,2})\b|\b(?P<day2>\d{1,2})\s+" + _MONTH.replace("month", "month2") + r"\b", re.I)


def mentioned_days(text: str) -> list[tuple[int, int]]:
    """(month, day) pairs written in the text: "May 7", "7 May"."""
    out = []
    for m in _MENTION.finditer(text):
        month = m.group("month") or m.group("month2")
        day = m.group("day") or m.group("day2")
        out.append((MONTHS[month.lower().rstrip(".")], int(day)))
    return out


_URL_DAY = re.compile(r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|[-_.]|$)")
_URL_DAY_COMPACT = re.compile(r"[/_-]((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)")
_URL_MONTH = re.compile(r"/((?:19|20)\d{2})/(0?[1-9]|1[0-2])/")


def url_date(url: str) -> tuple[str, str] | None:
    """The publication day a URL path carries ("/2025/05/08/", "-20250508-"),
    or its month ("/2025/05/"), with the precision."""
    for pattern in (_URL_DAY, _URL_DAY_COMPACT):
        m = pattern.search(url)
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat(), "day"
            except ValueError:
                continue
    m = _URL_MONTH.search(url)
    if m:
        return date(int(m.group(1)), int(m.group(2)), 1).isoformat(), "month"
    return None
