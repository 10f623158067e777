"""Read documents from files, folders, JSON Lines, WARC files and standard input.

Identity is the SHA-256 of the content bytes: reading the same bytes twice
gives the same ``RawDocument.id``.

Nothing is read without a bound.  A document is read up to one byte past
``Settings.max_bytes``, so that a device, a FIFO, standard input or a file
growing while it is read is refused by its size as a file is.  JSON Lines
feeds (``.jsonl.gz`` too) and WARC archives are streamed a record at a time,
each record held to the cap.  Whatever cannot be read (a folder, a link, a
file) is a ``Failure`` of its own, and what a folder holds that accord does
not read is counted in a ``Skipped``.
"""

from __future__ import annotations

import errno
import gzip
import hashlib
import io
import itertools
import json
import os
import stat
import sys
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from .._errors import InputError
from .._limits import memory_reason
from ..models import Failure, RawDocument, Skipped
from ..settings import Settings
from .decode import _BOMS, decode, looks_binary

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz"}
WARC_SUFFIXES = {".warc", ".warc.gz"}
READ_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | WARC_SUFFIXES
CHUNK = 1 << 20  # bytes read at a time from a stream of unknown length


def content_id(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _suffix(path: Path) -> str:
    name = path.name.lower()
    for double in (".warc.gz", ".jsonl.gz", ".ndjson.gz"):
        if name.endswith(double):
            return double
    return path.suffix.lower()


def sniff_kind(data: bytes) -> str:
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in head or b"<head" in head:
        return "html"
    return "text"


def expand(paths: Iterable[str]) -> Iterator[str | Path | Failure | Skipped]:
    """Folders become the files under them that accord reads, sorted, with
    a ``Failure`` for each folder or link under them that cannot be followed
    and a ``Skipped`` count of the files passed over; URLs and ``-`` stay."""
    from .urls import is_url

    for p in paths:
        if p == "-" or (isinstance(p, str) and is_url(p)):
            yield p
        elif os.path.isdir(p):
            yield from _walk(Path(p))
        else:
            yield Path(p)


def _walk(folder: Path) -> Iterator[Path | Failure | Skipped]:
    """The files under ``folder`` in the order of ``sorted(folder.rglob("*"))``;
    folders behind symbolic links are followed, each once, and a link back
    to a folder that holds it is a failure, not an endless walk."""
    passed: Counter[str] = Counter()
    try:
        root = folder.stat()
    except OSError as err:
        yield Failure(shown(folder), "read", _os_reason(folder, err))
        return
    key = (root.st_dev, root.st_ino)
    yield from _walk_folder(folder, {key: folder}, {key}, passed)
    for reason, n in sorted(passed.items()):
        yield Skipped(shown(folder), reason, n)


def _walk_folder(folder: Path, above: dict[tuple[int, int], Path], seen: set[tuple[int, int]],
                 passed: Counter[str]) -> Iterator[Path | Failure]:
    """One folder of ``_walk``: ``above`` are the folders that hold it, by
    device and inode, ``seen`` every folder walked so far."""
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as err:
        yield Failure(shown(folder), "read", _os_reason(folder, err))
        return
    for entry in entries:
        path = Path(entry.path)
        try:
            info = entry.stat()  # through links: a dangling one or a loop of links fails here
        except OSError as err:
            yield Failure(shown(path), "read", _os_reason(path, err))
            continue
        key = (info.st_dev, info.st_ino)
        if stat.S_ISDIR(info.st_mode):
            if key in above:
                yield Failure(shown(path), "read", f"a symbolic link loop: it leads back to {shown(above[key])}, "
                                                   "which holds it")
            elif key in seen:
                passed["folders already read, reached again by a symbolic link"] += 1
            else:
                seen.add(key)
                yield from _walk_folder(path, above | {key: path}, seen, passed)
        elif not stat.S_ISREG(info.st_mode):
            passed["special files (FIFOs, sockets, devices)"] += 1
        elif _suffix(path) not in READ_SUFFIXES:
            passed[f"files of another kind ({_suffix(path) or 'no extension'})"] += 1
        else:
            yield path


def _os_reason(path: str | Path, err: OSError) -> str:
    """Why ``path`` cannot be read, in words: the link that dangles or
    loops is named as such, not as a missing file."""
    if err.errno == errno.ELOOP:
        return "a symbolic link loop (too many levels of symbolic links); point the link at a file or folder"
    if err.errno == errno.ENOENT and os.path.islink(path):
        try:
            target = shown(os.readlink(path))
        except OSError:
            target = "?"
        return f"a dangling symbolic link: its target {target} does not exist"
    if err.errno == errno.ENOENT:
        return "no such file or folder"
    return f"cannot be read: {err.strerror or err}"


def read(paths: Iterable[str], settings: Settings | None = None) -> Iterator[RawDocument | Failure | Skipped]:
    """Yield a ``RawDocument`` per document, a ``Failure`` naming what could
    not be read and why, and ``Skipped`` counts of what was passed over; one
    bad document never stops the others."""
    settings = settings or Settings()
    for item in expand(paths):
        if isinstance(item, (Failure, Skipped)):
            yield item
            continue
        name = "<stdin>" if item == "-" else shown(item)
        try:
            yield from _read_one(item, settings)
        except InputError as err:
            yield Failure(err.source, "read", err.reason)
        except OSError as err:
            yield Failure(name, "read", _os_reason(item, err))
        except MemoryError:
            yield Failure(name, "read", memory_reason(settings.max_memory))


def _read_one(item: str | Path, settings: Settings) -> Iterator[RawDocument | Failure | Skipped]:
    """What one item of ``expand`` holds: standard input, a URL or a file."""
    if item == "-":
        if sys.stdin is None:
            raise InputError("<stdin>", "standard input is closed")
        yield from _from_stdin(sys.stdin.buffer, settings)
    elif isinstance(item, str):
        from .urls import fetch

        data, final, content_type = fetch(item, max_bytes=settings.max_bytes, timeout=settings.fetch_timeout,
                                          allow_private=settings.allow_private)
        kind = "html" if content_type and "html" in content_type.lower() else sniff_kind(data)
        yield _document(data, item, kind, url=final)
    else:
        yield from _from_path(item, settings)


def _from_path(path: Path, settings: Settings) -> Iterator[RawDocument | Failure | Skipped]:
    """A file given by its path, read as its suffix says (text when it says
    nothing accord knows)."""
    name = shown(path)
    try:
        info = path.stat()
    except ValueError as err:  # a NUL in the name
        raise InputError(name, f"not a path that can be opened ({err})") from None
    suffix = _suffix(path)
    if suffix in WARC_SUFFIXES:
        from .warc import read_warc

        if not os.access(path, os.R_OK):  # FastWARC would call it a damaged archive
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        yield from read_warc(path, settings, name)
        return
    if suffix in JSONL_SUFFIXES:
        yield from _from_feed(path, name, settings)
        return
    if stat.S_ISREG(info.st_mode) and info.st_size > settings.max_bytes:
        raise InputError(name, f"too big: {info.st_size} bytes, the cap is {settings.max_bytes} (--max-bytes)")
    with open(path, "rb") as stream:
        data = read_capped(stream, settings.max_bytes, info.st_size)
    yield _from_bytes(data, name, name, settings, "html" if suffix in HTML_SUFFIXES else None)


def read_capped(stream: BinaryIO, cap: int, size_hint: int = 0) -> bytes:
    """At most ``cap + 1`` bytes of ``stream``: one byte past the cap tells
    that it is over without reading the rest (a device or a pipe may never
    end).  ``size_hint``, a file's size, lets it be read in one piece."""
    chunks, total, want = [], 0, max(size_hint + 1, CHUNK)
    while total <= cap and (chunk := stream.read(min(want, cap + 1 - total))):
        chunks.append(chunk)
        total += len(chunk)
        want = CHUNK
    return b"".join(chunks)


def _too_big(cap: int) -> str:
    return f"too big: more than {cap} bytes, the cap (--max-bytes)"


def shown(path: str | Path) -> str:
    """A path as text that can be stored and printed: bytes of a file name
    that are not UTF-8 become U+FFFD."""
    return os.fsencode(path).decode("utf-8", "replace")


def _document(data: bytes, source: str, kind: str, **meta) -> RawDocument:
    return RawDocument(id=content_id(data), source=source, text=decode(data, source), kind=kind, **meta)


def _from_bytes(data: bytes, source: str, path: str | None, settings: Settings, kind: str | None = None) -> RawDocument:
    """One document read whole, text or HTML (as ``kind`` says, else by sniffing)."""
    if len(data) > settings.max_bytes:
        raise InputError(source, _too_big(settings.max_bytes))
    return _document(data, source, kind or sniff_kind(data), path=path)


def _from_stdin(stream: BinaryIO, settings: Settings) -> Iterator[RawDocument | Failure]:
    """Standard input: JSON Lines when its first line that is not blank holds
    a JSON object (each record held to the cap), else one document."""
    lines = _lines(stream, settings.max_bytes)
    head: list[bytes | None] = []
    for line in lines:
        head.append(line)
        if line is None or line.strip():
            break
    first = (head[-1] or b"").lstrip() if head else b""
    if first.startswith(b"{") and b'"' in first[:200]:
        yield from _from_jsonl(itertools.chain(head, lines), "<stdin>", settings)
        return
    if head and head[-1] is None:
        raise InputError("<stdin>", _too_big(settings.max_bytes))
    data = b"".join(head)
    data += read_capped(stream, max(settings.max_bytes - len(data), 0))
    yield _from_bytes(data, "<stdin>", None, settings)


def _from_feed(path: Path, name: str, settings: Settings) -> Iterator[RawDocument | Failure]:
    """A JSON Lines file, gzipped or not, streamed a line at a time."""
    with gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb") as raw:
        try:
            yield from _from_jsonl(_lines(_as_utf8(raw), settings.max_bytes), name, settings)
        except (EOFError, zlib.error, gzip.BadGzipFile) as err:
            raise InputError(name, f"damaged or truncated gzip ({err}); any lines before the damage were "
                                   "read") from None


def _as_utf8(stream: BinaryIO) -> BinaryIO | io.TextIOBase:
    """``stream``, or its text when a byte order mark says it is UTF-16,
    UTF-32 or UTF-8 with a BOM (as Windows tools write it)."""
    head = stream.peek(4)[:4]
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return io.TextIOWrapper(stream, encoding, errors="replace", newline="\n")
    return stream


def _lines(stream: BinaryIO | io.TextIOBase, cap: int) -> Iterator[bytes | None]:
    """Each line of ``stream`` with its line end, as UTF-8 bytes; ``None``
    for a line longer than ``cap``, read past in pieces and never held."""
    text = isinstance(stream, io.TextIOBase)
    end = "\n" if text else b"\n"
    while line := stream.readline(cap + 2):
        if len(line) == cap + 2 and not line.endswith(end):
            while (rest := stream.readline(CHUNK)) and not rest.endswith(end):
                pass
            yield None
        else:
            yield line.encode() if text else line


def _from_jsonl(lines: Iterable[bytes | None], source: str, settings: Settings) -> Iterator[RawDocument | Failure]:
    """One article per line with ``text`` or ``html``; optional ``url``,
    ``outlet``, ``published``, ``title``, ``path``, each a string.  A bad
    line is a failure of its own: a NUL, a broken record or a record over
    the cap in one line never costs the others (JSON Lines is UTF-8, and
    JSON text holds no raw control characters)."""
    stored, head, empty = 0, b"", True
    for number, line in enumerate(lines, start=1):
        where = f"{source}:{number}"
        if line is not None and not line.strip():
            continue
        empty = False
        if line is None or len(line.rstrip(b"\r\n")) > settings.max_bytes:
            yield Failure(where, "read", _too_big(settings.max_bytes))
            continue
        head += line[:8192 - len(head)]
        try:
            item = _record(_line_text(line, where), where, source, last=not line.endswith(b"\n"))
        except InputError as err:
            item = Failure(where, "read", err.reason)
        stored += isinstance(item, RawDocument)
        yield item
    if empty:
        raise InputError(source, "empty: the document holds no text")
    if not stored and looks_binary(head):
        raise InputError(source, "binary: this is not a text or HTML document (NUL or control bytes); pass .txt, "
                                 ".html, .jsonl or .warc files")


def _line_text(line: bytes, where: str) -> str:
    """A line as text: UTF-8, as JSON Lines are, else the encoding ``decode``
    finds for it (a record pasted from elsewhere)."""
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return decode(line, where)


def _record(line: str, where: str, source: str, last: bool) -> RawDocument | Failure:
    """The document of one JSON Lines record, or the failure that says why
    there is none; ``last`` when the line is the last and has no line end."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        if last:
            return Failure(where, "read", "truncated JSON (the last line stops mid-record)")
        return Failure(where, "read", f"not JSON ({err.msg} at column {err.colno})")
    except (ValueError, RecursionError) as err:  # 5,000-digit numbers, arrays nested 100,000 deep
        return Failure(where, "read", f"not JSON that can be read ({type(err).__name__}: {str(err)[:120]})")
    if not isinstance(record, dict):
        return Failure(where, "read", "a JSON Lines record must be an object with a 'text' or 'html' field")
    try:
        fields = {k: _field(record, k) for k in ("html", "text", "url", "outlet", "published", "title", "path")}
    except InputError as err:
        return Failure(where, "read", err.reason)
    body = fields["html"] or fields["text"]
    if not body or not body.strip():
        return Failure(where, "read", "empty: the record has no 'text' or 'html' field with content")
    return RawDocument(
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
