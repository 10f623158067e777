"""The web API: ``create_app(settings)`` builds one FastAPI app for the JSON
API under /api and the pages of ``accord.web``; ``accord serve`` runs it.

One router per resource (``articles``, ``events``, ``stories``, ``actors``,
``relations``, ``commitments``, ``failures``, ``documents``), each over the
same store functions as the CLI; errors of one shape (``_errors``)."""

from ._app import create_app

__all__ = ["create_app"]
