"""The charts of the pages, laid out here and drawn as SVG by the templates
(``_partials/*.svg``): numbers in, coordinates out, no markup built here,
and no JavaScript anywhere."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from ..code.lexicon import QUAD_NAME


@dataclass(frozen=True, slots=True)
class Tick:
    at: float  # x for a horizontal axis, y for a vertical one
    label: str


@dataclass(frozen=True, slots=True)
class LevelPoint:
    x: float
    y: float
    level: str
    since: str
    rank: int
    story_id: int | None
    anchor: str  # where its label hangs: start or end


@dataclass(frozen=True, slots=True)
class Frame:
    """A chart's size and the plot area inside its margins."""

    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float


@dataclass(frozen=True, slots=True)
class Timeline(Frame):
    points: list[LevelPoint]
    line: str  # polyline points: the level as a step line, up to today
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    undated: list[dict]  # levels the text gives no date for


def _ordinal(iso: str) -> int:
    return date.fromisoformat(iso[:10]).toordinal()


def _time_ticks(start: int, end: int, left: float, right: float) -> list[Tick]:
    """Month or year boundaries between two days, at most eight of them."""
    first, last = date.fromordinal(start), date.fromordinal(end)
    x = lambda d: left + (d.toordinal() - start) / (end - start) * (right - left)  # noqa: E731
    if end - start > 730:
        days = [date(y, 1, 1) for y in range(first.year + 1, last.year + 1)]
        step = max(1, math.ceil(len(days) / 8))
        return [Tick(x(d), str(d.year)) for d in days[::step]]
    months, y, m = [], first.year, first.month
    while True:
        m += 1
        if m > 12:
            y, m = y + 1, 1
        if date(y, m, 1) > last:
            break
        months.append(date(y, m, 1))
    step = max(1, math.ceil(len(months) / 8))
    return [Tick(x(d), d.strftime("%Y-%m")) for d in months[::step]]


def level_timeline(levels: list[dict], *, today: date | None = None, width: int = 720,
                   height: int = 240) -> Timeline | None:
    """The levels of a pair (``store.relation``'s ``levels``: level, since,
    rank, story_id) as a step line over time, rank on the vertical axis.
    None when no level has a date."""
    dated = [lv for lv in levels if lv.get("since")]
    undated = [lv for lv in levels if not lv.get("since")]
    if not dated:
        return None
    left, right, top, bottom = 44.0, width - 16.0, 30.0, height - 30.0
    start = min(_ordinal(lv["since"]) for lv in dated)
    end = max([_ordinal(lv["since"]) for lv in dated] + [(today or date.today()).toordinal()])
    pad = max(15, (end - start) // 12)
    start, end = start - pad, end + pad
    low = min(0, min(lv["rank"] for lv in dated))
    x = lambda iso: left + (_ordinal(iso) - start) / (end - start) * (right - left)  # noqa: E731
    y = lambda rank: bottom - (rank - low) / (9 - low) * (bottom - top)  # noqa: E731
    points = [LevelPoint(round(x(lv["since"]), 1), round(y(lv["rank"]), 1), lv["level"], lv["since"], lv["rank"],
                         lv.get("story_id"), "end" if x(lv["since"]) > left + 0.6 * (right - left) else "start")
              for lv in sorted(dated, key=lambda lv: (lv["since"], lv["rank"]))]
    line: list[tuple[float, float]] = []
    for p in points:
        if line:
            line.append((p.x, line[-1][1]))
        line.append((p.x, p.y))
    line.append((round(right - (right - left) * pad / (end - start), 1), line[-1][1]))  # the level holds until today
    y_ticks = [Tick(round(y(r), 1), str(r) if r >= 0 else "?") for r in range(low, 10)]
    return Timeline(width, height, left, right, top, bottom, points, " ".join(f"{a},{b}" for a, b in line),
                    _time_ticks(start, end, left, right), y_ticks, undated)


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    quad: int
    count: int
    month: str


@dataclass(frozen=True, slots=True)
class BarChart(Frame):
    bars: list[Bar]
    months: list[Tick]
    y_ticks: list[Tick]


def quad_bars(quad_counts: list[dict], *, height: int = 240, group: int = 64) -> BarChart | None:
    """Events by PLOVER quad class per month (``store.relation``'s
    ``quad_counts``) as grouped bars, one group a month, one bar a class."""
    if not quad_counts:
        return None
    left, top, bottom = 44.0, 16.0, height - 30.0
    width = int(left + 16 + max(4, len(quad_counts)) * group)
    peak = max(max(row.get(name, 0) for name in QUAD_NAME.values()) for row in quad_counts) or 1
    step = max(1, math.ceil(peak / 5))
    scale = (bottom - top) / (math.ceil(peak / step) * step)
    bars, months = [], []
    bar = (group - 16) / len(QUAD_NAME)
    for i, row in enumerate(quad_counts):
        x0 = left + 8 + i * group
        months.append(Tick(round(x0 + (group - 16) / 2, 1), row["month"]))
        for j, (code, name) in enumerate(QUAD_NAME.items()):
            n = row.get(name, 0)
            bars.append(Bar(round(x0 + j * bar, 1), round(bottom - n * scale, 1), round(bar - 2, 1),
                            round(n * scale, 1), code, n, row["month"]))
    y_ticks = [Tick(round(bottom - v * scale, 1), str(v)) for v in range(0, math.ceil(peak / step) * step + 1, step)]
    return BarChart(width, height, left, width - 16.0, top, bottom, bars, months, y_ticks)


@dataclass(frozen=True, slots=True)
class Node:
    code: str
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str


@dataclass(frozen=True, slots=True)
class Edge:
    a: str
    b: str
    x1: float
    y1: float
    x2: float
    y2: float
    level: str
    since: str | None
    rank: int
    stroke: float


@dataclass(frozen=True, slots=True)
class Network:
    size: int
    nodes: list[Node]
    edges: list[Edge]


def network(pairs: list[dict], *, size: int = 640) -> Network:
    """Countries on a circle and the level of each pair as a line between
    them, thicker for a higher rank.  ``pairs``: a, b, level, since, rank."""
    codes = sorted({p["a"] for p in pairs} | {p["b"] for p in pairs})
    centre, radius = size / 2, size / 2 - 70
    nodes: dict[str, Node] = {}
    for i, code in enumerate(codes):
        angle = 2 * math.pi * i / max(1, len(codes)) - math.pi / 2
        cos, sin = math.cos(angle), math.sin(angle)
        nodes[code] = Node(code, round(centre + radius * cos, 1), round(centre + radius * sin, 1),
                           round(centre + (radius + 16) * cos, 1), round(centre + (radius + 16) * sin + 4, 1),
                           "start" if cos > 0.2 else "end" if cos < -0.2 else "middle")
    edges = [Edge(p["a"], p["b"], nodes[p["a"]].x, nodes[p["a"]].y, nodes[p["b"]].x, nodes[p["b"]].y, p["level"],
                  p.get("since"), p["rank"], 1.0 + max(0, p["rank"]) * 0.6)
             for p in sorted(pairs, key=lambda p: p["rank"])]
    return Network(size, list(nodes.values()), edges)
