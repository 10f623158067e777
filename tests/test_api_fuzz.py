"""The OpenAPI document fuzzed with schemathesis: every operation, with
input that fits the document and input that does not, a bounded number of
examples each, the same ones every run.  No 5xx, and every answer one the
document declares: its status, content type, headers and schema.  Then the
caps on what one request may ask: the URL, repeated countries, words of q."""

from __future__ import annotations

import pytest
import schemathesis
from conftest import SEED_000, SEEDS
from hypothesis import HealthCheck, example, given, settings
from schemathesis import GenerationMode
from test_api_http import error_of

import accord
from accord.api import create_app

EXAMPLES = 40  # per operation
TOKEN = "fuzz-token"
# Not positive_data_acceptance and negative_data_rejection: the document
# cannot say which countries or days exist, and an empty value is no value.
CHECKS = ("not_a_server_error", "status_code_conformance", "content_type_conformance", "response_headers_conformance",
          "response_schema_conformance")
CONFIG = schemathesis.Config.from_dict({"checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}}})

OPERATIONS = ["GET /api/articles", "GET /api/articles/{article_id}", "GET /api/events", "GET /api/stories",
              "GET /api/stories/{story_id}", "GET /api/actors", "GET /api/relations/{a}/{b}", "GET /api/commitments",
              "GET /api/failures", "POST /api/documents"]


@pytest.fixture(scope="module")
def record(tmp_path_factory) -> str:
    """The two seeds, ingested into a new SQLite store: its URL."""
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.db'}"
    with accord.open(url) as store:
        summary = accord.ingest([str(SEEDS)], store)
    assert summary.new == 2 and not summary.failures, summary.as_dict()
    return url


@pytest.fixture(scope="module")
def read_only(record):
    """The schema of a server without a write token, bound to it."""
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(accord.Settings(db=record), write_token=""),
                                          config=CONFIG)


@pytest.fixture(scope="module")
def writable(tmp_path_factory):
    """The schema of a server that takes ``TOKEN``, over a store of its own."""
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz-write') / 'write.db'}"
    accord.open(url).close()
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(accord.Settings(db=url), write_token=TOKEN),
                                          config=CONFIG)


@pytest.fixture(scope="module")
def known(record) -> dict[str, list[dict]]:
    """Cases random input seldom hits, by operation: what is in the store."""
    with accord.open(record) as store:
        article, story = store.articles()[0]["id"], store.stories()[0]["id"]
    seed = SEED_000.read_text(encoding="utf-8")
    return {
        "GET /api/articles": [{"query": {"country": ["VNM", "AZE"], "since": "2025", "q": "Baku"}}],
        "GET /api/articles/{article_id}": [{"path_parameters": {"article_id": article}},
                                           {"path_parameters": {"article_id": article[7:19]}}],
        "GET /api/events": [{"query": {"country": ["Vietnam", "AZ"], "type": "agree", "until": "2025-05"}}],
        "GET /api/stories": [{"query": {"country": ["VNM"], "q": "strategic partnership", "limit": 1, "offset": 1}}],
        "GET /api/stories/{story_id}": [{"path_parameters": {"story_id": story}}],
        "GET /api/actors": [{"query": {"country": "AZE", "kind": "person"}}],
        "GET /api/relations/{a}/{b}": [{"path_parameters": {"a": "VNM", "b": "AZE"}},
                                       {"path_parameters": {"a": "Vietnam", "b": "VN"}}],
        "GET /api/commitments": [{"query": {"country": ["AZE"], "sector": "energy"}}],
        "POST /api/documents": [{"body": {"text": seed, "url": "https://example.org/a"}},
                                {"body": {"text": seed, "url": "https://example.org/b"}},
                                {"body": {"html": "<html><head><title>Japan and India</title></head><body><p>Japan "
                                                  "and India signed a defence pact on Monday.</p></body></html>"}}],
    }


def fuzz(operation, headers: dict | None = None, cases: list[dict] | tuple = ()) -> None:
    """``cases`` first, then ``EXAMPLES`` more, some that fit the document
    and some that do not (when any can: a path parameter that takes any
    string cannot), each sent and its answer checked."""
    def send(case):
        case.call_and_validate(headers=headers)

    cases_of = operation.as_strategy(GenerationMode.POSITIVE) | operation.as_strategy(GenerationMode.NEGATIVE)
    test = given(case=cases_of)(send)
    for kwargs in cases:
        test = example(case=operation.Case(**kwargs))(test)
    settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
             suppress_health_check=list(HealthCheck))(test)()


def test_every_operation_is_fuzzed(read_only):
    assert sorted(result.ok().label for result in read_only.get_all_operations()) == sorted(OPERATIONS)


@pytest.mark.parametrize("label", OPERATIONS)
def test_read_only_server(read_only, known, label):
    method, path = label.split(" ", 1)
    fuzz(read_only[path][method], cases=known.get(label, []))


def test_documents_without_the_token(writable, known):
    cases = known["POST /api/documents"][:1]
    fuzz(writable["/api/documents"]["POST"], cases=cases)
    fuzz(writable["/api/documents"]["POST"], headers={"Authorization": "Bearer not-the-token"}, cases=cases)


def test_documents_with_the_token(writable, known):
    fuzz(writable["/api/documents"]["POST"], headers={"Authorization": f"Bearer {TOKEN}"},
         cases=known["POST /api/documents"])


@pytest.fixture(scope="module")
def api(record):
    from fastapi.testclient import TestClient

    with TestClient(create_app(accord.Settings(db=record), write_token=""), raise_server_exceptions=False) as client:
        yield client


def test_long_urls_are_refused(api):
    error_of(api.get("/api/events", params={"zzz": "x" * 8000}), 422, "zzz")  # under the cap: read, and refused by name
    assert "8,192 bytes" in error_of(api.get("/api/events", params={"zzz": "x" * 8200}), 414)["message"]
    error_of(api.get("/api/events", params=[("country", "VNM")] * 2000), 414)
    error_of(api.get("/api/articles/" + "a" * 9000), 414)
    error_of(api.post("/api/documents?" + "x" * 9000, json={"text": "x"}), 414)
    page = api.get("/search", params={"q": "x" * 9000})
    assert page.status_code == 414 and page.headers["content-type"].startswith("text/html")
    assert page.headers["content-security-policy"]


def test_query_sizes_are_capped(api):
    assert api.get("/api/events", params=[("country", "VNM")] * 10).status_code == 200
    error_of(api.get("/api/events", params=[("country", "VNM")] * 11), 422, "country")
    error_of(api.get("/api/stories", params=[("country", "Vietnam")] * 300), 422, "country")
    assert api.get("/api/events", params={"q": " ".join(["baku"] * 10)}).status_code == 200
    for path in ("/api/events", "/api/stories", "/api/articles", "/api/commitments", "/api/actors", "/api/failures"):
        error_of(api.get(path, params={"q": " ".join(["a"] * 11)}), 422, "q")
        error_of(api.get(path, params={"q": "a" * 201}), 422, "q")
