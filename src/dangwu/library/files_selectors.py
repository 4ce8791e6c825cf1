"""Reads of the file library (资料交换), each in a fixed number of queries.

A folder or file the person may not see is answered exactly like a missing one (404).
"""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from dangwu import access
from dangwu.core.errors import NotFound
from dangwu.library import permissions as perms
from dangwu.library.enums import FolderKind
from dangwu.library.files_services import default_quota_bytes
from dangwu.library.models import FileVersion, Folder, LibraryFile, LibraryQuota
from dangwu.orgs.models import Organization


def _not_found() -> NotFound:
    return NotFound(_("This folder or file does not exist or is not available to you."))


def folders_visible(*, user: Any) -> QuerySet[Folder]:
    """Every folder ``user`` may see (top-level and subfolders)."""
    return Folder.objects.filter(perms.folder_view_q(user))


@dataclass
class LibraryHome:
    committee: list[Folder] = field(default_factory=list)
    organization: list[Folder] = field(default_factory=list)
    exchange: list[Folder] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.committee or self.organization or self.exchange)


def library_home(*, user: Any) -> LibraryHome:
    """The top-level folders ``user`` may see, grouped by kind, with their file counts (1 query
    plus the user's grants)."""
    folders = (
        folders_visible(user=user)
        .filter(parent__isnull=True)
        .select_related("organization")
        .annotate(
            file_count=Count("files", filter=Q(files__deleted_at__isnull=True), distinct=True)
        )
        .order_by("kind", "organization__path", "name", "id")
    )
    home = LibraryHome()
    for folder in folders:
        getattr(home, folder.kind).append(folder)
    return home


def folder_access(*, user: Any, pk: int) -> Folder:
    folder = (
        folders_visible(user=user).select_related("organization", "parent").filter(pk=pk).first()
    )
    if folder is None:
        raise _not_found()
    return folder


def folder_trail(folder: Folder) -> list[Folder]:
    """The folders above ``folder``, outermost first (one query per level; at most five)."""
    trail: list[Folder] = []
    up = folder.parent
    while up is not None:
        trail.insert(0, up)
        up = up.parent
    return trail


def subfolders(folder: Folder) -> list[Folder]:
    return list(
        folder.children.filter(deleted_at__isnull=True)
        .annotate(
            file_count=Count("files", filter=Q(files__deleted_at__isnull=True), distinct=True)
        )
        .order_by("name", "id")
    )


def files_in(folder: Folder) -> QuerySet[LibraryFile]:
    """The files of a folder (not deleted), with the newest version and who uploaded it."""
    return (
        LibraryFile.objects.filter(folder=folder, deleted_at__isnull=True)
        .select_related("current", "current__uploaded_by", "created_by")
        .order_by("name_key", "id")
    )


def file_access(*, user: Any, pk: int) -> LibraryFile:
    file = (
        LibraryFile.objects.filter(
            pk=pk,
            deleted_at__isnull=True,
            folder__in=folders_visible(user=user).values("pk"),
        )
        .select_related("folder", "folder__organization", "current", "created_by")
        .first()
    )
    if file is None:
        raise _not_found()
    return file


def versions_of(file: LibraryFile) -> list[FileVersion]:
    return list(file.versions.select_related("uploaded_by").order_by("-number"))


def version_access(*, user: Any, file_id: int, number: int | None = None) -> FileVersion:
    """A version of a visible file (its newest when ``number`` is None)."""
    file = file_access(user=user, pk=file_id)
    versions = FileVersion.objects.filter(file=file).select_related("file")
    version = versions.filter(number=number).first() if number is not None else versions.first()
    if version is None:
        raise _not_found()
    version.file = file
    return version


def files_visible(*, user: Any) -> QuerySet[LibraryFile]:
    """Every file (not deleted) in a folder ``user`` may see: the search's audience."""
    return LibraryFile.objects.filter(
        deleted_at__isnull=True, folder__in=folders_visible(user=user).values("pk")
    )


def may(user: Any, folder: Folder) -> dict[str, bool]:
    """What ``user`` may do in ``folder`` (for the page's buttons)."""
    return {
        "upload": access.can(user, perms.FOLDER_UPLOAD, folder),
        "manage": access.can(user, perms.FOLDER_MANAGE, folder),
        "change": access.can(user, perms.FOLDER_CHANGE, folder),
    }


KIND_ORDER = [FolderKind.COMMITTEE, FolderKind.ORGANIZATION, FolderKind.EXCHANGE]


# ---------------------------------------------------------------------------------- quotas


@dataclass
class QuotaRow:
    """An organization's storage in the file library: bytes used, its quota, the share used."""

    organization: Organization
    used: int
    quota: int
    own: bool  # False: the default quota applies

    @property
    def percent(self) -> int:
        if self.quota <= 0:
            return 100 if self.used else 0
        return round(self.used * 100 / self.quota)

    @property
    def over(self) -> bool:
        return self.used > self.quota


def organizations_with_usage(*, name: str = "") -> QuerySet[Organization]:
    """Every organization (the committee first, then in tree order) with ``used_bytes`` (the
    versions of its files not deleted) and ``own_quota`` (None: the default): one query."""
    used = (
        FileVersion.objects.filter(organization=OuterRef("pk"), file__deleted_at__isnull=True)
        .order_by()
        .values("organization")
        .annotate(total=Sum("size"))
        .values("total")
    )
    organizations = Organization.objects.annotate(
        used_bytes=Coalesce(Subquery(used), Value(0)),
        own_quota=Subquery(
            LibraryQuota.objects.filter(organization=OuterRef("pk")).values("quota_bytes")[:1]
        ),
    ).order_by("path")
    if name := " ".join((name or "").split()):
        organizations = organizations.filter(name__icontains=name)
    return organizations


def quota_rows(organizations: Any) -> list[QuotaRow]:
    """Rows for annotated organizations (from :func:`organizations_with_usage`); no query."""
    default = default_quota_bytes()
    return [
        QuotaRow(
            organization=o,
            used=int(o.used_bytes or 0),
            quota=int(o.own_quota) if o.own_quota is not None else default,
            own=o.own_quota is not None,
        )
        for o in organizations
    ]


def quota_row(*, pk: int) -> QuotaRow:
    found = organizations_with_usage().filter(pk=pk).first()
    if found is None:
        raise NotFound(_("This organization does not exist."))
    return quota_rows([found])[0]
