"""accord's coding lexicons, read from ``accord/data``: event triggers,
relation levels, PLOVER contexts and commitment sectors."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

PLOVER_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
                "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
# The PLOVER manual's numeric quad categories (table "Quad categories in PLOVER"):
# 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.
QUAD_CODE = {"AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 1, "COOPERATE": 2, "AID": 2, "RETREAT": 2,
             "REQUEST": 3, "ACCUSE": 3, "REJECT": 3, "SANCTION": 3, "THREATEN": 3,
             "PROTEST": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4}
QUAD_NAME = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}
# Older PLOVER names found in some data.
OLD_NAMES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
CAMEO_ROOT = {"AGREE": "03", "CONSULT": "04", "SUPPORT": "05", "COOPERATE": "06", "AID": "07", "CONCEDE": "08",
              "RETREAT": "08", "REQUEST": "10", "ACCUSE": "11", "REJECT": "12", "THREATEN": "13", "PROTEST": "14",
              "MOBILIZE": "15", "SANCTION": "16", "COERCE": "17", "ASSAULT": "18"}


@dataclass(frozen=True, slots=True)
class Trigger:
    lemma: str
    pos: str
    type: str
    mode: str
    cameo: str
    objects: frozenset[str] | None  # None: any object, or none at all
    flags: frozenset[str]


def _lines(name: str):
    text = resources.files("accord.data").joinpath(name).read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


LEXICON_FILES = ("triggers.tsv",)  # then every file of data/lexicon/, by name
# Where the PLOVER manual corrects the CAMEO→PLOVER table: "International
# (political or economic) sanctions are coded as 'discontinue'" (SANCTION).
MANUAL_TYPES = {"163": "SANCTION"}
# What a CAMEO code tells the argument rules (see triggers.tsv's flags): who
# visits, hosts or meets whom, and which acts are signings.
CAMEO_FLAGS = {"040": "meet", "041": "meet", "042": "visit", "043": "host", "044": "meet", "046": "meet",
               "057": "sign"}


def _lexicon_rows():
    """(file name, row) of the trigger lexicon: the coder's own list, then
    the codebook-wide lexicon written category by category."""
    for name in LEXICON_FILES:
        for row in _lines(name):
            yield name, row
    folder = resources.files("accord.data").joinpath("lexicon")
    if folder.is_dir():
        for path in sorted(folder.iterdir(), key=lambda p: p.name):
            if path.name.endswith(".tsv"):
                for row in _lines(f"lexicon/{path.name}"):
                    yield f"lexicon/{path.name}", row


@lru_cache(maxsize=1)
def triggers() -> dict[tuple[str, str], tuple[Trigger, ...]]:
    """(lemma, pos) → triggers, the ones that need a given object first;
    between equals, the coder's own list before the codebook lexicon."""
    out: dict[tuple[str, str], list[Trigger]] = {}
    seen: set[tuple] = set()
    for name, row in _lexicon_rows():
        row += [""] * (7 - len(row))
        lemma, pos, type_, mode, cameo, objects, flags = (c.strip() for c in row[:7])
        lemma = lemma.lower()
        if type_ not in PLOVER_TYPES:
            raise ValueError(f"{name}: {lemma!r} has type {type_!r}, which is not a PLOVER 0.8 type")
        if pos not in ("VERB", "NOUN", "ADJ"):
            raise ValueError(f"{name}: {lemma!r} has part of speech {pos!r}: VERB, NOUN or ADJ")
        needs = None if objects in ("", "*") else frozenset(o.strip().lower() for o in objects.split(",") if o.strip())
        if (lemma, pos, type_, needs) in seen:
            continue  # the same meaning twice: the first says it
        seen.add((lemma, pos, type_, needs))
        flag_set = {f for f in flags.split(",") if f}
        if name != "triggers.tsv" and cameo in CAMEO_FLAGS:
            flag_set.add(CAMEO_FLAGS[cameo])
        trig = Trigger(lemma, pos, type_, mode, cameo, needs, frozenset(flag_set))
        out.setdefault((lemma, pos), []).append(trig)
    return {k: tuple(sorted(v, key=lambda t: t.objects is None)) for k, v in out.items()}


@lru_cache(maxsize=1)
def trigger_lemmas() -> frozenset[str]:
    """Every lemma of the lexicon, whatever its part of speech."""
    return frozenset(lemma for lemma, _ in triggers())


def inflections(lemma: str, pos: str) -> set[str]:
    """The surface forms of an English lemma of part of speech ``pos``
    (VERB, NOUN or ADJ): the regular ones, and the irregular ones the
    model's lemmatizer lists ("meet" → met, "say" → said)."""
    from ..nlp.model import irregular_forms

    forms = {lemma} | irregular_forms().get((lemma, pos), frozenset())
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"}
    else:
        forms |= {lemma + ("es" if lemma.endswith(("s", "sh", "ch", "x", "z")) else "s"), stem + "ed", stem + "ing"}
    if len(lemma) >= 3 and lemma[-1] not in "aeiouwxy" and lemma[-2] in "aeiou" and lemma[-3] not in "aeiou":
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}  # plan → planned, commit → committed
    return forms


MUST = frozenset({"must", "should"})  # what the "@must" object is: a clause with one of these ("said X must")


@lru_cache(maxsize=2)
def trigger_forms(nouns_only: bool = False) -> dict[str, frozenset[str] | None]:
    """Every surface form a trigger may take, lower case → None when some
    entry of it needs no object, else the words one of its entries needs
    in the sentence: the forms of the objects ("lift" → curfew, curfews,
    sanction, sanctions...), "must" or "should" for a "@must" object.
    ``nouns_only``: the forms of noun entries only, which is all a proper
    noun can be (the coder reads one as a noun)."""
    out: dict[str, set[str] | None] = {}
    for (lemma, pos), options in triggers().items():
        if nouns_only and pos != "NOUN":
            continue
        needs: set[str] | None = set()
        for t in options:
            if t.objects is None:
                needs = None
                break
            for o in t.objects:
                if o == "@must":
                    needs |= MUST
                elif o.startswith("@"):
                    needs = None  # "@person": any name may be the object
                    break
                else:
                    needs |= inflections(o, "NOUN") | inflections(o, "VERB")
            if needs is None:
                break
        for form in inflections(lemma, pos):
            if form in out and out[form] is None:
                continue
            out[form] = None if needs is None else (out.get(form) or set()) | needs
    return {k: (frozenset(v) if v is not None else None) for k, v in out.items()}


_WORD = re.compile(r"[A-Za-z]+(?:['-][A-Za-z]+)*")
_OPENERS = " \t\"“‘'([—–-"


def has_trigger(text: str) -> bool:
    """A cheap pre-filter, a set look-up per word whatever the size of the
    lexicon: a word of ``text`` is a form a trigger may take, and, when all
    its entries need an object, one of those objects is there too.

    A word capitalised inside a sentence ("in March", "the United States",
    "Press TV") is a proper noun, which the coder reads as a noun: only the
    noun entries count for it, unless the sentence is a headline, written
    mostly in capitals.  Where no form is written with a capital (most
    sentences), the words' places are not looked at."""
    forms = trigger_forms()
    tokens = _WORD.findall(text)
    words = {t.lower() for t in tokens}
    words |= {part for w in words if "-" in w for part in w.split("-")}  # "defence-security": the parser splits it
    candidates = [w for w in words if w in forms]
    if not candidates:
        return False
    capitalised = [t for t in tokens if t[0].isupper()]
    if len(capitalised) * 2 >= len(tokens) or {t.lower() for t in capitalised}.isdisjoint(candidates):
        # a headline, or no form written with a capital: every form reads by all its entries
        return any(forms[w] is None or not forms[w].isdisjoint(words) for w in candidates)
    found = list(_WORD.finditer(text))
    capitals = [m for m in found if m.group()[0].isupper()]
    inside = {m.start() for m in capitals if not _starts_sentence(text, m.start())}
    names = {m.group().lower() for m in capitals if m.start() in inside and not m.group().isupper()}
    names -= {m.group().lower() for m in found if m.start() not in inside}  # written elsewhere in lower case or first
    nouns = trigger_forms(nouns_only=True) if names else forms
    for w in candidates:
        table = nouns if w in names else forms
        if w in table:
            needs = table[w]
            if needs is None or not needs.isdisjoint(words):
                return True
    return False


def _starts_sentence(text: str, pos: int) -> bool:
    """Whether the word at ``pos`` opens ``text``, a sentence or a line."""
    i = pos - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    return i < 0 or text[i] in ".!?:;…\n"


@lru_cache(maxsize=1)
def relation_ranks() -> dict[str, int]:
    """Named level → its rank (0 diplomatic relations … 9 union), so that
    the levels of different countries compare (``data/relation_ranks.tsv``)."""
    return {" ".join(row[0].split()): int(row[1]) for row in _lines("relation_ranks.tsv")}


def level_rank(level: str | None) -> int:
    """The rank of a named level; -1 when accord does not rank it."""
    if not level:
        return -1
    return relation_ranks().get(" ".join(level.lower().replace("-", " ").split()),
                                relation_ranks().get(level.lower(), -1))


@lru_cache(maxsize=1)
def relation_levels() -> re.Pattern:
    """Every named level, longest first: those of relation_levels.tsv and
    relation_ranks.tsv, less the ones too generic to search for."""
    names = {row[0].strip() for row in _lines("relation_levels.tsv")}
    names |= {row[0].strip() for row in _lines("relation_ranks.tsv")
              if not (len(row) > 3 and row[3].startswith("rank only"))}
    names = sorted(names, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(n).replace(r"\ ", r"[\s-]+") for n in names) + r")\b", re.I)


def find_relation_level(text: str) -> str | None:
    """The level a sentence says relations reach: the one after "to", else the last named."""
    pattern = relation_levels()
    to = re.search(r"\b(?:to|into|as)\s+(?:an?\s+|the\s+|their\s+)?[\"“']?(" + pattern.pattern[3:-3] + r")", text, re.I)
    m = to or None
    if m:
        level = m.group(1)
    else:
        found = [m.group(1) for m in pattern.finditer(text)]
        if not found:
            return None
        level = found[-1]
    return " ".join(level.lower().replace("-", " ").split()) if "all" not in level.lower() else level.lower()


@lru_cache(maxsize=1)
def contexts() -> list[tuple[str, "Keywords"]]:
    return [(row[0], Keywords(row[1])) for row in _lines("contexts.tsv")]


@lru_cache(maxsize=1)
def sectors() -> list[tuple[str, "Keywords"]]:
    return [(row[0], Keywords(row[1])) for row in _lines("sectors.tsv")]


class Keywords:
    """Words ("visa") and word beginnings ("sanction*", any ending) of a
    line of the lexicon, found in any case where a word starts: the matches
    of ``pattern``, ``\\b(?:visa\\b|sanction\\w*|...)`` read case-insensitively.

    They are found in the lower-cased text by the same alternation without
    the case flag or the leading ``\\b``, its word start checked at each
    place found: the regular-expression engine can then skip ahead to the
    letters a word may start with instead of trying every word at every
    character (about twice as fast over a news mix).  A character outside
    ASCII is first written as one that is the same to the patterns: "_" for
    a letter or digit, NUL for anything else (lower-casing it could change
    the text's length, and so the offsets).  That is not so of the four
    characters re's case folding reads as ASCII letters ("ſ" is an "s"): a
    text with one of them is read by the case-insensitive pattern itself."""

    def __init__(self, words: str) -> None:
        self.words = [w.strip() for w in words.split("|") if w.strip()]
        parts = [re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) + r"\b" for w in self.words]
        self.pattern = re.compile(r"\b(?:" + "|".join(parts) + ")", re.I)
        plain = all(w.isascii() and _word_char(w[0]) for w in self.words)
        self._scan = re.compile("(?:" + "|".join(p.lower() for p in parts) + ")") if plain and parts else None

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where the words are in ``text``, in order, never overlapping."""
        return list(self._found(text))

    def search(self, text: str) -> bool:
        """Whether a word is in ``text``."""
        return next(self._found(text), None) is not None

    def _found(self, text: str):
        if self._scan is not None and not text.isascii():
            text = _in_ascii(text)  # the same text when it cannot be
        if self._scan is None or not text.isascii():
            yield from (m.span() for m in self.pattern.finditer(text))
            return
        low, pos = text.lower(), 0
        while (m := self._scan.search(low, pos)) is not None:
            if m.start() and _word_char(low[m.start() - 1]):
                pos = m.start() + 1  # inside a word: look again from the next character
                continue
            yield m.span()
            pos = m.end()


def _word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


# The characters outside ASCII that re, ignoring case, takes for ASCII letters: İ, ı, ſ and the Kelvin sign.
_FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")


@lru_cache(maxsize=4)  # the lines of a lexicon search one text after the other
def _in_ascii(text: str) -> str:
    """``text`` with each character outside ASCII written as ``_stand_in``;
    ``text`` itself if it holds one that case folding makes ASCII."""
    if _FOLDS_TO_ASCII.search(text) is not None:
        return text
    return text.translate({ord(c): _stand_in(c) for c in set(text) if ord(c) >= 128})


@lru_cache(maxsize=4096)
def _stand_in(c: str) -> str:
    """An ASCII character the keyword patterns read as they read ``c``: a
    word character, or not one, that no keyword holds."""
    return "_" if _word_char(c) else "\x00"


@lru_cache(maxsize=1)
def actor_sectors() -> dict[str, str]:
    """Head noun → the sector it gives the actors it names."""
    out = {}
    for row in _lines("actor_sectors.tsv"):
        for noun in row[1].split("|"):
            out[noun.strip()] = row[0].strip()
    return out
