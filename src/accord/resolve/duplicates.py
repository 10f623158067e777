"""Near-duplicate articles (republished copies) by MinHash over word
shingles, indexed with locality-sensitive hashing."""

from __future__ import annotations

import re

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 64
SHINGLE = 5
_WORD = re.compile(r"\w+")


def signature(text: str) -> MinHash:
    words = _WORD.findall(text.lower())
    m = MinHash(num_perm=NUM_PERM)
    shingles = {" ".join(words[i:i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    m.update_batch([s.encode("utf-8") for s in shingles])
    return m


def to_bytes(m: MinHash) -> bytes:
    return m.hashvalues.astype(np.uint64).tobytes()


def from_bytes(data: bytes) -> MinHash:
    return MinHash(num_perm=NUM_PERM, hashvalues=np.frombuffer(data, dtype=np.uint64))


class DuplicateIndex:
    """Finds, for a new article, an earlier article it is a copy of."""

    def __init__(self, threshold: float = 0.8) -> None:
        self.threshold = threshold
        self.lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self.signatures: dict[str, MinHash] = {}

    def add(self, article_id: str, m: MinHash) -> None:
        if article_id not in self.signatures:
            self.lsh.insert(article_id, m)
            self.signatures[article_id] = m

    def copy_of(self, m: MinHash) -> str | None:
        best, best_score = None, 0.0
        for candidate in self.lsh.query(m):
            score = m.jaccard(self.signatures[candidate])
            if score >= self.threshold and (score > best_score or (score == best_score and candidate < (best or "~"))):
                best, best_score = candidate, score
        return best
