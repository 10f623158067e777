"""The learned type model: built from accord's own corpus, deterministically,
small, and scoring every PLOVER type and NONE."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from conftest import SHARED
from test_lexicon import cameo_table

from accord.code.model import NONE, corpus_examples, default_path, featurize, fit, type_model, usable

TRAINING = [json.loads(line) for path in sorted((default_path().parent / "training").glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_corpus_covers_every_cameo_code_and_no_event():
    table = cameo_table()
    counts = Counter(r["cameo"] for r in TRAINING if r["type"] != NONE)
    missing = [code for code in table if counts[code] < (12 if len(code) == 3 else 5)]
    assert not missing, f"CAMEO codes with too few sentences: {missing}"
    assert sum(1 for r in TRAINING if r["type"] == NONE) >= 300
    assert all(table[r["cameo"]] == r["type"] for r in TRAINING if r["type"] != NONE)
    assert all(r["trigger"] in r["text"] for r in TRAINING)


def test_the_corpus_is_no_dev_sentence_reworded():
    """No training sentence is close to a sentence of the dev records or
    articles: word-trigram Jaccard similarity under 0.3 (MinHash LSH)."""
    from datasketch import MinHash, MinHashLSH

    dev = [r.get("text", "") for r in json.loads((SHARED / "data" / "plover_gsr_dev.json").read_text())]
    for path in (SHARED / "data" / "articles").glob("*.txt"):
        dev += re.split(r"(?<=[.!?])\s+", path.read_text(encoding="utf-8"))

    def sketch(text):
        words = re.findall(r"\w+", text.lower())
        m = MinHash(num_perm=128)
        m.update_batch([" ".join(words[i:i + 3]).encode() for i in range(max(1, len(words) - 2))])
        return m

    lsh = MinHashLSH(threshold=0.3, num_perm=128)
    for i, text in enumerate(dev):
        if len(text.split()) >= 6:
            lsh.insert(str(i), sketch(text))
    close = [(r["text"], dev[int(j)]) for r in TRAINING for j in lsh.query(sketch(r["text"]))
             if sketch(r["text"]).jaccard(sketch(dev[int(j)])) >= 0.3]
    assert not close, close[:3]


def test_the_shipped_model_is_small_and_scores_every_type():
    model = type_model()
    assert model is not None, "run 'make model'"
    assert set(model.classes) == set(cameo_table().values()) | {NONE}
    assert default_path().stat().st_size < 20 * 1024 * 1024


@pytest.mark.slow
def test_training_rebuilds_the_shipped_model_exactly():
    examples = corpus_examples()
    rebuilt = fit(*usable(examples, featurize(examples)))
    assert rebuilt.as_json() == json.loads(default_path().read_text(encoding="utf-8")), "run 'make model'"


def test_the_model_tells_types_apart():
    import accord.nlp.model as m
    nlp = m.load_nlp()
    model = type_model()
    for text, word, expected in (
            ("Syrian government aircraft bombed rebel-held districts of Idlib on Friday.", "bombed", "ASSAULT"),
            ("The shares of the carmaker fell sharply after it cut its profit forecast.", "fell", NONE),
            ("Protesters marched on the parliament in Tbilisi demanding new elections.", "marched", "PROTEST")):
        doc = nlp(text)
        token = next(t for t in doc if t.text == word)
        probs = model.predict(token)
        assert max(probs, key=probs.get) == expected, (text, sorted(probs.items(), key=lambda kv: -kv[1])[:3])


def test_scores_are_the_same_in_every_process():
    """A candidate's probabilities do not depend on the order of its features
    nor on the process's string hash seed (the weights are summed in row order)."""
    import random
    import subprocess
    import sys

    from accord.code.model import type_model

    model = type_model()
    feats = [f for f in model.features if f.startswith(("t=", "s=", "w-1=", "e=", "pos="))][:60]
    feats += ["t=agree", "pos=VERB", "s=talks", "no such feature"]
    shuffled = feats[::-1] + feats[:5]
    random.Random(7).shuffle(shuffled)
    assert repr(model.scores(feats)) == repr(model.scores(shuffled))
    code = ("import sys; from accord.code.model import type_model; "
            "print(repr(type_model().scores(sys.argv[1].split('|'))))")
    outs = {subprocess.run([sys.executable, "-c", code, "|".join(feats)], capture_output=True, text=True, check=True,
                           env={**__import__("os").environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(outs) == 1 and outs.pop().strip() == repr(model.scores(feats))


def test_predicting_many_tokens_gives_each_ones_own_numbers():
    """``predict_many`` (a sentence's features looked up once, every token's
    rows summed in one numpy call) gives what ``predict`` gives each token,
    to the last bit: with a lemma the sentence repeats ("talks ... talks"),
    a token with no known feature, tokens of several sentences, and two
    models reading the same document."""
    import accord.nlp.model as m
    from accord.code.model import TypeModel

    nlp = m.load_nlp()
    model = type_model()
    doc = nlp("Vietnam held talks with Singapore on Monday, and the talks went well. "
              "Russian forces shelled Kharkiv overnight, officials in Kyiv said. Xqzv!")
    tokens = list(doc)
    assert len(list(doc.sents)) >= 3
    assert [repr(p) for p in model.predict_many(tokens)] == [repr(model.predict(t)) for t in tokens]
    for sent in doc.sents:
        inside = [t for t in sent if not t.is_punct]
        assert [repr(p) for p in model.predict_many(inside, sent)] == [repr(model.predict(t)) for t in inside]
    other = TypeModel(model.classes, model.bias[::-1], model.features[::-1], model.weights[::-1])
    assert [repr(p) for p in other.predict_many(tokens)] == [repr(other.predict(t)) for t in tokens]
    assert model.predict_many([]) == []
    empty = TypeModel(model.classes, model.bias, [], [])
    assert empty.predict_many(tokens[:2]) == [empty.predict(t) for t in tokens[:2]]
