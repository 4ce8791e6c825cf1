"""The documents workflow: drafting rules, numbering, distribution, receipts and refusals."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangwu.access import SYSTEM
from dangwu.audit.models import AuditRecord
from dangwu.core.errors import DomainError, Forbidden, ValidationFailed
from dangwu.documents import services
from dangwu.documents.enums import DocumentStatus, GroupRule, ReceiptStatus, StepAction
from dangwu.documents.models import Document, DocumentFile, Receipt, ReceiptNote
from dangwu.documents.tests.factories import asking_reply, document_in, values
from dangwu.orgs.enums import NetworkAccess, OrgKind
from dangwu.orgs.models import Organization
from dangwu.orgs.services import organization_create
from dangwu.portal.tests.files import pdf, png


def _create(world, persona: str = "clerk", **overrides):
    return services.document_create(
        actor=world.user(persona), organization=world.orgs["root"], **values(world, **overrides)
    )


# ------------------------------------------------------------------------------ drafting


def test_a_clerk_drafts_a_document_with_its_recipients_and_printed_lines(world):
    document = _create(world)
    assert document.status == DocumentStatus.DRAFT
    assert document.number == ""
    assert set(document.main_organizations.all()) == {world.orgs["org1"], world.orgs["org2"]}
    assert document.main_line == "第一机关党委、第二机关党委"
    assert list(document.steps.values_list("action", flat=True)) == [StepAction.CREATED]
    assert AuditRecord.objects.filter(action="documents.document_created").count() == 1


def test_the_body_is_sanitized(world):
    document = _create(world, body='<p onclick="x()">正文</p><script>alert(1)</script>')
    assert "script" not in document.body and "onclick" not in document.body
    assert document.body_text == "正文"


@pytest.mark.parametrize("level", ["秘密", "机密", "绝密"])
def test_a_classified_mark_is_refused_and_nothing_is_saved(world, level):
    with pytest.raises(ValidationFailed) as caught:
        _create(world, classification=level)
    assert caught.value.errors[0][0] == "classification"
    assert "涉密不上网" in caught.value.message or "classified" in caught.value.message
    assert Document.objects.count() == 0


def test_a_secret_star_mark_in_the_body_is_refused(world):
    with pytest.raises(ValidationFailed):
        _create(world, body="<p>机密★1年</p><p>正文</p>")
    assert Document.objects.count() == 0


def test_a_document_without_main_recipients_is_refused(world):
    with pytest.raises(ValidationFailed) as caught:
        _create(world, main_organizations=[], main_groups=[])
    assert caught.value.errors[0][0] == "main_organizations"
    assert Document.objects.count() == 0


def test_an_unknown_organization_among_the_recipients_is_refused(world):
    ghost = Organization(name="不存在", path="/X/")
    with pytest.raises(ValidationFailed):
        _create(world, main_organizations=[world.orgs["org1"], ghost])
    assert Document.objects.count() == 0


@pytest.mark.parametrize("doc_type", ["order", "motion"])
def test_a_working_committee_cannot_issue_government_only_types(world, doc_type):
    with pytest.raises(ValidationFailed) as caught:
        _create(world, doc_type=doc_type)
    assert caught.value.errors[0][0] == "doc_type"


def test_an_unknown_type_and_a_missing_disclosure_are_both_reported(world):
    with pytest.raises(ValidationFailed) as caught:
        _create(world, doc_type="poem", disclosure="")
    assert {field for field, _ in caught.value.errors} >= {"doc_type", "disclosure"}


def test_an_internal_document_cannot_be_published_proactively(world):
    with pytest.raises(ValidationFailed) as caught:
        _create(world, classification="internal", disclosure="public")
    assert caught.value.errors[0][0] == "disclosure"


def test_the_issuer_code_holds_no_year_or_number(world):
    with pytest.raises(ValidationFailed) as caught:
        _create(world, code="市直工〔2026〕")
    assert caught.value.errors[0][0] == "code"


def test_a_reply_needs_a_future_due_date(world):
    with pytest.raises(ValidationFailed) as caught:
        _create(world, reply_required=True, reply_due=None)
    assert caught.value.errors[0][0] == "reply_due"
    with pytest.raises(ValidationFailed):
        _create(world, reply_required=True, reply_due=timezone.now() - timedelta(hours=1))


def test_a_secretary_may_not_draft_for_the_committee(world):
    with pytest.raises(Forbidden):
        _create(world, persona="secretary")
    assert Document.objects.count() == 0


def test_an_update_changes_only_the_fields_given(world):
    document = _create(world)
    services.document_update(actor=world.user("clerk"), document=document, title="新标题")
    document.refresh_from_db()
    assert document.title == "新标题"
    assert document.main_organizations.count() == 2


def test_a_document_under_review_cannot_be_changed(world):
    document = document_in(world, "in_review")
    with pytest.raises(DomainError):
        services.document_update(actor=world.user("clerk"), document=document, title="改")


# ------------------------------------------------------------------------------ workflow


def test_the_workflow_records_who_did_each_step(world):
    document = document_in(world, "signed")
    steps = list(document.steps.values_list("action", "actor__username"))
    assert steps == [
        (StepAction.CREATED, "demo-clerk"),
        (StepAction.SUBMITTED, "demo-clerk"),
        (StepAction.REVIEWED, "demo-clerk"),
        (StepAction.SIGNED, "demo-leader"),
    ]
    assert document.signer_name == "leader"
    assert document.signed_at is not None


def test_a_returned_draft_carries_the_comment_and_can_be_resubmitted(world):
    document = document_in(world, "in_review")
    services.document_return(actor=world.user("clerk"), document=document, comment="补充时间。")
    document.refresh_from_db()
    assert document.status == DocumentStatus.RETURNED
    assert document.review_comment == "补充时间。"
    assert document.steps.last().comment == "补充时间。"
    services.document_submit(actor=world.user("clerk"), document=document)
    assert Document.objects.get(pk=document.pk).status == DocumentStatus.IN_REVIEW


def test_returning_needs_a_comment(world):
    document = document_in(world, "in_review")
    with pytest.raises(ValidationFailed):
        services.document_return(actor=world.user("clerk"), document=document, comment=" ")
    assert Document.objects.get(pk=document.pk).status == DocumentStatus.IN_REVIEW


def test_only_a_leader_signs_off(world):
    document = document_in(world, "awaiting_signoff")
    for persona in ("clerk", "secretary", "editor"):
        with pytest.raises(Forbidden):
            services.document_sign(actor=world.user(persona), document=document)
    assert Document.objects.get(pk=document.pk).serial is None


def test_a_leader_may_return_a_document_waiting_for_sign_off(world):
    document = document_in(world, "awaiting_signoff")
    services.document_return(actor=world.user("leader"), document=document, comment="再斟酌。")
    assert Document.objects.get(pk=document.pk).status == DocumentStatus.RETURNED


def test_a_draft_cannot_be_signed_off_before_review(world):
    document = document_in(world, "draft")
    with pytest.raises(DomainError):
        services.document_sign(actor=world.user("leader"), document=document)


# ------------------------------------------------------------------------------ numbering


def test_sign_off_numbers_documents_per_organization_code_and_year(world):
    first = document_in(world, "signed")
    second = document_in(world, "signed")
    other_code = document_in(world, "signed", code="市直工办")
    year = timezone.localdate().year
    assert first.number == f"市直工〔{year}〕1号"
    assert second.number == f"市直工〔{year}〕2号"
    assert other_code.number == f"市直工办〔{year}〕1号"


def test_a_document_returned_before_sign_off_takes_no_number(world):
    returned = document_in(world, "awaiting_signoff")
    services.document_return(actor=world.user("leader"), document=returned, comment="改。")
    signed = document_in(world, "signed")
    assert signed.serial == 1


# ------------------------------------------------------------------------------ distribution


def test_distribution_makes_one_receipt_per_recipient_organization(world):
    document = document_in(
        world, "distributed", copy_organizations=[world.orgs["org1"], world.orgs["branch3"]]
    )
    receipts = {r.organization.code: r.kind for r in document.receipts.all()}
    # org1 is a main recipient and a copy recipient: it gets one receipt, as main recipient.
    assert receipts == {"A01": "main", "A02": "main", "A0201": "copy"}
    assert document.status == DocumentStatus.DISTRIBUTED
    assert all(r.status == ReceiptStatus.UNSIGNED for r in document.receipts.all())


def test_distribution_announces_the_document_after_commit(
    world, django_capture_on_commit_callbacks
):
    from dangwu.documents.tasks import announce_distribution

    document = document_in(world, "signed")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.document_distribute(actor=world.user("clerk"), document=document)
    assert len(callbacks) == 1
    # Run by the worker: the secretaries of both organizations are told.
    assert announce_distribution.call(document.pk) == 2


def test_a_document_cannot_be_distributed_twice(world):
    document = document_in(world, "distributed")
    with pytest.raises(DomainError):
        services.document_distribute(actor=world.user("clerk"), document=document)
    assert Receipt.objects.count() == 2


def test_a_secretary_cannot_distribute(world):
    document = document_in(world, "signed")
    with pytest.raises(Forbidden):
        services.document_distribute(actor=world.user("secretary"), document=document)
    assert Receipt.objects.count() == 0


def test_saved_groups_are_evaluated_at_distribution(world):
    committees = services.group_create(
        actor=SYSTEM, name="全部机关党委", rule=GroupRule.PARTY_COMMITTEES
    )
    offline = services.group_create(
        actor=SYSTEM, name="未接入内网", rule=GroupRule.NO_INTERNAL_NETWORK
    )
    document = document_in(
        world, "signed", main_organizations=[], main_groups=[committees], copy_groups=[offline]
    )
    # Created after the draft: still reached, because groups are worked out now.
    late = organization_create(
        actor=SYSTEM,
        code="A03",
        name="第三机关党委",
        kind=OrgKind.PARTY_COMMITTEE,
        parent=world.orgs["root"],
        network_access=NetworkAccess.INTERNET_ONLY,
    )
    services.document_distribute(actor=world.user("clerk"), document=document)
    got = dict(document.receipts.values_list("organization__code", "kind"))
    assert got == {"A01": "main", "A02": "main", late.code: "main"}


def test_a_list_group_reaches_exactly_its_organizations(world):
    pilots = services.group_create(
        actor=SYSTEM, name="试点", rule=GroupRule.LIST, organizations=[world.orgs["branch1"]]
    )
    document = document_in(world, "distributed", main_organizations=[], main_groups=[pilots])
    assert list(document.receipts.values_list("organization__code", flat=True)) == ["A0101"]


def test_a_list_group_needs_organizations(world):
    with pytest.raises(ValidationFailed):
        services.group_create(actor=SYSTEM, name="空", rule=GroupRule.LIST, organizations=[])


def _many_organizations(count: int, start: int = 0) -> None:
    parent = Organization.objects.get(code="A01")
    Organization.objects.bulk_create(
        Organization(
            code=f"Z{i:05d}",
            name=f"支部{i}",
            kind=OrgKind.BRANCH,
            parent=parent,
            path=f"{parent.path}Z{i:05d}/",
            depth=parent.depth + 1,
        )
        for i in range(start, start + count)
    )


def _distribution_queries(world, count: int) -> tuple[int, int]:
    everyone = services.group_create(actor=SYSTEM, name=f"全部{count}", rule=GroupRule.ALL)
    document = document_in(world, "signed", main_organizations=[], main_groups=[everyone])
    with CaptureQueriesContext(connection) as queries:
        made = services.document_distribute(actor=world.user("clerk"), document=document)
    return made, len(queries)


def test_distribution_takes_the_same_number_of_queries_for_5_or_50_organizations(world):
    _many_organizations(5)
    made_few, few = _distribution_queries(world, 5)
    _many_organizations(45, start=5)
    made_many, many = _distribution_queries(world, 50)
    assert made_many - made_few == 45
    assert many == few


# ------------------------------------------------------------------------------ receipts


def _receipt(document, org: Organization) -> Receipt:
    return document.receipts.get(organization=org)


def test_a_secretary_signs_for_their_organizations_receipt(world):
    document = document_in(world, "distributed")
    receipt = _receipt(document, world.orgs["org1"])
    services.receipt_sign(actor=world.user("secretary"), receipt=receipt)
    receipt.refresh_from_db()
    assert receipt.status == ReceiptStatus.SIGNED
    assert receipt.signed_by == world.user("secretary")
    assert receipt.signed_at is not None


def test_signing_another_organizations_receipt_is_refused(world):
    document = document_in(world, "distributed")
    receipt = _receipt(document, world.orgs["org2"])
    with pytest.raises(Forbidden):
        services.receipt_sign(actor=world.user("secretary"), receipt=receipt)
    assert Receipt.objects.get(pk=receipt.pk).status == ReceiptStatus.UNSIGNED


def test_signing_twice_is_refused_and_keeps_the_first_signature(world):
    document = document_in(world, "distributed")
    receipt = _receipt(document, world.orgs["org1"])
    services.receipt_sign(actor=world.user("secretary"), receipt=receipt)
    first = Receipt.objects.get(pk=receipt.pk).signed_at
    with pytest.raises(DomainError):
        services.receipt_sign(actor=world.user("orgclerk"), receipt=receipt)
    assert Receipt.objects.get(pk=receipt.pk).signed_at == first


def test_handling_assigns_to_a_person_of_the_organization_with_notes(world):
    document = document_in(world, "distributed")
    receipt = _receipt(document, world.orgs["org1"])
    secretary = world.user("secretary")
    services.receipt_sign(actor=secretary, receipt=receipt)
    services.receipt_assign(
        actor=secretary, receipt=receipt, assignee=world.user("member"), note="请办理。"
    )
    services.receipt_note_add(actor=world.user("member"), receipt=receipt, text="已通知各支部。")
    receipt.refresh_from_db()
    assert receipt.status == ReceiptStatus.HANDLING
    assert receipt.assignee == world.user("member")
    assert list(receipt.notes.values_list("text", flat=True)) == ["请办理。", "已通知各支部。"]


def test_assigning_to_someone_outside_the_organization_is_refused(world):
    document = document_in(world, "distributed")
    receipt = _receipt(document, world.orgs["org1"])
    services.receipt_sign(actor=world.user("secretary"), receipt=receipt)
    with pytest.raises(ValidationFailed):
        services.receipt_assign(
            actor=world.user("secretary"), receipt=receipt, assignee=world.user("other_secretary")
        )
    assert Receipt.objects.get(pk=receipt.pk).assignee is None


def test_notes_need_the_receipt_signed_for_first(world):
    document = document_in(world, "distributed")
    receipt = _receipt(document, world.orgs["org1"])
    with pytest.raises(DomainError):
        services.receipt_note_add(actor=world.user("secretary"), receipt=receipt, text="x")
    assert ReceiptNote.objects.count() == 0


def test_a_reply_with_an_attachment_is_recorded(world):
    document = asking_reply(world)
    receipt = _receipt(document, world.orgs["org1"])
    secretary = world.user("secretary")
    services.receipt_sign(actor=secretary, receipt=receipt)
    upload = SimpleUploadedFile("名单.pdf", pdf("名单"))
    services.receipt_reply(actor=secretary, receipt=receipt, text="已完成。", uploads=[upload])
    receipt.refresh_from_db()
    assert receipt.status == ReceiptStatus.REPLIED
    assert receipt.reply_text == "已完成。"
    assert [f.original_name for f in receipt.files.all()] == ["名单.pdf"]


def test_replying_to_a_document_that_asks_for_none_is_refused(world):
    document = document_in(world, "distributed")
    receipt = _receipt(document, world.orgs["org1"])
    services.receipt_sign(actor=world.user("secretary"), receipt=receipt)
    with pytest.raises(DomainError):
        services.receipt_reply(actor=world.user("secretary"), receipt=receipt, text="好")


def test_a_late_reply_is_refused_when_the_document_closes_late_replies(world):
    document = asking_reply(world, late_replies_closed=True)
    receipt = _receipt(document, world.orgs["org1"])
    services.receipt_sign(actor=world.user("secretary"), receipt=receipt)
    Document.objects.filter(pk=document.pk).update(reply_due=timezone.now() - timedelta(hours=1))
    upload = SimpleUploadedFile("名单.pdf", pdf("名单"))
    with pytest.raises(DomainError):
        services.receipt_reply(
            actor=world.user("secretary"), receipt=receipt, text="迟了", uploads=[upload]
        )
    assert Receipt.objects.get(pk=receipt.pk).status == ReceiptStatus.SIGNED
    assert DocumentFile.objects.count() == 0


def test_a_late_reply_is_accepted_when_late_replies_stay_open(world):
    document = asking_reply(world)
    receipt = _receipt(document, world.orgs["org1"])
    services.receipt_sign(actor=world.user("secretary"), receipt=receipt)
    Document.objects.filter(pk=document.pk).update(reply_due=timezone.now() - timedelta(hours=1))
    services.receipt_reply(actor=world.user("secretary"), receipt=receipt, text="迟复为歉。")
    assert Receipt.objects.get(pk=receipt.pk).status == ReceiptStatus.REPLIED


def test_an_attachment_that_lies_about_its_type_is_refused_and_nothing_is_kept(world):
    document = asking_reply(world)
    receipt = _receipt(document, world.orgs["org1"])
    services.receipt_sign(actor=world.user("secretary"), receipt=receipt)
    liar = SimpleUploadedFile("名单.pdf", png())
    with pytest.raises(ValidationFailed):
        services.receipt_reply(
            actor=world.user("secretary"), receipt=receipt, text="见附件", uploads=[liar]
        )
    assert DocumentFile.objects.count() == 0
    assert Receipt.objects.get(pk=receipt.pk).status == ReceiptStatus.SIGNED


def test_document_attachments_are_checked_and_only_while_editable(world):
    document = _create(world)
    services.document_file_add(
        actor=world.user("clerk"), document=document, upload=SimpleUploadedFile("附件.png", png())
    )
    with pytest.raises(ValidationFailed):
        services.document_file_add(
            actor=world.user("clerk"),
            document=document,
            upload=SimpleUploadedFile("附件.pdf", png()),
        )
    services.document_submit(actor=world.user("clerk"), document=document)
    with pytest.raises(DomainError):
        services.document_file_add(
            actor=world.user("clerk"),
            document=document,
            upload=SimpleUploadedFile("另一个.png", png()),
        )
    assert document.files.count() == 1
