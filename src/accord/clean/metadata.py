"""Article metadata from the lines around and at the edges of the body:
title, publication time, credit of the original source, the republishing
outlet, the dateline."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import Place
from ..nlp.gazetteer import Gazetteer
from .dates import mentioned_days, parse_published
from .lines import Layout, is_caption, words

DASH = r"(?:—|–|--|-)"
LEAD_CREDIT = re.compile(r"^\(?(?P<lead>[^()—–\-:]{2,30}?)\)?\s*" + DASH + r"\s*")
_MONTH_WORD = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d"
DATELINE = re.compile(
    r"^(?P<place>[^\W\d_][\w'’.]*(?:[ -][^\W\d_][\w'’.]*){0,3}?)"
    r"(?:\s*,\s*(?!" + _MONTH_WORD + r")(?P<region>[A-Z][\w'’.]*(?:\s[A-Z][\w'’.]*){0,2}))?"  # "MARIUPOL, Ukraine"
    r"(?:\s*,\s*(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}))?"
    r"(?:\s*\((?P<agency>[^)]{2,30})\)|\s*,\s*(?P<agency2>[A-Z][A-Za-z]{2,15})(?=\s*[.\-—–]))?"  # "Baku, May 7, AZERTAC."
    r"\s*(?P<dash>—|–|--|-|:|(?<=[A-Z]{3})\.|(?<=\))(?=\s))(?P<space>\s*)"  # "(CNA) Taiwan said": no dash
)
TRAILING_CREDIT = re.compile(r"(?P<sep>\s*" + DASH + r"{1,2}\s*|(?<=[.!?”\"])\s+)\(?(?P<agency>[A-Za-z][\w./ ]{1,30}?)\)?\s*$")
CAPTION_CREDIT = re.compile(
    r"(?:\(\s*photo\s*[:/]\s*(?:[^)]*/)?(?P<a>[^)/]+)\)|\bphoto\s*:\s*(?:[^/|]*/)?(?P<b>[\w.]+)\s*\|?\s*$|[—–-]\s*(?P<c>[\w/]+)\s+photo\b)",
    re.I,
)
OUTLET_PATTERNS = [
    re.compile(r"cite the source as (?P<o>[A-Z][\w'’&. -]{2,60}?)(?: when| if|[.,;]|$)", re.I),
    re.compile(r"(?:©|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*-\s*\d{4})?\s*)?(?:by\s+)?(?P<o>[A-Z][\w'’&. -]{2,60}?)\s*(?:[.,|]|all rights|$)", re.I),
]
NOT_PLACES = {"note", "update", "updated", "photo", "video", "editor", "source", "watch", "read", "breaking",
              "exclusive", "opinion", "analysis", "comment", "live", "related", "tags", "by", "q", "a", "answer",
              "question", "attention", "warning", "summary", "highlights", "context", "background"}


@dataclass(frozen=True, slots=True)
class Metadata:
    title: str | None
    published: str | None
    published_precision: str | None
    credit: str | None
    outlet: str | None
    dateline: Place | None
    dateline_end: int  # characters of the first body line taken by credit and dateline


def _agency(name: str, gaz: Gazetteer) -> str | None:
    entry = gaz.agency(name.strip())
    return entry.name if entry else None


def dateline(first: str, gaz: Gazetteer, text: str = "", strict: bool = False) -> tuple[Place | None, str | None, int]:
    """(place, credit, end offset) from the opening of the first body line:
    ``BAKU —``, ``Hanoi (VNA) -``, ``BUENOS AIRES, July 18 --``,
    ``VOV.VN - ``, ``VIETNAM, November 27 - HÀ NỘI —``."""
    credit = None
    pos = 0
    m = LEAD_CREDIT.match(first)
    if m and _agency(m.group("lead"), gaz):
        credit = _agency(m.group("lead"), gaz)
        pos = m.end()
    place = None
    for _ in range(2):  # "COUNTRY, date - CITY —": the second one is the place
        m = DATELINE.match(first, pos)
        if not m:
            break
        name = m.group("place").strip()
        agency = m.group("agency") or m.group("agency2")
        letters = [c for c in name if c.isalpha()]
        caps = bool(letters) and all(c.isupper() for c in letters)
        entry = gaz.place(name)
        dash = m.group("dash")
        if dash == ":" and (agency or " " in name or name.lower() in NOT_PLACES or not m.group("space")):
            if not entry:
                break
        if dash != ":" and not m.group("space") and not agency:
            break
        if not (caps or entry or agency or dash == ":"):
            break
        if strict and not (agency or (caps and dash != ":")):
            break
        if name.lower() in NOT_PLACES or words(name) > 4:
            break
        if agency and not credit:
            credit = _agency(agency, gaz) or (agency if agency.isupper() else None)
        if entry is None and caps and _agency(name, gaz):
            credit = credit or _agency(name, gaz)
            pos = m.end()
            continue
        display = entry.name if entry and entry.kind in ("capital", "city", "town") else (name.title() if caps else name)
        region = gaz.country_code(m.group("region")) if m.group("region") else None
        if m.group("region") and region is None and entry is None:
            break  # "Paris, Texas"-like regions accord does not know: no guess
        country = entry.country if entry and (region is None or entry.country == region) else (
            region or _country_from_text(text, gaz))
        place = Place(display, country)
        pos = m.end()
        if entry is None or entry.kind != "country":
            break
    return place, credit, pos


def _country_from_text(text: str, gaz: Gazetteer) -> str | None:
    """For a dateline place accord does not know: the first place the text
    puts something "in" or "to" that it does know."""
    for m in re.finditer(r"\b(?:in|to|at)\s+((?:[A-Z][\w'’-]+\s?){1,3})", text):
        entry = gaz.place(m.group(1).strip())
        if entry and entry.country:
            return entry.country
    return None


def trailing_credit(last: str, gaz: Gazetteer) -> tuple[str | None, str]:
    """A credit written at the end of the body (``… — VNA/VNS``, ``REUTERS``)."""
    m = TRAILING_CREDIT.search(last, max(0, len(last) - 400))  # a credit is at the very end
    if m:
        agency = _agency(m.group("agency"), gaz)
        name = m.group("agency")
        if agency and (m.group("sep").strip() or name.isupper() or len(name) > 3):
            return agency, last[: m.start()].rstrip()
    return None, last


def caption_credit(lines, gaz: Gazetteer) -> str | None:
    for line in lines:
        m = CAPTION_CREDIT.search(line.text)
        if m:
            name = (m.group("a") or m.group("b") or m.group("c") or "").strip()
            agency = _agency(name, gaz)
            if agency:
                return agency
    return None


def outlet_from(lines) -> str | None:
    for pattern in OUTLET_PATTERNS:
        for line in lines:
            m = pattern.search(line.text)
            if m:
                return m.group("o").strip(" .,-")
    return None


META_LINE = re.compile(r"^(?:by|written by|updated|last updated|published|posted|posted on|reporter|author)\b|\bago\b|"
                       r"^(?:skip to|jump to|menu|search|sign in|log in|subscribe)\b", re.I)


def title_from(layout: Layout) -> str | None:
    """The last headline-like line before the body, bylines and "updated"
    stamps aside."""
    candidates = [l.text for l in layout.header if l.kind == "short" and words(l.text) >= 4
                  and not is_caption(l.text) and not META_LINE.search(l.text)]
    return candidates[-1] if candidates else None


def published_from(layout: Layout, locale: str) -> tuple[str | None, str | None]:
    body_text = " ".join(l.text for l in layout.body)
    mentioned = mentioned_days(body_text[:20_000])  # the days the opening mentions
    for line in layout.header + layout.footer + layout.dropped:
        if line.kind == "date" or (line.kind == "credit" and words(line.text) <= 10):
            found = parse_published(line.text, locale=locale, mentioned=mentioned)
            if found:
                return found
    return None, None
