"""accord's table-driven attribute ruler and lemmatizer, and its sentence
guard, give the stock components' output token for token; its windowed
entity recogniser finds the people and places the stock one finds."""

from __future__ import annotations

import json

import pytest

from accord.nlp.model import embedding_caches, load_nlp, uncached_embeddings
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
    """What the components give a token (entities apart: see the names tests)."""
    return (t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.is_sent_start)


@pytest.fixture(scope="module")
def parsed():
    """The texts, parsed by accord's pipeline and by the stock one; and the
    share of the words the names component read while parsing them."""
    fast, stock = load_nlp(), load_nlp(stock=True)
    names = fast.get_pipe("accord_names")
    texts = _texts()
    before = names.tokens, names.read
    ours = list(fast.pipe(texts))
    share = (names.read - before[1]) / (names.tokens - before[0])
    return texts, ours, list(stock.pipe(texts)), share


def test_fast_components_equal_stock(parsed):
    fast, stock = load_nlp(), load_nlp(stock=True)
    assert "accord_attributes" in fast.pipe_names and "attribute_ruler" not in fast.pipe_names
    assert "attribute_ruler" in stock.pipe_names and "lemmatizer" in stock.pipe_names
    # accord multiplies with numpy's BLAS, the stock pipeline with thinc's BLIS: the rows below are the same.
    assert not fast.get_pipe("tok2vec").model.ops.use_blis and not fast.get_pipe("parser").model.ops.use_blis
    assert not fast.get_pipe("accord_names").ner.model.ops.use_blis
    assert stock.get_pipe("tok2vec").model.ops.use_blis
    texts, ours, theirs, _ = parsed
    tokens = 0
    for text, a, b in zip(texts, ours, theirs):
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


def _english(texts: list[str]) -> list[str]:
    from accord.clean.language import detect

    return [t for t in texts if detect(t) == "en"]


def test_names_agree_with_the_stock_recogniser(parsed):
    """The recogniser run on windows finds the people and places the stock
    one finds on the whole text, and gives a gazetteer's names their label."""
    texts, ours, theirs, share = parsed
    english = set(_english(texts))
    same: dict[str, int] = {}
    total: dict[str, int] = {}
    for a, b in ((a, b) for text, a, b in zip(texts, ours, theirs) if text in english):
        ours = {(e.start, e.end, e.label_) for e in a.ents}
        for e in b.ents:
            label = "place" if e.label_ in ("GPE", "LOC") else e.label_
            total[label] = total.get(label, 0) + 1
            same[label] = same.get(label, 0) + ((e.start, e.end, e.label_) in ours)
    assert total["PERSON"] > 400 and total["place"] > 700
    assert same["PERSON"] / total["PERSON"] >= 0.96
    assert same["place"] / total["place"] >= 0.94
    assert same["ORG"] / total["ORG"] >= 0.88
    # It read well under all the words: that is its point.
    assert 0.2 < share < 0.75


@pytest.mark.parametrize("text", EXTRA + [
    "U.S.-Japan talks: the U.S. and Japan met.",
    "VIETNAM AND SINGAPORE UPGRADE TIES TO A COMPREHENSIVE STRATEGIC PARTNERSHIP",
    "Talks began. Kishida met Albanese and Wong in Canberra on March 3 with Jacinda Ardern.",
])
def test_names_edge_cases(text):
    """Headlines in capitals, mentions sharing a token, empty and odd texts:
    entities are set without overlap, and the people the stock recogniser
    sees in a sentence are found."""
    fast, stock = load_nlp(), load_nlp(stock=True)
    a, b = fast(text), stock(text)
    assert [t.text for t in a] == [t.text for t in b]
    assert all(t.ent_iob_ in ("B", "I", "O") for t in a)  # every token labelled, as the stock recogniser does
    people = {(e.start, e.end) for e in b.ents if e.label_ == "PERSON"}
    assert people <= {(e.start, e.end) for e in a.ents if e.label_ == "PERSON"}


def test_names_read_the_places_given():
    """The coder hands the gazetteer's mentions over with the document; the
    result is the same as when the component looks them up itself."""
    from accord.nlp.gazetteer import gazetteer
    from accord.nlp.pipes import PLACES_KEY

    nlp = load_nlp()
    text = ("Vietnamese Prime Minister Pham Minh Chinh and his Australian counterpart Anthony Albanese met in "
            "Canberra on Thursday, and the Association of Southeast Asian Nations welcomed the talks.")
    given = nlp.make_doc(text)
    given.user_data[PLACES_KEY] = [(m.start, m.end, m.entry.kind) for m in gazetteer().find(text)]
    a = [(e.text, e.label_) for e in nlp(given).ents]
    b = [(e.text, e.label_) for e in nlp(text).ents]
    assert a == b
    assert ("Vietnamese", "NORP") in a and ("Pham Minh Chinh", "PERSON") in a and ("Canberra", "GPE") in a


def _reference_windows(doc, known, margin):
    """The windows as first written, a token at a time."""
    covered = {i for a, b, _ in known for i in range(a, b)}
    spans: list[tuple[int, int]] = []
    for t in doc:
        if not t.text[:1].isupper() or t.i in covered or (t.is_sent_start and t.pos_ != "PROPN"):
            continue
        a, b = max(0, t.i - margin), min(len(doc), t.i + margin + 1)
        if spans and a <= spans[-1][1]:
            spans[-1] = (spans[-1][0], b)
        else:
            spans.append((a, b))
    return spans


def test_names_windows_equal_reference():
    nlp = load_nlp()
    names = nlp.get_pipe("accord_names")
    texts = EXTRA + _texts()[:40] + ["A", "Hello there. World peace.", "  \n\n  x", "Mr. Lam met Wong in Singapore."]
    with nlp.select_pipes(disable=["accord_names"]):
        for text, doc in zip(texts, nlp.pipe(texts)):
            spans, known, _ = names._plan(doc)
            assert spans == _reference_windows(doc, known, names.margin), text[:60]


def test_names_windows_carry_words_norms_and_sentences():
    """A window is a document of its own with the words, the tokenizer's
    norms ("n't" → "not") and the parser's sentence starts of its stretch."""
    from accord.nlp.pipes import _windows

    nlp = load_nlp()
    names = nlp.get_pipe("accord_names")
    text = "They said Lam didn't agree. Lam met Wong in Singapore. Talks ended on Friday, Reuters said."
    with nlp.select_pipes(disable=["accord_names"]):
        doc = nlp(text)
    spans, known, array = names._plan(doc)
    windows = _windows(doc, spans, array)
    assert len(windows) == len(spans) >= 1
    for (a, b), window in zip(spans, windows):
        assert window.text_with_ws.strip() == doc[a:b].text_with_ws.strip()
        assert [t.norm_ for t in window] == [t.norm_ for t in doc[a:b]]
        assert [t.is_sent_start for t in window][1:] == [t.is_sent_start for t in doc[a:b]][1:]
    assert any(t.text == "n't" and t.norm_ == "not" for w in windows for t in w)
    assert any(t.is_sent_start for w in windows for t in w[1:])  # "Lam met ...": a start inside a window


@pytest.mark.parametrize("kind", ["maxout", "layernorm", "both"])
def test_predicting_layers_give_thincs_numbers_bit_for_bit(kind):
    """The encoders of the tagger and parser and of the entity recogniser,
    their maxout and layer-norm layers predicting with numpy, give the
    vectors thinc's own layers give, bit for bit, each kind alone and both;
    training still goes through thinc's layers."""
    from accord.nlp.model import _predicting_layernorm, _predicting_maxout

    ours_of = {"maxout": _predicting_maxout, "layernorm": _predicting_layernorm}
    kinds = list(ours_of) if kind == "both" else [kind]
    nlp = load_nlp()
    encoders = [nlp.get_pipe("tok2vec").model, nlp.get_pipe("accord_names").ner.model.get_ref("tok2vec")]
    texts = _texts()
    with uncached_embeddings(nlp) as embeddings:  # else the second run would find the first one's vectors
        assert len(embeddings) == 2
        _compare_layers(nlp, encoders, texts, kinds, ours_of)


def _compare_layers(nlp, encoders, texts, kinds, ours_of) -> None:
    import numpy

    from accord.nlp.model import _thinc_forward

    for encoder in encoders:
        layers = [n for n in encoder.walk() if n.name in kinds]
        assert len(layers) == 5 * len(kinds) and all(n._func is ours_of[n.name] for n in layers)
        docs = [nlp.make_doc(t) for t in texts]
        ours = [encoder.predict(docs[i:i + 32]) for i in range(0, len(docs), 32)]
        for n in layers:
            n._func = _thinc_forward(n.name)
        try:
            theirs = [encoder.predict(docs[i:i + 32]) for i in range(0, len(docs), 32)]
        finally:
            for n in layers:
                n._func = ours_of[n.name]
        # A list of vectors per document (tok2vec), or one array for the batch (the recogniser's).
        flat = [(a, b) for x, y in zip(ours, theirs) for a, b in (zip(x, y) if isinstance(x, list) else [(x, y)])]
        assert sum(len(a) for a, _ in flat) > 25_000
        assert all(a.dtype == b.dtype and numpy.array_equal(a, b) for a, b in flat)
    for name in kinds:
        layer = next(n for n in encoders[0].walk() if n.name == name)
        X = numpy.linspace(-3, 5, 3 * layer.get_dim("nI"), dtype="float32").reshape(3, -1)
        out, backprop = layer(X, is_train=True)  # thinc's layer: it can learn
        assert backprop(numpy.ones_like(out)).shape == X.shape
        with pytest.raises(RuntimeError, match="asked to learn"):
            layer(X, is_train=False)[1](numpy.ones_like(out))


def _embedded(nlp, docs, batch: int = 32) -> list:
    """Each document's word vectors from the embedding layers of the two
    encoders (tok2vec's, the entity recogniser's), in batches of ``batch``."""
    layers = [nlp.get_pipe("tok2vec").model.layers[0],
              nlp.get_pipe("accord_names").ner.model.get_ref("tok2vec").layers[0].layers[0]]
    assert all(layer.layers[0].name == "extract_features" and layer.layers[-1].name == "ragged2list"
               for layer in layers)
    return [[v for i in range(0, len(docs), batch) for v in layer.predict(docs[i:i + batch])] for layer in layers]


def test_cached_embeddings_are_the_layers_vectors():
    """The embedding layers, looking their words up in a cache, give each
    word the vector the layer itself gives it (within the last bits of a
    float, which the layer's own products vary by as much with the size of
    the batch); a word is embedded once, then found; the tags, parses and
    entities are those of the pipeline without the cache."""
    import numpy

    nlp = load_nlp()
    caches = embedding_caches(nlp)
    assert len(caches) == 2
    for cache in caches:
        cache.clear()
    docs = [nlp.make_doc(t) for t in _texts()]
    words = sum(len(d) for d in docs)
    ours = _embedded(nlp, docs)
    assert words > 25_000 and all(0 < len(cache) < words / 3 for cache in caches)
    with uncached_embeddings(nlp):
        theirs = _embedded(nlp, docs)
        stock = [_labels(d) for d in nlp.pipe(_texts()[:60])]
    for mine, layers in zip(ours, theirs):
        assert [v.shape for v in mine] == [v.shape for v in layers] and all(v.dtype == "float32" for v in mine)
        assert all(numpy.allclose(a, b, rtol=0, atol=1e-5) for a, b in zip(mine, layers))
    sizes = [len(cache) for cache in caches]
    again = _embedded(nlp, list(reversed(docs)), batch=7)  # other batches: every word found, the same numbers
    assert [len(cache) for cache in caches] == sizes
    assert all(numpy.array_equal(a, b) for mine, other in zip(ours, again) for a, b in zip(mine, reversed(other)))
    assert [_labels(d) for d in nlp.pipe(_texts()[:60])] == stock


def _labels(doc) -> list[tuple]:
    return [(t.tag_, t.dep_, t.head.i, t.ent_type_, t.ent_iob_) for t in doc]


def test_a_full_embedding_cache_starts_anew():
    """A cache that fills is emptied and filled again; a batch with more
    distinct words than the cache holds is embedded by the layer itself;
    the vectors are the same either way, and training goes through the
    layer's own function."""
    import functools

    import numpy

    from accord.nlp.model import EmbeddingCache, _cached_layers

    nlp = load_nlp()
    node = _cached_layers(nlp)[0]
    kept = node._func
    docs = [nlp.make_doc(t) for t in _texts()[:40]]
    with uncached_embeddings(nlp):
        theirs = [v for i in range(0, len(docs), 4) for v in node.predict(docs[i:i + 4])]
    distinct = [len({tuple(row) for row in node.layers[0].predict([doc])[0].tolist()}) for doc in docs]
    rows = max(distinct)  # room for any one document's words, not for all of them
    assert sum(distinct) > 3 * rows
    small = EmbeddingCache(node.get_dim("nO"), rows=rows)
    node._func = functools.partial(kept.func, original=kept.keywords["original"], cache=small)
    try:
        seen = []
        ours = []
        for doc in docs:
            ours += node.predict([doc])
            seen.append(len(small))
        assert max(seen) <= rows and any(b < a for a, b in zip(seen, seen[1:]))  # it filled and started anew
        assert all(numpy.allclose(a, b, rtol=0, atol=1e-5) for a, b in zip(ours, theirs))
        tiny = EmbeddingCache(node.get_dim("nO"), rows=5)
        node._func = functools.partial(kept.func, original=kept.keywords["original"], cache=tiny)
        whole = node.predict(docs[:4])  # more distinct words than it holds: the layer's own vectors
        assert len(tiny) == 0 and all(numpy.array_equal(a, b) for a, b in zip(whole, theirs[:4]))
        out, backprop = node(docs[:2], is_train=True)
        assert len(out) == 2 and callable(backprop) and len(tiny) == 0
        assert node.predict([]) == [] and [v.shape for v in node.predict([nlp.make_doc("")])] == [(0, 96)]
    finally:
        node._func = kept
