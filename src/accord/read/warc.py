"""WARC files: each HTTP response with an HTML or text body is a document;
the other records are counted and passed over."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from .._errors import InputError
from ..models import Failure, RawDocument, Skipped
from ..settings import Settings


def read_warc(path: Path, settings: Settings, name: str | None = None) -> Iterator[RawDocument | Failure | Skipped]:
    """Each HTTP response with an HTML or text body, streamed a record at a
    time; ``name`` is the path as accord shows it."""
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    from .decode import decode
    from .files import content_id, sniff_kind

    count = 0
    skipped: Counter[str] = Counter()
    try:
        # FastWARC opens the file and detects gzip by itself.
        for record in ArchiveIterator(str(path), parse_http=True):
            if record.record_type != WarcRecordType.response:
                skipped[f"{record.record_type} records"] += 1
                continue
            count += 1
            url = record.headers.get("WARC-Target-URI")
            where = f"{name or path}#{url or count}"
            content_type = (record.http_headers.get("Content-Type") or "") if record.http_headers else ""
            if content_type and not any(t in content_type for t in ("html", "text")):
                skipped[f"{content_type.split(';')[0].strip().lower()} responses"] += 1
                continue
            # Never more than the cap in memory: a record that inflates past it
            # (a gzip bomb) is refused, and the archive goes on.
            data = record.reader.read(settings.max_bytes + 1)
            if len(data) > settings.max_bytes:
                yield Failure(where, "read", f"too big: more than {settings.max_bytes} bytes once decompressed, "
                                             "the cap is --max-bytes")
                continue
            if len(data) < record.content_length:
                yield Failure(where, "read", f"truncated: the record ends after {len(data)} of its "
                                             f"{record.content_length} bytes")
                continue
            if not data.strip():
                yield Failure(where, "read", "empty: the response has no body")
                continue
            try:
                text = decode(data, where)
            except InputError as err:
                yield Failure(where, "read", err.reason)
                continue
            yield RawDocument(
                id=content_id(data), source=where, text=text,
                kind="html" if "html" in content_type else sniff_kind(data),
                path=name or str(path), url=url,
            )
    except (AttributeError, NameError, TypeError, KeyError):
        raise  # a bug of ours, not a damaged archive
    except Exception as err:  # fastwarc raises plain exceptions on damaged archives
        raise InputError(name or str(path), f"damaged or truncated WARC after {count} records: {err}") from None
    if count == 0:
        raise InputError(name or str(path), "no WARC response records (is it a WARC file?)")
    for reason, n in sorted(skipped.items()):
        yield Skipped(name or str(path), reason, n)
