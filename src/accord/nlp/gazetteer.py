"""accord's gazetteers: countries (ISO 3166 alpha-3, names, demonyms,
capitals), cities, organisations, news agencies and people, read from the
data files that accord ships in ``accord/data``.

``Gazetteer.find(text)`` returns every mention in a text, longest match
first, with and without diacritics.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pycountry

from .text import key, tokens


@dataclass(frozen=True, slots=True)
class Entry:
    kind: str  # country, demonym, capital, city, org, region, agency, person
    code: str  # alpha-3, "IGO:UN", person id, agency name
    name: str  # display name
    country: str | None = None
    sector: str | None = None


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    text: str
    entry: Entry


def _rows(filename: str):
    with resources.files("accord.data").joinpath(filename).open(encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t"):
            if row and not row[0].startswith("#"):
                yield [c.strip() for c in row]


class Gazetteer:
    def __init__(self) -> None:
        self.exact: dict[str, list[Entry]] = {}
        self.longest: dict[str, int] = {}  # first word of a name → most words a name starting so has
        self.upper: dict[str, list[Entry]] = {}  # for ALL-CAPS headlines
        self.countries: dict[str, Entry] = {}
        self.agencies: dict[str, Entry] = {}
        self.organisations: dict[str, Entry] = {}
        self._load()

    # -- building ---------------------------------------------------------
    def _add(self, name: str, entry: Entry) -> None:
        k = key(name)
        if not k:
            return
        bucket = self.exact.setdefault(k, [])
        if entry not in bucket:
            bucket.append(entry)
        words = k.split(" ")
        self.longest[words[0]] = max(self.longest.get(words[0], 0), len(words))
        if len(k) > 3 and not k.isupper():
            ub = self.upper.setdefault(k.upper(), [])
            if entry not in ub:
                ub.append(entry)
            first = words[0].upper()
            self.longest[first] = max(self.longest.get(first, 0), len(words))

    def _load(self) -> None:
        for row in _rows("countries.tsv"):
            code, names = row[0], row[1].split("|")
            demonyms = row[2].split("|") if len(row) > 2 and row[2] else []
            capitals = row[3].split("|") if len(row) > 3 and row[3] else []
            entry = Entry("country", code, names[0], code, "GOV")
            self.countries[code] = entry
            for n in names:
                self._add(n, entry)
            for d in demonyms:
                self._add(d, Entry("demonym", code, names[0], code, "GOV"))
            for city in capitals:
                names_of_city = city.split("=")
                for n in names_of_city:
                    self._add(n, Entry("capital", code, names_of_city[0], code, "GOV"))
        # Official and common names that pycountry knows and the file lacks.
        for c in pycountry.countries:
            if c.alpha_3 in self.countries:
                entry = self.countries[c.alpha_3]
                for n in (c.name, getattr(c, "official_name", None), getattr(c, "common_name", None)):
                    if n and key(n) not in self.exact:
                        self._add(n, entry)
        for row in _rows("cities.tsv"):
            for city in row[0].split("|"):
                names_of_city = city.split("=")
                for n in names_of_city:
                    self._add(n, Entry("city", row[1], names_of_city[0], row[1], "GOV"))
        for row in _rows("organisations.tsv"):
            code, names, sector = row[0], row[1].split("|"), row[2]
            country = row[3] if len(row) > 3 and row[3] else None
            entry = Entry("org", code, names[0], country, sector)
            self.organisations[code] = entry
            for n in names:
                self._add(n, entry)
        for row in _rows("regions.tsv"):
            for n in row[0].split("|"):
                self._add(n, Entry("region", key(n), n, None, None))
        for row in _rows("agencies.tsv"):
            entry = Entry("agency", row[0], row[0], row[2] if len(row) > 2 else None, "MED")
            self.agencies[row[0]] = entry
            for n in row[1].split("|"):
                self.agencies.setdefault(key(n), entry)

    # -- lookups ----------------------------------------------------------
    def lookup(self, name: str, kinds: tuple[str, ...] | None = None) -> Entry | None:
        k = key(name)
        for table in (self.exact, self.upper):
            for entry in table.get(k if table is self.exact else k.upper(), ()):
                if kinds is None or entry.kind in kinds:
                    return entry
        return None

    def country_code(self, value: str) -> str | None:
        """ISO alpha-3 from an alpha-3, alpha-2, name or demonym."""
        v = value.strip()
        if len(v) == 3 and v.upper() in self.countries:
            return v.upper()
        if len(v) == 2 and v.isalpha():
            c = pycountry.countries.get(alpha_2=v.upper())
            if c and c.alpha_3 in self.countries:
                return c.alpha_3
        entry = self.lookup(v, ("country", "demonym", "capital"))
        if entry is None:
            entry = self.lookup(v.title(), ("country", "demonym", "capital"))
        return entry.country if entry else None

    def place(self, name: str) -> Entry | None:
        return self.lookup(name, ("capital", "city", "country"))

    def agency(self, name: str) -> Entry | None:
        return self.agencies.get(key(name))

    def find(self, text: str, kinds: tuple[str, ...] | None = None) -> list[Mention]:
        """Every gazetteer mention in ``text``, longest first, no overlaps."""
        toks = tokens(text)
        out: list[Mention] = []
        i = 0
        n = len(toks)
        while i < n:
            found = None
            for size in range(min(self.longest.get(toks[i][0], 0), n - i), 0, -1):
                words = [t for t, _, _ in toks[i:i + size]]
                k = " ".join(words)
                entries = self.exact.get(k)
                if entries is None and all(w.isupper() for w in words if w != "-") and len(k) > 3:
                    entries = self.upper.get(k)
                if entries:
                    entries = [e for e in entries if kinds is None or e.kind in kinds]
                    if entries:
                        found = (size, entries[0])
                        break
            if found:
                size, entry = found
                start, end = toks[i][1], toks[i + size - 1][2]
                out.append(Mention(start, end, text[start:end], entry))
                i += size
            else:
                i += 1
        return out


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer()
