"""The shapes the API documents: Pydantic here at the edge only; inside,
the store's rows are plain dicts."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Page(BaseModel):
    """One page of a list: ``items[offset:offset + limit]`` of ``total``."""
    total: int = Field(description="How many items match, on every page.")
    limit: int
    offset: int
    items: list[dict[str, Any]]


class ErrorDetail(BaseModel):
    status: int
    message: str = Field(description="What was expected, what came, and what to do.")
    parameter: str | None = Field(description="The parameter to blame, when one is.")


class ErrorOut(BaseModel):
    error: ErrorDetail


class DocumentIn(BaseModel):
    """One document to ingest: its ``text`` or its ``html``, and what is
    known of it."""
    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(None, description="The article as plain text (a title line, then the body).")
    html: str | None = Field(None, description="The page as HTML.")
    url: str | None = Field(None, max_length=2000)
    outlet: str | None = Field(None, max_length=300)
    published: str | None = Field(None, max_length=100, description="When it was published: 2025-05-08T09:44+07:00.")
    title: str | None = Field(None, max_length=1000)

    @model_validator(mode="after")
    def _one_body(self) -> "DocumentIn":
        given = [name for name in ("text", "html") if (getattr(self, name) or "").strip()]
        if len(given) != 1:
            raise ValueError("give the document as 'text' or as 'html' (one of them, not empty)")
        return self


class DocumentOut(BaseModel):
    id: str
    new: bool = Field(description="False when the same bytes were stored before (a sighting is noted).")
    title: str | None = None
    events: int = 0
    commitments: int = 0
    url: str = Field(description="Where the API shows the stored article.")


ERRORS = {status: {"model": ErrorOut} for status in (404, 414, 422, 503)}
