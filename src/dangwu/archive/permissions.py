"""Who may use the archive: the committee's document clerks archive; leaders read."""

from dangwu import access
from dangwu.access import BUSINESS_ROLES, Role

MANAGE = "archive.manage"  # archive, re-archive
VIEW = "archive.view"  # catalogue, items, their files, the export
SEARCH = "archive.search"  # the documents' search page (each kind filters by its own rule)

access.register(
    MANAGE, roles={Role.DOC_CLERK}, description="Archive finished documents and correct items"
)
access.register(
    VIEW,
    roles={Role.DOC_CLERK, Role.LEADER},
    description="Read the archive catalogue and archived items, export the catalogue",
)
access.register(
    SEARCH,
    roles=BUSINESS_ROLES,
    scoped=False,
    description="Search documents (finds only what each document's own rule lets one see)",
)
