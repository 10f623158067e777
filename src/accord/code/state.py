"""What coding one article remembers from sentence to sentence."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..models import Actor, Place
from ..nlp.actors import ActorIndex


@dataclass
class DocState:
    """What coding one article remembers from sentence to sentence."""

    index: ActorIndex
    ref: date | None
    offset: int = 0  # where the parsed paragraph starts in the article text
    text: str = ""  # the article text, for evidence
    dateline: Place | None = None
    pair: tuple[str, ...] = ()
    visit: tuple[str, str] | None = None  # (visitor, host) of the article's visit
    speaker: Actor | None = None  # who says "I" in a speech or statement
    main_date: tuple[date, str] | None = None
    published_day: date | None = None  # the article's own publication day, when known
    dateline_day: date | None = None  # "CANBERRA, June 3 -": the day the dateline gives
    places: dict[str, Place] = field(default_factory=dict)
    coder: str = "both"  # lexicon, model or both: which decides the type (see code.events)
    model: object | None = None  # the TypeModel, when the coder uses one
