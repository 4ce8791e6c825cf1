"""The archive providers of the platform's documents (see ``providers.py``).

Completed incoming documents (收文) are archived with the sender as 责任者. Outgoing documents
(发文, the ``documents`` app) once distributed: the issuing organization is the 责任者.
"""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dangwu.archive.providers import (
    ArchiveProvider,
    SourceFile,
    SourceRecord,
    register_archive_provider,
)
from dangwu.incoming import selectors as incoming
from dangwu.incoming.enums import IncomingStatus
from dangwu.incoming.models import IncomingDocument
from dangwu.incoming.services import SEARCH_KIND as INCOMING


class IncomingProvider(ArchiveProvider):
    kind = INCOMING
    label = _("Incoming document")

    def fetch(self, user: Any, pk: int) -> IncomingDocument:
        return incoming.document_access(user=user, pk=pk)

    def is_finished(self, obj: Any) -> bool:
        return bool(obj.status == IncomingStatus.COMPLETED)

    def record(self, obj: Any) -> SourceRecord:
        return SourceRecord(
            organization=obj.organization,
            title=obj.title,
            responsible=obj.source,
            date=obj.document_date,
            classification=obj.classification,
            doc_number=obj.source_number,
            files=[
                SourceFile(
                    file=f.file,
                    name=f.original_name,
                    content_type=f.content_type,
                    size=f.size,
                    sha256=f.sha256,
                    text=f.text,
                )
                for f in obj.files.all()
            ],
        )

    def url(self, pk: int) -> str:
        return reverse("incoming:detail", args=[pk])


register_archive_provider(IncomingProvider())


# 密级 of an outgoing document (documents.enums.Classification) as the catalogue writes it.
_OUTGOING_LEVELS = {"none": "非密", "internal": "内部"}


class OutgoingProvider(ArchiveProvider):
    """Distributed outgoing documents (发文): the issuing organization is the 责任者.

    Reads the ``documents`` app only through its selector and models (that app is not changed).
    """

    kind = "documents.document"
    label = _("Outgoing document")

    def fetch(self, user: Any, pk: int) -> Any:
        from dangwu.documents import selectors as documents

        return documents.document_access(user=user, pk=pk)

    def is_finished(self, obj: Any) -> bool:
        from dangwu.documents.enums import DocumentStatus

        return bool(obj.status == DocumentStatus.DISTRIBUTED)

    def record(self, obj: Any) -> SourceRecord:
        from django.utils import timezone

        signed = obj.signed_at or obj.distributed_at or obj.created_at
        return SourceRecord(
            organization=obj.organization,
            title=obj.title,
            responsible=obj.organization.name,
            # 成文日期: the day the leader signed it off (DOMAIN.md §1.2).
            date=timezone.localdate(signed),
            classification=_OUTGOING_LEVELS.get(obj.classification, obj.classification),
            doc_number=obj.number,
            files=[
                SourceFile(
                    file=f.file,
                    name=f.original_name,
                    content_type=f.content_type,
                    size=f.size,
                    sha256=f.sha256,
                )
                for f in obj.files.all()
            ],
        )

    def url(self, pk: int) -> str:
        return reverse("documents:detail", args=[pk])


register_archive_provider(OutgoingProvider())
