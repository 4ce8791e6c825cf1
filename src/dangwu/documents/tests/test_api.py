"""The documents API: the same workflow, policy and refusals as the pages."""

import base64
from datetime import timedelta

from django.utils import timezone

from dangwu.documents.enums import DocumentStatus, ReceiptStatus
from dangwu.documents.models import Document, DocumentFile, Receipt
from dangwu.documents.tests.factories import asking_reply, document_in
from dangwu.portal.tests.files import pdf, png

DOCUMENTS = "/api/v1/documents"
RECEIPTS = "/api/v1/receipts"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _payload(world, **overrides):
    return {
        "organization": world.orgs["root"].pk,
        "doc_type": "notice",
        "issuer_mark": "中共市直机关工委文件",
        "code": "市直工",
        "title": "关于报送材料的通知",
        "disclosure": "on_request",
        "main_organizations": [world.orgs["org1"].pk, world.orgs["org2"].pk],
        "body": "<p>请按时报送。</p>",
        **overrides,
    }


def test_the_whole_workflow_through_the_api(api_for, world):
    clerk, leader = api_for("clerk"), api_for("leader")
    created = clerk.post(DOCUMENTS, _payload(world))
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert clerk.patch(f"{DOCUMENTS}/{pk}", {"title": "关于报送材料的紧急通知"}).status_code == 200
    assert clerk.post(f"{DOCUMENTS}/{pk}/submit").json()["status"] == "in_review"
    assert clerk.post(f"{DOCUMENTS}/{pk}/review", {"comment": ""}).status_code == 200
    signed = leader.post(f"{DOCUMENTS}/{pk}/sign", {"comment": "同意"})
    assert signed.json()["number"].startswith("市直工〔")
    assert clerk.post(f"{DOCUMENTS}/{pk}/distribute").json() == {"receipts": 2}
    rows = clerk.get(f"{DOCUMENTS}/{pk}/receipts").json()
    assert rows["count"] == 2
    assert {r["state"] for r in rows["items"]} == {"unsigned"}
    figures = clerk.get(f"{DOCUMENTS}/{pk}/figures").json()
    assert figures["total"] == 2 and figures["by_state"]["unsigned"] == 2
    pdf_response = clerk.get(f"{DOCUMENTS}/{pk}/pdf")
    assert pdf_response["Content-Type"] == "application/pdf"
    assert pdf_response.content.startswith(b"%PDF")


def test_a_classified_document_is_refused_with_400_and_nothing_saved(api_for, world):
    response = api_for("clerk").post(DOCUMENTS, _payload(world, classification="绝密"))
    assert response.status_code == 400
    assert "涉密不上网" in response.json()["detail"] or response.json()["detail"]
    assert Document.objects.count() == 0


def test_an_unknown_or_empty_recipient_list_is_refused(api_for, world):
    clerk = api_for("clerk")
    assert clerk.post(DOCUMENTS, _payload(world, main_organizations=[99999])).status_code == 400
    assert clerk.post(DOCUMENTS, _payload(world, main_organizations=[])).status_code == 400
    assert Document.objects.count() == 0


def test_a_secretary_cannot_draft_or_see_the_committees_documents(api_for, world):
    document = document_in(world, "draft")
    secretary = api_for("secretary")
    assert secretary.post(DOCUMENTS, _payload(world)).status_code == 403
    assert secretary.get(f"{DOCUMENTS}/{document.pk}").status_code == 404


def test_receipts_are_listed_signed_handled_and_replied_through_the_api(api_for, world):
    document = asking_reply(world)
    secretary = api_for("secretary")
    listed = secretary.get(RECEIPTS, state="unsigned").json()
    assert [r["organization_name"] for r in listed["items"]] == ["第一机关党委"]
    pk = listed["items"][0]["id"]
    assert secretary.post(f"{RECEIPTS}/{pk}/sign").json()["status"] == "signed"
    again = secretary.post(f"{RECEIPTS}/{pk}/sign")
    assert again.status_code == 400
    handled = secretary.post(
        f"{RECEIPTS}/{pk}/handle", {"assignee": world.user("member").pk, "note": "请办理"}
    )
    assert handled.json()["status"] == "handling"
    reply = secretary.post(
        f"{RECEIPTS}/{pk}/reply",
        {
            "text": "已完成。",
            "files": [
                {"name": "名单.pdf", "content_base64": base64.b64encode(pdf("名单")).decode()}
            ],
        },
    )
    assert reply.status_code == 200, reply.content
    assert reply.json()["reply_files"][0]["name"] == "名单.pdf"
    assert Receipt.objects.get(pk=pk).status == ReceiptStatus.REPLIED
    assert document.receipts.get(organization__code="A02").status == ReceiptStatus.UNSIGNED


def test_signing_another_organizations_receipt_through_the_api_is_a_404(api_for, world):
    document = document_in(world, "distributed")
    other = document.receipts.get(organization__code="A02")
    assert api_for("secretary").post(f"{RECEIPTS}/{other.pk}/sign").status_code == 404
    assert Receipt.objects.get(pk=other.pk).status == ReceiptStatus.UNSIGNED


def test_a_reply_with_a_file_that_lies_about_its_type_is_refused(api_for, world):
    document = asking_reply(world)
    receipt = document.receipts.get(organization__code="A01")
    secretary = api_for("secretary")
    secretary.post(f"{RECEIPTS}/{receipt.pk}/sign")
    response = secretary.post(
        f"{RECEIPTS}/{receipt.pk}/reply",
        {
            "text": "见附件",
            "files": [{"name": "a.pdf", "content_base64": base64.b64encode(png()).decode()}],
        },
    )
    assert response.status_code == 400
    assert DocumentFile.objects.count() == 0


def test_a_late_reply_is_refused_when_the_document_closes_late_replies(api_for, world):
    document = asking_reply(world, late_replies_closed=True)
    receipt = document.receipts.get(organization__code="A01")
    secretary = api_for("secretary")
    secretary.post(f"{RECEIPTS}/{receipt.pk}/sign")
    Document.objects.filter(pk=document.pk).update(reply_due=timezone.now() - timedelta(days=1))
    assert secretary.post(f"{RECEIPTS}/{receipt.pk}/reply", {"text": "迟到"}).status_code == 400
    assert Receipt.objects.get(pk=receipt.pk).status == ReceiptStatus.SIGNED


def test_only_leaders_sign_off_through_the_api(api_for, world):
    document = document_in(world, "awaiting_signoff")
    assert api_for("clerk").post(f"{DOCUMENTS}/{document.pk}/sign").status_code == 403
    assert Document.objects.get(pk=document.pk).status == DocumentStatus.AWAITING_SIGNOFF


def test_the_dashboard_rows_mark_late_receipts_overdue(api_for, world):
    document = document_in(world, "distributed")
    late = document.receipts.get(organization__code="A02")
    Receipt.objects.filter(pk=late.pk).update(created_at=timezone.now() - timedelta(days=30))
    rows = api_for("leader").get(f"{DOCUMENTS}/{document.pk}/receipts").json()["items"]
    assert {r["organization_name"]: r["state"] for r in rows} == {
        "第一机关党委": "unsigned",
        "第二机关党委": "overdue",
    }
    only_late = api_for("leader").get(f"{DOCUMENTS}/{document.pk}/receipts", state="overdue")
    assert only_late.json()["count"] == 1
