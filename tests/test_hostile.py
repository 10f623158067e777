"""Hostile and broken inputs (see tests/hostile.py for the corpus): each gets
a recorded failure with a stage and a reason, or a correct article; none
crashes the run; every good document in the same batch is stored; a second
ingest of the same folder adds nothing.

The batch goes through the real command line (``python -m accord ingest``);
each case also goes alone through ``accord.pipeline.ingest`` in this
process, so that a failure names the input that causes it."""

from __future__ import annotations

import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import SEEDS

import hostile
from hostile import EITHER, REFUSED, STORED, Case

from accord.read.files import shown

BIG_LINE_MB = 2  # the default test; the slow one writes the 10 MB line the issue asks for

# Characters a cleaned article never holds: what accord's own decoder calls
# "control characters that never occur in text", DEL, and the C1 controls
# (which only text decoded in the wrong encoding holds).
CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def ingest_cli(folder: Path, db: str, timeout: float) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "accord", "ingest", str(folder), "--db", db, "--json", "-v"],
                          capture_output=True, text=True, timeout=timeout)
    return done, time.monotonic() - started


def summary_of(done: subprocess.CompletedProcess) -> dict | None:
    for line in reversed(done.stdout.strip().splitlines()):
        try:
            return json.loads(line)
        except json.JSONDecodeError:
            continue
    return None


def _from(source: str, path: Path) -> bool:
    """Whether a document or failure ``source`` is the file ``path`` or one of its records."""
    p = shown(path)  # as accord shows it: a byte of the name that is not UTF-8 is U+FFFD
    return source == p or source.startswith((p + ":", p + "#"))


def _show(case: Case) -> str:
    return f"{case.name} ({case.kind})"


def _article_problems(what: str, row: dict, markers: tuple[str, ...], language: str | None = None,
                      not_values: tuple[tuple[str, str], ...] = ()) -> list[str]:
    text, problems = row["text"] or "", []
    for marker in markers:
        if marker not in text:
            problems.append(f"{what}: stored, but its text lacks {marker!r} (it begins {text[:160]!r})")
    if language and row.get("language") != language:
        problems.append(f"{what}: stored with language {row.get('language')!r}, not {language!r}")
    for column in ("text", "title"):
        bad = sorted({f"U+{ord(c):04X}" for c in CONTROL.findall(row.get(column) or "")})
        if bad:
            problems.append(f"{what}: the stored {column} holds control characters {', '.join(bad)}")
    for column, value in not_values:
        if row.get(column) == value:
            problems.append(f"{what}: stored with {column} = {value!r}, a wrong type turned into its Python repr")
    return problems


def check_cases(cases: list[Case], articles: list[dict], failures: list[dict]) -> list[str]:
    """What a correct run would have done with each case and did not."""
    problems = []
    for case in cases:
        stored = [a for a in articles if _from(a["source"] or "", case.path)]
        # A stored document can carry a note of the coding stage (partly coded):
        # only failures of documents that were not stored count as refusals.
        stored_sources = {a["source"] for a in stored}
        failed = [f for f in failures if _from(f["source"] or "", case.path) and f["source"] not in stored_sources]
        for f in failed:
            if not (f["stage"] or "").strip() or not (f["reason"] or "").strip():
                problems.append(f"{_show(case)}: a failure without a stage or a reason: {f}")
        if case.records:  # a multi-record file: each record on its own
            if case.expect == REFUSED and not failed:
                problems.append(f"{_show(case)}: no failure names the file or any of its records")
            file_failed = any(f["source"] == shown(case.path) for f in failed)
            for rec in case.records:
                mine = [a for a in stored if a["source"] == rec.source]
                refused = file_failed or any(f["source"] == rec.source for f in failed)
                what = f"{case.name} record {rec.source.rsplit('/', 1)[-1]}"
                if rec.expect == STORED and not mine:
                    problems.append(f"{what}: a good record, not stored"
                                    + (f" (failures: {[(f['stage'], f['reason']) for f in failed if f['source'] == rec.source]})"
                                       if refused else ""))
                elif rec.expect == REFUSED and mine:
                    problems.append(f"{what}: should be refused ({rec.note or 'a broken record'}), but it was stored "
                                    f"({len(mine[0]['text'] or '')} characters: {(mine[0]['text'] or '')[-80:]!r})")
                elif rec.expect == REFUSED and not refused:
                    problems.append(f"{what}: should be refused, but no failure names it or its file")
                elif rec.expect == EITHER and not mine and not refused:
                    problems.append(f"{what}: neither stored nor refused: dropped without a word")
                for row in mine:
                    problems += _article_problems(what, row, rec.markers, not_values=rec.not_values)
            if sum(1 for r in case.records if r.expect == STORED) != case.good:
                problems.append(f"{_show(case)}: the manifest says {case.good} good records")
            continue
        if len(stored) > 1:
            problems.append(f"{_show(case)}: stored {len(stored)} times")
        if case.expect == STORED and not stored:
            problems.append(f"{_show(case)}: a good document, not stored; failures: "
                            f"{[(f['stage'], f['reason']) for f in failed] or 'none'}")
        elif case.expect == REFUSED and stored:
            problems.append(f"{_show(case)}: should be refused, but was stored: {(stored[0]['text'] or '')[:120]!r}")
        elif case.expect == REFUSED and not failed:
            problems.append(f"{_show(case)}: should be refused, but no failure names it")
        elif case.expect == EITHER and not stored and not failed:
            problems.append(f"{_show(case)}: neither stored nor refused: dropped without a word")
        for row in stored:
            problems += _article_problems(_show(case), row, case.markers, case.language)
    return problems


def evidence_problems(articles: list[dict], events: list[dict]) -> list[str]:
    """Every evidence span of every stored event lies inside its article's
    text and is the text it says."""
    texts = {a["id"]: a["text"] or "" for a in articles}
    problems = []
    for e in events:
        text = texts.get(e["article_id"])
        if text is None:
            problems.append(f"event {e['id']}: its article {e['article_id']} is not stored")
            continue
        if not e["evidence"]:
            problems.append(f"event {e['id']} of {e['article_source']}: no evidence")
        for span in e["evidence"]:
            start, end = span["start"], span["end"]
            if not (0 <= start < end <= len(text)):
                problems.append(f"event {e['id']} of {e['article_source']}: evidence [{start}, {end}) outside the "
                                f"article's {len(text)} characters")
            elif text[start:end] != span["text"]:
                problems.append(f"event {e['id']} of {e['article_source']}: evidence [{start}, {end}) is "
                                f"{text[start:end][:60]!r}, not {span['text'][:60]!r}")
    return problems


def store_problems(cases: list[Case], db: str) -> tuple[list[str], dict]:
    from accord.store import Store

    with Store(db, must_exist=True) as store:
        articles, failures, events, counts = store.articles(), store.failures(), store.events(), store.counts()
    return check_cases(cases, articles, failures) + evidence_problems(articles, events), counts


def run_batch(folder: Path, cases: list[Case], db: str, timeout: float) -> tuple[list[str], dict, float]:
    """Ingest the whole folder twice through the command line; every problem
    found, the store's counts, and the first run's wall time."""
    problems: list[str] = []
    first, seconds = ingest_cli(folder, db, timeout)
    if "Traceback" in first.stderr:
        problems.append(f"the first ingest crashed (exit {first.returncode}):\n{first.stderr[-3000:]}")
    if first.returncode != 1:
        problems.append(f"the first ingest exited {first.returncode}, not 1 (some inputs are refused)")
    summary = summary_of(first)
    if summary is None:
        problems.append(f"the first ingest printed no summary; stdout ends {first.stdout[-500:]!r}")
    if not Path(db.removeprefix("sqlite:///")).exists():
        return problems + ["no database was written"], {}, seconds
    found, counts = store_problems(cases, db)
    problems += found
    if summary is not None:
        if summary["new"] != counts["articles"]:
            problems.append(f"the summary says {summary['new']} new articles, the store holds {counts['articles']}")
        from accord.store import Store

        with Store(db, must_exist=True) as store:
            recorded = {(f["source"], f["stage"], f["reason"]) for f in store.failures()}
        for f in summary["failures"]:
            if (f["source"], f["stage"], f["reason"]) not in recorded:
                problems.append(f"a failure the summary names is not recorded: {f}")

    second, _ = ingest_cli(folder, db, timeout)
    if "Traceback" in second.stderr:
        problems.append(f"the second ingest crashed (exit {second.returncode}):\n{second.stderr[-3000:]}")
    again = summary_of(second)
    _, counts_again = store_problems(cases, db)
    if counts_again != counts:
        problems.append(f"the second ingest of the same folder changed the store: {counts} -> {counts_again}")
    if again is not None:
        if again["new"] != 0:
            problems.append(f"the second ingest stored {again['new']} new articles")
        if summary is not None and again["read"] != summary["read"]:
            problems.append(f"the second ingest read {again['read']} documents, the first {summary['read']}")
    return problems, counts, seconds


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, list[Case]]:
    folder = tmp_path_factory.mktemp("hostile") / "corpus"
    return folder, hostile.build(folder, SEEDS, big_line_mb=BIG_LINE_MB)


def test_the_manifest_covers_the_issue(corpus):
    folder, cases = corpus
    kinds = " ".join(c.kind for c in cases).lower()
    for word in ("empty", "binary", "elf", "png", "size cap", "single line", "nested", "malformed", "cp1252",
                 "mixed encodings", "gzip bomb", "truncated .warc.gz", "json lines", "spanish", "russian", "arabic",
                 "control characters", "bidi"):
        assert word in kinds, word
    assert all(c.expect in (STORED, REFUSED, EITHER) and c.path.parent == folder and c.path.exists() for c in cases)
    assert len({c.name for c in cases}) == len(cases)
    assert sum(c.expect == STORED for c in cases) >= 8
    bomb = next(c for c in cases if c.name == "bomb.warc.gz")
    assert bomb.path.stat().st_size < 200_000  # a few tens of kB that inflate to twice the cap
    line = (folder / "big_line.txt").read_bytes()
    assert b"\n" not in line and len(line) >= BIG_LINE_MB * 1_000_000 - 1000


def test_a_hostile_batch_records_every_failure_and_stores_every_good_document(corpus, tmp_path):
    folder, cases = corpus
    problems, counts, seconds = run_batch(folder, cases, f"sqlite:///{tmp_path / 'hostile.db'}", timeout=900)
    print(f"\ningest of the hostile corpus ({BIG_LINE_MB} MB line): {seconds:.1f} s; store: {counts}")
    assert not problems, f"{len(problems)} problems:\n- " + "\n- ".join(problems)


def _names() -> list[str]:
    """The case names, from a small build of the corpus (no big line, a tiny cap)."""
    with tempfile.TemporaryDirectory() as tmp:
        return [c.name for c in hostile.build(Path(tmp), SEEDS, big_line_mb=0, cap=10_000)]


@pytest.mark.parametrize("name", _names())
def test_each_case_alone(corpus, tmp_path, name):
    """The case alone, through the pipeline in this process: an exception
    here is the traceback the command line would print."""
    from accord.pipeline import ingest
    from accord.settings import Settings
    from accord.store import Store

    folder, cases = corpus
    case = next(c for c in cases if c.name == name)
    db = f"sqlite:///{tmp_path / 'one.db'}"
    with Store(db) as store:
        ingest([str(case.path)], store, Settings(db=db))
    problems, _ = store_problems([case], db)
    assert not problems, "\n".join(problems)


def test_a_small_cap_refuses_by_size_and_keeps_the_rest(tmp_path):
    """The cap is Settings.max_bytes (the command line has no option for it):
    a document over it is refused by name, the good one next to it stored."""
    from accord.pipeline import ingest
    from accord.settings import Settings
    from accord.store import Store

    folder = tmp_path / "in"
    folder.mkdir()
    good = hostile.visit_text(hostile._VISITS["jsonl_5"])
    (folder / "good.txt").write_text(good, encoding="utf-8")
    (folder / "long.txt").write_text("\n\n".join([good] * 40), encoding="utf-8")  # about 40 kB
    db = f"sqlite:///{tmp_path / 'cap.db'}"
    with Store(db) as store:
        summary = ingest([str(folder)], store, Settings(db=db, max_bytes=20_000))
        failures = store.failures()
        articles = store.articles()
    assert summary.new == 1 and [a["source"] for a in articles] == [str(folder / "good.txt")]
    assert [(f["source"], f["stage"]) for f in failures] == [(str(folder / "long.txt"), "read")]
    assert "too big" in failures[0]["reason"] and "20000" in failures[0]["reason"]


def test_a_file_name_that_is_not_utf8(tmp_path):
    """A good article whose file name holds a byte 0xff (Python: a lone
    surrogate): stored, or refused by name, never a crash."""
    folder = tmp_path / "names"
    case = hostile.undecodable_name(folder)
    db = f"sqlite:///{tmp_path / 'names.db'}"
    done, _ = ingest_cli(folder, db, timeout=300)
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert done.returncode in (0, 1)
    problems, _ = store_problems([case], db)
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_a_hostile_batch_with_a_10_mb_line(tmp_path):
    folder = tmp_path / "corpus"
    cases = hostile.build(folder, SEEDS, big_line_mb=10)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    problems, counts, seconds = run_batch(folder, cases, f"sqlite:///{tmp_path / 'hostile.db'}", timeout=3600)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"\ningest of the hostile corpus (10 MB line): {seconds:.1f} s; peak memory of a child "
          f"{peak / 1024:.0f} MB{' (or an earlier child)' if peak == before else ''}; store: {counts}")
    assert not problems, f"{len(problems)} problems:\n- " + "\n- ".join(problems)
