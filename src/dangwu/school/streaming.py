"""Serving lesson files with HTTP Range requests (206 Partial Content), streamed from disk.

The browser's own <video> player asks for byte ranges to start quickly and to seek; PDF viewers
do the same for large files. One range per request is served (a request for several gets the
whole file, which RFC 9110 allows); a range outside the file, or one that ends before it
starts, gets 416 with the file's size. The file is read in chunks, never whole into memory.
"""

import re
from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

CHUNK = 64 * 1024
_RANGE = re.compile(r"^\s*(\d*)\s*-\s*(\d*)\s*$")


class Unsatisfiable(Exception):
    """The Range header asks for bytes the file does not have (answered with 416)."""


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """Return the (first, last) byte positions asked for, None to send the whole file.

    Raise :class:`Unsatisfiable` for a range outside the file or in reverse order.
    """
    if not header:
        return None
    unit, _sep, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or not spec:
        return None  # another unit: ignore the header (RFC 9110 §14.2)
    if "," in spec:
        return None  # several ranges: the whole file is an allowed answer
    match = _RANGE.match(spec)
    if match is None:
        raise Unsatisfiable
    first_text, last_text = match.groups()
    if not first_text and not last_text:
        raise Unsatisfiable
    if not first_text:  # the last N bytes
        suffix = int(last_text)
        if suffix == 0 or size == 0:
            raise Unsatisfiable
        return max(size - suffix, 0), size - 1
    first = int(first_text)
    last = int(last_text) if last_text else size - 1
    if first >= size or last < first:
        raise Unsatisfiable
    return first, min(last, size - 1)


def _chunks(handle: Any, first: int, length: int) -> Iterator[bytes]:
    try:
        handle.seek(first)
        left = length
        while left > 0:
            data = handle.read(min(CHUNK, left))
            if not data:
                break
            left -= len(data)
            yield data
    finally:
        handle.close()


def ranged_response(
    request: HttpRequest, stored: Any, *, content_type: str, name: str, inline: bool = True
) -> HttpResponse | StreamingHttpResponse:
    """Answer a GET (or HEAD) for ``stored`` (a FieldFile), honouring one byte range."""
    size = stored.size
    try:
        wanted = parse_range(request.headers.get("Range", ""), size)
    except Unsatisfiable:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        response["Accept-Ranges"] = "bytes"
        return response
    first, last = wanted if wanted is not None else (0, size - 1)
    length = max(last - first + 1, 0)
    answer: HttpResponse | StreamingHttpResponse
    if request.method == "HEAD":
        answer = HttpResponse(content_type=content_type)
    else:
        handle = stored.storage.open(stored.name, "rb")
        answer = StreamingHttpResponse(_chunks(handle, first, length), content_type=content_type)
    return _headers(
        answer,
        size=size,
        first=first,
        last=last,
        length=length,
        partial=wanted is not None,
        name=name,
        inline=inline,
    )


def _headers(
    response: Any,
    *,
    size: int,
    first: int,
    last: int,
    length: int,
    partial: bool,
    name: str,
    inline: bool,
) -> Any:
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    if partial:
        response.status_code = 206
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
    disposition = content_disposition_header(not inline, name)
    if disposition is not None:
        response["Content-Disposition"] = disposition
    # The stored type is the one checked by content: never let a browser guess another.
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
