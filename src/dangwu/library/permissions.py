"""Who may read the classics and who manages them.

Every business user reads (the three administrators see no Party content); editors and school
administrators import, change and remove books. Bookmarks, notes, positions and reading time
belong to the person alone: the selectors filter them by user, so nobody sees another's.
"""

from dangwu import access
from dangwu.access import Role

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
