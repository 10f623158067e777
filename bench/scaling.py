"""Scaling of `accord ingest --engine ray`: the same input with 1 and 2 Ray
workers, and the local engine for reference, in one run of this script.

    .venv/bin/python bench/scaling.py [--repeat 4] [--batch-size 20] [--workers 1 2] [--db sqlite|postgresql]

The input: the seeds and the dev articles of ../shared/data/articles,
``--repeat`` times (a copy differs by trailing blank lines, so that it is
new work and not a sighting), in batches of ``--batch-size`` for every
engine (200 articles make 10 batches, shared evenly by 1 or 2 workers).  Each run ingests into a new SQLite store and
is timed in parts: starting Ray (a fixed cost, paid once by a cluster that
is already up), the parallel part (clean and code on the workers, Parquet
written; each worker loads the models once), and the serial part on the
driver (read, Parquet read back, store and resolve).  Prints articles per
second, the speed-up of the parallel part, and what a cluster of N machines
like this one would sustain per day before the serial part stops it.
``--db postgresql`` stores into a PostgreSQL server of its own on loopback
(as the tests start one; a new database for each run) instead of SQLite
files: what a cluster's driver writes to.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import accord
from accord.code.model import type_model
from accord.nlp.gazetteer import gazetteer
from accord.nlp.model import load_nlp
from accord.pipeline import extract, extract_documents
from accord.run.ray_engine import RayEngine, cluster
from accord.settings import db_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from pgserver import temporary_server  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEV = SHARED / "data" / "articles"
SEEDS = SHARED / "seeds"
DAY = 86_400


def corpus(folder: Path, repeat: int) -> int:
    """The seeds and dev articles, ``repeat`` times, as files in ``folder``."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")) + sorted(DEV.glob("*.txt"))]
    n = 0
    for r in range(repeat):
        for text in texts:
            (folder / f"{n:05d}.txt").write_text(text + "\n" * r, encoding="utf-8")
            n += 1
    return n


class Local:
    """The local engine, with its clean-and-code time apart from storing."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    def __call__(self, docs, settings):
        docs = list(docs)
        started = time.perf_counter()
        done = list(extract_documents(docs, settings))
        self.timings = {"parallel": time.perf_counter() - started}
        return iter(done)


def run(folder: Path, url: str, extractor, settings: accord.Settings) -> tuple[float, dict]:
    started = time.perf_counter()
    with accord.open(url) as store:
        summary = accord.ingest([str(folder)], store, settings, extractor=extractor)
        counts = store.counts()
    assert summary.failed == 0, summary.failures
    return time.perf_counter() - started, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=4, help="times the dev articles and seeds are ingested")
    parser.add_argument("--batch-size", type=int, default=20, help="documents cleaned and coded together")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite",
                        help="the store the driver writes: SQLite files, or a PostgreSQL server of its own")
    args = parser.parse_args()
    with ExitStack() as stack:
        server = stack.enter_context(temporary_server()) if args.db == "postgresql" else None
        measure(args, server)


def store_url(server: str | None, work: Path, name: str) -> str:
    """A new, empty store for one run."""
    if server is None:
        return f"sqlite:///{work / (name + '.db')}"
    from sqlalchemy import create_engine

    engine = create_engine(db_url(server), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    engine.dispose()
    return db_url(server.rsplit("/", 1)[0] + "/" + name)


def measure(args, server: str | None) -> None:
    settings = accord.Settings(batch_size=args.batch_size)
    cores = os.cpu_count() or 1
    load_before = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="accord-scaling-"))
    try:
        folder = work / "input"
        folder.mkdir()
        n = corpus(folder, args.repeat)

        started = time.perf_counter()  # what each worker does once before its first batch
        load_nlp()
        gazetteer()
        type_model()
        extract("Vietnam and Azerbaijan signed an agreement in Baku on 7 May 2025.")
        models_s = time.perf_counter() - started

        local = Local()
        local_s, reference = run(folder, store_url(server, work, "local"), local, settings)
        rows = {0: ("local", None, local.timings["parallel"], local_s - local.timings["parallel"], local_s)}
        same = True
        for workers in args.workers:
            engine = RayEngine(workers)
            started = time.perf_counter()
            with cluster(workers):
                start_s = time.perf_counter() - started
                total_s, counts = run(folder, store_url(server, work, f"ray{workers}"), engine, settings)
            same = same and counts == reference
            parallel = engine.timings["parallel"]
            rows[workers] = (f"ray, {workers} worker{'s' * (workers > 1)}", start_s, parallel, total_s - parallel,
                             total_s)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"input: {n} articles (the {n // args.repeat} dev articles and seeds, {args.repeat} times), "
          f"{-(-n // args.batch_size)} batches; this machine: {cores} cores, load average {load_before:.1f} before "
          f"the runs; store: {'a PostgreSQL server on loopback' if server else 'SQLite files'}")
    print(f"{'engine':16} {'start':>7} {'parallel':>9} {'serial':>8} {'ingest':>8} {'articles/s':>11}")
    for name, start_s, parallel, serial, total in rows.values():
        print(f"{name:16} {'—' if start_s is None else f'{start_s:.1f}s':>7} {parallel:8.1f}s {serial:7.1f}s "
              f"{total:7.1f}s {n / total:11.2f}")
    print("start: a Ray cluster coming up here (none to pay on a cluster already running); parallel: clean and code, "
          "on Ray with the workers starting and the Parquet written; serial: read, Parquet read back, store and "
          f"resolve, on the driver; ingest: all but start; articles/s: of ingest. The same record from every engine: "
          f"{'yes' if same else 'NO'}")
    rate = n / rows[0][2]  # articles/s of one process with its models loaded: what one worker does
    print(f"one worker, models loaded: {rate:.2f} articles/s (the local engine's clean and code; loading the models "
          f"takes {models_s:.1f} s, once per worker)")
    if 1 not in rows or len(rows) < 3:
        return
    fixed = max(rows[1][2] - n / rate, 0.0)  # a Ray run's cost beyond the work: workers starting, Parquet
    most = max(rows)
    for workers in sorted(rows):
        if workers > 1:
            steady = (n / rate) / max(rows[workers][2] - fixed, 1e-9)
            print(f"speed-up, {workers} workers over 1: ingest {rows[1][4] / rows[workers][4]:.2f}x, parallel part "
                  f"{rows[1][2] / rows[workers][2]:.2f}x, and {steady:.2f}x without the {fixed:.1f} s a Ray run costs "
                  "before and after the work (workers starting and loading the models, Parquet)")
    efficiency = (n / rate) / max(rows[most][2] - fixed, 1e-9) / most
    machine = rate * cores * min(efficiency, 1.0)  # articles/s of the workers of one machine like this one
    serial = n / rows[most][3]  # articles/s the driver reads, stores and resolves
    print(f"a machine like this one ({cores} workers, {min(efficiency, 1.0):.0%} efficient): {machine:.1f} articles/s, "
          f"{machine * DAY:,.0f} a day; the driver's serial part: {serial:.1f} articles/s, {serial * DAY:,.0f} a day")
    for m in (1, 2, 4, 8, 16, 32):
        print(f"  {m:2} machine{'s' * (m > 1)}: {min(m * machine, serial) * DAY:>12,.0f} articles a day"
              + ("  (held by the driver)" if m * machine >= serial else ""))
    print(f"it stops scaling at about {serial / machine:.0f} machines like this one: past that, the one database "
          "writer and story resolution on the driver are the limit")


if __name__ == "__main__":
    main()
