"""Event dates with their provenance: stated in the sentence, given by the
dateline, or the publication day of a report of the day's news."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import accord
from conftest import SEEDS, SHARED
from accord.code.dates import find

REF = date(2025, 6, 10)


@pytest.mark.parametrize("text, first, last, precision", [
    ("talks on May 7-8 in Hanoi", date(2025, 5, 7), date(2025, 5, 8), "day"),
    ("from June 3-4", date(2025, 6, 3), date(2025, 6, 4), "day"),
    ("on 7-8 May", date(2025, 5, 7), date(2025, 5, 8), "day"),
    ("agreed on Monday (Jun 3) to upgrade ties", date(2025, 6, 3), None, "day"),
    ("on the morning of 3 June local time", date(2025, 6, 3), None, "day"),
    ("in late March", date(2025, 3, 1), None, "month"),
    ("in mid-April 2024", date(2024, 4, 1), None, "month"),
    ("in 2013", date(2013, 1, 1), None, "year"),
    ("May 30 to June 2", date(2025, 5, 30), date(2025, 6, 2), "day"),
])
def test_stated_dates_in_every_common_form(text, first, last, precision):
    (expr,) = [e for e in find(text, REF) if e.value]
    assert (expr.value, expr.last, expr.precision) == (first, last, precision)


def events(text: str, **meta):
    return [e for e in accord.extract(text).events if e.source or e.target]


WIRE = """31-MAR-1987 12:50:25.15

CANBERRA, March 30 - Australian Prime Minister Bob Hawke opened talks with Indonesian President Suharto on trade and security, officials said.

Hawke met Indonesia's foreign minister on Saturday, the officials added."""


def test_the_dateline_day_dates_a_report_of_the_day():
    found = events(WIRE)
    talks = next(e for e in found if "talks" in e.trigger or "opened" in e.trigger)
    assert (talks.date, talks.date_source) == ("1987-03-30", "dateline")
    saturday = next(e for e in found if e.trigger.startswith("met"))
    assert (saturday.date, saturday.date_source) == ("1987-03-28", "stated")


def test_the_publication_day_when_nothing_else_dates_it():
    text = ("Monday, 03/02/2025 14:20 (GMT+7)\n\nThe Lao Prime Minister held talks with the visiting Cambodian "
            "Prime Minister in Vientiane, the Lao news agency reported.")
    (talks,) = [e for e in events(text) if e.type == "CONSULT"]
    assert (talks.date, talks.date_source, talks.date_precision) == ("2025-02-03", "published", "day")


def test_no_date_is_invented():
    (e,) = [e for e in events("Turkish President Recep Tayyip Erdogan held talks with Iraqi Prime Minister "
                              "Mohammed Shia al-Sudani in Ankara on trade and water.") if e.type == "CONSULT"]
    assert e.date is None and e.date_source is None and e.date_reason == "unsupported"


def test_the_contract_carries_the_provenance():
    record = accord.extract(WIRE).as_dict()
    event = record["events"][0]
    assert {"date", "date_end", "date_precision", "date_source"} <= set(event)


@pytest.mark.parametrize("sentence, level, rank", [
    ("China and Russia agreed on Monday (Jun 3) to upgrade ties to a comprehensive strategic partnership of "
     "coordination for a new era.", "comprehensive strategic partnership of coordination for a new era", 7),
    ("Vietnam and Indonesia elevated relations to a comprehensive strategic partnership on Tuesday.",
     "comprehensive strategic partnership", 6),
    ("Indonesia and Australia upgraded their relationship to a Comprehensive Strategic Partnership.",
     "comprehensive strategic partnership", 6),
    ("Japan and the Philippines agreed to establish diplomatic relations.", "diplomatic relations", 0),
])
def test_relation_levels_in_full_with_their_rank(sentence, level, rank):
    upgrades = [e for e in accord.extract(sentence).events if e.relation_level]
    assert upgrades and upgrades[0].relation_level == level and upgrades[0].relation_rank == rank


def test_publication_time_from_html_metadata_and_url_paths(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        '<html><head><meta property="article:published_time" content="2025-05-08T09:44:00+07:00">'
        "<title>Vietnam and Azerbaijan sign deals</title></head><body><article><h1>Vietnam and Azerbaijan sign deals</h1>"
        "<p>Vietnam and Azerbaijan signed six cooperation documents in Baku on Wednesday, the two governments said in a "
        "joint statement issued after talks between the two leaders.</p><p>The documents cover energy, trade, education "
        "and transport, and the two sides agreed to open direct flights between their capitals next year.</p>"
        "</article></body></html>")
    article = accord.extract(str(page))
    assert (article.published, article.published_precision) == ("2025-05-08T09:44:00+07:00", "minute")
    feed = tmp_path / "feed.jsonl"
    import json
    feed.write_text(json.dumps({"text": "Vietnam and Azerbaijan signed six cooperation documents in Baku, the two "
                                        "governments said in a joint statement issued after talks between the leaders.",
                                "url": "https://news.example.org/world/2025/05/07/vietnam-azerbaijan"}) + "\n")
    (from_url,) = accord.extract_paths([str(feed)])
    assert (from_url.published, from_url.published_precision) == ("2025-05-07", "day")
    talks = [e for e in from_url.events if e.type in ("SUPPORT", "CONSULT")]
    assert talks and all(e.date == "2025-05-07" and e.date_source == "published" for e in talks)


_PIECES = ["May", "may", "MARCH", "Sept.", "Monday", "yesterday", "TONIGHT", "last week", "two years ago", "in 2019",
           "7-8", "3", "the end of", "early", "Mid", "Jun 3", "on", "and", " ", ", ", "talks", "Hanoi", "é", "İ", "ſ", "\u212a", "“", "’s",
           "ago", "A", "this Morning", "the same day", "Earlier this MONTH", "next year", "Dec", "of", "since 1998",
           "Mid-", "LATE", "the End of", "sept. 3", "Aug 3-4", "March 3 and 5", "amid", "the Start of"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES) | st.text(max_size=6), max_size=12))
def test_date_scan_skips_only_texts_with_nothing_to_find(pieces):
    """The scan skips the patterns for a text with no digit and no date
    word; on any text, it finds what running every pattern finds."""
    from accord.code.dates import EXPRESSIONS, _matches

    text = " ".join(pieces)
    every = [(kind, m.span()) for kind, pattern in EXPRESSIONS for m in pattern.finditer(text)]
    assert [(kind, m.span()) for kind, m in _matches.__wrapped__(text)] == every


def test_date_scan_finds_every_match_in_real_text():
    """Every paragraph of the seeds, the dev articles and the Reuters
    sample: the scan, which runs a pattern only where its matches may be,
    finds what running every pattern finds, and every kind of expression
    is met."""
    import json

    from accord.code.dates import EXPRESSIONS, _matches

    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((SHARED / "data" / "articles").glob("*.txt"))]
    lines = (SHARED / "data" / "reuters21578_sample.jsonl").read_text(encoding="utf-8").splitlines()
    texts += [json.loads(line)["text"] for line in lines if line.strip()]
    texts.append("The forum met on 7-8 May, two weeks ago, and again early June.")  # kinds the corpus lacks
    kinds = set()
    for paragraph in (p for t in texts for p in t.split("\n\n")):
        every = [(kind, m.span()) for kind, pattern in EXPRESSIONS for m in pattern.finditer(paragraph)]
        assert [(kind, m.span()) for kind, m in _matches.__wrapped__(paragraph)] == every, paragraph[:80]
        kinds |= {kind for kind, _ in every}
    assert kinds == {kind for kind, _ in EXPRESSIONS}


def test_reference_and_main_dates_read_only_the_expressions_that_name_a_day():
    """With no publication date, the reference is the latest day an article
    prints with its year; the main date is the first day the opening names
    explicitly.  Reading only the expressions that can give such a day
    (and those before them) finds the days that every expression finds,
    on every text of the seeds, the dev articles and the Reuters sample."""
    import json
    from datetime import date

    from accord.code.dates import _DAY_KINDS, _find, find, is_historical, main_date, reference_date

    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((SHARED / "data" / "articles").glob("*.txt"))]
    lines = (SHARED / "data" / "reuters21578_sample.jsonl").read_text(encoding="utf-8").splitlines()
    texts += [json.loads(line)["text"] for line in lines if line.strip()]
    texts.append("Talks began early May 3, 2019 and ended on 7-8 June 2019; in May 2019 they met again.")
    found = 0
    for text in texts:
        every = [d for d in find(text, None) if d.value and d.precision == "day" and d.explicit]
        assert [d for d in _find(text, None, 0, False, _DAY_KINDS) if d.value and d.precision == "day"
                and d.explicit] == every, text[:80]
        if every:
            found += 1
            assert reference_date(None, [text]) == max(d.value for d in every)
        for ref in (date(1987, 3, 5), date(2025, 5, 8)):
            explicit = [d for d in find(text, ref) if d.value and d.precision == "day" and d.explicit]
            assert [d for d in _find(text, ref, 0, False, _DAY_KINDS) if d.value and d.precision == "day"
                    and d.explicit] == explicit, text[:80]
            first = next(((d.value, d.precision) for d in explicit if not is_historical(d, ref) and d.value <= ref), None)
            assert main_date([text], ref) == first
    assert found >= 20


def _without_lookahead(pattern):
    """``pattern`` less the lookahead it opens with (a skip to the letters a
    match may start with)."""
    import re

    text = pattern.pattern
    assert text.startswith("(?=[")
    return re.compile(text[text.index("]") + 2:], pattern.flags)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES) | st.text(max_size=6), max_size=12))
def test_a_leading_lookahead_changes_no_match(pieces):
    """The expressions that open with a lookahead of their first letters
    match where they match without it."""
    from accord.code.dates import EXPRESSIONS

    text = " ".join(pieces)
    looking = [(kind, p) for kind, p in EXPRESSIONS if p.pattern.startswith("(?=[")]
    assert len(looking) == 3
    for kind, p in looking:
        assert [m.span() for m in p.finditer(text)] == [m.span() for m in _without_lookahead(p).finditer(text)], kind


def test_a_leading_lookahead_changes_no_match_in_real_text():
    import json

    from accord.code.dates import EXPRESSIONS

    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((SHARED / "data" / "articles").glob("*.txt"))]
    lines = (SHARED / "data" / "reuters21578_sample.jsonl").read_text(encoding="utf-8").splitlines()
    texts += [json.loads(line)["text"] for line in lines if line.strip()]
    found = 0
    for kind, p in EXPRESSIONS:
        if p.pattern.startswith("(?=["):
            bare = _without_lookahead(p)
            for text in texts:
                spans = [m.span() for m in p.finditer(text)]
                assert spans == [m.span() for m in bare.finditer(text)], (kind, text[:80])
                found += len(spans)
    assert found > 500
