"""What a database URL names (a SQLite file, memory, or a server) and how
a message names it."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from .._errors import StoreError


def parsed(url: str | URL) -> URL:
    """``url`` as SQLAlchemy reads it; a StoreError when it is no URL."""
    try:
        return make_url(url)
    except ArgumentError:
        raise StoreError(f"{url!r} is not a database URL: give sqlite:///path.db, postgresql://user@host/db "
                         "or a path") from None


def in_memory(url: str | URL) -> bool:
    """A SQLite database that lives in memory and is gone when it closes:
    ``sqlite://``, ``sqlite:///:memory:``, or a ``file:`` URI of one."""
    u = parsed(url)
    if u.get_backend_name() != "sqlite":
        return False
    database = u.database or ""
    if database in ("", ":memory:"):
        return True
    return u.query.get("uri") == "true" and (database.startswith("file::memory:") or u.query.get("mode") == "memory")


def sqlite_path(url: str | URL) -> Path | None:
    """The file of a SQLite URL (a path, or a ``file:`` URI with
    ``uri=true``); None for memory or another database."""
    u = parsed(url)
    if u.get_backend_name() != "sqlite" or in_memory(u):
        return None
    database = u.database
    if u.query.get("uri") == "true" and database.startswith("file:"):
        database = unquote(urlsplit(database).path)
    return Path(database)


def shown(url: str | URL) -> str:
    """How a message names the database: its file, or its URL without the
    password."""
    path = sqlite_path(url)
    return str(path) if path is not None else parsed(url).render_as_string(hide_password=True)
