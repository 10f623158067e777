"""The store: the only place that writes SQL.  SQLite by default, PostgreSQL
by URL, through SQLAlchemy Core."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timezone

from sqlalchemy import and_, create_engine, delete, event, func, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError

from .._errors import StoreError
from ..models import Article, Failure
from ..resolve.duplicates import DuplicateIndex, from_bytes, signature, to_bytes
from ..resolve.stories import EventRow, group
from . import schema as t
from .migrations import migrate

RELATION_ORDER = [
    "diplomatic relations", "friendly relations", "partnership", "comprehensive partnership",
    "enhanced comprehensive partnership", "strategic partnership", "enhanced strategic partnership",
    "comprehensive strategic partnership", "comprehensive strategic cooperative partnership",
    "comprehensive strategic partnership of coordination", "alliance",
]


def _codes(countries) -> str:
    return "," + ",".join(sorted(set(countries))) + "," if countries else ""


def _split(codes: str | None) -> list[str]:
    return [c for c in (codes or "").split(",") if c]


def create_store_engine(url: str) -> Engine:
    try:
        engine = create_engine(url, future=True)
    except (SQLAlchemyError, ImportError, ModuleNotFoundError) as err:
        hint = " (pip install 'accord[postgres]' for PostgreSQL)" if "postgres" in url else ""
        raise StoreError(f"cannot open the store {url!r}: {err}{hint}") from None
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):
            cur = dbapi_connection.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=5000")
            cur.close()
    return engine


class Store:
    """Open (and migrate) the database at ``url``; write and query the record."""

    def __init__(self, url: str, *, duplicate_threshold: float = 0.8) -> None:
        self.url = url
        self.engine = create_store_engine(url)
        try:
            migrate(self.engine)
        except OperationalError as err:
            raise StoreError(f"cannot open the store {url!r}: {err.orig}; check the path or URL and that the server runs") from None
        self._duplicates: DuplicateIndex | None = None
        self._threshold = duplicate_threshold

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- writing ----------------------------------------------------------
    def has_document(self, doc_id: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(t.documents.c.id).where(t.documents.c.id == doc_id)).first() is not None

    def _duplicate_index(self) -> DuplicateIndex:
        if self._duplicates is None:
            index = DuplicateIndex(self._threshold)
            with self.engine.connect() as conn:
                for row in conn.execute(select(t.articles.c.id, t.articles.c.minhash).where(t.articles.c.minhash.is_not(None))):
                    index.add(row.id, from_bytes(row.minhash))
            self._duplicates = index
        return self._duplicates

    def add_article(self, article: Article) -> bool:
        """Store one coded article in one transaction.  Returns False, and
        changes nothing, when its document is already stored."""
        sig = signature(article.text)
        index = self._duplicate_index()
        copy_of = index.copy_of(sig)
        now = datetime.now(timezone.utc)
        try:
            with self.engine.begin() as conn:
                if conn.execute(select(t.documents.c.id).where(t.documents.c.id == article.id)).first():
                    return False
                conn.execute(insert(t.documents).values(
                    id=article.id, source=article.source or article.path or "", path=article.path,
                    url=article.url, first_seen=now))
                conn.execute(insert(t.articles).values(
                    id=article.id, outlet=article.outlet, credit=article.credit, title=article.title,
                    published=article.published, published_precision=article.published_precision,
                    dateline_name=article.dateline.name if article.dateline else None,
                    dateline_country=article.dateline.country if article.dateline else None,
                    language=article.language, text=article.text, copy_of=copy_of, minhash=to_bytes(sig)))
                actor_ids: dict[tuple, int] = {}
                event_ids: list[int] = []
                for seq, ev in enumerate(article.events):
                    event_id = conn.execute(insert(t.events).values(
                        article_id=article.id, seq=seq, type=ev.type, mode=ev.mode,
                        context=",".join(ev.context), cameo=ev.cameo, countries=_codes(ev.countries),
                        date=ev.date, date_precision=ev.date_precision,
                        place_name=ev.place.name if ev.place else None,
                        place_country=ev.place.country if ev.place else None,
                        relation_level=ev.relation_level, negated=ev.negated, future=ev.future,
                        hypothetical=ev.hypothetical, trigger=ev.trigger,
                    ).returning(t.events.c.id)).scalar_one()
                    event_ids.append(event_id)
                    for role, group_ in (("source", ev.source), ("target", ev.target)):
                        for position, actor in enumerate(group_):
                            conn.execute(insert(t.event_actors).values(
                                event_id=event_id, role=role, position=position,
                                actor_id=self._actor_id(conn, actor, actor_ids)))
                    for span in ev.evidence:
                        conn.execute(insert(t.evidence).values(
                            event_id=event_id, start=span.start, end=span.end, text=span.text))
                for seq, c in enumerate(article.commitments):
                    conn.execute(insert(t.commitments).values(
                        article_id=article.id, seq=seq,
                        event_id=event_ids[c.event] if c.event is not None and c.event < len(event_ids) else None,
                        sector=c.sector, parties=_codes(c.parties), text=c.text,
                        start=c.evidence.start, end=c.evidence.end))
        except IntegrityError:
            # Another writer stored the same document between our check and insert.
            return False
        except SQLAlchemyError as err:
            raise StoreError(f"could not store {article.source or article.id}: {err}") from None
        index.add(article.id, sig)
        return True

    @staticmethod
    def _actor_id(conn, actor, cache: dict[tuple, int]) -> int:
        k = (actor.kind, actor.name, actor.country)
        if k in cache:
            return cache[k]
        cond = and_(t.actors.c.kind == actor.kind, t.actors.c.name == actor.name,
                    t.actors.c.country.is_(None) if actor.country is None else t.actors.c.country == actor.country)
        row = conn.execute(select(t.actors.c.id).where(cond)).first()
        if row:
            cache[k] = row.id
        else:
            cache[k] = conn.execute(insert(t.actors).values(
                kind=actor.kind, name=actor.name, country=actor.country, sector=actor.sector, role=actor.role,
            ).returning(t.actors.c.id)).scalar_one()
        return cache[k]

    def add_failure(self, failure: Failure) -> None:
        with self.engine.begin() as conn:
            exists = conn.execute(select(t.failures.c.id).where(
                t.failures.c.source == failure.source, t.failures.c.stage == failure.stage,
                t.failures.c.reason == failure.reason)).first()
            if not exists:
                conn.execute(insert(t.failures).values(
                    source=failure.source, stage=failure.stage, reason=failure.reason,
                    document_id=failure.id, at=datetime.now(timezone.utc)))

    def resolve(self) -> int:
        """Regroup all events into stories and rebuild the relation levels.
        Returns the number of stories."""
        with self.engine.begin() as conn:
            rows = [
                EventRow(r.id, r.article_id, r.type, r.mode, tuple(_split(r.countries)), r.relation_level,
                         r.date, r.published, r.credit or r.outlet or r.article_id)
                for r in conn.execute(
                    select(t.events.c.id, t.events.c.article_id, t.events.c.type, t.events.c.mode,
                           t.events.c.countries, t.events.c.relation_level, t.events.c.date,
                           t.articles.c.published, t.articles.c.credit, t.articles.c.outlet)
                    .join(t.articles, t.articles.c.id == t.events.c.article_id)
                    .where(t.events.c.negated.is_(False), t.events.c.hypothetical.is_(False))
                    .order_by(t.events.c.id))
            ]
            conn.execute(update(t.events).values(story_id=None))
            conn.execute(delete(t.relation_levels))
            conn.execute(delete(t.stories))
            groups = group(rows)
            for g in groups:
                story_id = conn.execute(insert(t.stories).values(
                    type=g.type, mode=g.mode, countries=_codes(g.countries), relation_level=g.relation_level,
                    date=g.date, first_published=g.first_published, first_article_id=g.first_article_id,
                    article_count=len(g.articles), source_count=len(g.sources),
                ).returning(t.stories.c.id)).scalar_one()
                conn.execute(update(t.events).where(t.events.c.id.in_(g.event_ids)).values(story_id=story_id))
                if g.type == "SUPPORT" and g.relation_level:
                    codes = sorted(c for c in g.countries if len(c) == 3)
                    for i, a in enumerate(codes):
                        for b in codes[i + 1:]:
                            exists = conn.execute(select(t.relation_levels.c.id).where(
                                t.relation_levels.c.country_a == a, t.relation_levels.c.country_b == b,
                                t.relation_levels.c.level == g.relation_level,
                                t.relation_levels.c.since.is_(None) if g.date is None else t.relation_levels.c.since == g.date,
                            )).first()
                            if not exists:
                                conn.execute(insert(t.relation_levels).values(
                                    country_a=a, country_b=b, level=g.relation_level, since=g.date, story_id=story_id))
            return len(groups)

    # -- reading ----------------------------------------------------------
    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                    for name, table in (("documents", t.documents), ("articles", t.articles), ("events", t.events),
                                        ("commitments", t.commitments), ("stories", t.stories), ("failures", t.failures))}

    def articles(self, *, country: str | None = None, limit: int | None = None) -> list[dict]:
        q = select(t.articles, t.documents.c.source, t.documents.c.path, t.documents.c.url,
                   select(func.count()).where(t.events.c.article_id == t.articles.c.id).scalar_subquery().label("events")
                   ).join(t.documents, t.documents.c.id == t.articles.c.id).order_by(t.documents.c.first_seen, t.articles.c.id)
        if country:
            q = q.where(t.articles.c.id.in_(select(t.events.c.article_id).where(t.events.c.countries.like(f"%,{country},%"))))
        if limit:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            out = []
            for r in conn.execute(q):
                d = dict(r._mapping)
                d.pop("minhash", None)
                d["dateline"] = {"name": d.pop("dateline_name"), "country": d.pop("dateline_country")} if d.get("dateline_name") else None
                d.pop("dateline_country", None)
                out.append(d)
            return out

    def events(self, *, country: str | None = None, countries: list[str] | None = None, since: str | None = None,
               until: str | None = None, type: str | None = None, limit: int | None = None) -> list[dict]:
        q = (select(t.events, t.articles.c.title, t.articles.c.credit, t.articles.c.outlet, t.articles.c.published,
                    t.documents.c.source.label("article_source"))
             .join(t.articles, t.articles.c.id == t.events.c.article_id)
             .join(t.documents, t.documents.c.id == t.articles.c.id))
        for code in ([country] if country else []) + (countries or []):
            q = q.where(t.events.c.countries.like(f"%,{code},%"))
        if type:
            q = q.where(t.events.c.type == type.upper())
        if since:
            q = q.where(t.events.c.date >= since)
        if until:
            q = q.where(t.events.c.date <= until)
        q = q.order_by(t.events.c.date.is_(None), t.events.c.date, t.events.c.id)
        if limit:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(q)]
            if not rows:
                return []
            ids = [r["id"] for r in rows]
            actors: dict[int, dict[str, list]] = defaultdict(lambda: {"source": [], "target": []})
            for a in conn.execute(
                    select(t.event_actors.c.event_id, t.event_actors.c.role, t.actors.c.name, t.actors.c.country,
                           t.actors.c.sector, t.actors.c.kind, t.actors.c.role.label("actor_role"))
                    .join(t.actors, t.actors.c.id == t.event_actors.c.actor_id)
                    .where(t.event_actors.c.event_id.in_(ids))
                    .order_by(t.event_actors.c.event_id, t.event_actors.c.role, t.event_actors.c.position)):
                entry = {"name": a.name, "country": a.country, "sector": a.sector, "kind": a.kind}
                if a.actor_role:
                    entry["role"] = a.actor_role
                actors[a.event_id][a.role].append(entry)
            spans: dict[int, list] = defaultdict(list)
            for e in conn.execute(select(t.evidence).where(t.evidence.c.event_id.in_(ids)).order_by(t.evidence.c.id)):
                spans[e.event_id].append({"start": e.start, "end": e.end, "text": e.text})
        for r in rows:
            r["countries"] = _split(r["countries"])
            r["context"] = [c for c in r["context"].split(",") if c]
            r["source"] = actors[r["id"]]["source"]
            r["target"] = actors[r["id"]]["target"]
            r["evidence"] = spans[r["id"]]
            r["place"] = {"name": r.pop("place_name"), "country": r.pop("place_country")} if r.get("place_name") else None
            r.pop("place_country", None)
        return rows

    def stories(self, *, country: str | None = None, countries: list[str] | None = None,
                type: str | None = None) -> list[dict]:
        q = select(t.stories).order_by(t.stories.c.date.is_(None), t.stories.c.date, t.stories.c.id)
        for code in ([country] if country else []) + (countries or []):
            q = q.where(t.stories.c.countries.like(f"%,{code},%"))
        if type:
            q = q.where(t.stories.c.type == type.upper())
        with self.engine.connect() as conn:
            out = []
            for r in conn.execute(q):
                d = dict(r._mapping)
                d["countries"] = _split(d["countries"])
                d["sources"] = sorted({
                    row.credit or row.outlet or row.source for row in conn.execute(
                        select(t.articles.c.credit, t.articles.c.outlet, t.documents.c.source)
                        .join(t.documents, t.documents.c.id == t.articles.c.id)
                        .where(t.articles.c.id.in_(select(t.events.c.article_id).where(t.events.c.story_id == r.id))))
                })
                d["evidence"] = [
                    row.text for row in conn.execute(
                        select(t.evidence.c.text).join(t.events, t.events.c.id == t.evidence.c.event_id)
                        .where(t.events.c.story_id == r.id).order_by(t.evidence.c.id).limit(3))
                ]
                out.append(d)
            return out

    def commitments(self, *, countries: list[str] | None = None, sector: str | None = None) -> list[dict]:
        q = (select(t.commitments, t.articles.c.credit, t.articles.c.outlet, t.documents.c.source.label("article_source"))
             .join(t.articles, t.articles.c.id == t.commitments.c.article_id)
             .join(t.documents, t.documents.c.id == t.articles.c.id)
             .order_by(t.commitments.c.article_id, t.commitments.c.seq))
        for code in countries or []:
            q = q.where(t.commitments.c.parties.like(f"%,{code},%"))
        if sector:
            q = q.where(t.commitments.c.sector == sector)
        with self.engine.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(q)]
        for r in rows:
            r["parties"] = _split(r["parties"])
        return rows

    def relation(self, a: str, b: str) -> dict:
        """The record of a pair of countries: its level, the timeline of its
        stories, the commitments by sector and the sources."""
        x, y = sorted((a, b))
        with self.engine.connect() as conn:
            levels = [dict(r._mapping) for r in conn.execute(
                select(t.relation_levels).where(t.relation_levels.c.country_a == x, t.relation_levels.c.country_b == y))]
        levels.sort(key=lambda r: (r["since"] or "", RELATION_ORDER.index(r["level"]) if r["level"] in RELATION_ORDER else -1))
        current = levels[-1] if levels else None
        timeline = self.stories(countries=[a, b])
        commitments = self.commitments(countries=[a, b])
        by_sector: dict[str, list[dict]] = defaultdict(list)
        for c in commitments:
            by_sector[c["sector"]].append({"text": c["text"], "parties": c["parties"], "source": c["credit"] or c["outlet"] or c["article_source"]})
        sources = sorted({s for story in timeline for s in story["sources"]})
        return {
            "countries": [a, b],
            "level": current["level"] if current else None,
            "since": current["since"] if current else None,
            "levels": [{"level": r["level"], "since": r["since"]} for r in levels],
            "timeline": timeline,
            "commitments": dict(sorted(by_sector.items())),
            "sources": sources,
        }
