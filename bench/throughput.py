"""Throughput on a news mix, against the floor of the clean stage and a full
spaCy parse of the same texts, in one run of this script.

    .venv/bin/python bench/throughput.py [--docs 500] [--diplomatic 0.2] [--repeat 3]

The mix: ``--diplomatic`` of the documents are diplomatic news (the seeds
and the dev articles of ../shared/data/articles, repeated as needed), the
rest unrelated news (Reuters stories of ../shared/data/reuters21578_sample.jsonl).
Prints documents per second for

- accord end to end: ``accord.ingest`` of the texts as files into a new
  SQLite store (read, clean, code, store, resolve);
- accord extract: read, clean and code, without the store;
- trafilatura alone on HTML renderings of the same texts (the floor of the
  clean stage for web pages);
- a full spaCy parse of the same texts: ``en_core_web_sm`` as it ships
  (tagger, parser, attribute ruler, lemmatizer, NER) on every word;
- the same full parse with its matrices multiplied by numpy's BLAS, as
  accord has them (``use_numpy_blas``), to tell that share of the speed-up;
- the same parse with accord's components (sentence guard, table-driven
  attribute ruler and lemmatizer, the entity recogniser on windows where a
  name may be, embeddings made once per word), to tell their share of the
  speed-up from the first pass's;
- that parse of the sentences the first pass keeps, alone: the share of
  the text kept, and the ceiling it puts on the end-to-end ratio;

the full parse (stock and on numpy's BLAS), accord end to end, extract and the kept-text parse in
``--repeat`` turns, each ratio the median of its turns' ratios (a shared
machine's speed drifts by tens of percent within minutes; a turn's runs are
close in time);

each of accord's runs starting with empty embedding caches, as a new
worker would (``accord.nlp.model.EmbeddingCache``: a word's vector, once
made, is found again, in this run only);

with their ratios, the peak memory of this process (one worker), and the
events the first pass loses: events found when every paragraph is parsed
that are missing when only the paragraphs the first pass picks are, on the
seeds, the dev articles and the PLOVER dev records.
"""

from __future__ import annotations

import argparse
import html
import json
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import spacy
import thinc

import accord
import accord.store  # imported (SQLAlchemy, datasketch) before any clock starts, as the models are loaded
from accord.code import _masked, _select, code_many, worth_coding
from accord.models import Article
from accord.nlp.gazetteer import gazetteer
from accord.nlp.model import embedding_caches, load_nlp, shipped_model, use_numpy_blas
from accord.pipeline import extract_paths
from accord.read.files import content_id
from accord.settings import Settings

SHARED = Path(__file__).resolve().parents[2] / "shared"
REUTERS = SHARED / "data" / "reuters21578_sample.jsonl"
DEV = SHARED / "data" / "articles"
PLOVER = SHARED / "data" / "plover_gsr_dev.json"
SEEDS = SHARED / "seeds"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def mix(n: int, diplomatic: float) -> list[str]:
    """``n`` texts, ``diplomatic`` of them diplomatic news, interleaved."""
    dip = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")) + sorted(DEV.glob("*.txt"))]
    other = [json.loads(line)["text"] for line in REUTERS.read_text(encoding="utf-8").splitlines() if line.strip()]
    n_dip = round(n * diplomatic)
    dips = [dip[i % len(dip)] + ("" if i < len(dip) else f"\n\n(Copy {i // len(dip)}.)") for i in range(n_dip)]
    others = other[: n - n_dip]
    out, step = [], (len(others) / max(1, n_dip))
    j = 0
    for i, d in enumerate(dips):
        stop = round((i + 1) * step)
        out.extend(others[j:stop])
        out.append(d)
        j = stop
    return out + others[j:]


def page(text: str) -> str:
    """A news page around ``text``: navigation, the article, a footer."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()] or [text]
    body = "\n".join(f"<p>{html.escape(' '.join(p.split()))}</p>" for p in paragraphs[1:] or paragraphs)
    title = html.escape(" ".join(paragraphs[0].split())[:120])
    return (f"<!doctype html><html><head><title>{title}</title><meta charset='utf-8'></head><body>"
            "<nav><a href='/'>Home</a> <a href='/world'>World</a> <a href='/business'>Business</a></nav>"
            f"<main><article><h1>{title}</h1>{body}</article></main>"
            "<footer><p>Copyright The Daily Example. All rights reserved.</p><a href='/terms'>Terms</a></footer>"
            "</body></html>")


def events_lost(texts: list[tuple[str, str]]) -> tuple[int, int]:
    """Events the full parse finds that the first pass misses, and the
    events of the full parse.  Found means: an event of the same type and
    countries whose evidence overlaps (sentence bounds may differ a little,
    since the parser sees runs of sentences instead of whole paragraphs)."""
    articles = [Article(id=content_id(t.encode()), text=t, source=s, language="en") for s, t in texts]
    full = list(code_many(articles, first_pass=False))
    picked = list(code_many(articles, first_pass=True))
    lost = total = 0
    for whole, cut in zip(full, picked):
        for e in getattr(whole, "events", ()):
            total += 1
            lo, hi = e.evidence[0].start, e.evidence[0].end
            lost += not any(x.type == e.type and set(x.countries) == set(e.countries)
                            and x.evidence[0].start < hi and lo < x.evidence[0].end for x in getattr(cut, "events", ()))
    return lost, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=500)
    parser.add_argument("--diplomatic", type=float, default=0.2, help="share of diplomatic news in the mix")
    parser.add_argument("--repeat", type=int, default=3,
                        help="turns of the full spaCy parse and accord's runs; each ratio is the median over them")
    parser.add_argument("--skip-losses", action="store_true", help="leave out the first-pass check")
    args = parser.parse_args()
    if args.repeat < 1 or args.docs < 1 or not 0 <= args.diplomatic <= 1:
        parser.error("--repeat and --docs must be at least 1, --diplomatic between 0 and 1")
    texts = mix(args.docs, args.diplomatic)
    words = sum(len(t.split()) for t in texts)
    work = Path(tempfile.mkdtemp(prefix="accord-bench-"))
    try:
        folder = work / "mix"
        folder.mkdir()
        for i, t in enumerate(texts):
            (folder / f"{i:06d}.txt").write_text(t, encoding="utf-8")
        pages = [page(t) for t in texts]

        nlp = load_nlp()  # accord's runs share the loaded model
        stock = shipped_model()
        stock("Vietnam and Singapore signed an agreement in Hanoi.")
        blas = shipped_model()
        use_numpy_blas(blas)
        blas("Vietnam and Singapore signed an agreement in Hanoi.")
        list(code_many([Article(id="warm", text="Vietnam and Singapore signed an agreement in Hanoi.", language="en")]))

        import trafilatura
        start = time.perf_counter()
        for p in pages:
            trafilatura.extract(p, include_comments=False, include_tables=False, favor_precision=True)
        trafilatura_s = time.perf_counter() - start

        kept = []
        for i, t in enumerate(texts):
            if worth_coding(Article(id=str(i), text=t, language="en")):
                masked = _masked(t)
                kept += [chunk for _, chunk in _select(masked, gazetteer().find(masked))[0]]
        names = nlp.get_pipe("accord_names")
        caches = embedding_caches(nlp)

        def cold() -> None:
            """Each of accord's runs starts with empty embedding caches, as a new worker would."""
            for cache in caches:
                cache.clear()

        looked_up = embedded = 0
        tokens = read = 0

        # The ratios: the full parse and accord's runs in turns, each turn close in time, since a shared
        # machine's speed drifts by tens of percent over minutes; each ratio is the median over the turns.
        turns = []
        for r in range(args.repeat):
            start = time.perf_counter()
            for _ in stock.pipe(texts, batch_size=32):
                pass
            spacy_s = time.perf_counter() - start
            cold()
            start = time.perf_counter()
            with accord.open(f"sqlite:///{work / f'bench{r}.db'}") as store:
                summary = accord.ingest([str(folder)], store)
            ingest_s = time.perf_counter() - start
            cold()
            counts = [(c.words, c.embedded) for c in caches]
            start = time.perf_counter()
            results = list(extract_paths([str(folder)], Settings()))
            extract_s = time.perf_counter() - start
            looked_up += sum(c.words - w for c, (w, _) in zip(caches, counts))
            embedded += sum(c.embedded - e for c, (_, e) in zip(caches, counts))
            seen = names.tokens, names.read
            cold()
            start = time.perf_counter()
            for _ in nlp.pipe(kept, batch_size=64):
                pass
            kept_s = time.perf_counter() - start
            tokens, read = tokens + names.tokens - seen[0], read + names.read - seen[1]
            start = time.perf_counter()
            for _ in blas.pipe(texts, batch_size=32):
                pass
            blas_s = time.perf_counter() - start
            turns.append((spacy_s, ingest_s, extract_s, kept_s, blas_s))
        windows = read / max(1, tokens)
        events = sum(len(getattr(r, "events", ())) for r in results)
        spacy_s, ingest_s, extract_s, kept_s, blas_s = (statistics.median(column) for column in zip(*turns))
        ratio, ratio_extract, ceiling = (statistics.median(turn[0] / turn[i] for turn in turns) for i in (1, 2, 3))
        blas_gain = statistics.median(turn[0] / turn[4] for turn in turns)
        ratio_blas = statistics.median(turn[4] / turn[1] for turn in turns)

        cold()
        start = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=32):
            pass
        ours_s = time.perf_counter() - start

        peak = rss_mb()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    n = len(texts)
    print(f"mix: {n} documents ({round(n * args.diplomatic)} diplomatic, {n - round(n * args.diplomatic)} unrelated), "
          f"{words:,} words; spaCy {spacy.__version__}, thinc {thinc.__version__}, one thread")
    for name, seconds in (("accord ingest (end to end)", ingest_s), ("accord extract (no store)", extract_s),
                          ("trafilatura alone (HTML)", trafilatura_s), ("spaCy full parse", spacy_s),
                          ("spaCy full parse, numpy BLAS", blas_s),
                          ("accord's parse, every word", ours_s), ("accord's parse, kept text", kept_s)):
        print(f"{name:30} {seconds:7.2f} s  {n / seconds:7.1f} docs/s  {words / seconds:8.0f} words/s")
    print(f"(medians of {len(turns)} turns of the two full parses and accord's runs; the other lines are one run each)")
    print(f"accord end to end / spaCy full parse: {ratio:.2f}x (the turns: "
          f"{', '.join(f'{turn[0] / turn[1]:.2f}x' for turn in turns)})")
    print(f"extract / spaCy: {ratio_extract:.2f}x   "
          f"accord end to end / trafilatura alone: {trafilatura_s / ingest_s:.2f}x")
    print(f"of that, numpy's BLAS: a full parse {blas_gain:.2f}x as fast; accord end to end against "
          f"that parse: {ratio_blas:.2f}x")
    print(f"the first pass keeps {sum(map(len, kept)) / sum(map(len, texts)):.0%} of the characters; parsing them "
          f"alone caps accord end to end at {ceiling:.2f}x a full parse")
    print(f"the entity recogniser reads {windows:.0%} of the kept text's words (windows where a name may be)")
    print(f"the encoders' embedding layers, starting empty each run, embedded {embedded / max(1, looked_up):.0%} "
          f"of the words they read; they found the others' vectors made")
    print(f"events: {events}; stored {summary.new} new, {summary.failed} failed; "
          f"peak memory of this worker: {peak:.0f} MB")
    if not args.skip_losses:
        dev = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt")) + sorted(DEV.glob("*.txt"))]
        lost, total = events_lost(dev)
        print(f"first pass, seeds and dev articles: {lost} of {total} events lost")
        records = [r for r in json.loads(PLOVER.read_text(encoding="utf-8")) if r.get("text")]
        lost, total = events_lost([(r.get("id", ""), r["text"]) for r in records])
        print(f"first pass, PLOVER dev records: {lost} of {total} events lost")


if __name__ == "__main__":
    main()
