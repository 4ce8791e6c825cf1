"""Who may keep the question bank, set exams, take them and see their statistics.

The school administrator keeps the bank and sets exams within their subtree and sees every
statistic of it; leaders, secretaries and organization clerks see the statistics of their own
subtree (read-only). Every business user takes the exams whose audience includes them: the
audience check is in ``selectors.exam_for_taking`` (the same 404 as a missing exam).
"""

from dangwu import access
from dangwu.access import Role

BANK_MANAGE = "exams.bank_manage"
EXAM_MANAGE = "exams.exam_manage"
EXAM_TAKE = "exams.exam_take"
STATS_VIEW = "exams.stats_view"

access.register(
    BANK_MANAGE,
    roles={Role.SCHOOL_ADMIN},
    description="Keep the question bank of one's subtree: add, change, retire, import, export",
)
access.register(
    EXAM_MANAGE,
    roles={Role.SCHOOL_ADMIN},
    description="Set, publish and close exams of one's subtree; open any certificate of them",
)
access.register(
    EXAM_TAKE,
    roles=access.BUSINESS_ROLES,
    scoped=False,
    description="Take the exams open to one's organization and download one's certificates",
)
access.register(
    STATS_VIEW,
    roles={Role.SCHOOL_ADMIN, Role.LEADER, Role.SECRETARY, Role.ORG_CLERK},
    description="See exam statistics (pass rates, scores, missed questions) of one's subtree",
)
