"""Reads: scoping of receipts and documents, states, the dashboard's figures."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dangwu.core.errors import NotFound
from dangwu.documents import selectors, services
from dangwu.documents.enums import OVERDUE, ReceiptStatus
from dangwu.documents.models import Receipt
from dangwu.documents.reminders import sign_hours
from dangwu.documents.tests.factories import asking_reply, document_in


def test_recipients_see_only_their_own_receipts(world):
    document = document_in(world, "distributed")
    mine = selectors.receipts_visible(world.user("secretary"))
    assert [r.organization.code for r in mine] == ["A01"]
    assert selectors.receipts_visible(world.user("member")).count() == 0
    other = document.receipts.get(organization__code="A02")
    with pytest.raises(NotFound):
        selectors.receipt_access(user=world.user("secretary"), pk=other.pk)


def test_the_assignee_sees_the_receipt_assigned_to_them(world):
    document = document_in(world, "distributed")
    receipt = document.receipts.get(organization__code="A01")
    services.receipt_sign(actor=world.user("secretary"), receipt=receipt)
    services.receipt_assign(
        actor=world.user("secretary"), receipt=receipt, assignee=world.user("member")
    )
    assert list(selectors.receipts_visible(world.user("member"))) == [receipt]


def test_recipients_may_read_a_distributed_document_but_not_a_draft(world):
    draft = document_in(world, "draft")
    sent = document_in(world, "distributed")
    assert selectors.document_readable(user=world.user("secretary"), pk=sent.pk) == sent
    with pytest.raises(NotFound):
        selectors.document_readable(user=world.user("secretary"), pk=draft.pk)
    with pytest.raises(NotFound):
        selectors.document_access(user=world.user("secretary"), pk=sent.pk)


def test_an_unsigned_receipt_past_its_time_is_shown_overdue(world):
    document = document_in(world, "distributed")
    receipt = document.receipts.first()
    now = timezone.now()
    assert selectors.receipt_state(receipt, document, now) == ReceiptStatus.UNSIGNED
    later = now + timedelta(hours=sign_hours("normal") + 1)
    assert selectors.receipt_state(receipt, document, later) == OVERDUE
    assert selectors.receipts_filtered(document, OVERDUE, later).count() == 2


def test_a_missing_reply_after_the_due_time_is_overdue(world):
    document = asking_reply(world)
    receipt = document.receipts.first()
    services.receipt_sign(actor=world.user("orgclerk"), receipt=receipt)
    receipt.refresh_from_db()
    after_due = document.reply_due + timedelta(minutes=1)
    assert selectors.receipt_state(receipt, document, after_due) == OVERDUE


def test_the_figures_count_states_and_signing_times(world):
    document = document_in(world, "distributed", copy_organizations=[world.orgs["branch3"]])
    start = timezone.now() - timedelta(hours=100)
    Receipt.objects.filter(document=document).update(created_at=start)
    a01, a02, _a0201 = document.receipts.order_by("organization__path")
    # One signed after 2 hours (in time), one after 60 hours (late), one never (overdue).
    Receipt.objects.filter(pk=a01.pk).update(
        status=ReceiptStatus.SIGNED, signed_at=start + timedelta(hours=2)
    )
    Receipt.objects.filter(pk=a02.pk).update(
        status=ReceiptStatus.SIGNED, signed_at=start + timedelta(hours=60)
    )
    figures = selectors.timeliness(document, timezone.now())
    assert figures.total == 3
    assert figures.by_state[ReceiptStatus.SIGNED] == 2
    assert figures.by_state[ReceiptStatus.UNSIGNED] == 1
    assert figures.overdue == 1
    assert figures.median_hours_to_sign == 31.0
    assert figures.signed_in_time_share == pytest.approx(1 / 3)


def test_the_figures_of_a_fresh_distribution_have_no_deadline_yet(world):
    document = document_in(world, "distributed")
    figures = selectors.timeliness(document, timezone.now())
    assert figures.median_hours_to_sign is None
    assert figures.signed_in_time_share is None
