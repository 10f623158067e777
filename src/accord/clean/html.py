"""HTML pages through trafilatura (main text, title, site name) and htmldate
(publication date)."""

from __future__ import annotations

from dataclasses import dataclass

from .._errors import ExtractionError


@dataclass(frozen=True, slots=True)
class HtmlExtract:
    text: str
    title: str | None
    sitename: str | None
    published: str | None
    url: str | None
    precision: str | None = None  # day, minute or second


def extract_html(html: str, source: str, url: str | None = None) -> HtmlExtract:
    import trafilatura
    from htmldate import find_date

    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False,
        favor_precision=True, deduplicate=True,
    )
    if doc is None or not (doc.text or "").strip():
        raise ExtractionError(source, "no article text found in the HTML page (trafilatura found no main content)")
    published, precision = None, None
    try:
        found = find_date(html, url=url, original_date=True, extensive_search=False,
                          outputformat="%Y-%m-%dT%H:%M:%S%z")
    except Exception:  # htmldate raises on pages it cannot parse; the date is then unknown
        found = None
    if found:
        published, precision = _iso(found)
    return HtmlExtract(
        text=doc.text,
        title=doc.title,
        sitename=doc.sitename,
        published=published,
        url=url or doc.url,
        precision=precision,
    )


def _iso(found: str) -> tuple[str, str]:
    """htmldate's "2025-05-08T09:44:00+0700" as ISO 8601 with its precision;
    a page that gives the day alone comes back at midnight: only the day."""
    day, time = found[:10], found[11:]
    if not time or (time.startswith("00:00:00") and len(time) <= 8):
        return day, "day"
    clock, zone = time[:8], time[8:]
    if len(zone) == 5:
        zone = f"{zone[:3]}:{zone[3:]}"
    return f"{day}T{clock}{zone}", ("minute" if clock.endswith(":00") else "second")
