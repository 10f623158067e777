"""Write transactions that hold the database's writer lock, so that two
ingests (or an ingest and ``accord serve``) never interleave their writes.

SQLite takes its write lock when the transaction begins (``BEGIN
IMMEDIATE``) and waits for it up to the busy timeout, instead of failing a
read transaction that later wants to write.  PostgreSQL takes one advisory
lock for the transaction.  Readers are never blocked: SQLite runs in WAL
mode, PostgreSQL under MVCC.  And the one insert both dialects write
alike, that leaves rows already there alone."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import Connection, Engine, Table, event, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

WRITER_LOCK = 0x6163636f7264  # "accord": the advisory lock key in PostgreSQL
BUSY_TIMEOUT_MS = 300_000  # how long a SQLite writer waits for another one


def on_sqlite(engine: Engine) -> None:
    """Let accord issue SQLite's BEGIN itself (pysqlite's own would always
    be deferred)."""

    @event.listens_for(engine, "connect")
    def _autocommit_driver(dbapi_connection, _record):
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("accord_writer") else "BEGIN")


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """One write transaction, committed at the end of the block, holding
    the writer lock from its start."""
    with engine.connect() as conn:
        conn.execution_options(accord_writer=True)
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITER_LOCK})
            yield conn


def insert_or_ignore(conn: Connection, table: Table):
    """An INSERT that skips rows a unique key already holds (both dialects
    say ON CONFLICT DO NOTHING); the rows go as execute's parameters.  One
    statement object per table, so that SQLAlchemy finds it compiled."""
    return _insert_or_ignore(conn.dialect.name, table)


@lru_cache(maxsize=64)
def _insert_or_ignore(dialect: str, table: Table):
    return (pg_insert if dialect == "postgresql" else sqlite_insert)(table).on_conflict_do_nothing()
