"""Limits on one document's work: a long text is coded in bounded pieces and
within a time limit, and a document that needs more memory than the cap
fails alone while the rest of the batch is stored."""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import replace

import pytest
from conftest import SEED_000, SEEDS

from accord import Settings
from accord._errors import AccordError
from accord._limits import TimeLimit, alarm
from accord.code import MAX_CODED, code_many
from accord.store import Store


def _prose(chars: int) -> str:
    """The seed's long paragraphs, one after another on one line."""
    paragraphs = [p for p in SEED_000.read_text(encoding="utf-8").splitlines() if len(p) > 300]
    text = " ".join(paragraphs)
    return (" ".join([text] * (chars // len(text) + 1)))[:chars]


def test_a_long_text_is_coded_in_pieces_up_to_the_cap(seeds):
    text = _prose(3 * MAX_CODED)
    (article,) = code_many([replace(seeds["000"], id="long", text=text, events=(), commitments=())])
    assert article.events, "a long text is coded, not refused"
    assert all(0 <= s.start < s.end <= len(text) and text[s.start:s.end] == s.text
               for e in article.events for s in e.evidence)
    assert len(article.notes) == 1 and "at most 100,000 characters" in article.notes[0]
    coded_to = int(article.notes[0].split("character ")[1].split(" of")[0].replace(",", ""))
    assert max(s.end for e in article.events for s in e.evidence) <= coded_to < len(text)


def test_coding_stops_at_the_time_limit_and_keeps_what_it_found(seeds):
    text = _prose(90_000)  # about 0.6 s of coding after the parse on the development machine: well past the limit
    article = replace(seeds["000"], id="slow", text=text, events=(), commitments=())
    started = time.monotonic()
    (cut,) = code_many([article], time_limit=0.05)
    assert time.monotonic() - started < 30
    assert len(cut.notes) == 1 and "time limit of 0.05 s" in cut.notes[0], cut.notes
    (whole,) = code_many([article])
    assert not whole.notes and len(cut.events) < len(whole.events)
    assert {(e.type, e.evidence[0].start) for e in cut.events} <= {(e.type, e.evidence[0].start) for e in whole.events}


def test_the_seeds_are_coded_whole_within_the_default_limit(seeds):
    assert not seeds["000"].notes and not seeds["001"].notes


def test_the_alarm_stops_work_that_cannot_check_a_clock():
    started = time.monotonic()
    with pytest.raises(TimeLimit, match="time limit of 0.3 s"):
        with alarm(0.3):
            while True:
                sum(range(1000))
    assert time.monotonic() - started < 5
    with alarm(5):  # and is gone once the block ends
        pass
    time.sleep(0.1)


def test_the_alarm_rings_again_when_a_library_swallows_it():
    started, swallowed = time.monotonic(), 0
    with pytest.raises(TimeLimit):
        with alarm(0.2):
            while True:
                try:
                    while True:
                        sum(range(1000))
                except Exception:  # what a careless library does
                    swallowed += 1
                    if swallowed > 1:
                        raise
    assert swallowed == 2 and time.monotonic() - started < 5


@pytest.mark.parametrize("bad", [dict(time_limit=0), dict(time_limit=-1), dict(max_memory=100)])
def test_bad_limits_are_refused(bad):
    with pytest.raises(AccordError):
        Settings(**bad)


def test_a_document_over_the_memory_cap_fails_alone(tmp_path):
    huge = tmp_path / "huge.txt"
    huge.write_text(_prose(60_000_000), encoding="utf-8")
    db = tmp_path / "limits.db"
    result = subprocess.run(
        [sys.executable, "-m", "accord", "ingest", str(huge), str(SEEDS), "--db", str(db),
         "--max-bytes", "100000000", "--max-memory", "700"],
        capture_output=True, text=True, timeout=600)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "huge.txt: needed more than the memory limit of 700 MB" in result.stderr
    with Store(f"sqlite:///{db}") as store:
        assert store.counts()["articles"] == 2
        (failure,) = store.failures()
        assert failure["source"].endswith("huge.txt") and "memory" in failure["reason"]


def test_an_article_whose_parse_runs_out_of_memory_fails_alone():
    """When the parse of a batch runs out of memory, the articles left are
    parsed one by one: the one that runs out alone fails by name, the others
    before and after it are coded."""
    from spacy.language import Language

    from accord.models import Article, Failure
    from accord.nlp.model import load_nlp

    if "accord_test_exhausts_memory" not in Language.factories:
        @Language.component("accord_test_exhausts_memory")
        def exhausts(doc):  # what an allocation past --max-memory does inside the parser
            if "Zanzibar" in doc.text:
                raise MemoryError
            return doc

    nlp = load_nlp.__wrapped__()  # a pipeline of its own: the shared one stays as it is
    nlp.add_pipe("accord_test_exhausts_memory", last=True)
    text = "Vietnam and Singapore signed an agreement on trade in Hanoi on Monday, the foreign ministry said."
    articles = [Article(id="a", text=text, language="en", source="a.txt"),
                Article(id="b", text=text.replace("Hanoi", "Zanzibar"), language="en", source="b.txt"),
                Article(id="c", text=text.replace("Singapore", "Japan"), language="en", source="c.txt")]
    out = list(code_many(articles, nlp))
    assert [type(x) for x in out] == [Article, Failure, Article]
    assert out[1].source == "b.txt" and "could not be parsed: needed more than" in out[1].reason
    assert out[0].events and out[2].events
    assert {e.type for e in out[2].events} == {e.type for e in out[0].events}
