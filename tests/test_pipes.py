"""accord's table-driven attribute ruler and lemmatizer, and its sentence
guard, give the stock components' output token for token."""

from __future__ import annotations

import json

import pytest

from accord.nlp.model import load_nlp
from accord.nlp.pipes import CLOSERS, SENTENCE_END

from conftest import SEEDS, SHARED

EXTRA = [
    "There is no doubt. There are talks, and there were more. Let's go; y'all gonna see, ain't it? C'mon!",
    "He gets what he got.  \n\n  Tabs\tand   spaces\u00a0here.\n\n\n",
    "“Vietnam,” he said (in Hanoi). 'Yes.' [Done.] Mr. To Lam met Lt. Gen. Avril … then left./. The end",
    "",
    "!",
    "ÉCONOMIE: Ça va. 北京 and Москва signed 3,000 deals — 25% of $1.2bn — on 2024-05-01.",
]


def _texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((SHARED / "data" / "articles").glob("*.txt"))]
    lines = (SHARED / "data" / "reuters21578_sample.jsonl").read_text(encoding="utf-8").splitlines()
    texts += [json.loads(line)["text"] for line in lines[:80] if line.strip()]
    return texts + EXTRA


def _row(t):
    return (t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.is_sent_start, t.ent_type_, t.ent_iob_)


def test_fast_components_equal_stock():
    fast, stock = load_nlp(), load_nlp(stock=True)
    assert "accord_attributes" in fast.pipe_names and "attribute_ruler" not in fast.pipe_names
    assert "attribute_ruler" in stock.pipe_names and "lemmatizer" in stock.pipe_names
    texts = _texts()
    tokens = 0
    for text, a, b in zip(texts, fast.pipe(texts), stock.pipe(texts)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            assert _row(x) == _row(y), (text[:60], x.i)
        tokens += len(a)
    assert tokens > 25_000
    # The table is filled: a second pass takes its answers from it, and they are still the stock ones.
    assert len(fast.get_pipe("accord_attributes").table) > 1000
    for a, b in zip(fast.pipe(texts[:20]), stock.pipe(texts[:20])):
        assert [_row(x) for x in a] == [_row(y) for y in b]


def _reference_guard(doc):
    """The guard as first written, a token at a time."""
    starts = []
    for i in range(1, len(doc)):
        prev = doc[i - 1]
        j = i - 1
        while j > 0 and (doc[j].text in CLOSERS or doc[j].is_space) and "\n" not in doc[j].text:
            j -= 1
        if "\n" in prev.text_with_ws or doc[j].text in SENTENCE_END or doc[j].text.endswith("./."):
            continue
        starts.append(i)
    return starts


@pytest.mark.parametrize("text", EXTRA + ["A b. C d\n e “f.” G (h.) I", "x ) \n y", "Mr. Asadov met PM Pashinyan. Then"])
def test_sentence_guard_equals_reference(text):
    nlp = load_nlp()
    doc = nlp.make_doc(text)
    expected = _reference_guard(doc)
    nlp.get_pipe("accord_sentence_guard")(doc)
    assert [t.i for t in doc[1:] if t.is_sent_start is False] == expected
