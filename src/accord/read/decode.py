"""Turn bytes into text: encodings are detected, not assumed."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from .._errors import InputError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Control characters that never occur in text (tab, newlines and form feed do).
_CONTROL = set(range(0, 9)) | {11, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31}


def looks_binary(data: bytes) -> bool:
    """NUL bytes, or many control bytes, in the first 8 KiB."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b in _CONTROL)
    return controls > max(2, len(head) // 100)


def decode(data: bytes, source: str) -> str:
    """Decode ``data``; raise ``InputError`` for empty, binary, truncated or
    undecodable input."""
    if not data.strip():
        raise InputError(source, "empty: the document holds no text")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as err:
                raise InputError(source, f"undecodable: declares {encoding} by its BOM but {err.reason} at byte {err.start}") from None
    if looks_binary(data):
        raise InputError(source, "binary: this is not a text or HTML document (NUL or control bytes); pass .txt, .html, .jsonl or .warc files")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        if err.start >= len(data) - 3 and err.reason == "unexpected end of data":
            raise InputError(source, f"truncated: the file ends inside a UTF-8 character at byte {err.start}; fetch or copy it again") from None
        utf8_error = err
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise InputError(
            source,
            f"undecodable: not UTF-8 ({utf8_error.reason} at byte {utf8_error.start}) and no other encoding fits; convert it to UTF-8",
        )
    return str(best)
