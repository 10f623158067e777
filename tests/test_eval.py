"""The evaluation in the repo: scorers on the development gold data, gated
by the floors in eval_baseline.json (trafilatura-style)."""

import json
from pathlib import Path

import pytest
from conftest import SHARED
from rich.console import Console

from accord.eval import articles, plover
from accord.eval.gate import check

BASELINE = Path(__file__).parent / "eval_baseline.json"
DATA = SHARED / "data"


@pytest.fixture(scope="module")
def plover_report():
    return plover.evaluate(str(DATA / "plover_gsr_dev.json"))


@pytest.fixture(scope="module")
def articles_report():
    return articles.evaluate(str(DATA / "articles"), str(DATA / "articles_gold.jsonl"))


def quiet():
    return Console(file=open("/dev/null", "w"))


def test_plover_scores_hold_their_floors(plover_report):
    assert plover_report["records"] == 166
    assert check(plover_report, "plover", str(BASELINE), False, False, quiet()) == 0
    assert plover_report["cooperative_accuracy"] >= 0.90  # the floor for the cooperative types


def test_article_scores_hold_their_floors(articles_report):
    assert check(articles_report, "articles", str(BASELINE), False, False, quiet()) == 0
    gate = articles_report["gate"]
    assert gate["key_f1"] >= 0.80 and gate["dates_within_a_day"] >= 0.85
    assert articles_report["negatives_with_events"] == 0


def test_the_gate_fails_below_a_floor_and_refuses_to_lower_it(tmp_path, plover_report):
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"plover": {k: min(1.0, v + 0.05) for k, v in plover_report["gate"].items()}}))
    assert check(plover_report, "plover", str(floors), False, False, quiet()) == 1
    assert check(plover_report, "plover", str(floors), True, False, quiet()) == 1, "lowering needs --allow-lower"
    assert check(plover_report, "plover", str(floors), True, True, quiet()) == 0
    assert check(plover_report, "plover", str(floors), False, False, quiet()) == 0


def test_misses_are_listed(plover_report):
    assert plover_report["misses"] and {"id", "gold", "predicted", "text"} <= set(plover_report["misses"][0])
