"""Stages 4 and 5: events and commitments for a clean article."""

from __future__ import annotations

import bisect
import re
import time
from dataclasses import replace

from .._limits import memory_reason
from ..clean.metadata import dateline as find_dateline
from ..models import Article, Event, Failure
from ..nlp.actors import ActorIndex
from ..nlp.gazetteer import gazetteer
from ..nlp.model import load_nlp
from ..nlp.people import title_pattern
from ..nlp.pipes import PLACES_KEY
from ..nlp.text import TEXT_KEY, Words, doc_text
from .commitments import find_commitments
from .dates import find as find_dates
from .dates import day_of, main_date, reference_date
from .events import code_sentence
from .lexicon import has_trigger
from .multilingual import code_keywords
from .state import DocState

__all__ = ["code", "code_many"]

CODED_LANGUAGES = {"en", None}


def _paragraphs(text: str) -> list[tuple[int, str]]:
    out = []
    pos = 0
    for part in text.split("\n\n"):
        start = text.index(part, pos)
        pos = start + len(part)
        if part.strip():
            out.append((start, part))
    return out


def _dateline_day(text: str, ref):
    """The day a dateline gives ("CANBERRA, June 3 -", "KUALA LUMPUR, Nov 6
    (Bernama) --"), resolved against ``ref``."""
    first = text.split("\n\n", 1)[0]
    place, credit, end = find_dateline(first, gazetteer())
    if not (place or credit) or not 0 < end < 120:
        return None
    for expr in find_dates(first[:end], ref):
        if expr.value and expr.precision == "day":
            return expr.value
    return None


def _masked(text: str) -> str:
    """The text with the dateline and leading credit of its first paragraph
    blanked out (same length, so offsets hold): "BAKU — General Secretary
    ..." parses badly."""
    first = text.split("\n\n", 1)[0]
    place, credit, end = find_dateline(first, gazetteer())
    if (place or credit) and 0 < end < 80:
        return " " * end + text[end:]
    return text


REFERENCES = re.compile(r"\b(?:they|we|our|their|he|she|both|the two|two sides|the sides|the leaders|each other)\b",
                        re.I)
CAPITALISED = re.compile(r"\b[A-Z][\w’'-]{2,}")


def _titled_names(text: str) -> frozenset[str]:
    """The words of the names written after a title anywhere in the text
    ("Prime Minister Fumio Kishida": Fumio, Kishida), so that a sentence
    naming the person alone ("Kishida and Thuong agreed ...") is parsed."""
    names = set()
    for m in title_pattern().finditer(text):
        for word in CAPITALISED.findall(text, m.end(), min(len(text), m.end() + 48)):
            names.add(word)
    return frozenset(names)


ACTOR_KINDS = ("country", "demonym", "capital", "org")


def _names_an_actor(paragraph: str, start: int, found, starts: list[int], names=frozenset) -> bool:
    """A country, an organisation, a person the text names with a title
    (``names()``, the words of such names), or a pronoun that may stand for
    one.  ``found`` are the gazetteer's mentions in the whole text,
    ``starts`` their sorted start offsets.  The cheapest test first."""
    i, end = bisect.bisect_left(starts, start), start + len(paragraph)
    while i < len(found) and found[i].start < end:
        if found[i].entry.kind in ACTOR_KINDS:
            return True
        i += 1
    if title_pattern().search(paragraph) or REFERENCES.search(paragraph):
        return True
    titled = names()
    return bool(titled) and not titled.isdisjoint(CAPITALISED.findall(paragraph))


def worth_coding(article: Article) -> bool:
    """Cheap test: a trigger word somewhere in an article accord can parse."""
    return article.language in CODED_LANGUAGES and has_trigger(article.text[:MAX_SCANNED])


CODERS = ("both", "lexicon", "model")


def code(article: Article, nlp=None) -> Article:
    return next(code_many([article], nlp))


def code_many(articles, nlp=None, batch_size: int = 16, *, coder: str = "both", model=None,
              time_limit: float | None = None, first_pass: bool = True):
    """Code articles, parsing only the paragraphs that may hold an event
    (a trigger word and something that may name an actor), a batch of
    articles at a time.  An article whose sentences take longer than
    ``time_limit`` seconds to code keeps the events found until then, and
    says so in its ``notes``, as does one longer than the coder reads.
    ``first_pass=False`` parses every paragraph (to measure what the first
    pass loses)."""
    nlp = nlp or load_nlp()
    if coder not in CODERS:
        raise ValueError(f"coder must be one of {', '.join(CODERS)}, not {coder!r}")
    if coder != "lexicon" and model is None:
        from .model import type_model
        model = type_model()
    pending: list[tuple[Article, str, list[tuple[int, str]], list, list[tuple[int, int]], Words | None]] = []

    def parse_alone(sel, found):
        chunks = [_doc(nlp, start, text, found) for start, text in sel]
        return list(zip((start for start, _ in sel), nlp.pipe(chunks)))

    def flush():
        chunks = [_doc(nlp, start, text, found) for _, _, sel, found, _, _ in pending for start, text in sel]
        docs = iter(nlp.pipe(chunks, batch_size=64))
        for article, masked, sel, found, rest, words in pending:
            if not sel:
                yield article
                continue
            try:
                try:
                    parsed = [(start, next(docs)) for start, _ in sel] if docs is not None else parse_alone(sel, found)
                except MemoryError:
                    if docs is None:
                        raise
                    # The batch's parse ran out of memory: each article left is parsed
                    # alone, so that one that runs out alone fails by name and the others go on.
                    docs = chunks = None
                    parsed = parse_alone(sel, found)
            except MemoryError:
                yield Failure(article.source or article.id, "code", "could not be parsed: " + memory_reason(None),
                              article.id)
                continue
            deadline = time.monotonic() + time_limit if time_limit else None
            try:
                yield _code_parsed(article, masked, parsed, found, coder, model, rest, deadline, time_limit, words)
            except MemoryError:
                yield Failure(article.source or article.id, "code", "could not be coded: " + memory_reason(None),
                              article.id)
            except Exception as err:  # one article's bug never stops the batch: it is recorded by name
                yield Failure(article.source or article.id, "code", f"could not be coded ({type(err).__name__}: {err})",
                              article.id)
        pending.clear()

    for article in articles:
        if article.language not in CODED_LANGUAGES:
            ref = reference_date(article.published, [article.text[:MAX_SCANNED]])
            yield replace(article, events=code_keywords(article.text, article.language, ref))
            continue
        if first_pass and not worth_coding(article):
            pending.append((article, article.text, [], [], [], None))
        else:
            masked = _masked(article.text)[:MAX_SCANNED]
            words = Words(masked)  # split once, for the gazetteer and for the actor index
            found = gazetteer().find(masked, words=words)  # once: for choosing sentences and for the actor index
            selected, rest = _select(masked, found) if first_pass else (_bounded(_paragraphs(masked)), [])
            pending.append((article, masked, selected, found, rest, words))
        if len(pending) >= batch_size:
            yield from flush()
    yield from flush()


def _doc(nlp, start: int, text: str, found):
    """The chunk of an article at ``start``, tokenized, with the
    gazetteer's mentions in it (the names component reads them instead of
    looking them up again)."""
    doc = nlp.make_doc(text)
    doc.user_data[TEXT_KEY] = text  # spaCy's tokens keep the text as it was: no need to join them again
    end = start + len(text)
    places = []
    for i in range(bisect.bisect_left(found, start, key=_start), len(found)):  # found is in text order
        m = found[i]
        if m.start >= end:
            break
        if m.end <= end:
            places.append((m.start - start, m.end - start, m.entry.kind))
    doc.user_data[PLACES_KEY] = places
    return doc


def _start(mention) -> int:
    return mention.start


SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")


# Words a full stop follows without ending the sentence ("Mr. To Lam", "Lt. Gen. Prosper Avril").
ABBREVIATION = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Lt|Col|Maj|Capt|Cmdr|Adm|Sgt|Gov|Sen|Rep|Rev|Hon|"
                          r"St|Mt|Ft|Jr|Sr|No|Nos|Vol|Art|Sec|Dept|Corp|Inc|Co|Ltd|Bros|vs|etc|approx|Jan|Feb|"
                          r"Mar|Apr|Aug|Sept?|Oct|Nov|Dec)|\b[A-Z]|\b(?:[A-Z]\.)+[A-Z])\.$")


def _sentences(paragraph: str) -> list[tuple[int, int]]:
    """Cheap sentence bounds (before any parse), offsets into ``paragraph``;
    never after a title's or an initial's full stop."""
    out, pos = [], 0
    for m in SENTENCE_BREAK.finditer(paragraph):
        if ABBREVIATION.search(paragraph, max(pos, m.start() - 12), m.start()):
            continue
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(paragraph)))
    return [(a, b) for a, b in out if paragraph[a:b].strip()]


MAX_CHUNK = 20_000  # characters the parser gets at once (spaCy refuses a million)
MAX_CODED = 100_000  # characters of one article that are parsed at most
MAX_SCANNED = 400_000  # characters of one article searched for events; the rest is stored, not coded


def _bounded(chunks: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Chunks cut to ``MAX_CHUNK`` at a sentence end or a space, and no more
    than ``MAX_CODED`` characters in all: a 10 MB line is coded in pieces,
    never refused whole or allowed to stall the run."""
    out: list[tuple[int, str]] = []
    budget = MAX_CODED
    for start, text in chunks:
        while text and budget > 0:
            piece = text[:min(MAX_CHUNK, budget)]
            if len(piece) < len(text):
                cut = max(piece.rfind(". "), piece.rfind("\n"))
                cut = cut + 1 if cut > MAX_CHUNK // 2 else (piece.rfind(" ") if piece.rfind(" ") > MAX_CHUNK // 2 else len(piece))
                piece = piece[:cut]
            out.append((start, piece))
            budget -= len(piece)
            start, text = start + len(piece), text[len(piece):]
    return out


def _select(masked: str, found) -> tuple[list[tuple[int, str]], list[tuple[int, int]]]:
    """What to parse: the runs of sentences that hold a trigger word and
    something that may name an actor, one chunk per run; and the bounds of
    the other sentences of those paragraphs (commitments are read there
    too, without a parse)."""
    chunks: list[tuple[int, str]] = []
    rest: list[tuple[int, int]] = []
    found = sorted(found, key=lambda m: m.start)
    starts = [m.start for m in found]
    titled: list[frozenset[str]] = []

    def names() -> frozenset[str]:  # read off the whole text only when a sentence needs it
        if not titled:
            titled.append(_titled_names(masked))
        return titled[0]

    for start, para in _paragraphs(masked):
        run: tuple[int, int] | None = None
        kept, before = False, len(rest)
        for a, b in _sentences(para):
            if has_trigger(para[a:b]) and _names_an_actor(para[a:b], start + a, found, starts, names):
                run = (run[0], b) if run else (a, b)
                kept = True
                continue
            rest.append((start + a, start + b))
            if run:
                chunks.append((start + run[0], para[run[0]:run[1]]))
                run = None
        if run:
            chunks.append((start + run[0], para[run[0]:run[1]]))
        if not kept and not (has_trigger(para) and _names_an_actor(para, start, found, starts, names)):
            del rest[before:]  # commitments are read in a paragraph that may hold one
    return _bounded(chunks), rest


def _code_parsed(article: Article, masked: str, parsed, found=None, coder: str = "both", model=None,
                 rest: list[tuple[int, int]] = (), deadline: float | None = None,
                 time_limit: float | None = None, words: Words | None = None) -> Article:
    ents = [(start + e.start_char, start + e.end_char, e.label_) for start, doc in parsed for e in doc.ents]
    captions = [t for t, reason in article.dropped_lines if reason in ("photo caption", "date line")]
    ref = reference_date(article.published, [article.text[:MAX_SCANNED]] + captions)
    # The dateline blanked, as the parser saw it.
    index = ActorIndex(masked, when=ref, ents=ents, found=found, words=words)
    state = DocState(index=index, ref=ref, dateline=article.dateline, text=article.text, coder=coder, model=model)
    state.pair = tuple(index.salient_countries()[:2])
    opening = _paragraphs(masked)[:3]
    state.main_date = main_date([p for _, p in opening], ref)
    state.published_day = day_of(article.published)
    state.dateline_day = _dateline_day(article.text, ref)
    state.speaker = _speaker(opening, index)
    events: list[Event] = []
    sentences: list[tuple[int, int]] = []
    coded_to = max((start + len(doc_text(doc)) for start, doc in parsed), default=0)
    notes: list[str] = []
    for start, doc in parsed:
        state.offset = start
        for sent in doc.sents:
            if deadline is not None and time.monotonic() > deadline:
                coded_to = start + sent.start_char
                notes.append(f"coded up to character {coded_to:,} of {len(article.text):,}: "
                             f"the time limit of {time_limit:g} s per document was reached (--time-limit)")
                break
            sentences.append((start + sent.start_char, start + sent.end_char))
            events.extend(code_sentence(sent, state))
        else:
            continue
        break
    if not notes and len(article.text) > coded_to and _cut_short(masked, parsed, article.text):
        notes.append(f"coded up to character {coded_to:,} of {len(article.text):,}: the coder reads at most "
                     f"{MAX_CODED:,} characters of sentences that may hold an event, within the first {MAX_SCANNED:,}")
    events = _merge(events)
    if state.visit:
        # Events with no place of their own happened where the visit was.
        host = state.visit[1]
        where = next((e.place for e in events if e.place and e.place.country == host), None)
        events = [e if e.place else replace(e, place=where) for e in events]
    commitments = find_commitments(article.text, sorted(sentences + list(rest)), events, state.pair)
    return replace(article, events=tuple(events), commitments=tuple(commitments), people=tuple(index.persons()),
                   notes=tuple(notes))


def _cut_short(masked: str, parsed, text: str) -> bool:
    """Whether the size caps left text unread: past the scanned part, or
    past the coded budget."""
    return len(text) > len(masked) or sum(len(doc_text(doc)) for _, doc in parsed) >= MAX_CODED


SPEECH = re.compile(r"\b(?:remarks|statement|speech|address|opening remarks|press statement)\s+(?:by|of)\s+", re.I)


def _speaker(opening: list[tuple[int, str]], index: ActorIndex):
    """The person a speech or statement is by, as its opening paragraphs
    say ("Remarks by Prime Minister Lawrence Wong at ...")."""
    for start, paragraph in opening[:2]:
        m = SPEECH.search(paragraph)
        if m:
            found = [x for x in index.within(start + m.end(), start + min(len(paragraph), m.end() + 120)) if x.person]
            if found:
                return found[0].actor
    return None


def _merge(events: list[Event]) -> list[Event]:
    """One event per happening in an article: the same type, mode, actors
    and date said twice in one sentence is one event."""
    out: list[Event] = []
    seen: dict[tuple, int] = {}
    for e in events:
        k = (e.type, e.mode, tuple(sorted(a.country or a.name for a in e.source)),
             tuple(sorted(a.country or a.name for a in e.target)), e.date, e.evidence[0].start, e.negated)
        if k in seen:
            continue
        seen[k] = len(out)
        out.append(e)
    return out
