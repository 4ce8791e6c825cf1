"""Who may read the classics and who manages them.

Every business user reads (the three administrators see no Party content); editors and school
administrators import, change and remove books. Bookmarks, notes, positions and reading time
belong to the person alone: the selectors filter them by user, so nobody sees another's.
"""

from typing import Any

from django.db.models import Q

from dangwu import access
from dangwu.access import Role
from dangwu.library.enums import FolderKind

CLASSICS_READ = "library.classics_read"
CLASSICS_MANAGE = "library.classics_manage"

access.register(
    CLASSICS_READ,
    roles=access.BUSINESS_ROLES,
    scoped=False,
    description="Read the books of the classics reading room; keep one's bookmarks and notes",
)
access.register(
    CLASSICS_MANAGE,
    roles={Role.EDITOR, Role.SCHOOL_ADMIN},
    scoped=False,
    description="Import, change and remove the books of the classics reading room",
)


# ------------------------------------------------------------------ the file library (资料交换)
#
# Folders are seen by kind, not by the plain "object inside my subtree" rule:
#
# - committee folder: the committee's own people (any business role held on the root) and, when
#   shared, the people with a role in a chosen organization's subtree (or in every one);
# - organization folder of O: people with a role in O's subtree, and the organizations above O
#   up to (not including) the committee;
# - exchange folder with O: the committee's people, and the secretaries and clerks of O's subtree
#   and of the organizations above O (below the committee). Another organization sees nothing.
#
# Managers (create subfolders, delete others' files, upload into committee and organization
# folders) are the secretaries and clerks: on the root for committee folders, on O or above it
# (below the root) for O's folders; both sides for an exchange folder. In exchange folders
# everyone who sees the folder may upload.

FILES_USE = "library.files_use"
FOLDER_VIEW = "library.folder_view"
FOLDER_UPLOAD = "library.folder_upload"
FOLDER_MANAGE = "library.folder_manage"
FOLDER_CHANGE = "library.folder_change"
COMMITTEE_FOLDER_CREATE = "library.committee_folder_create"
ORGANIZATION_FOLDER_CREATE = "library.organization_folder_create"

MANAGER_ROLES = frozenset({Role.SECRETARY, Role.ORG_CLERK, Role.DOC_CLERK})


def _is_root(path: str) -> bool:
    return path.count("/") == 2  # "/GW/"


def _grants(user: Any, roles: frozenset[str] = access.BUSINESS_ROLES) -> list[str]:
    return sorted({g.path for g in access.grants_of(user) if g.role in roles})


def _ancestors(path: str) -> list[str]:
    """Return ``path`` and the paths above it: "/GW/A01/" → ["/GW/", "/GW/A01/"]."""
    parts = path.strip("/").split("/")
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def _org_side_q(paths: list[str], field: str = "organization__path") -> Q:
    """Folders whose owner is at or below a granted path (not the root), or above one."""
    q = Q(pk__in=[])
    above: set[str] = set()
    for path in paths:
        if not _is_root(path):
            q |= Q(**{f"{field}__startswith": path})
        above.update(_ancestors(path))
    if above:
        q |= Q(**{f"{field}__in": sorted(above)})
    return q


def _org_side(paths: list[str], owner: str) -> bool:
    return any((owner.startswith(p) and not _is_root(p)) or p.startswith(owner) for p in paths)


def folder_view_q(user: Any) -> Q:
    """The folders ``user`` may see (on the Folder model); a deleted folder is seen by nobody."""
    if user is access.SYSTEM:
        return Q(deleted_at__isnull=True)
    paths = _grants(user)
    if not paths:
        return Q(pk__in=[])
    return Q(deleted_at__isnull=True) & _folder_view_q(user, paths)


def _folder_view_q(user: Any, paths: list[str]) -> Q:
    committee = any(_is_root(p) for p in paths)
    shared_to = sorted({a for p in paths for a in _ancestors(p)})
    if committee:
        q = Q(kind=FolderKind.COMMITTEE)
    else:
        from dangwu.library.models import Folder

        shared = Folder.audience.through.objects.filter(organization__path__in=shared_to)
        q = Q(kind=FolderKind.COMMITTEE) & (
            Q(audience_all=True) | Q(pk__in=shared.values("folder_id"))
        )
    q |= Q(kind=FolderKind.ORGANIZATION) & _org_side_q(paths)
    managers = _grants(user, MANAGER_ROLES)
    if committee:
        exchange = Q(kind=FolderKind.EXCHANGE)
    else:
        exchange = Q(kind=FolderKind.EXCHANGE) & _org_side_q(managers)
    return q | exchange


def may_view(user: Any, folder: Any) -> bool:
    if getattr(folder, "deleted_at", None) is not None:
        return False
    if user is access.SYSTEM:
        return True
    paths = _grants(user)
    if not paths:
        return False
    owner = folder.scope_path
    committee = any(_is_root(p) for p in paths)
    if folder.kind == FolderKind.COMMITTEE:
        if committee or folder.audience_all:
            return True
        shared_to = {a for p in paths for a in _ancestors(p)}
        return bool(folder.audience.filter(path__in=shared_to).exists())
    if folder.kind == FolderKind.ORGANIZATION:
        return _org_side(paths, owner)
    return committee or _org_side(_grants(user, MANAGER_ROLES), owner)


def may_manage(user: Any, folder: Any) -> bool:
    if user is access.SYSTEM:
        return True
    managers = _grants(user, MANAGER_ROLES)
    owner = folder.scope_path
    on_root = any(_is_root(p) for p in managers)
    if folder.kind == FolderKind.COMMITTEE:
        return on_root
    below_root = [p for p in managers if not _is_root(p)]
    ours = any(owner.startswith(p) for p in below_root)
    return ours or (folder.kind == FolderKind.EXCHANGE and on_root)


def may_change(user: Any, folder: Any) -> bool:
    """Rename, delete, change who sees it: the folder's managers, except that a top-level
    committee or exchange folder is the committee's (its managers made it)."""
    if user is access.SYSTEM:
        return True
    if folder.parent_id is None and folder.kind in (FolderKind.COMMITTEE, FolderKind.EXCHANGE):
        return any(_is_root(p) for p in _grants(user, MANAGER_ROLES))
    return may_manage(user, folder)


def may_upload(user: Any, folder: Any) -> bool:
    if folder.kind == FolderKind.EXCHANGE:
        return may_view(user, folder)
    return may_manage(user, folder)


def _may_create_org_folder(user: Any, organization: Any) -> bool:
    path = organization.scope_path
    return not _is_root(path) and any(
        path.startswith(p) and not _is_root(p) for p in _grants(user, MANAGER_ROLES)
    )


access.register(
    FILES_USE,
    roles=access.BUSINESS_ROLES,
    scoped=False,
    description="Open the file library (资料交换) and search the files of folders one may see",
)
access.register(
    FOLDER_VIEW,
    also=may_view,
    also_q=lambda user, paths: folder_view_q(user),
    description="See a shared folder, its files and versions; preview and download them",
)
access.register(
    FOLDER_UPLOAD,
    also=may_upload,
    description="Upload files into a folder (exchange folders: both sides; others: managers)",
)
access.register(
    FOLDER_MANAGE,
    also=may_manage,
    description="Create subfolders and delete any file of a folder (secretaries and clerks)",
)
access.register(
    FOLDER_CHANGE,
    also=may_change,
    description=(
        "Rename or delete a folder, change who sees a committee folder (its managers; top-level "
        "committee and exchange folders: the committee's secretaries and clerks)"
    ),
)
access.register(
    COMMITTEE_FOLDER_CREATE,
    roles=MANAGER_ROLES,
    description=(
        "Create committee and exchange folders and set the organizations' storage quotas "
        "(secretaries and clerks of the root)"
    ),
)
access.register(
    ORGANIZATION_FOLDER_CREATE,
    also=_may_create_org_folder,
    description="Create folders of one's own organization (its secretaries and clerks)",
)
