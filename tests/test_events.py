"""Stages 3 to 5 on the reference articles and on sentences written for
accord: actors, events, dates, places and commitments."""

from conftest import RESOURCES
from hypothesis import given, settings
from hypothesis import strategies as st

import accord
from accord.code import code_many
from accord.models import Article


def events_of(article, type_=None, mode=None):
    return [e for e in article.events if (type_ is None or e.type == type_) and (mode is None or e.mode == mode)]


def codes(actors):
    return {a.country for a in actors}


def people(article):
    return {p.name: p for p in article.people}


def test_people_of_the_seeds(seeds):
    p0, p1 = people(seeds["000"]), people(seeds["001"])
    assert p0["To Lam"].country == "VNM" and p0["To Lam"].role == "General Secretary"
    lam = p1["To Lam"]
    assert lam.country == "VNM" and {"Tô Lâm", "Lâm"} <= set(lam.mentions)
    assert p1["Ilham Aliyev"].country == "AZE" and not p1["Ilham Aliyev"].historical
    assert p1["Heydar Aliyev"].historical and p1["Heydar Aliyev"].name != p1["Ilham Aliyev"].name
    assert p1["Ali Asadov"].country == "AZE" and p1["Ali Asadov"].role == "Prime Minister"
    assert p1["Pham Minh Chinh"].country == "VNM" and p1["Pham Minh Chinh"].role == "Prime Minister"


def test_talks_in_baku_on_may_7(seeds):
    talks = [e for e in events_of(seeds["000"], "CONSULT", "meet") if e.place and e.place.name == "Baku"]
    assert talks, "the talks in Baku are coded"
    e = talks[0]
    assert codes(e.source + e.target) == {"VNM", "AZE"}
    assert e.date == "2025-05-07" and e.date_precision == "day"
    names = {a.name for a in e.source + e.target}
    assert {"To Lam", "Ilham Aliyev"} <= names


def test_state_visit_visitor_is_source(seeds):
    for article in seeds.values():
        visits = events_of(article, "CONSULT", "visit")
        assert visits
        assert all(codes(v.source) == {"VNM"} and codes(v.target) == {"AZE"} for v in visits)


def test_strategic_partnership(seeds):
    for key, article in seeds.items():
        sp = [e for e in events_of(article, "SUPPORT") if e.relation_level == "strategic partnership"]
        assert sp, key
        assert all(codes(e.source + e.target) == {"VNM", "AZE"} for e in sp)
    assert events_of(seeds["000"], "SUPPORT")[0].date == "2025-05-07"
    adopted = [e for e in events_of(seeds["000"], "SUPPORT", "sign")]
    assert adopted, "the joint statement adopted is coded"


def test_meeting_with_asadov_has_no_date(seeds):
    meetings = [e for e in events_of(seeds["001"], "CONSULT", "meet")
                if "Ali Asadov" in {a.name for a in e.source + e.target}]
    assert meetings
    m = meetings[0]
    assert codes(m.source) == {"VNM"} and codes(m.target) == {"AZE"}
    assert m.date is None
    assert m.place is not None and m.place.country == "AZE"


def test_invitation_to_visit_vietnam(seeds):
    (inv,) = [e for e in events_of(seeds["001"], "AGREE") if "invitation" in e.trigger]
    assert {a.name for a in inv.source} == {"Pham Minh Chinh"}
    assert {a.name for a in inv.target} == {"Ali Asadov"}


def test_no_events_from_related_news_or_history(seeds):
    for article in seeds.values():
        for e in article.events:
            text = e.evidence[0].text
            assert "Do Van Chien" not in text and "Evelina" not in text and "cooking oil" not in text
            assert "laid by" not in text
            assert not any(a.name in ("Heydar Aliyev", "Ho Chi Minh") for a in e.source + e.target)


def test_evidence_points_into_the_text(seeds):
    for article in seeds.values():
        for e in article.events:
            for span in e.evidence:
                assert article.text[span.start:span.end] == span.text


SECTORS = ["political and diplomatic", "party", "parliamentary", "economy and trade", "investment", "energy",
           "agriculture", "environment and climate", "transport", "defence", "security and law enforcement",
           "education and science", "culture tourism and people", "multilateral"]


def test_commitments_of_the_joint_statement(seeds):
    found = {}
    for c in seeds["000"].commitments:
        assert set(c.parties) == {"AZE", "VNM"}
        assert seeds["000"].text[c.evidence.start:c.evidence.end].strip() == c.text
        found.setdefault(c.sector, []).append(c.text)
    for sector in SECTORS:
        assert sector in found, sector
    assert any("Trans-Caspian" in t for t in found["transport"])
    assert any("oil and gas" in t for t in found["energy"])
    assert any("Non-Aligned" in t for t in found["multilateral"])


def test_five_groups_of_solutions(seeds):
    sectors = {c.sector for c in seeds["001"].commitments}
    assert {"energy", "agriculture", "education and science", "economy and trade", "investment"} <= sectors


def coded(*texts, published=None):
    articles = [Article(id=str(i), text=t, language="en", published=published) for i, t in enumerate(texts)]
    return list(code_many(articles))


def test_dates_resolve_against_the_publication_day():
    (a,) = coded("Indonesian President Prabowo Subianto met Japanese Prime Minister Shigeru Ishiba in Tokyo on Wednesday.",
                 published="2025-03-14")  # a Friday
    (e,) = events_of(a, "CONSULT")
    assert e.date == "2025-03-12" and e.place.name == "Tokyo" and e.place.country == "JPN"


def test_relative_dates_without_anchor_stay_unknown():
    (a,) = coded("Indonesian President Prabowo Subianto met Japanese Prime Minister Shigeru Ishiba in Tokyo on Wednesday.")
    (e,) = events_of(a, "CONSULT")
    assert e.date is None


def test_future_visit_is_agree_and_negation_is_flagged():
    a, b = coded("Kenyan President William Ruto will visit Ethiopia next month, his office said.",
                 "Argentina did not sign the trade agreement with Brazil.", published="2025-01-10")
    (e,) = a.events
    assert e.type == "AGREE" and e.future and codes(e.source) == {"KEN"} and codes(e.target) == {"ETH"}
    assert all(ev.negated for ev in b.events) and b.events


def test_pronouns_and_family_names():
    (a,) = coded("Chinese President Xi Jinping held talks with Russian President Vladimir Putin in Moscow. "
                 "Xi said China is ready to deepen cooperation with Russia. He also invited Putin to visit Beijing.",
                 published="2025-05-08")
    assert people(a)["Xi Jinping"].mentions == ("Xi Jinping", "Xi")
    inv = [e for e in events_of(a, "AGREE") if "invited" in e.trigger]
    assert inv and codes(inv[0].source) == {"CHN"} and codes(inv[0].target) == {"RUS"}


def test_conflict_types():
    texts = ["Russia accused Ukraine of shelling a border village.",
             "Iran rejected a European proposal to resume nuclear talks.",
             "The United States imposed sanctions on North Korea over its missile tests.",
             "Pakistan threatened to expel Afghan diplomats unless the attacks stopped.",
             "Israeli air strikes hit targets in southern Lebanon overnight.",
             "Dock workers in France staged a general strike against the pension reform."]
    expected = [("ACCUSE", "RUS", "UKR"), ("REJECT", "IRN", None), ("SANCTION", "USA", "PRK"), ("THREATEN", "PAK", None),
                ("ASSAULT", "ISR", "LBN"), ("PROTEST", "FRA", "FRA")]
    for article, (type_, src, tgt) in zip(coded(*texts), expected):
        first = article.events[0]
        assert first.type == type_, article.text
        assert src in codes(first.source)
        if tgt:
            assert tgt in codes(first.target)


def test_unseen_page_events_and_commitments():
    a = accord.extract(str(RESOURCES / "scraped_page.txt"))
    keys = {(e.type, frozenset(codes(e.source + e.target))) for e in a.events}
    assert ("CONSULT", frozenset({"LAO", "KHM"})) in keys
    assert ("SUPPORT", frozenset({"LAO", "KHM"})) in keys
    talks = events_of(a, "CONSULT")[0]
    assert talks.date == "2025-02-02" and talks.place.name == "Vientiane"
    assert {"agriculture", "culture tourism and people", "security and law enforcement"} <= {c.sector for c in a.commitments}


def test_keyword_events_in_other_languages(tmp_path):
    page = tmp_path / "ms.txt"
    page.write_text("KUALA LUMPUR - Perdana Menteri Anwar Ibrahim akan mengadakan lawatan rasmi ke Indonesia "
                    "selama dua hari bermula 12 Ogos 2025, kata Menteri Luar hari ini. Kedua-dua pemimpin dijangka "
                    "menyaksikan majlis menandatangani memorandum persefahaman antara Malaysia dan Indonesia.")
    a = accord.extract(str(page))
    assert a.language == "ms"
    visit = [e for e in a.events if e.trigger.startswith("lawatan")][0]
    assert visit.type == "AGREE" and codes(visit.source) == {"MYS"} and codes(visit.target) == {"IDN"}
    assert visit.date == "2025-08-12"
    assert any(e.type == "SUPPORT" and codes(e.source) == {"MYS", "IDN"} for e in a.events)


def test_capitals_stand_for_governments_and_periods_resolve():
    a, b = coded("Hanoi and Baku agreed last week to boost trade and investment.",
                 "Earlier this month, Tokyo and Canberra signed a defence agreement.", published="2025-05-21")
    (e,) = a.events
    assert e.type == "AGREE" and codes(e.source) == {"VNM", "AZE"} and (e.date, e.date_precision) == ("2025-05-14", "week")
    (f,) = b.events
    assert f.type == "SUPPORT" and codes(f.source) == {"JPN", "AUS"} and (f.date, f.date_precision) == ("2025-05-01", "month")


def test_an_agreement_names_its_parties_not_what_it_is_against():
    a = accord.extract(str(RESOURCES / "scraped_page_2.txt"))
    signed = [e for e in a.events if e.type == "SUPPORT"]
    assert signed and all(codes(e.source + e.target) == {"JPN", "PHL"} for e in signed)
    assert signed[0].date == "2024-07-08"


def test_i_is_the_speaker_of_a_statement(tmp_path):
    page = tmp_path / "remarks.txt"
    page.write_text("Remarks by Prime Minister Anthony Albanese at the joint press conference with Indonesian "
                    "President Prabowo Subianto in Canberra on 12 November 2024.\n\n"
                    "President Prabowo and I have agreed to upgrade our relationship to a Comprehensive Strategic "
                    "Partnership, which reflects the trust between our two countries.\n\n"
                    "\"I will visit Jakarta early next year,\" Albanese told reporters after the talks.\n")
    a = accord.extract(str(page))
    upgrades = [e for e in a.events if e.relation_level == "comprehensive strategic partnership"]
    assert upgrades and codes(upgrades[0].source) == {"AUS", "IDN"}
    visit = [e for e in a.events if e.type == "AGREE" and "visit" in e.trigger]
    assert visit and codes(visit[0].source) == {"AUS"} and codes(visit[0].target) == {"IDN"}


_HISTORY_PIECES = ["in the past", "PAST STRUGGLE", "during the war", "During the Resistance", "in history", "years ago",
                   "decades ago", "laid by", "founding father", "anniversary", "years of diplomatic", "years since",
                   "then-", "then - ", "Then -", "pa", "st", "ſ", "\u212a", "İ", "the", "n", " ", "-", "ago", "years"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_HISTORY_PIECES) | st.text(max_size=4), max_size=10))
def test_a_text_history_matches_holds_one_of_its_words(pieces):
    """The coder reads a clause against HISTORY only where its sentence
    holds one of HISTORY_WORDS: every text HISTORY matches holds one."""
    from accord.code.events import HISTORY, HISTORY_WORDS

    text = "".join(pieces)
    if HISTORY.search(text):
        assert HISTORY_WORDS.search(text), text


def test_no_character_outside_ascii_lower_cases_to_between_or_among():
    """``_between`` looks for "between" and "among" in the lower-cased
    sentence before reading its tokens: a token those words are, lower-cased,
    is then in it, since no other character lower-cases to their letters."""
    letters = set("between") | set("among")
    assert not [hex(c) for c in range(128, 0x110000) if letters & set(chr(c).lower())]
