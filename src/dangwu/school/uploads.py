"""Checking the files of lessons: PDFs and pictures through core.files, videos here.

core.files accepts only its own list of types, so videos (MP4 and WebM) are checked here with
the same pieces: the content decides the type, the name must agree, the size is bounded, the
name passes the classification guard. A video's length is read from its header (MP4 ``mvhd``,
WebM ``Info/Duration``) so the school knows where "the end" is without trusting the browser.
"""

import hashlib
import os
import struct
from typing import Any, BinaryIO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangwu.core.classification import classification_problem
from dangwu.core.errors import ValidationFailed
from dangwu.core.files import CheckedFile, FileKind, check_upload, clean_file_name

MP4 = FileKind("mp4", gettext_lazy("MP4 video"), "video/mp4", (".mp4", ".m4v"))
WEBM = FileKind("webm", gettext_lazy("WebM video"), "video/webm", (".webm",))
VIDEO_KINDS = (MP4, WEBM)
VIDEO_ACCEPT = ".mp4,.m4v,.webm"
PDF_ACCEPT = ".pdf"
PICTURE_ACCEPT = ".jpg,.jpeg,.png"
DEFAULT_VIDEO_MAX_BYTES = 1024 * 1024 * 1024
# QuickTime files share MP4's box layout; browsers do not all play them.
_MP4_BRANDS_REFUSED = {b"qt  "}
_EBML = b"\x1a\x45\xdf\xa3"


def video_max_bytes() -> int:
    return int(getattr(settings, "SCHOOL_VIDEO_MAX_BYTES", DEFAULT_VIDEO_MAX_BYTES))


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed(message, errors=[("file", message)])


def video_kind_of(stream: BinaryIO) -> FileKind | None:
    """Return MP4 or WebM when ``stream``'s content is one, else None (content only)."""
    stream.seek(0)
    head = stream.read(64)
    stream.seek(0)
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] not in _MP4_BRANDS_REFUSED:
        return MP4
    if head.startswith(_EBML) and b"webm" in head:
        return WEBM
    return None


def check_pdf(upload: Any) -> CheckedFile:
    """Check a PDF (for PDF and slides lessons) through core.files."""
    return check_upload(upload, accept=("pdf",))


def check_picture(upload: Any) -> CheckedFile:
    """Check a picture (one slide) through core.files."""
    return check_upload(upload, accept=("jpeg", "png"))


def check_video(upload: Any) -> tuple[CheckedFile, int | None]:
    """Check an uploaded video; return what is stored about it and its length in seconds.

    Refused: larger than ``SCHOOL_VIDEO_MAX_BYTES``, empty, a name with markup, content that is
    not MP4 or WebM, a name whose extension says another type, a classified name.
    """
    limit = video_max_bytes()
    labels = "、".join(str(k.label) for k in VIDEO_KINDS)
    if upload.size > limit:
        raise _refuse(
            _("The video is larger than %(limit)s. Please make it smaller and upload it again.")
            % {"limit": filesizeformat(limit)}
        )
    if not upload.size:
        raise _refuse(_("The file is empty."))
    name = clean_file_name(upload.name)
    if "<" in name or ">" in name:
        raise _refuse(
            _("A file name must not contain < or >. Please rename the file and upload it again.")
        )
    extension = os.path.splitext(name)[1].lower()
    kind = video_kind_of(upload)
    if kind is None:
        raise _refuse(
            _("This file is not a video the browser can play. Accepted are: %(kinds)s.")
            % {"kinds": labels}
        )
    if extension not in kind.extensions:
        raise _refuse(
            _(
                "The file is named “%(name)s”, but its content is a %(kind)s. Please check that "
                "you chose the right file."
            )
            % {"name": name, "kind": kind.label}
        )
    if problem := classification_problem(name, ""):
        raise _refuse(problem)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    duration = video_duration(upload, kind)
    upload.seek(0)
    checked = CheckedFile(
        kind=kind, name=name, size=upload.size, sha256=digest.hexdigest(), text=""
    )
    return checked, duration


def video_duration(stream: BinaryIO, kind: FileKind) -> int | None:
    """Return the video's length in whole seconds (rounded up), or None if it cannot be read."""
    try:
        seconds = _mp4_duration(stream) if kind is MP4 else _webm_duration(stream)
    except (struct.error, ValueError, OSError):
        return None
    if seconds is None or seconds <= 0 or seconds > 24 * 3600:
        return None
    return int(-(-seconds // 1))


# ------------------------------------------------------------------------------------ MP4


def _boxes(stream: BinaryIO, start: int, end: int | None) -> Any:
    """Yield (type, payload start, box end) of the boxes between ``start`` and ``end``."""
    offset = start
    for _count in range(10_000):
        if end is not None and offset + 8 > end:
            return
        stream.seek(offset)
        header = stream.read(8)
        if len(header) < 8:
            return
        size, box = struct.unpack(">I4s", header)
        payload = offset + 8
        if size == 1:
            size = struct.unpack(">Q", stream.read(8))[0]
            payload += 8
        elif size == 0:  # to the end of the file
            stream.seek(0, os.SEEK_END)
            size = stream.tell() - offset
        if size < 8:
            return
        yield box, payload, offset + size
        offset += size


def _mp4_duration(stream: BinaryIO) -> float | None:
    for box, payload, box_end in _boxes(stream, 0, None):
        if box != b"moov":
            continue
        for inner, inner_payload, _inner_end in _boxes(stream, payload, box_end):
            if inner != b"mvhd":
                continue
            stream.seek(inner_payload)
            version = stream.read(4)[0]
            if version == 1:
                stream.read(16)
                timescale, duration = struct.unpack(">IQ", stream.read(12))
            else:
                stream.read(8)
                timescale, duration = struct.unpack(">II", stream.read(8))
            return duration / timescale if timescale else None
    return None


# ----------------------------------------------------------------------------------- WebM

_SEGMENT, _INFO, _CLUSTER = 0x18538067, 0x1549A966, 0x1F43B675
_TIMECODE_SCALE, _DURATION = 0x2AD7B1, 0x4489


def _vint(stream: BinaryIO, *, keep_marker: bool) -> tuple[int, int]:
    """Read an EBML variable-length integer; return (value, length); -1 means "unknown"."""
    first = stream.read(1)
    if not first:
        raise ValueError("end of file")
    byte = first[0]
    length = 1
    mask = 0x80
    while length <= 8 and not byte & mask:
        mask >>= 1
        length += 1
    if length > 8:
        raise ValueError("bad vint")
    value = byte if keep_marker else byte & (mask - 1)
    rest = stream.read(length - 1)
    for b in rest:
        value = (value << 8) | b
    if not keep_marker and value == (1 << (7 * length)) - 1:
        return -1, length
    return value, length


def _webm_duration(stream: BinaryIO) -> float | None:
    stream.seek(0)
    element, _n = _vint(stream, keep_marker=True)
    size, _n = _vint(stream, keep_marker=False)
    if element != 0x1A45DFA3 or size < 0:
        return None
    stream.seek(size, os.SEEK_CUR)
    element, _n = _vint(stream, keep_marker=True)
    _size, _n = _vint(stream, keep_marker=False)
    if element != _SEGMENT:
        return None
    for _count in range(64):  # the Info element comes within the first few children
        element, _n = _vint(stream, keep_marker=True)
        size, _n = _vint(stream, keep_marker=False)
        if element == _CLUSTER or size < 0:
            return None
        if element != _INFO:
            stream.seek(size, os.SEEK_CUR)
            continue
        end = stream.tell() + size
        scale, duration = 1_000_000, None
        while stream.tell() < end:
            child, _n = _vint(stream, keep_marker=True)
            child_size, _n = _vint(stream, keep_marker=False)
            data = stream.read(child_size)
            if child == _TIMECODE_SCALE:
                scale = int.from_bytes(data, "big")
            elif child == _DURATION:
                duration = struct.unpack(">f" if child_size == 4 else ">d", data)[0]
        return duration * scale / 1e9 if duration is not None else None
    return None
