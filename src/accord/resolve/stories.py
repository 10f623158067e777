"""Stories: events from different articles that are the same happening.

Events are grouped by what happened (type, mode, the set of countries, the
relation level reached) and when: dated events within a day of each other
are one story; an undated event joins the story its article's date points
to (events are reported on the day or in the days after), or, when nothing
dates it, the latest story of its kind.

Grouping depends only on what the events say, never on the order they were
stored in: rows are taken by date, then article id and position, so a corpus
ingested in one run or in many, in any order, gives the same stories.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import PurePath
from urllib.parse import urlsplit

from ..code.dates import day_of


@dataclass(frozen=True, slots=True)
class EventRow:
    id: int
    article_id: str
    seq: int
    type: str
    mode: str
    countries: tuple[str, ...]
    relation_level: str | None
    date: str | None
    published: str | None
    source_name: str  # credit, outlet, web host or file name, to count sources

    @property
    def order(self) -> tuple[str, int]:
        return (self.article_id, self.seq)


@dataclass
class StoryGroup:
    type: str
    mode: str
    countries: tuple[str, ...]
    event_ids: list[int] = field(default_factory=list)
    levels: Counter = field(default_factory=Counter)
    dates: list[date] = field(default_factory=list)
    articles: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    first_published: str | None = None
    first_article_id: str | None = None
    _first: tuple = ()

    @property
    def date(self) -> str | None:
        return min(self.dates).isoformat() if self.dates else None

    @property
    def relation_level(self) -> str | None:
        """The level most reports name; between equals, the longest name
        (the fuller form of a level), then the first by name."""
        if not self.levels:
            return None
        return min(self.levels, key=lambda lv: (-self.levels[lv], -len(lv), lv))

    def add(self, row: EventRow, day: date | None) -> None:
        self.event_ids.append(row.id)
        if row.relation_level:
            self.levels[row.relation_level] += 1
        if day:
            self.dates.append(day)
        self.articles.add(row.article_id)
        self.sources.add(row.source_name)
        # The first report: the earliest publication time (compared in UTC),
        # then the smallest article id; articles with no time come last.
        key = (instant(row.published) is None, instant(row.published) or "", row.article_id)
        if not self._first or key < self._first:
            self._first = key
            self.first_published, self.first_article_id = row.published, row.article_id


def source_name(credit: str | None, outlet: str | None, url: str | None, path: str | None) -> str:
    """Who said it, to count a story's sources: the credited original source,
    else the outlet, else the web host, else the file name (never a path)."""
    for name in (credit, outlet):
        if name and name.strip():
            return name.strip()
    if url:
        host = urlsplit(url).hostname
        if host:
            return host.removeprefix("www.")
    if path and path not in ("-", "<stdin>", "<text>"):
        return PurePath(re.sub(r":\d+$", "", path)).name or path
    return path or "unknown"


def instant(published: str | None) -> str | None:
    """A publication time as a sortable UTC string ("2025-05-08T02:44:00");
    a day alone stands for its start, in UTC."""
    if not published:
        return None
    try:
        moment = datetime.fromisoformat(published)
    except ValueError:
        return published[:10] if len(published) >= 10 else None
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment.isoformat()


RELATION_MODES = {"establish", "upgrade"}


def is_relation_change(row: EventRow) -> bool:
    return row.type == "SUPPORT" and (bool(row.relation_level) or row.mode in RELATION_MODES)


def story_key(row: EventRow) -> tuple:
    """What happened: a change of relations is one happening whether the
    article says "established" or "upgraded", and whether or not it names
    the level reached (the story takes the level most of its reports name)."""
    if is_relation_change(row):
        return (row.type, "", row.countries, "relation")
    return (row.type, row.mode, row.countries, row.relation_level or "")


def group(rows: list[EventRow]) -> list[StoryGroup]:
    """Group event rows of any keys into stories."""
    by_key: dict[tuple, list[EventRow]] = {}
    for row in rows:
        if len(set(row.countries)) >= 2:
            by_key.setdefault(story_key(row), []).append(row)
    out: list[StoryGroup] = []
    for key, members in by_key.items():
        out.extend(_group_key(key, members))
    return out


def _group_key(key: tuple, members: list[EventRow]) -> list[StoryGroup]:
    type_, _, countries, _ = key
    # A change of relations may be worded "established" here and "upgraded"
    # there: the story takes the mode most articles give (then the first by name).
    modes = Counter(r.mode for r in members)
    mode = min(modes, key=lambda m: (-modes[m], m))
    dated = sorted((r for r in members if day_of(r.date)), key=lambda r: (r.date, r.order))
    groups: list[StoryGroup] = []
    for row in dated:
        day = day_of(row.date)
        if groups and groups[-1].dates and (day - max(groups[-1].dates)).days <= 1:
            groups[-1].add(row, day)
        else:
            g = StoryGroup(type_, mode, countries)
            g.add(row, day)
            groups.append(g)
    # Dates an article gives its undated events: its publication day, or the
    # dates of its other events.
    article_days: dict[str, list[date]] = {}
    for row in members:
        d = day_of(row.date) or day_of(row.published)
        if d:
            article_days.setdefault(row.article_id, []).append(d)
    for row in sorted((r for r in members if not day_of(r.date)), key=lambda r: r.order):
        anchors = article_days.get(row.article_id, [])
        target = None
        if anchors and groups:
            anchor = max(anchors)
            near = [g for g in groups if g.dates and -1 <= (anchor - min(g.dates)).days <= 10]
            target = near[-1] if near else None
        elif groups:
            target = groups[-1]
        if target is None:
            undated = [g for g in groups if not g.dates]
            target = undated[0] if undated else None
        if target is None:
            target = StoryGroup(type_, mode, countries)
            groups.append(target)
        target.add(row, None)
    return groups
