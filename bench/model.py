"""The learned type model's costs: file size, load time and time per
candidate, against a spaCy parse of the same sentences in the same process.

    .venv/bin/python bench/model.py [--n 300]
"""

from __future__ import annotations

import argparse
import json
import time

from accord.code import model as tm
from accord.nlp.model import load_nlp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300)
    args = parser.parse_args()
    path = tm.default_path()
    start = time.perf_counter()
    model = tm.TypeModel.from_json(json.loads(path.read_text(encoding="utf-8")))
    load_s = time.perf_counter() - start
    examples = tm.corpus_examples()[: args.n]
    nlp = load_nlp()
    start = time.perf_counter()
    docs = list(nlp.pipe((e.text for e in examples), batch_size=64))
    parse_s = time.perf_counter() - start
    tokens = [t for d in docs for t in d if t.pos_ in ("VERB", "NOUN")]
    start = time.perf_counter()
    for t in tokens:
        model.predict(t)
    predict_s = time.perf_counter() - start
    print(f"model file: {path.stat().st_size / 1e6:.1f} MB, {len(model.features)} features, {len(model.classes)} classes")
    print(f"load: {load_s * 1000:.0f} ms")
    print(f"{len(tokens)} candidates (every verb and noun of {len(docs)} sentences): "
          f"{predict_s / len(tokens) * 1000:.3f} ms each")
    print(f"parse of the same sentences: {parse_s / len(docs) * 1000:.2f} ms a sentence; "
          f"scoring every candidate costs {predict_s / parse_s:.2f}x the parse")


if __name__ == "__main__":
    main()
