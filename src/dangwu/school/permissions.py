"""Who may study in the online Party school and who runs it.

Every business user (any role except the three administrators) studies published courses. The
school administrator creates, changes and publishes the courses of their subtree (the course's
owning organization decides). Draft courses are seen only by those who may manage them.
"""

from dangwu import access
from dangwu.access import Role

STUDY = "school.study"
MANAGE = "school.manage"

access.register(
    STUDY,
    roles=access.BUSINESS_ROLES,
    scoped=False,
    description="Study the published courses of the online Party school",
)
access.register(
    MANAGE,
    roles={Role.SCHOOL_ADMIN},
    description="Create, change, publish and withdraw the courses and lessons of one's subtree",
)
