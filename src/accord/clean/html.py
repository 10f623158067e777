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


def extract_html(html: str, source: str, url: str | None = None) -> HtmlExtract:
    import trafilatura
    from htmldate import find_date

    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False,
        favor_precision=True, deduplicate=True,
    )
    if doc is None or not (doc.text or "").strip():
        raise ExtractionError(source, "no article text found in the HTML page (trafilatura found no main content)")
    published = None
    try:
        published = find_date(html, url=url, original_date=True, extensive_search=False, outputformat="%Y-%m-%d")
    except Exception:  # htmldate raises on pages it cannot parse; the date is then unknown
        published = None
    return HtmlExtract(
        text=doc.text,
        title=doc.title,
        sitename=doc.sitename,
        published=published,
        url=url or doc.url,
    )
