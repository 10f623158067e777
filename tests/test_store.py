"""Stage 7: the store, on a real SQLite file and a real PostgreSQL server."""

import sqlite3

import pytest
from conftest import RESOURCES, SEEDS
from sqlalchemy import inspect

import accord
from accord.store.migrations import latest

TABLES = {"documents", "articles", "actors", "events", "event_actors", "evidence", "commitments", "stories",
          "relation_levels", "failures", "schema_migrations"}


def check_store(url):
    store = accord.open(url)
    assert TABLES <= set(inspect(store.engine).get_table_names())
    first = accord.ingest([str(SEEDS)], store)
    assert (first.read, first.new, first.duplicates, first.failed) == (2, 2, 0, 0)
    counts = store.counts()
    again = accord.ingest([str(SEEDS)], store)
    assert (again.new, again.duplicates) == (0, 2)
    assert store.counts() == counts, "ingesting the same files twice adds nothing"

    relation = store.relation("VNM", "AZE")
    assert relation["level"] == "strategic partnership" and relation["since"] == "2025-05-07"
    assert relation == store.relation("AZE", "VNM") | {"countries": ["VNM", "AZE"]}
    assert set(relation["sources"]) == {"VOV", "VNA/VNS"}
    by_story = {(s["type"], s["mode"], s["relation_level"]): s for s in relation["timeline"]}
    talks = by_story[("CONSULT", "meet", None)]
    partnership = by_story[("SUPPORT", "establish", "strategic partnership")]
    for story in (talks, partnership):
        assert story["article_count"] == 2 and set(story["sources"]) == {"VOV", "VNA/VNS"}
    assert talks["date"] == "2025-05-07"
    assert {"energy", "transport", "multilateral", "defence"} <= set(relation["commitments"])

    events = store.events(country="VNM", type="CONSULT", since="2025-05-01", until="2025-05-31")
    assert events and all(e["type"] == "CONSULT" and e["date"] and "VNM" in e["countries"] for e in events)
    assert all(e["evidence"] for e in events)
    assert len(store.articles()) == 2
    store.close()
    return counts


def test_sqlite_store(fresh_db):
    counts = check_store(fresh_db)
    assert counts["articles"] == 2 and counts["events"] > 10 and counts["commitments"] > 15
    path = fresh_db.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        versions = [v for (v,) in conn.execute("select version from schema_migrations")]
    assert versions == list(range(1, latest() + 1))


@pytest.mark.postgres
def test_postgresql_store(postgres_url):
    check_store(postgres_url)


def test_failures_are_recorded_once_and_the_batch_goes_on(fresh_db, tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01binary\x02")
    (tmp_path / "good.txt").write_text((RESOURCES / "scraped_page.txt").read_text())
    store = accord.open(fresh_db)
    summary = accord.ingest([str(tmp_path)], store)
    assert (summary.new, summary.failed) == (1, 1)
    assert "binary" in summary.failures[0].reason and summary.failures[0].source.endswith("bad.txt")
    accord.ingest([str(tmp_path)], store)
    assert store.counts()["failures"] == 1 and store.counts()["articles"] == 1


def test_near_duplicate_copy_is_marked(fresh_db, tmp_path):
    page = (RESOURCES / "scraped_page.txt").read_text()
    (tmp_path / "a.txt").write_text(page)
    (tmp_path / "b.txt").write_text(page.replace("Monday, 03/02/2025 14:20", "Monday, 03/02/2025 15:05"))
    store = accord.open(fresh_db)
    accord.ingest([str(tmp_path)], store)
    rows = store.articles()
    assert len(rows) == 2 and rows[1]["copy_of"] == rows[0]["id"]


def test_bad_database_url_is_a_store_error(tmp_path):
    with pytest.raises(accord.StoreError):
        accord.open(f"sqlite:///{tmp_path}/missing/dir/x.db")


@pytest.mark.slow
def test_one_huge_line_is_coded_in_bounded_pieces_and_the_batch_goes_on(fresh_db, tmp_path):
    """A single 3 MB line of text beside the seeds: stored, coded in pieces,
    and the seeds of the same run stored with their events."""
    import random
    random.seed(3)
    words = "the minister said talks would continue next week while officials waited for a decision".split()
    huge = "Vietnam and Japan signed an agreement in Hanoi on Monday. " * 5 + " ".join(
        random.choice(words) for _ in range(500_000))
    (tmp_path / "huge.txt").write_text(huge)
    for seed in SEEDS.glob("*.txt"):
        (tmp_path / seed.name).write_bytes(seed.read_bytes())
    store = accord.open(fresh_db)
    summary = accord.ingest(str(tmp_path), store)
    assert (summary.new, summary.failed) == (3, 0)
    assert store.relation("VNM", "AZE")["level"] == "strategic partnership"
    assert any("JPN" in e["countries"] for e in store.events(country="VNM"))


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_two_open_stores_see_each_others_copies(backend, fresh_db, request):
    """Two writers on one database, each with its duplicate index already
    read (as two ingests running side by side): a copy one stores of what
    the other stored is marked, both ways."""
    url = fresh_db if backend == "sqlite" else request.getfixturevalue("fresh_pg")
    page = (RESOURCES / "scraped_page.txt").read_text()
    texts = [page.replace("Monday, 03/02/2025 14:20", f"Monday, 03/02/2025 1{i}:05") for i in range(4)]
    one, two = accord.open(url), accord.open(url)
    try:
        from accord.models import Article

        def article(i):
            return Article(id=f"doc{i}", text=texts[i] + f"\n\nCopy {i}.", source=f"{i}.txt", language="en")

        one.add_article(article(0))
        two.add_article(article(1))  # two's index reads what one stored
        one.add_article(article(2))  # and one's reads what two stored
        two.add_article(article(3))
        rows = {r["id"]: r for r in one.articles()}
        assert len(rows) == 4
        assert rows["doc0"]["copy_of"] is None
        assert all(rows[f"doc{i}"]["copy_of"] == "doc0" for i in (1, 2, 3))
        # Each index holds what was committed before its last write.
        assert set(one._duplicates.signatures) == {"doc0", "doc1", "doc2"}
        assert set(two._duplicates.signatures) == {"doc0", "doc1", "doc2", "doc3"}
    finally:
        one.close()
        two.close()
