"""Files of the file library in the full-text search: name and the newest version's text.

The audience is the folder-visibility rule itself (``library.permissions.folder_view_q``), as a
subquery on the file ids: the reader fields of a search document (visibility, columns, source)
cannot say "the committee, plus the organizations a folder is shared with, plus one exchange
partner's secretaries", so the permission-filtered set of visible files is the filter.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Q
from django.urls import reverse

from dangwu.core.search import Document, Hit, SearchProvider, register_provider
from dangwu.library import files_selectors
from dangwu.library.files_services import SEARCH_KIND
from dangwu.library.models import LibraryFile


class LibraryFileSearch(SearchProvider):
    kind = SEARCH_KIND

    def documents(self, ids: Sequence[int]) -> Iterable[Document]:
        files = LibraryFile.objects.filter(pk__in=ids, deleted_at__isnull=True).select_related(
            "current", "folder"
        )
        for file in files:
            yield Document(
                object_id=file.pk,
                title=file.name,
                title_extra=file.folder.name,
                text=file.current.text if file.current else "",
                visibility=file.folder.kind,
                source=file.folder.kind,
                published_at=file.updated_at,
            )

    def indexable_ids(self) -> Iterable[int]:
        return (
            LibraryFile.objects.filter(deleted_at__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
            .iterator(chunk_size=2000)
        )

    def audience(self, user: Any) -> Q:
        return Q(object_id__in=files_selectors.files_visible(user=user).order_by().values("pk"))

    def describe(self, hits: list[Hit]) -> None:
        folders = dict(
            LibraryFile.objects.filter(pk__in=[h.object_id for h in hits]).values_list(
                "pk", "folder__name"
            )
        )
        for hit in hits:
            hit.url = reverse("library:files_file", args=[hit.object_id])
            hit.section = folders.get(hit.object_id, "")


register_provider(LibraryFileSearch())
