"""Crashes: an ingest killed (SIGKILL) at random points, many times, then
run to the end, leaves the same record as one uninterrupted run: every
article once, nothing half-written, the same stories and relations."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SEEDS, SHARED
from sqlalchemy import func, select
from test_resolve import record

import accord
from accord.store import schema as t

DEV_ARTICLES = SHARED / "data" / "articles"


def corpus(folder: Path) -> Path:
    """The seeds and half the dev articles: enough for a run of some seconds."""
    folder.mkdir()
    for path in [*sorted(SEEDS.glob("*.txt")), *sorted(DEV_ARTICLES.glob("*.txt"))[::2]]:
        shutil.copy(path, folder / f"{path.parent.name}_{path.name}")
    return folder


def ingest_command(folder: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "accord", "ingest", str(folder), "--db", str(db), "--batch-size", "3", "--json"]


def killed_runs(folder: Path, db: Path, kills: int, seed: int) -> list[float]:
    """Start the ingest and kill it ``kills`` times, each after a random
    time; return the times."""
    rng = random.Random(seed)
    times = []
    for _ in range(kills):
        wait = rng.uniform(1.0, 12.0)
        proc = subprocess.Popen(ingest_command(folder, db), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            proc.wait(timeout=wait)  # it may finish before its time: the next run then finds all done
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
        times.append(round(wait, 1))
    return times


def check_whole(store: accord.Store) -> None:
    """Nothing half-written: each article has its document and sighting,
    each event its article and actors, each story its events, each level
    and commitment what it points at, every groupable event a story."""
    with store.engine.connect() as conn:
        def count(q):
            return conn.execute(select(func.count()).select_from(q.subquery())).scalar_one()
        a, d, e, s = t.articles, t.documents, t.events, t.stories
        assert count(select(d.c.id).where(d.c.id.not_in(select(a.c.id)))) == 0
        assert count(select(a.c.id).where(a.c.id.not_in(select(t.sightings.c.document_id)))) == 0
        assert count(select(e.c.id).where(e.c.id.not_in(select(t.event_actors.c.event_id)))) == 0
        assert count(select(s.c.id).where(s.c.id.not_in(select(e.c.story_id).where(e.c.story_id.is_not(None))))) == 0
        assert count(select(e.c.id).where(e.c.story_id.is_(None), e.c.negated.is_(False),
                                          e.c.hypothetical.is_(False), e.c.countries.like("%,%,%,%"))) == 0
        assert count(select(t.relation_levels.c.id).where(t.relation_levels.c.story_id.not_in(select(s.c.id)))) == 0
        # The events of an article are all there: their sequence numbers run 0..n-1.
        for article_id, n, top in conn.execute(select(e.c.article_id, func.count(), func.max(e.c.seq)).group_by(e.c.article_id)):
            assert top == n - 1, article_id


@pytest.mark.slow
def test_an_ingest_killed_again_and_again_resumes_to_the_same_record(tmp_path):
    folder = corpus(tmp_path / "corpus")
    clean_db = tmp_path / "clean.db"
    done = subprocess.run(ingest_command(folder, clean_db), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr

    killed_db = tmp_path / "killed.db"
    times = killed_runs(folder, killed_db, kills=6, seed=20261130)
    with accord.open(f"sqlite:///{killed_db}") as store:
        partial = store.counts()["articles"]
        check_whole(store)  # even before the last run: each article whole, or absent
    resumed = subprocess.run(ingest_command(folder, killed_db), capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    assert "Traceback" not in resumed.stderr

    with accord.open(f"sqlite:///{clean_db}") as clean, accord.open(f"sqlite:///{killed_db}") as killed:
        check_whole(killed)
        expected, got = record(clean), record(killed)
        assert len(got["articles"]) == len(list(folder.iterdir()))
        assert len({a[0] for a in got["articles"]}) == len(got["articles"])  # each once
        assert got["stories"] == expected["stories"], times
        assert got["levels"] == expected["levels"]
        assert got == expected
        assert killed.counts()["failures"] == 0
    assert 0 <= partial <= len(expected["articles"])


def test_a_kill_between_storing_and_grouping_is_mended_by_the_next_run(tmp_path):
    """The window a kill may hit: articles committed, stories not yet."""
    db = f"sqlite:///{tmp_path / 'window.db'}"
    with accord.open(db) as store:
        for article in accord.extract_paths([str(SEEDS)]):
            assert store.add_article(article)
        with store.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(t.stories)).scalar_one() == 0
    with accord.open(db) as store:
        summary = accord.ingest([str(SEEDS)], store)
        assert summary.new == 0 and summary.duplicates == 2
        check_whole(store)
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    with accord.open(fresh) as store:
        accord.ingest([str(SEEDS)], store)
    with accord.open(db) as a, accord.open(fresh) as b:
        assert record(a)["stories"] == record(b)["stories"]
        assert record(a)["levels"] == record(b)["levels"]
