"""The JSON API's query parameters checked by name, before any endpoint
reads them: an unknown one, an empty one, a single-valued one given twice."""

from __future__ import annotations

import pytest
from conftest import SEEDS
from fastapi.testclient import TestClient

import accord
from accord.api import create_app


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('params') / 'p.db'}"
    with accord.open(url) as store:
        accord.ingest([str(SEEDS)], store)
    return TestClient(create_app(accord.Settings(db=url)))


@pytest.mark.parametrize("query, blamed", [
    ("/api/events?type=AGREE&type=CONSULT", "type"), ("/api/articles?limit=1&limit=2", "limit"),
    ("/api/events?contry=VNM", "contry"), ("/api/relations/VNM/AZE?level=x", "level"),
    ("/api/events?country=", "country"), ("/api/stories?q=%20", "q"), ("/api/commitments?sector=", "sector"),
    ("/api/failures?stage=&limit=1", "stage"),
])
def test_a_parameter_the_endpoint_cannot_use_is_refused(client, query, blamed):
    r = client.get(query)
    assert r.status_code == 422, r.text
    assert r.json()["error"]["parameter"] == blamed


def test_what_the_endpoints_take_still_works(client):
    both = client.get("/api/events?country=VNM&country=AZE&limit=1000").json()
    vnm = client.get("/api/events?country=VNM&limit=1000").json()
    assert both["total"] and both["total"] <= vnm["total"]  # a repeated country: events of all of them
    assert client.get("/api/events?type=SUPPORT&since=2025&limit=5&offset=1").status_code == 200
    assert client.get("/api/relations/VNM/AZE").status_code == 200
    assert client.get("/api/stories?q=partnership").status_code == 200
    assert client.get("/network?zzz=1").status_code == 200  # the pages' forms send what they send
