"""Downloading an attachment: for those who may read its article or write for it, else 404."""

import uuid

from django.http import FileResponse, HttpRequest
from django.views.decorators.http import require_safe

from dangwu import access
from dangwu.core.errors import NotFound
from dangwu.core.files import file_response
from dangwu.portal import permissions as perms
from dangwu.portal.models import Attachment
from dangwu.portal.selectors import article_edit_access


@require_safe
def attachment_download(request: HttpRequest, key: uuid.UUID) -> FileResponse:
    """Send the file under its original (Chinese) name; pictures shown, other files saved."""
    attachment = (
        Attachment.objects.select_related("article__column", "article__organization")
        .filter(uuid=key)
        .first()
    )
    article = attachment.article if attachment is not None else None
    if attachment is None or article is None:
        raise NotFound("attachment not found")
    if not access.may_read(request.user, perms.ARTICLES, article):
        # Drafts and returned articles: only for those who write for the organization.
        # Raises the same NotFound as a missing file.
        article_edit_access(user=request.user, pk=article.pk)
    return file_response(
        attachment.file, content_type=attachment.content_type, name=attachment.original_name
    )
