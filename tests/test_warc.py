"""WARC archives: each HTML response is a document; a damaged archive fails by name."""

import gzip

from conftest import RESOURCES

from accord.models import Failure, RawDocument, Skipped
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
    docs = [d for d in read([str(path)]) if not isinstance(d, Skipped)]
    assert len(docs) == 1 and isinstance(docs[0], RawDocument)
    assert docs[0].url == "https://example.org/kenya-tanzania" and docs[0].kind == "html"
    assert "Kenya and Tanzania" in docs[0].text


def test_truncated_warc_fails_by_name(tmp_path):
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(gzip.compress(warc_record("https://example.org/a", b"<html>" + b"x" * 5000))[:60])
    (out,) = list(read([str(path)]))
    assert isinstance(out, Failure) and out.source.endswith("cut.warc.gz")


def test_a_gzip_bomb_record_is_refused_and_the_archive_goes_on(tmp_path):
    """60 MB of zeros that compress to a few kilobytes: refused once the cap
    is reached, without holding it in memory, and the next record is read."""
    import subprocess
    import sys

    from accord.settings import Settings
    html = (RESOURCES / "article.html").read_bytes()
    size = 60_000_000
    http_head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % size
    warc_head = ("WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://example.org/bomb\r\n"
                 "WARC-Date: 2024-06-12T09:00:00Z\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000001>\r\n"
                 "Content-Type: application/http; msgtype=response\r\n"
                 f"Content-Length: {len(http_head) + size}\r\n\r\n").encode()
    path = tmp_path / "bomb.warc.gz"
    with gzip.open(path, "wb") as bomb:  # written a megabyte at a time: this process never holds the bomb
        bomb.write(warc_head + http_head)
        for _ in range(size // 1_000_000):
            bomb.write(b"\0" * 1_000_000)
        bomb.write(b"\r\n\r\n")
    with open(path, "ab") as tail:
        tail.write(gzip.compress(warc_record("https://example.org/ok", html)))
    assert path.stat().st_size < 200_000
    out = list(read([str(path)], Settings(max_bytes=5_000_000)))
    assert isinstance(out[0], Failure) and "too big" in out[0].reason and out[0].source.endswith("bomb")
    assert isinstance(out[1], RawDocument) and out[1].url == "https://example.org/ok"
    # Peak memory of reading it, in a process of its own, against reading a small archive.
    small = tmp_path / "small.warc.gz"
    small.write_bytes(gzip.compress(warc_record("https://example.org/ok", html)))

    def peak_mb(archive) -> float:
        # VmHWM, the peak of this process's own memory (ru_maxrss would carry the parent's over exec)
        code = ("from accord.read import read; from accord.settings import Settings; "
                f"list(read([{str(archive)!r}], Settings(max_bytes=5_000_000))); "
                "print(next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM')) / 1024)")
        return float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)

    grown_mb = peak_mb(path) - peak_mb(small)
    assert grown_mb < 40, f"the bomb was inflated in memory ({grown_mb:.0f} MB)"


def _archive(path, records: int) -> None:
    """``records`` HTML responses, each with a request and a metadata record
    beside it, gzipped record by record as crawlers write them."""
    html = (RESOURCES / "article.html").read_bytes()
    with open(path, "wb") as out:
        for i in range(records):
            url = f"https://example.org/news/{i}"
            page = html.replace(b"</body>", f"<p>Page {i}.</p></body>".encode())
            request = (f"WARC/1.0\r\nWARC-Type: request\r\nWARC-Target-URI: {url}\r\n"
                       "WARC-Date: 2024-06-12T09:00:00Z\r\nWARC-Record-ID: <urn:uuid:10000000-0000-0000-0000-%012d>\r\n"
                       "Content-Type: application/http; msgtype=request\r\nContent-Length: 18\r\n\r\n"
                       "GET / HTTP/1.1\r\n\r\n\r\n\r\n" % i).encode()
            out.write(gzip.compress(request))
            out.write(gzip.compress(warc_record(url, page)))


def test_a_large_archive_is_streamed_in_flat_memory(tmp_path):
    """Peak memory reading 10,000 records is that of reading 1,000: records
    are read one at a time, never all at once."""
    import subprocess
    import sys

    peaks = {}
    for records in (1_000, 10_000):
        path = tmp_path / f"crawl{records}.warc.gz"
        _archive(path, records)
        script = ("from accord.read import read\n"
                  f"n = sum(1 for d in read([{str(path)!r}]) if getattr(d, 'text', None))\n"
                  "status = open('/proc/self/status').read()\n"
                  "print(n, int(status.split('VmHWM:')[1].split()[0]))\n")
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        count, peak_kb = map(int, done.stdout.split())
        assert count == records
        peaks[records] = peak_kb
    assert peaks[10_000] < peaks[1_000] + 20_000, peaks  # within 20 MB: flat


def test_records_that_hold_no_document_are_counted(tmp_path):
    """Requests and non-HTML responses are passed over, and the summary says
    how many of each kind."""
    from accord import Settings, ingest, open as open_store

    path = tmp_path / "crawl.warc.gz"
    _archive(path, 3)
    with open(path, "ab") as out:
        out.write(gzip.compress(warc_record("https://example.org/logo.png", b"\x89PNG....", "image/png")))
    items = list(read([str(path)]))
    assert [type(i) for i in items].count(RawDocument) == 3
    assert {(s.reason, s.count) for s in items if isinstance(s, Skipped)} == {("request records", 3),
                                                                             ("image/png responses", 1)}
    with open_store(f"sqlite:///{tmp_path / 'w.db'}") as store:
        summary = ingest(str(path), store, Settings())
    assert summary.read == 3 and summary.as_dict()["skipped"] == {"image/png responses": 1, "request records": 3}
