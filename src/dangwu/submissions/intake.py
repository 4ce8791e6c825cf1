"""The public site's intake form (互联网报送): organizations with internet access only send
items here; the next exchange bundle takes them to the internal site and they are removed.

An organization proves who it is with its intake code, given by its secretary on the internal
site (only a salted slow hash travels here). The form has no captcha; it is rate limited per
address and per organization through the cache (shared by every worker process), and wrong
codes are counted so that guessing is cut off.
"""

from __future__ import annotations

import html
import os
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from dangwu.audit.services import audit_record
from dangwu.core.classification import classification_problem
from dangwu.core.errors import DomainError, ValidationFailed
from dangwu.core.files import check_upload, checked_bytes, files_removed_on_error
from dangwu.core.html import html_to_text
from dangwu.core.personal import phone_problem
from dangwu.submissions.enums import FileRole, SubmissionKind
from dangwu.submissions.models import IntakeAccess, IntakeFile, IntakeItem
from dangwu.submissions.services import MAX_PHOTOS, PHOTO_KINDS, _docx_body

# Per hour: items accepted from one address, wrong codes for one organization or address.
ITEMS_PER_ADDRESS = getattr(settings, "SUBMISSIONS_INTAKE_PER_HOUR", 10)
WRONG_CODES = 5
WINDOW = 3600


class TooMany(DomainError):
    """Too many attempts: the page answers 429."""

    status_code = 429


def _problem(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors=[(field, message)])


def _count(key: str) -> int:
    cache.add(key, 0, WINDOW)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW)
        return 1


def _plain_to_html(text: str) -> str:
    paragraphs = [p.strip() for p in (text or "").replace("\r\n", "\n").split("\n") if p.strip()]
    return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


def _check_code(organization_code: str, code: str, address: str) -> IntakeAccess:
    wrong_org = f"submissions:intake:wrong:{organization_code}"
    wrong_address = f"submissions:intake:wrong-address:{address}"
    if (cache.get(wrong_org) or 0) >= WRONG_CODES or (cache.get(wrong_address) or 0) >= WRONG_CODES:
        raise TooMany(
            _(
                "The code was entered wrongly too many times. Please wait an hour, or ask your "
                "organization's secretary for the code."
            )
        )
    access = IntakeAccess.objects.filter(organization_code=organization_code).first()
    normalized = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if access is None or not normalized or not check_password(normalized, access.code_hash):
        _count(wrong_org)
        _count(wrong_address)
        raise _problem(
            "code",
            _(
                "The organization and the code do not match. Check the code your secretary "
                "gave you (letters and digits; the dashes do not matter)."
            ),
        )
    return access


@transaction.atomic
def intake_submit(
    *,
    organization_code: str,
    code: str,
    title: str,
    kind: str,
    text: str = "",
    upload: Any = None,
    photos: list[Any] | None = None,
    contact_name: str,
    contact_phone: str,
    address: str = "",
) -> IntakeItem:
    """Keep an item from the intake form until the next bundle takes it to the internal site.

    Refused with nothing kept: a wrong code, too many items from one address, a classified
    mark or text, a Word file that is not one, photos that are not pictures.
    """
    if _count(f"submissions:intake:address:{address}") > ITEMS_PER_ADDRESS:
        raise TooMany(_("Too many items were sent from here in the last hour. Please try later."))
    access = _check_code(organization_code, code, address)
    title = " ".join((title or "").split())
    if kind not in SubmissionKind.values:
        raise _problem("kind", _("Choose the kind of item."))
    contact_name = (contact_name or "").strip()
    if not contact_name:
        raise _problem("contact_name", _("Give the name of a contact person."))
    if problem := phone_problem(contact_phone or ""):
        raise _problem("contact_phone", problem)
    pictures: list[Any] = []
    if upload is not None:
        found_title, body, pictures = _docx_body(upload, title)
        title = title or found_title
    else:
        body = _plain_to_html(text)
    if not title:
        raise _problem("title", _("The title is required."))
    if len(title) > 200:
        raise _problem("title", _("The title may have at most 200 characters."))
    if not html_to_text(body).strip():
        raise _problem("text", _("Write the text or upload a Word file."))
    if problem := classification_problem(title, html_to_text(body)):
        raise _problem("text", problem)
    photos = list(photos or [])
    if len(photos) > MAX_PHOTOS:
        raise _problem(
            "photos",
            _("At most %(count)d files of this kind can be added.") % {"count": MAX_PHOTOS},
        )
    checked_photos = [(p, check_upload(p, accept=PHOTO_KINDS)) for p in photos]
    item = IntakeItem.objects.create(
        organization_code=access.organization_code,
        title=title,
        kind=kind,
        body=body,
        contact_name=contact_name,
        contact_phone=contact_phone.strip(),
    )
    stem = os.path.splitext(os.path.basename(getattr(upload, "name", "") or "word"))[0]
    with files_removed_on_error() as written:
        for number, picture in enumerate(pictures, start=1):
            checked, content = checked_bytes(
                picture.data,
                name=f"{stem}-{number}{picture.kind.extensions[0]}",
                kind=picture.kind,
            )
            _store(item, FileRole.INLINE, checked, content, written, key=picture.key)
        for upload_photo, checked in checked_photos:
            _store(item, FileRole.PHOTO, checked, upload_photo, written)
        audit_record(
            actor=None,
            actor_name="public-intake",
            action="submissions.intake_received",
            target=item,
            details={"organization": access.organization_code, "files": len(written)},
        )
    return item


def _store(
    item: IntakeItem, role: str, checked: Any, content: Any, written: list[str], key: Any = None
) -> IntakeFile:
    stored = IntakeFile(
        item=item,
        role=role,
        original_name=checked.name,
        content_type=checked.kind.content_type,
        size=checked.size,
        sha256=checked.sha256,
    )
    if key is not None:
        stored.uuid = key
    stored.file.save("upload", content, save=False)
    written.append(stored.file.name)
    stored.save()
    return stored
