"""The stages put together: read → clean → code → store, over batches.

What runs the clean and code stages (this local loop, or an engine in
``run/``) is kept apart from what the stages do, and from storing.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ._errors import AccordError, ExtractionError, RefusedError
from ._limits import alarm, memory_reason
from .clean import clean
from .clean.dates import parse_published
from .clean.lines import repeated_lines
from .code import code_many
from .models import Article, Failure, RawDocument, Skipped
from .read import read
from .read.files import content_id
from .settings import Settings


STORE_BATCH = 32  # coded articles written in one transaction
CHECK_BATCH = 16  # documents read that one query asks the store about (the coder's batch),
CHECK_CHARS = 1_000_000  # or fewer, when they are long: read ahead of the batch, they are held during its parse


@dataclass
class Summary:
    read: int = 0
    new: int = 0
    duplicates: int = 0
    recoded: int = 0  # of the duplicates, those stored coded in part under a shorter --time-limit, coded again
    failures: list[Failure] = field(default_factory=list)
    partial: list[Failure] = field(default_factory=list)  # stored, but only partly coded (the note says why)
    skipped: Counter = field(default_factory=Counter)  # what was passed over (archive records, files), by kind

    @property
    def failed(self) -> int:
        return len(self.failures)

    def as_dict(self) -> dict:
        return {"read": self.read, "new": self.new, "duplicates": self.duplicates, "recoded": self.recoded,
                "failed": self.failed,
                "failures": [{"source": f.source, "stage": f.stage, "reason": f.reason} for f in self.failures],
                "partly_coded": [{"source": f.source, "reason": f.reason} for f in self.partial],
                "skipped": dict(sorted(self.skipped.items()))}


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _outlet(doc: RawDocument) -> str:
    """Which outlet a page comes from: as the input says, else its web host,
    else its folder."""
    if doc.outlet:
        return doc.outlet
    if doc.url:
        return urlsplit(doc.url).netloc
    return str(Path(doc.path).parent) if doc.path else ""


def extract_documents(docs: Iterable[RawDocument | Failure], settings: Settings) -> Iterator[Article | Failure]:
    """Clean and code documents, in batches; failures pass through.  Lines
    that one outlet repeats on three or more pages of a batch are boilerplate."""
    for batch in _batches(docs, settings.batch_size):
        pages: dict[str, list[str]] = {}
        for doc in batch:
            if isinstance(doc, RawDocument) and doc.kind == "text":
                pages.setdefault(_outlet(doc), []).append(doc.text)
        repeated = {outlet: repeated_lines(texts) for outlet, texts in pages.items() if len(texts) >= 3}
        cleaned: list[Article | Failure] = []
        for doc in batch:
            if isinstance(doc, Failure):
                cleaned.append(doc)
                continue
            try:
                with alarm(settings.time_limit):
                    cleaned.append(clean(doc, settings, repeated.get(_outlet(doc), frozenset())))
            except AccordError as err:
                cleaned.append(Failure(doc.source, "clean", getattr(err, "reason", str(err)), doc.id))
            except MemoryError:
                cleaned.append(Failure(doc.source, "clean", memory_reason(settings.max_memory), doc.id))
        articles = [a for a in cleaned if isinstance(a, Article)]
        batch.clear()  # the pages as read: freed before the parse, which may need the room (--max-memory)
        pages.clear()
        doc = None
        coded = iter(code_many(articles, coder=settings.coder, time_limit=settings.time_limit))
        for item in cleaned:
            yield next(coded) if isinstance(item, Article) else item


def extract_paths(paths: str | os.PathLike | Iterable[str], settings: Settings | None = None, *,
                  skipped: Counter | None = None) -> Iterator[Article | Failure]:
    """The articles (and failures) of files, folders, URLs or ``-``; what was
    passed over (archive records, files of other kinds) is counted in
    ``skipped`` by kind, when given."""
    settings = settings or Settings()

    def docs():
        for d in read(_paths(paths), settings):
            if not isinstance(d, Skipped):
                yield d
            elif skipped is not None:
                skipped[d.reason] += d.count

    return extract_documents(docs(), settings)


Extractor = Callable[[Iterable[RawDocument | Failure], Settings], Iterable[Article | Failure | RawDocument]]


def ingest(paths: str | os.PathLike | Iterable[str], store, settings: Settings | None = None,
           progress: Callable[[str], None] | None = None, *, extractor: Extractor | None = None) -> Summary:
    """Read, clean, code and store; a document already stored is only noted
    as seen again (with its URL, outlet and time) before any work is done on
    it.  Then the stories and relation levels of the countries the new
    articles name are brought up to date.

    ``extractor`` cleans and codes: ``extract_documents`` here by default,
    or an engine that does it elsewhere (``accord.run.ray_engine.RayEngine``).
    It yields an article or failure per document, in input order, and may
    hand back a document that repeats one it saw in an earlier batch, to be
    noted as seen again once that one is stored: storing and resolving stay
    here, the same whatever did the work.  An extractor with a
    ``signatures`` mapping (article id → near-duplicate signature, as
    ``resolve.duplicates.to_bytes`` writes it) spares the store making them."""
    settings = settings or Settings()
    summary = Summary()
    new_ids: list[str] = []

    def seen_again(doc: RawDocument) -> None:
        published = parse_published(doc.published) if doc.published else None
        store.add_sighting(doc.id, doc.source, url=doc.url, outlet=doc.outlet,
                           published=published[0] if published else None)
        summary.duplicates += 1
        if progress:
            progress(doc.source)

    recoding: set[str] = set()  # documents stored coded in part, to code again and put in place

    def unfinished(doc_id: str) -> bool:
        """Stored, but its coding cut short by a time limit shorter than this run's."""
        cut = store.time_limit_cut(doc_id)
        return cut is not None and settings.time_limit > cut

    def partly(article: Article) -> None:
        for note in article.notes:  # kept with the failures, so that 'accord failures' shows it
            summary.partial.append(Failure(article.source, "code", note, article.id))
            store.add_failure(summary.partial[-1])

    def fresh():
        group: list[RawDocument | Failure] = []  # read, asked of the store together
        size = 0
        for doc in read(_paths(paths), settings):
            if isinstance(doc, Skipped):
                summary.skipped[doc.reason] += doc.count
                continue
            summary.read += 1
            group.append(doc)
            size += len(doc.text) if isinstance(doc, RawDocument) else 0
            if len(group) >= CHECK_BATCH or size >= CHECK_CHARS:
                yield from sort_out(group)
                size = 0
        yield from sort_out(group)

    def sort_out(group: list[RawDocument | Failure]):
        """The group's documents in order, each let go of as it is handed on
        (a batch frees its pages before its parse)."""
        stored = store.stored(d.id for d in group if isinstance(d, RawDocument))
        group.reverse()
        while group:
            doc = group.pop()
            if is_sighting(doc, stored.__contains__):
                seen_again(doc)
                if doc.id not in recoding and unfinished(doc.id):
                    recoding.add(doc.id)
                    yield doc
                continue
            yield doc

    pending: list[Article] = []  # coded, written a batch at a time (one transaction)

    def store_pending() -> None:
        for article, new in zip(pending, store.add_articles(pending, getattr(extractor, "signatures", None))):
            if isinstance(new, RefusedError):
                summary.failures.append(refused(article, new))
                store.add_failure(summary.failures[-1])
            elif new:
                summary.new += 1
                new_ids.append(article.id)
                partly(article)
            else:
                summary.duplicates += 1
            if progress:
                progress(article.source)
        pending.clear()

    try:
        for item in (extractor or extract_documents)(fresh(), settings):
            if isinstance(item, RawDocument):
                store_pending()  # its first copy may be waiting there
                if is_sighting(item, store.has_document):
                    seen_again(item)
                    continue
                item = next(iter(extract_documents([item], settings)))  # its first copy failed: it needs the work
            if isinstance(item, Failure):
                recoding.discard(item.id)
                summary.failures.append(item)
                store.add_failure(item)
                if progress:
                    progress(item.source)
            elif item.id in recoding:
                recoding.discard(item.id)
                store.recode(item)  # its own transaction, its stories and levels regrouped in it
                summary.recoded += 1
                partly(item)
            else:
                pending.append(item)
                if len(pending) >= STORE_BATCH:
                    store_pending()
    except KeyboardInterrupt:
        store_pending()  # what was coded before the interrupt is kept
        raise
    store_pending()
    store.resolve(new_ids)  # also groups what an interrupted run stored and never grouped
    return summary


def refused(article: Article, error: RefusedError) -> Failure:
    """The failure of an article the database refused to store."""
    return Failure(error.source, "store", error.reason, article.id)


def is_sighting(doc: RawDocument | Failure, stored: Callable[[str], bool]) -> bool:
    """A document to note as seen again instead of working on it: its text is
    ``stored``, and the 'published' it gives, if any, is a date (one that is
    not goes on to fail in the clean stage, by name)."""
    return (isinstance(doc, RawDocument) and stored(doc.id)
            and (not doc.published or parse_published(doc.published) is not None))


def article_record(article: Article) -> dict:
    """``Article.as_dict()`` with what it leaves out (source, notes, dropped
    lines, a commitment's evidence text), so that an article coded elsewhere
    comes back equal: ``Article.from_dict(article_record(a)) == a``."""
    data = article.as_dict()
    data["article"] |= {"source": article.source, "notes": list(article.notes),
                        "dropped_lines": [list(line) for line in article.dropped_lines]}
    for commitment, record in zip(article.commitments, data["commitments"]):
        record["evidence"]["text"] = commitment.evidence.text
    return data


def _paths(paths: str | os.PathLike | Iterable[str]) -> list[str]:
    """One path given alone is one path, not the characters of its name."""
    if isinstance(paths, (str, os.PathLike)):
        return [os.fspath(paths)]
    if isinstance(paths, bytes):
        raise TypeError("give paths as str, not bytes")
    return [os.fspath(p) for p in paths]


def extract(source: str | os.PathLike | bytes, settings: Settings | None = None) -> Article:
    """One article from a path, or from the text (or bytes) itself."""
    settings = settings or Settings()
    if isinstance(source, (str, os.PathLike)) and not isinstance(source, bytes):
        text = str(source)
        if "\n" not in text and len(text) < 4096 and os.path.lexists(text):  # a link is a path, even a broken one
            results = [r for r in extract_paths([text], settings)]
            if len(results) != 1:
                raise ExtractionError(text, f"holds {len(results)} documents; use accord.extract_paths() for many")
            result = results[0]
            if isinstance(result, Failure):
                raise ExtractionError(result.source, result.reason)
            return result
        data = text.encode("utf-8")
    else:
        data = bytes(source)
    from .read.decode import decode
    from .read.files import sniff_kind
    raw = RawDocument(id=content_id(data), source="<text>", text=decode(data, "<text>"), kind=sniff_kind(data))
    result = next(extract_documents([raw], settings))
    if isinstance(result, Failure):
        raise ExtractionError(result.source, result.reason)
    return result
