"""Who may see and change organizations and member records."""

from typing import Any

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


def _is_own_record(user: Any, member: Any) -> bool:
    return getattr(member, "user_id", None) is not None and member.user_id == user.pk


def _own_record_q(user: Any, granted_paths: list[str]) -> Q | None:
    if granted_paths:
        own_path = _own_record_path(user)
        if own_path is None or any(own_path.startswith(p) for p in granted_paths):
            return None
    return Q(user_id=user.pk)


def _own_record_path(user: Any) -> str | None:
    """Return the organization path of the user's own member record (cached per request)."""
    if not hasattr(user, "_dangwu_own_record_path"):
        from dangwu.orgs.models import Member

        user._dangwu_own_record_path = (
            Member.objects.filter(user_id=user.pk)
            .values_list("organization__path", flat=True)
            .first()
        )
    path: str | None = user._dangwu_own_record_path
    return path


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
