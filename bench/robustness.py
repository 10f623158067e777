"""What accord does with hostile and broken input, and with being killed.

    .venv/bin/python bench/robustness.py [--big-line-mb 10] [--kills 8] [--seed 1]

Builds the hostile corpus of the tests (tests/hostile.py: empty, binary,
over the cap, a 10 MB line, deep and broken HTML, wrong encodings, a gzip
bomb and truncated WARCs, broken JSON Lines, other scripts, control and bidi
characters) beside the seeds, ingests it through the command line, and
prints per kind of input: how many documents were tried, stored, partly
coded and refused, with the reasons.  Then it kills the same ingest
(SIGKILL) at random points, resumes it, and checks the record against the
uninterrupted run: every article once, nothing half-written, the same
stories and relations.  Times are also given as ratios to the good
documents alone, ingested in the same run of this script.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import hostile  # noqa: E402
from test_crash import check_whole  # noqa: E402
from test_resolve import record  # noqa: E402

from accord.read.files import shown  # noqa: E402
from accord.store import Store  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"


def ingest(folder: Path, db: Path, *extra: str, timeout: float = 1800) -> tuple[subprocess.CompletedProcess, float, float]:
    """One ``accord ingest`` in a process of its own: its result, wall
    seconds and peak memory (MB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "accord", "ingest", str(folder), "--db", str(db), "--json", "-v",
                           *extra], capture_output=True, text=True, timeout=timeout)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return done, seconds, max(peak, before) / 1024


def owner(source: str, cases: list[hostile.Case]) -> hostile.Case | None:
    for case in cases:
        p = shown(case.path)
        if source == p or source.startswith((p + ":", p + "#")):
            return case
    return None


def report(cases: list[hostile.Case], db: Path) -> tuple[dict, list[str]]:
    """Per kind: documents stored, partly coded and refused (with reasons)."""
    with Store(f"sqlite:///{db}", must_exist=True) as store:
        articles, failures = store.articles(), store.failures()
    by_case: dict[str, Counter] = defaultdict(Counter)
    reasons: dict[str, Counter] = defaultdict(Counter)
    stored_sources = {a["source"] for a in articles}
    for a in articles:
        case = owner(a["source"], cases)
        by_case[case.name if case else "?"]["stored"] += 1
    for f in failures:
        case = owner(f["source"], cases)
        name = case.name if case else "?"
        if f["source"] in stored_sources:
            by_case[name]["partly coded"] += 1
            continue
        by_case[name]["refused"] += 1
        reasons[name][f"{f['stage']}: {f['reason'][:90]}"] += 1
    lines = []
    for case in cases:
        c = by_case.get(case.name, Counter())
        lines.append(f"  {case.kind[:58]:58} stored {c['stored']:2}  partly {c['partly coded']:1}  "
                     f"refused {c['refused']:2}")
        for reason, n in sorted(reasons.get(case.name, {}).items()):
            lines.append(f"      {n} × {reason}")
    totals = {k: sum(c[k] for c in by_case.values()) for k in ("stored", "partly coded", "refused")}
    return totals, lines


def killed_and_resumed(folder: Path, db: Path, kills: int, rng: random.Random, window: float) -> list[float]:
    times = []
    for _ in range(kills):
        wait = rng.uniform(0.5, window)
        proc = subprocess.Popen([sys.executable, "-m", "accord", "ingest", str(folder), "--db", str(db),
                                 "--batch-size", "4"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
        times.append(round(wait, 1))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big-line-mb", type=int, default=10)
    parser.add_argument("--kills", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="accord-robustness-"))
    try:
        good = work / "good"
        good.mkdir()
        for seed in sorted(SEEDS.glob("*.txt")):
            shutil.copy(seed, good / seed.name)
        _, good_s, good_mb = ingest(good, work / "good.db")

        folder = work / "corpus"
        cases = hostile.build(folder, SEEDS, big_line_mb=args.big_line_mb)
        done, seconds, peak = ingest(folder, work / "clean.db")
        summary = json.loads(next(line for line in done.stdout.splitlines() if line.startswith("{")))
        traceback = "Traceback" in done.stderr
        totals, lines = report(cases, work / "clean.db")
        print(f"hostile corpus: {len(cases)} files of {len({c.kind for c in cases})} kinds, "
              f"{summary['read']} documents read")
        print("\n".join(lines))
        print(f"stored {totals['stored']} (of which partly coded {totals['partly coded']}), "
              f"refused {totals['refused']}; exit status {done.returncode}; traceback: {'YES' if traceback else 'none'}")
        print(f"time {seconds:.1f} s ({seconds / good_s:.1f}x the good documents alone), "
              f"peak memory {peak:.0f} MB ({peak / good_mb:.1f}x)")

        again, again_s, _ = ingest(folder, work / "clean.db")
        second = json.loads(next(line for line in again.stdout.splitlines() if line.startswith("{")))
        print(f"second ingest of the same folder: {second['new']} new, {second['duplicates']} already stored, "
              f"{again_s:.1f} s")

        killed = work / "killed.db"
        times = killed_and_resumed(folder, killed, args.kills, random.Random(args.seed), window=seconds)
        resumed, _, _ = ingest(folder, killed)
        with Store(f"sqlite:///{work / 'clean.db'}") as a, Store(f"sqlite:///{killed}") as b:
            check_whole(b)
            expected, got = record(a), record(b)
            ids = [r[0] for r in got["articles"]]
            same = {k: got[k] == expected[k] for k in expected}
        lost = len({r[0] for r in expected["articles"]} - set(ids))
        print(f"killed {args.kills} times (after {', '.join(map(str, times))} s), then resumed "
              f"(exit {resumed.returncode}): {len(ids)} articles, {len(ids) - len(set(ids))} duplicated, {lost} lost; "
              "same " + ", ".join(k for k, v in same.items() if v)
              + ("" if all(same.values()) else "; DIFFERENT " + ", ".join(k for k, v in same.items() if not v)))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
