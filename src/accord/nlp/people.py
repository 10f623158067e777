"""People: a gazetteer of heads of state and government and foreign
ministers with dated terms (``data/people.tsv``), and the rules for how a
person is named again after the first time.

Vietnamese names put the family name first and are shortened to the given
name ("Tô Lâm" → "General Secretary Lâm"); Chinese and Korean names put the
family name first and are shortened to it ("Xi Jinping" → "Xi"); most
others are shortened to the last name.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources

from .text import key

GIVEN_NAME_SHORT = {"VNM"}  # family name first, short reference by the given name (last word)
FAMILY_NAME_SHORT = {"CHN", "KOR", "PRK", "TWN", "MAC", "HKG"}  # family name first and used alone
PARTICLES = {"bin", "binti", "al", "el", "de", "da", "dos", "del", "van", "von", "der", "le", "la", "di", "abu", "ibn"}


@dataclass(frozen=True, slots=True)
class PersonEntry:
    name: str
    names: tuple[str, ...]
    country: str
    role: str
    start: date | None
    end: date | None
    died: date | None
    short: tuple[str, ...]

    def in_office(self, when: date) -> bool:
        return (self.start is None or self.start <= when) and (self.end is None or when <= self.end)

    def historical_at(self, when: date) -> bool:
        """Dead, or out of office for good, by ``when``."""
        return bool(self.died and self.died < when)


def _date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def short_forms(name: str, country: str | None) -> tuple[str, ...]:
    """How a person first named ``name`` may be named alone later."""
    words = [w for w in name.replace("-", " - ").split() if w != "-"]
    if len(words) < 2:
        return (name,)
    if country in GIVEN_NAME_SHORT:
        return (words[-1],)
    if country in FAMILY_NAME_SHORT:
        return (words[0],)
    last = words[-1]
    # "Abdel Fattah el-Sisi": keep the particle-led family name too.
    if len(words) > 2 and words[-2].lower() in PARTICLES:
        return (last, f"{words[-2]} {last}")
    return (last,)


@lru_cache(maxsize=1)
def people_gazetteer() -> dict[str, list[PersonEntry]]:
    """Folded full name → entries (a name may belong to several people)."""
    out: dict[str, list[PersonEntry]] = {}
    with resources.files("accord.data").joinpath("people.tsv").open(encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t"):
            if not row or row[0].startswith("#"):
                continue
            row += [""] * (7 - len(row))
            names = tuple(n.strip() for n in row[0].split("="))
            short = tuple(s.strip() for s in row[6].split("|") if s.strip()) or short_forms(names[0], row[1])
            entry = PersonEntry(names[0], names, row[1], row[2], _date(row[3]), _date(row[4]), _date(row[5]), short)
            for n in names:
                out.setdefault(key(n), []).append(entry)
    return out


@lru_cache(maxsize=1)
def people_short_index() -> dict[str, tuple[PersonEntry, ...]]:
    """Folded short form → the gazetteer's people it may name."""
    out: dict[str, list[PersonEntry]] = {}
    for entries in people_gazetteer().values():
        for e in entries:
            for s in e.short:
                bucket = out.setdefault(key(s), [])
                if e not in bucket:
                    bucket.append(e)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def titles() -> list[tuple[str, str, str]]:
    """(title as written, normalised role, sector), longest first."""
    out = []
    text = resources.files("accord.data").joinpath("titles.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            written, role, sector = line.split("\t")
            for t in written.split("|"):
                out.append((t.strip(), role, sector))
    out.sort(key=lambda r: -len(r[0]))
    return out


@lru_cache(maxsize=1)
def title_pattern() -> re.Pattern:
    alternatives = "|".join(re.escape(t) for t, _, _ in titles())
    return re.compile(r"(?<![\w-])(?:" + alternatives + r")(?![\w-])")


def title_role(text: str) -> tuple[str, str] | None:
    """(role, sector) of a title as written."""
    folded = text.strip()
    for t, role, sector in titles():
        if folded.lower() == t.lower():
            return role, sector
    return None
