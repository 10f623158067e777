"""Read documents from files, folders, JSON Lines, WARC files and standard input.

Identity is the SHA-256 of the content bytes: reading the same bytes twice
gives the same ``RawDocument.id``.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from .._errors import InputError
from ..models import Failure, RawDocument
from ..settings import Settings
from .decode import decode, looks_binary

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
WARC_SUFFIXES = {".warc", ".warc.gz"}


def content_id(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _suffix(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(".warc.gz"):
        return ".warc.gz"
    return path.suffix.lower()


def sniff_kind(data: bytes) -> str:
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in head or b"<head" in head:
        return "html"
    return "text"


def expand(paths: Iterable[str]) -> Iterator[str | Path]:
    """Folders become the supported files under them, sorted; ``-`` stays."""
    for p in paths:
        if p == "-" or (isinstance(p, str) and p.lower().startswith(("http://", "https://"))):
            yield p
            continue
        path = Path(p)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and _suffix(child) in TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | WARC_SUFFIXES:
                    yield child
        else:
            yield path


def read(paths: Iterable[str], settings: Settings | None = None) -> Iterator[RawDocument | Failure]:
    """Yield a ``RawDocument`` per document, or a ``Failure`` naming the
    document and the reason; one bad document never stops the others."""
    settings = settings or Settings()
    for item in expand(paths):
        try:
            if item == "-":
                yield from _from_bytes(sys.stdin.buffer.read(), "<stdin>", None, settings)
                continue
            if isinstance(item, str):  # a URL
                from .urls import fetch

                data, final, content_type = fetch(item, max_bytes=settings.max_bytes, timeout=settings.fetch_timeout,
                                                  allow_private=settings.allow_private)
                kind = "html" if content_type and "html" in content_type.lower() else sniff_kind(data)
                yield _document(data, item, kind, url=final)
                continue
            path, name = item, shown(item)
            if not path.exists():
                raise InputError(name, "no such file or folder")
            size = path.stat().st_size
            if size > settings.max_bytes:
                raise InputError(name, f"too big: {size} bytes, the cap is {settings.max_bytes} (--max-bytes)")
            suffix = _suffix(path)
            if suffix in WARC_SUFFIXES:
                from .warc import read_warc

                yield from read_warc(path, settings, name)
                continue
            data = path.read_bytes()
            if suffix in JSONL_SUFFIXES:
                yield from _from_jsonl(data, name, settings)
            elif suffix in HTML_SUFFIXES:
                yield _document(data, name, "html", path=name)
            else:
                yield from _from_bytes(data, name, name, settings)
        except InputError as err:
            yield Failure(err.source, "read", err.reason)
        except OSError as err:
            yield Failure(shown(item), "read", f"cannot be read: {err.strerror or err}")


def shown(path: str | Path) -> str:
    """A path as text that can be stored and printed: bytes of a file name
    that are not UTF-8 become U+FFFD."""
    return os.fsencode(path).decode("utf-8", "replace")


def _document(data: bytes, source: str, kind: str, **meta) -> RawDocument:
    return RawDocument(id=content_id(data), source=source, text=decode(data, source), kind=kind, **meta)


def _from_bytes(data: bytes, source: str, path: str | None, settings: Settings) -> Iterator[RawDocument]:
    """A plain file or standard input: text, HTML, or JSON Lines by sniffing."""
    if len(data) > settings.max_bytes:
        raise InputError(source, f"too big: {len(data)} bytes, the cap is {settings.max_bytes}")
    stripped = data.lstrip()
    if path is None and stripped.startswith(b"{") and b'"' in stripped[:200]:
        yield from _from_jsonl(data, source, settings)
        return
    yield _document(data, source, sniff_kind(data), path=path)


def _from_jsonl(data: bytes, source: str, settings: Settings) -> Iterator[RawDocument | Failure]:
    """One article per line with ``text`` or ``html``; optional ``url``,
    ``outlet``, ``published``, ``title``, ``path``, each a string.  A bad
    line is a failure of its own: a NUL or a broken record in one line
    never costs the others (JSON Lines is UTF-8, and JSON text holds no
    raw control characters)."""
    binary = looks_binary(data)
    text = data.decode("utf-8", "replace") if binary else decode(data, source)
    lines = text.splitlines()
    stored = 0
    for number, line in enumerate(lines, start=1):
        where = f"{source}:{number}"
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            last = number == len(lines) and not text.endswith("\n")
            reason = "truncated JSON (the last line stops mid-record)" if last else f"not JSON ({err.msg} at column {err.colno})"
            yield Failure(where, "read", reason)
            continue
        except (ValueError, RecursionError) as err:  # 5,000-digit numbers, arrays nested 100,000 deep
            yield Failure(where, "read", f"not JSON that can be read ({type(err).__name__}: {str(err)[:120]})")
            continue
        if not isinstance(record, dict):
            yield Failure(where, "read", "a JSON Lines record must be an object with a 'text' or 'html' field")
            continue
        try:
            fields = {k: _field(record, k) for k in ("html", "text", "url", "outlet", "published", "title", "path")}
        except InputError as err:
            yield Failure(where, "read", err.reason)
            continue
        body = fields["html"] or fields["text"]
        if not body or not body.strip():
            yield Failure(where, "read", "empty: the record has no 'text' or 'html' field with content")
            continue
        stored += 1
        yield RawDocument(
            id=content_id(body.encode("utf-8")),
            source=where,
            text=body,
            kind="html" if fields["html"] else "text",
            path=fields["path"] or source,
            url=fields["url"],
            outlet=fields["outlet"],
            published=fields["published"],
            title=fields["title"],
        )
    if binary and not stored:
        raise InputError(source, "binary: this is not a text or HTML document (NUL or control bytes); pass .txt, "
                                 ".html, .jsonl or .warc files")


_JSON_TYPES = {bool: "true or false", int: "a number", float: "a number", list: "a list", dict: "an object"}


def _field(record: dict, name: str) -> str | None:
    """A string field of a record, or None when absent or empty; lone
    surrogates ("\\ud800", which no UTF-8 text can hold) become U+FFFD."""
    value = record.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InputError(name, f"'{name}' is {_JSON_TYPES.get(type(value), type(value).__name__)}: give a string "
                               "or leave it out")
    return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
