"""The command line, as a user runs it."""

import json

from conftest import RESOURCES, SEED_000, SEEDS
from typer.testing import CliRunner

from accord.cli import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def jsonl(output):
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def test_extract_json_contract():
    result = run("extract", SEED_000, "--json")
    assert result.exit_code == 0, result.output
    (record,) = jsonl(result.stdout)
    article = record["article"]
    for field in ("id", "path", "url", "outlet", "credit", "title", "published", "dateline", "language", "text"):
        assert field in article
    assert article["id"].startswith("sha256:")
    event = record["events"][0]
    for field in ("type", "mode", "context", "cameo", "source", "target", "date", "date_precision", "place",
                  "relation_level", "negated", "future", "evidence"):
        assert field in event
    assert {"country", "name", "sector"} <= set(event["source"][0])
    commitment = record["commitments"][0]
    assert {"parties", "sector", "text", "evidence"} <= set(commitment)
    span = commitment["evidence"]
    assert article["text"][span["start"]:span["end"]].strip() == commitment["text"]


def test_extract_readable_summary():
    result = run("extract", RESOURCES / "scraped_page.txt")
    assert result.exit_code == 0
    assert "Laos and Cambodia sign border trade pact" in result.stdout and "CONSULT" in result.stdout


def test_ingest_then_query(fresh_db, tmp_path):
    result = run("ingest", SEEDS, "--db", fresh_db)
    assert result.exit_code == 0, result.output
    assert "2" in result.stdout
    arts = jsonl(run("articles", "--db", fresh_db, "--json").stdout)
    assert {a["credit"] for a in arts} == {"VOV", "VNA/VNS"}
    for name in ("Việt Nam", "VN", "Vietnam", "vnm"):
        events = jsonl(run("events", "--db", fresh_db, "--country", name, "--type", "SUPPORT", "--json").stdout)
        assert events and all("VNM" in e["countries"] and e["type"] == "SUPPORT" for e in events)
    (rec,) = jsonl(run("relation", "Vietnam", "AZ", "--db", fresh_db, "--json").stdout)
    assert rec["level"] == "strategic partnership"
    table = run("relation", "VNM", "AZE", "--db", fresh_db).stdout
    assert "strategic partnership" in table and "timeline" in table and "energy" in table
    assert "CONSULT" in run("stories", "--db", fresh_db).stdout
    assert run("events", "--db", fresh_db, "--country", "Atlantis").exit_code != 0


def test_bad_input_exit_status(fresh_db, tmp_path):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "ok.txt").write_text((RESOURCES / "scraped_page.txt").read_text())
    result = run("ingest", tmp_path, "--db", fresh_db)
    assert result.exit_code == 1
    assert "empty.txt" in result.output and "empty" in result.output
    assert jsonl(run("articles", "--db", fresh_db, "--json").stdout), "the good file was stored"


def test_json_summary(fresh_db):
    (summary,) = jsonl(run("ingest", SEEDS, "--db", fresh_db, "--json").stdout)
    assert summary == {"read": 2, "new": 2, "duplicates": 0, "failed": 0, "failures": []}
