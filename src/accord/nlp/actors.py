"""Who is who in one article: every mention of a country, an organisation or
a person, with the person's role and country, merged across the ways the
article names them (full name, title plus one name, "the General
Secretary").

Countries come from names, demonyms and capitals; organisations from their
names and acronyms; people from the people gazetteer, from spaCy's PERSON
entities and from "TITLE Name" patterns, with their country taken from the
title around the name ("Azerbaijan President Ilham Aliyev", "Prime Minister
of Azerbaijan Ali Asadov", "his Russian counterpart Sergey Lavrov").
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from ..models import Actor, Person
from .gazetteer import Gazetteer, Mention, gazetteer
from .people import (
    PersonEntry,
    people_gazetteer,
    people_short_index,
    person_starts,
    short_forms,
    title_pattern,
    title_role,
)
from .text import Words, fold, key

NAME_WORD = r"[A-Z][\w'’.-]*"
NAME_RUN = re.compile(r"(?:" + NAME_WORD + r"|(?:bin|binti|al|el|de|da|dos|del|van|von|der|le|la|di|ibn)(?=\s+[A-Z]))(?:\s+(?:" + NAME_WORD + r"|(?:bin|binti|al|el|de|da|dos|del|van|von|der|le|la|di|ibn)(?=\s+[A-Z]))){0,4}")
HONORIFIC = re.compile(r"\b(?:Mr|Ms|Mrs|Madam|Dr|H\.E\.|Datuk Seri|Dato' Seri|Dato’ Seri|Tan Sri|Datuk|Dato'|Dato’|Sheikh)\.?\s+")
LATE = re.compile(r"\b(?:late|the late|deceased)\s+(?:\w+\s+){0,3}$", re.I)
FORMER = re.compile(r"\b(?:former|ex-|then-|then)\s*(?:\w+\s+){0,3}$", re.I)
# Words that never start a person's name even when capitalised.
NOT_NAMES = {"The", "A", "An", "In", "On", "At", "Of", "And", "For", "With", "To", "By", "His", "Her", "Their",
             "This", "That", "Party", "State", "Government", "Ministry", "Minister", "Committee", "Central",
             "National", "People", "People's", "Republic", "Council", "Assembly", "Office", "House", "Senate",
             "Parliament", "Congress", "Embassy", "Affairs", "Foreign", "Prime", "General", "Secretary",
             "President", "Vice", "Deputy", "Chairman", "Speaker", "Joint", "Statement", "Strategic",
             "Comprehensive", "Partnership", "Ambassador", "Mission", "Army", "Navy", "Police", "Court",
             "Department", "Agency", "Bank", "Union", "Movement", "Front", "Forum", "Summit", "Conference",
             "University", "School", "Institute", "Association", "Federation", "Organisation", "Organization",
             "Group", "Company", "Corporation", "Airport", "Palace", "Hall", "Square", "Street", "Day", "Week",
             "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January",
             "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December", "Communist", "Socialist", "Democratic", "Liberal", "Labour", "Islamic",
             "Standing", "Political", "Economic", "Defence", "Defense", "Security", "Public", "Legislative"}

COLLECTIVE = re.compile(
    r"\b(?:the|both|two)\s+(?:two\s+|three\s+)?(?:sides|leaders|countries|nations|presidents|prime ministers|pms|"
    r"ministers|foreign ministers|heads of state|parties|governments|delegations|states|sides')\b"
    r"|\bboth\s+sides\b|\bboth\s+countries\b|\bboth\s+leaders\b|\bthe\s+two\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class ActorMention:
    start: int
    end: int
    actor: Actor
    person: str | None = None  # key of the person in ActorIndex.people
    how: str = ""  # country, demonym, capital, org, person, short, role


@dataclass
class _PersonState:
    name: str
    country: str | None
    role: str | None
    sector: str
    historical: bool = False  # dead or out of office for good at the article's date
    late: bool = False  # the text itself calls them "the late": no actor of today's news
    short: tuple[str, ...] = ()
    mentions: list[str] = field(default_factory=list)


_OF = re.compile(r"\s+of\s+(?:the\s+)?")  # "President of (the) ..."
_ABBREVIATED = re.compile(r"\s*\([A-Z]{2,6}\)(?:\s+Central Committee)?")  # "... of Vietnam (CPV) Central Committee"


class ActorIndex:
    """Every actor mention in one article text, sorted by position."""

    def __init__(self, text: str, *, when: date | None = None, ents=(), gaz: Gazetteer | None = None,
                 found: list[Mention] | None = None, words: Words | None = None) -> None:
        """``ents``: spaCy entities as (start, end, label); ``found``: the
        gazetteer's mentions in ``text``, and ``words``: ``Words(text)``,
        when the caller has them already."""
        self.text = text
        self.folded = fold(text)
        self.when = when or date.today()
        self.gaz = gaz or gazetteer()
        self.people: dict[str, _PersonState] = {}
        self.mentions: list[ActorMention] = []
        self._build(ents, self.gaz.find(text, words=words) if found is None else found, words)
        self.mentions.sort(key=lambda m: (m.start, -m.end))
        self._starts = [m.start for m in self.mentions]
        self._longest = max((m.end - m.start for m in self.mentions), default=0)

    # -- building ---------------------------------------------------------
    def _build(self, ents, found: list[Mention], words: Words | None = None) -> None:
        # A town of the world list is a place only where the parser also reads
        # a place ("Central Committee", "Changi Airport", "Tô Lâm" are not).
        geo = [(s, e) for s, e, label in ents if label in ("GPE", "LOC")]
        self.places = [m for m in found if m.entry.kind in ("capital", "city", "country")
                       or (m.entry.kind == "town" and any(s <= m.start and m.end <= e for s, e in geo))]
        gaz_mentions = [m for m in found if m.entry.kind in ("country", "demonym", "capital", "org")]
        city_spans = sorted((m.start, m.end) for m in found if m.entry.kind == "city")
        taken: list[tuple[int, int]] = []
        person_spans: list[tuple[int, int, str, str]] = []  # start, end, person key, how

        # 1. Full names the people gazetteer knows.
        for start, end, entry in self._gazetteer_people(words):
            pkey = self._add_person(entry.name, entry.country, entry.role, _sector_of(entry.role), start, end, entry)
            person_spans.append((start, end, pkey, "person"))
            taken.append((start, end))
        # 2. spaCy's PERSON entities and "TITLE Name" patterns.
        for start, end in sorted(self._candidate_names(ents, taken, gaz_mentions)):
            if _inside(start, end, city_spans):
                continue
            name = self.text[start:end]
            ctx = self._context(start, end, gaz_mentions)
            pkey = self._known_person(name, ctx[1])
            if pkey is None:
                pkey = self._add_person(name, ctx[0], ctx[1], ctx[2], start, end, None)
            if LATE.search(self.text[max(0, start - 40):start]):
                self.people[pkey].historical = self.people[pkey].late = True
            person_spans.append((start, end, pkey, "person"))
            taken.append((start, end))
        # 3. Short references: "General Secretary Lâm", "Aliyev", "Mr Lam".
        person_spans += self._short_references(person_spans)
        # 4. Role references: "the General Secretary", "the Crown Prince".
        person_spans += self._role_references(person_spans)

        for start, end, pkey, how in person_spans:
            p = self.people[pkey]
            actor = Actor(name=p.name, country=p.country, sector=p.sector, kind="person", role=p.role)
            self.mentions.append(ActorMention(start, end, actor, pkey, how))
            p.mentions.append(self.text[start:end])
        spans = sorted((s, e) for s, e, _, _ in person_spans)
        for m in gaz_mentions:
            if _inside(m.start, m.end, spans):
                continue
            e = m.entry
            kind = "org" if e.kind == "org" else "country"
            name = e.name if e.kind != "capital" else self.gaz.countries[e.country].name
            sector = e.sector or "GOV"
            # A party or ministry acts for its country; an international body for itself.
            code = e.country or e.code
            if e.kind == "demonym" and ETHNIC.search(self.text[max(0, m.start - 12):m.start]):
                # "ethnic Albanian guerrillas in Macedonia": a people is coded by
                # the country it lives in, when the sentence names it.
                home = self._country_named_in(m.end)
                if home and home != code:
                    code, name = home, self.gaz.countries[home].name
            self.mentions.append(ActorMention(m.start, m.end, Actor(name=name, country=code, sector=sector, kind=kind), None, e.kind))

    def _country_named_in(self, pos: int) -> str | None:
        """The country of the first "in PLACE" after ``pos`` in its sentence."""
        stop = len(self.text)
        for mark in (". ", "\n"):
            i = self.text.find(mark, pos)
            if i != -1:
                stop = min(stop, i)
        for m in self.places:
            if pos <= m.start < stop and IN_PLACE.search(self.text[max(0, m.start - 8):m.start]):
                return m.entry.country
        return None

    def _gazetteer_people(self, words: Words | None = None):
        """Full names of the people gazetteer."""
        gp = people_gazetteer()
        starts = person_starts()
        split = words if words is not None else Words(self.folded)  # what gazetteer keys are made of
        words = split.words
        if starts.keys().isdisjoint(words):
            return  # no word a gazetteer name starts with
        taken = 0
        for i in [i for i, w in enumerate(words) if w in starts]:
            if i < taken:
                continue  # inside the name before
            for size in starts[words[i]]:
                if not 2 <= size <= 6 or i + size > len(words):
                    continue
                entries = gp.get(" ".join(words[i:i + size]))
                if entries:
                    start, end = split.span(i, i + size - 1)
                    yield start, end, self._pick(entries, start)
                    taken = i + size
                    break

    def _pick(self, entries: list[PersonEntry], start: int) -> PersonEntry:
        """Of people sharing a name, the one in office at the article's date."""
        def score(e: PersonEntry):
            in_office = (e.start is None or e.start <= self.when) and (e.end is None or self.when <= e.end)
            return (in_office, not e.historical_at(self.when), e.start or date.min)
        return max(entries, key=score)

    def _add_person(self, name, country, role, sector, start, end, entry: PersonEntry | None) -> str:
        pkey = key(entry.name if entry else name)
        if pkey not in self.people:
            self.people[pkey] = _PersonState(
                name=entry.name if entry else name,
                country=country,
                role=role,
                sector=sector or "GOV",
                historical=bool(entry and entry.historical_at(self.when)),
                short=entry.short if entry else short_forms(name, country),
            )
        p = self.people[pkey]
        if LATE.search(self.text[max(0, start - 40):start]):
            p.historical = p.late = True
        return pkey

    def _known_person(self, name: str, role: str | None = None) -> str | None:
        """A person already in this article (by full name or short form) or in the gazetteer."""
        k = key(name)
        if k in self.people:
            return k
        shorts = [pk for pk, p in self.people.items() if k in (key(s) for s in p.short) and not p.historical]
        if shorts:
            return shorts[-1]
        # "President Reagan": a gazetteer person named by the short form alone,
        # when exactly one of them was in office at the article's date.
        candidates = people_short_index().get(k, ())
        fits = [e for e in candidates if e.in_office(self.when)] or [e for e in candidates if role and e.role == role]
        if len(fits) == 1:
            e = fits[0]
            return self._add_person(e.name, e.country, e.role, _sector_of(e.role), 0, 0, e)
        entries = people_gazetteer().get(k)
        if entries:
            e = self._pick(entries, 0)
            return self._add_person(e.name, e.country, e.role, _sector_of(e.role), 0, 0, e)
        return None

    def _candidate_names(self, ents, taken, gaz_mentions) -> list[tuple[int, int]]:
        """Spans that may be people's names: spaCy's PERSON entities, given
        as (start, end, label), and names after a title."""
        spans: list[tuple[int, int]] = []
        gaz_spans = sorted((m.start, m.end) for m in gaz_mentions)
        for ent_start, ent_end, label in ents:
            if label != "PERSON":
                continue
            start, end = self._trim(ent_start, ent_end, gaz_spans)
            if _inside(start, end, gaz_spans):
                continue  # "Azerbaijani", "Việt Nam": a country, not a person
            if end - start >= 2 and not _overlaps(start, end, taken + spans):
                spans.append((start, end))
        for m in title_pattern().finditer(self.folded):
            after = m.end()
            # "President of Azerbaijan Heydar Aliyev": skip "of <country or organisation>".
            of = _OF.match(self.folded, after)  # at the place, not in a copy of the rest of the text
            if of:
                mention = next((g for g in gaz_mentions if g.start == of.end()), None)
                if mention is None:
                    continue
                after = mention.end
                paren = _ABBREVIATED.match(self.folded, after)
                if paren:
                    after = paren.end()
            run = NAME_RUN.match(self.folded, after + 1) if self.folded[after:after + 1] == " " else None
            if not run:
                continue
            start, end = self._trim(run.start(), run.end(), gaz_spans)
            if end - start < 2 or _overlaps(start, end, taken + spans):
                continue
            first = self.folded[start:end].split()[0]
            if first in NOT_NAMES or title_pattern().fullmatch(self.folded[start:end]):
                continue
            spans.append((start, end))
        return spans

    def _trim(self, start: int, end: int, gaz_spans) -> tuple[int, int]:
        """Cut titles, honorifics, country names and a possessive off a name."""
        changed = True
        while changed and start < end:
            changed = False
            seg = self.folded[start:end]
            for pattern in (HONORIFIC, title_pattern()):
                m = pattern.match(seg)
                if m:
                    start += m.end()
                    while start < end and self.folded[start] == " ":
                        start += 1
                    changed = True
                    break
            if changed:
                continue
            for s, e in gaz_spans:
                if s == start and e < end:
                    start = e
                    while start < end and self.folded[start] in " '’s":
                        if self.folded[start] in "'’" and self.folded[start + 1:start + 2] == "s":
                            start += 2
                        else:
                            start += 1
                    changed = True
                    break
        seg = self.folded[start:end]
        for suffix in ("'s", "’s"):
            if seg.endswith(suffix):
                end -= 2
        while end > start and not self.folded[end - 1].isalnum():
            end -= 1
        return start, end

    def _context(self, start: int, end: int, gaz_mentions: list[Mention]) -> tuple[str | None, str | None, str]:
        """Country, role and sector from the words around a new name."""
        before = self.folded[max(0, start - 120):start]
        # Only the current noun phrase: stop at the last clause break.
        cut = max(before.rfind(","), before.rfind(";"), before.rfind(" and "), before.rfind(" with "),
                  before.rfind(". "), before.rfind(" by "), before.rfind(" met "), before.rfind(" of his "))
        window_start = start - len(before) + (cut + 1 if cut >= 0 else 0)
        role = sector = None
        titles_found = list(title_pattern().finditer(self.folded, window_start, start))
        title_start = start
        if titles_found:
            title_start = titles_found[-1].start()
            r = title_role(titles_found[-1].group())
            if r:
                role, sector = r
        # The country before the title ("Vietnamese Ambassador to Singapore")
        # or else the one after it ("Prime Minister of Azerbaijan").
        before_title = [m for m in gaz_mentions if window_start <= m.start and m.end <= title_start]
        after_title = [m for m in gaz_mentions if title_start <= m.start and m.end <= start]
        country = None
        for m in (before_title[-1:] or after_title[:1]):
            country = m.entry.country or (m.entry.code if m.entry.kind == "org" else None)
        if country is None:
            # "Ali Asadov, Prime Minister of Azerbaijan" and "Lavrov, Russia's foreign minister"
            after = self.folded[end:end + 80]
            m2 = re.match(r"\s*,\s*(?:the\s+)?(?:\w+\s+){0,4}", after)
            if m2:
                for m in gaz_mentions:
                    if end < m.start <= end + m2.end() + 20 and m.entry.kind in ("country", "demonym"):
                        country = m.entry.country
                        break
        return country, role, sector or "GOV"

    def _short_references(self, person_spans) -> list[tuple[int, int, str, str]]:
        by_short: dict[str, list[str]] = {}
        for pkey, p in self.people.items():
            for s in p.short:
                by_short.setdefault(fold(s), []).append(pkey)
        if not by_short:
            return []
        taken = [(s, e) for s, e, _, _ in person_spans]
        first_seen: dict[str, int] = {}
        for s, _, pkey, _ in sorted(person_spans):
            first_seen.setdefault(pkey, s)
        out = []
        pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(s) for s in sorted(by_short, key=len, reverse=True)) + r")(?![\w-])")
        for m in pattern.finditer(self.folded):
            if _overlaps(m.start(), m.end(), taken):
                continue
            candidates = by_short[m.group(1)]
            # Prefer people already named in full before this point, alive, and the latest named.
            named = [c for c in candidates if first_seen.get(c, 10**9) < m.start()] or candidates
            live = [c for c in named if not self.people[c].historical] or named
            pkey = max(live, key=lambda c: first_seen.get(c, -1))
            out.append((m.start(), m.end(), pkey, "short"))
        return out

    def _role_references(self, person_spans) -> list[tuple[int, int, str, str]]:
        """"the General Secretary", "the Malaysian PM", "the Vietnamese
        leader": the last person named before with that role (and country)."""
        out = []
        ordered = sorted(person_spans)
        tail = r"(?:(?:host|visiting|guest)\s+)?(?P<title>" + title_pattern().pattern + r")(?!\s+(?:of|[A-Z]))"
        with_adj = re.compile(r"\b(?i:the)\s+(?P<adj>[A-Z][a-z]+)\s+" + tail)
        plain = re.compile(r"\b(?i:the)\s+" + tail)
        matches = []
        for m in with_adj.finditer(self.folded):
            entry = self.gaz.lookup(m.group("adj"), ("demonym", "country"))
            if entry is not None:
                matches.append((m, entry.country))
        for m in plain.finditer(self.folded):
            if not any(m.start() < o.end() and o.start() < m.end() for o, _ in matches):
                matches.append((m, None))
        for m, country in matches:
            r = title_role(m.group("title"))
            if not r:
                continue
            role = r[0]
            before = [p for s, e, p, _ in ordered if e <= m.start() and self._fits(p, role, country)]
            if before:
                out.append((m.start("title") if not country else m.start(), m.end("title"), before[-1], "role"))
        return out

    def _fits(self, pkey: str, role: str, country: str | None) -> bool:
        """May "the [Malaysian] PM" stand for this person?  A generic title
        ("leader") with a demonym fits anyone of that country."""
        person = self.people[pkey]
        if person.late or (country and person.country != country):
            return False
        return (role in ("Leader", "Chairman") and country is not None) or person.role == role

    # -- queries ----------------------------------------------------------
    def within(self, start: int, end: int, overlap: bool = False) -> list[ActorMention]:
        """Mentions inside [start, end), or touching it with ``overlap``."""
        if overlap:
            # Only a mention starting at most the longest mention's length
            # before ``start`` can reach into it.
            lo = bisect.bisect_left(self._starts, start - self._longest)
            hi = bisect.bisect_left(self._starts, end)
            return [m for m in self.mentions[lo:hi] if start < m.end]
        i = bisect.bisect_left(self._starts, start)
        out = []
        while i < len(self.mentions) and self.mentions[i].start < end:
            m = self.mentions[i]
            if m.end <= end:
                out.append(m)
            i += 1
        return out

    def last_person_before(self, pos: int, floor: int = 0) -> ActorMention | None:
        i = bisect.bisect_left(self._starts, pos) - 1
        while i >= 0 and self.mentions[i].start >= floor:
            m = self.mentions[i]
            if m.person and not self.people[m.person].late and m.actor.country:
                return m
            i -= 1
        return None

    def last_actor_before(self, pos: int, kinds: tuple[str, ...] = ("country", "org")) -> ActorMention | None:
        i = bisect.bisect_left(self._starts, pos) - 1
        while i >= 0:
            m = self.mentions[i]
            if m.actor.kind in kinds and m.actor.country and m.end <= pos:
                return m
            i -= 1
        return None

    def salient_countries(self, upto: int | None = None) -> list[str]:
        """Countries by how often the article names them (people count for
        their country), most first."""
        counts: Counter[str] = Counter()
        for m in self.mentions:
            if upto is not None and m.start > upto:
                break
            if m.person and self.people[m.person].historical:
                continue
            c = m.actor.country
            if c and len(c) == 3:
                counts[c] += 1
        return [c for c, _ in counts.most_common()]

    def persons(self) -> list[Person]:
        return [
            Person(name=p.name, country=p.country, role=p.role, mentions=tuple(dict.fromkeys(p.mentions)),
                   historical=p.historical)
            for p in self.people.values() if p.mentions
        ]


ETHNIC = re.compile(r"\bethnic\s+$", re.I)
IN_PLACE = re.compile(r"\b(?:in|inside|across|throughout)\s+(?:the\s+)?$", re.I)


def _sector_of(role: str | None) -> str:
    if not role:
        return "GOV"
    r = title_role(role)
    return r[1] if r else "GOV"


def _inside(start: int, end: int, spans) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _overlaps(start: int, end: int, spans) -> bool:
    return any(start < e and s < end for s, e in spans)
