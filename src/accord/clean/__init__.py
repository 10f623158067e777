"""Stage 2, clean: from a raw document to an ``Article`` with its body text
and metadata."""

from __future__ import annotations

import re

from .._errors import ExtractionError
from ..models import Article, RawDocument
from ..nlp.gazetteer import gazetteer
from ..settings import Settings
from .dates import parse_published, url_date
from .language import detect
from .lines import classify
from .metadata import (
    caption_credit,
    dateline,
    outlet_from,
    published_from,
    title_from,
    trailing_credit,
)

__all__ = ["clean"]


_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-_])")
# Control characters (tab, newline, carriage return and form feed aside) and
# the invisible bidi embeddings, overrides and isolates that can make a text
# read differently on screen from what it says ("Trojan Source").
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")


def inert(text: str) -> str:
    """The text without terminal escape sequences, control characters and
    bidi overrides: what is stored and shown is what the words say."""
    return _INVISIBLE.sub("", _ESCAPES.sub("", text))


def clean(raw: RawDocument, settings: Settings | None = None, outlet_lines: frozenset[str] = frozenset()) -> Article:
    """Clean one document; raise ``ExtractionError`` when no body is left.
    ``outlet_lines`` are lines its outlet repeats on many pages (see
    ``lines.repeated_lines``)."""
    settings = settings or Settings()
    gaz = gazetteer()
    text = raw.text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    html = None
    if raw.kind == "html":
        from .html import extract_html

        html = extract_html(text, raw.source, raw.url)
        text = html.text
    text = inert(text)
    layout = classify(text, gaz, outlet_lines)
    if not layout.body:
        raise ExtractionError(raw.source, "no article body: no line of prose was found (is it a news article?)")

    body = [l.text for l in layout.body]
    credit, body[-1] = trailing_credit(body[-1], gaz)
    footer_credit = next((l.reason for l in layout.footer if l.kind == "credit"), None)
    place, lead_credit = None, None
    # The dateline opens the first paragraph, or a later one after a lead, or
    # stands alone on the line before the body ("HANOI (VNA) –").
    openers = body[:3] + [l.text + " " for l in layout.header[-1:] if l.kind == "short"]
    for i, line in enumerate(openers):
        place, lead_credit, _ = dateline(line, gaz, "\n".join(body), strict=i > 0)
        if place or lead_credit:
            break
    credit = footer_credit or credit or lead_credit or caption_credit(layout.dropped + layout.header, gaz)
    # A credit alone on a line before the body ("(VOVWORLD)") counts too.
    credit = credit or next((l.reason for l in layout.dropped if l.kind == "credit"), None)

    published, precision = None, None
    if raw.published:
        found = parse_published(raw.published, locale=settings.outlet_locale)
        if found is None:
            raise ExtractionError(raw.source, f"'published' is {raw.published!r}, which is not a date or time: "
                                              "give ISO 8601 (2025-05-08 or 2025-05-08T09:44:00+07:00) or leave it out")
        published, precision = found
    elif html and html.published:
        published, precision = html.published, html.precision or "day"
    else:
        published, precision = published_from(layout, settings.outlet_locale)
    if published is None and raw.url:
        published, precision = url_date(raw.url) or (None, None)

    article_text = "\n\n".join(body)
    return Article(
        id=raw.id,
        text=article_text,
        path=raw.path,
        url=raw.url or (html.url if html else None),
        outlet=raw.outlet or outlet_from(layout.footer + layout.dropped) or (html.sitename if html else None),
        credit=credit,
        title=raw.title or (html.title if html else None) or title_from(layout),
        published=published,
        published_precision=precision,
        dateline=place,
        language=detect(article_text),
        source=raw.source,
        dropped_lines=tuple((l.text, l.reason or l.kind) for l in layout.dropped + layout.footer),
    )
