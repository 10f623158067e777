"""Scoring the coder on PLOVER gold records: one news sentence each, with
its gold event type and source and target actor codes.

The predicted event of a sentence is its first event with an actor.  Actor
codes are compared as CAMEO writes them, mapped to ISO 3166 alpha-3 where
the two differ (JAP → JPN); international organisations count as IGO.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict

from ..code import code_many
from ..code.lexicon import OLD_NAMES
from ..models import Article
from ..read.files import content_id

CAMEO_TO_ISO = {"JAP": "JPN", "ITL": "ITA", "UK": "GBR", "PAL": "PSE", "GMY": "DEU", "ROM": "ROU", "BUL": "BGR",
                "GER": "DEU", "SWZ": "CHE", "SUD": "SDN", "ZAI": "COD", "MON": "MNG", "KUW": "KWT"}
COOPERATIVE = ("AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID")


def _codes(actors) -> set[str]:
    if not isinstance(actors, list):
        return set()
    out = set()
    for a in actors:
        if isinstance(a, dict) and a.get("code"):
            code = str(a["code"]).upper()
            out.add(CAMEO_TO_ISO.get(code, code))
    return out


def _predicted_codes(actors) -> set[str]:
    out = set()
    for a in actors:
        if a.country:
            out.add("IGO" if a.country.startswith("IGO:") else a.country.split(":")[0])
    return out


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "tp": tp, "fp": fp, "fn": fn}


def load(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        records = json.load(fh)
    return [r for r in records if r.get("event") and r.get("event") != "DOCUMENT" and r.get("text")]


def evaluate(path: str, *, coder: str = "both", model=None, records: list[dict] | None = None) -> dict:
    """Code every gold sentence and score the first event with an actor.
    ``coder`` picks what decides types (lexicon, model or both);
    ``model`` is a type model to use instead of the shipped one."""
    records = load(path) if records is None else records
    articles = [Article(id=content_id(r["text"].encode()), text=r["text"], source=r.get("id", ""), language="en")
                for r in records]
    by_type: dict[str, Counter] = defaultdict(Counter)
    counts = {"source": Counter(), "target": Counter()}
    misses = []
    for record, coded in zip(records, code_many(articles, coder=coder, model=model)):
        gold_type = OLD_NAMES.get(record["event"], record["event"])
        events = [e for e in getattr(coded, "events", ()) if e.source or e.target]  # a Failure codes nothing
        predicted = events[0] if events else None
        ok = predicted is not None and predicted.type == gold_type
        by_type[gold_type]["n"] += 1
        by_type[gold_type]["correct"] += ok
        for role in ("source", "target"):
            gold = _codes(record.get(role))
            pred = _predicted_codes(getattr(predicted, role)) if predicted else set()
            counts[role]["tp"] += len(gold & pred)
            counts[role]["fp"] += len(pred - gold)
            counts[role]["fn"] += len(gold - pred)
        gold_src, gold_tgt = _codes(record.get("source")), _codes(record.get("target"))
        pred_src = _predicted_codes(predicted.source) if predicted else set()
        pred_tgt = _predicted_codes(predicted.target) if predicted else set()
        if not ok or gold_src != pred_src or gold_tgt != pred_tgt:
            misses.append({
                "id": record.get("id"), "gold": gold_type, "predicted": predicted.type if predicted else None,
                "gold_actors": f"{','.join(sorted(gold_src))} -> {','.join(sorted(gold_tgt))}",
                "predicted_actors": f"{','.join(sorted(pred_src))} -> {','.join(sorted(pred_tgt))}",
                "text": record["text"],
            })
    return _report(by_type, counts, misses)


def _report(by_type: dict[str, Counter], counts: dict[str, Counter], misses: list[dict]) -> dict:
    n = sum(c["n"] for c in by_type.values())
    correct = sum(c["correct"] for c in by_type.values())
    coop_n = sum(by_type[t]["n"] for t in COOPERATIVE)
    coop_correct = sum(by_type[t]["correct"] for t in COOPERATIVE)
    source, target = _prf(**counts["source"]), _prf(**counts["target"])
    actors = _prf(*(counts["source"][k] + counts["target"][k] for k in ("tp", "fp", "fn")))
    return {
        "records": n,
        "type_accuracy": correct / n if n else 0.0,
        "cooperative_accuracy": coop_correct / coop_n if coop_n else 0.0,
        "per_type": {t: {"n": c["n"], "accuracy": c["correct"] / c["n"]} for t, c in sorted(by_type.items()) if c["n"]},
        "source": source,
        "target": target,
        "actors": actors,
        "misses": misses,
        "gate": {
            "type_accuracy": correct / n if n else 0.0,
            "cooperative_accuracy": coop_correct / coop_n if coop_n else 0.0,
            "source_f1": source["f1"], "target_f1": target["f1"], "actor_f1": actors["f1"],
        },
    }


def trigger_of(record: dict) -> str | None:
    """The gold trigger word of a record: the main word of its first
    "(EVT: ...)" span ("will support" → "support")."""
    markup = (record.get("textInfo") or {}).get("markup") or ""
    m = re.search(r"\(EVT:\s*([^)]+)\)", markup)
    words = (m.group(1) if m else record.get("eventText") or "").split()
    content = [w for w in words if w.lower() not in SKIP_WORDS]
    return (content or words or [None])[0]


SKIP_WORDS = {"will", "would", "shall", "has", "have", "had", "is", "was", "were", "are", "be", "been", "to", "not",
              "did", "does", "do", "may", "might", "could", "should", "must", "can", "also", "reportedly", "the", "a"}


def cross_validate(path: str, k: int = 5, *, coder: str = "both", nlp=None) -> dict:
    """``k``-fold cross-validation of the coder on the gold records: for each
    fold, the type model is trained on accord's corpus plus the records of
    the other folds, and the fold is scored with it.  Folds are fixed (the
    i-th record, sorted by id, goes to fold i mod k)."""
    from ..code.model import Example, corpus_examples, featurize, fit, usable

    records = sorted(load(path), key=lambda r: r.get("id", ""))
    examples = corpus_examples()
    X_corpus, y_corpus = usable(examples, featurize(examples, nlp))
    gold = [Example(r["text"], trigger_of(r) or "", OLD_NAMES.get(r["event"], r["event"])) for r in records]
    gold_feats = featurize(gold, nlp)
    by_type: dict[str, Counter] = defaultdict(Counter)
    counts = {"source": Counter(), "target": Counter()}
    misses: list[dict] = []
    folds = []
    for fold in range(k):
        test = [r for i, r in enumerate(records) if i % k == fold]
        X_fold, y_fold = usable([g for i, g in enumerate(gold) if i % k != fold],
                                [f for i, f in enumerate(gold_feats) if i % k != fold])
        model = fit(X_corpus + X_fold, y_corpus + y_fold)
        report = evaluate(path, coder=coder, model=model, records=test)
        folds.append(report["type_accuracy"])
        for t, row in report["per_type"].items():
            by_type[t]["n"] += row["n"]
            by_type[t]["correct"] += round(row["accuracy"] * row["n"])
        for role in ("source", "target"):
            for key_ in ("tp", "fp", "fn"):
                counts[role][key_] += report[role][key_]
        misses += report["misses"]
    out = _report(by_type, counts, misses)
    out["folds"] = folds
    out["cv"] = k
    return out


def print_report(report: dict, console) -> None:
    from rich.table import Table

    table = Table("type", "records", "accuracy", title=f"PLOVER gold: {report['records']} records")
    for t, row in report["per_type"].items():
        table.add_row(t, str(row["n"]), f"{row['accuracy']:.3f}")
    table.add_row("[bold]all[/bold]", str(report["records"]), f"[bold]{report['type_accuracy']:.3f}[/bold]")
    table.add_row("AGREE CONSULT SUPPORT COOPERATE AID", "", f"{report['cooperative_accuracy']:.3f}")
    console.print(table)
    actors = Table("actors", "precision", "recall", "F1")
    for role in ("source", "target", "actors"):
        r = report[role]
        actors.add_row(role, f"{r['precision']:.3f}", f"{r['recall']:.3f}", f"{r['f1']:.3f}")
    console.print(actors)
    console.print(f"[bold]misses ({len(report['misses'])}):[/bold]")
    for m in report["misses"]:
        console.print(f"  {m['id']}: gold {m['gold']} {m['gold_actors']} | got {m['predicted']} {m['predicted_actors']} "
                      f"| {m['text'][:100]}", markup=False, highlight=False)  # the records' words, as written
