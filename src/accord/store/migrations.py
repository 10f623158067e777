"""Versioned schema migrations, each a small named function run in its own
transaction and recorded in ``schema_migrations`` (as sqlite-utils and
datasette do).  Never edit a migration that has shipped: add the next one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

from sqlalchemy import Connection, Engine, inspect, select

from . import schema

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


def applied(engine: Engine) -> list[int]:
    with engine.connect() as conn:
        if not inspect(conn).has_table("schema_migrations"):
            return []
        return [row.version for row in conn.execute(select(schema.schema_migrations.c.version))]


def migrate(engine: Engine) -> list[int]:
    """Apply the migrations not yet applied; return the versions applied now."""
    schema.schema_migrations.create(engine, checkfirst=True)
    done = set(applied(engine))
    now_applied = []
    for version, name, fn in sorted(MIGRATIONS):
        if version in done:
            continue
        with engine.begin() as conn:
            fn(conn)
            conn.execute(schema.schema_migrations.insert().values(
                version=version, name=name, applied_at=datetime.now(timezone.utc)))
        now_applied.append(version)
    return now_applied


def latest() -> int:
    return max(v for v, _, _ in MIGRATIONS)
