"""Stage 6, resolve: the record is the same however the news arrives: in one
run or many, in any order, twice; near-duplicates survive a restart; stories
merge what is one happening."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import RESOURCES, SEED_000, SEED_001, SHARED
from sqlalchemy import select

import accord
from accord.resolve.duplicates import from_bytes, signature, to_bytes
from accord.resolve.stories import EventRow, group, source_name
from accord.store import schema as t

DEV_ARTICLES = SHARED / "data" / "articles"


def record(store: accord.Store) -> dict:
    """The whole record, written without the store's own ids (which depend
    on the order rows were written), so that two stores compare."""
    with store.engine.connect() as conn:
        event_key = {r.id: (r.article_id, r.seq) for r in conn.execute(select(t.events.c.id, t.events.c.article_id,
                                                                              t.events.c.seq))}
        story_events: dict[int, list] = {}
        for r in conn.execute(select(t.events.c.id, t.events.c.story_id).where(t.events.c.story_id.is_not(None))):
            story_events.setdefault(r.story_id, []).append(event_key[r.id])
        stories = {}
        for s in store.stories():
            members = tuple(sorted(story_events[s["id"]]))
            stories[members] = (s["type"], s["mode"], tuple(s["countries"]), s["relation_level"], s["date"],
                                s["first_published"], s["first_article_id"], s["article_count"], s["source_count"],
                                tuple(s["sources"]), tuple(sorted(e["text"] for e in s["evidence"])))
        levels = sorted((r.country_a, r.country_b, r.level, r.since, tuple(sorted(story_events[r.story_id])))
                        for r in conn.execute(select(t.relation_levels)))
        articles = sorted((r.id, r.copy_of, r.source_name, r.published, r.text)
                          for r in conn.execute(select(t.articles)))
        commitments = sorted((r.article_id, r.seq, r.sector, r.parties, r.text, event_key.get(r.event_id))
                             for r in conn.execute(select(t.commitments)))
        events = sorted((r.article_id, r.seq, r.type, r.mode, r.countries, r.date, r.relation_level)
                        for r in conn.execute(select(t.events)))
        sightings = sorted((r.document_id, r.source, r.url, r.outlet, r.published)
                           for r in conn.execute(select(t.sightings)))
    return {"articles": articles, "events": events, "stories": stories, "levels": levels,
            "commitments": commitments, "sightings": sightings}


def _ingest_runs(db: str, runs: list[list[Path]]) -> dict:
    store = accord.open(db)
    for paths in runs:
        summary = accord.ingest([str(p) for p in paths], store)
        assert summary.failed == 0, summary.failures
    rec = record(store)
    store.close()
    return rec


def _seed_pair(store):
    rel = store.relation("VNM", "AZE")
    by_story = {(s["type"], s["mode"], s["relation_level"]): s for s in rel["timeline"]}
    return rel, by_story


@pytest.mark.parametrize("order", [[SEED_000, SEED_001], [SEED_001, SEED_000], [SEED_001, SEED_000, SEED_001, SEED_000]])
def test_seeds_one_at_a_time_in_any_order(tmp_path, order):
    store = accord.open(f"sqlite:///{tmp_path / 'seeds.db'}")
    for path in order:
        accord.ingest(str(path), store)  # one string is one path
    rel, by_story = _seed_pair(store)
    assert rel["level"] == "strategic partnership" and rel["since"] == "2025-05-07"
    talks = by_story[("CONSULT", "meet", None)]
    partnership = by_story[("SUPPORT", "establish", "strategic partnership")]
    for story in (talks, partnership):
        assert story["article_count"] == 2 and story["sources"] == ["VNA/VNS", "VOV"]
    assert [lv["level"] for lv in rel["levels"]] == ["strategic partnership"]
    assert rel["levels"][0]["story"]["id"] == partnership["id"]
    assert store.counts()["articles"] == 2


def test_seeds_separately_equal_seeds_together(tmp_path):
    together = _ingest_runs(f"sqlite:///{tmp_path / 'a.db'}", [[SEED_000, SEED_001]])
    apart = _ingest_runs(f"sqlite:///{tmp_path / 'b.db'}", [[SEED_001], [SEED_000], [SEED_001]])
    assert together == apart


@pytest.mark.slow
def test_a_real_corpus_in_one_run_in_three_runs_either_way_and_twice(tmp_path):
    files = sorted(DEV_ARTICLES.glob("*.txt"))
    thirds = [files[i::3] for i in range(3)]
    once = _ingest_runs(f"sqlite:///{tmp_path / 'once.db'}", [[DEV_ARTICLES]])
    assert len(once["articles"]) == len(files) and once["stories"] and once["levels"]
    three = _ingest_runs(f"sqlite:///{tmp_path / 'three.db'}", thirds)
    backwards = _ingest_runs(f"sqlite:///{tmp_path / 'back.db'}", [list(reversed(p)) for p in reversed(thirds)])
    twice = _ingest_runs(f"sqlite:///{tmp_path / 'once.db'}", [[DEV_ARTICLES]])
    # Sightings name the path each run gave, which is the same file here.
    assert three["stories"] == once["stories"]
    assert backwards["stories"] == once["stories"]
    assert three == once and backwards == once
    assert twice == once


def test_the_singapore_vietnam_upgrade_is_one_story(tmp_path):
    """Reports that name the level and reports that only say "upgraded" are
    one happening."""
    store = accord.open(f"sqlite:///{tmp_path / 'sg.db'}")
    accord.ingest([str(DEV_ARTICLES / name) for name in ("001.txt", "013.txt", "022.txt", "033.txt", "037.txt",
                                                          "049.txt", "060.txt", "075.txt")], store)
    upgrades = [s for s in store.stories(countries=["SGP", "VNM"], type="SUPPORT") if s["mode"] in ("upgrade", "establish")]
    assert len(upgrades) == 1
    assert upgrades[0]["relation_level"] == "comprehensive strategic partnership"
    texts = [e["text"] for e in upgrades[0]["evidence"]]
    assert len(texts) == len(set(texts)) >= 2, "each sentence once"
    assert all(str(DEV_ARTICLES) not in s and not s.startswith("/") for s in upgrades[0]["sources"]), \
        "sources are names, never paths"


def test_story_grouping_does_not_depend_on_row_order():
    rows = [
        EventRow(1, "sha256:b", 0, "SUPPORT", "upgrade", ("SGP", "VNM"), None, "2025-03-12", None, "VNA"),
        EventRow(2, "sha256:a", 0, "SUPPORT", "establish", ("SGP", "VNM"), "comprehensive strategic partnership",
                 "2025-03-12", "2025-03-12T10:00:00+07:00", "VOV"),
        EventRow(3, "sha256:c", 2, "SUPPORT", "upgrade", ("SGP", "VNM"), "comprehensive strategic partnership",
                 None, "2025-03-13", "Straits Times"),
        EventRow(4, "sha256:d", 0, "CONSULT", "meet", ("SGP", "VNM"), None, "2025-03-11", "2025-03-11T09:00:00Z", "VNA"),
    ]

    def shape(groups):
        return sorted((g.type, g.mode, g.relation_level, g.date, tuple(sorted(g.event_ids)), g.first_article_id,
                       tuple(sorted(g.sources))) for g in groups)

    forward, backward = shape(group(rows)), shape(group(list(reversed(rows))))
    assert forward == backward
    upgrade = [g for g in forward if g[0] == "SUPPORT"]
    assert len(upgrade) == 1 and upgrade[0][2] == "comprehensive strategic partnership" and upgrade[0][4] == (1, 2, 3)
    # The first report is the earliest in UTC: 10:00+07:00 is 03:00Z, before the undated-time day of 013.
    assert upgrade[0][5] == "sha256:a"


def test_source_names_are_never_paths():
    assert source_name("VNA", "Vietnam+", None, "/data/x.txt") == "VNA"
    assert source_name(None, None, "https://www.example.org/a/b.html", "/data/x.txt") == "example.org"
    assert source_name(None, None, None, "/data/feeds/site/article-12.txt") == "article-12.txt"
    assert source_name(None, None, None, "/data/feed.jsonl:17") == "feed.jsonl"


def test_minhash_signatures_keep_their_scheme_across_a_restart(tmp_path):
    sig = signature("Vietnam and Azerbaijan agreed to establish a strategic partnership on Wednesday in Baku.")
    back = from_bytes(to_bytes(sig))
    assert back is not None and back.jaccard(sig) == 1.0
    assert from_bytes(b"\x00" * 64 * 8) is None, "accord 0.1's bare values are recomputed, not misread"


def test_a_copy_ingested_after_a_restart_is_found(tmp_path):
    db = f"sqlite:///{tmp_path / 'copies.db'}"
    page = (RESOURCES / "scraped_page.txt").read_text()
    (tmp_path / "first").mkdir()
    (tmp_path / "first" / "a.txt").write_text(page)
    accord.ingest(str(tmp_path / "first"), accord.open(db))
    (tmp_path / "later").mkdir()
    (tmp_path / "later" / "b.txt").write_text(page.replace("Monday, 03/02/2025 14:20", "Monday, 03/02/2025 15:05"))
    store = accord.open(db)  # a new process would open it like this
    accord.ingest(str(tmp_path / "later"), store)
    a, b = store.articles()
    assert b["copy_of"] == a["id"] and a["copy_of"] is None


def test_copies_group_by_first_report_whatever_the_order(tmp_path):
    page = (RESOURCES / "scraped_page.txt").read_text()
    early = page.replace("Monday, 03/02/2025 14:20", "Monday, 03/02/2025 08:05")
    for name, order in (("fwd", [page, early]), ("back", [early, page])):
        store = accord.open(f"sqlite:///{tmp_path / name}.db")
        for i, text in enumerate(order):
            (tmp_path / f"{name}{i}.txt").write_text(text)
            accord.ingest(str(tmp_path / f"{name}{i}.txt"), store)
        rows = {r["published"][11:16]: r for r in store.articles()}
        assert rows["08:05"]["copy_of"] is None and rows["14:20"]["copy_of"] == rows["08:05"]["id"], name


def test_a_known_text_from_another_url_is_a_sighting(tmp_path):
    text = SEED_001.read_text(encoding="utf-8")
    import json
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"text": text, "url": "https://news.example.net/a", "outlet": "Example News",
                                "published": "2025-05-08T10:00:00+04:00"}) + "\n")
    store = accord.open(f"sqlite:///{tmp_path / 's.db'}")
    accord.ingest(str(SEED_001), store)
    summary = accord.ingest(str(feed), store)
    assert (summary.new, summary.duplicates) == (0, 1)
    (article,) = store.articles()
    seen = store.sightings(article["id"])
    assert len(seen) == 2 and seen[1]["url"] == "https://news.example.net/a"
    assert seen[1]["outlet"] == "Example News" and seen[1]["published"] == "2025-05-08T10:00:00+04:00"
    counts = store.counts()
    accord.ingest(str(feed), store)
    assert store.counts() == counts, "the same sighting twice adds nothing"


def test_a_published_that_is_no_date_fails_its_record(tmp_path):
    import json
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"text": (RESOURCES / "scraped_page.txt").read_text(), "published": "last Tuesday-ish"})
                    + "\n" + json.dumps({"text": SEED_001.read_text(encoding="utf-8"), "published": "2025-05-08"}) + "\n")
    store = accord.open(f"sqlite:///{tmp_path / 'p.db'}")
    summary = accord.ingest(str(feed), store)
    assert summary.new == 1 and summary.failed == 1
    assert "feed.jsonl:1" in summary.failures[0].source and "not a date" in summary.failures[0].reason
    (article,) = store.articles()
    assert article["published"] == "2025-05-08"


def test_stories_and_levels_are_updated_only_for_the_pairs_new_articles_touch(tmp_path):
    store = accord.open(f"sqlite:///{tmp_path / 'inc.db'}")
    accord.ingest([str(DEV_ARTICLES / "001.txt"), str(SEED_000)], store)
    before = {s["id"]: s for s in store.stories()}
    sgp = {i for i, s in before.items() if "SGP" in s["countries"]}
    aze = {i for i, s in before.items() if "AZE" in s["countries"]}
    assert sgp and aze
    accord.ingest(str(SEED_001), store)
    after = {s["id"]: s for s in store.stories()}
    assert all(after[i] == before[i] for i in sgp), "the Singapore stories were not touched"
    assert aze <= set(after), "the Azerbaijan stories keep their ids as they grow"
    assert any(after[i]["article_count"] == 2 for i in aze)


def test_a_store_of_accord_0_1_is_migrated(tmp_path):
    """A store written before sightings existed, with MinHash values stored
    without their scheme, opens, migrates and takes new articles."""
    db = tmp_path / "old.db"
    store = accord.open(f"sqlite:///{db}")
    accord.ingest(str(SEED_000), store)
    store.close()
    import sqlite3
    with sqlite3.connect(db) as conn:
        conn.execute("update articles set minhash = ?, source_name = null", (b"\x01" * 512,))
        conn.execute("delete from sightings")
        conn.execute("delete from schema_migrations where version >= 2")
    store = accord.open(f"sqlite:///{db}")
    (row,) = store.articles()
    assert row["source_name"] == "VOV" and row["sightings"] == 1
    accord.ingest(str(SEED_001), store)
    assert store.relation("AZE", "VNM")["level"] == "strategic partnership"
    shutil.rmtree(tmp_path, ignore_errors=True)


@pytest.mark.postgres
def test_postgresql_keeps_the_same_record_in_any_order(fresh_pg, tmp_path):
    together = _ingest_runs(f"sqlite:///{tmp_path / 'a.db'}", [[SEED_000, SEED_001]])
    apart = _ingest_runs(fresh_pg, [[SEED_001], [SEED_000], [SEED_001, SEED_000]])
    assert apart == together
    store = accord.open(fresh_pg)
    assert store.relation("Azerbaijan", "vn")["level"] == "strategic partnership"


def test_the_python_api_refuses_nonsense(tmp_path):
    store = accord.open(f"sqlite:///{tmp_path / 'q.db'}")
    accord.ingest(str(SEED_000), store)
    for call in (lambda: store.events(since="yesterday"), lambda: store.events(type="DANCE"),
                 lambda: store.events(limit=0), lambda: store.stories(until="2025-02-30"),
                 lambda: store.relation("VNM", "Viet Nam"), lambda: store.relation("VNM", "Atlantis"),
                 lambda: store.commitments(sector="space"), lambda: store.articles(since="2025-13")):
        with pytest.raises(accord.QueryError):
            call()
    assert store.relation("Vietnam", "AZ")["level"] == "strategic partnership"
    assert store.events(type="consult", since="2025-05", until="2025-05")


def test_articles_an_interrupted_run_left_ungrouped_are_grouped_by_the_next(tmp_path):
    store = accord.open(f"sqlite:///{tmp_path / 'cut.db'}")
    for article in accord.extract_paths([str(SEED_000), str(SEED_001)]):
        store.add_article(article)  # stored, and then the run died before grouping
    assert store.counts()["stories"] == 0
    again = accord.ingest([str(SEED_000), str(SEED_001)], store)  # the same run, resumed
    assert again.new == 0
    assert store.relation("VNM", "AZE")["level"] == "strategic partnership"


def test_the_same_text_at_two_times_keeps_the_earliest_whatever_the_order(tmp_path):
    import json
    text = SEED_001.read_text(encoding="utf-8")
    late = json.dumps({"text": text, "published": "2025-05-08T15:56:00+07:00", "url": "https://b.example/x"})
    early = json.dumps({"text": text, "published": "2025-05-08T15:43:59+07:00", "url": "https://a.example/x"})
    got = []
    for name, lines in (("fwd", [early, late]), ("back", [late, early])):
        store = accord.open(f"sqlite:///{tmp_path / name}.db")
        for i, line in enumerate(lines):
            (tmp_path / f"{name}{i}.jsonl").write_text(line + "\n")
            accord.ingest(str(tmp_path / f"{name}{i}.jsonl"), store)
        (article,) = store.articles()
        story = next(s for s in store.stories() if s["type"] == "CONSULT")
        got.append((article["published"], story["first_published"], len(store.sightings(article["id"]))))
    assert got[0] == got[1] == ("2025-05-08T15:43:59+07:00", "2025-05-08T15:43:59+07:00", 2)


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_resolving_many_country_sets_takes_a_few_statements_and_gives_what_one_set_at_a_time_gave(
        tmp_path, backend, request):
    """Stories and levels are regrouped with a few statements for all the
    country sets a run touches (not a few per set), and come out as when the
    articles are resolved one at a time (into SQLite)."""
    from sqlalchemy import event

    texts = sorted(DEV_ARTICLES.glob("*.txt"))[:12]
    together = accord.open(f"sqlite:///{tmp_path / 'together.db'}" if backend == "sqlite"
                           else request.getfixturevalue("fresh_pg"))
    apart = accord.open(f"sqlite:///{tmp_path / 'apart.db'}")
    articles = [accord.extract(str(p)) for p in texts]
    assert all(list(together.add_articles([a])) == [True] for a in articles)
    statements = []
    event.listen(together.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    regrouped = together.resolve([a.id for a in articles])
    keys = {e.countries for a in articles for e in a.events if len(e.countries) >= 2}
    assert regrouped >= 10 and len(keys) >= 10
    assert len(statements) <= 16, f"{len(statements)} statements for {len(keys)} country sets"
    for a in articles:
        list(apart.add_articles([a]))
        apart.resolve([a.id])

    def record(store):
        stories = sorted((s["type"], s["mode"], s["countries"], s["date"], s["article_count"], s["relation_level"] or "")
                         for s in store.stories())
        with store.engine.connect() as conn:
            levels = sorted((r.country_a, r.country_b, r.level, r.since or "") for r in
                            conn.execute(select(t.relation_levels)))
        return stories, levels

    assert record(together) == record(apart)
    assert record(together)[1], "the articles upgrade some relations"
    # Regrouping everything again changes nothing, and writes no event's story.
    before, statements[:] = record(together), []
    together.resolve()
    assert record(together) == before
    assert not [s for s in statements if s.startswith("UPDATE events")], "events whose story did not change"
