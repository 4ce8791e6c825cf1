"""催办: remind recipient organizations of unsigned documents and overdue replies.

Runs as the periodic job ``documents.send_reminders`` (see hooks.py), never in a request. An
unsigned receipt is first reminded once the signing time of its urgency has passed (sooner for
特急 / 加急), then again each time that much more time passes, until it is signed. A reply that
is overdue is reminded every ``DOCUMENTS_REPLY_REMIND_HOURS`` until it comes. Each reminder goes
to the organization's secretary and clerks through the notification centre (with e-mail).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangwu import access
from dangwu.documents.enums import ReceiptStatus, Urgency
from dangwu.documents.models import Document, Receipt

# Hours an organization has to sign for a document, by urgency (also the reminder interval).
DEFAULT_SIGN_HOURS = {Urgency.EXTRA_URGENT: 2, Urgency.URGENT: 8, Urgency.NORMAL: 48}
DEFAULT_REPLY_REMIND_HOURS = 24
UNSIGNED = "unsigned"
REPLY_OVERDUE = "reply_overdue"


def sign_hours(urgency: str) -> int:
    """Return the hours to sign for a document of ``urgency`` (setting DOCUMENTS_SIGN_HOURS)."""
    configured = getattr(settings, "DOCUMENTS_SIGN_HOURS", {})
    return int(configured.get(urgency, DEFAULT_SIGN_HOURS[Urgency(urgency)]))


def sign_deadline(document: Document, received_at: datetime) -> datetime:
    """Return when a receipt of ``document`` received at ``received_at`` should be signed."""
    return received_at + timedelta(hours=sign_hours(document.urgency))


def _reply_interval() -> timedelta:
    return timedelta(
        hours=getattr(settings, "DOCUMENTS_REPLY_REMIND_HOURS", DEFAULT_REPLY_REMIND_HOURS)
    )


def due_q(now: datetime) -> Q:
    """Return the filter of the receipts that should be reminded at ``now``."""
    unsigned = Q(pk__in=[])
    for urgency in Urgency.values:
        cut = now - timedelta(hours=sign_hours(urgency))
        unsigned |= Q(document__urgency=urgency) & (
            Q(last_reminded_at__isnull=True, created_at__lte=cut) | Q(last_reminded_at__lte=cut)
        )
    cut = now - _reply_interval()
    overdue = Q(
        document__reply_required=True,
        document__reply_due__lt=now,
        status__in=[ReceiptStatus.SIGNED, ReceiptStatus.HANDLING],
    ) & (Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lte=cut))
    return (Q(status=ReceiptStatus.UNSIGNED) & unsigned) | overdue


@dataclass(frozen=True)
class Reminder:
    """The organizations to remind about one document, and why."""

    document_id: int
    title: str
    reason: str  # UNSIGNED or REPLY_OVERDUE
    organization_ids: tuple[int, ...]


def reminders_due(now: datetime) -> list[Reminder]:
    """Return what should be reminded at ``now``, grouped per document and reason."""
    rows = Receipt.objects.filter(due_q(now)).values_list(
        "document_id", "document__title", "status", "organization_id"
    )
    grouped: dict[tuple[int, str, str], list[int]] = defaultdict(list)
    for document_id, title, status, organization_id in rows:
        reason = UNSIGNED if status == ReceiptStatus.UNSIGNED else REPLY_OVERDUE
        grouped[(document_id, title, reason)].append(organization_id)
    return [
        Reminder(document_id=d, title=t, reason=r, organization_ids=tuple(ids))
        for (d, t, r), ids in sorted(grouped.items())
    ]


def notify_organizations(reminder: Reminder) -> int:
    """Tell the secretary and clerks of the reminder's organizations (platform and e-mail)."""
    from dangwu.messages.services import notify, organization_contacts
    from dangwu.orgs.models import Organization

    if reminder.reason == UNSIGNED:
        title = _("Reminder: please sign for “%(title)s”") % {"title": reminder.title}
        url = reverse("documents:inbox") + "?state=unsigned"
    else:
        title = _("Reminder: the reply to “%(title)s” is overdue") % {"title": reminder.title}
        url = reverse("documents:inbox") + "?state=overdue"
    organizations = Organization.objects.filter(pk__in=reminder.organization_ids)
    return int(
        notify(
            actor=access.SYSTEM,
            recipients=organization_contacts(organizations),
            kind="documents.reminder",
            title=title[:200],
            url=url,
        )
    )


def reminders_send(
    now: datetime | None = None, *, deliver: Callable[[Reminder], Any] = notify_organizations
) -> int:
    """Send every due reminder and mark the receipts reminded; return how many receipts.

    Idempotent within an interval: a receipt reminded now is not due again until its interval
    has passed, so a job that runs twice in a row sends nothing the second time.
    """
    now = now or timezone.now()
    with transaction.atomic():
        reminders = reminders_due(now)
        ids = [org for r in reminders for org in r.organization_ids]
        if not ids:
            return 0
        marked = 0
        for reminder in reminders:
            marked += Receipt.objects.filter(
                document_id=reminder.document_id, organization_id__in=reminder.organization_ids
            ).update(last_reminded_at=now, reminder_count=F("reminder_count") + 1)
            deliver(reminder)
    return marked
