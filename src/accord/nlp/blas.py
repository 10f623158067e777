"""spaCy's parser and entity recogniser on numpy's OpenBLAS.

The parser and the entity recogniser step through their states in C, and
at every step multiply the states' hidden layer by the output weights
(``sgemm``) and sum each state's features (``saxpy``) with the functions
of a thinc ``CBlas``: BLIS, as thinc fills it.  The BLIS of the wheel runs
its generic reference kernels on the machines accord was measured on, a
few times slower than numpy's OpenBLAS on the same products.

thinc lets a ``CBlas``'s functions be replaced (``set_sgemm``,
``set_saxpy``, which its Cython module exports).  A few lines of C
(``_openblas.c``, built when accord is installed) give OpenBLAS's
``cblas_sgemm``, found in the library numpy loaded, thinc's signature.
Where that library was not built (no C compiler at install) or no OpenBLAS
is loaded, thinc's BLIS stays: the same labels, more slowly.
"""

from __future__ import annotations

import ctypes
from functools import lru_cache
from importlib import machinery
from pathlib import Path

from thinc.api import NumpyOps

LIBRARY = "_openblas"  # the C file's shared library, next to this module
# cblas_sgemm as OpenBLAS builds name it, with the width of their integers: numpy's own first.
SGEMM = (("scipy_cblas_sgemm64_", 64), ("cblas_sgemm64_", 64), ("scipy_cblas_sgemm", 32), ("cblas_sgemm", 32))


class OpenBLASOps(NumpyOps):
    """thinc's ``NumpyOps`` whose ``CBlas`` is on OpenBLAS."""

    def cblas(self):
        return openblas_cblas() or super().cblas()


def openblas_ops() -> NumpyOps:
    """thinc's ``NumpyOps`` without BLIS (numpy's matrix products), with
    its ``CBlas`` on OpenBLAS when ``openblas_cblas`` can make one."""
    return OpenBLASOps(use_blis=False) if openblas_cblas() is not None else NumpyOps(use_blis=False)


@lru_cache(maxsize=1)
def openblas_cblas():
    """A thinc ``CBlas`` whose sgemm is OpenBLAS's and whose saxpy is
    ``_openblas.c``'s; None where either part is missing."""
    library, sgemm = shim(), loaded_sgemm()
    if library is None or sgemm is None:
        return None
    address, bits = sgemm
    if library.accord_use_sgemm(ctypes.c_void_p(address), bits) != 0:
        return None
    from thinc.backends.cblas import CBlas

    cblas = CBlas()
    _thinc_setter("set_sgemm")(cblas, ctypes.cast(library.accord_sgemm, ctypes.c_void_p).value)
    _thinc_setter("set_saxpy")(cblas, ctypes.cast(library.accord_saxpy, ctypes.c_void_p).value)
    return cblas


def shim(folder: Path | None = None) -> ctypes.CDLL | None:
    """``_openblas.c`` as built at install, or None."""
    folder = folder or Path(__file__).parent
    for suffix in machinery.EXTENSION_SUFFIXES:
        path = folder / f"{LIBRARY}{suffix}"
        if path.is_file():
            try:
                library = ctypes.CDLL(str(path))
            except OSError:
                return None
            library.accord_use_sgemm.argtypes = [ctypes.c_void_p, ctypes.c_int]
            library.accord_use_sgemm.restype = ctypes.c_int
            return library
    return None


def loaded_sgemm() -> tuple[int, int] | None:
    """(address, integer bits) of ``cblas_sgemm`` in an OpenBLAS this
    process has loaded (numpy's), or None."""
    import numpy  # noqa: F401  (loads its OpenBLAS)
    from threadpoolctl import threadpool_info

    paths = [info["filepath"] for info in threadpool_info() if info.get("internal_api") == "openblas"]
    for path in sorted(paths, key=lambda p: "numpy" not in p):
        try:
            library = ctypes.CDLL(path)
        except OSError:
            continue
        for name, bits in SGEMM:
            function = getattr(library, name, None)
            if function is not None:
                return ctypes.cast(function, ctypes.c_void_p).value, bits
    return None


def _thinc_setter(name: str):
    """thinc's ``set_sgemm`` or ``set_saxpy`` (exported by its Cython
    module), callable from Python: (CBlas, function address)."""
    from thinc.backends import cblas

    capsule = cblas.__pyx_capi__[name]
    get_name = ctypes.pythonapi.PyCapsule_GetName
    get_name.restype, get_name.argtypes = ctypes.c_char_p, [ctypes.py_object]
    get_pointer = ctypes.pythonapi.PyCapsule_GetPointer
    get_pointer.restype, get_pointer.argtypes = ctypes.c_void_p, [ctypes.py_object, ctypes.c_char_p]
    address = get_pointer(capsule, get_name(capsule))
    return ctypes.PYFUNCTYPE(None, ctypes.py_object, ctypes.c_void_p)(address)
