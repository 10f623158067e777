"""Exporting the record: events, stories and commitments as CSV, Parquet,
JSON Lines or PLOVER JSON Lines.

    >>> from accord import export
    >>> export.write("events", "csv", store.events(), "events.csv")

``jsonl`` writes the rows as the store returns them.  ``csv`` and ``parquet``
write the flat columns of ``COLUMNS``, built by ``flatten``: typed values
(strings, ints, bools and lists).  Parquet keeps them typed; CSV writes a list
as one cell, its items joined with ";" (codes and names) or with a newline
(``list<text>`` columns: sentences, which may themselves hold a ";").
``plover`` writes events only, in the field names of the PLOVER manual's
"Data Fields" chapter (see ``to_plover``).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import IO

from . import __version__
from ._errors import AccordError
from .code.lexicon import QUAD_CODE

TABLES = ("events", "stories", "commitments")
FORMATS = ("csv", "parquet", "jsonl", "plover")

# The column types: how Parquet stores them and how CSV writes them.
STRING, INT, BOOL, LIST, INT_LIST, TEXT_LIST = "string", "int", "bool", "list<string>", "list<int>", "list<text>"
CSV_SEPARATOR = {LIST: ";", INT_LIST: ";", TEXT_LIST: "\n"}

_SPEC: dict[str, tuple[tuple[str, str, str], ...]] = {
    "events": (
        ("id", INT, "the event's id in the store"),
        ("article_id", STRING, "the article it was read from (sha256 of the document's bytes)"),
        ("seq", INT, "its position among the article's events, from 0"),
        ("type", STRING, "PLOVER event type (AGREE, CONSULT, SUPPORT, ...)"),
        ("quad_code", INT, "PLOVER quad: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict"),
        ("mode", STRING, "PLOVER mode (meet, visit, sign, establish, ...); empty when none"),
        ("context", LIST, "PLOVER contexts (diplomatic, economic, ...)"),
        ("cameo", STRING, "CAMEO code (the root, or a finer code when the trigger gives one)"),
        ("countries", LIST, "the countries involved, ISO 3166 alpha-3"),
        ("date", STRING, "when it happened, YYYY-MM-DD; empty when nothing dates it"),
        ("date_precision", STRING, "how precise the date is: day, week, month or year"),
        ("date_end", STRING, "the last day, when it spans several days"),
        ("date_source", STRING, "where the date was read from"),
        ("place_name", STRING, "where it happened"),
        ("place_country", STRING, "the country of the place, ISO 3166 alpha-3"),
        ("relation_level", STRING, "the level of relations it sets (strategic partnership, ...)"),
        ("negated", BOOL, "the text says it did not happen"),
        ("future", BOOL, "announced for later"),
        ("hypothetical", BOOL, "proposed or conditional, not done"),
        ("trigger", STRING, "the words it was coded from"),
        ("story_id", INT, "the story that groups this event with its reports in other articles"),
        ("source_names", LIST, "the actors that did it: names"),
        ("source_countries", LIST, "the actors that did it: country codes, in the same order"),
        ("source_sectors", LIST, "the actors that did it: PLOVER sector codes (GOV, MIL, ...), in the same order"),
        ("target_names", LIST, "the actors it was done to: names"),
        ("target_countries", LIST, "the actors it was done to: country codes, in the same order"),
        ("target_sectors", LIST, "the actors it was done to: sector codes, in the same order"),
        ("evidence_text", TEXT_LIST, "the sentences it was read from"),
        ("evidence_start", INT_LIST, "where each sentence starts in the article's text (characters)"),
        ("evidence_end", INT_LIST, "where each sentence ends in the article's text (characters)"),
        ("title", STRING, "the article's title"),
        ("credit", STRING, "the agency the article credits (VNA, Reuters, ...)"),
        ("outlet", STRING, "the site or paper that published the article"),
        ("published", STRING, "when the article was published, ISO 8601"),
        ("url", STRING, "the article's URL"),
        ("article_source", STRING, "where accord read the article: a path, a URL or <stdin>"),
        ("reported_by", STRING, "who reported it: the credited source, else the outlet, web host or file name"),
    ),
    "stories": (
        ("id", INT, "the story's id in the store (kept while the story keeps any of its events)"),
        ("type", STRING, "PLOVER event type"),
        ("quad_code", INT, "PLOVER quad code of the type, 1 to 4"),
        ("mode", STRING, "PLOVER mode most of its articles give"),
        ("countries", LIST, "the countries involved, ISO 3166 alpha-3"),
        ("relation_level", STRING, "the level of relations it sets"),
        ("date", STRING, "when it happened, YYYY-MM-DD"),
        ("first_published", STRING, "when the first report of it was published"),
        ("first_article_id", STRING, "the first report of it"),
        ("article_count", INT, "how many articles report it"),
        ("source_count", INT, "how many distinct sources report it"),
        ("sources", LIST, "the sources that report it"),
        ("evidence", TEXT_LIST, "the sentences it was read from, each once"),
    ),
    "commitments": (
        ("id", INT, "the commitment's id in the store"),
        ("article_id", STRING, "the article it was read from"),
        ("seq", INT, "its position among the article's commitments, from 0"),
        ("event_id", INT, "the event it belongs to, when there is one"),
        ("sector", STRING, "the field of cooperation (energy, trade, education, ...)"),
        ("parties", LIST, "the countries committed, ISO 3166 alpha-3"),
        ("text", STRING, "the sentence that states it"),
        ("start", INT, "where the sentence starts in the article's text (characters)"),
        ("end", INT, "where the sentence ends in the article's text (characters)"),
        ("credit", STRING, "the agency the article credits"),
        ("outlet", STRING, "the site or paper that published the article"),
        ("article_source", STRING, "where accord read the article: a path, a URL or <stdin>"),
        ("reported_by", STRING, "who reported it: the credited source, else the outlet, web host or file name"),
    ),
}

COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    table: tuple((name, description) for name, _, description in spec) for table, spec in _SPEC.items()
}
TYPES: dict[str, dict[str, str]] = {table: {name: kind for name, kind, _ in spec} for table, spec in _SPEC.items()}


def _check(table: str, fmt: str | None = None) -> None:
    if table not in TABLES:
        raise AccordError(f"cannot export {table!r}: expected one of {', '.join(TABLES)}")
    if fmt is not None and fmt not in FORMATS:
        raise AccordError(f"unknown export format {fmt!r}: expected one of {', '.join(FORMATS)}")
    if fmt == "plover" and table != "events":
        raise AccordError(f"the plover format holds events only, not {table}: "
                          "use --format jsonl, csv or parquet for it")


def check(table: str, fmt: str, output: str | None = None) -> None:
    """Refuse, before anything is read or written, what cannot be exported."""
    _check(table, fmt)
    if fmt == "parquet" and output in (None, "-"):
        raise AccordError("parquet is a binary format and cannot go to standard output: "
                          "parquet needs --output PATH")


def columns(table: str) -> tuple[tuple[str, str], ...]:
    """The flat columns of ``table``, in order: (name, description)."""
    _check(table)
    return COLUMNS[table]


# -- flat rows ----------------------------------------------------------------
def _text(value) -> str | None:
    return None if value is None or value == "" else str(value)


def _int(value) -> int | None:
    return None if value is None or value == "" else int(value)


def _strings(values) -> list[str | None]:
    return [None if v is None else str(v) for v in values or []]


def _quad(row: dict) -> int | None:
    """The store's quad code, else the one of the PLOVER type."""
    return _int(row.get("quad_code")) or QUAD_CODE.get(row.get("type") or "")


def _flat_event(row: dict) -> dict:
    place = row.get("place") or {}
    source, target = row.get("source") or [], row.get("target") or []
    evidence = row.get("evidence") or []
    return {
        "id": _int(row.get("id")), "article_id": _text(row.get("article_id")), "seq": _int(row.get("seq")),
        "type": _text(row.get("type")), "quad_code": _quad(row),
        "mode": _text(row.get("mode")), "context": _strings(row.get("context")), "cameo": _text(row.get("cameo")),
        "countries": _strings(row.get("countries")),
        "date": _text(row.get("date")), "date_precision": _text(row.get("date_precision")),
        "date_end": _text(row.get("date_end")), "date_source": _text(row.get("date_source")),
        "place_name": _text(place.get("name")), "place_country": _text(place.get("country")),
        "relation_level": _text(row.get("relation_level")),
        "negated": bool(row.get("negated")), "future": bool(row.get("future")),
        "hypothetical": bool(row.get("hypothetical")),
        "trigger": _text(row.get("trigger")), "story_id": _int(row.get("story_id")),
        "source_names": _strings(a.get("name") for a in source),
        "source_countries": _strings(a.get("country") for a in source),
        "source_sectors": _strings(a.get("sector") for a in source),
        "target_names": _strings(a.get("name") for a in target),
        "target_countries": _strings(a.get("country") for a in target),
        "target_sectors": _strings(a.get("sector") for a in target),
        "evidence_text": _strings(e.get("text") for e in evidence),
        "evidence_start": [_int(e.get("start")) for e in evidence],
        "evidence_end": [_int(e.get("end")) for e in evidence],
        "title": _text(row.get("title")), "credit": _text(row.get("credit")), "outlet": _text(row.get("outlet")),
        "published": _text(row.get("published")), "url": _text(row.get("url")),
        "article_source": _text(row.get("article_source")),
        "reported_by": _text(row.get("source_name")),
    }


def _flat_story(row: dict) -> dict:
    return {
        "id": _int(row.get("id")), "type": _text(row.get("type")), "quad_code": _quad(row),
        "mode": _text(row.get("mode")), "countries": _strings(row.get("countries")),
        "relation_level": _text(row.get("relation_level")), "date": _text(row.get("date")),
        "first_published": _text(row.get("first_published")), "first_article_id": _text(row.get("first_article_id")),
        "article_count": _int(row.get("article_count")), "source_count": _int(row.get("source_count")),
        "sources": _strings(row.get("sources")),
        # Stories give their evidence as sentences; accept spans too.
        "evidence": _strings(e.get("text") if isinstance(e, dict) else e for e in row.get("evidence") or []),
    }


def _flat_commitment(row: dict) -> dict:
    return {
        "id": _int(row.get("id")), "article_id": _text(row.get("article_id")), "seq": _int(row.get("seq")),
        "event_id": _int(row.get("event_id")), "sector": _text(row.get("sector")),
        "parties": _strings(row.get("parties")), "text": _text(row.get("text")),
        "start": _int(row.get("start")), "end": _int(row.get("end")),
        "credit": _text(row.get("credit")), "outlet": _text(row.get("outlet")),
        "article_source": _text(row.get("article_source")),
        "reported_by": _text(row.get("source_name")),
    }


_FLATTEN: dict[str, Callable[[dict], dict]] = {
    "events": _flat_event, "stories": _flat_story, "commitments": _flat_commitment,
}


def flatten(table: str, row: dict) -> dict:
    """One row as the store returns it, as the flat columns of ``table``, in
    order.  Values are typed (see ``TYPES``): str, int, bool or list, None
    when missing.  Keys the row lacks are left empty."""
    _check(table)
    flat = _FLATTEN[table](row)
    return {name: flat[name] for name, _ in COLUMNS[table]}


def _csv_cell(kind: str, value) -> str:
    if value is None:
        return ""
    if kind == BOOL:
        return "true" if value else "false"
    if kind in CSV_SEPARATOR:
        return CSV_SEPARATOR[kind].join("" if v is None else str(v) for v in value)
    return str(value)


# -- PLOVER -------------------------------------------------------------------
def _entity(actor: dict) -> dict:
    """An accord actor as a PLOVER entity object: the code is the top-level
    country code ("IGO" for "IGO:CICA"), the office the person's title."""
    country = actor.get("country")
    entity = {"code": country.split(":")[0] if country else None, "sector": actor.get("sector"),
              "entity_text": actor.get("name"), "office": actor.get("role")}
    return {k: v for k, v in entity.items() if v}


def _day(value) -> str | None:
    text = _text(value)
    return text[:10] if text and len(text) >= 10 and text[4] == "-" else None


_REQUIRED = ("id", "date", "actor", "event")


def plover_id(row: dict) -> str:
    """A stable id: the article's content hash (first 12 hex digits) and the
    event's position in the article, e.g. ``accord-b0ee48010bf6-0``."""
    article = str(row.get("article_id") or "").split(":")[-1]
    return f"accord-{article[:12]}-{row.get('seq')}"


def to_plover(row: dict, *, coded_date: str | None = None) -> dict:
    """An event row as a PLOVER record.  With no date of its own, the event
    takes its article's day of publication (``date_source`` says so); with
    neither, ``date`` is null.  The required fields (id, date, actor, event)
    are always there; optional ones only when they have a value."""
    type_ = row.get("type")
    place = row.get("place")
    evidence = row.get("evidence") or []
    date_source = row.get("date_source") if row.get("date") else ("published" if _day(row.get("published")) else None)
    record: dict = {
        "id": plover_id(row),
        "date": _text(row.get("date")) or _day(row.get("published")),
        "enddate": _text(row.get("date_end")),
        "actor": [_entity(a) for a in row.get("source") or []],
        "recipient": [_entity(a) for a in row.get("target") or []],
        "event": [type_] if type_ else [],
        "mode": [row["mode"]] if row.get("mode") else [],
        "context": list(row.get("context") or []),
        "quad_code": _quad(row),
        "event_text": [e.get("text") for e in evidence],
        "text_info": {"start": evidence[0].get("start"), "end": evidence[0].get("end")} if evidence else None,
        "event_loc": {"extracted_place": place.get("name"), "country_code": place.get("country")} if place else None,
        "link": f"accord-story-{row['story_id']}" if row.get("story_id") is not None else None,
        "cite_info": {k: v for k, v in {
            "citation": row.get("article_id"), "url": row.get("url"), "title": row.get("title"),
            "publication": row.get("credit") or row.get("outlet"), "published": _text(row.get("published")),
        }.items() if v},
        "coder": f"accord {__version__}",
        "coded_date": coded_date or datetime.now(timezone.utc).date().isoformat(),
        # accord's own fields, which PLOVER lets a provider add:
        "date_precision": row.get("date_precision"), "date_source": date_source,
        "negated": bool(row.get("negated")), "future": bool(row.get("future")),
        "hypothetical": bool(row.get("hypothetical")),
    }
    return {k: v for k, v in record.items() if v is not None or k in _REQUIRED}


# -- writing ------------------------------------------------------------------
@contextmanager
def _open_text(output: str | None) -> Iterator[IO[str]]:
    if output in (None, "-"):
        yield sys.stdout
        sys.stdout.flush()
        return
    try:
        fh = open(output, "w", encoding="utf-8", newline="")
    except OSError as err:
        raise AccordError(f"cannot write {output}: {err.strerror}; check that its folder exists and is writable") from None
    with fh:
        yield fh


def _write_jsonl(records: Iterable[dict], output: str | None) -> int:
    count = 0
    with _open_text(output) as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
            count += 1
    return count


def _write_csv(table: str, rows: Iterable[dict], output: str | None) -> int:
    names = [name for name, _ in COLUMNS[table]]
    types = TYPES[table]
    count = 0
    with _open_text(output) as fh:
        writer = csv.writer(fh)
        writer.writerow(names)
        for row in rows:
            flat = flatten(table, row)
            writer.writerow([_csv_cell(types[name], flat[name]) for name in names])
            count += 1
    return count


def parquet_schema(table: str):
    """The pyarrow schema of ``table``, each field described in its metadata."""
    import pyarrow as pa

    arrow = {STRING: pa.string(), INT: pa.int64(), BOOL: pa.bool_(), LIST: pa.list_(pa.string()),
             INT_LIST: pa.list_(pa.int64()), TEXT_LIST: pa.list_(pa.string())}
    return pa.schema([pa.field(name, arrow[kind], metadata={"description": description})
                      for name, kind, description in _SPEC[table]])


def _write_parquet(table: str, rows: Iterable[dict], output: str) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise AccordError("the parquet format needs pyarrow: pip install pyarrow") from None
    schema = parquet_schema(table)
    data: dict[str, list] = {name: [] for name in schema.names}
    count = 0
    for row in rows:
        for name, value in flatten(table, row).items():
            data[name].append(value)
        count += 1
    try:
        pq.write_table(pa.Table.from_pydict(data, schema=schema), output)
    except OSError as err:
        raise AccordError(f"cannot write {output}: {err}; check that its folder exists and is writable") from None
    return count


def write(table: str, fmt: str, rows: Iterable[dict], output: str | None) -> int:
    """Write the store's ``rows`` of ``table`` in format ``fmt`` to the file
    ``output`` (created or overwritten), or to standard output when it is
    None or "-".  Returns the number of rows written."""
    check(table, fmt, output)
    if fmt == "parquet":
        return _write_parquet(table, rows, output)
    if fmt == "csv":
        return _write_csv(table, rows, output)
    if fmt == "plover":
        coded = datetime.now(timezone.utc).date().isoformat()
        return _write_jsonl((to_plover(row, coded_date=coded) for row in rows), output)
    return _write_jsonl(rows, output)
