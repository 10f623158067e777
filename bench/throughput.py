"""Throughput of `accord extract` against a full spaCy parse of the same
texts, in the same process.

    .venv/bin/python bench/throughput.py [--n 500] [--data ../shared/data/reuters21578_sample.jsonl]

Prints documents and words per second for both, and the ratio: accord reads,
cleans, codes events and commitments; the baseline only runs spaCy's whole
pipeline (tagger, parser, NER) over every text.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

from accord.models import RawDocument
from accord.nlp.model import load_nlp
from accord.pipeline import extract_documents
from accord.read.files import content_id
from accord.settings import Settings

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "reuters21578_sample.jsonl"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(DEFAULT))
    parser.add_argument("--n", type=int, default=500)
    args = parser.parse_args()
    records = [json.loads(line) for line in Path(args.data).read_text(encoding="utf-8").splitlines() if line.strip()][: args.n]
    texts = [r["text"] for r in records]
    words = sum(len(t.split()) for t in texts)
    docs = [RawDocument(id=content_id(t.encode()), source=f"{args.data}:{i + 1}", text=t, kind="text",
                        published=r.get("published"), outlet=r.get("outlet")) for i, (t, r) in enumerate(zip(texts, records))]

    nlp = load_nlp()  # both runs share the loaded model
    nlp("warm up")
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    spacy_s = time.perf_counter() - start

    start = time.perf_counter()
    results = list(extract_documents(docs, Settings()))
    accord_s = time.perf_counter() - start
    events = sum(len(getattr(r, "events", ())) for r in results)
    failed = sum(1 for r in results if not hasattr(r, "events"))

    print(f"documents: {len(texts)}  words: {words}")
    print(f"spaCy full parse : {spacy_s:7.2f} s  {len(texts) / spacy_s:8.1f} docs/s  {words / spacy_s:9.0f} words/s")
    print(f"accord extract   : {accord_s:7.2f} s  {len(texts) / accord_s:8.1f} docs/s  {words / accord_s:9.0f} words/s"
          f"  ({events} events, {failed} documents dropped)")
    print(f"ratio accord / spaCy throughput: {spacy_s / accord_s:.2f}x")
    print(f"peak resident memory: {rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
