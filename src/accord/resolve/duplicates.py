"""Near-duplicate articles (republished copies) by MinHash over word
shingles, indexed with locality-sensitive hashing.

Signatures are stored in datasketch's own byte format (``LeanMinHash``),
which carries the permutation scheme, so an index rebuilt from the store
after a restart compares like with like.  Copies form groups: the connected
articles of the similarity graph, whatever order they arrived in.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterable

from datasketch import LeanMinHash, MinHash, MinHashLSH

NUM_PERM = 64
SHINGLE = 5
_WORD = re.compile(r"\w+")
_BYTEORDER = "<"  # the same bytes on every machine
SCHEME = MinHash(num_perm=1).scheme  # the permutation scheme every stored signature must share
_PERMUTATIONS = MinHash(num_perm=NUM_PERM).permutations  # made once: datasketch draws them anew per MinHash


SIGNED = 200_000  # characters of a text its signature is made of: copies share their opening


def signature(text: str) -> LeanMinHash:
    words = _WORD.findall(text[:SIGNED].lower())
    m = MinHash(num_perm=NUM_PERM, permutations=_PERMUTATIONS, scheme=SCHEME)
    shingles = {" ".join(words[i:i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    m.update_batch([s.encode("utf-8") for s in shingles])
    return LeanMinHash(m)


def to_bytes(m: LeanMinHash) -> bytes:
    buf = bytearray(m.bytesize(byteorder=_BYTEORDER))
    m.serialize(buf, byteorder=_BYTEORDER)
    return bytes(buf)


def from_bytes(data: bytes) -> LeanMinHash | None:
    """The signature stored by ``to_bytes``; None for bytes of another
    format (accord 0.1 stored bare values without their scheme), which the
    caller recomputes from the text."""
    try:
        m = LeanMinHash.deserialize(data, byteorder=_BYTEORDER)
    except (ValueError, TypeError, OverflowError, struct.error):
        return None
    return m if len(m.hashvalues) == NUM_PERM and getattr(m, "scheme", None) == SCHEME else None


class DuplicateIndex:
    """The articles seen so far, to find those a new one is a copy of."""

    def __init__(self, threshold: float = 0.8) -> None:
        self.threshold = threshold
        self.lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self.signatures: dict[str, LeanMinHash] = {}

    def add(self, article_id: str, m: LeanMinHash) -> None:
        if article_id not in self.signatures:
            self.lsh.insert(article_id, m)
            self.signatures[article_id] = m

    def remove(self, article_ids: Iterable[str]) -> None:
        for article_id in article_ids:
            if self.signatures.pop(article_id, None) is not None:
                self.lsh.remove(article_id)

    def matches(self, m: LeanMinHash) -> list[str]:
        """Every indexed article whose estimated similarity reaches the
        threshold, sorted."""
        return sorted(c for c in self.lsh.query(m) if m.jaccard(self.signatures[c]) >= self.threshold)
