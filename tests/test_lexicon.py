"""The trigger lexicon, written from the PLOVER codebook: every CAMEO code of
the CAMEO→PLOVER table has words, each tagged with the code's type."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from conftest import SHARED

from accord.code.lexicon import MANUAL_TYPES, PLOVER_TYPES, _lexicon_rows, triggers

TABLE = SHARED / "reference" / "plover" / "CAMEO2PLOVER-2021.txt"


def cameo_table() -> dict[str, str]:
    """CAMEO code → PLOVER type, as the table gives it and the manual corrects it."""
    out = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        m = re.match(r"(\d{3,4}):\s*([A-Z]+)", line)
        if m:
            out[m.group(1)] = MANUAL_TYPES.get(m.group(1), m.group(2))
    return out


def codebook_rows():
    return [(name, row) for name, row in _lexicon_rows() if name.startswith("lexicon/")]


def test_every_cameo_code_of_the_table_has_words():
    table = cameo_table()
    covered = {row[4].strip() for _, row in codebook_rows()}
    assert len(table) > 250
    missing = sorted(set(table) - covered)
    assert not missing, f"CAMEO codes with no entry: {missing}"


def test_entries_carry_the_type_of_their_code():
    table = cameo_table()
    wrong = [(name, row[0], row[4], row[2]) for name, row in codebook_rows()
             if row[4].strip() in table and table[row[4].strip()] != row[2].strip()]
    assert not wrong, wrong[:10]


def test_the_lexicon_is_codebook_wide():
    rows = codebook_rows()
    assert len(rows) >= 3000, "thousands of entries, not hundreds"
    kinds = {row[1] for _, row in rows}
    assert {"VERB", "NOUN"} <= kinds
    multiword = [row for _, row in rows if row[5:6] and row[5].strip()]
    assert len(multiword) >= 500, "entries that depend on their object (lift + curfew, cut + aid)"
    assert {t.type for options in triggers().values() for t in options} == set(PLOVER_TYPES)


@pytest.mark.parametrize("sentence, expected", [
    ("Britain and Rwanda signed a memorandum of understanding on migration in Kigali today.", "SUPPORT"),
    ("Kenya and Ethiopia signed an agreement on Tuesday.", "SUPPORT"),
    ("The Iraqi government lifted the curfew in Baghdad on Sunday.", "RETREAT"),
    ("Russian forces shelled the Ukrainian city of Kharkiv overnight.", "ASSAULT"),
    ("Sudan expelled the Norwegian aid agency from Darfur.", "SANCTION"),
    ("Turkey cancelled the visit of the Dutch foreign minister.", "SANCTION"),
    ("Colombia granted asylum to the former Peruvian president.", "AID"),
    ("North Korea launched a cyberattack on the South Korean defence ministry, Seoul said.", "COERCE"),
    ("Israel and Hamas agreed to a ceasefire brokered by Egypt.", "AGREE"),
])
def test_core_sentences_of_every_kind(sentence, expected):
    import accord
    events = [e for e in accord.extract(sentence).events if e.source or e.target]
    assert events and events[0].type == expected, [(e.type, e.trigger) for e in events]


def test_first_pass_reads_names_and_irregular_forms():
    from accord.code.lexicon import has_trigger
    # "March" inside a sentence is the month: only noun entries count for a proper noun.
    assert not has_trigger("Prices rose in March, the ministry said.")
    assert has_trigger("Thousands march on the capital.")  # the verb
    assert has_trigger("Prices rose. March was cold.")  # a sentence may open with the verb
    assert has_trigger("TROOPS MARCH INTO TOWN")  # a headline says nothing by its capitals
    # "said X must": the "@must" object is a clause with must or should.
    assert not has_trigger("The minister said prices rose.")
    assert has_trigger("The minister said Japan must pay.")
    # Irregular forms come from the model's lemmatizer exceptions (the lexicon lists lemmas).
    from accord.code.lexicon import trigger_forms
    assert {"said", "paid", "sold", "fled", "withheld"} <= set(trigger_forms())


def _keyword_texts() -> list[str]:
    import json

    texts = [p.read_text(encoding="utf-8") for p in sorted((SHARED / "seeds").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((SHARED / "data" / "articles").glob("*.txt"))]
    lines = (SHARED / "data" / "reuters21578_sample.jsonl").read_text(encoding="utf-8").splitlines()
    texts += [json.loads(line)["text"] for line in lines if line.strip()]
    return [s for t in texts for s in re.split(r"(?<=\.)\s+", t)]


def test_keywords_find_what_their_pattern_finds():
    """Every sentence of the seeds, the dev articles and the Reuters sample:
    the context and sector keywords, found in the lower-cased text, are
    where their case-insensitive pattern finds them; and each line of the
    lexicon is met somewhere."""
    from accord.code.lexicon import contexts, sectors

    met = set()
    for sentence in _keyword_texts():
        for name, words in contexts() + sectors():
            spans = [m.span() for m in words.pattern.finditer(sentence)]
            assert words.spans(sentence) == spans, (name, sentence[:80])
            assert words.search(sentence) == bool(spans)
            if spans:
                met.add(name)
    assert len(met) >= 0.8 * len(contexts() + sectors())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["trade", "Trade", "TRADES", "free-trade", "retrade", "_trade", "sanction", "visas",
                                 "é", "İ", "K", "ſ", " ", ", ", "-", "2trade", "defence", "Defense", "investment"])
                | st.text(max_size=5), max_size=10))
def test_keywords_match_their_pattern_on_any_text(pieces):
    from accord.code.lexicon import contexts, sectors

    text = " ".join(pieces)
    for _, words in contexts() + sectors():
        assert words.spans(text) == [m.span() for m in words.pattern.finditer(text)]
        assert words.search(text) == (words.pattern.search(text) is not None)


def _has_trigger_as_first_written(text: str) -> bool:
    """The pre-filter looking at every word's place (has_trigger does so only
    where a form is written with a capital)."""
    from accord.code.lexicon import _WORD, _starts_sentence, trigger_forms

    forms = trigger_forms()
    found = list(_WORD.finditer(text))
    words = {m.group().lower() for m in found}
    words |= {part for w in words if "-" in w for part in w.split("-")}
    names: set[str] = set()
    capitals = [m for m in found if m.group()[0].isupper()]
    if len(capitals) * 2 < len(found):  # not a headline
        inside = {m.start() for m in capitals if not _starts_sentence(text, m.start())}
        names = {m.group().lower() for m in capitals if m.start() in inside and not m.group().isupper()}
        names -= {m.group().lower() for m in found if m.start() not in inside}
    nouns = trigger_forms(nouns_only=True) if names else forms
    for w in words:
        table = nouns if w in names else forms
        if w in table and (table[w] is None or not table[w].isdisjoint(words)):
            return True
    return False


def test_trigger_prefilter_answers_as_first_written():
    """Every sentence and paragraph of the seeds, the dev articles and the
    Reuters sample, and the tricky cases above."""
    from accord.code.lexicon import has_trigger

    texts = _keyword_texts()
    texts += [p for t in texts for p in t.split("\n\n")]
    texts += ["Prices rose in March, the ministry said.", "Thousands march on the capital.", "Prices rose. March was cold.",
              "TROOPS MARCH INTO TOWN", "The minister said Japan must pay.", "Talks with Visit Japan Inc. on Visit.",
              "They met. Meeting Street is closed.", "Sanctions-Relief talks", "He said the Sanction Act passed."]
    kept = sum(has_trigger(t) for t in texts)
    assert all(has_trigger(t) == _has_trigger_as_first_written(t) for t in texts)
    assert 0.2 * len(texts) < kept < len(texts)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["March", "march", "MARCH", "Visit", "visit", "talks", "Talks", "said", "must", "Japan",
                                 "sanctions", "Sanction-Relief", ".", "\n", "“", "(", "The", "A", "aid", "Aid"])
                | st.text(alphabet="abcXYZ .-'\n", max_size=8), max_size=14))
def test_trigger_prefilter_answers_as_first_written_on_any_text(pieces):
    from accord.code.lexicon import has_trigger

    text = " ".join(pieces)
    assert has_trigger(text) == _has_trigger_as_first_written(text)


def _keyword_sets():
    from accord.code.lexicon import contexts, sectors

    return [k for _, k in contexts()] + [k for _, k in sectors()]


_KEY_PIECES = ["sanctions", "Sanctionées", "visa", "VISA", "joint statement", "joint“statement", "é", "ü", "İ", "ı",
               "ſ", "\u212a", "“", "’", "—", "_", "trade", "défense", "defence", "ﬁ", "ß", "Ω", "中国", " ", "-", "7"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_KEY_PIECES) | st.text(max_size=5), max_size=14),
       st.lists(st.sampled_from(_KEY_PIECES), max_size=4))
def test_keywords_are_found_where_the_case_insensitive_pattern_finds_them(pieces, more):
    """The scan in the lower-cased text (with a stand-in for each character
    outside ASCII) finds what the pattern ``\\b(?:...)`` read
    case-insensitively finds, at the same places, in any text, for every
    line of the context and sector lexicons, and for words of our own."""
    from accord.code.lexicon import Keywords

    text = "".join(pieces)
    extra = Keywords("|".join(["sanction*", "visa", "joint statement", "trade*", "défense", "defence"] +
                              [p for p in more if p.strip()]))
    for k in _keyword_sets() + [extra]:
        assert k.spans(text) == [m.span() for m in k.pattern.finditer(text)], (k.words[:5], text)
        assert k.search(text) == (k.pattern.search(text) is not None)


def test_keywords_read_letters_that_case_folding_makes_ascii():
    """"ſanctions" is "sanctions" to re ignoring case, and "VİSA" is "visa":
    so to the scan."""
    from accord.code.lexicon import Keywords

    k = Keywords("sanction*|visa|korea")
    assert k.spans("new ſanctions and a VİSA ban on \u212aorea’s “envoy”") == [(4, 13), (20, 24), (32, 37)]
    assert k.spans("sanctionées, visas, a visa") == [(0, 11), (22, 26)]


def test_keywords_in_real_text_outside_ascii():
    """Every paragraph of the seeds and the dev articles (curly quotes,
    dashes, Vietnamese names): the scan finds what the pattern finds."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((SHARED / "seeds").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((SHARED / "data" / "articles").glob("*.txt"))]
    paragraphs = [p for t in texts for p in t.split("\n\n") if not p.isascii()]
    assert len(paragraphs) > 50
    found = 0
    for k in _keyword_sets():
        for p in paragraphs:
            spans = k.spans(p)
            assert spans == [m.span() for m in k.pattern.finditer(p)], (k.words[:5], p[:80])
            found += len(spans)
    assert found > 100
