"""Access matrix cases of the documents app (see tests/matrix/__init__.py).

Issuing side: the clerk (DOC_CLERK at the root) drafts, reviews and distributes; the leader
signs off and distributes; both see the committee's documents. Receiving side: the secretary of
第一机关党委 and the organization clerk (ORG_CLERK at the root, so every organization) handle
that organization's receipt; nobody else sees it.
"""

import base64

from tests.matrix import SIGNED_IN, Case

ISSUERS = frozenset({"clerk", "leader"})
CLERK = frozenset({"clerk"})
LEADER = frozenset({"leader"})
ORG1_HANDLERS = frozenset({"secretary", "orgclerk"})
READERS = ISSUERS | ORG1_HANDLERS | {"other_secretary"}


class _Png:
    """A picture the test client can send any number of times (the cases are shared)."""

    name = "附件.png"

    def read(self, *args) -> bytes:
        from dangwu.portal.tests.files import png

        return png()


def _pdf_base64() -> str:
    from dangwu.portal.tests.files import pdf

    return base64.b64encode(pdf("附件")).decode()


def _document(world, state: str = "draft", **overrides) -> int:
    from dangwu.documents.tests.factories import document_in

    return document_in(world, state, **overrides).pk


def _with_file(world, state: str = "draft") -> tuple[int, int, str]:
    """Return (document id, file id, file key) of a document with an attachment, a draft or
    distributed."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dangwu.documents import services
    from dangwu.documents.tests.factories import document_in
    from dangwu.portal.tests.files import png

    document = document_in(world, "draft")
    stored = services.document_file_add(
        actor=world.user("clerk"), document=document, upload=SimpleUploadedFile("附件.png", png())
    )
    if state == "distributed":
        for service, persona in (
            (services.document_submit, "clerk"),
            (services.document_review, "clerk"),
            (services.document_sign, "leader"),
            (services.document_distribute, "clerk"),
        ):
            service(actor=world.user(persona), document=document)
    return document.pk, stored.pk, str(stored.uuid)


def _receipt(world, signed: bool = False, reply: bool = False) -> int:
    """Return the id of 第一机关党委's receipt of a distributed document."""
    from datetime import timedelta

    from django.utils import timezone

    from dangwu.documents import services
    from dangwu.documents.tests.factories import document_in

    extra = {"reply_required": True, "reply_due": timezone.now() + timedelta(days=3)}
    document = document_in(world, "distributed", **(extra if reply else {}))
    receipt = document.receipts.get(organization=world.orgs["org1"])
    if signed:
        services.receipt_sign(actor=world.user("secretary"), receipt=receipt)
    return receipt.pk


def _draft_payload(world) -> dict:
    return {
        "organization": world.orgs["root"].pk,
        "doc_type": "notice",
        "issuer_mark": "中共市直机关工委文件",
        "code": "市直工",
        "title": "矩阵",
        "disclosure": "on_request",
        "main_organizations": [world.orgs["org1"].pk],
    }


CASES: list[Case] = [
    # ------------------------------------------------------------------ issuing pages
    Case("documents:list", "get", lambda w: "/documents/", ISSUERS),
    Case("documents:create", "get", lambda w: "/documents/new/", CLERK),
    Case("documents:groups", "get", lambda w: "/documents/groups/", ISSUERS),
    Case("documents:detail", "get", lambda w: f"/documents/{_document(w)}/", ISSUERS),
    Case("documents:edit", "get", lambda w: f"/documents/{_document(w)}/edit/", CLERK),
    Case("documents:submit", "post", lambda w: f"/documents/{_document(w)}/submit/", CLERK),
    Case(
        "documents:review",
        "post",
        lambda w: f"/documents/{_document(w, 'in_review')}/review/",
        CLERK,
    ),
    Case(
        "documents:return",
        "post",
        lambda w: f"/documents/{_document(w, 'in_review')}/return/",
        CLERK,
        {"comment": "请修改"},
    ),
    Case(
        "documents:return",
        "post",
        lambda w: f"/documents/{_document(w, 'awaiting_signoff')}/return/",
        LEADER,
        {"comment": "请修改"},
    ),
    Case(
        "documents:sign",
        "post",
        lambda w: f"/documents/{_document(w, 'awaiting_signoff')}/sign/",
        LEADER,
    ),
    Case(
        "documents:distribute",
        "post",
        lambda w: f"/documents/{_document(w, 'signed')}/distribute/",
        ISSUERS,
    ),
    Case(
        "documents:file_add",
        "post",
        lambda w: f"/documents/{_document(w)}/files/",
        CLERK,
        {"file": _Png()},
    ),
    Case(
        "documents:file_remove",
        "post",
        lambda w: "/documents/{}/files/{}/remove/".format(*_with_file(w)[:2]),
        CLERK,
    ),
    Case("documents:file", "get", lambda w: f"/documents/files/{_with_file(w)[2]}/", ISSUERS),
    Case(
        "documents:file",
        "get",
        lambda w: f"/documents/files/{_with_file(w, 'distributed')[2]}/",
        READERS,
    ),
    Case("documents:print", "get", lambda w: f"/documents/{_document(w)}/print/", ISSUERS),
    Case(
        "documents:print",
        "get",
        lambda w: f"/documents/{_document(w, 'distributed')}/print/",
        READERS,
    ),
    Case(
        "documents:pdf",
        "get",
        lambda w: f"/documents/{_document(w, 'distributed')}/pdf/",
        READERS,
    ),
    Case(
        "documents:dashboard",
        "get",
        lambda w: f"/documents/{_document(w, 'distributed')}/receipts/",
        ISSUERS,
    ),
    Case(
        "documents:export",
        "get",
        lambda w: f"/documents/{_document(w, 'distributed')}/receipts.xlsx",
        ISSUERS,
    ),
    # ------------------------------------------------------------------ receiving pages
    # Everyone signed in has a list of received documents; it shows only their own.
    Case("documents:inbox", "get", lambda w: "/documents/received/", SIGNED_IN),
    Case(
        "documents:receipt",
        "get",
        lambda w: f"/documents/received/{_receipt(w)}/",
        ORG1_HANDLERS,
    ),
    Case(
        "documents:receipt_sign",
        "post",
        lambda w: f"/documents/received/{_receipt(w)}/sign/",
        ORG1_HANDLERS,
    ),
    Case(
        "documents:receipt_assign",
        "post",
        lambda w: f"/documents/received/{_receipt(w, signed=True)}/assign/",
        ORG1_HANDLERS,
        lambda w: {"assignee": w.user("member").pk},
    ),
    Case(
        "documents:receipt_note",
        "post",
        lambda w: f"/documents/received/{_receipt(w, signed=True)}/notes/",
        ORG1_HANDLERS,
        {"text": "已传达"},
    ),
    Case(
        "documents:receipt_reply",
        "post",
        lambda w: f"/documents/received/{_receipt(w, signed=True, reply=True)}/reply/",
        ORG1_HANDLERS,
        {"text": "已完成"},
    ),
    # ------------------------------------------------------------------ API
    Case("api:document_list", "get", lambda w: "/api/v1/documents", ISSUERS),
    Case("api:document_create", "post", lambda w: "/api/v1/documents", CLERK, _draft_payload),
    Case("api:document_detail", "get", lambda w: f"/api/v1/documents/{_document(w)}", ISSUERS),
    Case(
        "api:document_update",
        "patch",
        lambda w: f"/api/v1/documents/{_document(w)}",
        CLERK,
        {"title": "改过的矩阵"},
    ),
    Case(
        "api:document_file_add",
        "post",
        lambda w: f"/api/v1/documents/{_document(w)}/files",
        CLERK,
        lambda w: {"name": "附件.pdf", "content_base64": _pdf_base64()},
    ),
    Case(
        "api:document_submit",
        "post",
        lambda w: f"/api/v1/documents/{_document(w)}/submit",
        CLERK,
    ),
    Case(
        "api:document_review",
        "post",
        lambda w: f"/api/v1/documents/{_document(w, 'in_review')}/review",
        CLERK,
    ),
    Case(
        "api:document_return",
        "post",
        lambda w: f"/api/v1/documents/{_document(w, 'in_review')}/return",
        CLERK,
        {"comment": "请修改"},
    ),
    Case(
        "api:document_sign",
        "post",
        lambda w: f"/api/v1/documents/{_document(w, 'awaiting_signoff')}/sign",
        LEADER,
    ),
    Case(
        "api:document_distribute",
        "post",
        lambda w: f"/api/v1/documents/{_document(w, 'signed')}/distribute",
        ISSUERS,
    ),
    Case(
        "api:document_pdf",
        "get",
        lambda w: f"/api/v1/documents/{_document(w, 'distributed')}/pdf",
        READERS,
    ),
    Case(
        "api:document_receipts",
        "get",
        lambda w: f"/api/v1/documents/{_document(w, 'distributed')}/receipts",
        ISSUERS,
    ),
    Case(
        "api:document_figures",
        "get",
        lambda w: f"/api/v1/documents/{_document(w, 'distributed')}/figures",
        ISSUERS,
    ),
    Case("api:receipt_list", "get", lambda w: "/api/v1/receipts", SIGNED_IN),
    Case("api:receipt_detail", "get", lambda w: f"/api/v1/receipts/{_receipt(w)}", ORG1_HANDLERS),
    Case(
        "api:receipt_sign",
        "post",
        lambda w: f"/api/v1/receipts/{_receipt(w)}/sign",
        ORG1_HANDLERS,
    ),
    Case(
        "api:receipt_handle",
        "post",
        lambda w: f"/api/v1/receipts/{_receipt(w, signed=True)}/handle",
        ORG1_HANDLERS,
        {"note": "已传达"},
    ),
    Case(
        "api:receipt_reply",
        "post",
        lambda w: f"/api/v1/receipts/{_receipt(w, signed=True, reply=True)}/reply",
        ORG1_HANDLERS,
        {"text": "已完成"},
    ),
]
