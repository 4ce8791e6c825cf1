"""API of official documents (发文) and their receipts: same services and policy as the pages.

Issuing side: documents of the organizations the caller issues for, through the workflow
draft → review (核稿) → sign-off (签发, numbered) → distribution, with the print PDF and the
follow-up figures. Receiving side: the receipts of the caller's organizations (subtree): sign
for, assign and note (办理), reply. Anything the caller may not see is answered as missing (404).
"""

import base64
import binascii
from datetime import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Case, CharField, F, Value, When
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangwu import access
from dangwu.accounts.models import User
from dangwu.api.pagination import Pages
from dangwu.api.schemas import MAX_ID, NO_NUL, ErrorOut, ObjectId, ValidationErrorOut
from dangwu.api.security import ApiRequest
from dangwu.core.errors import ValidationFailed
from dangwu.documents import permissions as perms
from dangwu.documents import printing, selectors, services
from dangwu.documents.enums import (
    OVERDUE,
    Classification,
    Disclosure,
    DocType,
    DocumentStatus,
    ReceiptStatus,
    Urgency,
)
from dangwu.documents.models import Document, RecipientGroup
from dangwu.orgs.models import Organization

router = Router(tags=["documents"])

MAX_IDS = 5000
_ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ValidationErrorOut,
}


def _text(default: Any, max_length: int, **extra: Any) -> Any:
    return Field(default, max_length=max_length, pattern=NO_NUL, **extra)


# ---------------------------------------------------------------------------------- schemas


class FileOut(Schema):
    key: str
    name: str
    content_type: str
    size: int

    @staticmethod
    def resolve_key(obj: Any) -> str:
        return str(obj.uuid)

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.original_name)


class FileIn(Schema):
    name: str = _text(..., 255, min_length=1, description="The file's name, with its extension")
    content_base64: str = Field(..., min_length=1, description="The file's bytes in base64")


class DocumentOut(Schema):
    id: int
    title: str
    doc_type: DocType
    status: DocumentStatus
    status_label: str
    number: str = Field(..., description="发文字号, empty until sign-off")
    urgency: Urgency
    organization_id: int
    updated_at: datetime

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())


class StepOut(Schema):
    action: str
    actor_name: str
    comment: str
    at: datetime


class DocumentDetailOut(DocumentOut):
    issuer_mark: str
    code: str
    classification: Classification
    disclosure: Disclosure
    body: str
    main_line: str
    copy_line: str
    main_organizations: list[int]
    main_groups: list[int]
    copy_organizations: list[int]
    copy_groups: list[int]
    contact: str
    reply_required: bool
    reply_due: datetime | None
    late_replies_closed: bool
    review_comment: str
    signer_name: str
    signed_at: datetime | None
    distributed_at: datetime | None
    files: list[FileOut]
    steps: list[StepOut]

    @staticmethod
    def resolve_main_organizations(obj: Any) -> list[int]:
        return [o.pk for o in obj.main_organizations.all()]

    @staticmethod
    def resolve_main_groups(obj: Any) -> list[int]:
        return [g.pk for g in obj.main_groups.all()]

    @staticmethod
    def resolve_copy_organizations(obj: Any) -> list[int]:
        return [o.pk for o in obj.copy_organizations.all()]

    @staticmethod
    def resolve_copy_groups(obj: Any) -> list[int]:
        return [g.pk for g in obj.copy_groups.all()]

    @staticmethod
    def resolve_files(obj: Any) -> list[Any]:
        return list(obj.files.all())

    @staticmethod
    def resolve_steps(obj: Any) -> list[Any]:
        return list(obj.steps.all())


class DocumentPatch(Schema):
    doc_type: DocType | None = None
    issuer_mark: str | None = _text(None, 60)
    code: str | None = _text(None, 20, description="机关代字, e.g. 市直工")
    title: str | None = _text(None, 200)
    urgency: Urgency | None = None
    classification: str | None = _text(
        None, 10, description="none (非密) or internal (内部); anything higher is refused"
    )
    disclosure: Disclosure | None = None
    body: str | None = _text(None, 200_000, description="Rich text (sanitized)")
    main_organizations: list[int] | None = Field(None, max_length=MAX_IDS)
    main_groups: list[int] | None = Field(None, max_length=MAX_IDS)
    copy_organizations: list[int] | None = Field(None, max_length=MAX_IDS)
    copy_groups: list[int] | None = Field(None, max_length=MAX_IDS)
    main_line: str | None = _text(None, 500)
    copy_line: str | None = _text(None, 500)
    contact: str | None = _text(None, 100)
    reply_required: bool | None = None
    reply_due: datetime | None = None
    late_replies_closed: bool | None = None


class DocumentIn(DocumentPatch):
    organization: int = Field(..., ge=1, le=MAX_ID, description="Issuing organization id")
    doc_type: DocType
    issuer_mark: str = _text(..., 60)
    code: str = _text(..., 20)
    title: str = _text(..., 200)
    disclosure: Disclosure


class CommentIn(Schema):
    comment: str = _text("", 2000)


class ReturnIn(Schema):
    comment: str = _text(..., 2000)


class DistributedOut(Schema):
    receipts: int


class ReceiptOut(Schema):
    id: int
    document_id: int
    title: str
    number: str
    organization_id: int
    organization_name: str
    kind: str
    status: ReceiptStatus
    state: str = Field(..., description="The status, or 'overdue' when a deadline has passed")
    created_at: datetime
    signed_at: datetime | None
    assignee_id: int | None
    replied_at: datetime | None

    @staticmethod
    def resolve_title(obj: Any) -> str:
        return str(obj.document.title)

    @staticmethod
    def resolve_number(obj: Any) -> str:
        return str(obj.document.number)

    @staticmethod
    def resolve_organization_name(obj: Any) -> str:
        return str(obj.organization.name)

    @staticmethod
    def resolve_state(obj: Any) -> str:
        return selectors.receipt_state(obj, obj.document, timezone.now())


class NoteOut(Schema):
    author_name: str
    text: str
    at: datetime


class ReceiptDetailOut(ReceiptOut):
    body: str
    reply_required: bool
    reply_due: datetime | None
    reply_text: str
    files: list[FileOut]
    reply_files: list[FileOut]
    notes: list[NoteOut]

    @staticmethod
    def resolve_body(obj: Any) -> str:
        return str(obj.document.body)

    @staticmethod
    def resolve_reply_required(obj: Any) -> bool:
        return bool(obj.document.reply_required)

    @staticmethod
    def resolve_reply_due(obj: Any) -> datetime | None:
        due: datetime | None = obj.document.reply_due
        return due

    @staticmethod
    def resolve_files(obj: Any) -> list[Any]:
        return list(obj.document.files.all())

    @staticmethod
    def resolve_reply_files(obj: Any) -> list[Any]:
        return list(obj.files.all())

    @staticmethod
    def resolve_notes(obj: Any) -> list[Any]:
        return list(obj.notes.all())


class HandleIn(Schema):
    assignee: int | None = Field(None, ge=1, le=MAX_ID, description="User id to assign it to")
    note: str = _text("", 2000, description="A progress note (办理情况)")


class ReplyIn(Schema):
    text: str = _text(..., 10000)
    files: list[FileIn] = Field(default_factory=list, max_length=10)


class DashboardRowOut(Schema):
    organization_id: int
    organization_name: str
    kind: str
    status: ReceiptStatus
    state: str = Field(..., description="The status, or 'overdue' when a deadline has passed")
    created_at: datetime
    signed_at: datetime | None
    signed_by: str
    assignee: str
    replied_at: datetime | None
    replied_by: str

    @staticmethod
    def resolve_organization_name(obj: Any) -> str:
        return str(obj.organization.name)

    @staticmethod
    def resolve_signed_by(obj: Any) -> str:
        return _user_label(obj.signed_by)

    @staticmethod
    def resolve_assignee(obj: Any) -> str:
        return _user_label(obj.assignee)

    @staticmethod
    def resolve_replied_by(obj: Any) -> str:
        return _user_label(obj.replied_by)


class FiguresOut(Schema):
    total: int
    by_state: dict[str, int]
    overdue: int
    median_hours_to_sign: float | None
    signed_in_time_share: float | None = Field(
        ..., description="Share (0–1) signed within the time allowed, of those due or signed"
    )


class StateFilter(Schema):
    state: str = Field(
        "", pattern=r"^(|unsigned|signed|handling|replied|overdue)$", description="Receipt state"
    )


class DocumentFilters(Schema):
    status: DocumentStatus | None = None


# ---------------------------------------------------------------------------------- helpers


def _refused(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors=[(field, message)])


def _organizations(ids: list[int], field: str) -> list[Organization]:
    found = list(Organization.objects.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise _refused(field, _("One of the chosen organizations does not exist."))
    return found


def _groups(ids: list[int], field: str) -> list[RecipientGroup]:
    found = list(RecipientGroup.objects.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise _refused(field, _("One of the chosen groups does not exist."))
    return found


def _values(payload: DocumentPatch) -> dict[str, Any]:
    values = payload.dict(exclude_unset=True, exclude={"organization"})
    for name in ("main_organizations", "copy_organizations"):
        if values.get(name) is not None:
            values[name] = _organizations(values[name], name)
    for name in ("main_groups", "copy_groups"):
        if values.get(name) is not None:
            values[name] = _groups(values[name], name)
    due = values.get("reply_due")
    if due is not None and timezone.is_naive(due):
        # A time without a zone is Beijing time, as on the pages.
        values["reply_due"] = timezone.make_aware(due)
    return {k: v for k, v in values.items() if v is not None or k == "reply_due"}


def _upload(item: FileIn) -> SimpleUploadedFile:
    try:
        data = base64.b64decode(item.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise _refused(
            "files", _("The file %(name)s is not valid base64.") % {"name": item.name}
        ) from None
    return SimpleUploadedFile(item.name, data)


def _user_label(user: User | None) -> str:
    return str(user.label) if user else ""


# ---------------------------------------------------------------------------------- issuing


@router.get(
    "/documents",
    response={200: list[DocumentOut], **_ERRORS},
    summary="List the documents of the organizations I issue for, last changed first",
)
@paginate(Pages)
def document_list(request: ApiRequest, filters: Query[DocumentFilters]) -> Any:
    access.require(request.auth, perms.DOCUMENT_VIEW)
    documents = selectors.documents_visible(request.auth).defer("body", "body_text")
    if filters.status:
        documents = documents.filter(status=filters.status)
    return documents.order_by("-updated_at", "-id")


@router.post(
    "/documents",
    response={201: DocumentDetailOut, **_ERRORS},
    summary="Draft a document for an organization I issue for",
)
def document_create(request: ApiRequest, payload: DocumentIn) -> Any:
    """Refused with 400, nothing saved: a classified mark, no or unknown recipients, bad values."""
    access.require(request.auth, perms.DOCUMENT_DRAFT)
    organization = Organization.objects.filter(pk=payload.organization).first()
    if organization is None:
        raise _refused("organization", _("There is no such organization."))
    document = services.document_create(
        actor=request.auth, organization=organization, **_values(payload)
    )
    return Status(201, document)


@router.get(
    "/documents/{document_id}",
    response={200: DocumentDetailOut, **_ERRORS},
    summary="One document I issue, in any state, with its steps and files",
)
def document_detail(request: ApiRequest, document_id: ObjectId) -> Any:
    return selectors.document_access(user=request.auth, pk=document_id)


@router.patch(
    "/documents/{document_id}",
    response={200: DocumentDetailOut, **_ERRORS},
    summary="Change a draft or returned document (only the fields sent)",
)
def document_update(request: ApiRequest, document_id: ObjectId, payload: DocumentPatch) -> Any:
    document = selectors.document_access(user=request.auth, pk=document_id)
    return services.document_update(actor=request.auth, document=document, **_values(payload))


@router.post(
    "/documents/{document_id}/files",
    response={201: FileOut, **_ERRORS},
    summary="Attach a file (附件) to a draft or returned document; checked by content",
)
def document_file_add(request: ApiRequest, document_id: ObjectId, payload: FileIn) -> Any:
    document = selectors.document_access(user=request.auth, pk=document_id)
    stored = services.document_file_add(
        actor=request.auth, document=document, upload=_upload(payload)
    )
    return Status(201, stored)


@router.post(
    "/documents/{document_id}/submit",
    response={200: DocumentDetailOut, **_ERRORS},
    summary="Send a draft (or a returned document) for review (核稿)",
)
def document_submit(request: ApiRequest, document_id: ObjectId) -> Any:
    document = selectors.document_access(user=request.auth, pk=document_id)
    return services.document_submit(actor=request.auth, document=document)


@router.post(
    "/documents/{document_id}/review",
    response={200: DocumentDetailOut, **_ERRORS},
    summary="Pass the review (核稿) and send the document for sign-off (reviewers, clerks)",
)
def document_review(request: ApiRequest, document_id: ObjectId, payload: CommentIn) -> Any:
    document = selectors.document_access(user=request.auth, pk=document_id)
    return services.document_review(actor=request.auth, document=document, comment=payload.comment)


@router.post(
    "/documents/{document_id}/return",
    response={200: DocumentDetailOut, **_ERRORS},
    summary="Return a document under review or waiting for sign-off, with a comment",
)
def document_return(request: ApiRequest, document_id: ObjectId, payload: ReturnIn) -> Any:
    document = selectors.document_access(user=request.auth, pk=document_id)
    return services.document_return(actor=request.auth, document=document, comment=payload.comment)


@router.post(
    "/documents/{document_id}/sign",
    response={200: DocumentDetailOut, **_ERRORS},
    summary="Sign off (签发, leaders): the document gets its number",
)
def document_sign(request: ApiRequest, document_id: ObjectId, payload: CommentIn) -> Any:
    document = selectors.document_access(user=request.auth, pk=document_id)
    return services.document_sign(actor=request.auth, document=document, comment=payload.comment)


@router.post(
    "/documents/{document_id}/distribute",
    response={200: DistributedOut, **_ERRORS},
    summary="Distribute a signed document: one receipt per recipient organization",
)
def document_distribute(request: ApiRequest, document_id: ObjectId) -> Any:
    document = selectors.document_access(user=request.auth, pk=document_id)
    return {"receipts": services.document_distribute(actor=request.auth, document=document)}


@router.get(
    "/documents/{document_id}/pdf",
    response={200: None, **_ERRORS},
    summary="The document as an A4 PDF in the GB/T 9704 layout (issuers and recipients)",
    openapi_extra={"responses": {200: {"content": {"application/pdf": {}}}}},
)
def document_pdf(request: ApiRequest, document_id: ObjectId) -> HttpResponse:
    document = selectors.document_readable(user=request.auth, pk=document_id)
    response = HttpResponse(printing.document_pdf(document), content_type="application/pdf")
    name = f"{document.number or document.title}.pdf"
    response["Content-Disposition"] = content_disposition_header(False, name) or ""
    return response


def _distributed(request: ApiRequest, document_id: int) -> Document:
    document = selectors.document_access(user=request.auth, pk=document_id)
    access.require(request.auth, perms.DOCUMENT_DISTRIBUTE, document)
    return document


@router.get(
    "/documents/{document_id}/receipts",
    response={200: list[DashboardRowOut], **_ERRORS},
    summary="Every recipient of a document I issue: state, timestamps, who acted",
)
@paginate(Pages)
def document_receipts(
    request: ApiRequest, document_id: ObjectId, filters: Query[StateFilter]
) -> Any:
    document = _distributed(request, document_id)
    now = timezone.now()
    # The state is worked out in the query, so a page costs the same whatever the total.
    state = Case(
        When(selectors.overdue_q(document, now), then=Value(OVERDUE)),
        default=F("status"),
        output_field=CharField(),
    )
    return selectors.dashboard_rows(document, filters.state, now).annotate(state=state)


@router.get(
    "/documents/{document_id}/figures",
    response={200: FiguresOut, **_ERRORS},
    summary="Counts per state, overdue, median time to sign, share signed in time",
)
def document_figures(request: ApiRequest, document_id: ObjectId) -> Any:
    return selectors.timeliness(_distributed(request, document_id), timezone.now())


# ---------------------------------------------------------------------------------- receiving


@router.get(
    "/receipts",
    response={200: list[ReceiptOut], **_ERRORS},
    summary="Documents my organizations received (and those assigned to me), newest first",
)
@paginate(Pages)
def receipt_list(request: ApiRequest, filters: Query[StateFilter]) -> Any:
    receipts = selectors.receipts_visible(request.auth).defer("document__body")
    if filters.state == OVERDUE:
        receipts = receipts.filter(selectors.inbox_overdue_q(timezone.now()))
    elif filters.state:
        receipts = receipts.filter(status=filters.state)
    return receipts.order_by("-created_at", "-id")


@router.get(
    "/receipts/{receipt_id}",
    response={200: ReceiptDetailOut, **_ERRORS},
    summary="One received document with its body, files, notes and our reply",
)
def receipt_detail(request: ApiRequest, receipt_id: ObjectId) -> Any:
    return selectors.receipt_access(user=request.auth, pk=receipt_id)


@router.post(
    "/receipts/{receipt_id}/sign",
    response={200: ReceiptOut, **_ERRORS},
    summary="Sign for a received document (签收); signing twice is refused",
)
def receipt_sign(request: ApiRequest, receipt_id: ObjectId) -> Any:
    receipt = selectors.receipt_access(user=request.auth, pk=receipt_id)
    return services.receipt_sign(actor=request.auth, receipt=receipt)


@router.post(
    "/receipts/{receipt_id}/handle",
    response={200: ReceiptDetailOut, **_ERRORS},
    summary="办理: assign the document to a person of the organization and/or add a note",
)
def receipt_handle(request: ApiRequest, receipt_id: ObjectId, payload: HandleIn) -> Any:
    receipt = selectors.receipt_access(user=request.auth, pk=receipt_id)
    if payload.assignee is None and not payload.note.strip():
        raise _refused("note", _("Choose a person or write a note."))
    if payload.assignee is not None:
        assignee = User.objects.filter(pk=payload.assignee).first()
        if assignee is None:
            raise _refused("assignee", _("Choose a person of this organization."))
        services.receipt_assign(
            actor=request.auth, receipt=receipt, assignee=assignee, note=payload.note
        )
    else:
        services.receipt_note_add(actor=request.auth, receipt=receipt, text=payload.note)
    return selectors.receipt_access(user=request.auth, pk=receipt_id)


@router.post(
    "/receipts/{receipt_id}/reply",
    response={200: ReceiptDetailOut, **_ERRORS},
    summary="Reply (答复) with text and files when the document asks for it",
)
def receipt_reply(request: ApiRequest, receipt_id: ObjectId, payload: ReplyIn) -> Any:
    receipt = selectors.receipt_access(user=request.auth, pk=receipt_id)
    services.receipt_reply(
        actor=request.auth,
        receipt=receipt,
        text=payload.text,
        uploads=[_upload(item) for item in payload.files],
    )
    return selectors.receipt_access(user=request.auth, pk=receipt_id)
