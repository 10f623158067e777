"""Events in articles that are not in English, where accord has no parser:
keyword triggers (``data/triggers_multilingual.tsv``) in sentences that name
two or more countries.  A visit goes from the country of the first person
named to the other country; meetings and signings are joint.  Words of the
future ("akan", "sẽ", "will") make a visit a promise (AGREE)."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from importlib import resources

from ..models import Event, Evidence
from ..nlp.actors import ActorIndex
from .lexicon import CAMEO_ROOT

MONTHS = {name: i + 1 for i, names in enumerate([
    "januari enero janvier january", "februari pebrero febrero février february", "mac maret marso marzo mars march",
    "april abril avril", "mei mayo mai may", "jun juni hunyo junio juin june", "julai juli hulyo julio juillet july",
    "ogos agustus agosto août august", "september setyembre septiembre septembre",
    "oktober oktubre octubre octobre october", "november nobyembre noviembre novembre", "disember desember disyembre diciembre décembre december",
]) for name in names.split()}
DATE = re.compile(r"\b(?:(?P<m1>[A-Za-zéû]+)\s+(?P<d1>\d{1,2}),?\s+(?P<y1>\d{4})|(?P<d2>\d{1,2})\s+(?P<m2>[A-Za-zéû]+)\s+(?P<y2>\d{4}))\b")
FUTURE = re.compile(r"\b(?:akan|bakal|dijadual|dijadwalkan|sẽ|magsasagawa|will|va|irá|prochain)\b", re.I)
DIRECTION = re.compile(r"\b(?:ke|sa|tới|đến|sang|to|à|en|a)\s+$", re.I)
SENTENCE = re.compile(r"[^.!?。]+[.!?。]?")


@lru_cache(maxsize=1)
def keyword_triggers() -> dict[str, list[tuple[str, str, re.Pattern]]]:
    text = resources.files("accord.data").joinpath("triggers_multilingual.tsv").read_text(encoding="utf-8")
    out: dict[str, list] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        langs, type_, mode, pattern = line.split("\t")
        for lang in langs.split("|"):
            out.setdefault(lang, []).append((type_, mode, re.compile(pattern, re.I)))
    return out


def code_keywords(text: str, language: str, when: date | None) -> tuple[Event, ...]:
    rules = keyword_triggers().get(language)
    if not rules:
        return ()
    index = ActorIndex(text, when=when)
    events: list[Event] = []
    main = _first_date(text)
    for m in SENTENCE.finditer(text):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        mentions = [x for x in index.within(start, end) if x.actor.country and len(x.actor.country) == 3]
        countries = list(dict.fromkeys(x.actor.country for x in mentions))
        if len(countries) < 2:
            continue
        sentence = text[start:end]
        for type_, mode, pattern in rules:
            hit = pattern.search(sentence)
            if not hit:
                continue
            actors = {x.actor.country: x.actor for x in reversed(mentions)}
            if mode == "visit":
                # the host is the country a direction word points to ("ke Brunei", "sa Tsina", "sang Nhật Bản")
                host = next((x.actor.country for x in mentions
                             if DIRECTION.search(text[max(start, x.start - 8):x.start])), None)
                visitor = next((x.actor.country for x in mentions if x.person and x.actor.country != host),
                               next((c for c in countries if c != host), None))
                host = host or next(c for c in countries if c != visitor)
                source, target = (actors[visitor],), (actors[host],)
            else:
                source, target = tuple(actors[c] for c in countries), ()
            future = bool(FUTURE.search(sentence))
            kind, kind_mode = ("AGREE", "") if future and type_ == "CONSULT" else (type_, mode)
            events.append(Event(
                type=kind, mode=kind_mode, context=("diplomatic",), cameo=CAMEO_ROOT[kind],
                source=source, target=target, evidence=(Evidence(start, end, sentence),),
                future=future, trigger=hit.group(),
                date=(_first_date(sentence) or main or "").strip() or None,
                date_precision="day" if (_first_date(sentence) or main) else None,
            ))
    return tuple(events)


def _first_date(text: str) -> str | None:
    """The first full date written with a month name in any of the languages above."""
    for m in DATE.finditer(text):
        month = MONTHS.get((m.group("m1") or m.group("m2")).lower())
        if month:
            try:
                return date(int(m.group("y1") or m.group("y2")), month, int(m.group("d1") or m.group("d2"))).isoformat()
            except ValueError:
                continue
    return None
