"""HTML pages through trafilatura (main text, title, site name) and htmldate
(publication date)."""

from __future__ import annotations

import re
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


_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_INLINE = re.compile(r"</?(?:span|b|i|u|em|strong|font|small|big|abbr|cite|mark|s|sub|sup|tt|code)\b[^>]*>", re.I)
_BLOCK = re.compile(r"</?(?:div|section|article|main|aside|header|footer|nav|center|blockquote)\b[^>]*>", re.I)
MAX_DEPTH = 200  # libxml2, under trafilatura, stops reading a page nested 256 deep


def _depth(html: str) -> int:
    """How deep the page's elements nest, counting unclosed ones."""
    depth = deepest = 0
    for m in _TAG.finditer(html):
        if m.group(3) or m.group(2).lower() in _VOID:
            continue
        depth = max(0, depth - 1) if m.group(1) else depth + 1
        deepest = max(deepest, depth)
    return deepest


def flattened(html: str, source: str) -> str:
    """A page nested deeper than the HTML parser reads, with its inline
    tags (then its block containers) taken out, so that the parser neither
    stops halfway nor drops the text silently; the text stays."""
    deepest = _depth(html)
    if deepest <= MAX_DEPTH:
        return html
    for tags in (_INLINE, _BLOCK):
        html = tags.sub(" " if tags is _INLINE else "\n", html)
        left = _depth(html)
        if left <= MAX_DEPTH:
            return html
    raise ExtractionError(source, f"the page nests its elements {deepest:,} deep, and {left:,} without "
                                  f"its inline and container tags: accord reads pages nested at most {MAX_DEPTH} deep")


def extract_html(html: str, source: str, url: str | None = None) -> HtmlExtract:
    import trafilatura
    from htmldate import find_date

    html = flattened(html, source)

    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False,
        # No deduplicate: trafilatura's cache spans the process, and drops a paragraph it has seen a few
        # times before, so the fourth copy of a wire story came out empty.
        favor_precision=True, deduplicate=False,
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
