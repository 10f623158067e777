"""Language of a text: writing system first, then frequent function words."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from importlib import resources

from .lines import ascii_letters

SCRIPTS = [  # (first, last code point, language when the script dominates)
    (0x0B80, 0x0BFF, "ta"), (0x0E00, 0x0E7F, "th"), (0x0600, 0x06FF, "ar"),
    (0x0590, 0x05FF, "he"), (0x0900, 0x097F, "hi"), (0x3040, 0x30FF, "ja"),
    (0xAC00, 0xD7AF, "ko"), (0x4E00, 0x9FFF, "zh"), (0x0400, 0x04FF, "ru"),
    (0x0E80, 0x0EFF, "lo"), (0x1780, 0x17FF, "km"), (0x1000, 0x109F, "my"),
]

SCRIPTS_FROM = min(lo for lo, _, _ in SCRIPTS)


@lru_cache(maxsize=1)
def _stopwords() -> dict[str, frozenset[str]]:
    out = {}
    text = resources.files("accord.data").joinpath("stopwords.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            lang, words = line.split("\t")
            out[lang] = frozenset(words.split())
    return out


def detect(text: str) -> str | None:
    sample = text[:4000]
    counts: dict[str, int] = {}
    if sample.isascii():  # no script of SCRIPTS: count the letters only
        n_letters = ascii_letters(sample)[0]
    else:
        letters = [c for c in sample if c.isalpha()]
        n_letters = len(letters)
        for c in letters:
            cp = ord(c)
            if cp < SCRIPTS_FROM:
                continue
            for lo, hi, lang in SCRIPTS:
                if lo <= cp <= hi:
                    counts[lang] = counts.get(lang, 0) + 1
                    break
    if n_letters < 20:
        return None
    if counts:
        lang, n = max(counts.items(), key=lambda kv: kv[1])
        if n > n_letters * 0.3:
            if lang == "ru" and any(ch in sample for ch in "ӨөҮү"):
                return "mn"
            return lang
    words = Counter(w.strip(".,;:!?\"'()“”‘’").lower() for w in sample.split())
    scores = {lang: sum(words[w] for w in sw.intersection(words)) for lang, sw in _stopwords().items()}
    lang, best = max(scores.items(), key=lambda kv: kv[1])
    if best < 3:
        return None
    if lang in ("ms", "id"):  # Malay and Indonesian share most function words
        ms, id_ = scores["ms"], scores["id"]
        lang = "ms" if ms >= id_ else "id"
    return lang
