"""Stage 1: reading files, folders, JSON Lines and standard input; identity
by content; encodings detected; bad input named with its reason."""

import codecs
import hashlib
import json
import subprocess
import sys

from conftest import SEEDS

from accord.models import Failure, RawDocument
from accord.read import read


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
    found = docs(tmp_path)
    assert [d.kind for d in found] == ["html", "text"]
    assert found[1].path.endswith("deep.txt")


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
