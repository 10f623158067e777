"""An article's text cut into pieces at the evidence offsets, so that a
template can wrap the evidence in ``<mark>`` while escaping every piece:
no markup is ever built from the article's text."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    marked: bool


def pieces(text: str, spans: list[tuple[int, int]]) -> list[Piece]:
    """``text`` in order, the parts inside ``spans`` (start, end character
    offsets; overlapping or out of range ones are merged and clipped) marked."""
    merged: list[list[int]] = []
    for start, end in sorted((max(0, s), min(len(text), e)) for s, e in spans):
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, at = [], 0
    for start, end in merged:
        if start > at:
            out.append(Piece(text[at:start], False))
        out.append(Piece(text[start:end], True))
        at = end
    if at < len(text):
        out.append(Piece(text[at:], False))
    return out
