"""催办: who is reminded, when, how often, and through the notification centre."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dangwu.documents import services
from dangwu.documents.enums import ReceiptStatus
from dangwu.documents.models import Document, Receipt
from dangwu.documents.reminders import (
    REPLY_OVERDUE,
    UNSIGNED,
    reminders_due,
    reminders_send,
    sign_hours,
)
from dangwu.documents.tests.factories import asking_reply, document_in


def _age(document: Document, hours: float) -> None:
    """Pretend the document was distributed ``hours`` ago."""
    Receipt.objects.filter(document=document).update(
        created_at=timezone.now() - timedelta(hours=hours)
    )


def _collect():
    sent = []
    return sent, sent.append


def test_nothing_is_reminded_before_the_signing_time_has_passed(world):
    document = document_in(world, "distributed")
    _age(document, sign_hours("normal") - 1)
    sent, deliver = _collect()
    assert reminders_send(deliver=deliver) == 0
    assert sent == []


def test_unsigned_receipts_are_reminded_once_the_signing_time_has_passed(world):
    document = document_in(world, "distributed")
    _age(document, sign_hours("normal") + 1)
    services.receipt_sign(
        actor=world.user("secretary"), receipt=document.receipts.get(organization__code="A01")
    )
    sent, deliver = _collect()
    assert reminders_send(deliver=deliver) == 1
    assert [(r.reason, r.organization_ids) for r in sent] == [(UNSIGNED, (world.orgs["org2"].pk,))]
    reminded = Receipt.objects.get(document=document, organization=world.orgs["org2"])
    assert reminded.reminder_count == 1 and reminded.last_reminded_at is not None


def test_urgent_documents_are_reminded_sooner(world):
    normal = document_in(world, "distributed")
    urgent = document_in(world, "distributed", urgency="extra_urgent")
    hours = sign_hours("extra_urgent") + 1
    assert hours < sign_hours("normal")
    _age(normal, hours)
    _age(urgent, hours)
    assert {r.document_id for r in reminders_due(timezone.now())} == {urgent.pk}


def test_reminders_repeat_each_interval_until_signed(world):
    document = document_in(world, "distributed", urgency="urgent")
    _age(document, 3 * sign_hours("urgent") + 1)
    now = timezone.now()
    _sent, deliver = _collect()
    assert reminders_send(now, deliver=deliver) == 2
    # Run again at once (a second scheduler, a retry): nothing more.
    assert reminders_send(now + timedelta(minutes=15), deliver=deliver) == 0
    later = now + timedelta(hours=sign_hours("urgent"), minutes=1)
    for receipt in document.receipts.filter(organization__code="A01"):
        services.receipt_sign(actor=world.user("secretary"), receipt=receipt)
    assert reminders_send(later, deliver=deliver) == 1
    assert Receipt.objects.get(document=document, organization__code="A02").reminder_count == 2
    assert Receipt.objects.get(document=document, organization__code="A01").reminder_count == 1


def test_overdue_replies_are_reminded(world):
    document = asking_reply(world)
    for receipt in document.receipts.all():
        receipt.status = ReceiptStatus.SIGNED
        receipt.save(update_fields=["status"])
    Document.objects.filter(pk=document.pk).update(reply_due=timezone.now() - timedelta(hours=1))
    replied = document.receipts.get(organization__code="A02")
    Receipt.objects.filter(pk=replied.pk).update(status=ReceiptStatus.REPLIED)
    due = reminders_due(timezone.now())
    assert [(r.reason, r.organization_ids) for r in due] == [
        (REPLY_OVERDUE, (world.orgs["org1"].pk,))
    ]


def test_reminders_reach_the_organizations_secretary_through_the_notification_centre(world):
    from dangwu.messages.models import Notification

    document = document_in(world, "distributed")
    _age(document, sign_hours("normal") + 1)
    assert reminders_send() == 2
    notified = set(Notification.objects.values_list("recipient__username", flat=True))
    assert notified == {"demo-secretary", "demo-other-secretary"}


@pytest.mark.parametrize("hours", [1, 5])
def test_the_signing_time_is_a_setting(settings, hours):
    settings.DOCUMENTS_SIGN_HOURS = {"normal": hours}
    assert sign_hours("normal") == hours
