"""Reads for the archive, scoped by ``archive.view`` (one query whatever the tree)."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dangwu import access
from dangwu.archive import permissions as perms
from dangwu.archive.models import ArchiveFile, ArchiveItem
from dangwu.core.errors import NotFound


def items_visible(user: Any, *, all_versions: bool = False) -> QuerySet[ArchiveItem]:
    """Return the archived items the user may read: the newest version of each, by 档号."""
    items = access.visible(user, perms.VIEW, ArchiveItem.objects.all(), "organization__path")
    if not all_versions:
        items = items.filter(next_version__isnull=True)
    return items.order_by("year", "retention", "unit", "item_number", "version")


def catalogue(user: Any, *, year: int | None = None, retention: str = "") -> QuerySet[ArchiveItem]:
    """Return the 归档文件目录 rows (newest versions) for a year and retention period."""
    items = items_visible(user).defer("reason")
    if year is not None:
        items = items.filter(year=year)
    if retention:
        items = items.filter(retention=retention)
    return items


def catalogue_years(user: Any) -> list[int]:
    """Return the years that have archived items the user may read, newest first."""
    years = items_visible(user).order_by("-year").values_list("year", flat=True).distinct()
    return list(years)


def item_access(*, user: Any, pk: int) -> ArchiveItem:
    """Fetch an item (any version) the user may read, or the same NotFound as a missing one."""
    item = (
        items_visible(user, all_versions=True)
        .select_related("organization", "previous")
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise NotFound(_("This archived item does not exist, or you may not see it."))
    return item


def item_versions(item: ArchiveItem) -> QuerySet[ArchiveItem]:
    """Return every version of the item (same 档号), the newest first."""
    return (
        ArchiveItem.objects.filter(code=item.code)
        .only("id", "version", "reason", "archived_by_name", "archived_at", "code")
        .order_by("-version")
    )


def file_access(*, user: Any, pk: int) -> ArchiveFile:
    """Fetch a file of an item the user may read, or NotFound."""
    items = items_visible(user, all_versions=True).values("pk")
    stored: ArchiveFile | None = ArchiveFile.objects.filter(pk=pk, item_id__in=items).first()
    if stored is None:
        raise NotFound(_("This file does not exist, or you may not see it."))
    return stored


def source_state(user: Any, kind: str, source_id: int) -> dict[str, Any]:
    """Return what a source's page shows: its archived item (if readable), may it be archived."""
    item = (
        items_visible(user).filter(source_kind=kind, source_id=source_id).only("id", "code").first()
    )
    archived = ArchiveItem.objects.filter(source_kind=kind, source_id=source_id).exists()
    return {
        "item": item,
        "archived": archived,
        "may_archive": not archived and access.can(user, perms.MANAGE),
        "kind": kind,
        "source_id": source_id,
    }
