"""The pairs of countries that have a level, as ``store.relation`` gives
it: what the home page and the network draw from."""

from __future__ import annotations

from itertools import combinations

from .._errors import QueryError
from ..code.lexicon import level_rank
from ..store import Store


def leveled_pairs(store: Store) -> list[dict]:
    """Each pair a story set a level for, with its level now, since when,
    its rank and its history (``levels``)."""
    pairs = {pair for s in store.stories(type="SUPPORT") if s["relation_level"]
             for pair in combinations(sorted(s["countries"]), 2)}
    out = []
    for a, b in sorted(pairs):
        try:
            rec = store.relation(a, b)
        except QueryError:  # a party that is no country (an organisation)
            continue
        if rec["levels"]:
            out.append({"a": a, "b": b, "level": rec["level"], "since": rec["since"], "rank": level_rank(rec["level"]),
                        "levels": rec["levels"]})
    return out


def as_of(pair: dict, year: int) -> dict | None:
    """The pair as it stood at the end of ``year``: its last level dated
    then or before; None when it had none yet."""
    reached = [lv for lv in pair["levels"] if lv["since"] and lv["since"][:4] <= str(year)]
    if not reached:
        return None
    last = reached[-1]
    return {**pair, "level": last["level"], "since": last["since"], "rank": last["rank"]}
