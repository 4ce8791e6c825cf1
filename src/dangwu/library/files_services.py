"""Writes of the file library (资料交换): folders, uploads (new files and new versions), download
counting and deleting.

An upload is checked by content (``core.files.check_upload``: type, size, the classification
guard on the name and the extracted text) before anything is written; its name is refused when
it carries path tricks; the organization's quota is checked with its quota row locked, so two
uploads at once cannot both slip under it. The file is streamed to storage (a large upload is a
temporary file on disk already, never in memory) and removed again if anything fails afterwards.
"""

import os
import unicodedata
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from dangwu import access
from dangwu.audit.services import audit_record
from dangwu.core.classification import classification_problem
from dangwu.core.errors import NotFound, ValidationFailed
from dangwu.core.files import check_upload, clean_file_name, files_removed_on_error
from dangwu.core.search import index_on_commit
from dangwu.library import permissions as perms
from dangwu.library.enums import FolderKind
from dangwu.library.models import FileVersion, Folder, LibraryFile, LibraryQuota
from dangwu.orgs.models import Organization

SEARCH_KIND = "library_file"
MAX_FOLDER_DEPTH = 5


def max_file_bytes() -> int:
    """The largest file the library accepts (``LIBRARY_FILE_MAX_BYTES``, default 200 MiB)."""
    return int(getattr(settings, "LIBRARY_FILE_MAX_BYTES", 200 * 1024 * 1024))


def max_quota_bytes() -> int:
    """The largest quota that may be set (``LIBRARY_QUOTA_MAX_BYTES``, default 1 TiB)."""
    return int(getattr(settings, "LIBRARY_QUOTA_MAX_BYTES", 1024**4))


def default_quota_bytes() -> int:
    """An organization's quota without its own (``LIBRARY_QUOTA_BYTES``, default 2 GiB)."""
    return int(getattr(settings, "LIBRARY_QUOTA_BYTES", 2 * 1024 * 1024 * 1024))


def _problem(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors=[(field, message)])


def _user_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _not_found() -> NotFound:
    return NotFound(_("This folder or file does not exist or is not available to you."))


def _require(actor: Any, name: str, obj: Any) -> None:
    """Refuse with 404 when the folder is not even visible; else with 403 when not allowed."""
    if not access.can(actor, perms.FOLDER_VIEW, obj):
        raise _not_found()
    access.require(actor, name, obj)


# ---------------------------------------------------------------------------------- folders


def _folder_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise _problem("name", _("Give the folder a name."))
    if len(name) > 100:
        raise _problem("name", _("A folder name may be at most 100 characters long."))
    if any(ch in name for ch in "/\\<>") or any(
        unicodedata.category(ch).startswith("C") for ch in name
    ):
        raise _problem("name", _("A folder name must not contain / \\ < > or control characters."))
    if problem := classification_problem(name):
        raise _problem("name", problem)
    return name


@transaction.atomic
def folder_create(
    *,
    actor: Any,
    name: str,
    kind: str = "",
    organization: Organization | None = None,
    parent: Folder | None = None,
    audience_all: bool = False,
    audience: list[Organization] | None = None,
    description: str = "",
) -> Folder:
    """Create a folder: a subfolder of ``parent`` (same kind, owner and audience), or a
    top-level one of ``kind`` (committee: owned by the root; organization or exchange: owned by
    ``organization``)."""
    name = _folder_name(name)
    description = (description or "").strip()
    if len(description) > 300:
        raise _problem("description", _("The description may be at most 300 characters long."))
    if problem := classification_problem(description):
        raise _problem("description", problem)
    if parent is not None:
        _require(actor, perms.FOLDER_MANAGE, parent)
        depth, up = 1, parent
        while up.parent_id is not None:
            depth += 1
            up = up.parent  # type: ignore[assignment]
        if depth >= MAX_FOLDER_DEPTH:
            raise _problem("name", _("Folders may be nested at most five levels deep."))
        if parent.children.filter(name=name, deleted_at__isnull=True).exists():
            raise _problem("name", _("This folder already has a subfolder with that name."))
        folder = Folder.objects.create(
            name=name,
            kind=parent.kind,
            organization=parent.organization,
            parent=parent,
            audience_all=parent.audience_all,
            description=description,
            created_by=_user_or_none(actor),
        )
        folder.audience.set(parent.audience.all())
    else:
        root = Organization.objects.filter(parent__isnull=True).order_by("path").first()
        if root is None:
            raise _problem("organization", _("There is no committee organization yet."))
        if kind == FolderKind.COMMITTEE:
            access.require(actor, perms.COMMITTEE_FOLDER_CREATE, root)
            owner = root
        elif kind == FolderKind.EXCHANGE:
            access.require(actor, perms.COMMITTEE_FOLDER_CREATE, root)
            if organization is None or organization.parent_id is None:
                raise _problem("organization", _("Choose the organization to exchange files with."))
            owner = organization
        elif kind == FolderKind.ORGANIZATION:
            if organization is None or organization.parent_id is None:
                raise _problem("organization", _("Choose the organization the folder belongs to."))
            access.require(actor, perms.ORGANIZATION_FOLDER_CREATE, organization)
            owner = organization
        else:
            raise _problem("kind", _("Choose the kind of folder."))
        if Folder.objects.filter(
            parent__isnull=True, kind=kind, organization=owner, name=name, deleted_at__isnull=True
        ).exists():
            raise _problem("name", _("A folder with that name already exists here."))
        folder = Folder.objects.create(
            name=name,
            kind=kind,
            organization=owner,
            audience_all=kind == FolderKind.COMMITTEE and audience_all,
            description=description,
            created_by=_user_or_none(actor),
        )
        if kind == FolderKind.COMMITTEE and not audience_all and audience:
            folder.audience.set(audience)
    audit_record(
        actor=actor,
        action="library.folder_created",
        target=folder,
        details={"kind": folder.kind, "organization": folder.organization_id},
    )
    return folder


def _require_change(actor: Any, folder: Folder) -> None:
    """Refuse with 404 when the folder is deleted or not visible; else 403 when not allowed."""
    if folder.deleted_at is not None:
        raise _not_found()
    _require(actor, perms.FOLDER_CHANGE, folder)


def _subtree(folder: Folder) -> list[int]:
    """The ids of ``folder`` and of its subfolders not deleted (one query per level, at most
    five)."""
    ids, level = [folder.pk], [folder.pk]
    while level:
        level = list(
            Folder.objects.filter(parent_id__in=level, deleted_at__isnull=True).values_list(
                "pk", flat=True
            )
        )
        ids += level
    return ids


@transaction.atomic
def folder_rename(*, actor: Any, folder: Folder, name: str) -> Folder:
    """Rename a folder (same rules as at creation: no two folders of one name side by side)."""
    _require_change(actor, folder)
    name = _folder_name(name)
    if folder.parent_id is not None:
        siblings = Folder.objects.filter(parent_id=folder.parent_id)
    else:
        siblings = Folder.objects.filter(
            parent__isnull=True, kind=folder.kind, organization_id=folder.organization_id
        )
    if siblings.filter(name=name, deleted_at__isnull=True).exclude(pk=folder.pk).exists():
        raise _problem("name", _("A folder with that name already exists here."))
    old = folder.name
    folder.name = name
    folder.save(update_fields=["name"])
    audit_record(
        actor=actor,
        action="library.folder_renamed",
        target=folder,
        details={"from": old, "to": name},
    )
    # The search shows each file with its folder's name.
    index_on_commit(
        SEARCH_KIND,
        list(folder.files.filter(deleted_at__isnull=True).values_list("pk", flat=True)),
    )
    return folder


@transaction.atomic
def folder_delete(*, actor: Any, folder: Folder) -> None:
    """Delete a folder and its subfolders softly, only when none of them holds a live file.

    Files deleted earlier keep their versions for the record; the folder rows are locked so an
    upload at the same moment waits and then finds the folder gone.
    """
    _require_change(actor, folder)
    ids = _subtree(folder)
    list(Folder.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))
    live = LibraryFile.objects.filter(folder_id__in=ids, deleted_at__isnull=True).count()
    if live:
        raise _problem(
            "folder",
            _(
                "The folder “%(name)s” cannot be deleted: it or one of its subfolders still "
                "holds %(count)s file(s). Delete those files first, then delete the folder."
            )
            % {"name": folder.name, "count": live},
        )
    now = timezone.now()
    Folder.objects.filter(pk__in=ids).update(deleted_at=now, deleted_by=_user_or_none(actor))
    folder.refresh_from_db()
    audit_record(
        actor=actor,
        action="library.folder_deleted",
        target=folder,
        details={"folders": len(ids)},
    )


@transaction.atomic
def folder_audience_set(
    *,
    actor: Any,
    folder: Folder,
    audience_all: bool,
    audience: list[Organization] | None = None,
) -> Folder:
    """Change who sees a top-level committee folder (every organization, or the chosen ones and
    their subtrees; none chosen: the committee alone), as at creation. Its subfolders follow."""
    _require_change(actor, folder)
    if folder.kind != FolderKind.COMMITTEE or folder.parent_id is not None:
        raise _problem(
            "audience",
            _(
                "Only a top-level committee folder has its own audience; a subfolder is seen by "
                "whoever sees the folder above it."
            ),
        )
    chosen = [] if audience_all else list(audience or [])
    ids = _subtree(folder)
    Folder.objects.filter(pk__in=ids).update(audience_all=audience_all)
    through = Folder.audience.through
    through.objects.filter(folder_id__in=ids).delete()
    through.objects.bulk_create(
        [through(folder_id=f, organization_id=o.pk) for f in ids for o in chosen]
    )
    folder.refresh_from_db()
    audit_record(
        actor=actor,
        action="library.folder_audience_set",
        target=folder,
        details={"audience_all": audience_all, "audience": sorted(o.pk for o in chosen)},
    )
    return folder


# ---------------------------------------------------------------------------------- uploads


def safe_file_name(name: str) -> str:
    """Return the name to show and store for an uploaded file; refuse path tricks.

    Refused: a ``..`` segment, an absolute path (``/etc/…``, ``\\\\server\\…``, ``~``), control or
    direction characters, NUL. A plain Windows path (``C:\\Users\\…\\通知.pdf``), which some
    browsers send, is cut to its last part.
    """
    raw = name or ""
    trick = _problem(
        "file",
        _(
            "The file name “%(name)s” contains a folder path or control characters, which are "
            "not allowed. Please rename the file (letters, digits and Chinese characters) and "
            "upload it again."
        )
        % {"name": clean_file_name(raw) or "?"},
    )
    parts = raw.replace("\\", "/").split("/")
    if any(part.strip() == ".." for part in parts):
        raise trick
    if raw.startswith(("/", "\\", "~")):
        raise trick
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") for ch in raw):
        raise trick
    cleaned = clean_file_name(raw)
    stem = os.path.splitext(cleaned)[0]
    if not stem or stem.startswith("."):
        raise trick
    return cleaned


def quota_of(organization: Organization) -> int:
    row = LibraryQuota.objects.filter(organization=organization).first()
    if row is not None and row.quota_bytes is not None:
        return int(row.quota_bytes)
    return default_quota_bytes()


def used_bytes(organization: Organization) -> int:
    """The bytes an organization stores: every version of its files that are not deleted."""
    total = FileVersion.objects.filter(
        organization=organization, file__deleted_at__isnull=True
    ).aggregate(total=Sum("size"))["total"]
    return int(total or 0)


def _lock_quota(organization: Organization) -> int:
    row, _created = LibraryQuota.objects.select_for_update().get_or_create(
        organization=organization
    )
    return int(row.quota_bytes) if row.quota_bytes is not None else default_quota_bytes()


def file_upload(*, actor: Any, folder: Folder, upload: Any) -> FileVersion:
    """Store ``upload`` in ``folder``: a new file, or a new version of the file of that name.

    Raises ``ValidationFailed`` (nothing saved, nothing left on disk) for a refused file.
    """
    _require(actor, perms.FOLDER_UPLOAD, folder)
    name = safe_file_name(getattr(upload, "name", ""))
    upload.name = name
    checked = check_upload(upload, max_bytes=max_file_bytes())
    storage = FileVersion.blob.field.storage
    with files_removed_on_error(storage) as written, transaction.atomic():
        owner = folder.organization
        quota = _lock_quota(owner)
        alive = Folder.objects.select_for_update().filter(pk=folder.pk, deleted_at__isnull=True)
        if not list(alive.values_list("pk", flat=True)):
            raise _not_found()  # deleted meanwhile
        used = used_bytes(owner)
        if used + checked.size > quota:
            raise _problem(
                "file",
                _(
                    "“%(name)s” (%(size)s) does not fit: %(organization)s may store "
                    "%(quota)s in the file library and %(used)s are used. Delete files or old "
                    "versions that are no longer needed, or ask the committee for more space."
                )
                % {
                    "name": checked.name,
                    "size": filesizeformat(checked.size),
                    "organization": owner.name,
                    "quota": filesizeformat(quota),
                    "used": filesizeformat(used),
                },
            )
        now = timezone.now()
        key = checked.name.casefold()
        file = (
            LibraryFile.objects.select_for_update()
            .filter(folder=folder, name_key=key, deleted_at__isnull=True)
            .first()
        )
        if file is None:
            file = LibraryFile.objects.create(
                folder=folder,
                name=checked.name,
                name_key=key,
                created_by=_user_or_none(actor),
                updated_at=now,
            )
        version = FileVersion(
            file=file,
            number=file.version_count + 1,
            original_name=checked.name,
            kind=checked.kind.code,
            content_type=checked.kind.content_type,
            size=checked.size,
            sha256=checked.sha256,
            text=checked.text,
            organization=owner,
            uploaded_by=_user_or_none(actor),
            uploaded_at=now,
        )
        upload.seek(0)
        version.blob.save(checked.name, upload, save=False)
        written.append(version.blob.name)
        version.save()
        LibraryFile.objects.filter(pk=file.pk).update(
            current=version,
            version_count=F("version_count") + 1,
            size=checked.size,
            name=checked.name,
            updated_at=now,
        )
        file.refresh_from_db()
        audit_record(
            actor=actor,
            action="library.file_uploaded",
            target=file,
            details={"version": version.number, "size": checked.size, "sha256": checked.sha256},
        )
        index_on_commit(SEARCH_KIND, [file.pk])
    return version


def file_downloaded(*, version: FileVersion) -> None:
    """Count one download of ``version`` (and of its file), without reading the counts first.

    The caller has already checked that the person may see the folder.
    """
    FileVersion.objects.filter(pk=version.pk).update(download_count=F("download_count") + 1)
    LibraryFile.objects.filter(pk=version.file_id).update(download_count=F("download_count") + 1)


@transaction.atomic
def file_delete(*, actor: Any, file: LibraryFile) -> None:
    """Delete a file (all its versions) softly: by whoever uploaded it, or a folder manager.

    Its versions stay on disk for the record but no longer count against the quota.
    """
    if not access.can(actor, perms.FOLDER_VIEW, file.folder) or file.deleted_at is not None:
        raise _not_found()
    if not (
        getattr(actor, "pk", None) is not None and file.created_by_id == actor.pk
    ) and not access.can(actor, perms.FOLDER_MANAGE, file.folder):
        access.require(actor, perms.FOLDER_MANAGE, file.folder)
    LibraryFile.objects.filter(pk=file.pk).update(
        deleted_at=timezone.now(), deleted_by=_user_or_none(actor)
    )
    file.refresh_from_db()
    audit_record(actor=actor, action="library.file_deleted", target=file)
    index_on_commit(SEARCH_KIND, [file.pk])


@transaction.atomic
def quota_set(*, actor: Any, organization: Organization, quota_bytes: int | None) -> LibraryQuota:
    """Set an organization's quota (None: the default); by the committee's secretaries and
    clerks.

    A quota below what the organization already stores is allowed: nothing is deleted, but its
    uploads are refused until it deletes enough.
    """
    root = Organization.objects.filter(parent__isnull=True).order_by("path").first()
    access.require(actor, perms.COMMITTEE_FOLDER_CREATE, root)
    if quota_bytes is not None and quota_bytes < 0:
        raise _problem("quota_bytes", _("The quota cannot be negative."))
    if quota_bytes is not None and quota_bytes > max_quota_bytes():
        raise _problem(
            "quota_bytes",
            _("A quota may be at most %(max)s.") % {"max": filesizeformat(max_quota_bytes())},
        )
    row, _created = LibraryQuota.objects.select_for_update().get_or_create(
        organization=organization
    )
    row.quota_bytes = quota_bytes
    row.save(update_fields=["quota_bytes"])
    audit_record(
        actor=actor,
        action="library.quota_set",
        target=organization,
        details={"quota_bytes": quota_bytes},
    )
    return row
