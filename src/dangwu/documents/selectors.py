"""Reads of official documents and receipts, scoped by the access policy."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from dangwu import access
from dangwu.core.errors import NotFound
from dangwu.documents import permissions as perms
from dangwu.documents.enums import OVERDUE, DocumentStatus, ReceiptStatus, Urgency
from dangwu.documents.models import Document, DocumentFile, Receipt
from dangwu.documents.reminders import sign_deadline, sign_hours

# What a list of documents shows; the body stays in the database.
DOCUMENT_LIST_FIELDS = (
    "id",
    "title",
    "doc_type",
    "status",
    "urgency",
    "code",
    "year",
    "serial",
    "updated_at",
    "organization__name",
    "organization__path",
)


def documents_visible(user: Any) -> QuerySet[Document]:
    """Return the documents of the organizations the user issues for (any state)."""
    return access.visible(
        user, perms.DOCUMENT_VIEW, Document.objects.all(), "organization__path"
    ).select_related("organization")


def document_access(*, user: Any, pk: int) -> Document:
    """Fetch a document the user may see on the issuing side, or the same NotFound as missing."""
    document = documents_visible(user).filter(pk=pk).first()
    if document is None:
        raise NotFound(_("This document does not exist, or you may not see it."))
    return document


def document_readable(*, user: Any, pk: int) -> Document:
    """Fetch a document the user issues, or a distributed one their organization received."""
    received = receipts_visible(user).filter(
        document_id=pk, document__status=DocumentStatus.DISTRIBUTED
    )
    if access.can(user, perms.DOCUMENT_VIEW) and documents_visible(user).filter(pk=pk).exists():
        return document_access(user=user, pk=pk)
    if received.exists():
        return Document.objects.select_related("organization").get(pk=pk)
    raise NotFound(_("This document does not exist, or you may not see it."))


def documents_waiting(user: Any) -> QuerySet[Document]:
    """Return the documents waiting for this person: 核稿 for reviewers, 签发 for leaders."""
    q = Q(pk__in=[])
    for rule, status in (
        (perms.DOCUMENT_REVIEW, DocumentStatus.IN_REVIEW),
        (perms.DOCUMENT_SIGN, DocumentStatus.AWAITING_SIGNOFF),
    ):
        if access.can(user, rule):
            q |= Q(status=status) & access.scope_q(user, rule, "organization__path")
    return Document.objects.filter(q).select_related("organization").order_by("updated_at", "id")


def receipts_visible(user: Any) -> QuerySet[Receipt]:
    """Return the receipts of the user's organizations (subtree) and those assigned to them."""
    return access.visible(
        user, perms.RECEIPT_WORK, Receipt.objects.all(), "organization__path"
    ).select_related("document", "organization")


def receipt_access(*, user: Any, pk: int) -> Receipt:
    """Fetch a receipt the user may see, or the same NotFound as a missing one."""
    receipt = receipts_visible(user).filter(pk=pk).first()
    if receipt is None:
        raise NotFound(_("This document does not exist, or you may not see it."))
    return receipt


def file_access(*, user: Any, key: Any) -> DocumentFile:
    """Fetch a file the user may download: of a document they issue or received, or a reply."""
    stored = DocumentFile.objects.select_related("document__organization", "receipt").filter(
        uuid=key
    )
    found = stored.first()
    allowed = False
    if found is not None and found.document is not None:
        allowed = access.can(user, perms.DOCUMENT_VIEW, found.document) or (
            found.document.status == DocumentStatus.DISTRIBUTED
            and receipts_visible(user).filter(document_id=found.document.pk).exists()
        )
    elif found is not None and found.receipt is not None:
        allowed = (
            receipts_visible(user).filter(pk=found.receipt.pk).exists()
            or documents_visible(user).filter(pk=found.receipt.document_id).exists()
        )
    if not allowed or found is None:
        raise NotFound(_("This file does not exist, or you may not see it."))
    return found


def overdue_q(document: Document, now: datetime) -> Q:
    """Return the filter of ``document``'s receipts that are late (to sign, or to reply)."""
    late_to_sign = Q(
        status=ReceiptStatus.UNSIGNED,
        created_at__lt=now - timedelta(hours=sign_hours(document.urgency)),
    )
    if document.reply_required and document.reply_due and document.reply_due < now:
        return late_to_sign | ~Q(status=ReceiptStatus.REPLIED)
    return late_to_sign


def inbox_overdue_q(now: datetime) -> Q:
    """Return the filter of late receipts across documents (to sign, or to reply)."""
    late = Q(pk__in=[])
    for urgency in Urgency.values:
        cut = now - timedelta(hours=sign_hours(urgency))
        late |= Q(document__urgency=urgency, created_at__lt=cut)
    reply_late = Q(document__reply_required=True, document__reply_due__lt=now) & ~Q(
        status=ReceiptStatus.REPLIED
    )
    return (Q(status=ReceiptStatus.UNSIGNED) & late) | reply_late


def receipt_state(receipt: Receipt, document: Document, now: datetime) -> str:
    """Return the state to show: the stored one, or 逾期 when a deadline has passed."""
    if receipt.status == ReceiptStatus.UNSIGNED and now > sign_deadline(
        document, receipt.created_at
    ):
        return OVERDUE
    if (
        document.reply_required
        and document.reply_due is not None
        and receipt.status != ReceiptStatus.REPLIED
        and now > document.reply_due
    ):
        return OVERDUE
    return receipt.status


def receipts_filtered(document: Document, state: str, now: datetime) -> QuerySet[Receipt]:
    """Return ``document``'s receipts in ``state`` (a stored state, OVERDUE, or "" for all)."""
    receipts = Receipt.objects.filter(document=document)
    if state == OVERDUE:
        return receipts.filter(overdue_q(document, now))
    if state in ReceiptStatus.values:
        return receipts.filter(status=state)
    return receipts


def dashboard_rows(document: Document, state: str, now: datetime) -> QuerySet[Receipt]:
    """Return the dashboard's rows: receipts with the organization and who acted (one query)."""
    return (
        receipts_filtered(document, state, now)
        .select_related("organization", "signed_by", "assignee", "replied_by")
        .only(
            "id",
            "kind",
            "status",
            "created_at",
            "signed_at",
            "assigned_at",
            "replied_at",
            "reply_text",
            "organization__name",
            "organization__path",
            "signed_by__username",
            "signed_by__display_name",
            "assignee__username",
            "assignee__display_name",
            "replied_by__username",
            "replied_by__display_name",
        )
        .order_by("organization__path")
    )


@dataclass(frozen=True)
class Timeliness:
    """The figures of one document's distribution."""

    total: int
    by_state: dict[str, int]
    overdue: int
    median_hours_to_sign: float | None
    signed_in_time_share: float | None  # 0..1 of all receipts; None before any deadline


def timeliness(document: Document, now: datetime) -> Timeliness:
    """Return the counts per state, the overdue count and the signing figures (three queries)."""
    receipts = Receipt.objects.filter(document=document)
    by_state = dict.fromkeys(ReceiptStatus.values, 0)
    for row in receipts.values("status").annotate(n=Count("id")).order_by():
        by_state[row["status"]] = row["n"]
    overdue = receipts.filter(overdue_q(document, now)).count()
    limit = timedelta(hours=sign_hours(document.urgency))
    durations = []
    in_time = due = 0
    # No ordering: the default one (by organization path) would join and sort for nothing.
    for created, signed in receipts.order_by().values_list("created_at", "signed_at"):
        if signed is not None:
            durations.append((signed - created).total_seconds() / 3600)
        if signed is not None and signed - created <= limit:
            in_time += 1
            due += 1
        elif signed is not None or now - created > limit:
            due += 1
    return Timeliness(
        total=sum(by_state.values()),
        by_state=by_state,
        overdue=overdue,
        median_hours_to_sign=round(median(durations), 1) if durations else None,
        signed_in_time_share=(in_time / due) if due else None,
    )
