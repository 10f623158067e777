"""The Python API: a curated surface."""

from conftest import SEED_001

import accord


def test_public_names():
    for name in accord.__all__:
        assert getattr(accord, name) is not None
    assert {"extract", "open", "ingest", "Article", "Event", "Store", "Settings"} <= set(accord.__all__)


def test_extract_from_path_text_and_bytes():
    from_path = accord.extract(str(SEED_001))
    text = SEED_001.read_text(encoding="utf-8")
    from_text = accord.extract(text)
    from_bytes = accord.extract(SEED_001.read_bytes())
    assert from_path.id == from_text.id == from_bytes.id
    assert from_path.events and [e.type for e in from_path.events] == [e.type for e in from_text.events]


def test_open_uses_accord_db(tmp_path, monkeypatch):
    monkeypatch.setenv("ACCORD_DB", str(tmp_path / "env.db"))
    store = accord.open()
    assert store.url == f"sqlite:///{tmp_path / 'env.db'}"
    assert store.counts()["articles"] == 0


def test_settings_are_validated():
    import pytest
    with pytest.raises(accord.AccordError):
        accord.Settings(outlet_locale="ymd")


def test_open_refuses_a_database_in_memory_unless_asked(seeds):
    """What is stored in memory is gone when the store closes: accord.open
    and the command line refuse it in one line; asked for, it works."""
    import pytest
    from typer.testing import CliRunner

    from accord.cli import app

    for url in ("sqlite://", "sqlite:///:memory:", "sqlite:///file::memory:?uri=true",
                "sqlite:///file:scratch?mode=memory&uri=true"):
        with pytest.raises(accord.StoreError) as error:
            accord.open(url)
        assert "\n" not in str(error.value) and f"{url!r} is a database in memory" in str(error.value)
    for url in ("sqlite://", "sqlite:///:memory:"):
        result = CliRunner().invoke(app, ["ingest", str(SEED_001), "--db", url])
        assert result.exit_code == 2, result.output
        assert len(result.stderr.strip().splitlines()) == 1 and "is a database in memory" in result.stderr
        assert "new" not in result.stdout
    with accord.open("sqlite://", memory=True) as store:
        assert store.add_article(seeds["001"]) and store.counts()["articles"] == 1


def test_extract_of_a_broken_link_names_the_link(tmp_path):
    """A path that is a link looping on itself or pointing nowhere is a path
    that cannot be read, not a text to code."""
    import pytest

    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    (tmp_path / "gone").symlink_to(tmp_path / "nothing.txt")
    for name, reason in (("loop", "symbolic link loop"), ("gone", "dangling symbolic link")):
        with pytest.raises(accord.AccordError, match=reason):
            accord.extract(str(tmp_path / name))
