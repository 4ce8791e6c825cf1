"""Attachments of articles: checked by content (``core.files``), guarded, audited.

Nothing is written — no row, no file — unless every check passes.
"""

import uuid as uuid_module
from typing import Any

from django.core.files.base import File
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from dangwu import access
from dangwu.audit.services import audit_record
from dangwu.core.errors import DomainError
from dangwu.core.files import CheckedFile, check_upload, files_removed_on_error
from dangwu.portal import permissions as perms
from dangwu.portal.enums import EDITABLE
from dangwu.portal.models import Article, Attachment


def download_url(attachment: Attachment) -> str:
    """Return the platform's own address of ``attachment`` (what article bodies link to)."""
    return reverse("portal:attachment_download", kwargs={"key": attachment.uuid})


def save_file(
    *,
    article: Article,
    checked: CheckedFile,
    content: File,
    uploaded_by: Any,
    written: list[str],
    key: uuid_module.UUID | None = None,
) -> Attachment:
    """Store a checked file as an attachment of ``article``; the caller has checked the policy.

    ``written`` receives the storage name (see :func:`files_removed_on_error`); ``key`` sets the
    attachment's uuid when its address must be known before it exists (images of a .docx).
    """
    attachment = Attachment(
        article=article,
        original_name=checked.name,
        content_type=checked.kind.content_type,
        size=checked.size,
        sha256=checked.sha256,
        text=checked.text,
        uploaded_by=uploaded_by if getattr(uploaded_by, "pk", None) else None,
    )
    if key is not None:
        attachment.uuid = key
    attachment.file.save("upload", content, save=False)
    written.append(attachment.file.name)
    attachment.save()
    return attachment


def _require_editable(article: Article) -> None:
    if article.status not in EDITABLE:
        raise DomainError(
            _("This article is %(status)s; withdraw it before changing it.")
            % {"status": article.get_status_display()}
        )


@transaction.atomic
def attachment_add(*, actor: Any, article: Article, upload: Any) -> Attachment:
    """Attach an uploaded file to an article that can still be changed.

    Accepted: PDF, DOCX, XLSX, PPTX, JPG and PNG (by content) up to the configured size; a
    classified file is refused and nothing — row or file — is kept.
    """
    access.require(actor, perms.ARTICLE_WRITE, article)
    _require_editable(article)
    checked = check_upload(upload)
    with files_removed_on_error(Attachment.file.field.storage) as written:
        attachment = save_file(
            article=article, checked=checked, content=upload, uploaded_by=actor, written=written
        )
        audit_record(
            actor=actor,
            action="portal.attachment_added",
            target=attachment,
            details={"article": article.pk, "size": checked.size, "sha256": checked.sha256},
        )
    return attachment


@transaction.atomic
def attachment_remove(*, actor: Any, attachment: Attachment) -> None:
    """Remove an attachment from an article that can still be changed; its file goes too."""
    article = attachment.article
    if article is None:
        raise DomainError(_("This file does not belong to an article."))
    access.require(actor, perms.ARTICLE_WRITE, article)
    _require_editable(article)
    audit_record(
        actor=actor,
        action="portal.attachment_removed",
        target=attachment,
        details={"article": article.pk, "sha256": attachment.sha256},
    )
    name = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    # Only once the removal is committed: a rollback must find the file still there.
    transaction.on_commit(lambda: storage.delete(name))
