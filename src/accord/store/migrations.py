"""Versioned schema migrations, each a small named function run in its own
transaction and recorded in ``schema_migrations`` (as sqlite-utils and
datasette do).  Never edit a migration that has shipped: add the next one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

from sqlalchemy import Connection, Engine, inspect, select, update

from .._errors import StoreError
from . import schema
from .transactions import insert_or_ignore, writing

MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = []


def migration(version: int, name: str):
    def register(fn: Callable[[Connection], None]):
        MIGRATIONS.append((version, name, fn))
        return fn
    return register


@migration(1, "initial schema: documents, articles, actors, events, evidence, commitments, stories, relation levels, failures")
def _initial(conn: Connection) -> None:
    tables = [t for name, t in schema.metadata.tables.items() if name != "schema_migrations"]
    schema.metadata.create_all(conn, tables=tables, checkfirst=True)


def _ensure(conn: Connection, table, *columns: str) -> None:
    """Create ``table`` if missing, add the named columns if missing, and
    its indexes.  Migration 1 creates the schema of its day's code, so later
    steps find their columns there on a new store and add them on an old one."""
    inspector = inspect(conn)
    if not inspector.has_table(table.name):
        table.create(conn)
        return
    have = {c["name"] for c in inspector.get_columns(table.name)}
    for name in columns:
        if name not in have:
            column = table.c[name]
            kind = column.type.compile(dialect=conn.dialect)
            conn.exec_driver_sql(f'ALTER TABLE {table.name} ADD COLUMN "{name}" {kind}')
    indexes = {i["name"] for i in inspector.get_indexes(table.name)}
    for index in table.indexes:
        if index.name not in indexes:
            index.create(conn)


@migration(2, "sightings; article source names; MinHash signatures with their scheme; indexes by countries")
def _sightings(conn: Connection) -> None:
    from ..resolve.duplicates import from_bytes, signature, to_bytes
    from ..resolve.stories import source_name

    for table, columns in ((schema.articles, ("source_name",)), (schema.sightings, ()), (schema.events, ()),
                           (schema.stories, ()), (schema.commitments, ())):
        _ensure(conn, table, *columns)
    a, d = schema.articles, schema.documents
    rows = conn.execute(select(a.c.id, a.c.text, a.c.minhash, a.c.credit, a.c.outlet, a.c.published,
                               d.c.source, d.c.path, d.c.url, d.c.first_seen).join(d, d.c.id == a.c.id)).all()
    for r in rows:
        values = {"source_name": source_name(r.credit, r.outlet, r.url, r.path or r.source)}
        if r.minhash is None or from_bytes(r.minhash) is None:
            values["minhash"] = to_bytes(signature(r.text))
        conn.execute(update(a).where(a.c.id == r.id).values(**values))
        seen = conn.execute(select(schema.sightings.c.id).where(schema.sightings.c.document_id == r.id)).first()
        if not seen:
            conn.execute(schema.sightings.insert().values(
                document_id=r.id, source=r.source or "", url=r.url or "", outlet=r.outlet or "",
                published=r.published or "", seen_at=r.first_seen))


@migration(3, "events: date_end, date_source and date_reason")
def _date_provenance(conn: Connection) -> None:
    _ensure(conn, schema.events, "date_end", "date_source", "date_reason")


@migration(4, "indexes: documents by first_seen")
def _first_seen_index(conn: Connection) -> None:
    _ensure(conn, schema.documents)


@migration(5, "country_sets: the countries of each country-set key, for indexed country filters")
def _country_sets(conn: Connection) -> None:
    _ensure(conn, schema.country_sets)
    keys = set()
    for column in (schema.events.c.countries, schema.stories.c.countries, schema.commitments.c.parties):
        keys |= {k for (k,) in conn.execute(select(column).distinct())}
    rows = [{"country": c, "countries": k} for k in sorted(keys) for c in sorted(set(k.split(","))) if c]
    if rows:  # on a store that has some already (a migration run again), add the others
        conn.execute(insert_or_ignore(conn, schema.country_sets), rows)


@migration(6, "failures: location, and indexes by document and location")
def _failure_locations(conn: Connection) -> None:
    _ensure(conn, schema.failures, "location")


def applied(engine: Engine) -> list[int]:
    with engine.connect() as conn:
        if not inspect(conn).has_table("schema_migrations"):
            return []
        return [row.version for row in conn.execute(select(schema.schema_migrations.c.version))]


def migrate(engine: Engine) -> list[int]:
    """Apply the migrations not yet applied; return the versions applied now.
    Two processes opening a new store at once: the writer lock makes one
    wait, and it then finds the work done."""
    if set(applied(engine)) >= {v for v, _, _ in MIGRATIONS}:
        return []
    now_applied = []
    with writing(engine) as conn:
        schema.schema_migrations.create(conn, checkfirst=True)
    for version, name, fn in sorted(MIGRATIONS):
        with writing(engine) as conn:
            if conn.execute(select(schema.schema_migrations.c.version)
                            .where(schema.schema_migrations.c.version == version)).first():
                continue
            fn(conn)
            conn.execute(schema.schema_migrations.insert().values(
                version=version, name=name, applied_at=datetime.now(timezone.utc)))
        now_applied.append(version)
    return now_applied


def pending(engine: Engine, where: str, *, create: bool) -> list[int]:
    """The migrations the store still needs, once it is known to be
    accord's.  Refused, with a StoreError that says why: a database that
    holds tables but not accord's (``schema_migrations`` as accord writes
    it), one written by a newer accord, and an empty one unless it may be
    created (``create``)."""
    with engine.connect() as conn:
        inspector = inspect(conn)
        tables = set(inspector.get_table_names())
        if not tables:
            if create:
                return sorted(v for v, _, _ in MIGRATIONS)
            raise StoreError(f"{where} is not an accord database: it is empty; run 'accord ingest PATH... "
                             f"--db {where}' to make one")
        ours = "schema_migrations" in tables and {"version", "name", "applied_at"} <= {
            c["name"] for c in inspector.get_columns("schema_migrations")}
        if not ours:
            others = sorted(tables)
            listed = ", ".join(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
            raise StoreError(f"{where} is not an accord database: it holds other tables ({listed}) and not "
                             "accord's; point --db (or ACCORD_DB) at an accord store, or at a new file to make one")
        done = {v for (v,) in conn.execute(select(schema.schema_migrations.c.version))}
    known = {v for v, _, _ in MIGRATIONS}
    if done - known:
        raise StoreError(f"{where} was written by a newer accord (schema version {max(done - known)}; this one "
                         f"knows up to {latest()}): upgrade accord (pip install -U accord) to use it")
    return sorted(known - done)


def latest() -> int:
    return max(v for v, _, _ in MIGRATIONS)
