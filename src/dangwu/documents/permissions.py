"""Who may draft, review, sign off, distribute and follow documents, and handle receipts.

Issuing side: document clerks draft for their organization (subtree), reviewers and clerks do
核稿, leaders sign off; clerks and leaders distribute and follow the receipts. Receiving side:
the secretary or clerk of a recipient organization (subtree) signs for it, assigns it and
replies; the person it is assigned to may add progress notes and reply too.
"""

from typing import Any

from django.db.models import Q

from dangwu import access
from dangwu.access import Role

DOCUMENT_DRAFT = "documents.document_draft"
DOCUMENT_REVIEW = "documents.document_review"
DOCUMENT_SIGN = "documents.document_sign"
DOCUMENT_DISTRIBUTE = "documents.document_distribute"
DOCUMENT_VIEW = "documents.document_view"
RECEIPT_SIGN = "documents.receipt_sign"
RECEIPT_WORK = "documents.receipt_work"

access.register(
    DOCUMENT_DRAFT,
    roles={Role.DOC_CLERK},
    description="Draft and change documents of one's organization, attach files, submit them",
)
access.register(
    DOCUMENT_REVIEW,
    roles={Role.DOC_CLERK, Role.REVIEWER},
    description="Review (核稿) documents of one's subtree: pass them on for sign-off or return",
)
access.register(
    DOCUMENT_SIGN,
    roles={Role.LEADER},
    description="Sign off (签发) documents of one's subtree; the number is assigned then",
)
access.register(
    DOCUMENT_DISTRIBUTE,
    roles={Role.DOC_CLERK, Role.LEADER},
    description="Distribute signed documents and follow their receipts (dashboard, export)",
)
access.register(
    DOCUMENT_VIEW,
    roles={Role.DOC_CLERK, Role.REVIEWER, Role.LEADER},
    description="See the documents one's organization issues, in any state",
)
access.register(
    RECEIPT_SIGN,
    roles={Role.SECRETARY, Role.ORG_CLERK},
    description="Sign for, assign and reply to documents received by one's organization",
)


def _is_assignee(user: Any, receipt: Any) -> bool:
    return bool(
        getattr(receipt, "assignee_id", None) is not None and receipt.assignee_id == user.pk
    )


def _assignee_q(user: Any, paths: list[str]) -> Q:
    return Q(assignee_id=user.pk)


access.register(
    RECEIPT_WORK,
    roles={Role.SECRETARY, Role.ORG_CLERK},
    also=_is_assignee,
    also_q=_assignee_q,
    description="Read a received document, add progress notes and reply (also the assignee)",
)
