"""The JSON API over HTTP: FastAPI's TestClient, and a real uvicorn server
on loopback.  One record for the module: the two seeds, an article whose
text carries markup meant to run, and a near-copy of it."""

from __future__ import annotations

import json
import shutil
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import SEED_000, SEEDS
from pgserver import free_port
from typer.testing import CliRunner

import accord
from accord.api import create_app
from accord.cli import app as cli

HOSTILE = """Japan and India sign a defence pact <script>window.__pwned=1</script>

TOKYO, June 3 (Reuters) - Japan and India signed a defence agreement in Tokyo on Monday. \
<script>window.__pwned=1</script> The pact covers joint exercises and the supply of equipment.

Japanese Prime Minister Shigeru Ishiba met Indian Prime Minister Narendra Modi at his office, and the two \
leaders agreed to expand maritime cooperation <img src=x onerror="window.__pwned=2"> in the Indian Ocean.

Both countries will strengthen cooperation in defence industry and technology, the joint statement said.
"""

CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:"

ENDPOINTS = {"/api/articles", "/api/articles/{article_id}", "/api/events", "/api/stories", "/api/stories/{story_id}",
             "/api/actors", "/api/relations/{a}/{b}", "/api/commitments", "/api/failures", "/api/documents"}


def build_record(folder: Path) -> str:
    """The seeds, the hostile article and a near-copy of it, ingested into
    a new SQLite store under ``folder``: its URL."""
    inputs = folder / "in"
    inputs.mkdir()
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, inputs)
    (inputs / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    (inputs / "hostile_copy.txt").write_text(HOSTILE + "\nEditing by the desk.\n", encoding="utf-8")
    url = f"sqlite:///{folder / 'web.db'}"
    with accord.open(url) as store:
        summary = accord.ingest([str(inputs)], store)
    assert summary.new == 4 and not summary.failures, summary.as_dict()
    return url


@contextmanager
def running(web_app):
    """``web_app`` served by uvicorn on 127.0.0.1 in a thread: its base URL."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(web_app, host="127.0.0.1", port=free_port(), log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started:
        assert thread.is_alive() and time.time() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{server.config.port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def record(tmp_path_factory) -> str:
    return build_record(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def api(record):
    from fastapi.testclient import TestClient

    with TestClient(create_app(accord.Settings(db=record), write_token=""), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(scope="module")
def server(record):
    with running(create_app(accord.Settings(db=record), write_token="")) as url:
        yield url


def error_of(response, status: int, parameter: str | None = None) -> dict:
    """The one error shape, with its status and the parameter to blame."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "message", "parameter"}, body
    assert body["error"]["status"] == status and body["error"]["message"]
    if parameter is not None:
        assert body["error"]["parameter"] == parameter, body
    return body["error"]


def test_openapi_documents_every_endpoint(api):
    spec = api.get("/openapi.json").json()
    assert ENDPOINTS <= set(spec["paths"])
    events = {p["name"] for p in spec["paths"]["/api/events"]["get"]["parameters"]}
    assert {"country", "since", "until", "type", "q", "limit", "offset"} <= events
    page = api.get("/docs")
    assert page.status_code == 200
    for path in ENDPOINTS:
        assert path in page.text
    # Offline: nothing loaded from elsewhere, no script at all.
    assert "<script" not in page.text and "cdn" not in page.text.lower()
    assert 'src="http' not in page.text and 'href="http' not in page.text


def test_relation_of_the_seeds(api):
    rec = api.get("/api/relations/VNM/AZE").json()
    assert rec["level"] == "strategic partnership" and rec["since"] == "2025-05-07"
    assert rec["countries"] == ["VNM", "AZE"]
    assert {"levels", "timeline", "quad_counts", "commitments", "sources"} <= set(rec)
    assert rec["levels"][-1]["rank"] == 4 and rec["levels"][-1]["story"]["id"] == rec["levels"][-1]["story_id"]
    assert {"VOV", "VNA/VNS"} <= set(rec["sources"]) and "energy" in rec["commitments"]
    assert api.get("/api/relations/Vietnam/AZ").json() == rec  # any form the CLI takes


def test_events_of_a_country_in_pages(api):
    first = api.get("/api/events", params={"country": "VNM"}).json()
    assert first["total"] > 10 and first["limit"] == 50 and first["offset"] == 0
    assert all("VNM" in e["countries"] for e in first["items"])
    for name in ("Vietnam", "vn", "Việt Nam"):
        assert api.get("/api/events", params={"country": name}).json()["total"] == first["total"]
    page = api.get("/api/events", params={"country": "VNM", "limit": 3, "offset": 2}).json()
    assert page["total"] == first["total"] and page["items"] == first["items"][2:5]
    both = api.get("/api/events", params=[("country", "VNM"), ("country", "AZE"), ("type", "support")]).json()
    assert both["items"] and all({"VNM", "AZE"} <= set(e["countries"]) and e["type"] == "SUPPORT"
                                 for e in both["items"])
    japan = api.get("/api/events", params={"country": "JPN"}).json()
    assert japan["total"] == 6 and all("VNM" not in e["countries"] for e in japan["items"])


def test_lists_and_their_filters(api):
    stories = api.get("/api/stories").json()
    baku = api.get("/api/stories", params={"q": "baku"}).json()
    assert 0 < baku["total"] < stories["total"]
    assert all("baku" in json.dumps(s).lower() for s in baku["items"])
    assert api.get("/api/stories", params={"since": "2025-05", "until": "2025"}).json()["total"] >= 6
    articles = api.get("/api/articles").json()
    assert articles["total"] == 4 and all("text" not in a for a in articles["items"])
    assert api.get("/api/articles", params={"q": "defence pact"}).json()["total"] == 2
    commitments = api.get("/api/commitments", params={"country": "AZE", "sector": "energy"}).json()
    assert commitments["total"] >= 1 and all(c["sector"] == "energy" for c in commitments["items"])
    actors = api.get("/api/actors", params={"kind": "country"}).json()["items"]
    assert {"VNM", "AZE", "JPN", "IND"} <= {a["country"] for a in actors} and all(a["events"] > 0 for a in actors)
    assert [a["name"] for a in api.get("/api/actors", params={"q": "ishiba"}).json()["items"]] == ["Shigeru Ishiba"]
    assert api.get("/api/failures").json() == {"total": 0, "limit": 50, "offset": 0, "items": []}


def test_one_article_and_one_story(api):
    listed = api.get("/api/articles").json()["items"][0]
    article = api.get(f"/api/articles/{listed['id']}").json()
    assert article["text"] and article["sightings"] and article["events"]
    assert all(e["article_id"] == listed["id"] for e in article["events"])
    assert api.get(f"/api/articles/{listed['id'][7:19]}").json()["id"] == listed["id"]  # 12 hex digits, as the CLI
    story = api.get("/api/stories", params={"type": "SUPPORT", "country": "AZE"}).json()["items"][0]
    assert api.get(f"/api/stories/{story['id']}").json() == story


BAD = [
    ("/api/events?since=yesterday", 422, "since"),
    ("/api/events?until=2025-13-01", 422, "until"),
    ("/api/events?since=2025-06&until=2025-01", 422, "until"),
    ("/api/events?limit=0", 422, "limit"),
    ("/api/events?limit=5000", 422, "limit"),
    ("/api/events?limit=ten", 422, "limit"),
    ("/api/events?offset=-1", 422, "offset"),
    ("/api/events?type=DANCE", 422, "type"),
    ("/api/stories?type=DANCE", 422, "type"),
    ("/api/events?country=Atlantis", 422, "country"),
    ("/api/articles?country=Atlantis", 422, "country"),
    ("/api/commitments?sector=poetry", 422, "sector"),
    ("/api/actors?kind=planet", 422, "kind"),
    ("/api/failures?stage=print", 422, "stage"),
    ("/api/stories/999999", 404, "story_id"),
    ("/api/stories/zero", 422, "story_id"),
    ("/api/articles/sha256:0000000000000000", 404, "article_id"),
    ("/api/relations/Atlantis/AZE", 404, "a"),
    ("/api/relations/VNM/VN", 422, "b"),
    ("/api/nowhere", 404, None),
]


@pytest.mark.parametrize("url,status,parameter", BAD)
def test_bad_parameters_answer_one_error_shape(api, url, status, parameter):
    error_of(api.get(url), status, parameter)


BAD_VALUES = ["yesterday", "0", "-1", "5000", "DANCE", "Atlantis", "", " ", "%", "_", "'; DROP TABLE events; --",
              "9" * 30, "\u202e\u0000", "<script>alert(1)</script>", "a" * 300]


def test_no_500_on_any_documented_get(api):
    """Every GET of the OpenAPI document, every parameter given each bad
    value: a 4xx in the one shape, or a 200, never a 500."""
    spec = api.get("/openapi.json").json()
    tried = 0
    for path, methods in spec["paths"].items():
        if "get" not in methods:
            continue
        params = methods["get"].get("parameters", [])
        good = {"a": "VNM", "b": "AZE", "story_id": "1", "article_id": "sha256:" + "0" * 12}
        for param in params:
            for value in BAD_VALUES:
                values = dict(good)
                query = {}
                if param["in"] == "path":
                    values[param["name"]] = quote(value, safe="") or "x"
                else:
                    query[param["name"]] = value
                url = path.format(**{p["name"]: values[p["name"]] for p in params if p["in"] == "path"})
                response = api.get(url, params=query)
                tried += 1
                assert response.status_code < 500, (url, query, response.text)
                if response.status_code >= 400:
                    error_of(response, response.status_code)
    assert tried > 100


def test_security_headers_everywhere(api):
    for url in ("/api/events", "/api/stories/999999", "/openapi.json", "/docs", "/", "/static/accord.css"):
        response = api.get(url)
        assert response.headers["content-security-policy"] == CSP, url
        assert response.headers["x-content-type-options"] == "nosniff", url


def test_writing_is_off_without_a_token(api):
    error_of(api.post("/api/documents", json={"text": HOSTILE}), 403)


def test_writing_with_a_token(tmp_path):
    from fastapi.testclient import TestClient

    url = f"sqlite:///{tmp_path / 'w.db'}"
    accord.open(url).close()  # an empty store: serve refuses one that does not exist
    with TestClient(create_app(accord.Settings(db=url), write_token="s3cret"), raise_server_exceptions=False) as c:
        text = SEED_000.read_text(encoding="utf-8")
        error_of(c.post("/api/documents", json={"text": text}), 401, "Authorization")
        assert c.post("/api/documents", json={"text": text}).headers["www-authenticate"] == "Bearer"
        error_of(c.post("/api/documents", json={"text": text}, headers={"Authorization": "Bearer s3cre"}), 401)
        good = {"Authorization": "Bearer s3cret"}
        error_of(c.post("/api/documents", json={"text": "  "}, headers=good), 422)
        error_of(c.post("/api/documents", json={"text": text, "colour": "red"}, headers=good), 422, "colour")
        error_of(c.post("/api/documents", content=b"{not json", headers=good), 422)
        error_of(c.post("/api/documents", json={"text": "x" * 2_100_000}, headers=good), 413)
        chunked = iter([b'{"text": "' + b"x" * 1_500_000, b"x" * 1_500_000 + b'"}'])  # no Content-Length
        error_of(c.post("/api/documents", content=chunked, headers=good), 413)
        done = c.post("/api/documents", json={"text": text, "url": "https://example.org/a"}, headers=good)
        assert done.status_code == 201, done.text
        assert done.json()["new"] is True and done.json()["events"] > 5
        again = c.post("/api/documents", json={"text": text, "url": "https://example.org/b"}, headers=good).json()
        assert again["new"] is False and again["id"] == done.json()["id"]
        article = c.get(done.json()["url"]).json()
        assert {s["url"] for s in article["sightings"]} == {"https://example.org/a", "https://example.org/b"}
        assert c.get("/api/stories").json()["total"] > 0


def test_posting_a_stored_document_answers_200_with_the_stored_article(tmp_path):
    """The same bytes again: 200 (201 is for a new article), with the id,
    title and counts of the article stored, not those of nothing; the
    OpenAPI document declares both."""
    from fastapi.testclient import TestClient

    url = f"sqlite:///{tmp_path / 'w.db'}"
    accord.open(url).close()
    good = {"Authorization": "Bearer s3cret"}
    with TestClient(create_app(accord.Settings(db=url), write_token="s3cret"), raise_server_exceptions=False) as c:
        text = SEED_000.read_text(encoding="utf-8")
        first = c.post("/api/documents", json={"text": text}, headers=good)
        assert first.status_code == 201 and first.json()["new"] is True, first.text
        assert first.json()["title"] and first.json()["events"] > 5 and first.json()["commitments"] > 5
        for body in ({"text": text}, {"text": text, "url": "https://example.org/again"}):
            again = c.post("/api/documents", json=body, headers=good)
            assert again.status_code == 200, again.text
            assert again.json() == first.json() | {"new": False}
        stored = c.get(first.json()["url"]).json()
        assert stored["title"] == first.json()["title"] and len(stored["events"]) == first.json()["events"]
        responses = c.get("/openapi.json").json()["paths"]["/api/documents"]["post"]["responses"]
        assert {"200", "201"} <= set(responses)
        for status in ("200", "201"):
            schema = responses[status]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/DocumentOut"}


def test_a_document_the_database_refuses_is_a_422_and_a_failure(tmp_path):
    import sqlite3

    from fastapi.testclient import TestClient

    path = tmp_path / "w.db"
    accord.open(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as conn:
        conn.execute("create trigger refuse before insert on articles "
                     "begin select raise(abort, 'refused by a test trigger'); end")
    good = {"Authorization": "Bearer s3cret"}
    with TestClient(create_app(accord.Settings(db=f"sqlite:///{path}"), write_token="s3cret"),
                    raise_server_exceptions=False) as c:
        refused = c.post("/api/documents", json={"text": SEED_000.read_text(encoding="utf-8")}, headers=good)
        message = error_of(refused, 422, "text")["message"]
        assert "store stage" in message and "refused by a test trigger" in message
        failures = c.get("/api/failures", params={"stage": "store"}).json()
        assert failures["total"] == 1 and c.get("/api/articles").json()["total"] == 0


def test_a_real_server_on_loopback(server, api):
    import httpx2

    with httpx2.Client(base_url=server, timeout=10) as http:
        response = http.get("/api/relations/VNM/AZE")
        assert response.status_code == 200 and response.json() == api.get("/api/relations/VNM/AZE").json()
        assert response.headers["content-security-policy"] == CSP
        assert http.get("/api/events", params={"country": "VNM", "limit": 1}).json()["total"] > 10
        error_of(http.get("/api/events", params={"since": "yesterday"}), 422, "since")
        error_of(http.get("/api/stories/424242"), 404, "story_id")
        assert "strategic partnership" in http.get("/relations/VNM/AZE").text


runner = CliRunner()


def test_serve_refuses_bad_options(tmp_path, monkeypatch):
    import uvicorn

    missing = runner.invoke(cli, ["serve", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 2 and "no database at" in missing.stderr and len(missing.stderr.splitlines()) == 1
    assert not (tmp_path / "none.db").exists()
    for args in (["--port", "0"], ["--port", "70000"], ["--port", "http"], ["--host", "a b"]):
        result = runner.invoke(cli, ["serve", "--db", str(tmp_path / "none.db"), *args])
        assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1, (args, result.output)
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    accord.open(url).close()
    served = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: served.append(kw))
    quiet = runner.invoke(cli, ["serve", "--db", url])
    assert quiet.exit_code == 0 and served[-1]["host"] == "127.0.0.1" and served[-1]["port"] == 8000
    assert "warning" not in quiet.stderr
    loud = runner.invoke(cli, ["serve", "--db", url, "--host", "0.0.0.0", "--port", "8123"])
    assert loud.exit_code == 0 and served[-1]["host"] == "0.0.0.0" and served[-1]["port"] == 8123
    assert "warning" in loud.stderr and "not loopback" in loud.stderr


@pytest.mark.postgres
def test_the_api_over_postgresql(fresh_pg):
    from fastapi.testclient import TestClient

    with accord.open(fresh_pg) as store:
        accord.ingest([str(SEEDS)], store)
    with TestClient(create_app(accord.Settings(db=fresh_pg), write_token=""), raise_server_exceptions=False) as c:
        assert c.get("/api/relations/VNM/AZE").json()["level"] == "strategic partnership"
        assert c.get("/api/stories", params={"q": "BAKU"}).json()["total"] > 0
        assert c.get("/api/actors", params={"q": "aliyev", "kind": "person"}).json()["items"][0]["country"] == "AZE"
        assert c.get("/api/events", params={"q": "100%_"}).json()["total"] == 0  # LIKE wildcards are plain text
        assert "Azerbaijan (AZE)" in c.get("/search", params={"q": "Baku"}).text


def test_head_is_answered_as_get_without_a_body(server):
    import httpx

    for path in ("/", "/api/events?limit=1", "/relations/VNM/AZE"):
        get, head = httpx.get(server + path, timeout=30), httpx.head(server + path, timeout=30)
        assert head.status_code == get.status_code == 200, path
        assert head.content == b"" and head.headers["content-type"] == get.headers["content-type"]
        assert "content-security-policy" in head.headers
