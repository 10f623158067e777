"""Concurrency: two ingests of overlapping corpora at once, and a server
answering while an ingest writes, into SQLite and PostgreSQL.  No duplicate,
no lost write, no lock error shown to anyone; the record is the one a single
ingest of everything gives."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from conftest import SEEDS, SHARED
from pgserver import free_port
from test_crash import check_whole
from test_resolve import record

import accord

DEV_ARTICLES = SHARED / "data" / "articles"


def _files(tmp_path: Path) -> tuple[list[Path], list[Path], list[Path]]:
    """Two corpora that share a third of their files, and their union."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    files = []
    for path in [*sorted(SEEDS.glob("*.txt")), *sorted(DEV_ARTICLES.glob("*.txt"))[1::2]]:
        files.append(folder / f"{path.parent.name}_{path.name}")
        shutil.copy(path, files[-1])
    third = len(files) // 3
    return files[:2 * third], files[third:], files


def _ingest(db: str, files: list[Path]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "accord", "ingest", *map(str, files), "--db", db,
                             "--batch-size", "2", "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(proc: subprocess.Popen) -> str:
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "locked" not in err.lower()
    return out


def _same_record_at_once_as_alone(tmp_path: Path, at_once: str, alone: str) -> None:
    first, second, union = _files(tmp_path)
    procs = [_ingest(at_once, first), _ingest(at_once, second)]
    for proc in procs:
        _finish(proc)
    _finish(_ingest(alone, union))
    with accord.open(at_once) as a, accord.open(alone) as b:
        check_whole(a)
        got, expected = record(a), record(b)
        assert len(got["articles"]) == len(union) == len({r[0] for r in got["articles"]})
        assert got["events"] == expected["events"]
        assert got["stories"] == expected["stories"]
        assert got["levels"] == expected["levels"]
        assert got == expected
        assert a.counts()["failures"] == 0


@pytest.mark.slow
def test_two_ingests_at_once_into_sqlite(tmp_path):
    _same_record_at_once_as_alone(tmp_path, f"sqlite:///{tmp_path / 'both.db'}", f"sqlite:///{tmp_path / 'one.db'}")


@pytest.mark.slow
@pytest.mark.postgres
def test_two_ingests_at_once_into_postgresql(tmp_path, fresh_pg, postgres_url):
    import psycopg
    alone = fresh_pg.rsplit("/", 1)[0] + "/t_alone_concurrency"
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute('DROP DATABASE IF EXISTS "t_alone_concurrency"')
        conn.execute('CREATE DATABASE "t_alone_concurrency"')
    _same_record_at_once_as_alone(tmp_path, fresh_pg, alone)


@pytest.mark.slow
def test_the_server_answers_while_an_ingest_writes(tmp_path):
    first, second, union = _files(tmp_path)
    db = f"sqlite:///{tmp_path / 'served.db'}"
    _finish(_ingest(db, union[:2]))  # the server opens an existing store
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "accord", "serve", "--db", db, "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(f"{base}/api/articles", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        ingest = _ingest(db, union)
        seen, answers = [], 0
        while ingest.poll() is None:
            for path in ("/api/articles?limit=1000", "/api/events?limit=5", "/api/stories?limit=5", "/",
                         "/relations/VNM/SGP"):
                response = httpx.get(base + path, timeout=30)
                assert response.status_code in (200, 404) or path.startswith("/relations"), (path, response.text)
                assert response.status_code < 500, (path, response.text)
                answers += 1
            seen.append(len(httpx.get(f"{base}/api/articles?limit=1000", timeout=30).json()["items"]))
            time.sleep(0.2)
        _finish(ingest)
        final = httpx.get(f"{base}/api/articles?limit=1000", timeout=30).json()["items"]
        assert len(final) == len(union) == len({a["id"] for a in final})
        assert seen == sorted(seen) and len(set(seen)) > 1, seen  # it saw the store grow, never shrink
        assert answers > 10
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert "Traceback" not in err and "locked" not in err.lower(), err
