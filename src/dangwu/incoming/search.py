"""Incoming documents in the full-text search: found only by those who may see them.

The audience is the ``incoming.view`` policy itself, as a subquery on the document ids, so the
search applies exactly the pages' rule inside its SQL and a hidden document never even counts.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime, time
from typing import Any

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from dangwu.core.search import Document, Hit, SearchProvider, register_provider
from dangwu.incoming import selectors
from dangwu.incoming.models import IncomingDocument, IncomingFile
from dangwu.incoming.services import SEARCH_KIND


class IncomingSearch(SearchProvider):
    kind = SEARCH_KIND

    def documents(self, ids: Sequence[int]) -> Iterable[Document]:
        documents = IncomingDocument.objects.filter(pk__in=ids).prefetch_related(
            Prefetch("files", IncomingFile.objects.only("id", "document_id", "text"))
        )
        for document in documents:
            texts = [
                document.source,
                document.proposal,
                document.instruction,
                document.result,
                *(f.text for f in document.files.all() if f.text),
            ]
            yield Document(
                object_id=document.pk,
                title=document.title,
                title_extra=document.source_number,
                text="\n".join(t for t in texts if t),
                visibility=document.classification,
                source=document.status,
                published_at=timezone.make_aware(datetime.combine(document.received_on, time.min)),
            )

    def indexable_ids(self) -> Iterable[int]:
        return (
            IncomingDocument.objects.order_by("pk")
            .values_list("pk", flat=True)
            .iterator(chunk_size=2000)
        )

    def audience(self, user: Any) -> Q:
        return Q(object_id__in=selectors.documents_visible(user).order_by().values("pk"))

    def describe(self, hits: list[Hit]) -> None:
        for hit in hits:
            hit.url = reverse("incoming:detail", args=[hit.object_id])
            hit.section = str(IncomingDocument._meta.verbose_name_plural)


register_provider(IncomingSearch())
