"""accord: a clean, deduplicated, evidence-linked record of what countries
did with each other, read from the news.

    >>> import accord
    >>> article = accord.extract("../shared/seeds/000_f2abfe0f3f15c223.txt")
    >>> store = accord.open("sqlite:///accord.db")
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._errors import AccordError, ExtractionError, InputError, QueryError, RefusedError, StoreError
from .models import (
    Actor,
    Article,
    Commitment,
    Event,
    Evidence,
    Failure,
    Person,
    Place,
    RawDocument,
)
from .pipeline import Summary, extract, extract_paths, ingest
from .settings import Settings

if TYPE_CHECKING:
    from .store import Store

__version__ = "0.1.0"

__all__ = [
    "AccordError", "Actor", "Article", "Commitment", "Event", "Evidence", "ExtractionError", "Failure",
    "InputError", "Person", "Place", "QueryError", "RawDocument", "RefusedError", "Settings", "Store", "StoreError", "Summary",
    "extract", "extract_paths", "ingest", "open",
]


def open(db: str | None = None, settings: Settings | None = None, *,  # noqa: A001 - accord.open() reads well
         memory: bool = False) -> "Store":
    """The store at ``db`` (a SQLAlchemy URL or a path; default: ACCORD_DB or
    ./accord.db), made when new and migrated to the current schema.  A
    database in memory (``sqlite://``) is refused, since what is stored
    there is gone when it closes, unless ``memory=True``; so is a database
    that holds other tables than accord's.  Raises ``StoreError``."""
    from .settings import db_url
    from .store import Store

    settings = settings or Settings()
    return Store(db_url(db) if db else settings.db, duplicate_threshold=settings.near_duplicate_threshold,
                 memory=memory)


def __getattr__(name: str):
    if name == "Store":
        from .store import Store
        return Store
    raise AttributeError(f"module 'accord' has no attribute {name!r}")
