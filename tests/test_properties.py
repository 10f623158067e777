"""Property tests (hypothesis): any bytes in, a valid record or a recorded
failure out, with every evidence span inside the article's text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import accord
from accord.models import Article, Failure, RawDocument
from accord.pipeline import extract_documents
from accord.read.decode import decode
from accord.read.files import content_id, sniff_kind

NEWS = st.sampled_from([
    "Vietnam and Japan signed an agreement in Hanoi on Monday.",
    "Russian forces shelled Kharkiv overnight, Ukrainian officials said.",
    "The Kenyan president will visit Ethiopia next month.",
    "KUALA LUMPUR, Nov 6 (Bernama) -- Malaysia and Indonesia held talks.",
    "Protesters rallied across France against the pension reform.",
    "Côte d'Ivoire and Ghana agreed to cooperate on cocoa prices.",
    "<script>alert(1)</script> \u202e\u0000\u200b",
])
TEXT = st.lists(st.one_of(NEWS, st.text(max_size=80)), min_size=1, max_size=8).map("\n\n".join)


def _check(item) -> None:
    assert isinstance(item, (Article, Failure))
    if isinstance(item, Failure):
        assert item.source and item.stage in ("read", "clean", "code") and item.reason
        return
    for event in item.events:
        assert event.evidence
        for span in event.evidence:
            assert 0 <= span.start <= span.end <= len(item.text)
            assert item.text[span.start:span.end] == span.text
    for commitment in item.commitments:
        assert 0 <= commitment.evidence.start <= commitment.evidence.end <= len(item.text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_any_bytes_are_read_or_refused_by_name(data):
    try:
        text = decode(data, "<bytes>")
    except accord.InputError as err:
        assert err.source == "<bytes>" and err.reason
        return
    assert isinstance(text, str)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_any_text_gives_a_valid_record_or_a_recorded_failure(text):
    data = text.encode("utf-8", "surrogatepass")
    try:
        decoded = decode(data, "<prop>")
    except accord.InputError:
        return
    raw = RawDocument(id=content_id(data), source="<prop>", text=decoded, kind=sniff_kind(data))
    (item,) = list(extract_documents([raw], accord.Settings()))
    _check(item)


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_folding_keeps_offsets_and_folds_each_character_alone(text):
    from accord.nlp.text import _fold_char, fold

    folded = fold(text)
    assert len(folded) == len(text)
    assert folded == "".join(_fold_char(c) for c in text)  # the table is the character fold, applied once each
    assert fold(folded) == folded  # folded text is not folded again (the actor index reads it as it is)
    assert fold("Tô Lâm, Đà Nẵng, Łódź’s") == "To Lam, Da Nang, Lodz's"


BOILERPLATE_WORDS = st.sampled_from(["©", "copyright", "Related", "read more", ":", "Tel", "Share", "Home", ">",
                                     "editor-in-chief", "logo", "subscribe", "bank account", "day | week", " ", "2025"])


@given(st.lists(st.one_of(BOILERPLATE_WORDS, st.text(max_size=12)), max_size=6).map("".join))
@settings(max_examples=400, deadline=None)
def test_one_boilerplate_search_finds_what_each_pattern_would(line):
    from accord.clean.lines import _boilerplate, boilerplate

    alone = next(((action, p.pattern) for action, p in _boilerplate() if p.search(line)), None)
    assert boilerplate(line) == alone
