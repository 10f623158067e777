"""Stage 1: reading files, folders, JSON Lines and standard input; identity
by content; encodings detected; bad input named with its reason."""

import codecs
import ctypes
import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import threading

from conftest import RESOURCES, SEED_000, SEEDS

import accord
from accord.models import Failure, RawDocument, Skipped
from accord.read import read
from accord.settings import Settings


def docs(*paths):
    return list(read([str(p) for p in paths]))


def test_identity_is_the_sha256_of_the_bytes(tmp_path):
    data = "Vietnam and Laos held talks in Vientiane on Monday.\n".encode()
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes(data)
    b.write_bytes(data)
    first, second = docs(a, b)
    assert first.id == second.id == "sha256:" + hashlib.sha256(data).hexdigest()


def test_folders_are_read_recursively_and_in_order(tmp_path):
    (tmp_path / "x" / "y").mkdir(parents=True)
    (tmp_path / "x" / "y" / "deep.txt").write_text("Japan and Korea met in Seoul today for talks.")
    (tmp_path / "top.html").write_text("<html><body><p>text</p></body></html>")
    (tmp_path / "ignored.png").write_bytes(b"\x89PNG")
    *found, passed = docs(tmp_path)
    assert [d.kind for d in found] == ["html", "text"]
    assert found[1].path.endswith("deep.txt")
    assert passed == Skipped(str(tmp_path), "files of another kind (.png)", 1)


def test_seed_folder_gives_two_documents():
    found = docs(SEEDS)
    assert len(found) == 2 and all(isinstance(d, RawDocument) for d in found)


def test_encodings_are_detected(tmp_path):
    text = "Le président français a rencontré à Genève son homologue égyptien pour des entretiens sur la sécurité régionale."
    (tmp_path / "latin1.txt").write_bytes(text.encode("cp1252"))
    (tmp_path / "utf16.txt").write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    (tmp_path / "bom8.txt").write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    for doc in docs(tmp_path / "latin1.txt", tmp_path / "utf16.txt", tmp_path / "bom8.txt"):
        assert isinstance(doc, RawDocument), doc
        assert doc.text.strip() == text


def test_jsonl_records_with_text_or_html(tmp_path):
    lines = [
        {"text": "Chile and Peru signed a fisheries agreement in Lima.", "url": "https://example.org/a", "outlet": "Example", "published": "2024-02-01"},
        {"html": "<html><body><article><p>India and Nepal agreed to build a bridge.</p></article></body></html>"},
        {"title": "no body"},
        "not an object",
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n{\"text\": \"cut off")
    out = docs(path)
    assert [type(x).__name__ for x in out] == ["RawDocument", "RawDocument", "Failure", "Failure", "Failure"]
    assert out[0].url == "https://example.org/a" and out[0].outlet == "Example" and out[0].published == "2024-02-01"
    assert out[1].kind == "html"
    assert out[2].source.endswith("batch.jsonl:3") and "empty" in out[2].reason
    assert "truncated" in out[4].reason


def test_bad_files_are_named_with_their_reason_and_the_batch_goes_on(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\x03PK\x03\x04" * 20)
    (tmp_path / "truncated.txt").write_bytes("Talks were held in Hà Nộ".encode()[:-1])
    (tmp_path / "good.txt").write_text("Brazil and Argentina held talks in Brasilia on Friday.")
    out = docs(*(tmp_path / n for n in ("empty.txt", "binary.txt", "truncated.txt", "good.txt")))
    failures = [x for x in out if isinstance(x, Failure)]
    assert [f.reason.split(":")[0] for f in failures] == ["empty", "binary", "truncated"]
    assert all(f.source.endswith(".txt") for f in failures)
    assert isinstance(out[-1], RawDocument)


def test_missing_path_is_a_failure(tmp_path):
    (out,) = docs(tmp_path / "nope.txt")
    assert isinstance(out, Failure) and "no such file" in out.reason


def test_standard_input(tmp_path):
    text = "Kenya and Uganda agreed on Tuesday to build a new railway link between their capitals."
    proc = subprocess.run([sys.executable, "-m", "accord", "extract", "-", "--json"], input=text.encode(),
                          capture_output=True, check=True)
    record = json.loads(proc.stdout.decode().splitlines()[0])
    assert record["article"]["id"] == "sha256:" + hashlib.sha256(text.encode()).hexdigest()
    assert record["article"]["path"] is None


# --- what has no size on disk: devices, FIFOs, standard input -------------------------------

GOOD = "Japan and China held talks in Beijing on Monday about trade and fisheries."


def _endless_writer(target, limit: int = 50_000_000) -> dict:
    """Write lines into ``target`` (a FIFO's path, opened in the thread, or
    a pipe's descriptor) until the reader hangs up, or ``limit`` bytes so
    that a reader that reads everything still ends; how much went in is in
    the returned dict once its thread is done."""
    line = (GOOD + "\n").encode() * 100
    done = {"written": 0}

    def write():
        with open(target, "wb", buffering=0) as out:
            try:
                while done["written"] < limit:
                    done["written"] += out.write(line)
            except BrokenPipeError:
                pass

    done["thread"] = threading.Thread(target=write, daemon=True)
    done["thread"].start()
    return done


def test_a_fifo_is_read_only_up_to_the_cap_and_the_others_go_on(tmp_path):
    """A FIFO has no size to check before reading: it is read up to one byte
    past the cap and refused by name, never drained whole."""
    good, fifo = tmp_path / "good.txt", tmp_path / "feed"
    good.write_text(GOOD)
    os.mkfifo(fifo)
    writer = _endless_writer(str(fifo))
    out = list(read([str(fifo), str(good)], Settings(max_bytes=10_000)))
    writer["thread"].join(10)
    assert [type(x) for x in out] == [Failure, RawDocument]
    assert out[0].source == str(fifo) and "too big" in out[0].reason and "10000" in out[0].reason
    assert writer["written"] < 2_000_000, f"the FIFO was drained: {writer['written']} bytes read"


def test_standard_input_is_read_only_up_to_the_cap(monkeypatch):
    """Standard input that never ends (``yes ... | accord ingest -``): the
    cap, then a failure naming <stdin>."""
    read_end, write_end = os.pipe()
    writer = _endless_writer(write_end)
    stdin = io.TextIOWrapper(open(read_end, "rb"))
    monkeypatch.setattr(sys, "stdin", stdin)
    try:
        (out,) = read(["-"], Settings(max_bytes=1000))
    finally:
        stdin.close()
    writer["thread"].join(10)
    assert isinstance(out, Failure) and out.source == "<stdin>" and "too big" in out.reason
    assert writer["written"] < 2_000_000, f"standard input was drained: {writer['written']} bytes read"


def test_a_device_is_refused_by_size_and_the_good_file_is_stored(tmp_path):
    """The tester's run: /dev/zero beside a good file, under a memory cap
    that reading /dev/zero whole would exceed."""
    good = tmp_path / "good.txt"
    good.write_bytes(SEED_000.read_bytes())
    db = tmp_path / "z.db"
    done = subprocess.run([sys.executable, "-m", "accord", "ingest", str(good), "/dev/zero", "--db", str(db),
                           "--max-bytes", "100000", "--max-memory", "1500", "--json"],
                          capture_output=True, text=True, timeout=300)
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    (summary,) = [json.loads(line) for line in done.stdout.splitlines()]
    assert done.returncode == 1 and (summary["read"], summary["new"], summary["failed"]) == (2, 1, 1)
    assert [(f["source"], f["stage"]) for f in summary["failures"]] == [("/dev/zero", "read")]
    assert "too big" in summary["failures"][0]["reason"]


def test_standard_input_may_be_a_feed_held_to_the_cap_record_by_record():
    """JSON Lines on standard input: each record is held to the cap, not the
    whole input."""
    lines = [json.dumps({"text": f"{GOOD} Number {i}."}) for i in range(50)]
    lines.insert(10, json.dumps({"text": "x" * 3000}))
    code = ("import sys; from accord.read import read; from accord.settings import Settings\n"
            "for d in read(['-'], Settings(max_bytes=2000)): print(type(d).__name__, d.source)")
    done = subprocess.run([sys.executable, "-c", code], input="\n".join(lines) + "\n", capture_output=True,
                          text=True, timeout=120, check=True)
    out = done.stdout.splitlines()
    assert len(out) == 51 and out[10] == "Failure <stdin>:11"
    assert out[:10] + out[11:] == [f"RawDocument <stdin>:{n}" for n in [*range(1, 11), *range(12, 52)]]


# --- JSON Lines feeds and WARC archives: the cap is per record ------------------------------

def test_a_feed_larger_than_the_cap_is_read_record_by_record(tmp_path):
    """The cap is one record's, not the feed's: a feed of small records
    larger than the cap is read, and the one record over it refused by its
    line."""
    feed = tmp_path / "feed.jsonl"
    lines = [json.dumps({"text": f"{GOOD} Number {i}."}) for i in range(200)]
    lines[99] = json.dumps({"text": "y" * 5000})
    feed.write_text("\n".join(lines) + "\n")
    assert feed.stat().st_size > 10 * 2000
    out = list(read([str(feed)], Settings(max_bytes=2000)))
    assert len(out) == 200 and sum(isinstance(x, RawDocument) for x in out) == 199
    assert out[99] == Failure(f"{feed}:100", "read", "too big: more than 2000 bytes, the cap (--max-bytes)")


def test_an_empty_feed_is_one_failure(tmp_path):
    (tmp_path / "empty.jsonl").write_bytes(b"")
    (tmp_path / "blank.jsonl").write_bytes(b"\n  \r\n\n")
    out = docs(tmp_path / "empty.jsonl", tmp_path / "blank.jsonl")
    assert [(x.source, x.reason.split(":")[0]) for x in out] == [(str(tmp_path / "empty.jsonl"), "empty"),
                                                                (str(tmp_path / "blank.jsonl"), "empty")]


def test_a_line_longer_than_the_cap_is_refused_without_being_held(tmp_path):
    """A first line of 200 MB (sparse on disk: NUL bytes) and a good record
    after it: the line is refused by its number and read past in pieces,
    the record is read; memory stays flat."""
    feed = tmp_path / "long.jsonl"
    with open(feed, "wb") as out:
        out.truncate(200_000_000)
        out.seek(0, 2)
        out.write(b"\n" + json.dumps({"text": GOOD}).encode() + b"\n")
    code = ("from accord.read import read; from accord.settings import Settings\n"
            "def peak(): return next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM'))\n"
            f"before = peak(); out = list(read([{str(feed)!r}], Settings(max_bytes=1_000_000)))\n"
            "print((peak() - before) // 1024); [print(type(d).__name__, d.source) for d in out]")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True)
    grown_mb, *out = done.stdout.splitlines()
    assert out == [f"Failure {feed}:1", f"RawDocument {feed}:2"]
    assert int(grown_mb) < 30, f"the long line was held: {grown_mb} MB more"


def test_a_gzipped_feed_is_streamed_and_its_damage_named(tmp_path):
    lines = [json.dumps({"text": f"{GOOD} Number {i}."}) for i in range(300)]
    whole, cut = tmp_path / "feed.jsonl.gz", tmp_path / "cut.jsonl.gz"
    whole.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    cut.write_bytes(whole.read_bytes()[:-200])
    out = list(read([str(whole), str(cut)]))
    read_whole = [x for x in out if x.source.startswith(str(whole))]
    assert [x.source for x in read_whole] == [f"{whole}:{n}" for n in range(1, 301)]
    assert all(isinstance(x, RawDocument) for x in read_whole)
    *records, damage = [x for x in out if x.source.startswith(str(cut))]
    assert records and all(isinstance(x, RawDocument) for x in records)
    assert damage.source == str(cut) and "damaged or truncated gzip" in damage.reason


def test_a_feed_with_a_utf16_byte_order_mark_is_read(tmp_path):
    """What Windows PowerShell writes: UTF-16 with a BOM and CRLF."""
    feed = tmp_path / "win.jsonl"
    text = "\r\n".join(json.dumps({"text": f"{GOOD} Número {i}."}, ensure_ascii=False) for i in range(3)) + "\r\n"
    feed.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    out = docs(feed)
    assert [x.text for x in out] == [f"{GOOD} Número {i}." for i in range(3)]


def test_an_archive_larger_than_the_cap_is_read_record_by_record(tmp_path):
    from test_warc import warc_record

    html = (RESOURCES / "article.html").read_bytes()
    path = tmp_path / "crawl.warc"
    path.write_bytes(b"".join(warc_record(f"https://example.org/{i}", html) for i in range(10)))
    assert path.stat().st_size > 5 * len(html)
    out = list(read([str(path)], Settings(max_bytes=2 * len(html))))
    assert [x.url for x in out] == [f"https://example.org/{i}" for i in range(10)]


# --- folders: what is not read is said ---------------------------------------------------------

def test_what_a_folder_holds_and_is_not_read_is_reported(tmp_path):
    """Links that dangle or loop are failures by name; FIFOs (never opened:
    nothing would ever write them) and files of other kinds are counted;
    a folder behind a link is read once."""
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "sub" / "b.txt").write_text(GOOD + " Again.")
    (tmp_path / "page.json").write_text("{}")
    (tmp_path / "README").write_text("notes")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG")
    (tmp_path / "photo2.png").write_bytes(b"\x89PNG")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    (tmp_path / "sub" / "up").symlink_to(tmp_path)
    (tmp_path / "twin").symlink_to(tmp_path / "sub")
    out = docs(tmp_path)
    assert [x.source for x in out if isinstance(x, RawDocument)] == [str(tmp_path / "a.txt"),
                                                                    str(tmp_path / "sub" / "b.txt")]
    failures = {x.source: x.reason for x in out if isinstance(x, Failure)}
    assert failures.keys() == {str(tmp_path / n) for n in ("dangling.txt", "loop.txt", "sub/up")}
    assert failures[str(tmp_path / "dangling.txt")].startswith("a dangling symbolic link")
    assert failures[str(tmp_path / "loop.txt")].startswith("a symbolic link loop")
    assert failures[str(tmp_path / "sub" / "up")] == (f"a symbolic link loop: it leads back to {tmp_path}, "
                                                      "which holds it")
    assert {(x.reason, x.count) for x in out if isinstance(x, Skipped)} == {
        ("files of another kind (.json)", 1), ("files of another kind (no extension)", 1),
        ("files of another kind (.png)", 2), ("special files (FIFOs, sockets, devices)", 1),
        ("folders already read, reached again by a symbolic link", 1)}


def test_the_summary_counts_what_a_folder_passed_over(tmp_path, fresh_db):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_bytes(SEED_000.read_bytes())
    (tmp_path / "in" / "page.json").write_text("{}")
    (tmp_path / "in" / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    with accord.open(fresh_db) as store:
        summary = accord.ingest([str(tmp_path / "in")], store)
    assert (summary.new, summary.as_dict()["skipped"]) == (1, {"files of another kind (.json)": 1})
    assert [(f.source, f.reason.split(":")[0]) for f in summary.failures] == [
        (str(tmp_path / "in" / "gone.txt"), "a dangling symbolic link")]


def _without_root_powers():
    """For a subprocess: a root process reads everything, so drop the
    capabilities that let it (as ``setpriv --bounding-set
    -dac_override,-dac_read_search`` does); others need nothing."""

    def drop():
        libc = ctypes.CDLL(None, use_errno=True)
        for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
            if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")

    return drop if os.geteuid() == 0 else None


def test_an_unreadable_folder_or_file_is_a_failure_of_its_own(tmp_path):
    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    (folder / "locked" / "c.txt").write_text(GOOD)
    (folder / "a.txt").write_text(GOOD)
    (folder / "secret.txt").write_text(GOOD + " Secret.")
    (folder / "crawl.warc").write_bytes(b"WARC/1.0\r\n")
    for name in ("locked", "secret.txt", "crawl.warc"):
        os.chmod(folder / name, 0)
    code = ("import sys; from accord.read import read\n"
            "for d in read(sys.argv[1:]): print(type(d).__name__, d.source, getattr(d, 'reason', ''), sep='|')")
    try:
        done = subprocess.run([sys.executable, "-c", code, str(folder)], capture_output=True, text=True, timeout=120,
                              preexec_fn=_without_root_powers())
    finally:
        os.chmod(folder / "locked", 0o755)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines() == [f"RawDocument|{folder / 'a.txt'}|"] + [
        f"Failure|{folder / name}|cannot be read: Permission denied" for name in ("crawl.warc", "locked", "secret.txt")]


def test_a_link_given_by_name_says_what_is_wrong_with_it(tmp_path):
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    loop, gone = docs(tmp_path / "loop.txt", tmp_path / "gone.txt")
    assert loop.source == str(tmp_path / "loop.txt") and loop.reason.startswith("a symbolic link loop")
    assert gone.reason == f"a dangling symbolic link: its target {tmp_path / 'nowhere.txt'} does not exist"
