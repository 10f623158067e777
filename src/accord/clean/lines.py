"""accord's line classifier for text already flattened from a web page.

A scraped page is a header (date line, title, byline), the body, and a
footer (the source credit, related-news titles, contact and copyright
lines).  Each line is given a kind from what it looks like; the body is the
run of prose from the first prose line to the first line that can only be
footer (a credit alone on its line, a related-news list, a copyright or
contact line).  Image placeholders, captions and share buttons inside the
body are dropped and the body goes on.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import islice

from ..nlp.gazetteer import Gazetteer
from ..nlp.text import key
from .dates import parse_published

SENTENCE_END = re.compile(r"""([.!?:;…。！？]|\./\.|[.!?]["'”’)\]]|[。！？][」』”])\s*$""")
# Scripts written without spaces between words: two characters make about a word.
UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f\u0e80-\u0eff\u1000-\u109f]")
# An alternative added here needs a word of it in _CAPTION_WORDS below.
CAPTION = re.compile(
    r"(\((?:photo|photos|image|source|ảnh|file photo)\s*[:/]|\(\s*photo\s*/\s*[\w. ]+\)"
    r"|(?:^|\s)photo\s*:\s*[^.]{1,60}$|\bphoto\s*\|?\s*$|\bphoto courtesy\b|[-–]\s*ảnh\s*\d+\s*$|\bảnh\s*\d+\S)",
    re.I,
)
# A word every match of CAPTION holds, with the same case folding: a line without one is no caption,
# found by one quick scan instead of CAPTION's alternatives tried at every character.
_CAPTION_WORDS = re.compile("photo|image|source|ảnh", re.I)


def is_caption(text: str) -> bool:
    """Whether ``text`` reads as a photo caption (CAPTION)."""
    return _CAPTION_WORDS.search(text) is not None and CAPTION.search(text) is not None


MARKUP = re.compile(r"^(!\[[^\]]*\]\([^)]*\)|\[\s*\]|\{[a-z_]+\})\s*\|?\s*$")
WORD = re.compile(r"\w+(?:['’]\w+)*")


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    kind: str  # prose, short, date, caption, placeholder, credit, boilerplate, repeat
    reason: str = ""


@dataclass
class Layout:
    header: list[Line] = field(default_factory=list)
    body: list[Line] = field(default_factory=list)
    footer: list[Line] = field(default_factory=list)
    dropped: list[Line] = field(default_factory=list)


@lru_cache(maxsize=1)
def _boilerplate() -> list[tuple[str, re.Pattern]]:
    text = resources.files("accord.data").joinpath("boilerplate.tsv").read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        if line and not line.startswith("#"):
            action, pattern = line.split("\t", 1)
            out.append((action, re.compile(pattern, re.I)))
    return out


@lru_cache(maxsize=1)
def _placeholder_words() -> frozenset[str]:
    text = resources.files("accord.data").joinpath("placeholders.tsv").read_text(encoding="utf-8")
    return frozenset(key(w).lower() for w in text.splitlines() if w and not w.startswith("#"))


LINE_PROBE = 2_000  # characters of a line that decide what kind of line it is


@lru_cache(maxsize=512)  # a line is asked several times, by each test that reads it
def words(text: str) -> int:
    unspaced = 0 if text.isascii() else len(UNSPACED.findall(text))
    return len(WORD.findall(text)) + (unspaced // 2 if unspaced > 3 else 0)


_LOWER = bytes(range(ord("a"), ord("z") + 1))
_UPPER = bytes(range(ord("A"), ord("Z") + 1))


def ascii_letters(text: str) -> tuple[int, int]:
    """The letters of an ASCII text, and the capitals among them, counted
    by deleting them from its bytes (a C loop each)."""
    data = text.encode("ascii")
    n_upper = len(data) - len(data.translate(None, _UPPER))
    return n_upper + len(data) - len(data.translate(None, _LOWER)), n_upper


def is_prose(text: str) -> bool:
    n = words(text)
    if text.isascii():
        n_letters, n_upper = ascii_letters(text)
    else:
        letters = [c for c in text if c.isalpha()]
        n_letters, n_upper = len(letters), sum(c.isupper() for c in letters)
    if n_letters and n_upper > 0.7 * n_letters:
        return False  # an all-caps headline
    return n >= 25 or (n >= 8 and bool(SENTENCE_END.search(text)))


def is_placeholder(text: str) -> bool:
    if MARKUP.match(text):
        return True
    if words(text) > 8:
        return False
    k = " " + key(text).lower() + " "
    return any(f" {w} " in k for w in _placeholder_words())


def is_date_line(text: str) -> bool:
    """A short line that is mostly a date: the page's own date stamp."""
    if words(text) > 14:
        return False
    found = parse_published(text)
    if not found:
        return False
    rest = re.sub(r"[\d/:.,|()+\-–]|GMT|UTC|\b[ap]m\b", " ", text, flags=re.I)
    from .dates import MONTHS, WEEKDAYS
    leftover = [w for w in WORD.findall(rest) if w.lower().rstrip(".") not in MONTHS and w.lower() not in WEEKDAYS]
    return len(leftover) <= 3


CREDIT_PREFIX = re.compile(r"^(?:source|sources|nguồn|theo|by|credit|sumber)\s*[:\-–—]?\s*", re.I)


def credit_alone(text: str, gaz: Gazetteer) -> str | None:
    """The agency, when a line holds nothing but a news agency's name
    ("VOV", "— VNA/VNS", "Source: Xinhua")."""
    core = CREDIT_PREFIX.sub("", text.strip(" \t—–-|()[]./")).strip(" \t—–-|()[]./")
    if not core or next(islice(WORD.finditer(core), 4, None), None) or words(core) > 4:  # five words: not a name
        return None
    entry = gaz.agency(core)
    return entry.name if entry else None


def _anchored(pattern: re.Pattern) -> bool:
    """Whether ``pattern`` can match only at the start of a line."""
    from re import _parser  # the parser of the re module itself

    nodes = _parser.parse(pattern.pattern).data
    return bool(nodes) and nodes[0] == (_parser.AT, _parser.AT_BEGINNING)


@lru_cache(maxsize=1)
def _boilerplate_plan() -> tuple[re.Pattern, list[tuple[str, re.Pattern]]]:
    """One pattern for every boilerplate pattern anchored at the line's
    start, tried at that one place; and the patterns that search the whole
    line, each tried alone (an alternation of those would try every one at
    every character, slower than they are one by one)."""
    anchored = [p for _, p in _boilerplate() if _anchored(p)]
    return (re.compile("|".join(f"(?:{p.pattern})" for p in anchored), re.I),
            [(action, p, _lower_case(p)) for action, p in _boilerplate() if not _anchored(p)])


def _lower_case(pattern: re.Pattern) -> re.Pattern | None:
    """``pattern`` without its case flag, for ASCII text in lower case, when
    it is written all in lower case (no capital letter, so no ``\\W``, ``\\S``
    or ``\\D`` either): on such text it finds what the case-insensitive one
    finds in the text as written, and the engine can skip ahead to the
    characters a match starts with."""
    return re.compile(pattern.pattern) if pattern.pattern == pattern.pattern.lower() else None


def boilerplate(text: str) -> tuple[str, str] | None:
    """The action and pattern of the first boilerplate pattern (in the
    file's order) that ``text`` matches."""
    starts, searching = _boilerplate_plan()
    if starts.match(text):
        for action, pattern in _boilerplate():
            if pattern.search(text):
                return action, pattern.pattern
        return None
    low = text.lower() if text.isascii() else None
    for action, pattern, lower_case in searching:
        if lower_case.search(low) if lower_case is not None and low is not None else pattern.search(text):
            return action, pattern.pattern
    return None


def unwrap(raw_lines: list[str]) -> list[str]:
    """Join hard-wrapped lines (wire copy wrapped at a fixed width) into
    paragraphs; a page with one paragraph per line is returned as it is."""
    nonblank = [l for l in raw_lines if l.strip()]
    if len(nonblank) < 5:
        return raw_lines
    wrapped = sum(1 for l in nonblank if 45 <= len(l.rstrip()) <= 85)
    if wrapped < 3 or wrapped < 0.5 * len(nonblank) or max(len(l) for l in nonblank) > 100:
        return raw_lines
    out: list[str] = []
    current = ""
    last_length = 0
    for line in raw_lines:
        stripped = line.strip()
        indented = line[:1].isspace() and len(line) - len(line.lstrip()) >= 2
        if not stripped:
            if current:
                out.append(current)
                current = ""
            out.append("")
            continue
        # A short line ends its paragraph: the next line starts a new one.
        # A short line ends its paragraph, and a very short one (a credit,
        # a sign-off) stands alone.
        if current and (indented or last_length < 45 or len(stripped) < 20 or is_date_line(current) or current.isupper()):
            out.append(current)
            current = ""
        current = f"{current} {stripped}" if current else stripped
        last_length = len(stripped)
    if current:
        out.append(current)
    return out


def repeated_lines(texts: list[str], min_pages: int = 3) -> frozenset[str]:
    """Lines that come back on ``min_pages`` or more pages of one outlet:
    its menus, slogans and footers, whatever they say.  Prose is never one
    of them: the same story republished word for word keeps its body."""
    seen: Counter[str] = Counter()
    for text in texts:
        seen.update({" ".join(l.split()) for l in text.splitlines() if l.strip()})
    return frozenset(line for line, n in seen.items() if n >= min_pages and not is_prose(line))


def classify(text: str, gaz: Gazetteer, outlet_lines: frozenset[str] = frozenset()) -> Layout:
    """Split a flattened page into header, body and footer lines;
    ``outlet_lines`` are lines the outlet prints on many of its pages."""
    layout = Layout()
    state = "header"
    header_texts: set[str] = set()
    previous: str | None = None
    for raw in unwrap(text.splitlines()):
        t = " ".join(raw.split())
        if not t:
            continue
        # What a line is shows in its first characters: a megabyte line is
        # prose, and is never scanned whole by the tests below.
        probe = t[:LINE_PROBE]
        repeat_of_previous = t == previous
        previous = t
        if state == "footer":
            layout.footer.append(Line(t, "footer"))
            continue
        if MARKUP.match(probe) or is_placeholder(probe):
            layout.dropped.append(Line(t, "placeholder", "image placeholder"))
            continue
        if is_caption(probe) and not (state == "body" and is_prose(probe) and t.rstrip().endswith(".") and "photo" not in probe.lower()):
            layout.dropped.append(Line(t, "caption", "photo caption"))
            continue
        agency = credit_alone(probe, gaz)
        if agency:
            if state == "body":
                layout.footer.append(Line(t, "credit", agency))
                state = "footer"
            else:
                layout.dropped.append(Line(t, "credit", agency))
            continue
        if is_date_line(probe):
            (layout.footer if state == "body" else layout.header).append(Line(t, "date", "date line"))
            continue
        bp = boilerplate(probe)
        if bp:
            action, pattern = bp
            if action == "stop" and state == "body":
                layout.footer.append(Line(t, "boilerplate", pattern))
                state = "footer"
            else:
                layout.dropped.append(Line(t, "boilerplate", pattern))
            continue
        if t in outlet_lines:  # after credits and dates: "REUTER" on every page is still the credit
            layout.dropped.append(Line(t, "boilerplate", "repeated on the outlet's pages"))
            continue
        prose = is_prose(probe)
        if state == "header":
            if prose:
                state = "body"
                layout.body.append(Line(t, "prose"))
            else:
                layout.header.append(Line(t, "short"))
                header_texts.add(t)
            continue
        # state == "body"
        if repeat_of_previous:
            if prose:
                layout.dropped.append(Line(t, "repeat", "paragraph printed twice"))
                continue
            # A title printed twice in a row: the page's related-news list.
            last = layout.body.pop()
            layout.footer.extend([Line(last.text, "related", "related-news title"), Line(t, "related", "related-news title")])
            state = "footer"
            continue
        if t in header_texts:
            layout.dropped.append(Line(t, "repeat", "title printed again"))
            continue
        if not prose and words(probe) <= 4:
            layout.dropped.append(Line(t, "short", "fragment inside the body"))
            continue
        layout.body.append(Line(t, "prose" if prose else "short"))
    # Titles of a related list that ended the page without a repeat: two or
    # more headline-length lines at the end.  One unfinished line alone is
    # the end of a truncated article, and stays.
    tail = 0
    while tail < len(layout.body) - 1 and layout.body[-1 - tail].kind == "short" and words(layout.body[-1 - tail].text) <= 14:
        tail += 1
    if tail >= 2:
        for _ in range(tail):
            layout.footer.insert(0, layout.body.pop())
    return layout
