"""When and where an event happened: the date expressions of the trigger's
own clause resolved against the article's reference day, and the place
named with "in", "at" or "into" (the visit's host and the dateline as
fallbacks)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..models import Place
from ..nlp.text import span_text
from . import dates as event_dates
from .state import DocState

PLACE_PREPS = {"in", "at", "inside", "near", "across", "throughout", "around"}


@dataclass(frozen=True, slots=True)
class When:
    """An event's date with where it comes from (see ``Event.date_source``)."""

    value: date | None
    precision: str | None
    source: str | None  # stated, dateline, published
    last: date | None = None
    reason: str | None = None  # why there is no date


def _event_date(token, semantic_token, sent, state: DocState, future: bool, hypothetical: bool = False):
    """The best date the report supports for an event: ``When``, or
    "historical" for background."""
    base = state.offset + sent.start_char
    root = token
    while (root.i == token.i or root.pos_ not in ("VERB", "AUX")) and root.head.i != root.i:
        root = root.head
    lo = state.offset + root.left_edge.idx
    hi = state.offset + root.right_edge.idx + len(root.right_edge)
    exprs = [e for e in event_dates.find(span_text(sent), state.ref, offset=base, future=future) if lo <= e.start < hi]
    if exprs:
        # The expression closest to the trigger, preferring one in its own clause.
        clause = {state.offset + t.idx for t in token.subtree} | {state.offset + t.idx for t in semantic_token.subtree}
        here = state.offset + token.idx

        def rank(e):
            inside = any(e.start <= i < e.end for i in clause)
            return (not inside, abs(e.start - here))
        best = min(exprs, key=rank)
        own = {token.lower_, semantic_token.lower_}
        if event_dates.is_historical(best, state.ref) or _since(span_text(sent)[:best.start - base], own):
            return "historical"
        if future and best.value and state.ref and best.value > state.ref:
            # A promise is dated when it is made, not when it is kept.
            return _news_day(state, hypothetical) if not state.main_date else When(*state.main_date, "stated")
        if best.value:
            if state.main_date is None and best.precision == "day":
                state.main_date = (best.value, best.precision)
            return When(best.value, best.precision, "stated", best.last)
        return When(None, None, None, reason="unresolved")  # "on Wednesday" with nothing to count from
    if state.dateline_day and not hypothetical:
        return When(state.dateline_day, "day", "dateline")
    if state.main_date:
        return When(*state.main_date, "stated")  # the day the report gives its main happening
    return _news_day(state, hypothetical)


def _news_day(state: DocState, hypothetical: bool) -> When:
    """A report with no date of its own is news of its day: the dateline's
    date, else the publication day (a visit or talks reported in the past
    tense took place on or just before it)."""
    if hypothetical:
        return When(None, None, None, reason="hypothetical")
    if state.dateline_day:
        return When(state.dateline_day, "day", "dateline")
    if state.published_day:
        return When(state.published_day, "day", "published")
    return When(None, None, None, reason="unsupported")


def _since(before: str, own: set[str] = frozenset()) -> bool:
    """"since 2013", "established in 2018": the date of something earlier,
    unless that word is the event's own trigger ("they signed an agreement
    on Tuesday")."""
    m = re.search(r"\b(since|established|founded|set up|signed)\s+(?:\w+\s+){0,3}$", before[-60:].lower())
    return bool(m) and m.group(1) not in own


def _place_of(token, state: DocState) -> Place | None:
    """The place a noun names: "Baku", "Tokyo, Japan", "Ho Chi Minh City"
    (the name must cover the noun itself, not a country further on)."""
    start = state.offset + token.left_edge.idx
    end = state.offset + token.idx + len(token)
    for m in state.index.places:
        if m.start >= start and m.start < end and m.end >= state.offset + token.idx:
            e = m.entry
            name = e.name if e.kind in ("capital", "city", "town") else state.index.gaz.countries[e.country].name
            return Place(name, e.country)
    return None


def _own_place(token, state: DocState) -> Place | None:
    """The place the trigger's own clause names with "in", "at" or "into"
    ("eased emergency measures on Wednesday in Montenegro province"),
    not the places of the clauses hanging from it."""
    clause = token
    while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i:
        clause = clause.head
    stack = [clause]
    while stack:
        t = stack.pop(0)
        for c in t.children:
            if c.dep_ in ("relcl", "advcl", "acl", "ccomp", "conj"):
                continue
            if c.dep_ == "prep" and c.lower_ in PLACE_PREPS | {"into"}:
                for g in c.children:
                    p = _place_of(g, state)
                    if p:
                        return p
            stack.append(c)
    return None


def _place(token, sent, state: DocState, source, target, mode) -> Place | None:
    # "in Baku", "at the Kremlin in Moscow": the nearest place in the clause
    for t in [token] + list(token.ancestors)[:2]:
        for c in t.children:
            if c.dep_ == "prep" and c.lower_ in PLACE_PREPS:
                for g in c.children:
                    p = _place_of(g, state)
                    if p:
                        return p
    if mode == "visit" and target and target[0].country and len(target[0].country) == 3:
        return Place(state.index.gaz.countries[target[0].country].name, target[0].country)
    if state.visit:
        host = state.visit[1]
        if state.dateline and state.dateline.country == host:
            return state.dateline
        return Place(state.index.gaz.countries[host].name, host) if host in state.index.gaz.countries else None
    return state.dateline
