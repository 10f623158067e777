"""accord's exceptions.

The tree::

    AccordError                 anything accord raises on purpose
    ├── InputError              a document could not be read (empty, binary,
    │                           truncated, undecodable, unsupported, too big)
    ├── ExtractionError         a document was read but could not be cleaned
    │                           or coded (no body text, model missing)
    ├── StoreError              the database could not be opened or written
    │   └── RefusedError        it refused one document's rows (the others
    │                           of a batch are stored)
    └── QueryError              a query was given a value it cannot use (a
                                date that is not a date, an unknown country,
                                type or sector, a limit below 1)

Each message says what was expected, what came, and what to do next.  Errors
about one document carry its ``source`` (a path, ``<stdin>`` or
``file.jsonl:LINE``) so that a batch can record it and go on.
"""

from __future__ import annotations


class AccordError(Exception):
    """Base class of every error accord raises on purpose."""


class InputError(AccordError):
    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class ExtractionError(AccordError):
    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class StoreError(AccordError):
    """The store could not be opened, migrated or written."""


class RefusedError(StoreError):
    """The database refused the rows of one document (a constraint or a
    value it cannot hold): that document's failure, not the store's."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"could not store {source}: {reason}")
        self.source = source
        self.reason = reason


class QueryError(AccordError, ValueError):
    """A query parameter that is not valid; the message names it and says
    what is accepted."""
