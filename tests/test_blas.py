"""spaCy's parser and entity recogniser on numpy's OpenBLAS
(``accord.nlp.blas``): the C library is built at install and in place in
accord's pipeline; its products are OpenBLAS's; the labels are those of
thinc's BLIS; without the library, thinc's BLIS stays."""

from __future__ import annotations

import ctypes

import numpy
import pytest
from thinc.api import NumpyOps

from accord.nlp import blas
from accord.nlp.model import _layers, load_nlp

from test_pipes import _labels, _texts


def _floats(array):
    return array.ctypes.data_as(ctypes.POINTER(ctypes.c_float))


def test_the_library_is_built_and_in_the_pipeline():
    assert blas.shim() is not None, "src/accord/nlp/_openblas.c was not built: is there a C compiler? (make install)"
    assert blas.loaded_sgemm() is not None
    cblas = blas.openblas_cblas()
    assert cblas is not None
    nlp = load_nlp()
    models = [nlp.get_pipe("tok2vec").model, nlp.get_pipe("parser").model, nlp.get_pipe("accord_names").ner.model]
    for model in models:
        assert isinstance(model.ops, blas.OpenBLASOps) and model.ops.cblas() is cblas and not model.ops.use_blis


@pytest.mark.parametrize("trans_a", [False, True])
@pytest.mark.parametrize("trans_b", [False, True])
def test_the_shims_sgemm_is_a_row_major_product(trans_a, trans_b):
    """``accord_sgemm`` (thinc's signature) on OpenBLAS: C = alpha op(A) op(B) + beta C,
    with leading dimensions wider than the matrices, as numpy computes it."""
    library = blas.shim()
    assert blas.openblas_cblas() is not None  # hands the library OpenBLAS's sgemm
    rng = numpy.random.default_rng(7)
    m, n, k = 37, 106, 64
    a = rng.standard_normal((k, m) if trans_a else (m, k)).astype("float32")
    b = rng.standard_normal((n, k) if trans_b else (k, n)).astype("float32")
    wide_a = numpy.zeros((a.shape[0], a.shape[1] + 3), "float32")
    wide_a[:, :a.shape[1]] = a
    c = rng.standard_normal((m, n + 5)).astype("float32")
    expected = 0.5 * ((a.T if trans_a else a) @ (b.T if trans_b else b)) + 2.0 * c[:, :n]
    library.accord_sgemm.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                                     ctypes.c_float, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p, ctypes.c_int,
                                     ctypes.c_float, ctypes.c_void_p, ctypes.c_int]
    untouched = c[:, n:].copy()
    library.accord_sgemm(trans_a, trans_b, m, n, k, 0.5, _floats(wide_a), wide_a.shape[1], _floats(b), b.shape[1],
                         2.0, _floats(c), c.shape[1])
    assert numpy.allclose(c[:, :n], expected, rtol=1e-5, atol=1e-4)
    assert numpy.array_equal(c[:, n:], untouched)


def test_the_shims_saxpy_walks_its_increments_as_blas_does():
    library = blas.shim()
    library.accord_saxpy.argtypes = [ctypes.c_int, ctypes.c_float, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p,
                                     ctypes.c_int]
    x = numpy.arange(1, 13, dtype="float32")
    for inc_x, inc_y in ((1, 1), (2, 1), (1, 3), (-2, 1), (3, -1)):
        n = 4
        y = numpy.linspace(-1, 1, 12, dtype="float32")
        xs = x[::abs(inc_x)][:n]
        ys = numpy.arange(0, n * abs(inc_y), abs(inc_y))
        if inc_x < 0:
            xs = xs[::-1]
        if inc_y < 0:
            ys = ys[::-1]
        expected = y.copy()
        expected[ys] += 1.5 * xs
        library.accord_saxpy(n, 1.5, _floats(x), inc_x, _floats(y), inc_y)
        assert numpy.array_equal(y, expected), (inc_x, inc_y)


def test_openblas_gives_the_labels_of_thincs_blis():
    """The parser and the entity recogniser step on OpenBLAS or on thinc's
    BLIS: the same tags, parses and entities on the seeds, the dev
    articles and 80 Reuters stories; and the hash embeddings, which sum
    their rows with the CBlas's saxpy, the same vectors."""
    nlp = load_nlp()
    texts = _texts()
    ours = [_labels(doc) for doc in nlp.pipe(texts)]
    layers = list(_layers(nlp))
    kept = [layer.ops for layer in layers]
    assert all(isinstance(ops, blas.OpenBLASOps) for ops in kept)
    plain = NumpyOps(use_blis=False)  # its CBlas: thinc's BLIS
    try:
        for layer in layers:
            layer.ops = plain
        theirs = [_labels(doc) for doc in nlp.pipe(texts)]
    finally:
        for layer, ops in zip(layers, kept):
            layer.ops = ops
    assert sum(map(len, ours)) > 25_000 and ours == theirs
    table = numpy.random.default_rng(3).standard_normal((50, 96)).astype("float32")
    indices = numpy.random.default_rng(4).integers(0, 50, size=(200, 4)).astype("int32")
    assert numpy.array_equal(kept[0].gather_add(table, indices), plain.gather_add(table, indices))


def test_without_the_library_thincs_blis_stays(monkeypatch, tmp_path):
    assert blas.shim(tmp_path) is None  # a folder without the library
    monkeypatch.setattr(blas, "shim", lambda folder=None: None)
    blas.openblas_cblas.cache_clear()
    try:
        assert blas.openblas_cblas() is None
        ops = blas.openblas_ops()
        assert type(ops) is NumpyOps and not ops.use_blis
    finally:
        monkeypatch.undo()
        blas.openblas_cblas.cache_clear()
    assert blas.openblas_cblas() is not None
