"""Archived items in the full-text search: the newest version of each, for archive readers.

The audience is the ``archive.view`` policy itself, as a subquery on the item ids.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime, time
from typing import Any

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from dangwu.archive import selectors
from dangwu.archive.models import ArchiveFile, ArchiveItem
from dangwu.archive.services import SEARCH_KIND
from dangwu.core.search import Document, Hit, SearchProvider, register_provider


class ArchiveSearch(SearchProvider):
    kind = SEARCH_KIND

    def documents(self, ids: Sequence[int]) -> Iterable[Document]:
        items = ArchiveItem.objects.filter(pk__in=ids, next_version__isnull=True).prefetch_related(
            Prefetch("files", ArchiveFile.objects.only("id", "item_id", "text"))
        )
        for item in items:
            texts = [item.responsible, item.remarks, *(f.text for f in item.files.all() if f.text)]
            yield Document(
                object_id=item.pk,
                title=item.title,
                title_extra=f"{item.code} {item.doc_number}",
                text="\n".join(t for t in texts if t),
                visibility=item.classification,
                source=item.retention,
                published_at=timezone.make_aware(datetime.combine(item.date, time.min)),
            )

    def indexable_ids(self) -> Iterable[int]:
        return (
            ArchiveItem.objects.filter(next_version__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
            .iterator(chunk_size=2000)
        )

    def audience(self, user: Any) -> Q:
        return Q(object_id__in=selectors.items_visible(user).order_by().values("pk"))

    def describe(self, hits: list[Hit]) -> None:
        for hit in hits:
            hit.url = reverse("archive:item", args=[hit.object_id])
            hit.section = str(ArchiveItem._meta.verbose_name_plural)


register_provider(ArchiveSearch())
