"""The command line, as a user runs it."""

import json

from conftest import RESOURCES, SEED_000, SEEDS, SHARED
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
    result = run("ingest", str(SEEDS), "--db", fresh_db)
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
    (summary,) = jsonl(run("ingest", str(SEEDS), "--db", fresh_db, "--json").stdout)
    assert summary == {"read": 2, "new": 2, "duplicates": 0, "recoded": 0, "failed": 0, "failures": [], "partly_coded": [],
                       "skipped": {}}


# -- bad values: one line on standard error, exit status 2 --------------------
import os  # noqa: E402
import shutil  # noqa: E402
import sqlite3  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> str:
    db = tmp_path_factory.mktemp("cli") / "seeds.db"
    assert run("ingest", str(SEEDS), "--db", db).exit_code == 0
    return str(db)


BAD = [
    ("events", "--since", "yesterday"), ("events", "--since", "2025-13-01"), ("events", "--until", "2025-02-30"),
    ("events", "--since", "2025-06", "--until", "2025-05"), ("events", "--type", "DANCE"), ("events", "--limit", "0"),
    ("events", "--limit", "-3"), ("events", "--limit", "many"), ("events", "--country", "Atlantis"),
    ("stories", "--since", "5/7/2025"), ("stories", "--type", "X"), ("stories", "--limit", "0"),
    ("stories", "--country", "ZZZ"), ("articles", "--since", "soon"), ("articles", "--until", "2025-00"),
    ("articles", "--limit", "0"), ("articles", "--country", "Narnia"), ("commitments", "--sector", "space"),
    ("commitments", "--country", "Oz"), ("commitments", "--limit", "0"), ("failures", "--stage", "dream"),
    ("failures", "--limit", "0"), ("relation", "VNM", "Vietnam"), ("relation", "VNM", "Oz"), ("relation", "VNM"),
    ("export", "tables"), ("export", "events", "--format", "xml"), ("export", "stories", "--format", "plover"),
    ("export", "events", "--format", "parquet"), ("export", "events", "--since", "later"),
    ("export", "commitments", "--type", "AGREE"), ("export", "events", "--sector", "energy"),
    ("events", "--bogus"), ("nosuchcommand",),
    ("ingest", str(SEEDS), "--time-limit", "0"), ("ingest", str(SEEDS), "--time-limit", "soon"),
    ("ingest", str(SEEDS), "--max-memory", "10"), ("ingest", str(SEEDS), "--max-bytes", "0"),
    ("extract", str(SEEDS), "--max-memory", "-1"), ("ingest", str(SEEDS), "--batch-size", "0"),
    # Empty values (an unset shell variable), options given twice, numbers past what the system takes.
    ("events", "--country", ""), ("events", "--country="), ("events", "--since", " "), ("stories", "--type", ""),
    ("commitments", "--sector", ""), ("relation", "", "AZE"), ("ingest", ""), ("export", "events", "--output", ""),
    ("events", "--country", "VNM", "--country", "AZE"), ("articles", "--limit", "1", "--limit", "2"),
    ("events", "--limit", "99999999999999999999"), ("articles", "--limit", str(2**63)),
    ("ingest", str(SEEDS), "--time-limit", "inf"), ("ingest", str(SEEDS), "--time-limit", "nan"),
    ("extract", str(SEEDS), "--time-limit", "1e10"), ("extract", str(SEEDS), "--max-memory", "99999999999999999999"),
    ("ingest", str(SEEDS), "--batch-size", "99999999999999999999"), ("ingest", str(SEEDS), "--max-bytes", str(2**70)),
]


@pytest.mark.parametrize("args", BAD, ids=[" ".join(a) for a in BAD])
def test_bad_values_get_one_line_and_exit_2(seeded, args):
    result = run(*args, "--db", seeded) if args[0] != "nosuchcommand" else run(*args)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", ["articles", "events", "stories", "commitments", "failures"])
def test_a_read_command_never_creates_a_database(tmp_path, command):
    missing = tmp_path / "nothing.db"
    result = run(command, "--db", missing)
    assert result.exit_code == 2 and "no database" in result.stderr and not missing.exists()
    result = run("relation", "VNM", "AZE", "--db", missing)
    assert result.exit_code == 2 and not missing.exists()


def test_a_database_that_is_not_one_is_refused(tmp_path):
    fake = tmp_path / "notes.db"
    fake.write_text("these are my notes, not a database\n" * 200)
    result = run("events", "--db", fake)
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1
    assert fake.read_text().startswith("these are my notes"), "nothing written into it"


def test_eval_with_missing_or_broken_files(tmp_path):
    assert run("eval", "plover", tmp_path / "none.json").exit_code == 2
    (tmp_path / "broken.json").write_text("{not json")
    result = run("eval", "plover", tmp_path / "broken.json")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert run("eval", "articles", tmp_path / "nofolder", tmp_path / "gold.jsonl").exit_code == 2


@pytest.mark.parametrize("args", [("train", "-o", ""), ("train", "--cv", "1000"), ("eval", "corpus", "--cv", "101"),
                                  ("eval", "plover", "x.json", "--cv", "99999999999999999999"), ("--db", "")])
def test_bad_values_of_commands_without_a_store(args):
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_an_export_never_writes_over_a_database(seeded, tmp_path):
    """Not over the store it reads, nor over another SQLite file."""
    import shutil

    victim = tmp_path / "victim.db"
    shutil.copy(seeded, victim)
    before = victim.read_bytes()
    for output in (victim, seeded):
        result = run("export", "events", "--db", victim, "--format", "csv", "--output", output)
        assert result.exit_code == 2 and "database" in result.stderr, result.output
    assert victim.read_bytes() == before
    assert run("events", "--db", victim, "--json").exit_code == 0
    assert run("export", "events", "--db", victim, "--format", "csv", "--output", tmp_path / "e.csv").exit_code == 0


def test_eval_and_train_refuse_what_they_cannot_use(tmp_path):
    """A folder without the gold articles, a baseline that is not one, a
    training corpus that is not one, a model file in a missing folder: one
    line and exit 2, before any work."""
    gold = SHARED / "data" / "articles_gold.jsonl"
    result = run("eval", "articles", tmp_path, gold)
    assert result.exit_code == 2 and "none of the" in result.stderr, result.output
    (tmp_path / "baseline.json").write_bytes(b"\x00\x01 not json")
    result = run("eval", "articles", SHARED / "data" / "articles", gold, "--baseline", tmp_path / "baseline.json")
    assert result.exit_code == 2 and "not a baseline file" in result.stderr, result.output
    assert (tmp_path / "baseline.json").read_bytes() == b"\x00\x01 not json"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.jsonl").write_text('{"text": "Japan and China held talks."}\n')
    result = run("train", "--corpus", corpus, "-o", tmp_path / "m.json")
    assert result.exit_code == 2 and "not a training sentence" in result.stderr, result.output
    result = run("train", "-o", tmp_path / "missing" / "m.json")
    assert result.exit_code == 2 and "no such folder" in result.stderr, result.output


def test_data_is_shown_as_written(tmp_path):
    """A title with Rich markup and a file name with an escape sequence are
    shown as they are: the brackets kept, the control characters written
    out, nothing for the terminal to act on."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Vietnam [red]and[/red] Japan [link=http://evil.example]upgrade[/link] ties\n\n"
                                  "HANOI - Vietnam and Japan upgraded their relations to a comprehensive strategic "
                                  "partnership on Monday, the two governments said in a joint statement.\n")
    (folder / "\x1b[2Jevil.txt").write_text("")
    db = tmp_path / "x.db"
    result = run("ingest", folder, "--db", db)
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\\x1b[2Jevil.txt" in result.stderr, result.stderr
    for command in ("articles", "failures"):
        shown = run(command, "--db", db).stdout
        assert "\x1b" not in shown
    titles = run("articles", "--db", db).stdout
    assert "[red]and[/red]" in titles and "[link=http://evil" in titles, titles


def test_version():
    import accord
    result = run("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"accord {accord.__version__}"


def test_read_only_database_is_read(seeded, tmp_path):
    """A database file the user may read but not write: reads work."""
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "seeds.db"
    with sqlite3.connect(seeded) as src, sqlite3.connect(db) as dst:
        src.backup(dst)
    with sqlite3.connect(db) as conn:
        conn.execute("pragma journal_mode=delete")
    db.chmod(0o444)
    folder.chmod(0o555)
    cmd = [str(Path(sys.executable).parent / "accord"), "events", "--db", str(db), "--json", "--type", "CONSULT"]
    if os.geteuid() == 0:  # root writes anything: drop the capabilities that let it
        if not shutil.which("setpriv"):
            pytest.skip("needs setpriv (util-linux) to run without write override as root")
        caps = "-dac_override,-dac_read_search,-fowner"
        cmd = ["setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}", "--"] + cmd
    before = db.read_bytes()
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert jsonl(done.stdout) and all(e["type"] == "CONSULT" for e in jsonl(done.stdout))
    assert db.read_bytes() == before and sorted(p.name for p in folder.iterdir()) == ["seeds.db"]


# -- tables for people ---------------------------------------------------------
def test_tables_for_people(seeded, tmp_path):
    arts = run("articles", "--db", seeded).stdout
    ids = [a["id"].removeprefix("sha256:")[:12] for a in jsonl(run("articles", "--db", seeded, "--json").stdout)]
    assert all(i in arts for i in ids), "an id prefix per article"
    folded = "".join(line.split("│")[-2].strip() for line in arts.splitlines() if line.count("│") > 2)
    assert str(SEED_000.name) in folded, "the source path"
    evs = run("events", "--db", seeded).stdout
    assert "…" in evs, "evidence is cut with an ellipsis"
    for line in evs.splitlines():
        if "…" in line:
            cell = line.split("│")[-2].strip()
            assert not cell[:-1].endswith(("Vi", "Az")), cell  # cut at a word
    empty = run("events", "--db", seeded, "--since", "1990", "--until", "1990")
    assert empty.exit_code == 0 and empty.stdout.strip() == "no events match"
    assert run("stories", "--db", seeded, "--type", "ASSAULT").stdout.strip() == "no stories match"
    assert run("commitments", "--db", seeded, "--sector", "health", "--country", "VNM").exit_code == 0


def test_dates_show_their_precision():
    from accord.cli import clip, day
    assert day("2023-01-01", "year") == "2023" and day("2025-05-01", "month") == "2025-05"
    assert day("2025-05-07", "day") == "2025-05-07" and day(None) == "—"
    assert clip("The two sides agreed to upgrade their relations", 20) == "The two sides…"
    assert clip("short", 20) == "short"


def test_dates_filter_as_dates(seeded):
    may = jsonl(run("events", "--db", seeded, "--since", "2025-05", "--until", "2025-05", "--json").stdout)
    assert may and all(e["date"].startswith("2025-05") for e in may)
    assert jsonl(run("events", "--db", seeded, "--until", "2025-05-06", "--json").stdout) == []
    year = jsonl(run("stories", "--db", seeded, "--since", "2025", "--json").stdout)
    assert year and all(s["date"] >= "2025-01-01" for s in year)
    assert jsonl(run("articles", "--db", seeded, "--since", "2025-05-08", "--json").stdout)


def test_relation_record(seeded):
    (rec,) = jsonl(run("relation", "Azerbaijan", "Việt Nam", "--db", seeded, "--json").stdout)
    assert rec["level"] == "strategic partnership" and rec["since"] == "2025-05-07"
    (level,) = rec["levels"]
    assert level["story"]["article_count"] == 2 and level["story"]["sources"] == ["VNA/VNS", "VOV"]
    may = next(q for q in rec["quad_counts"] if q["month"] == "2025-05")
    assert may["verbal cooperation"] >= 4 and may["verbal conflict"] == 0
    energy = rec["commitments"]["energy"]
    assert energy and all(c["source"] in ("VOV", "VNA/VNS") for c in energy)
    table = run("relation", "VNM", "AZE", "--db", seeded).stdout
    assert "events by quad class" in table and "2025-05" in table


def test_commitments_and_failures_commands(seeded, tmp_path):
    rows = jsonl(run("commitments", "--db", seeded, "--sector", "energy", "--json").stdout)
    assert rows and all(r["sector"] == "energy" for r in rows)
    assert "energy" in run("commitments", "--db", seeded, "--country", "AZ").stdout
    db = tmp_path / "f.db"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_text("")
    (tmp_path / "in" / "bin.txt").write_bytes(b"\x00\x01\x02")
    assert run("ingest", tmp_path / "in", "--db", db).exit_code == 1
    fails = jsonl(run("failures", "--db", db, "--json").stdout)
    assert {Path(f["source"]).name for f in fails} == {"empty.txt", "bin.txt"} and {f["stage"] for f in fails} == {"read"}
    table = run("failures", "--db", db).stdout
    assert "empty" in table and "binary" in table
    assert run("failures", "--db", seeded).stdout.strip() == "no failures match"


@pytest.mark.parametrize("fmt", ["csv", "parquet", "jsonl", "plover"])
def test_export_every_table_in_every_format(seeded, tmp_path, fmt):
    import csv
    for table in ("events", "stories", "commitments"):
        if fmt == "plover" and table != "events":
            continue
        expected = len(jsonl(run("export", table, "--db", seeded).stdout))
        assert expected > 0
        path = tmp_path / f"{table}.{fmt}"
        result = run("export", table, "--format", fmt, "--output", path, "--db", seeded)
        assert result.exit_code == 0, result.output
        if fmt == "parquet":
            import pyarrow.parquet as pq
            got = pq.read_table(path).num_rows
        elif fmt == "csv":
            with path.open(newline="", encoding="utf-8") as fh:
                got = len(list(csv.DictReader(fh)))
        else:
            records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
            got = len(records)
            if fmt == "plover":
                assert all({"id", "date", "actor", "event"} <= set(r) for r in records)
        assert got == expected, (table, fmt)
    filtered = jsonl(run("export", "events", "--db", seeded, "--type", "CONSULT", "--country", "AZE").stdout)
    assert filtered and all(e["type"] == "CONSULT" for e in filtered)


def test_serve_on_a_port_another_server_has_is_one_line(seeded):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = run("serve", "--db", seeded, "--port", taken.getsockname()[1])
    assert result.exit_code == 2, result.output
    assert len(result.stderr.strip().splitlines()) == 1 and "another server has it" in result.stderr


def test_extract_says_what_it_passed_over(tmp_path):
    (tmp_path / "a.txt").write_text(SEED_000.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n")
    result = run("extract", tmp_path, "--json")
    assert result.exit_code == 0, result.output
    assert len(jsonl(result.stdout)) == 1
    assert "passed over: 1 files of another kind (.png)" in result.stderr
