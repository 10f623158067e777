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
