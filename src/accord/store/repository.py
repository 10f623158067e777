"""The store: the only place that writes SQL.  SQLite by default, PostgreSQL
by URL, through SQLAlchemy Core."""

from __future__ import annotations

import os
import re
import sqlite3
from collections import ChainMap, Counter, defaultdict
from collections.abc import Iterable, Mapping, MutableMapping
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

from sqlalchemy import bindparam, case, create_engine, delete, event, func, insert, or_, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, DataError, IntegrityError, SQLAlchemyError

from .._errors import QueryError, RefusedError, StoreError
from ..code.lexicon import QUAD_CODE, QUAD_NAME, level_rank
from ..models import Article, Failure
from ..resolve.duplicates import DuplicateIndex, from_bytes, signature, to_bytes
from ..resolve.stories import EventRow, group, instant, source_name
from . import filters as f
from . import schema as t
from .migrations import migrate, pending
from .transactions import BUSY_TIMEOUT_MS, insert_or_ignore, is_read_only, on_sqlite, read_only_error, writing
from .urls import in_memory, shown, sqlite_path



# How the coder's note says the time limit cut an article short (code/__init__.py writes it).
TIME_LIMIT_NOTE = re.compile(r"the time limit of ([0-9.e+-]+) s per document was reached")


def _codes(countries) -> str:
    return "," + ",".join(sorted(set(countries))) + "," if countries else ""


def _sighting_row(doc_id, source, url, outlet, published, seen_at) -> dict:
    return {"document_id": doc_id, "source": source or "", "url": url or "", "outlet": outlet or "",
            "published": published or "", "seen_at": seen_at}


def _split(codes: str | None) -> list[str]:
    return [c for c in (codes or "").split(",") if c]


def create_store_engine(url: str, *, read_only: bool = False) -> Engine:
    try:
        if read_only:
            path = sqlite_path(url)
            # A file the user may read but not write: SQLite opens it read-only,
            # and "immutable" since no one can write it (no WAL index needed).
            url = f"sqlite:///file:{quote(str(path.resolve()))}?mode=ro&immutable=1&uri=true"
        # Rows go in with executemany (psycopg pipelines them), never as multi-row INSERT ...
        # RETURNING, which psycopg parses anew each time (_insert_numbered).
        engine = create_engine(url, future=True)
    except (SQLAlchemyError, ImportError, ModuleNotFoundError) as err:
        hint = " (pip install 'accord[postgres]' for PostgreSQL)" if "postgres" in url else ""
        raise StoreError(f"cannot open the store {url!r}: {err}{hint}") from None
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):
            cur = dbapi_connection.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            if not read_only:
                # In WAL mode (which a store opened to write is put in, and
                # keeps), NORMAL never corrupts the file and survives a killed
                # process; a power cut may undo the last commits, which the
                # next ingest of the same input stores again.
                cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cur.close()
        on_sqlite(engine)
    return engine


class Store:
    """Open the database at ``url``; write and query the record.

    A store is made when the file is new or the database empty, and an
    older accord's store is migrated to the current schema.
    ``must_exist=True`` (what the reading commands and the server use)
    never makes one: it refuses a SQLite file that is not there and an
    empty database, and opens a file the user cannot write read-only (and
    refuses it if it needs migrations).  Either way a database that holds
    tables but not accord's, and a store of a newer accord, are refused
    untouched, and so is a SQLite database in memory (gone when the store
    closes) unless ``memory=True``."""

    def __init__(self, url: str, *, duplicate_threshold: float = 0.8, must_exist: bool = False,
                 memory: bool = False) -> None:
        self.url = url
        self.read_only = False
        where = shown(url)
        if in_memory(url) and not memory:
            raise StoreError(f"{url!r} is a database in memory: what is stored there is gone when the store closes; "
                             "give a file (sqlite:///path.db or a path) or a server URL")
        path = sqlite_path(url)
        if path is not None and must_exist and not path.is_file():
            raise StoreError(f"no database at {path}: run 'accord ingest PATH... --db {path}' first, "
                             "or point --db (or ACCORD_DB) at an existing one")
        if path is not None and path.is_file():
            self.read_only = not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))
            if self.read_only and not must_exist:
                raise read_only_error(url)
        self.engine = create_store_engine(url, read_only=self.read_only)
        try:
            needed = pending(self.engine, where, create=not must_exist)
            if needed and self.read_only:
                raise StoreError(f"{where} is read-only and needs schema migrations {needed}: "
                                 "open it once with write access (accord ingest) to upgrade it")
            if (needed or not must_exist) and self.engine.dialect.name == "sqlite":
                # Only once it is known to be accord's (or empty), and outside
                # a transaction: WAL, so that readers never block writers.
                raw = self.engine.raw_connection()
                try:
                    raw.driver_connection.execute("PRAGMA journal_mode=WAL")
                finally:
                    raw.close()
            if needed:
                migrate(self.engine)
        except StoreError:
            self.engine.dispose()
            raise
        except (DBAPIError, sqlite3.Error) as err:
            self.engine.dispose()
            if is_read_only(err):
                raise read_only_error(url) from None
            if "file is not a database" in str(getattr(err, "orig", err)):
                raise StoreError(f"{where} is not an accord database: it is not a SQLite file") from None
            raise StoreError(f"cannot open the store {where}: {_reason(err)}; check the path or URL and that the "
                             "server runs") from None
        self._duplicates: DuplicateIndex | None = None
        self._seen_until: datetime | None = None  # when the index last read what others stored
        self._last_rowid = 0  # in a SQLite file: the last document the index read
        self._threshold = duplicate_threshold
        self._touched: set[str] = set()  # articles whose stories need regrouping
        # Committed rows that never change once written: actors' ids and the
        # country sets noted, so that the next article need not look them up.
        self._actor_ids: dict[tuple, int] = {}
        self._sets_noted: set[str] = set()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- writing ----------------------------------------------------------
    def has_document(self, doc_id: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(DOCUMENT, {"doc_id": doc_id}).first() is not None

    def stored(self, doc_ids: Iterable[str]) -> set[str]:
        """Which of ``doc_ids`` are stored: one query for a group of them
        (ingest asks it of every document it reads)."""
        wanted, found = list(dict.fromkeys(doc_ids)), set()
        if not wanted:
            return found
        d = t.documents
        with self.engine.connect() as conn:
            for chunk in _chunks(wanted):
                found.update(conn.execute(select(d.c.id).where(d.c.id.in_(chunk))).scalars())
        return found

    def _duplicate_index(self, conn) -> DuplicateIndex:
        """The signatures of every stored article, brought up to date with
        those other processes stored since we last looked.  Called under the
        writer lock, so nothing commits while it reads."""
        a, d = t.articles, t.documents
        now = datetime.now(timezone.utc)
        if conn.dialect.name == "sqlite":
            # Documents are never deleted, so a SQLite file numbers its rows in
            # the order writers committed them: read the ones past the last seen.
            if self._duplicates is None:
                self._duplicates = DuplicateIndex(self._threshold)
            new = conn.execute(NEW_DOCUMENTS, {"last": self._last_rowid}).all()
            self._last_rowid = max((r.rowid for r in new), default=self._last_rowid)
        elif self._duplicates is None:
            self._duplicates = DuplicateIndex(self._threshold)
            new = conn.execute(select(a.c.id))
        else:
            # Writers stamp first_seen under the lock; a minute's slack for
            # another machine's clock.
            new = conn.execute(select(d.c.id).where(d.c.first_seen >= self._seen_until - timedelta(minutes=1)))
        index = self._duplicates
        missing = [r.id for r in new if r.id not in index.signatures]
        for chunk in _chunks(missing):
            for row in conn.execute(select(a.c.id, a.c.minhash, a.c.text).where(a.c.id.in_(chunk))):
                index.add(row.id, (from_bytes(row.minhash) if row.minhash else None) or signature(row.text))
        self._seen_until = now
        return index

    def add_sighting(self, doc_id: str, source: str, *, url: str | None = None, outlet: str | None = None,
                     published: str | None = None) -> bool:
        """Record that a stored document was seen again, with what this
        sighting said of it, and forget the failures of its source that no
        content was read from (it reads now).  Returns False when this
        sighting is known."""
        with writing(self.engine) as conn:
            if outlet is None or published is None:
                # The same text says the same outlet and time as when it was stored.
                known = conn.execute(select(t.articles.c.outlet, t.articles.c.published)
                                     .where(t.articles.c.id == doc_id)).first()
                if known:
                    outlet, published = outlet or known.outlet, published or known.published
            added = self._sighting(conn, doc_id, source, url, outlet, published)
            _forget_failures(conn, [], [source])
            if added and published:
                self._earliest_published(conn, doc_id, published)
            return added

    def _earliest_published(self, conn, doc_id: str, published: str) -> None:
        """An article keeps the earliest publication time any sighting gave
        it, so that the record does not depend on which copy came first."""
        a = t.articles
        row = conn.execute(select(a.c.published, a.c.copy_of).where(a.c.id == doc_id)).first()
        if row is None or (row.published and instant(row.published) <= instant(published)):
            return
        conn.execute(update(a).where(a.c.id == doc_id).values(published=published,
                                                               published_precision=_precision(published)))
        self._touched.add(doc_id)  # its stories' first report may change
        if row.copy_of or conn.execute(select(a.c.id).where(a.c.copy_of == doc_id)).first():
            self._group_copies(conn, [doc_id])

    @staticmethod
    def _sighting(conn, doc_id, source, url, outlet, published) -> bool:
        """One row per document, source and URL: where and as what it was seen."""
        done = conn.execute(insert_or_ignore(conn, t.sightings),
                            _sighting_row(doc_id, source, url, outlet, published, datetime.now(timezone.utc)))
        return done.rowcount == 1

    @staticmethod
    def _group_copies(conn, matches: list[str]) -> None:
        """Make one group of the articles ``matches`` and the groups they
        belong to (a new article bridges the groups of its near-duplicates);
        the group's first report, by publication time then id, is the one
        the others copy."""
        a = t.articles
        roots = {r.copy_of or r.id for r in conn.execute(select(a.c.id, a.c.copy_of).where(a.c.id.in_(matches)))}
        members = conn.execute(select(a.c.id, a.c.published).where(
            or_(a.c.id.in_(roots), a.c.copy_of.in_(roots)))).all()
        first = min(members, key=lambda r: (instant(r.published) is None, instant(r.published) or "", r.id))
        conn.execute(update(a).where(a.c.id.in_([r.id for r in members])).values(
            copy_of=case((a.c.id == first.id, None), else_=first.id)))

    def add_articles(self, articles: Iterable[Article],
                     signatures: Mapping[str, bytes] | None = None) -> list[bool | RefusedError]:
        """Store coded articles, in order, in one transaction: the writer
        lock is taken and the commit made once for all of them.  Returns,
        for each, whether it was new (as ``add_article`` does), or the
        ``RefusedError`` that says why the database refused it.  If the
        batch cannot go in whole (another writer stored one of the same
        documents or actors meanwhile, or the database refused a row), none
        of it is kept and each article is stored alone, so that what goes
        wrong is one article's alone.  ``signatures``: near-duplicate
        signatures already made of some of them (``to_bytes``), by id; the
        others' are made here."""
        articles = list(articles)
        signatures = signatures or {}
        sigs = [(from_bytes(signatures[a.id]) if a.id in signatures else None) or signature(a.text) for a in articles]
        if len(articles) > 1:
            try:
                return self._add_batch(articles, sigs)
            except SQLAlchemyError:
                pass
        out: list[bool | RefusedError] = []
        for article, sig in zip(articles, sigs):
            try:
                out.append(self._add_one(article, sig))
            except RefusedError as err:
                out.append(err)
        return out

    def add_article(self, article: Article) -> bool:
        """Store one coded article in one transaction.  Returns False, and
        changes nothing but the sighting, when its document is already stored."""
        return self._add_one(article, signature(article.text))

    def _add_one(self, article: Article, sig) -> bool:
        """``add_article``, its signature made."""
        for attempt in range(3):
            try:
                return self._add_batch([article], [sig])[0]
            except (IntegrityError, DataError) as err:
                if isinstance(err, IntegrityError):
                    # Another writer stored the same document, or the same new
                    # actor, between our check and insert: look again.
                    if self.has_document(article.id):
                        return False
                    if attempt < 2:
                        continue
                # Not a race: the database refuses the article.
                raise RefusedError(article.source or article.id, f"the database refused it ({_reason(err)})") from None
            except SQLAlchemyError as err:
                raise StoreError(f"could not store {article.source or article.id}: {_reason(err)}") from None
        raise AssertionError("unreachable: the third attempt returns or raises")

    def _add_batch(self, articles: list[Article], sigs: list) -> list[bool]:
        """Articles in one transaction; raises (keeping nothing) if any
        of them cannot be written."""
        index = None
        indexed: list[str] = []  # indexed before the commit, so that a copy later in the batch is found
        new_actors: dict[tuple, int] = {}  # kept only once committed
        try:
            with writing(self.engine) as conn:
                index = self._duplicate_index(conn)
                out, sets = self._write(conn, articles, sigs, index, indexed, new_actors)
        except BaseException:
            if index is not None:
                index.remove(indexed)  # rolled back: those articles are not stored
            raise
        self._remember(new_actors, sets)
        return out

    def _remember(self, new_actors: dict[tuple, int], sets: set[str]) -> None:
        """Committed: the actors and country sets a transaction wrote are
        known to the next one."""
        if len(self._actor_ids) < KNOWN_ROWS:
            self._actor_ids.update(new_actors)
        if len(self._sets_noted) < KNOWN_ROWS:
            self._sets_noted |= sets

    def _write(self, conn, articles: list[Article], sigs: list, index: DuplicateIndex, indexed: list[str],
               new_actors: dict[tuple, int]) -> tuple[list[bool], set[str]]:
        """Write articles' rows in the open transaction ``conn``, one
        statement per table for all of them (a round trip each on a
        server), to the same rows as writing them one after another.
        Returns whether each was new, and the country sets noted.  The new
        ones go into ``index`` (and their ids into ``indexed``), so that a
        copy later in the batch is found; ``new_actors`` gets the actors
        added."""
        now = datetime.now(timezone.utc)
        stored: set[str] = set()
        for chunk in _chunks(sorted({a.id for a in articles})):
            stored.update(r.id for r in conn.execute(select(t.documents.c.id).where(t.documents.c.id.in_(chunk))))
        out: list[bool] = []
        fresh: list[tuple[Article, object, list[str]]] = []  # new articles, their signatures, the stored ones they copy
        for article, sig in zip(articles, sigs):
            if article.id in stored:
                out.append(False)  # seen again: its sighting is written below, in order
                continue
            fresh.append((article, sig, [m for m in index.matches(sig) if m != article.id]))
            stored.add(article.id)  # the same document later in the batch is seen again
            if article.id not in index.signatures:
                index.add(article.id, sig)
                indexed.append(article.id)
            out.append(True)
        if fresh:
            conn.execute(INSERT[t.documents], [dict(
                id=a.id, source=a.source or a.path or "", path=a.path, url=a.url, first_seen=now) for a, _, _ in fresh])
            conn.execute(INSERT[t.articles], [dict(
                id=a.id, outlet=a.outlet, credit=a.credit, title=a.title,
                published=a.published, published_precision=a.published_precision,
                dateline_name=a.dateline.name if a.dateline else None,
                dateline_country=a.dateline.country if a.dateline else None,
                language=a.language, text=a.text, minhash=to_bytes(sig),
                source_name=source_name(a.credit, a.outlet, a.url, a.path or a.source)) for a, sig, _ in fresh])
        # Sightings in input order: a run of new articles' in one statement;
        # one seen again may move its copy group's first report.
        run: list[Article] = []
        for article, new in zip(articles, out):
            if new:
                run.append(article)
                continue
            self._sightings(conn, run)
            run = []
            if self._sighting(conn, article.id, article.source, article.url, article.outlet,
                              article.published) and article.published:
                self._earliest_published(conn, article.id, article.published)
        self._sightings(conn, run)
        # Stored now: what failed of these documents before, or of their sources, is no failure any more.
        _forget_failures(conn, [a.id for a, _, _ in fresh], [a.source for a in articles])
        for article, _, matches in fresh:
            if matches:
                self._group_copies(conn, matches + [article.id])
        return out, self._write_coding(conn, [a for a, _, _ in fresh], new_actors)

    def _write_coding(self, conn, articles: list[Article], new_actors: dict[tuple, int]) -> set[str]:
        """What the coder found in stored articles: their events (in one
        statement, their ids back in order), the events' actors and
        evidence, and the commitments.  Returns the country sets noted."""
        events = [(a, seq, ev) for a in articles for seq, ev in enumerate(a.events)]
        event_ids: list[int] = []
        if events:
            event_ids = _insert_numbered(conn, t.events, [
                dict(article_id=a.id, seq=seq, type=ev.type, mode=ev.mode,
                     context=",".join(ev.context), cameo=ev.cameo, countries=_codes(ev.countries),
                     date=ev.date, date_precision=ev.date_precision, date_end=ev.date_end,
                     date_source=ev.date_source, date_reason=ev.date_reason,
                     place_name=ev.place.name if ev.place else None,
                     place_country=ev.place.country if ev.place else None,
                     relation_level=ev.relation_level, negated=ev.negated, future=ev.future,
                     hypothetical=ev.hypothetical, trigger=ev.trigger)
                for a, seq, ev in events])
        ids_of: dict[str, list[int]] = defaultdict(list)
        for (a, _, _), event_id in zip(events, event_ids):
            ids_of[a.id].append(event_id)
        actor_ids = ChainMap(new_actors, self._actor_ids)
        roles = [dict(event_id=event_id, role=role, position=position,
                      actor_id=self._actor_id(conn, actor, actor_ids))
                 for (_, _, ev), event_id in zip(events, event_ids)
                 for role, group_ in (("source", ev.source), ("target", ev.target))
                 for position, actor in enumerate(group_)]
        spans = [dict(event_id=event_id, start=span.start, end=span.end, text=span.text)
                 for (_, _, ev), event_id in zip(events, event_ids) for span in ev.evidence]
        commitments = [dict(article_id=a.id, seq=seq,
                            event_id=ids_of[a.id][c.event] if c.event is not None and c.event < len(ids_of[a.id]) else None,
                            sector=c.sector, parties=_codes(c.parties), text=c.text,
                            start=c.evidence.start, end=c.evidence.end)
                       for a in articles for seq, c in enumerate(a.commitments)]
        for table, rows in ((t.event_actors, roles), (t.evidence, spans), (t.commitments, commitments)):
            if rows:
                conn.execute(INSERT[table], rows)
        sets = ({_codes(ev.countries) for _, _, ev in events}
                | {_codes(c.parties) for a in articles for c in a.commitments}) - self._sets_noted
        _note_sets(conn, sets)
        return sets

    def recode(self, article: Article) -> None:
        """Put ``article``'s events (with their actors and evidence) and
        commitments in place of those stored for the same document, which
        was coded only in part, and regroup the stories and levels of the
        countries either names: one transaction, so that a killed run
        leaves the old coding or the new, never half of each.  Its notes of
        the coding stage go with the old coding."""
        e, new_actors = t.events, {}
        with writing(self.engine) as conn:
            if conn.execute(select(t.articles.c.id).where(t.articles.c.id == article.id)).first() is None:
                raise StoreError(f"{article.source or article.id} is not stored: there is nothing to code again")
            keys = {k for (k,) in conn.execute(select(e.c.countries).distinct().where(e.c.article_id == article.id))}
            old = select(e.c.id).where(e.c.article_id == article.id).scalar_subquery()
            for table in (t.event_actors, t.evidence):
                conn.execute(delete(table).where(table.c.event_id.in_(old)))
            conn.execute(delete(t.commitments).where(t.commitments.c.article_id == article.id))
            conn.execute(delete(e).where(e.c.article_id == article.id))
            conn.execute(delete(t.failures).where(t.failures.c.document_id == article.id, t.failures.c.stage == "code"))
            sets = self._write_coding(conn, [article], new_actors)
            self._regroup_all(conn, keys | {_codes(ev.countries) for ev in article.events})
        self._remember(new_actors, sets)

    def time_limit_cut(self, document_id: str) -> float | None:
        """The time limit (seconds) that cut the coding of a stored document
        short, as its note says; None when it was coded whole."""
        fl = t.failures
        with self.engine.connect() as conn:
            reasons = conn.execute(select(fl.c.reason).where(fl.c.document_id == document_id,
                                                             fl.c.stage == "code")).scalars().all()
        limits = [float(m.group(1)) for r in reasons if (m := TIME_LIMIT_NOTE.search(r))]
        return max(limits) if limits else None

    @staticmethod
    def _sightings(conn, articles: list[Article]) -> None:
        """The first sightings of new articles, in one statement."""
        if articles:
            seen_at = datetime.now(timezone.utc)
            conn.execute(insert_or_ignore(conn, t.sightings),
                         [_sighting_row(a.id, a.source, a.url, a.outlet, a.published, seen_at) for a in articles])

    @staticmethod
    def _actor_id(conn, actor, cache: MutableMapping[tuple, int]) -> int:
        k = (actor.kind, actor.name, actor.country)
        if k in cache:
            return cache[k]
        params = {"kind": actor.kind, "name": actor.name}
        if actor.country is None:
            row = conn.execute(ACTOR_NO_COUNTRY, params).first()
        else:
            row = conn.execute(ACTOR, dict(params, country=actor.country)).first()
        if row:
            cache[k] = row.id
        else:
            cache[k] = conn.execute(INSERT_ACTOR, dict(
                kind=actor.kind, name=actor.name, country=actor.country, sector=actor.sector, role=actor.role,
            )).scalar_one()
        return cache[k]

    def add_failure(self, failure: Failure) -> None:
        with writing(self.engine) as conn:
            conn.execute(insert_or_ignore(conn, t.failures).values(
                source=failure.source, stage=failure.stage, reason=failure.reason,
                document_id=failure.id, at=datetime.now(timezone.utc), location=location(failure.source)))

    def resolve(self, article_ids: Iterable[str] | None = None) -> int:
        """Bring stories and relation levels up to date with the events of
        ``article_ids`` (all articles when None): only the sets of countries
        those events name are regrouped, and only the pairs in them get their
        levels rebuilt.  A story keeps its id while it keeps any of its
        events.  Returns the number of stories regrouped."""
        e = t.events
        with writing(self.engine) as conn:
            keys = select(e.c.countries).distinct()
            touched_keys: set[str] = set()
            if article_ids is not None:
                # With the new articles, any an interrupted run stored but never grouped.
                ids = set(article_ids) | self._touched | {r for (r,) in conn.execute(
                    select(e.c.article_id).distinct().where(
                        e.c.story_id.is_(None), e.c.negated.is_(False), e.c.hypothetical.is_(False),
                        e.c.countries.like("%,%,%,%")))}
                for chunk in _chunks(sorted(ids)):
                    touched_keys.update(k for (k,) in conn.execute(keys.where(e.c.article_id.in_(chunk))))
            else:
                touched_keys.update(k for (k,) in conn.execute(keys))
                touched_keys.update(k for (k,) in conn.execute(select(t.stories.c.countries).distinct()))
            levelled = set() if article_ids is not None else {(r.country_a, r.country_b) for r in conn.execute(
                select(t.relation_levels.c.country_a, t.relation_levels.c.country_b).distinct())}
            regrouped = self._regroup_all(conn, touched_keys, levelled)
        self._touched.clear()
        return regrouped

    def _regroup_all(self, conn, keys: set[str], pairs: set[tuple[str, str]] = frozenset()) -> int:
        """Regroup the stories of every country-set key of ``keys`` that
        names two or more, then rebuild the levels of the pairs of countries
        in them and of ``pairs``.  Returns the number of stories regrouped.
        A few statements for all the keys and pairs, not a few for each."""
        touched = sorted(k for k in keys if len(_split(k)) >= 2)
        regrouped = self._regroup(conn, touched) if touched else 0
        pairs = set(pairs) | {(a, b) for countries in touched for i, a in enumerate(_split(countries))
                              for b in _split(countries)[i + 1:] if len(a) == 3 and len(b) == 3}
        if pairs:
            self._relevel(conn, sorted(pairs))
        return regrouped

    @staticmethod
    def _regroup(conn, keys: list[str]) -> int:
        """Regroup every event that names exactly the countries of one of
        ``keys`` (sorted).  Returns the number of stories they make."""
        e, a, d, s = t.events, t.articles, t.documents, t.stories
        rows_of: dict[str, list[EventRow]] = defaultdict(list)
        was: dict[int, int] = {}  # event id → its story until now
        old: set[int] = set()  # the stories of these keys until now
        for chunk in _chunks(keys):
            for r in conn.execute(
                    select(e.c.id, e.c.article_id, e.c.seq, e.c.type, e.c.mode, e.c.countries, e.c.relation_level,
                           e.c.date, a.c.published, a.c.source_name, a.c.credit, a.c.outlet, d.c.url, d.c.path,
                           d.c.source)
                    .join(a, a.c.id == e.c.article_id).join(d, d.c.id == a.c.id)
                    .where(e.c.countries.in_(chunk), e.c.negated.is_(False), e.c.hypothetical.is_(False))):
                rows_of[r.countries].append(EventRow(
                    r.id, r.article_id, r.seq, r.type, r.mode, tuple(_split(r.countries)), r.relation_level, r.date,
                    r.published, r.source_name or source_name(r.credit, r.outlet, r.url, r.path or r.source)))
            for r in conn.execute(select(e.c.id, e.c.story_id).where(e.c.countries.in_(chunk),
                                                                     e.c.story_id.is_not(None))):
                was[r.id] = r.story_id
            old.update(conn.execute(select(s.c.id).where(s.c.countries.in_(chunk))).scalars())
        old.update(was.values())
        plan: list[tuple[object, int | None, dict]] = []  # each group, the old story it keeps, its values
        kept: set[int] = set()
        regrouped = 0
        for countries in keys:
            groups = sorted(group(rows_of.get(countries, [])),
                            key=lambda g: (g.type, g.mode, g.relation_level or "", g.date or "", min(g.event_ids)))
            regrouped += len(groups)
            for g in groups:
                values = dict(type=g.type, mode=g.mode, countries=countries, relation_level=g.relation_level,
                              date=g.date, first_published=g.first_published, first_article_id=g.first_article_id,
                              article_count=len(g.articles), source_count=len(g.sources))
                # A story keeps its id while it keeps events: the old story most of this group's events were in.
                shares = Counter(was[i] for i in g.event_ids if i in was and was[i] not in kept)
                reuse = max(shares, key=lambda sid: (shares[sid], -sid), default=None)
                if reuse is not None:
                    kept.add(reuse)
                plan.append((g, reuse, values))
        reused = [{"story": sid, **v} for _, sid, v in plan if sid is not None]
        if reused:
            conn.execute(update(s).where(s.c.id == bindparam("story")), reused)
        fresh = [v for _, sid, v in plan if sid is None]
        new_ids = iter(_insert_numbered(conn, s, fresh))
        story_ids = [sid if sid is not None else next(new_ids) for _, sid, _ in plan]
        kept.update(story_ids)
        # Only the events whose story changes are written: those that leave
        # every story (a negated event, say), and those that join another.
        members = {i: sid for (g, _, _), sid in zip(plan, story_ids) for i in g.event_ids}
        for chunk in _chunks(sorted(i for i in was if i not in members)):
            conn.execute(update(e).where(e.c.id.in_(chunk)).values(story_id=None))
        moved = [(i, sid) for i, sid in members.items() if was.get(i) != sid]
        if moved and conn.dialect.name == "postgresql":
            # One statement with two arrays: an UPDATE per event, even pipelined, took 9 s for 100,000.
            conn.execute(PG_SET_STORIES, {"events": [i for i, _ in moved], "stories": [sid for _, sid in moved]})
        elif moved:
            conn.execute(update(e).where(e.c.id == bindparam("event")).values(story_id=bindparam("story")),
                         [{"event": i, "story": sid} for i, sid in moved])
        gone = sorted(old - kept)
        for chunk in _chunks(gone):
            conn.execute(delete(t.relation_levels).where(t.relation_levels.c.story_id.in_(chunk)))
            conn.execute(delete(s).where(s.c.id.in_(chunk)))
        return regrouped

    @staticmethod
    def _relevel(conn, pairs: list[tuple[str, str]]) -> None:
        """Rebuild the levels of each pair (a, b), a < b, of ``pairs``
        (sorted) from its stories: one row per level and date, from the
        story most articles report (then the first article's id, then the
        story's)."""
        s, rl, cs = t.stories, t.relation_levels, t.country_sets
        wanted = set(pairs)
        codes = sorted({c for pair in pairs for c in pair})
        old: list[int] = []
        held: dict[str, set[str]] = defaultdict(set)  # country-set key → the countries of ``codes`` it holds
        for chunk in _chunks(codes):
            old += [r.id for r in conn.execute(select(rl.c.id, rl.c.country_a, rl.c.country_b)
                                                .where(rl.c.country_a.in_(chunk)))
                    if (r.country_a, r.country_b) in wanted]
            for r in conn.execute(select(cs.c.countries, cs.c.country).where(cs.c.country.in_(chunk))):
                held[r.countries].add(r.country)
        for chunk in _chunks(sorted(old)):
            conn.execute(delete(rl).where(rl.c.id.in_(chunk)))
        stories = []
        for chunk in _chunks(sorted(held)):
            stories += conn.execute(
                select(s.c.id, s.c.relation_level, s.c.date, s.c.countries, s.c.article_count, s.c.first_article_id)
                .where(s.c.type == "SUPPORT", s.c.relation_level.is_not(None), s.c.countries.in_(chunk))).all()
        stories.sort(key=lambda r: (-r.article_count, r.first_article_id is not None, r.first_article_id or "", r.id))
        rows = []
        for a, b in pairs:
            seen: set[tuple] = set()
            for r in stories:
                if {a, b} <= held[r.countries] and (r.relation_level, r.date) not in seen:
                    seen.add((r.relation_level, r.date))
                    rows.append(dict(country_a=a, country_b=b, level=r.relation_level, since=r.date, story_id=r.id))
        if rows:
            conn.execute(insert(rl), rows)

    # -- reading ----------------------------------------------------------
    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                    for name, table in (("documents", t.documents), ("articles", t.articles), ("events", t.events),
                                        ("commitments", t.commitments), ("stories", t.stories), ("failures", t.failures),
                                        ("sightings", t.sightings))}

    def articles(self, *, country: str | None = None, since=None, until=None, limit: int | None = None) -> list[dict]:
        """Stored articles in the order they were first seen; ``since`` and
        ``until`` bound the publication day (undated articles are left out
        when either is given)."""
        code, (low, high), limit = f.country(country), f.date_range(since, until), f.limit(limit)
        a, d = t.articles, t.documents
        q = select(a, d.c.source, d.c.path, d.c.url,
                   select(func.count()).where(t.events.c.article_id == a.c.id).scalar_subquery().label("events"),
                   select(func.count()).where(t.sightings.c.document_id == a.c.id).scalar_subquery().label("sightings"),
                   ).join(d, d.c.id == a.c.id).order_by(d.c.first_seen, a.c.id)
        if code:
            q = q.where(a.c.id.in_(select(t.events.c.article_id).where(_holding(t.events.c.countries, code))))
        if low:
            q = q.where(func.substr(a.c.published, 1, 10) >= low)
        if high:
            q = q.where(func.substr(a.c.published, 1, 10) <= high)
        if limit:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            out = []
            for r in conn.execute(q):
                row = dict(r._mapping)
                row.pop("minhash", None)
                row["dateline"] = ({"name": row.pop("dateline_name"), "country": row.pop("dateline_country")}
                                   if row.get("dateline_name") else None)
                row.pop("dateline_country", None)
                row.pop("dateline_name", None)
                out.append(row)
            return out

    def sightings(self, article_id: str) -> list[dict]:
        """Every time the text of ``article_id`` was seen, oldest first."""
        s = t.sightings
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(
                select(s.c.source, s.c.url, s.c.outlet, s.c.published, s.c.seen_at)
                .where(s.c.document_id == article_id).order_by(s.c.seen_at, s.c.id))]

    def events(self, *, country: str | None = None, countries: list[str] | None = None, since=None,
               until=None, type: str | None = None, limit: int | None = None) -> list[dict]:
        """Stored events, oldest first (undated last)."""
        codes = [c for c in [f.country(country)] + [f.country(c) for c in countries or []] if c]
        (low, high), type, limit = f.date_range(since, until), f.event_type(type), f.limit(limit)
        e = t.events
        q = (select(e, t.articles.c.title, t.articles.c.credit, t.articles.c.outlet, t.articles.c.published,
                    t.articles.c.source_name, t.documents.c.source.label("article_source"), t.documents.c.url)
             .join(t.articles, t.articles.c.id == e.c.article_id)
             .join(t.documents, t.documents.c.id == t.articles.c.id))
        for code in codes:
            q = q.where(_holding(e.c.countries, code))
        if type:
            q = q.where(e.c.type == type)
        if low:
            q = q.where(e.c.date >= low)
        if high:
            q = q.where(e.c.date <= high)
        q = q.order_by(e.c.date.is_(None), e.c.date, e.c.id)
        if limit:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(q)]
            if not rows:
                return []
            ids = [r["id"] for r in rows]
            actors: dict[int, dict[str, list]] = defaultdict(lambda: {"source": [], "target": []})
            spans: dict[int, list] = defaultdict(list)
            for chunk in _chunks(ids):
                for a in conn.execute(
                        select(t.event_actors.c.event_id, t.event_actors.c.role, t.actors.c.name, t.actors.c.country,
                               t.actors.c.sector, t.actors.c.kind, t.actors.c.role.label("actor_role"))
                        .join(t.actors, t.actors.c.id == t.event_actors.c.actor_id)
                        .where(t.event_actors.c.event_id.in_(chunk))
                        .order_by(t.event_actors.c.event_id, t.event_actors.c.role, t.event_actors.c.position)):
                    entry = {"name": a.name, "country": a.country, "sector": a.sector, "kind": a.kind}
                    if a.actor_role:
                        entry["role"] = a.actor_role
                    actors[a.event_id][a.role].append(entry)
                for ev in conn.execute(select(t.evidence).where(t.evidence.c.event_id.in_(chunk)).order_by(t.evidence.c.id)):
                    spans[ev.event_id].append({"start": ev.start, "end": ev.end, "text": ev.text})
        for r in rows:
            r["countries"] = _split(r["countries"])
            r["context"] = [c for c in r["context"].split(",") if c]
            r["quad_code"] = QUAD_CODE.get(r["type"])
            r["source"] = actors[r["id"]]["source"]
            r["target"] = actors[r["id"]]["target"]
            r["evidence"] = spans[r["id"]]
            r["place"] = {"name": r.pop("place_name"), "country": r.pop("place_country")} if r.get("place_name") else None
            r.pop("place_country", None)
            r.pop("place_name", None)
        return rows

    def stories(self, *, country: str | None = None, countries: list[str] | None = None, type: str | None = None,
                since=None, until=None, limit: int | None = None, ids: list[int] | None = None) -> list[dict]:
        """Happenings, oldest first, each with its sources (outlets or credits)
        and its evidence, each sentence once."""
        codes = [c for c in [f.country(country)] + [f.country(c) for c in countries or []] if c]
        (low, high), type, limit = f.date_range(since, until), f.event_type(type), f.limit(limit)
        s, e, a = t.stories, t.events, t.articles
        q = select(s).order_by(s.c.date.is_(None), s.c.date, s.c.id)
        for code in codes:
            q = q.where(_holding(s.c.countries, code))
        if type:
            q = q.where(s.c.type == type)
        if low:
            q = q.where(s.c.date >= low)
        if high:
            q = q.where(s.c.date <= high)
        if ids is not None:
            q = q.where(s.c.id.in_(ids))
        if limit:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            out = [dict(r._mapping) for r in conn.execute(q)]
            sources: dict[int, set[str]] = defaultdict(set)
            articles: dict[int, list[str]] = defaultdict(list)
            evidence: dict[int, list[dict]] = defaultdict(list)
            said: dict[int, set[str]] = defaultdict(set)
            for chunk in _chunks([r["id"] for r in out]):
                for r in conn.execute(
                        select(e.c.story_id, e.c.article_id, a.c.source_name, t.evidence.c.text, t.evidence.c.start,
                               t.evidence.c.end)
                        .join(a, a.c.id == e.c.article_id).join(t.evidence, t.evidence.c.event_id == e.c.id, isouter=True)
                        .where(e.c.story_id.in_(chunk)).order_by(e.c.story_id, e.c.article_id, e.c.seq, t.evidence.c.id)):
                    sources[r.story_id].add(r.source_name or r.article_id)
                    if r.article_id not in articles[r.story_id]:
                        articles[r.story_id].append(r.article_id)
                    if r.text and r.text not in said[r.story_id]:
                        said[r.story_id].add(r.text)
                        evidence[r.story_id].append({"article_id": r.article_id, "source": r.source_name,
                                                     "start": r.start, "end": r.end, "text": r.text})
        for r in out:
            r["countries"] = _split(r["countries"])
            r["quad_code"] = QUAD_CODE.get(r["type"])
            r["sources"] = sorted(sources[r["id"]])
            r["articles"] = articles[r["id"]]
            r["evidence"] = evidence[r["id"]]
        return out

    def story(self, story_id: int) -> dict | None:
        found = self.stories(ids=[story_id])
        return found[0] if found else None

    def commitments(self, *, country: str | None = None, countries: list[str] | None = None,
                    sector: str | None = None, limit: int | None = None) -> list[dict]:
        codes = [c for c in [f.country(country)] + [f.country(c) for c in countries or []] if c]
        sector, limit = f.sector(sector), f.limit(limit)
        c = t.commitments
        q = (select(c, t.articles.c.credit, t.articles.c.outlet, t.articles.c.source_name, t.articles.c.published,
                    t.documents.c.source.label("article_source"))
             .join(t.articles, t.articles.c.id == c.c.article_id)
             .join(t.documents, t.documents.c.id == t.articles.c.id)
             .order_by(t.documents.c.first_seen, c.c.article_id, c.c.seq))
        for code in codes:
            q = q.where(_holding(c.c.parties, code))
        if sector:
            q = q.where(c.c.sector == sector)
        if limit:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(q)]
        for r in rows:
            r["parties"] = _split(r["parties"])
        return rows

    def failures(self, *, stage: str | None = None, limit: int | None = None) -> list[dict]:
        """Documents a stage dropped, newest first (where each was, as given:
        not the absolute path kept to know it by)."""
        limit = f.limit(limit)
        shown_ = [c for c in t.failures.c if c.name != "location"]
        q = select(*shown_).order_by(t.failures.c.at.desc(), t.failures.c.id.desc())
        if stage:
            q = q.where(t.failures.c.stage == stage)
        if limit:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(q)]

    def failure_counts(self, *, stage: str | None = None) -> list[dict]:
        """How many documents failed, by stage and kind of reason (the
        reason up to its first colon: ``too big``), most first.  A document
        counts once: by its content id when it was read, else by where it
        is, however its path was spelled."""
        fl = t.failures
        kind = func.substr(fl.c.reason, 1, func.coalesce(func.nullif(func.strpos(fl.c.reason, ":"), 0) - 1, 100_000))
        if self.engine.dialect.name == "sqlite":
            kind = func.substr(fl.c.reason, 1, func.coalesce(func.nullif(func.instr(fl.c.reason, ":"), 0) - 1,
                                                             100_000))
        documents = func.count(func.distinct(func.coalesce(fl.c.document_id, fl.c.location, fl.c.source)))
        q = select(fl.c.stage, kind.label("reason"), documents.label("documents")).group_by(fl.c.stage, kind)
        if stage:
            q = q.where(fl.c.stage == stage)
        with self.engine.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(q)]
        return sorted(rows, key=lambda r: (-r["documents"], r["stage"], r["reason"]))

    def article_summary(self, article_id: str) -> dict | None:
        """An article's id, title and how many events and commitments it
        has; None when it is not stored."""
        a = t.articles
        q = select(a.c.id, a.c.title,
                   select(func.count()).where(t.events.c.article_id == a.c.id).scalar_subquery().label("events"),
                   select(func.count()).where(t.commitments.c.article_id == a.c.id).scalar_subquery()
                   .label("commitments")).where(a.c.id == article_id)
        with self.engine.connect() as conn:
            row = conn.execute(q).first()
        return dict(row._mapping) if row else None

    def actors(self, *, country: str | None = None, kind: str | None = None, q: str | None = None,
               limit: int | None = None) -> list[dict]:
        """The actors of stored events, each once, with the number of events
        that name them (as source or target), most named first; ``q``: every
        word of it in the name, in any case."""
        code, limit = f.country(country), f.limit(limit)
        if kind not in (None, "", *ACTOR_KINDS):
            raise QueryError(f"kind {kind!r} is unknown: one of {', '.join(ACTOR_KINDS)}")
        ac, ea = t.actors, t.event_actors
        n = func.count(func.distinct(ea.c.event_id)).label("events")
        q_ = (select(ac.c.id, ac.c.kind, ac.c.name, ac.c.country, ac.c.sector, ac.c.role, n)
              .join(ea, ea.c.actor_id == ac.c.id).group_by(ac.c.id, ac.c.kind, ac.c.name, ac.c.country, ac.c.sector,
                                                            ac.c.role)
              .order_by(n.desc(), ac.c.name, ac.c.id))
        if code:
            q_ = q_.where(ac.c.country == code)
        if kind:
            q_ = q_.where(ac.c.kind == kind)
        for word in _words(q):
            q_ = q_.where(ac.c.name.icontains(word, autoescape=True))
        if limit:
            q_ = q_.limit(limit)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(q_)]

    def search(self, q: str) -> dict[str, list]:
        """The ids of what holds every word of ``q``, in any case: articles
        by title or text, events by their evidence or their article's title,
        the stories of those events, commitments by their sentence.  Each
        list in the order the store keeps it (stories, events: oldest first)."""
        words = _words(q)
        if not words:
            raise QueryError(f"q {q!r} holds no word to search for")
        a, e, ev, c, s = t.articles, t.events, t.evidence, t.commitments, t.stories
        articles = (select(a.c.id).join(t.documents, t.documents.c.id == a.c.id)
                    .order_by(t.documents.c.first_seen, a.c.id))
        commitments = select(c.c.id).order_by(c.c.article_id, c.c.seq)
        said = []  # what an event must hold: each word in its evidence or its article's title
        for word in words:
            articles = articles.where(or_(a.c.title.icontains(word, autoescape=True),
                                          a.c.text.icontains(word, autoescape=True)))
            said.append(or_(e.c.id.in_(select(ev.c.event_id).where(ev.c.text.icontains(word, autoescape=True))),
                            e.c.article_id.in_(select(a.c.id).where(a.c.title.icontains(word, autoescape=True)))))
            commitments = commitments.where(c.c.text.icontains(word, autoescape=True))
        events = select(e.c.id).where(*said).order_by(e.c.date.is_(None), e.c.date, e.c.id)
        stories = (select(s.c.id).where(s.c.id.in_(select(e.c.story_id).where(*said)))
                   .order_by(s.c.date.is_(None), s.c.date, s.c.id))
        with self.engine.connect() as conn:
            return {name: list(conn.execute(query).scalars())
                    for name, query in (("articles", articles), ("events", events), ("stories", stories),
                                        ("commitments", commitments))}

    def relation(self, a: str, b: str) -> dict:
        """The record of a pair of countries (codes or names): its level now
        and every level it reached, with the story behind each; the timeline
        of its stories; its events by PLOVER quad class per month; the
        commitments by sector with their sources."""
        a, b = f.country(a), f.country(b)
        if a == b:
            raise QueryError(f"a relation needs two different countries, not {a} twice")
        x, y = sorted((a, b))
        timeline = self.stories(countries=[a, b])
        by_id = {s["id"]: s for s in timeline}
        with self.engine.connect() as conn:
            levels = [dict(r._mapping) for r in conn.execute(
                select(t.relation_levels).where(t.relation_levels.c.country_a == x, t.relation_levels.c.country_b == y))]
        levels.sort(key=lambda r: (r["since"] or "", level_rank(r["level"])))
        history = [{"level": r["level"], "since": r["since"], "rank": level_rank(r["level"]), "story_id": r["story_id"],
                    "story": _story_brief(by_id.get(r["story_id"]))} for r in levels]
        current = history[-1] if history else None
        quads: dict[str, Counter] = defaultdict(Counter)
        e = t.events
        month = func.substr(e.c.date, 1, 7)
        with self.engine.connect() as conn:
            for r in conn.execute(
                    select(month.label("month"), e.c.type, func.count().label("n"))
                    .where(_holding(e.c.countries, a), _holding(e.c.countries, b),
                           e.c.negated.is_(False), e.c.hypothetical.is_(False))
                    .group_by(month, e.c.type)):
                quads[r.month or "undated"][QUAD_NAME[QUAD_CODE[r.type]]] += r.n
        by_sector: dict[str, list[dict]] = defaultdict(list)
        for c in self.commitments(countries=[a, b]):
            by_sector[c["sector"]].append({"text": c["text"], "parties": c["parties"], "article_id": c["article_id"],
                                           "source": c["source_name"] or c["article_source"]})
        return {
            "countries": [a, b],
            "level": current["level"] if current else None,
            "since": current["since"] if current else None,
            "levels": history,
            "timeline": timeline,
            "quad_counts": [{"month": m, **{name: quads[m][name] for name in QUAD_NAME.values()}}
                            for m in sorted(quads, key=lambda m: (m == "undated", m))],
            "commitments": dict(sorted(by_sector.items())),
            "sources": sorted({s for story in timeline for s in story["sources"]}),
        }


ACTOR_KINDS = ("country", "person", "org")


def _words(q: str | None) -> list[str]:
    return (q or "").split()


def _precision(iso: str) -> str:
    """How precise an ISO date or time is: day, minute or second."""
    time = iso[11:]
    if not time:
        return "day" if len(iso) >= 10 else ("month" if len(iso) == 7 else "year")
    return "second" if len(time) >= 8 and time[5:6] == ":" else "minute"


def _story_brief(story: dict | None) -> dict | None:
    if story is None:
        return None
    return {k: story[k] for k in ("id", "type", "mode", "date", "article_count", "sources")} | {
        "evidence": story["evidence"][0]["text"] if story["evidence"] else None}


# Statements the writer runs for every article, built once: SQLAlchemy then
# finds them compiled instead of building a cache key each time.
DOCUMENT = select(t.documents.c.id).where(t.documents.c.id == bindparam("doc_id"))
NEW_DOCUMENTS = text("SELECT rowid, id FROM documents WHERE rowid > :last ORDER BY rowid")  # SQLite
INSERT = {table: insert(table) for table in (t.documents, t.articles, t.event_actors, t.evidence, t.commitments)}
INSERT_ACTOR = insert(t.actors).returning(t.actors.c.id)
ACTOR = select(t.actors.c.id).where(t.actors.c.kind == bindparam("kind"), t.actors.c.name == bindparam("name"),
                                    t.actors.c.country == bindparam("country"))
ACTOR_NO_COUNTRY = select(t.actors.c.id).where(t.actors.c.kind == bindparam("kind"),
                                               t.actors.c.name == bindparam("name"), t.actors.c.country.is_(None))


PG_SET_STORIES = text("UPDATE events SET story_id = v.story FROM unnest(CAST(:events AS integer[]), "
                      "CAST(:stories AS integer[])) AS v(event, story) WHERE events.id = v.event")
KNOWN_ROWS = 200_000  # actors and country sets a store remembers having written


def _forget_failures(conn, ids: list[str], sources: list[str | None]) -> None:
    """Delete the failures recorded of documents now stored (``ids``), and
    those of ``sources`` that no content was read from (too big, not
    readable, cut short), however the path was spelled: the document there
    is stored or seen now.  Not the failures of other documents from the
    same place, and never by a name such as ``<stdin>`` that many documents
    share."""
    fl = t.failures
    places = sorted({p for p in map(location, sources) if p})
    named = sorted({s for s in sources if s and not s.startswith("<")})
    for chunk in _chunks(sorted(set(ids))):
        conn.execute(delete(fl).where(fl.c.document_id.in_(chunk)))
    for chunk in _chunks(places):
        conn.execute(delete(fl).where(fl.c.document_id.is_(None), fl.c.location.in_(chunk)))
    for chunk in _chunks(named):  # failures recorded before locations were
        conn.execute(delete(fl).where(fl.c.document_id.is_(None), fl.c.location.is_(None), fl.c.source.in_(chunk)))


def location(source: str | None) -> str | None:
    """Where a document's ``source`` points, the same however it was
    spelled: a URL as it is; a path (``seeds/a.txt``, ``./seeds/a.txt``,
    ``/home/me/seeds/a.txt``, with a ``:LINE`` or ``#record`` after it)
    made absolute against the working folder of the process that read it.
    None for names such as ``<stdin>`` that many documents share."""
    if not source or source.startswith("<"):
        return None
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", source):
        return source
    path, mark, record = source.partition("#")
    return os.path.realpath(path) + mark + record


def _reason(err: SQLAlchemyError) -> str:
    """What the database said, in one line, without the statement and its
    parameters."""
    return " ".join(str(getattr(err, "orig", None) or err).split())


def _note_sets(conn, keys: set[str]) -> None:
    """Record which countries each country-set key holds (once)."""
    rows = [{"country": c, "countries": k} for k in sorted(keys) for c in sorted(set(_split(k)))]
    if rows:
        conn.execute(insert_or_ignore(conn, t.country_sets), rows)


def _insert_numbered(conn, table, rows: list[dict]) -> list[int]:
    """Insert ``rows`` into ``table`` (its key an integer ``id`` the
    database numbers) and return their ids, in the rows' order.

    The rows are numbered before they are sent, and go in one statement
    (an ``executemany``) with their ids: RETURNING cannot be tied to the
    rows on SQLite, so SQLAlchemy would send one statement per row, and on
    PostgreSQL it sends multi-row statements too long for psycopg to keep
    parsed (about 5 ms each, most of the time to store 100,000 stories).
    On PostgreSQL the ids come from the table's own sequence, which never
    hands a number out twice.  On SQLite they are those SQLite itself would
    give, one past the largest there: accord writes to SQLite only inside a
    transaction that holds the writer lock from its start (``writing``), so
    no other writer can take them meanwhile."""
    if not rows:
        return []
    if conn.dialect.name == "postgresql":
        sequence = conn.execute(select(func.pg_get_serial_sequence(table.name, "id"))).scalar_one()
        ids = sorted(conn.execute(select(func.nextval(sequence)).select_from(
            func.generate_series(1, len(rows)))).scalars())
    else:
        first = (conn.execute(select(func.max(table.c.id))).scalar() or 0) + 1
        ids = list(range(first, first + len(rows)))
    conn.execute(insert(table), [{**row, "id": i} for row, i in zip(rows, ids)])
    return ids


def _holding(column, code: str):
    """``column`` (a country-set key) holds the country ``code``."""
    return column.in_(select(t.country_sets.c.countries).where(t.country_sets.c.country == code))


def _chunks(items: list, size: int = 500):
    for i in range(0, len(items), size):
        yield items[i:i + size]
