"""The typed objects that flow between the stages.

``RawDocument`` (read) → ``Article`` (clean, then coded: with its ``Event`` and
``Commitment`` records) → stories in the store.  Every event carries at least
one ``Evidence`` span into ``Article.text``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True, slots=True)
class RawDocument:
    """Bytes as read, with what the container said about them."""

    id: str  # "sha256:<hex>" of the content bytes
    source: str  # path, "<stdin>", "file.jsonl:LINE" or URL: for messages
    text: str  # the bytes, decoded
    kind: str  # "text" or "html"
    path: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    country: str | None


@dataclass(frozen=True, slots=True)
class Evidence:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Actor:
    """A country, a person or an organisation acting in an event."""

    name: str
    country: str | None  # ISO 3166 alpha-3, or "IGO:ASEAN" style codes
    sector: str = "GOV"  # GOV, MIL, PTY, LEG, IGO, BUS, ...
    kind: str = "country"  # country, person, org
    role: str | None = None

    def as_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True, slots=True)
class Event:
    type: str  # PLOVER 0.8 event type
    source: tuple[Actor, ...]
    target: tuple[Actor, ...]
    evidence: tuple[Evidence, ...]
    mode: str = ""
    context: tuple[str, ...] = ()
    cameo: str = ""
    date: str | None = None
    date_precision: str | None = None
    date_end: str | None = None  # the last day of a range ("May 7-8")
    date_source: str | None = None  # stated, dateline, published; None when nothing supports a date
    date_reason: str | None = None  # why there is no date: background, future, unsupported
    place: Place | None = None
    relation_level: str | None = None
    relation_rank: int | None = None  # the level's canonical rank (0 diplomatic relations … 9 union)
    negated: bool = False
    future: bool = False
    hypothetical: bool = False
    trigger: str = ""

    @property
    def countries(self) -> frozenset[str]:
        return frozenset(a.country for a in self.source + self.target if a.country)

    def as_dict(self) -> dict:
        return {
            "type": self.type,
            "mode": self.mode,
            "context": list(self.context),
            "cameo": self.cameo,
            "source": [a.as_dict() for a in self.source],
            "target": [a.as_dict() for a in self.target],
            "date": self.date,
            "date_end": self.date_end,
            "date_precision": self.date_precision,
            "date_source": self.date_source,
            "date_reason": self.date_reason,
            "place": asdict(self.place) if self.place else None,
            "relation_level": self.relation_level,
            "relation_rank": self.relation_rank,
            "negated": self.negated,
            "future": self.future,
            "hypothetical": self.hypothetical,
            "trigger": self.trigger,
            "evidence": [asdict(e) for e in self.evidence],
        }


@dataclass(frozen=True, slots=True)
class Commitment:
    parties: tuple[str, ...]
    sector: str
    text: str
    evidence: Evidence
    event: int | None = None  # index into Article.events

    def as_dict(self) -> dict:
        return {
            "parties": list(self.parties),
            "sector": self.sector,
            "text": self.text,
            "evidence": {"start": self.evidence.start, "end": self.evidence.end},
            "event": self.event,
        }


@dataclass(frozen=True, slots=True)
class Person:
    """A person the article names, merged over all the ways it names them."""

    name: str
    country: str | None
    role: str | None
    mentions: tuple[str, ...] = ()
    historical: bool = False

    def as_dict(self) -> dict:
        return asdict(self) | {"mentions": list(self.mentions)}


@dataclass(frozen=True, slots=True)
class Article:
    id: str
    text: str
    path: str | None = None
    url: str | None = None
    outlet: str | None = None
    credit: str | None = None
    title: str | None = None
    published: str | None = None
    published_precision: str | None = None
    dateline: Place | None = None
    language: str | None = None
    source: str = ""
    events: tuple[Event, ...] = ()
    commitments: tuple[Commitment, ...] = ()
    people: tuple[Person, ...] = ()
    dropped_lines: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    notes: tuple[str, ...] = field(default=(), repr=False)  # why only part of the text was coded

    def as_dict(self) -> dict:
        return {
            "article": {
                "id": self.id,
                "path": self.path,
                "url": self.url,
                "outlet": self.outlet,
                "credit": self.credit,
                "title": self.title,
                "published": self.published,
                "published_precision": self.published_precision,
                "dateline": asdict(self.dateline) if self.dateline else None,
                "language": self.language,
                "text": self.text,
            },
            "people": [p.as_dict() for p in self.people],
            "events": [e.as_dict() for e in self.events],
            "commitments": [c.as_dict() for c in self.commitments],
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Article":
        """The article again from ``as_dict()``, so that coded articles can
        travel as JSON (Parquet between engines) and come back equal.  What
        ``as_dict()`` leaves out may ride along: ``source``, ``notes`` and
        ``dropped_lines`` in ``article``, and a commitment's evidence ``text``
        (else the text its offsets span)."""
        a = data["article"]
        text = a["text"]

        def place(d: dict | None) -> Place | None:
            return Place(d["name"], d.get("country")) if d else None

        def actor(d: dict) -> Actor:
            return Actor(d["name"], d.get("country"), d.get("sector"), d.get("kind"), d.get("role"))

        def evidence(d: dict) -> Evidence:
            return Evidence(d["start"], d["end"], d["text"] if "text" in d else text[d["start"]:d["end"]])

        events = tuple(Event(
            type=e["type"], source=tuple(map(actor, e["source"])), target=tuple(map(actor, e["target"])),
            evidence=tuple(map(evidence, e["evidence"])), mode=e["mode"], context=tuple(e["context"]),
            cameo=e["cameo"], date=e["date"], date_precision=e["date_precision"], date_end=e["date_end"],
            date_source=e["date_source"], date_reason=e["date_reason"], place=place(e["place"]),
            relation_level=e["relation_level"], relation_rank=e["relation_rank"], negated=e["negated"],
            future=e["future"], hypothetical=e["hypothetical"], trigger=e["trigger"]) for e in data["events"])
        commitments = tuple(Commitment(tuple(c["parties"]), c["sector"], c["text"], evidence(c["evidence"]),
                                       c["event"]) for c in data["commitments"])
        people = tuple(Person(p["name"], p["country"], p["role"], tuple(p["mentions"]), p["historical"])
                       for p in data["people"])
        return cls(
            id=a["id"], text=text, path=a["path"], url=a["url"], outlet=a["outlet"], credit=a["credit"],
            title=a["title"], published=a["published"], published_precision=a["published_precision"],
            dateline=place(a["dateline"]), language=a["language"], source=a.get("source", ""),
            events=events, commitments=commitments, people=people,
            dropped_lines=tuple(tuple(line) for line in a.get("dropped_lines", ())),
            notes=tuple(a.get("notes", ())))


@dataclass(frozen=True, slots=True)
class Skipped:
    """What was passed over without being a document: records of an archive
    that hold none (requests, metadata, images), or files of a folder that
    accord does not read (another kind, FIFOs, devices): how many, and what."""

    source: str
    reason: str
    count: int


@dataclass(frozen=True, slots=True)
class Failure:
    """A document that a stage dropped, with the stage and the reason."""

    source: str
    stage: str
    reason: str
    id: str | None = None

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"
