"""PostgreSQL at volume: the write path, a store of 100,000 events, the
queries behind the API's filters, and their plans.

    .venv/bin/python bench/postgres.py [--events 100000] [--copies 4] [--url postgresql://...]

The write path: the seeds and dev articles, coded once, ``--copies`` times
(each copy a new document), written as an ingest writes them (``Store.add_articles``,
32 articles a transaction) and, as the baseline, one transaction an article
(``Store.add_article``), into the emptied store, in alternating turns.

Without ``--url`` a server of its own is started on loopback (as the tests
do).  The store is made through accord's own schema and migrations; its
articles and events are generated (countries, types and days drawn at
random, ten events an article) and written with bulk inserts, then stories
and relation levels are resolved by ``Store.resolve``.  For each filter the
API offers, the script runs the store's query under ``EXPLAIN ANALYZE`` and
prints the scans it uses and its time, and the time of the same filter
written as a scan (``countries LIKE '%,VNM,%'``) as the baseline.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from contextlib import nullcontext
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import event, insert, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from pgserver import temporary_server  # noqa: E402

from accord.code.lexicon import QUAD_CODE  # noqa: E402
from accord.pipeline import STORE_BATCH  # noqa: E402
from accord.settings import db_url  # noqa: E402
from accord.store import Store  # noqa: E402
from accord.store import schema as t  # noqa: E402

COUNTRIES = ["VNM", "SGP", "AZE", "JPN", "CHN", "USA", "AUS", "IND", "MYS", "IDN", "THA", "PHL", "KOR", "FRA",
             "DEU", "GBR", "RUS", "BRA", "ZAF", "EGY", "TUR", "IRN", "SAU", "ARE", "NGA", "KEN", "MEX", "CAN",
             "ARG", "CHL", "PER", "COL", "POL", "UKR", "ITA", "ESP", "NLD", "SWE", "NOR", "FIN", "KAZ", "UZB",
             "PAK", "BGD", "LKA", "NPL", "MMR", "KHM", "LAO", "MNG"]


def generate(store: Store, n_events: int, seed: int = 1) -> list[str]:
    """Articles of ten events each, written in bulk; their ids."""
    rng = random.Random(seed)
    types = sorted(QUAD_CODE)
    first = date(2021, 1, 1)
    now = datetime.now(timezone.utc)
    ids, docs, arts, events, codes = [], [], [], [], set()
    for i in range(n_events // 10):
        aid = f"sha256:{i:064x}"
        ids.append(aid)
        day = first + timedelta(days=rng.randrange(5 * 365))
        docs.append(dict(id=aid, source=f"gen/{i}.txt", path=f"gen/{i}.txt", first_seen=now))
        arts.append(dict(id=aid, outlet="Generated", title=f"Article {i}", published=day.isoformat(),
                         published_precision="day", language="en", text="generated", source_name="Generated"))
        for seq in range(10):
            pair = sorted(rng.sample(COUNTRIES[:rng.choice((8, 20, 50))], 2))
            key = "," + ",".join(pair) + ","
            codes.add(key)
            events.append(dict(article_id=aid, seq=seq, type=rng.choice(types), mode="", context="", cameo="",
                               countries=key, date=(day - timedelta(days=rng.randrange(3))).isoformat(),
                               date_precision="day", negated=False, future=False, hypothetical=False))
    with store.engine.begin() as conn:
        for table, rows in ((t.documents, docs), (t.articles, arts), (t.events, events)):
            for i in range(0, len(rows), 5000):
                conn.execute(insert(table), rows[i:i + 5000])
        conn.execute(insert(t.country_sets), [{"country": c, "countries": k} for k in codes for c in k.strip(",").split(",")])
    return ids


SCAN = re.compile(r"(?:Parallel )?(?:Seq|Index Only|Index|Bitmap Heap|Bitmap Index) Scan(?: using \w+)?(?: on \w+)?")


def plan(conn, statement: str, params) -> tuple[list[str], float]:
    """The scans of ``statement``'s plan and its execution time (ms)."""
    lines = [r[0] for r in conn.exec_driver_sql("EXPLAIN ANALYZE " + statement, params)]
    scans = sorted({m.group(0) for ln in lines for m in [SCAN.search(ln)] if m})
    ms = float(next(ln for ln in lines if ln.startswith("Execution Time")).split(":")[1].split()[0])
    return scans, ms


def write_path(store: Store, copies: int, turns: int = 3) -> None:
    """Articles a second into PostgreSQL, batched and one by one."""
    from accord.models import Article
    from accord.pipeline import extract_paths

    shared = ROOT.parent / "shared"
    coded = [a for a in extract_paths([str(shared / "seeds"), str(shared / "data" / "articles")])
             if isinstance(a, Article)]
    articles = [replace(a, id=f"{a.id}-{c}", source=f"{a.source}#{c}", text=a.text + "\n" * c)
                for c in range(copies) for a in coded]
    tables = ", ".join(table.name for table in t.metadata.sorted_tables if table.name != "schema_migrations")
    seconds: dict[str, list[float]] = {"one": [], "batch": []}
    for _ in range(turns):
        for mode in seconds:
            with store.engine.begin() as conn:
                conn.exec_driver_sql(f"TRUNCATE {tables} CASCADE")
            fresh = Store(store.url)  # its own duplicate index and caches, as a new ingest has
            start = time.perf_counter()
            if mode == "one":
                for a in articles:
                    fresh.add_article(a)
            else:
                for i in range(0, len(articles), STORE_BATCH):
                    fresh.add_articles(articles[i:i + STORE_BATCH])
            seconds[mode].append(time.perf_counter() - start)
            fresh.close()
    one, batch = (statistics.median(v) for v in seconds.values())
    print(f"write path: {len(articles)} coded articles, {sum(len(a.events) for a in articles):,} events; "
          f"{STORE_BATCH} a transaction {len(articles) / batch:.0f} articles/s, one a transaction "
          f"{len(articles) / one:.0f} articles/s: {one / batch:.2f}x (medians of {turns} turns)")
    with store.engine.begin() as conn:
        conn.exec_driver_sql(f"TRUNCATE {tables} CASCADE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--copies", type=int, default=4, help="times the coded articles are written")
    parser.add_argument("--url", help="an existing PostgreSQL database, emptied first (default: a server of its own)")
    args = parser.parse_args()
    with (nullcontext(args.url) if args.url else temporary_server()) as url:
        store = Store(db_url(url))
        write_path(store, args.copies)
        start = time.perf_counter()
        ids = generate(store, args.events)
        written = time.perf_counter() - start
        start = time.perf_counter()
        stories = store.resolve(ids)
        resolved = time.perf_counter() - start
        with store.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
        counts = store.counts()
        print(f"store: {counts['events']:,} events, {counts['articles']:,} articles, {counts['stories']:,} stories "
              f"(written in bulk in {written:.1f} s, {counts['events'] / written:,.0f} events/s; "
              f"resolved in {resolved:.1f} s, {stories:,} stories grouped)")

        captured: list[tuple[str, object]] = []

        def capture(_conn, _cursor, statement, parameters, _context, _many):
            if statement.lstrip().upper().startswith("SELECT"):
                captured.append((statement, parameters))

        queries = {
            "events of a country": lambda: store.events(country="VNM", limit=50),
            "events of a pair": lambda: store.events(countries=["VNM", "SGP"], limit=50),
            "events of a type in a month": lambda: store.events(type="CONSULT", since="2023-05", until="2023-05",
                                                                limit=50),
            "stories of a country": lambda: store.stories(country="JPN", limit=50),
            "articles of a country": lambda: store.articles(country="AZE", limit=50),
            "commitments of a country": lambda: store.commitments(country="VNM", limit=50),
            "relation of a pair": lambda: store.relation("VNM", "SGP"),
        }
        event.listen(store.engine, "before_cursor_execute", capture)
        with store.engine.connect() as conn:
            for name, run in queries.items():
                captured.clear()
                run()
                statement, params = captured[0]
                scans, ms = plan(conn, statement, params)
                print(f"{name:30} {ms:8.2f} ms  {', '.join(scans)}")
            for name, column in (("events", "countries"), ("stories", "countries")):
                _, ms_scan = plan(conn, f"SELECT id FROM {name} WHERE {column} LIKE %(p)s ORDER BY id LIMIT 50000",
                                  {"p": "%,VNM,%"})
                _, ms_index = plan(conn, f"SELECT id FROM {name} WHERE {column} IN (SELECT countries FROM country_sets "
                                         "WHERE country = %(c)s) ORDER BY id LIMIT 50000", {"c": "VNM"})
                print(f"{name} of VNM, all of them: country_sets {ms_index:.1f} ms, LIKE scan {ms_scan:.1f} ms "
                      f"({ms_scan / ms_index:.1f}x)")
        event.remove(store.engine, "before_cursor_execute", capture)
        store.close()


if __name__ == "__main__":
    main()
