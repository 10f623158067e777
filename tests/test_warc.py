"""WARC archives: each HTML response is a document; a damaged archive fails by name."""

import gzip

from conftest import RESOURCES

from accord.models import Failure, RawDocument
from accord.read import read


def warc_record(url: str, body: bytes, content_type: str = "text/html; charset=utf-8") -> bytes:
    http = (b"HTTP/1.1 200 OK\r\nContent-Type: " + content_type.encode() +
            b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    head = (
        "WARC/1.0\r\nWARC-Type: response\r\n"
        f"WARC-Target-URI: {url}\r\nWARC-Date: 2024-06-12T09:00:00Z\r\n"
        "WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-%012d>\r\n" % len(url)
        + "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http)}\r\n\r\n"
    ).encode()
    return head + http + b"\r\n\r\n"


def test_warc_gz_responses_become_documents(tmp_path):
    html = (RESOURCES / "article.html").read_bytes()
    data = warc_record("https://example.org/kenya-tanzania", html) + warc_record(
        "https://example.org/logo.png", b"\x89PNG....", "image/png")
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(gzip.compress(data))
    docs = list(read([str(path)]))
    assert len(docs) == 1 and isinstance(docs[0], RawDocument)
    assert docs[0].url == "https://example.org/kenya-tanzania" and docs[0].kind == "html"
    assert "Kenya and Tanzania" in docs[0].text


def test_truncated_warc_fails_by_name(tmp_path):
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(gzip.compress(warc_record("https://example.org/a", b"<html>" + b"x" * 5000))[:60])
    (out,) = list(read([str(path)]))
    assert isinstance(out, Failure) and out.source.endswith("cut.warc.gz")
