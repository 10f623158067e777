"""Write transactions that hold the database's writer lock, so that two
ingests (or an ingest and ``accord serve``) never interleave their writes.

SQLite takes its write lock when the transaction begins (``BEGIN
IMMEDIATE``) and waits for it up to the busy timeout, instead of failing a
read transaction that later wants to write.  PostgreSQL takes one advisory
lock for the transaction.  Readers are never blocked: SQLite runs in WAL
mode, PostgreSQL under MVCC.  A database that refuses to be written
(a read-only file, a read-only server or transaction) is one StoreError
that says so.  And the one insert both dialects write alike, that leaves
rows already there alone."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import Connection, Engine, Table, event, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError

from .._errors import StoreError
from .urls import shown

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
    the writer lock from its start.  A database that cannot be written
    raises ``StoreError``, in one line."""
    try:
        with engine.connect() as conn:
            conn.execution_options(accord_writer=True)
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITER_LOCK})
                yield conn
    except DBAPIError as err:
        if is_read_only(err):
            raise read_only_error(engine.url) from None
        raise


def is_read_only(err: Exception) -> bool:
    """The database (SQLAlchemy's error, or the driver's) refused a write
    because it may only be read."""
    orig = getattr(err, "orig", err)
    return (getattr(orig, "sqlite_errorname", "").startswith("SQLITE_READONLY") or "readonly database" in str(orig)
            or getattr(orig, "sqlstate", None) == "25006")  # PostgreSQL: read_only_sql_transaction


def read_only_error(url) -> StoreError:
    return StoreError(f"the database {shown(url)} is read-only: give accord write access to it (and to its "
                      "folder), or point --db (or ACCORD_DB) at another one")


def insert_or_ignore(conn: Connection, table: Table):
    """An INSERT that skips rows a unique key already holds (both dialects
    say ON CONFLICT DO NOTHING); the rows go as execute's parameters.  One
    statement object per table, so that SQLAlchemy finds it compiled."""
    return _insert_or_ignore(conn.dialect.name, table)


@lru_cache(maxsize=64)
def _insert_or_ignore(dialect: str, table: Table):
    return (pg_insert if dialect == "postgresql" else sqlite_insert)(table).on_conflict_do_nothing()
