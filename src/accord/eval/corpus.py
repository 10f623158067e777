"""Scoring the coder on accord's own training corpus, cross-validated: text
that shaped neither the lexicon's development nor, fold by fold, the model.

For each of K fixed folds (the i-th sentence goes to fold i mod K), the
type model is trained on the other folds, and the whole coder codes the
fold's sentences.  Event sentences are scored like PLOVER gold records (the
first event with an actor: its type and actor codes); NONE sentences count
as false alarms when the coder finds an event with an actor in them.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from ..code.model import corpus_examples, featurize, fit, usable
from . import plover


def _records(folder: Path | None = None) -> list[dict]:
    root = Path(folder) if folder else Path(str(resources.files("accord.data").joinpath("training")))
    out = []
    for path in sorted(root.glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                r = json.loads(line)
                out.append({"id": f"{path.name}:{n}", "text": r["text"], "event": r["type"] or "NONE",
                            "source": [{"code": _code(c)} for c in r.get("source") or []],
                            "target": [{"code": _code(c)} for c in r.get("target") or []]})
    return out


def _code(code: str) -> str:
    """Actor codes as the PLOVER scorer compares them: "IGO:UN" is an IGO."""
    return "IGO" if code.startswith("IGO") else code


def cross_validate(k: int = 5, *, coders: tuple[str, ...] = ("lexicon", "model", "both"), nlp=None,
                   folder: Path | None = None) -> dict:
    """Per coder: type accuracy and actor F1 on the event sentences, and the
    share of NONE sentences given an event, over K folds."""
    records = _records(folder)
    examples = corpus_examples(folder)
    feats = featurize(examples, nlp)
    results: dict[str, dict] = {}
    per_fold: dict[str, list[dict]] = {c: [] for c in coders}
    for fold in range(k):
        train = [i for i in range(len(examples)) if i % k != fold]
        model = fit(*usable([examples[i] for i in train], [feats[i] for i in train]))
        test = [r for i, r in enumerate(records) if i % k == fold]
        events = [r for r in test if r["event"] != "NONE"]
        nones = [r for r in test if r["event"] == "NONE"]
        for coder in coders:
            report = plover.evaluate("", coder=coder, model=model, records=events)
            false_alarms = 0
            if nones:
                none_report = plover.evaluate("", coder=coder, model=model,
                                              records=[dict(r, event="NONE") for r in nones])
                false_alarms = sum(1 for m in none_report["misses"] if m["predicted"] is not None)
            per_fold[coder].append({"report": report, "nones": len(nones), "false_alarms": false_alarms})
    for coder in coders:
        folds = per_fold[coder]
        n = sum(f["report"]["records"] for f in folds)
        correct = sum(f["report"]["type_accuracy"] * f["report"]["records"] for f in folds)
        tp = sum(f["report"]["actors"]["tp"] for f in folds)
        fp = sum(f["report"]["actors"]["fp"] for f in folds)
        fn = sum(f["report"]["actors"]["fn"] for f in folds)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        nones = sum(f["nones"] for f in folds)
        results[coder] = {
            "records": n,
            "type_accuracy": correct / n if n else 0.0,
            "actor_f1": 2 * p * r / (p + r) if p + r else 0.0,
            "actor_recall": r,
            "none_sentences": nones,
            "none_false_alarm_rate": sum(f["false_alarms"] for f in folds) / nones if nones else 0.0,
            "fold_type_accuracy": [f["report"]["type_accuracy"] for f in folds],
        }
    return {"cv": k, "coders": results}
