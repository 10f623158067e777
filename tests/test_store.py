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


def _rows(path) -> dict[str, list[tuple]]:
    """Every row of every table of a SQLite store, less the clock's columns."""
    with sqlite3.connect(path) as conn:
        out = {}
        for (table,) in conn.execute("select name from sqlite_master where type = 'table' and name not like 'sqlite%'"):
            if table == "schema_migrations":
                continue
            columns = [c[1] for c in conn.execute(f"pragma table_info({table})") if c[1] not in ("first_seen", "seen_at", "at")]
            out[table] = sorted(conn.execute(f"select {', '.join(columns)} from {table}").fetchall(), key=repr)
        return out


def _batch(tmp_path):
    """Coded articles for one write: the seeds, a near copy of one of them
    later in the same batch, the same document twice, and a page."""
    from accord.pipeline import extract_paths

    folder = tmp_path / "in"
    folder.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for seed in seeds:
        (folder / seed.name).write_bytes(seed.read_bytes())
    (folder / "z_copy.txt").write_text(seeds[0].read_text() + "\n\n(Republished.)")
    (folder / "page.txt").write_text((RESOURCES / "scraped_page.txt").read_text())
    articles = [a for a in extract_paths([str(folder)]) if isinstance(a, accord.Article)]
    assert len(articles) == 4
    return articles + [articles[1]]


def test_a_batch_is_stored_as_the_same_articles_one_at_a_time(tmp_path):
    articles = _batch(tmp_path)
    one, many = tmp_path / "one.db", tmp_path / "many.db"
    with accord.open(f"sqlite:///{one}") as store:
        singly = [store.add_article(a) for a in articles]
        store.resolve()
    with accord.open(f"sqlite:///{many}") as store:
        batched = store.add_articles(articles)
        store.resolve()
        assert set(store._duplicates.signatures) == {a.id for a in articles}
        copies = {r["id"]: r["copy_of"] for r in store.articles() if r["copy_of"]}
    assert batched == singly == [True, True, True, True, False]
    assert _rows(one) == _rows(many)
    assert len(copies) == 1, "the copy later in the batch is found in it"


def test_a_batch_with_documents_seen_again_is_stored_as_one_at_a_time(tmp_path):
    """A batch mixing new articles with one stored before (seen again from
    another source, with an earlier publication time, which moves its copy
    group's first report) and one seen twice in the batch: every row the
    same as written one at a time, sightings in the same order."""
    from dataclasses import replace

    seed0, seed1, *others = _batch(tmp_path)[:4]
    (copy,) = [a for a in others if a.text[:300] == seed0.text[:300]]
    (page,) = [a for a in others if a is not copy]
    earlier = replace(seed0, source="elsewhere.txt", url="https://example.org/x", published="2020-01-02T00:00:00")
    batch = [copy, earlier, seed1, replace(seed1, source="again.txt"), page]
    one, many = tmp_path / "one.db", tmp_path / "many.db"
    results = []
    for path, write in ((one, lambda store: [store.add_article(a) for a in batch]),
                        (many, lambda store: store.add_articles(batch))):
        with accord.open(f"sqlite:///{path}") as store:
            assert store.add_article(seed0)
            results.append(write(store))
            store.resolve()
            rows = {r["id"]: r for r in store.articles()}
            assert rows[seed0.id]["published"].startswith("2020-01-02") and rows[copy.id]["copy_of"] == seed0.id
            assert len(store.sightings(seed1.id)) == 2
    assert results[0] == results[1] == [True, False, True, False, True]
    assert _rows(one) == _rows(many)


def test_a_batch_the_database_refuses_is_kept_whole_or_article_by_article(tmp_path):
    """The database refuses one article of a batch (a real SQLite trigger):
    nothing of the batch's transaction is kept, the articles are stored
    alone, the refused one comes back as an error that names it, and a
    later write stores it once."""
    articles = _batch(tmp_path)[:4]
    path = tmp_path / "refuse.db"
    refused = articles[2]
    with accord.open(f"sqlite:///{path}") as store:
        with sqlite3.connect(path) as conn:
            conn.execute(f"create trigger refuse before insert on articles when new.id = '{refused.id}' "
                         "begin select raise(abort, 'refused by a test trigger'); end")
        out = store.add_articles(articles)
        assert out[:2] == [True, True] and out[3] is True
        assert isinstance(out[2], accord.RefusedError) and refused.source in str(out[2])
        assert "refused by a test trigger" in out[2].reason
        stored = {r["id"] for r in store.articles()}
        assert stored == {a.id for i, a in enumerate(articles) if i != 2}
        assert set(store._duplicates.signatures) == stored  # what the rolled-back batch indexed is gone
        with sqlite3.connect(path) as conn:
            conn.execute("drop trigger refuse")
        assert store.add_articles(articles) == [False, False, True, False]
        assert sorted(r["id"] for r in store.articles()) == sorted(a.id for a in articles)
        assert store.counts()["documents"] == 4


def test_an_ingest_records_a_document_the_database_refuses_and_goes_on(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for seed in seeds:
        (folder / seed.name).write_bytes(seed.read_bytes())
    (folder / "page.txt").write_text((RESOURCES / "scraped_page.txt").read_text())
    path = tmp_path / "refuse.db"
    with accord.open(f"sqlite:///{path}") as store:
        with sqlite3.connect(path) as conn:
            conn.execute("create trigger refuse before insert on articles when new.id in "
                         f"(select id from documents where source like '%{seeds[0].name}') "
                         "begin select raise(abort, 'refused by a test trigger'); end")
        summary = accord.ingest([str(folder)], store)
        refused = [f for f in summary.failures if f.stage == "store"]
        assert summary.new == 2 and len(refused) == 1 and "refused by a test trigger" in refused[0].reason
        assert refused[0].source.endswith(seeds[0].name) and store.counts()["articles"] == 2
        assert [f["stage"] for f in store.failures()] == ["store"]
        from typer.testing import CliRunner

        from accord.cli import app
        shown = CliRunner().invoke(app, ["failures", "--db", str(path), "--stage", "store", "--json"])
        assert shown.exit_code == 0 and "refused by a test trigger" in shown.stdout
        with sqlite3.connect(path) as conn:
            conn.execute("drop trigger refuse")
        again = accord.ingest([str(folder)], store)
        assert (again.new, again.duplicates, again.failed) == (1, 2, 0)
        assert store.counts()["articles"] == 3


def test_an_interrupted_ingest_keeps_what_it_had_coded(fresh_db, tmp_path):
    """Ctrl-C while an ingest codes: the articles coded before it, still
    waiting for their batch's transaction, are stored; the next run does the rest."""
    from accord.pipeline import extract_documents

    folder = tmp_path / "in"
    folder.mkdir()
    for seed in SEEDS.glob("*.txt"):
        (folder / seed.name).write_bytes(seed.read_bytes())
    (folder / "page.txt").write_text((RESOURCES / "scraped_page.txt").read_text())

    def interrupted(docs, settings):
        for i, item in enumerate(extract_documents(docs, settings)):
            yield item
            if i == 1:
                raise KeyboardInterrupt

    with accord.open(fresh_db) as store:
        with pytest.raises(KeyboardInterrupt):
            accord.ingest([str(folder)], store, extractor=interrupted)
        assert store.counts()["articles"] == 2
        again = accord.ingest([str(folder)], store)
        assert (again.new, again.duplicates, again.failed) == (1, 2, 0)
        assert store.counts()["articles"] == 3


# -- what a store may be opened on -----------------------------------------------
def _one_line(error) -> str:
    message = str(error.value)
    assert message and "\n" not in message, message
    return message


def test_reading_never_creates_or_alters_tables(tmp_path):
    """A SQLite file of someone else's (a table foo) is refused, for reading
    and for writing, and left as it was; an empty file is refused for
    reading and made a store for writing."""
    from accord.store import Store

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("create table foo (x)")
    before = other.read_bytes()
    for must_exist in (True, False):
        with pytest.raises(accord.StoreError) as error:
            Store(f"sqlite:///{other}", must_exist=must_exist)
        assert _one_line(error).startswith(f"{other} is not an accord database: it holds other tables (foo)")
        assert other.read_bytes() == before
    empty = tmp_path / "empty.db"
    empty.touch()
    with pytest.raises(accord.StoreError) as error:
        Store(f"sqlite:///{empty}", must_exist=True)
    assert _one_line(error).startswith(f"{empty} is not an accord database: it is empty")
    assert empty.stat().st_size == 0
    with accord.open(f"sqlite:///{empty}") as store:
        assert store.counts()["articles"] == 0
    not_sqlite = tmp_path / "notes.db"
    not_sqlite.write_text("shopping list\n" * 200)
    for must_exist in (True, False):
        with pytest.raises(accord.StoreError) as error:
            Store(f"sqlite:///{not_sqlite}", must_exist=must_exist)
        assert "is not an accord database: it is not a SQLite file" in _one_line(error)
    assert not_sqlite.read_text() == "shopping list\n" * 200


def test_a_store_of_a_newer_or_older_accord(tmp_path, seeds):
    """A store with a schema version this accord does not know is refused
    (upgrade accord), for reading and writing, and not touched; an older
    accord's store is migrated, by a reader too."""
    from accord.store import Store

    path = tmp_path / "s.db"
    url = f"sqlite:///{path}"
    with accord.open(url) as store:
        store.add_article(seeds["000"])
    with sqlite3.connect(path) as conn:
        conn.execute("insert into schema_migrations values (99, 'from the future', '2030-01-01 00:00:00')")
    before = _rows(path)
    for must_exist in (True, False):
        with pytest.raises(accord.StoreError) as error:
            Store(url, must_exist=must_exist)
        assert "was written by a newer accord (schema version 99" in _one_line(error)
        assert "upgrade accord" in str(error.value)
    assert _rows(path) == before
    with sqlite3.connect(path) as conn:
        conn.execute("delete from schema_migrations where version >= 5")
        conn.execute("drop table country_sets")
    with Store(url, must_exist=True) as store:
        assert store.events(country="AZE") and len(store.articles()) == 1
    with sqlite3.connect(path) as conn:
        assert [v for (v,) in conn.execute("select version from schema_migrations")] == list(range(1, latest() + 1))


@pytest.mark.postgres
def test_a_postgresql_database_of_someone_else(fresh_pg):
    """The same on a server: an empty database is not read, one holding
    other tables is neither read nor written."""
    import psycopg

    from accord.store import Store

    with pytest.raises(accord.StoreError) as error:
        Store(fresh_pg, must_exist=True)
    assert "is not an accord database: it is empty" in _one_line(error)
    with psycopg.connect(fresh_pg.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute("create table foo (x int)")
    for must_exist in (True, False):
        with pytest.raises(accord.StoreError) as error:
            Store(fresh_pg, must_exist=must_exist)
        assert "is not an accord database: it holds other tables (foo)" in _one_line(error)
    with psycopg.connect(fresh_pg.replace("+psycopg", ""), autocommit=True) as conn:
        tables = [r[0] for r in conn.execute("select tablename from pg_tables where schemaname = 'public'")]
    assert tables == ["foo"]


def test_a_read_only_database_is_one_store_error(tmp_path, seeds):
    """A database that may only be read (here a SQLite URI with mode=ro:
    root writes any file): a document seen again, a new one, and a whole
    ingest each end in one line that says so, and nothing changes."""
    path = tmp_path / "ro.db"
    with accord.open(f"sqlite:///{path}") as store:
        store.add_article(seeds["000"])
    before = _rows(path)
    with accord.open(f"sqlite:///file:{path}?mode=ro&uri=true") as store:
        for write in (lambda: store.add_sighting(seeds["000"].id, "again.txt"),
                      lambda: store.add_article(seeds["001"]),
                      lambda: store.add_articles([seeds["001"], seeds["000"]]),
                      lambda: accord.ingest([str(SEEDS)], store)):
            with pytest.raises(accord.StoreError) as error:
                write()
            assert _one_line(error) == (f"the database {path} is read-only: give accord write access to it (and to "
                                        "its folder), or point --db (or ACCORD_DB) at another one")
        assert len(store.articles()) == 1
    assert _rows(path) == before


@pytest.mark.postgres
def test_a_read_only_postgresql_database_is_one_store_error(fresh_pg, seeds):
    import psycopg

    with accord.open(fresh_pg) as store:
        store.add_article(seeds["000"])
    name = fresh_pg.rsplit("/", 1)[1]
    with psycopg.connect(fresh_pg.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
    with accord.open(fresh_pg) as store:
        for write in (lambda: store.add_sighting(seeds["000"].id, "again.txt"),
                      lambda: store.add_article(seeds["001"])):
            with pytest.raises(accord.StoreError) as error:
                write()
            assert _one_line(error).startswith("the database postgresql+psycopg://") and "is read-only" in str(
                error.value)
        assert len(store.articles()) == 1 and len(store.sightings(seeds["000"].id)) == 1


def test_ingest_into_a_read_only_file_is_one_line(tmp_path, seeds):
    """The file chmod 444 in a folder that may be written, as a user
    runs it (as root, without the capability to write anyway): one line,
    exit 2, for a document stored before and for a new one."""
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    path = tmp_path / "ro.db"
    with accord.open(f"sqlite:///{path}") as store:
        store.add_article(seeds["000"])
    path.chmod(0o444)
    before = _rows(path)
    prefix = []
    if os.geteuid() == 0:  # root writes anything: drop the capabilities that let it
        if not shutil.which("setpriv"):
            pytest.skip("needs setpriv (util-linux) to run without write override as root")
        caps = "-dac_override,-dac_read_search,-fowner"
        prefix = ["setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}", "--"]
    accord_cmd = str(Path(sys.executable).parent / "accord")
    for seed in sorted(SEEDS.glob("*.txt")):
        done = subprocess.run(prefix + [accord_cmd, "ingest", str(seed), "--db", str(path)],
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 2, done.stderr
        assert done.stderr.strip().splitlines() == [f"error: the database {path} is read-only: give accord write "
                                                    "access to it (and to its folder), or point --db (or ACCORD_DB) "
                                                    "at another one"], done.stderr
    assert _rows(path) == before


def test_failures_of_a_document_go_when_it_is_stored(tmp_path):
    """A seed too big for --max-bytes fails; ingested again without the cap
    it is stored, and its failure is gone (from the store and from
    'accord failures'); the failures of other documents stay."""
    from typer.testing import CliRunner

    from accord.cli import app

    folder = tmp_path / "in"
    folder.mkdir()
    for seed in SEEDS.glob("*.txt"):
        (folder / seed.name).write_bytes(seed.read_bytes())
    (folder / "bad.txt").write_bytes(b"\x00\x01binary\x02")
    path = tmp_path / "f.db"
    with accord.open(f"sqlite:///{path}") as store:
        capped = accord.ingest([str(folder)], store, accord.Settings(max_bytes=5000))
        assert (capped.new, capped.failed) == (1, 2)
        assert sorted(f["reason"].split(":")[0] for f in store.failures()) == ["binary", "too big"]
        again = accord.ingest([str(folder)], store)
        assert (again.new, again.duplicates, again.failed) == (1, 1, 1)
        (left,) = store.failures()
        assert left["source"].endswith("bad.txt") and "binary" in left["reason"]
    shown = CliRunner().invoke(app, ["failures", "--db", str(path), "--json"])
    assert shown.exit_code == 0, shown.output
    assert "too big" not in shown.stdout and "bad.txt" in shown.stdout


def test_failures_are_forgotten_by_document_or_by_unread_source(fresh_db, seeds, tmp_path, monkeypatch):
    """Storing a document forgets the failures recorded with its content id
    and those of its source that nothing was read from, however the path
    was spelled; a sighting forgets the latter; others stay, and so do
    names many documents share."""
    from dataclasses import replace

    from accord.models import Failure

    monkeypatch.chdir(tmp_path)
    seed0 = replace(seeds["000"], source="in/000.txt")
    with accord.open(fresh_db) as store:
        for failure in (Failure("elsewhere.txt", "clean", "timed out: over 60 s", seed0.id),
                        Failure("./in/000.txt", "read", "too big: 7971 bytes, the cap is 5000"),
                        Failure(str(tmp_path / "in" / "000.txt"), "read", "cannot be read: Permission denied"),
                        Failure("in/000.txt", "clean", "no body text", "sha256:" + "0" * 64),
                        Failure("<stdin>", "read", "empty"),
                        Failure("seen.txt", "read", "cannot be read: Input/output error")):
            store.add_failure(failure)
        assert store.add_article(replace(seed0, source="<stdin>"))
        assert len(store.failures()) == 5, "by its content id only"
        store.add_failure(Failure("elsewhere.txt", "clean", "timed out: over 60 s", seed0.id))
        with accord.open(fresh_db) as other:  # seen again in a batch, from its path
            assert other.add_articles([seeds["001"], seed0]) == [True, False]
        assert store.add_sighting(seed0.id, "seen.txt")
        left = {(f["source"], f["stage"]) for f in store.failures()}
        assert left == {("in/000.txt", "clean"), ("<stdin>", "read"), ("elsewhere.txt", "clean")}


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_failure_counts_count_documents(backend, fresh_db, tmp_path, monkeypatch, request):
    """The same document failed under several spellings of its path, or
    from two places once read: one document (counted by the database, on
    both)."""
    from accord.models import Failure

    monkeypatch.chdir(tmp_path)
    url = fresh_db if backend == "sqlite" else request.getfixturevalue("fresh_pg")
    with accord.open(url) as store:
        for failure in (Failure("in/a.txt", "read", "too big: 9000 bytes, the cap is 5000"),
                        Failure("./in/a.txt", "read", "too big: 9000 bytes, the cap is 5000 (--max-bytes)"),
                        Failure(str(tmp_path / "in" / "a.txt"), "read", "too big: 9000 bytes, the cap is 5000"),
                        Failure("in/b.txt", "read", "too big: 6000 bytes, the cap is 5000"),
                        Failure("in/c.html", "clean", "no body text: nothing but navigation", "sha256:c"),
                        Failure("copy/c.html", "clean", "no body text: nothing but navigation", "sha256:c"),
                        Failure("<stdin>", "read", "empty: no bytes")):
            store.add_failure(failure)
        assert len(store.failures()) == 7
        assert store.failure_counts() == [{"stage": "read", "reason": "too big", "documents": 2},
                                          {"stage": "clean", "reason": "no body text", "documents": 1},
                                          {"stage": "read", "reason": "empty", "documents": 1}]
        assert store.failure_counts(stage="clean") == [{"stage": "clean", "reason": "no body text", "documents": 1}]


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_an_article_coded_in_part_is_coded_whole_by_a_later_ingest(backend, tmp_path, request):
    """Stored as a time limit left it (no events, and the note saying so),
    the seeds are coded again by an ingest under a longer limit: the record
    is then the one a first ingest makes, stories and levels included, the
    note is gone, and one more ingest changes nothing."""
    from dataclasses import replace

    from accord.code import code_many
    from accord.models import Failure

    whole = [accord.extract(str(p)) for p in sorted(SEEDS.glob("*.txt"))]
    cut = list(code_many([replace(a, events=(), commitments=(), notes=()) for a in whole], time_limit=1e-9))
    assert all(not a.events and "--time-limit" in a.notes[0] for a in cut)
    url = f"sqlite:///{tmp_path / 'cut.db'}" if backend == "sqlite" else request.getfixturevalue("fresh_pg")
    with accord.open(url) as store, \
            accord.open(f"sqlite:///{tmp_path / 'whole.db'}") as reference:
        store.add_articles(cut)  # as the ingest stores them: the articles, then their notes as failures
        for a in cut:
            store.add_failure(Failure(a.source, "code", a.notes[0], a.id))
        assert store.time_limit_cut(cut[0].id) == 1e-9
        accord.ingest([str(SEEDS)], reference)

        summary = accord.ingest([str(SEEDS)], store)
        assert (summary.new, summary.duplicates, summary.recoded) == (0, 2, 2)
        assert not store.failures() and store.time_limit_cut(cut[0].id) is None
        assert store.counts() == reference.counts()

        def record(s):
            events = sorted((e["article_id"], e["seq"], e["type"], e["mode"], tuple(e["countries"]), e["date"] or "",
                             tuple(a["name"] for a in e["source"] + e["target"])) for e in s.events())
            stories = sorted((x["type"], x["mode"], tuple(x["countries"]), x["date"] or "", x["article_count"])
                             for x in s.stories())
            commitments = sorted((c["article_id"], c["sector"], c["text"]) for c in s.commitments())
            levels = [(x["level"], x["since"], x["story"]["article_count"]) for x in s.relation("VNM", "AZE")["levels"]]
            return events, stories, commitments, levels  # ids apart: those of two stores differ

        assert record(store) == record(reference)
        again = accord.ingest([str(SEEDS)], store)
        assert (again.new, again.duplicates, again.recoded) == (0, 2, 0)
        assert record(store) == record(reference)
