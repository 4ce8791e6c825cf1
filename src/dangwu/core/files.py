"""Uploaded files anywhere in the platform: checked by content, named safely, guarded.

A file is accepted only when its content is one of the accepted types *and* its name says the
same; Office files are zips and are opened with a limit on how much they may unpack to; the text
of PDF and Word files is extracted for search and for the classification guard (涉密不上网).
Each app keeps its own attachment model and stores a :class:`CheckedFile` there; nothing is
written by this module.
"""

import hashlib
import os
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangwu.core import extract
from dangwu.core.classification import classification_problem
from dangwu.core.errors import ValidationFailed


@dataclass(frozen=True)
class FileKind:
    code: str
    label: Promise
    content_type: str
    extensions: tuple[str, ...]
    # For Office files: the content type of the main part named in [Content_Types].xml.
    main_part: str = ""

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


_OOXML = "application/vnd.openxmlformats-officedocument."
KINDS: dict[str, FileKind] = {
    kind.code: kind
    for kind in (
        FileKind("pdf", gettext_lazy("PDF document"), "application/pdf", (".pdf",)),
        FileKind(
            "docx",
            gettext_lazy("Word document (.docx)"),
            _OOXML + "wordprocessingml.document",
            (".docx",),
            _OOXML + "wordprocessingml.document.main+xml",
        ),
        FileKind(
            "xlsx",
            gettext_lazy("Excel workbook (.xlsx)"),
            _OOXML + "spreadsheetml.sheet",
            (".xlsx",),
            _OOXML + "spreadsheetml.sheet.main+xml",
        ),
        FileKind(
            "pptx",
            gettext_lazy("PowerPoint presentation (.pptx)"),
            _OOXML + "presentationml.presentation",
            (".pptx",),
            _OOXML + "presentationml.presentation.main+xml",
        ),
        FileKind("jpeg", gettext_lazy("JPG picture"), "image/jpeg", (".jpg", ".jpeg")),
        FileKind("png", gettext_lazy("PNG picture"), "image/png", (".png",)),
    )
}
# For <input type="file" accept="…">: what the file chooser offers first.
ACCEPT_EXTENSIONS = ",".join(e for kind in KINDS.values() for e in kind.extensions)
_MAGIC = {b"%PDF-": "pdf", b"\xff\xd8\xff": "jpeg", b"\x89PNG\r\n\x1a\n": "png"}
_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc/.xls/.ppt, and password-locked .docx
_OLD_OFFICE_EXTENSIONS = {".doc", ".xls", ".ppt", ".wps", ".et", ".dps"}
# Real Office files have a few dozen parts; thousands mean a damaged or hostile file.
_MAX_ZIP_ENTRIES = 5000
_MAX_CONTENT_TYPES_BYTES = 1024 * 1024
_CT_NAMESPACE = "{http://schemas.openxmlformats.org/package/2006/content-types}"


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed every check, with what is stored about it."""

    kind: FileKind
    name: str
    size: int
    sha256: str
    text: str


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed(message, errors=[("file", message)])


def clean_file_name(name: str) -> str:
    """Return ``name`` fit for display: no folders, no control or direction characters."""
    name = unicodedata.normalize("NFC", name or "")
    # Some browsers send the whole path (C:\\Users\\…\\通知.pdf); only the last part is the name.
    name = re.split(r"[\\/]", name)[-1]
    # Category C: control, format (e.g. U+202E, which flips "fdp.exe" into view as "exe.pdf"),
    # surrogates, private use and unassigned characters.
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = " ".join(name.split()).strip(" .")
    stem, extension = os.path.splitext(name)
    if len(name) > 200:
        name = stem[: 200 - len(extension)] + extension
    return name


def _accepted_labels(kinds: Iterable[FileKind]) -> str:
    return "、".join(str(k.label) for k in kinds)


def _read_limited(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    with archive.open(info) as member:
        data = member.read(limit + 1)
    if len(data) > limit:
        raise zipfile.BadZipFile("part too large")
    return data


def _office_kind(stream: Any) -> FileKind | None:
    """Return the Office type named by the zip's [Content_Types].xml, if its main part exists."""
    limit = settings.UPLOAD_MAX_UNPACKED_BYTES
    try:
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
            # zipfile stops each member at its declared size (and fails its CRC beyond), so the
            # declared sizes bound what any later reader (python-docx, mammoth) can unpack.
            if len(infos) > _MAX_ZIP_ENTRIES or sum(i.file_size for i in infos) > limit:
                raise _refuse(
                    _(
                        "This file unpacks to more than %(limit)s, which is not allowed. It may be "
                        "damaged or made to harm the server; please check it."
                    )
                    % {"limit": filesizeformat(limit)}
                )
            names = {i.filename: i for i in infos}
            types = names.get("[Content_Types].xml")
            if types is None:
                return None
            # Bounded input; expat (≥ 2.4) refuses entity amplification and ElementTree
            # resolves no external entities, so defusedxml would add nothing here.
            data = _read_limited(archive, types, _MAX_CONTENT_TYPES_BYTES)
            root = ElementTree.fromstring(data)  # noqa: S314
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ElementTree.ParseError, OSError):
        return None
    for override in root.iter(f"{_CT_NAMESPACE}Override"):
        part = override.get("PartName", "").lstrip("/")
        for kind in KINDS.values():
            if kind.main_part and override.get("ContentType") == kind.main_part and part in names:
                return kind
    return None


def kind_of(stream: Any) -> FileKind | None:
    """Return the accepted type that ``stream``'s content is, or None; decided by content only."""
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    for magic, code in _MAGIC.items():
        if head.startswith(magic):
            return KINDS[code]
    if head.startswith(_ZIP_MAGIC):
        kind = _office_kind(stream)
        stream.seek(0)
        return kind
    return None


def _old_office_problem() -> ValidationFailed:
    return _refuse(
        _(
            "This is an old-style Office file (.doc, .xls, .ppt) or one locked with a password. "
            "Open it, choose “Save as”, pick the new format (.docx, .xlsx or .pptx) without a "
            "password, and upload that file."
        )
    )


def _text_of(kind: FileKind, upload: Any) -> str:
    readers = {"pdf": extract.pdf_text, "docx": extract.docx_text}
    if kind.code not in readers:
        return ""
    upload.seek(0)
    try:
        return readers[kind.code](upload)
    except extract.Unreadable as error:
        if error.encrypted:
            raise _refuse(
                _(
                    "This PDF is locked with a password, so it cannot be checked. Please save it "
                    "without the password and upload it again."
                )
            ) from error
        raise _refuse(
            _(
                "This %(kind)s cannot be read; it may be damaged. Please open it, save it again "
                "and upload it again."
            )
            % {"kind": kind.label}
        ) from error
    finally:
        upload.seek(0)


def check_upload(
    upload: Any, *, accept: Iterable[str] = tuple(KINDS), max_bytes: int | None = None
) -> CheckedFile:
    """Check an uploaded file and return what is stored about it; raise ``ValidationFailed``.

    Refused: larger than ``max_bytes`` (default ``UPLOAD_MAX_BYTES``; checked before reading), a
    name with
    markup, content not of an ``accept``-ed type, a name whose extension says another type,
    an Office file that unpacks too far, an unreadable or locked file, and a classified one.
    """
    accepted = [KINDS[code] for code in accept]
    limit = settings.UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    if upload.size > limit:
        raise _refuse(
            _(
                "The file is larger than %(limit)s. Please make it smaller (for example, save "
                "pictures at a lower resolution) or split it, and upload it again."
            )
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
    not_accepted = _refuse(
        _("This file cannot be used here. Accepted are: %(kinds)s.")
        % {"kinds": _accepted_labels(accepted)}
    )
    if extension in _OLD_OFFICE_EXTENSIONS:
        raise _old_office_problem()
    if not any(extension in k.extensions for k in accepted):
        raise not_accepted
    kind = kind_of(upload)
    if kind is None:
        upload.seek(0)
        if upload.read(8) == _OLE2_MAGIC:
            raise _old_office_problem()
        raise _refuse(
            _(
                "The content of this file is not one of the accepted types (%(kinds)s). It may "
                "be damaged, or another kind of file that was only renamed."
            )
            % {"kinds": _accepted_labels(accepted)}
        )
    if kind not in accepted or extension not in kind.extensions:
        raise _refuse(
            _(
                "The file is named “%(name)s”, but its content is a %(kind)s. Please check that "
                "you chose the right file."
            )
            % {"name": name, "kind": kind.label}
        )
    text = _text_of(kind, upload)
    if problem := classification_problem(name, text):
        raise _refuse(problem)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(kind=kind, name=name, size=upload.size, sha256=digest.hexdigest(), text=text)


def checked_bytes(data: bytes, *, name: str, kind: FileKind) -> tuple[CheckedFile, ContentFile]:
    """Return a :class:`CheckedFile` for bytes already known to be of ``kind`` (no text)."""
    checked = CheckedFile(
        kind=kind,
        name=clean_file_name(name),
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        text="",
    )
    return checked, ContentFile(data)


@contextmanager
def files_removed_on_error(storage: Storage = default_storage) -> Iterator[list[str]]:
    """Collect the names of files written to ``storage`` inside; delete them if an error escapes.

    The database rolls back on its own; files written before the error would stay behind.
    """
    written: list[str] = []
    try:
        yield written
    except BaseException:
        for name in written:
            storage.delete(name)
        raise


def file_response(file: Any, *, content_type: str, name: str) -> FileResponse:
    """Send a stored file under its original (Chinese) name: pictures shown, others saved.

    ``content_type`` must be the one checked by content when the file was accepted.
    """
    is_image = content_type.startswith("image/")
    response = FileResponse(file.open("rb"), content_type=content_type)
    disposition = content_disposition_header(not is_image, name)
    if disposition is not None:  # None only for a picture stored without a name
        response["Content-Disposition"] = disposition
    # The stored type is the one checked by content: never let a browser guess another.
    response["X-Content-Type-Options"] = "nosniff"
    # An opened file runs nothing and loads nothing, even if it were HTML in disguise.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response
