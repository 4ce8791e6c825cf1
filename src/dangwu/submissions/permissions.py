"""Who may write, approve, review and rank submissions.

- Writing: the secretary or clerk of an organization writes for it or any organization under
  it (chosen from a list); a member writes for their own organization when its secretary allows
  members to submit (a per-organization setting, checked by ``_member_allowed``).
- Approving: when an organization requires it, its secretary approves an item before it leaves.
- Reviewing: the committee's editors (Role.EDITOR on the root) see the inbox and decide; they
  also issue calls for submissions and mark adopted items as forwarded upward.
- Ranking: editors and leaders see every organization; secretaries and clerks their subtree.
- Settings: the secretary of an organization (subtree) sets its rules and its intake code.
"""

from typing import Any

from django.db.models import Q

from dangwu import access
from dangwu.access import Role

SUBMISSION_WRITE = "submissions.submission_write"
SUBMISSION_APPROVE = "submissions.submission_approve"
SUBMISSION_REVIEW = "submissions.submission_review"
SUBMISSION_RANKING = "submissions.ranking_view"
SUBMISSION_SETTINGS = "submissions.settings_change"


def _member_allowed(user: Any, organization: Any) -> bool:
    """A member writes for their own organization when its settings allow it."""
    from dangwu.orgs.models import Organization

    if not isinstance(organization, Organization):
        return False
    member = getattr(user, "member", None)
    if member is None or member.organization_id != organization.pk:
        return False
    from dangwu.submissions.models import SubmissionSettings

    return SubmissionSettings.objects.filter(
        organization_id=organization.pk, members_may_submit=True
    ).exists()


def _member_q(user: Any, paths: list[str]) -> Q | None:
    return None


access.register(
    SUBMISSION_WRITE,
    roles={Role.SECRETARY, Role.ORG_CLERK},
    also=_member_allowed,
    also_q=_member_q,
    description="Write and send submissions for one's organization (members: when allowed)",
)
access.register(
    SUBMISSION_APPROVE,
    roles={Role.SECRETARY},
    description="Approve an item before it leaves the organization, or send it back",
)
access.register(
    SUBMISSION_REVIEW,
    roles={Role.EDITOR},
    description="The editors' inbox: adopt, return, decline, forward; calls for submissions",
)
access.register(
    SUBMISSION_RANKING,
    roles={Role.EDITOR, Role.LEADER, Role.SECRETARY, Role.ORG_CLERK},
    description="See and export the submissions ranking of one's subtree",
)
access.register(
    SUBMISSION_SETTINGS,
    roles={Role.SECRETARY},
    description="Set an organization's submission rules and its public intake code",
)

SUBMISSION_MINE = "submissions.mine_view"

# Every business user has a 我的投稿 page (a member may be allowed to submit by their
# organization); whether they may write for an organization is SUBMISSION_WRITE's question.
access.register(
    SUBMISSION_MINE,
    roles=access.BUSINESS_ROLES,
    scoped=False,
    description="See one's own submissions and their states",
)
