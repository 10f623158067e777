"""Shared fixtures: the reference articles, a fresh SQLite store, and a real
PostgreSQL server started on loopback for the tests that need one."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_bin() -> Path | None:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory):
    """A PostgreSQL server of its own, on loopback, for this test run."""
    pg = _pg_bin()
    if pg is None:
        pytest.skip("no PostgreSQL server binaries (apt-get install postgresql; .ci/run does it)")
    # Not under pytest's own temporary folder: as root it is closed to the postgres user.
    data = Path(tempfile.mkdtemp(prefix="accord-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        shutil.chown(data, "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    subprocess.run(run_as + [str(pg / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"],
                   check=True, capture_output=True)
    subprocess.run(run_as + [str(pg / "pg_ctl"), "-D", str(data), "-w", "-l", str(data / "log"),
                             "-o", f"-h 127.0.0.1 -p {port} -k {data}", "start"], check=True, capture_output=True)
    try:
        url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        yield url
    finally:
        subprocess.run(run_as + [str(pg / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"], capture_output=True)
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture
def fresh_pg(postgres_url, request) -> str:
    """A database of its own on the test server, for one test."""
    import psycopg
    name = "t_" + "".join(c if c.isalnum() else "_" for c in request.node.name.lower())[:50]
    with psycopg.connect(postgres_url.replace("postgresql://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return postgres_url.rsplit("/", 1)[0] + "/" + name
