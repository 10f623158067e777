"""Stage 7, store: SQLite by default, PostgreSQL by URL."""

from .repository import Store

__all__ = ["Store"]
