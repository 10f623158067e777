"""The Jinja2 environment of the pages: autoescaping on for every template
(SVG partials too), and the few helpers the templates share."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2
from fastapi import Request

from ..code.lexicon import QUAD_NAME, relation_ranks

TEMPLATES = Path(__file__).resolve().parent / "templates"


def country_name(code: str | None) -> str:
    """A country's name from its code; the code itself when accord has none."""
    if not code:
        return "—"
    from ..nlp.gazetteer import gazetteer
    entry = gazetteer().countries.get(code)
    return entry.name if entry else code


def day(value: str | None, precision: str | None = None) -> str:
    """A stored date as precise as it is known: 2023, 2025-05, 2025-05-07."""
    if not value:
        return "undated"
    return value[:{"year": 4, "month": 7}.get(precision or "", 10)]


def short(article_id: str | None) -> str:
    """An article id as people read it: its first 12 hex digits."""
    return (article_id or "").removeprefix("sha256:")[:12]


def clip(text: str | None, width: int = 160) -> str:
    text = " ".join((text or "").split())
    if len(text) <= width:
        return text
    cut = text[:width - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > width // 2 else cut).rstrip(" ,;:.-") + "…"


def web_url(url: str | None) -> str | None:
    """``url`` when it is a web address a link may point to; None for
    anything else (javascript:, data:, a path)."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


@lru_cache(maxsize=1)
def rank_names() -> dict[int, str]:
    """Each rank with the first level of it that ``relation_ranks.tsv`` names."""
    names: dict[int, str] = {}
    for level, rank in relation_ranks().items():
        names.setdefault(rank, level)
    return dict(sorted(names.items()))


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(country=country_name, day=day, short=short, clip=clip, web_url=web_url)
    env.globals.update(quad_names=QUAD_NAME, rank_names=rank_names)
    return env


def render(request: Request, template: str, **context) -> str:
    return environment().get_template(template).render(request=request, path=request.url.path, **context)


REASONS = {400: "Bad request", 401: "Not allowed", 403: "Forbidden", 404: "Not found", 405: "Method not allowed",
           413: "Too large", 414: "Too long", 422: "Not a value accord can use", 500: "Internal error", 503: "Unavailable"}


def render_error(request: Request, status: int, message: str, parameter: str | None = None) -> str:
    return render(request, "error.html", status=status, reason=REASONS.get(status, "Error"), message=message,
                  parameter=parameter)
