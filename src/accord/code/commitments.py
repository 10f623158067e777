"""Stage 5, commitments: what the parties of a joint statement said they
will do, one record per commitment and sector, with its sentence."""

from __future__ import annotations

import re

from ..models import Commitment, Event, Evidence
from .lexicon import sectors

CUE = re.compile(
    r"\b(?:will|shall|agreed\s+(?:to|on)|agree\s+to|vowed\s+to|pledged\s+to|consented\s+to|committed\s+to|"
    r"promised\s+to|resolved\s+to|decided\s+to|undertook\s+to|(?:are|were|is|was)\s+(?:willing|ready|determined)\s+to|"
    r"expressed\s+(?:their\s+|its\s+|his\s+|her\s+|a\s+|the\s+)?(?:readiness|willingness|desire|determination|wish)\s+to|"
    r"agreed\s+to\s+promote|focuses\s+in\s+the\s+coming\s+time|groups\s+of\s+solutions)\b",
    re.I,
)
CLAUSE_BREAK = re.compile(r";\s*(?:and\s+)?")
GENERAL = "general"


def find_commitments(text: str, sentences: list[tuple[int, int]], events: list[Event], pair: tuple[str, ...]) -> list[Commitment]:
    """Commitment records for the sentences (start, end offsets into
    ``text``) that carry commitment language between two or more countries."""
    out: list[Commitment] = []
    for s_start, s_end in sentences:
        sentence = text[s_start:s_end]
        if not CUE.search(sentence):
            continue
        here = [i for i, e in enumerate(events) if e.evidence and e.evidence[0].start == s_start]
        parties = _parties([events[i] for i in here]) or (pair if len(pair) >= 2 and _joint(sentence) else ())
        if len(parties) < 2:
            continue
        event_index = next((i for i in here if events[i].type in ("AGREE", "SUPPORT")), here[0] if here else _statement(events))
        pos = 0
        for piece in CLAUSE_BREAK.split(sentence):
            start = s_start + sentence.index(piece, pos) if piece else s_start
            pos = start - s_start + len(piece)
            clause = piece.strip()
            if len(clause.split()) < 4:
                continue
            found = _sectors(clause)
            for sector in found or [GENERAL]:
                out.append(Commitment(
                    parties=tuple(sorted(parties)),
                    sector=sector,
                    text=clause,
                    evidence=Evidence(start, start + len(piece.rstrip()), clause),
                    event=event_index,
                ))
    return out


def _parties(events: list[Event]) -> tuple[str, ...]:
    codes: list[str] = []
    for e in events:
        for a in e.source + e.target:
            if a.country and len(a.country) == 3 and a.country not in codes:
                codes.append(a.country)
    return tuple(codes)


def _joint(sentence: str) -> bool:
    """The subject is the pair: "both sides", "they", "the two countries"."""
    return bool(re.search(r"\b(?:both|two|they|their|each other|bilateral|mutual)\b", sentence, re.I))


def _statement(events: list[Event]) -> int | None:
    for i, e in enumerate(events):
        if e.type == "SUPPORT" and e.mode in ("sign", "upgrade", "establish"):
            return i
    return None


def _sectors(clause: str) -> list[str]:
    scored = []
    for name, words in sectors():
        hits = words.spans(clause)
        if hits:
            scored.append((-len(hits), hits[0][0], name))
    scored.sort()
    return [name for _, _, name in scored[:3]]
