"""The Ray engine: the dev articles and the seeds give the record a local
ingest gives (a real Ray cluster of 2 workers on 127.0.0.1), the workers
write one Parquet row per document, and what it cannot do is one line."""

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import SEED_000, SEED_001, SEEDS, SHARED
from test_resolve import record
from typer.testing import CliRunner

import accord
from accord.cli import app
from accord.models import Article, Failure, RawDocument
from accord.pipeline import article_record, extract_documents, ingest
from accord.read.files import content_id
from accord.run.ray_engine import RayEngine, cluster, plan

DEV = SHARED / "data" / "articles"
runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def jsonl(output):
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


@pytest.fixture(autouse=True)
def no_ray_left():
    yield
    if "ray" in sys.modules:
        import ray
        assert not ray.is_initialized(), "the engine stops the cluster it started"


@pytest.fixture(scope="module")
def extras(tmp_path_factory) -> Path:
    """A copy of seed 000 that comes a batch before the seed itself, and two
    documents that fail to read."""
    folder = tmp_path_factory.mktemp("extras")
    (folder / "a_copy_of_seed.txt").write_bytes(SEED_000.read_bytes())
    (folder / "b_empty.txt").write_text("")
    (folder / "c_binary.txt").write_bytes(bytes(range(256)) * 8)
    return folder


def failures(store) -> list[tuple]:
    return sorted((f["source"], f["stage"], f["reason"], f["document_id"]) for f in store.failures())


def test_an_article_comes_back_equal_from_its_record(seeds):
    assert any(article.dropped_lines for article in seeds.values())
    for article in seeds.values():
        assert article.events and article.commitments and article.people
        for variant in (article, replace(article, notes=("read up to 100,000 characters",))):
            assert Article.from_dict(json.loads(json.dumps(article_record(variant)))) == variant
        assert Article.from_dict(article.as_dict()).as_dict() == article.as_dict()


def test_the_batches_are_the_local_runs():
    def doc(text: str, source: str) -> RawDocument:
        return RawDocument(id=content_id(text.encode()), source=source, text=text, kind="text")

    a, b, c = doc("a", "a"), doc("b", "b"), doc("c", "c")
    empty = Failure("e", "read", "empty: the document holds no text")
    a2, b2 = replace(a, source="a2"), replace(b, source="b2")
    batches, later = plan([a, empty, b, a2, c, b2], batch_size=2)
    assert batches == [[(0, a), (1, empty)], [(2, b), (4, c)]]
    assert later == [(3, a2), (5, b2)], "a local run notes them as seen again: their text is stored by then"
    assert plan([a, a2], batch_size=2) == ([[(0, a), (1, a2)]], []), "within a batch, both are worked on"


def test_a_document_handed_back_is_seen_again_or_worked_on(fresh_db):
    def engine(docs, settings):
        first, second = list(docs)
        yield from extract_documents([first], settings)
        yield replace(first, source="elsewhere/000.txt")  # its text is stored: seen again
        yield second  # its text is not (say its first copy failed): the work is done here

    with accord.open(fresh_db) as store:
        summary = ingest([str(SEED_000), str(SEED_001)], store, extractor=engine)
        assert (summary.read, summary.new, summary.duplicates, summary.failed) == (2, 2, 1, 0)
        first = content_id(SEED_000.read_bytes())
        assert [s["source"] for s in store.sightings(first)] == [str(SEED_000), "elsewhere/000.txt"]
        assert store.counts()["articles"] == 2


@pytest.mark.slow
def test_ray_and_local_engines_give_the_same_record(tmp_path, extras):
    paths = [extras, DEV, SEEDS]
    assert len(list(DEV.glob("*.txt"))) >= 20
    local, ray_db = tmp_path / "local.db", tmp_path / "ray.db"
    a = run("ingest", *paths, "--db", local, "--json")
    b = run("ingest", *paths, "--db", ray_db, "--json", "--engine", "ray", "--workers", 2)
    assert a.exit_code == b.exit_code == 1, (a.output, b.output)  # the two documents that fail to read
    (summary,) = jsonl(a.stdout)
    assert jsonl(b.stdout) == [summary]
    assert (summary["new"], summary["duplicates"], summary["failed"]) == (len(list(DEV.glob("*.txt"))) + 2, 1, 2)
    with accord.open(f"sqlite:///{local}") as x, accord.open(f"sqlite:///{ray_db}") as y:
        ours, theirs = record(x), record(y)
        assert ours["stories"] and ours["levels"] and ours["commitments"]
        for part in ours:
            assert ours[part] == theirs[part], part
        assert failures(x) == failures(y)


@pytest.mark.slow
def test_the_workers_write_one_parquet_row_per_document(tmp_path, extras, seeds):
    folder = tmp_path / "rows"
    with cluster(2):
        import ray
        assert {n["NodeManagerAddress"] for n in ray.nodes()} == {"127.0.0.1"}
        with accord.open(f"sqlite:///{tmp_path / 'rows.db'}") as store:
            engine = RayEngine(2, parquet=str(folder))
            summary = ingest([str(extras), str(SEEDS)], store, extractor=engine)
            with store.engine.connect() as conn:
                stored = {r.id: r.minhash for r in conn.execute(accord.store.schema.articles.select())}
    assert (summary.read, summary.new, summary.duplicates, summary.failed) == (5, 2, 1, 2)
    rows = pq.read_table(folder).sort_by("seq").to_pylist()
    assert [r["source"] for r in rows] == [str(p) for p in sorted(extras.iterdir())] + [str(SEED_000), str(SEED_001)]
    assert [r["status"] for r in rows] == ["article", "failure", "failure", "article", "article"]
    assert [r["stage"] for r in rows if r["status"] == "failure"] == ["read", "read"]
    assert [Article.from_dict(json.loads(r["record"])) for r in rows[3:]] == [seeds["000"], seeds["001"]]
    # The workers made the near-duplicate signatures, the ones the driver would have, and the store kept them.
    from accord.resolve.duplicates import signature, to_bytes
    assert [r["minhash"] is None for r in rows] == [r["status"] == "failure" for r in rows]
    assert engine.signatures == {a.id: to_bytes(signature(a.text)) for a in (seeds["000"], seeds["001"])} \
        == {r["id"]: r["minhash"] for r in rows if r["minhash"]}
    assert stored == engine.signatures
    with pytest.raises(accord.AccordError, match="not a new or empty folder"):
        RayEngine(2, parquet=str(folder))


def test_without_ray_the_engine_says_how_to_install_it(tmp_path):
    shadow = tmp_path / "shadow" / "ray"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ImportError(\"No module named 'ray'\")\n")
    db = tmp_path / "none.db"
    result = subprocess.run([sys.executable, "-m", "accord", "ingest", str(SEEDS), "--db", str(db), "--engine", "ray"],
                            capture_output=True, text=True, timeout=300,
                            env={**os.environ, "PYTHONPATH": str(shadow.parent)})
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == ["error: the Ray engine needs Ray: pip install 'accord[ray]'"]
    assert not db.exists()


BAD = [("--engine", "spark"), ("--engine", "ray", "--workers", "0"), ("--engine", "ray", "--workers", "many"),
       ("--engine", "ray", "--address", "nowhere"), ("--engine", "ray", "--address", "http://127.0.0.1:8265"),
       ("--engine", "ray", "--address", "ray://127.0.0.1:1"), ("--engine", "ray", "--address", "127.0.0.1:1"),
       ("--engine", "ray", "--parquet", str(SEEDS)), ("--engine", "ray", "--max-memory", "4096"),
       ("--workers", "2"), ("--address", "auto"), ("--parquet", "rows")]


@pytest.mark.parametrize("args", BAD, ids=[" ".join(a) for a in BAD])
def test_bad_values_get_one_line_and_exit_2(tmp_path, args):
    db = tmp_path / "none.db"
    result = run("ingest", SEEDS, "--db", db, *args)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), result.stderr
    assert "Traceback" not in result.output and not db.exists()
