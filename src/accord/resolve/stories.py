"""Stories: events from different articles that are the same happening.

Events are grouped by what happened (type, mode, the set of countries, the
relation level reached) and when: dated events within a day of each other
are one story; an undated event joins the story its article's date points
to (events are reported on the day or in the days after), or, when nothing
dates it, the latest story of its kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class EventRow:
    id: int
    article_id: str
    type: str
    mode: str
    countries: tuple[str, ...]
    relation_level: str | None
    date: str | None
    published: str | None
    source_name: str  # credit or outlet or article id, to count sources


@dataclass
class StoryGroup:
    type: str
    mode: str
    countries: tuple[str, ...]
    relation_level: str | None
    event_ids: list[int] = field(default_factory=list)
    dates: list[date] = field(default_factory=list)
    articles: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    first_published: str | None = None
    first_article_id: str | None = None

    @property
    def date(self) -> str | None:
        return min(self.dates).isoformat() if self.dates else None

    def add(self, row: EventRow, day: date | None) -> None:
        self.event_ids.append(row.id)
        if day:
            self.dates.append(day)
        self.articles.add(row.article_id)
        self.sources.add(row.source_name)
        if row.published and (self.first_published is None or row.published < self.first_published):
            self.first_published, self.first_article_id = row.published, row.article_id
        elif self.first_article_id is None:
            self.first_article_id = row.article_id


def story_key(row: EventRow) -> tuple:
    """What happened: a change of relations is one happening whether the
    article says "established" or "upgraded"."""
    mode = "" if row.relation_level else row.mode
    return (row.type, mode, row.countries, row.relation_level or "")


def _day(value: str | None) -> date | None:
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


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
    type_, _, countries, level = key
    mode = members[0].mode
    dated = sorted((r for r in members if _day(r.date)), key=lambda r: (r.date, r.id))
    groups: list[StoryGroup] = []
    for row in dated:
        day = _day(row.date)
        if groups and groups[-1].dates and (day - max(groups[-1].dates)).days <= 1:
            groups[-1].add(row, day)
        else:
            g = StoryGroup(type_, mode, countries, level or None)
            g.add(row, day)
            groups.append(g)
    # Dates an article gives its undated events: its publication day, or the
    # dates of its other events.
    article_days: dict[str, list[date]] = {}
    for row in members:
        d = _day(row.date) or _day(row.published)
        if d:
            article_days.setdefault(row.article_id, []).append(d)
    for row in sorted((r for r in members if not _day(r.date)), key=lambda r: r.id):
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
            target = StoryGroup(type_, mode, countries, level or None)
            groups.append(target)
        target.add(row, None)
    return groups
