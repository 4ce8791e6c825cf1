"""The documents pages: the workflow through the forms, the dashboard, export, print and PDF."""

import io
import unicodedata

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from dangwu.documents.enums import DocumentStatus, ReceiptStatus
from dangwu.documents.models import Document, Receipt
from dangwu.documents.tests.factories import asking_reply, document_in
from dangwu.orgs.enums import OrgKind
from dangwu.orgs.models import Organization
from dangwu.portal.tests.files import pdf, png


def zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(msgid)


def _form(world, **overrides):
    return {
        "doc_type": "notice",
        "organization": world.orgs["root"].pk,
        "issuer_mark": "中共市直机关工委文件",
        "code": "市直工",
        "title": "关于开展主题党日活动的通知",
        "urgency": "normal",
        "classification": "none",
        "disclosure": "on_request",
        "main_organizations": [world.orgs["org1"].pk, world.orgs["org2"].pk],
        "body": "<p>各机关党委：</p><p>请认真组织。</p>",
        **overrides,
    }


def test_a_clerk_drafts_a_document_through_the_form(client_for, world):
    client = client_for("clerk")
    response = client.post(reverse("documents:create"), _form(world))
    document = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:detail", args=[document.pk])
    page = client.get(response["Location"])
    assert "关于开展主题党日活动的通知" in page.content.decode()


def test_a_form_with_a_classified_mark_is_shown_again_with_the_reason(client_for, world):
    response = client_for("clerk").post(
        reverse("documents:create"), _form(world, classification="机密", title="保留的标题")
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "涉密不上网" in text
    assert "保留的标题" in text
    assert Document.objects.count() == 0


def test_a_form_without_recipients_says_so(client_for, world):
    response = client_for("clerk").post(
        reverse("documents:create"), _form(world, main_organizations=[])
    )
    assert response.status_code == 400
    assert Document.objects.count() == 0


def test_the_leader_signs_off_from_the_document_page(client_for, world):
    document = document_in(world, "awaiting_signoff")
    client = client_for("leader")
    page = client.get(reverse("documents:detail", args=[document.pk]))
    assert zh("Sign off") in page.content.decode()
    client.post(reverse("documents:sign", args=[document.pk]), {"comment": "同意"})
    document.refresh_from_db()
    assert document.status == DocumentStatus.SIGNED and document.serial == 1


def test_a_return_without_comment_shows_the_page_again(client_for, world):
    document = document_in(world, "in_review")
    response = client_for("clerk").post(reverse("documents:return", args=[document.pk]), {})
    assert response.status_code == 400
    assert Document.objects.get(pk=document.pk).status == DocumentStatus.IN_REVIEW


def test_distributing_leads_to_the_dashboard(client_for, world):
    document = document_in(world, "signed")
    response = client_for("clerk").post(reverse("documents:distribute", args=[document.pk]))
    assert response["Location"] == reverse("documents:dashboard", args=[document.pk])
    assert Receipt.objects.filter(document=document).count() == 2


def test_another_secretary_gets_a_404_for_a_receipt_that_is_not_theirs(client_for, world):
    document = document_in(world, "distributed")
    receipt = document.receipts.get(organization__code="A01")
    client = client_for("other_secretary")
    assert client.get(reverse("documents:receipt", args=[receipt.pk])).status_code == 404
    assert client.post(reverse("documents:receipt_sign", args=[receipt.pk])).status_code == 404
    assert Receipt.objects.get(pk=receipt.pk).status == ReceiptStatus.UNSIGNED


def test_a_secretary_signs_from_the_todo_list_and_replies_with_an_attachment(client_for, world):
    document = asking_reply(world)
    receipt = document.receipts.get(organization__code="A01")
    client = client_for("secretary")
    home = client.get("/").content.decode()
    url = reverse("documents:receipt", args=[receipt.pk])
    sign = reverse("documents:receipt_sign", args=[receipt.pk])
    assert url in home and f'action="{sign}"' in home
    assert client.post(sign)["Location"] == url
    assert url not in client.get("/").content.decode()
    upload = SimpleUploadedFile("落实情况.pdf", pdf("落实情况"))
    response = client.post(
        reverse("documents:receipt_reply", args=[receipt.pk]),
        {"text": "已落实。", "attachments": upload},
    )
    assert response.status_code == 302
    receipt.refresh_from_db()
    assert receipt.status == ReceiptStatus.REPLIED
    assert receipt.files.get().original_name == "落实情况.pdf"


def test_a_reply_with_a_disguised_file_keeps_the_text(client_for, world):
    document = asking_reply(world)
    receipt = document.receipts.get(organization__code="A01")
    client = client_for("secretary")
    client.post(reverse("documents:receipt_sign", args=[receipt.pk]))
    response = client.post(
        reverse("documents:receipt_reply", args=[receipt.pk]),
        {"text": "保留这段答复", "attachments": SimpleUploadedFile("名单.pdf", png())},
    )
    assert response.status_code == 400
    assert "保留这段答复" in response.content.decode()
    assert Receipt.objects.get(pk=receipt.pk).status == ReceiptStatus.SIGNED


def _organizations(count: int) -> None:
    parent = Organization.objects.get(code="A02")
    Organization.objects.bulk_create(
        Organization(
            code=f"Y{i:05d}",
            name=f"第{i}支部",
            kind=OrgKind.BRANCH,
            parent=parent,
            path=f"{parent.path}Y{i:05d}/",
            depth=parent.depth + 1,
        )
        for i in range(count)
    )


@pytest.mark.parametrize("organizations", [0, 60])
def test_the_dashboard_takes_a_fixed_number_of_queries(
    client_for, world, organizations, django_assert_max_num_queries
):
    _organizations(organizations)
    everyone = Organization.objects.exclude(pk=world.orgs["root"].pk)
    document = document_in(world, "distributed", main_organizations=list(everyone))
    for receipt in document.receipts.all()[:3]:
        Receipt.objects.filter(pk=receipt.pk).update(status=ReceiptStatus.SIGNED)
    client = client_for("clerk")
    with django_assert_max_num_queries(14):
        response = client.get(reverse("documents:dashboard", args=[document.pk]))
    assert response.status_code == 200


def test_the_dashboard_filters_by_state(client_for, world):
    document = document_in(world, "distributed")
    signed = document.receipts.get(organization__code="A01")
    Receipt.objects.filter(pk=signed.pk).update(status=ReceiptStatus.SIGNED)
    page = client_for("clerk").get(
        reverse("documents:dashboard", args=[document.pk]), {"state": "unsigned"}
    )
    text = page.content.decode()
    assert "第二机关党委" in text
    assert '<th scope="row">第一机关党委' not in text


def test_the_excel_export_has_headers_and_real_dates(client_for, world):
    document = document_in(world, "distributed")
    receipt = document.receipts.get(organization__code="A01")
    Receipt.objects.filter(pk=receipt.pk).update(
        status=ReceiptStatus.SIGNED, signed_at=receipt.created_at
    )
    response = client_for("leader").get(reverse("documents:export", args=[document.pk]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == zh("Organization")
    first = next(r for r in rows[2:] if r[0] == "第一机关党委")
    assert first[4] is not None and hasattr(first[4], "year")
    signed_cell = next(c for c in sheet[3] + sheet[4] if c.column == 5 and c.value is not None)
    assert signed_cell.number_format == "yyyy-mm-dd hh:mm"


def test_recipients_cannot_see_the_dashboard(client_for, world):
    document = document_in(world, "distributed")
    client = client_for("secretary")
    assert client.get(reverse("documents:dashboard", args=[document.pk])).status_code == 404
    assert client.get(reverse("documents:export", args=[document.pk])).status_code == 404


def test_the_print_page_shows_the_parts_of_the_document_in_order(client_for, world):
    document = document_in(world, "distributed", copy_organizations=[world.orgs["branch3"]])
    text = client_for("secretary").get(reverse("documents:print", args=[document.pk]))
    html = text.content.decode()
    parts = [
        "中共市直机关工委文件",
        document.number,
        "关于开展主题党日活动的通知",
        "第一机关党委、第二机关党委：",
        "现将有关事项通知如下。",
        "市直机关工委",
        "（此件依申请公开）",
        "抄送：第二机关党委第一支部。",
        "印发",
    ]
    # Each part is found after the one before it, in the document itself.
    position = html.index('class="gw-document"')
    for part in parts:
        position = html.index(part, position) + len(part)


def _pdf_text(content: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(content))
    text = "".join(page.extract_text() for page in reader.pages)
    return unicodedata.normalize("NFKC", text), len(reader.pages)


def test_the_pdf_follows_the_standard_layout_and_its_text_can_be_read(client_for, world):
    document = document_in(world, "distributed", urgency="urgent")
    response = client_for("clerk").get(reverse("documents:pdf", args=[document.pk]))
    assert response["Content-Type"] == "application/pdf"
    text, pages = _pdf_text(response.content)
    compact = text.replace(" ", "").replace("\n", "")
    for part in (
        "加急",
        "中共市直机关工委文件",
        unicodedata.normalize("NFKC", document.number),
        "关于开展主题党日活动的通知",
        "第一机关党委、第二机关党委:",
        "(此件依申请公开)",
        "印发",
        "—1—",
    ):
        assert part in compact, part
    assert pages >= 1
    reader = PdfReader(io.BytesIO(response.content))
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)


def test_a_member_cannot_get_the_pdf_of_a_document_not_sent_to_them(client_for, world):
    document = document_in(world, "distributed")
    assert client_for("member").get(reverse("documents:pdf", args=[document.pk])).status_code == 404


def test_a_list_group_without_organizations_is_refused_on_the_groups_page(client_for, world):
    from dangwu.documents.models import RecipientGroup

    client = client_for("clerk")
    response = client.post(reverse("documents:groups"), {"name": "试点单位", "rule": "list"})
    assert response.status_code == 400
    assert "试点单位" in response.content.decode()
    assert RecipientGroup.objects.count() == 0
    client.post(
        reverse("documents:groups"),
        {"name": "试点单位", "rule": "list", "organizations": [world.orgs["org2"].pk]},
    )
    assert list(RecipientGroup.objects.get().organizations.all()) == [world.orgs["org2"]]


def test_the_inbox_shows_overdue_receipts_under_their_filter(client_for, world):
    from datetime import timedelta

    from django.utils import timezone

    document = document_in(world, "distributed")
    Receipt.objects.filter(document=document).update(created_at=timezone.now() - timedelta(days=30))
    fresh = document_in(world, "distributed", title="关于新近下发的通知")
    client = client_for("secretary")
    overdue = client.get(reverse("documents:inbox"), {"state": "overdue"}).content.decode()
    assert "关于开展主题党日活动的通知" in overdue
    assert fresh.title not in overdue
    everything = client.get(reverse("documents:inbox")).content.decode()
    assert fresh.title in everything


def test_reviewers_and_leaders_find_their_documents_in_the_todo_list(client_for, world):
    review = document_in(world, "in_review", title="待核稿的通知")
    sign = document_in(world, "awaiting_signoff", title="待签发的通知")
    clerk_home = client_for("clerk").get("/").content.decode()
    assert review.title in clerk_home and sign.title not in clerk_home
    leader_home = client_for("leader").get("/").content.decode()
    assert sign.title in leader_home and review.title not in leader_home


def test_the_reminder_job_is_registered_with_the_scheduler():
    from dangwu.core.periodic import jobs

    job = jobs()["documents.send_reminders"]
    assert job.run == "dangwu.documents.reminders.reminders_send"
