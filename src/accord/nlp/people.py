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


def _date(value: str, *, end: bool = False) -> date | None:
    """YYYY-MM-DD, or YYYY-MM and YYYY as their first day (``end``: last day)."""
    value = value.strip()
    if not value:
        return None
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return date(*parts)
    if len(parts) == 2:
        if not end:
            return date(parts[0], parts[1], 1)
        following = date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return date.fromordinal(following.toordinal() - 1)
    return date(parts[0], 12, 31) if end else date(parts[0], 1, 1)


# The gazetteer's roles as the title list (data/titles.tsv) names them.
ROLES = {"King": "Monarch", "Queen": "Monarch", "Emir": "Monarch", "Sultan": "Monarch", "Supreme Leader": "Leader"}
PEOPLE_FILES = ("people.tsv",)  # then every file of data/people/, by name


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
    seen: set[tuple] = set()
    for row in _people_rows():
        row += [""] * (7 - len(row))
        names = tuple(n.strip() for n in row[0].split("=") if n.strip())
        if not names:
            continue
        country, role = row[1].strip(), ROLES.get(row[2].strip(), row[2].strip())
        start, end = _date(row[3]), _date(row[4], end=True)
        if (key(names[0]), country, role, start) in seen:
            continue  # the first file that lists a term says it
        seen.add((key(names[0]), country, role, start))
        short = tuple(s.strip() for s in row[6].split("|") if s.strip()) or short_forms(names[0], country)
        entry = PersonEntry(names[0], names, country, role, start, end, _date(row[5]), short)
        for k in dict.fromkeys(key(n) for n in names):
            out.setdefault(k, []).append(entry)
    return out


@lru_cache(maxsize=1)
def person_starts() -> dict[str, tuple[int, ...]]:
    """First token of a name in ``people_gazetteer`` → the numbers of
    tokens its names have, longest first: where a name may start."""
    out: dict[str, set[int]] = {}
    for k in people_gazetteer():
        parts = k.split(" ")
        out.setdefault(parts[0], set()).add(len(parts))
    return {w: tuple(sorted(sizes, reverse=True)) for w, sizes in out.items()}


def _people_rows():
    """The rows of the people gazetteer: accord's first list, then the
    world lists of ``data/people/`` (one file a region)."""
    files = [resources.files("accord.data").joinpath(name) for name in PEOPLE_FILES]
    folder = resources.files("accord.data").joinpath("people")
    if folder.is_dir():
        files += sorted((p for p in folder.iterdir() if p.name.endswith(".tsv")), key=lambda p: p.name)
    for path in files:
        with path.open(encoding="utf-8") as fh:
            for row in csv.reader(fh, delimiter="\t"):
                if row and not row[0].startswith("#"):
                    yield row


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
