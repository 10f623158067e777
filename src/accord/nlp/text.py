"""Text helpers shared by the stages: diacritic folding that keeps offsets,
and the tokeniser the gazetteers match on."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import accumulate

_SPECIAL = {"đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ß": "s", "’": "'", "‘": "'", "ı": "i"}


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    if c in _SPECIAL:
        return _SPECIAL[c]
    if ord(c) < 128:
        return c
    base = unicodedata.normalize("NFD", c)[0]
    return base if unicodedata.category(base)[0] in "LN" or base in " '" else c


def fold(text: str) -> str:
    """Strip diacritics one character for one, so offsets stay valid:
    ``fold("Tô Lâm") == "To Lam"``."""
    if text.isascii():
        return text
    return text.translate({ord(c): _fold_char(c) for c in set(text) if ord(c) >= 128})


# Words (with inner apostrophes, but "'s" apart: "Malaysia's"), dotted
# abbreviations (U.S., D.C.), and hyphens as tokens of their own so
# "Vietnam-Singapore" is two names.
TOKEN = re.compile(r"\w+(?:\.\w+)+\.?|\w+(?:'(?!s\b)\w+)*|'s\b|-")


def tokens(text: str) -> list[tuple[str, int, int]]:
    """(token, start, end) over the folded text."""
    return [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(fold(text))]


_SPLIT = re.compile("(" + TOKEN.pattern + ")")  # TOKEN's matches, and the text between them


class Words:
    """The tokens of a long text (``TOKEN`` over the folded text) as plain
    strings, ``words``, with a token's place worked out only when asked
    (``span``): no match object per word, the bulk of the cost of a
    ``finditer`` over an article when only a few of its words start a name."""

    __slots__ = ("words", "_parts", "_ends")

    def __init__(self, text: str) -> None:
        self._parts = _SPLIT.split(fold(text))  # text before, word, text between, word, ..., text after
        self.words = self._parts[1::2]
        self._ends: list[int] | None = None

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Where words ``first`` to ``last`` (both included) are in the text."""
        if self._ends is None:
            self._ends = list(accumulate(map(len, self._parts)))
        return self._ends[2 * first], self._ends[2 * last + 1]


TEXT_KEY = "accord.text"  # doc.user_data: the document's text, joined once


def doc_text(doc) -> str:
    """A parsed document's text.  spaCy joins its tokens again at every
    ``doc.text``; the coder asks for it often, so it is kept."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


def span_text(span) -> str:
    """``span.text``, cut from the document's kept text."""
    return doc_text(span.doc)[span.start_char:span.end_char]


_SIMPLE = re.compile(r"[A-Za-z0-9]+(?: [A-Za-z0-9]+)*")


def key(name: str) -> str:
    """The lookup key of a name: folded tokens joined by single spaces."""
    if _SIMPLE.fullmatch(name):
        return name  # plain words: already their own key
    return " ".join(t for t, _, _ in tokens(name))
