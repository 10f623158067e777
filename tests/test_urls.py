"""URLs as input: pages fetched from a real HTTP server on loopback, with
the refusals a crawler owes its network."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import SEED_001

import accord
from accord.models import Failure, RawDocument
from accord.read import read
from accord.read.urls import USER_AGENT, fetch

PAGE = ("<html><head><title>Talks in Baku</title>"
        '<meta property="article:published_time" content="2025-05-07T18:00:00+04:00"></head><body><article>'
        "<h1>Vietnam and Azerbaijan hold talks</h1>"
        "<p>Vietnamese Party General Secretary To Lam held talks with Azerbaijani President Ilham Aliyev in Baku "
        "on Wednesday, and the two sides agreed to establish a strategic partnership.</p>"
        "<p>The two leaders witnessed the signing of cooperation documents on energy, trade and education.</p>"
        "</article></body></html>").encode()
SEEN_AGENTS: list[str] = []
BAD_LOCATIONS = {"/to-bad-ipv6": "http://a]b/", "/to-bad-port": "http://127.0.0.1:99999/x"}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        SEEN_AGENTS.append(self.headers.get("User-Agent", ""))
        if self.path == "/robots.txt":
            body = b"User-agent: *\nDisallow: /private/\n"
            self._send(200, body, "text/plain")
        elif self.path == "/news/2025/05/07/talks":
            self._send(200, PAGE, "text/html; charset=utf-8")
        elif self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/news/2025/05/07/talks")
            self.end_headers()
        elif self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
        elif self.path in BAD_LOCATIONS:
            self.send_response(302)
            self.send_header("Location", BAD_LOCATIONS[self.path])
            self.end_headers()
        elif self.path == "/big":
            self._send(200, b"x" * 300_000, "text/plain")
        elif self.path == "/wire":
            self._send(200, SEED_001.read_bytes(), "text/plain; charset=utf-8")
        else:
            self._send(404, b"not here", "text/plain")

    def _send(self, status, body, kind):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_a_page_is_fetched_and_coded(server, fresh_db):
    store = accord.open(fresh_db)
    summary = accord.ingest([f"{server}/moved", f"{server}/wire"], store, accord.Settings(allow_private=True))
    assert (summary.new, summary.failed) == (2, 0), summary.failures
    page = next(a for a in store.articles() if a["url"] and a["url"].endswith("/talks"))
    assert page["published"].startswith("2025-05-07")  # htmldate reads the day from the URL path or the metadata
    assert store.relation("VNM", "AZE")["level"] == "strategic partnership"
    assert USER_AGENT in SEEN_AGENTS


@pytest.mark.parametrize("path, reason", [("/private/x", "robots.txt"), ("/loop", "redirects"),
                                          ("/big", "too big"), ("/nothing", "404")])
def test_what_is_refused_and_why(server, path, reason):
    with pytest.raises(accord.InputError) as err:
        fetch(server + path, max_bytes=100_000, timeout=10, allow_private=True)
    assert reason in str(err.value)


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/x", "http://localhost:9/x", "http://10.0.0.1/x",
                                 "http://169.254.169.254/latest/meta-data", "http://[::1]:9/x", "http://224.0.0.1/x"])
def test_private_loopback_link_local_and_multicast_are_refused(url):
    with pytest.raises(accord.InputError, match="refused"):
        fetch(url, max_bytes=1000, timeout=2)


def test_a_redirect_to_loopback_is_refused_on_the_hop(server):
    """Only the first hop is let through here: the redirect target is checked again."""
    from accord.read import urls

    checked = []
    original = urls._check_address

    def first_hop_allowed(url, allow_private):
        checked.append(url)
        return original(url, allow_private=len(checked) == 1)

    urls._check_address = first_hop_allowed
    try:
        with pytest.raises(accord.InputError, match="refused"):
            urls.fetch(f"{server}/moved", max_bytes=100_000, timeout=10)
    finally:
        urls._check_address = original
    assert len(checked) == 2 and checked[1].endswith("/news/2025/05/07/talks")


def test_the_cli_refuses_a_loopback_url_and_goes_on(server, fresh_db):
    from typer.testing import CliRunner

    from accord.cli import app
    result = CliRunner().invoke(app, ["ingest", f"{server}/wire", str(SEED_001), "--db", fresh_db])
    assert result.exit_code == 1 and "refused" in result.output and "--allow-private" in result.output
    assert len(accord.open(fresh_db).articles()) == 1, "the file in the same batch is stored"


@pytest.mark.parametrize("url, reason", [("http://[::1", "not a valid URL: Invalid IPv6 URL"),
                                         ("http://x:99999/", "not a valid URL: Port out of range"),
                                         ("ftp://127.0.0.1/x", "unsupported URL scheme 'ftp'"),
                                         ("HTTPS://", "the URL names no host")])
def test_a_url_that_cannot_be_fetched_fails_alone_named_as_given(url, reason):
    out = list(read([url, str(SEED_001)]))
    assert [type(x) for x in out] == [Failure, RawDocument]
    assert out[0].source == url and out[0].reason.startswith(reason), out[0]


@pytest.mark.parametrize("path", sorted(BAD_LOCATIONS))
def test_a_redirect_to_a_malformed_url_is_a_failure_of_the_page(server, path):
    with pytest.raises(accord.InputError, match="not a valid URL") as err:
        fetch(server + path, max_bytes=100_000, timeout=10, allow_private=True)
    assert err.value.source == server + path and BAD_LOCATIONS[path] in err.value.reason


def test_the_cli_stores_the_file_beside_a_malformed_url(fresh_db):
    from typer.testing import CliRunner

    from accord.cli import app
    result = CliRunner().invoke(app, ["ingest", str(SEED_001), "http://[::1", "--db", fresh_db])
    assert result.exit_code == 1 and "failed http://[::1: not a valid URL" in result.output, result.output
    assert len(accord.open(fresh_db).articles()) == 1, "the file in the same batch is stored"
