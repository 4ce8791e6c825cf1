"""API of submissions (信息报送): the same services and policy as the pages.

Writers create items for their organization (the text as HTML, or a Word file in base64), add
photos and attachments, send them and follow their state; editors read the inbox and adopt,
return or decline; editors, leaders, secretaries and clerks read the ranking of their subtree.
Anything the caller may not see is answered as missing (404).

Response codes: 200/201 success; 400 a business refusal (a classified mark, a file that is not
what its name says, a bad state, adopting twice), with ``detail`` in Chinese; 401 not signed in
or a bad token; 403 the caller's role does not allow the operation (e.g. submitting for another
organization); 404 missing or not the caller's; 422 the request does not match the schema.
"""

import base64
import binascii
from datetime import date, datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangwu import access
from dangwu.api.pagination import Pages
from dangwu.api.schemas import MAX_ID, NO_NUL, ErrorOut, ObjectId, ValidationErrorOut
from dangwu.api.security import ApiRequest
from dangwu.core.errors import ValidationFailed
from dangwu.orgs.models import Organization
from dangwu.portal.models import Column
from dangwu.submissions import permissions as perms
from dangwu.submissions import selectors, services
from dangwu.submissions.enums import FileRole, SubmissionKind, SubmissionStatus
from dangwu.submissions.models import Call, Submission

router = Router(tags=["submissions"])

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


class SubmissionOut(Schema):
    id: int
    title: str
    kind: SubmissionKind
    kind_label: str
    status: SubmissionStatus
    status_label: str
    organization: int
    organization_name: str
    submitter_name: str
    submitted_at: datetime | None
    updated_at: datetime
    points: int
    forwarded: bool
    comment: str = Field(..., description="The last return comment or the reason of a decline")

    @staticmethod
    def resolve_kind_label(obj: Submission) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_status_label(obj: Submission) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_organization(obj: Submission) -> int:
        return obj.organization.pk

    @staticmethod
    def resolve_organization_name(obj: Submission) -> str:
        return obj.organization.name


class EventOut(Schema):
    action: str
    actor_name: str
    comment: str
    created_at: datetime


class FileOut(Schema):
    key: str
    role: str
    name: str
    content_type: str
    size: int

    @staticmethod
    def resolve_key(obj: Any) -> str:
        return str(obj.uuid)

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.original_name)


class SubmissionDetailOut(SubmissionOut):
    body: str
    contact_name: str
    contact_phone: str = Field(..., description="Masked (139****5678)")
    suggested_column: int | None
    call: int | None
    article: int | None
    placement: str
    events: list[EventOut]
    files: list[FileOut]

    @staticmethod
    def resolve_contact_phone(obj: Submission) -> str:
        return obj.contact_phone_masked

    @staticmethod
    def resolve_suggested_column(obj: Submission) -> int | None:
        return obj.suggested_column_id

    @staticmethod
    def resolve_call(obj: Submission) -> int | None:
        return obj.call_id

    @staticmethod
    def resolve_article(obj: Submission) -> int | None:
        return obj.article_id

    @staticmethod
    def resolve_events(obj: Submission) -> list[Any]:
        return list(obj.events.all())

    @staticmethod
    def resolve_files(obj: Submission) -> list[Any]:
        return list(obj.files.all())


class WordIn(Schema):
    name: str = _text(..., 255, min_length=1, description="The file's name, ending in .docx")
    content_base64: str = Field(..., min_length=1, description="The file's bytes in base64")


class SubmissionIn(Schema):
    organization: int = Field(..., ge=1, le=MAX_ID)
    title: str = _text("", 200, description="Empty with a Word file: its first heading is used")
    kind: SubmissionKind
    body: str = Field("", max_length=500_000, description="HTML; sanitized on the server")
    word: WordIn | None = Field(None, description="A .docx instead of the body")
    suggested_column: int | None = Field(None, ge=1, le=MAX_ID)
    call: int | None = Field(None, ge=1, le=MAX_ID)
    contact_name: str = _text("", 60)
    contact_phone: str = _text("", 20)
    secret_level: str = _text("", 10, description="密级; 秘密/机密/绝密 are refused")


class FileIn(Schema):
    role: FileRole = Field(FileRole.ATTACHMENT, description="photo or attachment")
    name: str = _text(..., 255, min_length=1)
    content_base64: str = Field(..., min_length=1)


class AdoptIn(Schema):
    column: int = Field(..., ge=1, le=MAX_ID)
    publish: bool = Field(True, description="Publish now; false leaves a draft article")


class CommentIn(Schema):
    comment: str = _text(..., 2000)


class ReasonIn(Schema):
    reason: str = _text(..., 2000)


class AdoptedOut(Schema):
    submission: SubmissionDetailOut
    article: int


class InboxFilters(Schema):
    status: SubmissionStatus | None = None
    kind: SubmissionKind | None = None
    organization: int | None = Field(None, ge=1, le=MAX_ID)
    date_from: date | None = None
    date_to: date | None = None


class PeriodIn(Schema):
    date_from: date | None = None
    date_to: date | None = None


class RankingRowOut(Schema):
    rank: int
    organization: int
    organization_name: str
    own_items_only: bool
    submissions: int
    adoptions: int
    points: int
    sent_nothing: bool


class RankingOut(Schema):
    date_from: date
    date_to: date
    rows: list[RankingRowOut]


# ---------------------------------------------------------------------------------- helpers


def _refused(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors=[(field, message)])


def _decode(name: str, content: str, field: str) -> SimpleUploadedFile:
    try:
        data = base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError):
        raise _refused(
            field, _("The file %(name)s is not valid base64.") % {"name": name}
        ) from None
    return SimpleUploadedFile(name, data)


def _detail(user: Any, pk: int) -> Submission:
    return selectors.submission_access(user=user, pk=pk)


# ------------------------------------------------------------------------------- the writer


@router.post(
    "/submissions",
    response={201: SubmissionDetailOut, **_ERRORS},
    summary="Save a draft item for my organization (the text, or a Word file)",
)
def submission_create(request: ApiRequest, payload: SubmissionIn) -> Any:
    """403 for an organization the caller does not write for; 400, nothing saved, for a
    classified mark, a file that is not a .docx, a missing title."""
    organization = Organization.objects.filter(pk=payload.organization).first()
    if organization is None:
        raise _refused("organization", _("There is no such organization."))
    column = None
    if payload.suggested_column is not None:
        column = Column.objects.filter(pk=payload.suggested_column).first()
        if column is None:
            raise _refused("suggested_column", _("Choose a column that holds articles."))
    call = None
    if payload.call is not None:
        call = Call.objects.filter(pk=payload.call).first()
        if call is None:
            raise _refused(
                "call", _("This call for submissions was not sent to your organization.")
            )
    upload = (
        _decode(payload.word.name, payload.word.content_base64, "word") if payload.word else None
    )
    submission = services.submission_create(
        actor=request.auth,
        organization=organization,
        upload=upload,
        call=call,
        title=payload.title,
        kind=payload.kind,
        body=payload.body,
        suggested_column=column,
        contact_name=payload.contact_name,
        contact_phone=payload.contact_phone,
        secret_level=payload.secret_level,
    )
    return Status(201, submission)


@router.get(
    "/submissions/mine",
    response={200: list[SubmissionOut], **_ERRORS},
    summary="List the items I wrote, last changed first, with their states",
)
@paginate(Pages)
def submission_mine(request: ApiRequest) -> Any:
    access.require(request.auth, perms.SUBMISSION_MINE)
    return selectors.my_submissions(request.auth)


@router.get(
    "/submissions/inbox",
    response={200: list[SubmissionOut], **_ERRORS},
    summary="The editors' inbox: items that reached the committee, newest first, filtered",
)
@paginate(Pages)
def submission_inbox(request: ApiRequest, filters: Query[InboxFilters]) -> Any:
    access.require(request.auth, perms.SUBMISSION_REVIEW)
    organization = None
    if filters.organization is not None:
        organization = Organization.objects.filter(pk=filters.organization).first()
        if organization is None:
            raise _refused("organization", _("There is no such organization."))
    return selectors.inbox(
        request.auth,
        selectors.InboxFilter(
            organization=organization,
            kind=filters.kind or "",
            status=filters.status or "",
            date_from=filters.date_from,
            date_to=filters.date_to,
        ),
    )


@router.get(
    "/submissions/ranking",
    response={200: RankingOut, **_ERRORS},
    summary="Items, adoptions and points per organization in a period (this year by default)",
)
def submission_ranking(request: ApiRequest, period: Query[PeriodIn]) -> Any:
    access.require(request.auth, perms.SUBMISSION_RANKING)
    today = timezone.localdate()
    start = period.date_from or date(today.year, 1, 1)
    end = period.date_to or date(today.year, 12, 31)
    if start > end:
        raise _refused("date_to", _("The end date is before the start date."))
    result = selectors.ranking(request.auth, date_from=start, date_to=end)
    return {
        "date_from": start,
        "date_to": end,
        "rows": [
            {
                "rank": r.rank,
                "organization": r.organization.pk,
                "organization_name": r.organization.name,
                "own_items_only": r.own_only,
                "submissions": r.submissions,
                "adoptions": r.adoptions,
                "points": r.points,
                "sent_nothing": r.silent,
            }
            for r in result.rows
        ],
    }


@router.get(
    "/submissions/{submission_id}",
    response={200: SubmissionDetailOut, **_ERRORS},
    summary="One item with its history and files (its writer, its organization, editors)",
)
def submission_detail(request: ApiRequest, submission_id: ObjectId) -> Any:
    return _detail(request.auth, submission_id)


@router.post(
    "/submissions/{submission_id}/files",
    response={201: FileOut, **_ERRORS},
    summary="Add a photo or an attachment to a draft or returned item; checked by content",
)
def submission_file_add(request: ApiRequest, submission_id: ObjectId, payload: FileIn) -> Any:
    submission = _detail(request.auth, submission_id)
    stored = services.submission_file_add(
        actor=request.auth,
        submission=submission,
        upload=_decode(payload.name, payload.content_base64, "file"),
        role=payload.role,
    )
    return Status(201, stored)


@router.post(
    "/submissions/{submission_id}/submit",
    response={200: SubmissionDetailOut, **_ERRORS},
    summary="Send a draft or returned item (to the secretary first, if the organization asks)",
)
def submission_submit(request: ApiRequest, submission_id: ObjectId) -> Any:
    submission = _detail(request.auth, submission_id)
    return services.submission_submit(actor=request.auth, submission=submission)


# ------------------------------------------------------------------------------ the editors


@router.post(
    "/submissions/{submission_id}/adopt",
    response={200: AdoptedOut, **_ERRORS},
    summary="Adopt a submitted item into a column: a portal article crediting the organization",
)
def submission_adopt(request: ApiRequest, submission_id: ObjectId, payload: AdoptIn) -> Any:
    """400 when the item was already adopted (also by another editor at the same moment)."""
    submission = _detail(request.auth, submission_id)
    access.require(request.auth, perms.SUBMISSION_REVIEW, submission)
    column = Column.objects.filter(pk=payload.column).first()
    if column is None:
        raise _refused("column", _("Choose a column that holds articles."))
    article = services.submission_adopt(
        actor=request.auth, submission=submission, column=column, publish=payload.publish
    )
    submission.refresh_from_db()
    return {"submission": submission, "article": article.pk}


@router.post(
    "/submissions/{submission_id}/return",
    response={200: SubmissionDetailOut, **_ERRORS},
    summary="Return a submitted item to its writer with a comment",
)
def submission_return(request: ApiRequest, submission_id: ObjectId, payload: CommentIn) -> Any:
    submission = _detail(request.auth, submission_id)
    return services.submission_return(
        actor=request.auth, submission=submission, comment=payload.comment
    )


@router.post(
    "/submissions/{submission_id}/decline",
    response={200: SubmissionDetailOut, **_ERRORS},
    summary="Decline a submitted item, giving the reason",
)
def submission_decline(request: ApiRequest, submission_id: ObjectId, payload: ReasonIn) -> Any:
    submission = _detail(request.auth, submission_id)
    return services.submission_decline(
        actor=request.auth, submission=submission, reason=payload.reason
    )
