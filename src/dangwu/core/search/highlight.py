"""Highlighted titles and snippets: the text escaped, the query's words wrapped in <mark>.

Done in Python on the original text rather than with FTS5's snippet() or ts_headline: both of
those work on the segmented text (a space between every word), would need the spaces taken out
again, and differ between the two databases. Only one page of hits is highlighted per query.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from dangwu.core.search.segment import normalize

SNIPPET_CHARS = 120
# How much text before the first match the snippet starts with, for context.
LEAD_CHARS = 30


def _normalized_with_map(text: str) -> tuple[str, list[int] | None]:
    """Return ``text`` normalized and, when lengths change, each position's original index."""
    norm = normalize(text)
    if len(norm) == len(text):
        return norm, None
    # Rare (ligatures, circled numbers): normalize char by char to keep the positions.
    parts: list[str] = []
    origin: list[int] = []
    for i, char in enumerate(text):
        piece = unicodedata.normalize("NFKC", char).lower()
        parts.append(piece)
        origin.extend([i] * len(piece))
    return "".join(parts), origin


def _matches(norm: str, terms: Sequence[str], start: int, end: int) -> list[tuple[int, int]]:
    """Return the merged [from, to) spans of the terms inside norm[start:end]."""
    spans: list[tuple[int, int]] = []
    for term in terms:
        at = norm.find(term, start, end)
        while at != -1:
            spans.append((at, at + len(term)))
            at = norm.find(term, at + len(term), end)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def highlight(text: str, terms: Sequence[str], *, width: int | None = None) -> SafeString:
    """Return ``text`` as safe HTML with ``terms`` marked.

    With ``width``, return only a window of about that many characters around the first match
    (the start of the text when nothing matches), with an ellipsis where text was cut.
    """
    text = " ".join(text.split())
    norm, origin = _normalized_with_map(text)

    def orig(i: int) -> int:
        if origin is None:
            return i
        return origin[i] if i < len(origin) else len(text)

    start, end = 0, len(norm)
    if width is not None:
        firsts = [at for term in terms if (at := norm.find(term)) != -1]
        start = max(0, min(firsts) - LEAD_CHARS) if firsts else 0
        end = min(len(norm), start + width)
    out: list[str] = ["…"] if start > 0 else []
    cursor = orig(start)
    for a, b in _matches(norm, terms, start, end):
        out.append(escape(text[cursor : orig(a)]))
        out.append(f"<mark>{escape(text[orig(a) : orig(b)])}</mark>")
        cursor = orig(b)
    out.append(escape(text[cursor : orig(end)]))
    if orig(end) < len(text):
        out.append("…")
    return mark_safe("".join(out))  # noqa: S308  (every piece of text above is escaped)
