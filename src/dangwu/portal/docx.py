"""Articles from Word: creating a draft from a .docx file, and cleaning HTML pasted from Word.

A .docx is converted by mammoth (headings, paragraphs, bold/italic, lists, tables, pictures).
Pictures become attachments of the article and the body points at the platform's own download
address — no data: URIs, no external links. The article service then sanitizes the HTML and
runs the classification guard; when anything refuses, nothing is kept, pictures included.
"""

import io
import os
import re
import uuid
import zipfile
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

import mammoth
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from dangwu import access
from dangwu.audit.services import audit_record
from dangwu.core.errors import ValidationFailed
from dangwu.core.files import (
    FileKind,
    check_upload,
    checked_bytes,
    files_removed_on_error,
    kind_of,
)
from dangwu.core.html import html_to_text, sanitize_html
from dangwu.orgs.models import Organization
from dangwu.portal import permissions as perms
from dangwu.portal.attachments import save_file
from dangwu.portal.models import Article, Column
from dangwu.portal.services import article_create

# The article page's own title is the <h1>; Word's headings move one level down. Word stores the
# built-in names in English whatever the language of the interface; WPS uses Chinese ones.
STYLE_MAP = "\n".join(
    [
        "p[style-name='Title'] => h1:fresh",
        "p[style-name='标题'] => h1:fresh",
        *(
            f"p[style-name='{name} {level}'] => h{min(level + 1, 6)}:fresh"
            for level in range(1, 7)
            for name in ("heading", "标题")
        ),
        "u => u",
    ]
)
_CORE_PROPERTIES = "docProps/core.xml"
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"


@dataclass
class _Picture:
    key: uuid.UUID
    kind: FileKind
    data: bytes


@dataclass
class Converted:
    """A Word file as HTML for the article body, its title and its pictures (not yet stored)."""

    html: str
    title: str
    pictures: list[_Picture] = field(default_factory=list)
    left_out: int = 0  # pictures in formats a browser cannot show (EMF, WMF...)


def _core_title(upload: Any) -> str:
    """Return the title property (File → Properties) of a .docx, or ''."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            info = archive.getinfo(_CORE_PROPERTIES)
            if info.file_size > 1024 * 1024:
                return ""
            # Bounded input, expat's amplification limits: see attachments._office_kind.
            element = ElementTree.fromstring(archive.read(info)).find(_DC_TITLE)  # noqa: S314
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, OSError):
        return ""
    finally:
        upload.seek(0)
    return " ".join((element.text or "").split()) if element is not None else ""


_FIRST_HEADING = re.compile(r"<(h[1-6])>(.*?)</\1>", re.S)
_HEADING_ONE = re.compile(r"<(/?)h1>")
_NO_KEY = uuid.UUID(int=0)
_IMAGE_WITHOUT_SOURCE = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


def convert_docx(upload: Any, *, title: str = "") -> Converted:
    """Convert a checked .docx to body HTML, a title and the pictures it shows.

    Without a given ``title`` the document's first heading is the title (and leaves the body
    when it opens the document), else its title property.
    """
    pictures: list[_Picture] = []
    seen: dict[bytes, uuid.UUID] = {}
    left_out = 0
    limit = settings.UPLOAD_MAX_BYTES

    def picture_attributes(image: Any) -> dict[str, str]:
        nonlocal left_out
        with image.open() as stream:
            data = stream.read(limit + 1)
        kind = kind_of(io.BytesIO(data)) if len(data) <= limit else None
        if kind is None or not kind.is_image:
            left_out += 1
            return {}
        # The same picture used twice is stored once.
        key = seen.setdefault(data, uuid.uuid4())
        if key not in {p.key for p in pictures}:
            pictures.append(_Picture(key=key, kind=kind, data=data))
        # An empty alt marks a picture without a description as decorative (screen readers).
        return {"src": address.replace(str(_NO_KEY), str(key)), "alt": image.alt_text or ""}

    address = reverse("portal:attachment_download", kwargs={"key": _NO_KEY})
    upload.seek(0)
    try:
        result = mammoth.convert_to_html(
            upload,
            style_map=STYLE_MAP,
            convert_image=mammoth.images.img_element(picture_attributes),
        )
    # check_upload has opened the file with python-docx; mammoth may still trip on odd parts.
    except Exception as error:
        message = _("This Word file cannot be read; it may be damaged. Please save it again.")
        raise ValidationFailed(message, errors=[("file", message)]) from error
    html = _IMAGE_WITHOUT_SOURCE.sub("", result.value)
    if not title and (match := _FIRST_HEADING.search(html)):
        title = " ".join(html_to_text(match.group(2)).split())
        if not html[: match.start()].strip():
            html = html[match.end() :]
    title = title or _core_title(upload)
    return Converted(
        html=_HEADING_ONE.sub(r"<\1h2>", html), title=title, pictures=pictures, left_out=left_out
    )


@transaction.atomic
def article_from_docx(
    *, actor: Any, organization: Organization, column: Column, upload: Any, **fields: Any
) -> Article:
    """Create a draft from an uploaded .docx, its pictures stored as the article's attachments.

    ``fields`` are those of :func:`~dangwu.portal.services.article_create`; the title comes from
    the document (first heading, else its title property) unless one is given. A file that is
    not a .docx, or one marked classified, is refused and nothing is saved.
    """
    access.require(actor, perms.ARTICLE_WRITE, organization)
    checked = check_upload(upload, accept=("docx",))
    converted = convert_docx(upload, title=(fields.pop("title", "") or "").strip())
    fields.pop("body", None)
    article = article_create(
        actor=actor,
        organization=organization,
        column=column,
        title=converted.title,
        body=converted.html,
        **fields,
    )
    stem = os.path.splitext(checked.name)[0]
    with files_removed_on_error() as written:
        for number, picture in enumerate(converted.pictures, start=1):
            picture_file, content = checked_bytes(
                picture.data,
                name=f"{stem}-{number}{picture.kind.extensions[0]}",
                kind=picture.kind,
            )
            save_file(
                article=article,
                checked=picture_file,
                content=content,
                uploaded_by=actor,
                written=written,
                key=picture.key,
            )
        audit_record(
            actor=actor,
            action="portal.article_imported",
            target=article,
            details={
                "sha256": checked.sha256,
                "pictures": len(converted.pictures),
                "pictures_left_out": converted.left_out,
            },
        )
    return article


# ------------------------------------------------------------------------ pasted from Word
#
# Word puts its own markup on the clipboard: conditional comments, <xml> and <style> blocks,
# <o:p>, mso- styles, classes on every span, and lists as paragraphs with a typed-in bullet.

_CONDITIONAL_COMMENT = re.compile(r"<!--\[if[^\]]*\]>.*?<!\[endif\]-->", re.S | re.I)
_WORD_BLOCK = re.compile(r"<(xml|style|head|title)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_LIST_PARAGRAPH = re.compile(r"<p\b[^>]*mso-list:[^>]*>(.*?)</p\s*>", re.S | re.I)
_LIST_MARKER = re.compile(r"<!\[if !supportLists\]>(.*?)<!\[endif\]>", re.S | re.I)
_DOWNLEVEL = re.compile(r"<!\[(?:if [^\]]*|endif)\]>", re.I)
_ORDERED_MARKER = re.compile(
    r"^[(（]?([0-9]+|[一二三四五六七八九十]+|[a-zA-Z]|[ivxIVX]+)[.．、)）]"
)
_LIST_RUN = re.compile(
    r'<li data-list="(ul|ol)">.*?</li>\s*(?:<li data-list="\1">.*?</li>\s*)*', re.S
)
_HEADING = re.compile(r"<(/?)h([1-6])\b", re.I)
_SPAN = re.compile(r"</?span\b[^>]*>", re.I)
_EMPTY_PARAGRAPH = re.compile(r"<p>(?:\s|&nbsp;|\xa0|<br\s*/?>)*</p>\s*", re.I)


def _list_item(match: re.Match[str]) -> str:
    inner = match.group(1)
    marker = _LIST_MARKER.search(inner)
    text = html_to_text(marker.group(1)).strip() if marker else ""
    kind = "ol" if _ORDERED_MARKER.match(text) else "ul"
    return f'<li data-list="{kind}">{_LIST_MARKER.sub("", inner).strip()}</li>'


def _list(match: re.Match[str]) -> str:
    tag = match.group(1)
    items = match.group(0).replace(f' data-list="{tag}"', "")
    return f"<{tag}>{items}</{tag}>"


def _shift_heading(match: re.Match[str]) -> str:
    return f"<{match.group(1)}h{min(int(match.group(2)) + 1, 6)}"


def clean_word_html(value: str) -> str:
    """Return HTML pasted from Word (or any editor HTML) sanitized and free of Word's markup.

    Lists typed as Word list paragraphs become real lists; Word's Heading 1 (<h1>, the page's
    own title level) and those below move one level down; empty paragraphs and bare spans go.
    """
    value = _CONDITIONAL_COMMENT.sub("", value or "")
    value = _WORD_BLOCK.sub("", value)
    value = _LIST_PARAGRAPH.sub(_list_item, value)
    value = _LIST_RUN.sub(_list, value)
    value = _DOWNLEVEL.sub("", value)
    if re.search(r"<h1\b", value, re.I):
        value = _HEADING.sub(_shift_heading, value)
    value = sanitize_html(value)
    value = _SPAN.sub("", value)
    return _EMPTY_PARAGRAPH.sub("", value).strip()
