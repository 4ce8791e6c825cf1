"""Who may see and change organizations and member records."""

from django.db.models import Q

from dangwu import access
from dangwu.access import BUSINESS_ROLES, Role

ORG_VIEW = "orgs.view"
ORG_MANAGE = "orgs.manage"
MEMBER_VIEW = "orgs.member_view"
MEMBER_REVEAL = "orgs.member_reveal"
MEMBER_MANAGE = "orgs.member_manage"
MEMBER_EXPORT = "orgs.member_export"

_RECORD_KEEPERS = {Role.SECRETARY, Role.ORG_CLERK}


def _is_own_record(user, member) -> bool:
    return getattr(member, "user_id", None) is not None and member.user_id == user.pk


def _own_record_q(user) -> Q:
    return Q(user_id=user.pk)


# The tree (names, kinds, contacts) is working knowledge for everyone doing Party business;
# the three separated administrators hold no business role and so do not see it.
access.register(
    ORG_VIEW,
    roles=BUSINESS_ROLES,
    scoped=False,
    description="See the organization tree and organization details",
)
access.register(
    ORG_MANAGE,
    roles=_RECORD_KEEPERS,
    description="Create, change and import organizations in one's subtree",
)
access.register(
    MEMBER_VIEW,
    roles=_RECORD_KEEPERS | {Role.LEADER, Role.DISCIPLINE},
    also=_is_own_record,
    also_q=_own_record_q,
    description="See member records (masked) in one's subtree, and one's own",
)
access.register(
    MEMBER_REVEAL,
    roles=_RECORD_KEEPERS,
    also=_is_own_record,
    description="See full ID numbers and phone numbers (audited)",
)
access.register(
    MEMBER_MANAGE,
    roles=_RECORD_KEEPERS,
    description="Create, change and import member records in one's subtree",
)
access.register(
    MEMBER_EXPORT,
    roles=_RECORD_KEEPERS | {Role.LEADER},
    description="Export member records of one's subtree to Excel (audited)",
)
