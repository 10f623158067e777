"""Scoring the coder on real articles with gold labels, as
``shared/data/ARTICLES.md`` describes: event keys (type and the set of
country codes) per article, dates within a day and relation levels of the
matched keys, negatives with no event, and article facts."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from .._errors import AccordError
from ..models import Article, Failure
from ..pipeline import extract_paths
from ..settings import Settings


def _key(type_: str, codes) -> tuple[str, frozenset[str]] | None:
    codes = frozenset(c for c in codes if c)
    return (type_, codes) if len(codes) >= 2 else None


def _pred_codes(event) -> list[str]:
    out = []
    for a in event.source + event.target:
        if a.country:
            out.append(a.country if len(a.country) == 3 or a.country.startswith("IGO:") else a.country.split(":")[0])
    return out


def _day(value):
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _norm(level):
    return " ".join(level.lower().split()) if level else None


def evaluate(folder: str, gold_path: str, *, coder: str = "both") -> dict:
    gold = [json.loads(line) for line in Path(gold_path).read_text(encoding="utf-8").splitlines() if line.strip()]
    paths = [str(Path(folder) / g["file"]) for g in gold]
    if gold and not any(Path(p).is_file() for p in paths):
        raise AccordError(f"none of the {len(gold)} articles {gold_path} scores is in {folder} "
                          f"(the first is {gold[0]['file']}): give the folder that holds them")
    results = {Path(r.source).name: r for r in extract_paths(paths, Settings(coder=coder))}
    tp = fp = fn = 0
    dates_ok = dates_n = levels_ok = levels_n = 0
    negatives = negatives_with_events = 0
    facts = {"published": [0, 0], "credit": [0, 0], "dateline": [0, 0]}
    misses = []
    for g in gold:
        result = results.get(g["file"])
        if isinstance(result, Failure) or result is None:
            misses.append({"file": g["file"], "error": result.reason if result else "not read"})
            result = Article(id="", text="")
        events = [e for e in result.events if not e.negated and not e.hypothetical]
        pred: dict[tuple, list] = {}
        for e in events:
            k = _key(e.type, _pred_codes(e))
            if k:
                pred.setdefault(k, []).append(e)
        gold_keys: dict[tuple, list] = {}
        for e in g["events"]:
            k = _key(e["type"], e["source"] + e["target"])
            if k:
                gold_keys.setdefault(k, []).append(e)
        if g["label"] == "negative":
            negatives += 1
            negatives_with_events += bool(pred)
        matched = set(pred) & set(gold_keys)
        tp += len(matched)
        fp += len(set(pred) - set(gold_keys))
        fn += len(set(gold_keys) - set(pred))
        for k in matched:
            for ge in gold_keys[k]:
                if ge.get("date"):
                    dates_n += 1
                    gd = _day(ge["date"])
                    dates_ok += any(_day(p.date) and abs((_day(p.date) - gd).days) <= 1 for p in pred[k])
                if ge.get("relation_level"):
                    levels_n += 1
                    levels_ok += any(_norm(p.relation_level) == _norm(ge["relation_level"]) for p in pred[k])
        extra = sorted(f"{t}:{'+'.join(sorted(c))}" for t, c in set(pred) - set(gold_keys))
        missing = sorted(f"{t}:{'+'.join(sorted(c))}" for t, c in set(gold_keys) - set(pred))
        if extra or missing:
            misses.append({"file": g["file"], "extra": extra, "missing": missing})
        if g.get("published"):
            facts["published"][1] += 1
            facts["published"][0] += (result.published or "")[:10] == g["published"]
        if g.get("credit"):
            facts["credit"][1] += 1
            facts["credit"][0] += (result.credit or "").lower() == g["credit"].lower()
        if g.get("dateline"):
            facts["dateline"][1] += 1
            facts["dateline"][0] += bool(result.dateline) and result.dateline.country == g["dateline"]["country"]
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    fact_scores = {k: (ok / n if n else 0.0) for k, (ok, n) in facts.items()}
    report = {
        "articles": len(gold),
        "keys": {"precision": p, "recall": r, "f1": f1, "tp": tp, "fp": fp, "fn": fn},
        "dates_within_a_day": dates_ok / dates_n if dates_n else 0.0, "dates_scored": dates_n,
        "relation_levels": levels_ok / levels_n if levels_n else 0.0, "levels_scored": levels_n,
        "negatives": negatives, "negatives_with_events": negatives_with_events,
        "facts": fact_scores,
        "misses": misses,
    }
    report["gate"] = {
        "key_precision": p, "key_recall": r, "key_f1": f1,
        "dates_within_a_day": report["dates_within_a_day"], "relation_levels": report["relation_levels"],
        "negatives_clean": 1 - (negatives_with_events / negatives if negatives else 0.0),
        **{f"{k}_accuracy": v for k, v in fact_scores.items()},
    }
    return report


def print_report(report: dict, console) -> None:
    from rich.table import Table

    k = report["keys"]
    table = Table("measure", "value", title=f"articles: {report['articles']}")
    table.add_row("event keys precision", f"{k['precision']:.3f} ({k['tp']} / {k['tp'] + k['fp']})")
    table.add_row("event keys recall", f"{k['recall']:.3f} ({k['tp']} / {k['tp'] + k['fn']})")
    table.add_row("event keys F1", f"{k['f1']:.3f}")
    table.add_row("dates within a day", f"{report['dates_within_a_day']:.3f} of {report['dates_scored']}")
    table.add_row("relation levels", f"{report['relation_levels']:.3f} of {report['levels_scored']}")
    table.add_row("negatives with an event", f"{report['negatives_with_events']} of {report['negatives']}")
    for name, v in report["facts"].items():
        table.add_row(f"{name}", f"{v:.3f}")
    console.print(table)
    console.print(f"[bold]misses ({len(report['misses'])}):[/bold]")
    for m in report["misses"]:
        console.print(f"  {m}", markup=False, highlight=False)  # the articles' words, as written
