"""Shared fixtures: the reference articles, a fresh SQLite store, and a real
PostgreSQL server started on loopback for the tests that need one."""

from __future__ import annotations

from pathlib import Path

import pytest

import accord

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
SEED_000 = SEEDS / "000_f2abfe0f3f15c223.txt"
SEED_001 = SEEDS / "001_5d07b957990fee27.txt"
RESOURCES = Path(__file__).parent / "resources"


@pytest.fixture(scope="session")
def seeds() -> dict[str, accord.Article]:
    """The two reference articles, extracted once for the whole run."""
    assert SEEDS.is_dir(), f"the reference articles are expected in {SEEDS}"
    return {"000": accord.extract(str(SEED_000)), "001": accord.extract(str(SEED_001))}


@pytest.fixture
def settings() -> accord.Settings:
    return accord.Settings()


@pytest.fixture
def fresh_db(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'accord.db'}"


@pytest.fixture(scope="session")
def postgres_url():
    """A PostgreSQL server of its own, on loopback, for this test run."""
    from pgserver import pg_bin, temporary_server
    if pg_bin() is None:
        pytest.skip("no PostgreSQL server binaries (apt-get install postgresql; .ci/run does it)")
    with temporary_server() as url:
        yield url


@pytest.fixture
def fresh_pg(postgres_url, request) -> str:
    """A database of its own on the test server, for one test."""
    import psycopg
    name = "t_" + "".join(c if c.isalnum() else "_" for c in request.node.name.lower())[:50]
    with psycopg.connect(postgres_url.replace("postgresql://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return postgres_url.rsplit("/", 1)[0] + "/" + name


def corpus_texts() -> list[str]:
    """The seeds, the dev articles and the Reuters sample."""
    import json

    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((SHARED / "data" / "articles").glob("*.txt"))]
    lines = (SHARED / "data" / "reuters21578_sample.jsonl").read_text(encoding="utf-8").splitlines()
    texts += [json.loads(line)["text"] for line in lines if line.strip()]
    return texts
