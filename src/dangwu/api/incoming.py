"""API of incoming documents (收文): same services and policy as the pages.

A document the caller may not see is answered like one that does not exist (404). Files are
sent as base64 in JSON, like the messages' attachments, and checked by content like uploads.
"""

import base64
import binascii
from datetime import date, datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangwu import access
from dangwu.accounts.models import User
from dangwu.api.pagination import Pages
from dangwu.api.schemas import MAX_ID, ErrorOut, ObjectId, ValidationErrorOut, _label, _text
from dangwu.api.security import ApiRequest
from dangwu.core.errors import NotFound, ValidationFailed
from dangwu.incoming import permissions as perms
from dangwu.incoming import selectors, services
from dangwu.incoming.enums import IncomingStatus, Urgency
from dangwu.incoming.models import IncomingDocument
from dangwu.orgs.models import Organization

router = Router(tags=["incoming"])

_ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ValidationErrorOut,
}
MAX_IDS = 100


class IncomingOut(Schema):
    id: int
    title: str
    source: str
    source_number: str
    document_date: date
    received_on: date
    urgency: str
    urgency_label: str
    classification: str
    copies: int
    status: str
    status_label: str

    resolve_urgency_label = _label("urgency")
    resolve_status_label = _label("status")


class AssignmentOut(Schema):
    person_id: int | None = Field(..., alias="assignee_id")
    department_id: int | None
    is_lead: bool
    deadline: date | None
    assigned_at: datetime


class CirculationOut(Schema):
    reader_id: int
    reader_name: str
    sent_at: datetime
    read_at: datetime | None
    comment: str

    @staticmethod
    def resolve_reader_name(obj: Any) -> str:
        return str(obj.reader.label)


class TrailOut(Schema):
    step: str
    step_label: str
    actor_name: str
    at: datetime
    note: str

    resolve_step_label = _label("step")


class FileOut(Schema):
    id: int
    name: str = Field(..., alias="original_name")
    content_type: str
    size: int


class IncomingDetailOut(IncomingOut):
    proposal: str
    instruction_leader_id: int | None
    instruction: str
    instructed_at: datetime | None
    result: str
    completed_at: datetime | None
    files: list[FileOut]
    assignments: list[AssignmentOut]
    circulations: list[CirculationOut]
    trail: list[TrailOut]


class FileIn(Schema):
    name: str = _text(..., 255, min_length=1, description="The file's name, with its extension")
    content_base64: str = Field(..., min_length=1, description="The file's bytes in base64")


class RegisterIn(Schema):
    source: str = _text(..., 100, description="来文机关")
    source_number: str = _text("", 60, description="Its document number (文号)")
    title: str = _text(..., 200)
    document_date: date
    received_on: date
    urgency: Urgency = Urgency.NORMAL
    classification: str = _text("非密", 10, description="非密 or 内部; anything higher is refused")
    copies: int = Field(1, ge=1, le=9999)
    file: FileIn | None = Field(None, description="The scan or file of the document")


class ProposeIn(Schema):
    proposal: str = _text(..., 2000)
    leader: int = Field(..., ge=1, le=MAX_ID, description="User id of the leader to instruct")


class InstructIn(Schema):
    instruction: str = _text(..., 2000)


class AssignIn(Schema):
    people: list[int] = Field(default_factory=list, max_length=MAX_IDS, description="User ids")
    departments: list[int] = Field(
        default_factory=list, max_length=MAX_IDS, description="Organization ids"
    )
    lead_person: int | None = Field(None, ge=1, le=MAX_ID, description="Who leads (主办)")
    lead_department: int | None = Field(None, ge=1, le=MAX_ID, description="Or this department")
    deadline: date | None = None


class CirculateIn(Schema):
    readers: list[int] = Field(..., min_length=1, max_length=MAX_IDS, description="User ids")


class ReadIn(Schema):
    comment: str = _text("", 2000)


class CompleteIn(Schema):
    result: str = _text(..., 2000)


class IncomingFilters(Schema):
    status: IncomingStatus | None = None
    urgency: Urgency | None = None


def _refused(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors=[(field, message)])


def _upload(item: FileIn) -> SimpleUploadedFile:
    try:
        data = base64.b64decode(item.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise _refused(
            "file", _("The file %(name)s is not valid base64.") % {"name": item.name}
        ) from None
    return SimpleUploadedFile(item.name, data)


def _users(ids: list[int], field: str) -> list[User]:
    found = list(User.objects.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise _refused(field, _("Some of these people do not exist."))
    return found


def _detail(document: IncomingDocument) -> IncomingDocument:
    selectors.document_with_trail(document)
    return document


@router.get(
    "/incoming/documents",
    response={200: list[IncomingOut], **_ERRORS},
    summary="List the incoming documents I may see, latest received first",
)
@paginate(Pages)
def incoming_list(request: ApiRequest, filters: Query[IncomingFilters]) -> Any:
    if not selectors.may_list(request.auth):
        raise NotFound(_("This page does not exist, or you may not see it."))
    documents = selectors.documents_visible(request.auth)
    if filters.status:
        documents = documents.filter(status=filters.status)
    if filters.urgency:
        documents = documents.filter(urgency=filters.urgency)
    return documents


@router.get(
    "/incoming/documents/{document_id}",
    response={200: IncomingDetailOut, **_ERRORS},
    summary="One incoming document with its files, assignments, circulation and trail",
)
def incoming_detail(request: ApiRequest, document_id: ObjectId) -> Any:
    return _detail(selectors.document_access(user=request.auth, pk=document_id))


@router.post(
    "/incoming/documents",
    response={201: IncomingDetailOut, **_ERRORS},
    summary="Register a received document (document clerks); classified ones are refused",
)
def incoming_register(request: ApiRequest, payload: RegisterIn) -> Any:
    user = request.auth
    access.require(user, perms.REGISTER)
    organization = selectors.registering_organization(user)
    if organization is None:  # a rule without a subtree: cannot happen for a clerk
        raise NotFound(_("There is no such organization."))
    values = payload.dict(exclude={"file"})
    upload = _upload(payload.file) if payload.file else None
    document = services.incoming_register(
        actor=user, organization=organization, upload=upload, **values
    )
    return Status(201, _detail(document))


@router.post(
    "/incoming/documents/{document_id}/files",
    response={201: FileOut, **_ERRORS},
    summary="Add a scan or file to a document that is not completed",
)
def incoming_file_add(request: ApiRequest, document_id: ObjectId, payload: FileIn) -> Any:
    document = selectors.document_access(user=request.auth, pk=document_id)
    stored = services.incoming_file_add(
        actor=request.auth, document=document, upload=_upload(payload)
    )
    return Status(201, stored)


@router.post(
    "/incoming/documents/{document_id}/propose",
    response={200: IncomingDetailOut, **_ERRORS},
    summary="Propose the handling (拟办) and name the leader to instruct",
)
def incoming_propose(request: ApiRequest, document_id: ObjectId, payload: ProposeIn) -> Any:
    document = selectors.document_access(user=request.auth, pk=document_id)
    leader = User.objects.filter(pk=payload.leader).first()
    services.incoming_propose(
        actor=request.auth, document=document, proposal=payload.proposal, leader=leader
    )
    return _detail(document)


@router.post(
    "/incoming/documents/{document_id}/instruct",
    response={200: IncomingDetailOut, **_ERRORS},
    summary="Give the leader's instruction (批办) on a proposed document (leaders)",
)
def incoming_instruct(request: ApiRequest, document_id: ObjectId, payload: InstructIn) -> Any:
    document = selectors.document_access(user=request.auth, pk=document_id)
    services.incoming_instruct(
        actor=request.auth, document=document, instruction=payload.instruction
    )
    return _detail(document)


@router.post(
    "/incoming/documents/{document_id}/assign",
    response={200: IncomingDetailOut, **_ERRORS},
    summary="Assign (承办) to people and/or departments, with a lead and a deadline",
)
def incoming_assign(request: ApiRequest, document_id: ObjectId, payload: AssignIn) -> Any:
    document = selectors.document_access(user=request.auth, pk=document_id)
    people = _users(payload.people, "people")
    departments = list(Organization.objects.filter(pk__in=payload.departments))
    if len(departments) != len(set(payload.departments)):
        raise _refused("departments", _("There is no such organization."))
    by_id: dict[tuple[str, int], Any] = {("p", p.pk): p for p in people} | {
        ("d", d.pk): d for d in departments
    }
    lead: Any = None
    if payload.lead_person is not None:
        lead = by_id.get(("p", payload.lead_person), object())
    elif payload.lead_department is not None:
        lead = by_id.get(("d", payload.lead_department), object())
    services.incoming_assign(
        actor=request.auth,
        document=document,
        people=people,
        departments=departments,
        lead=lead,
        deadline=payload.deadline,
    )
    return _detail(document)


@router.post(
    "/incoming/documents/{document_id}/circulate",
    response={200: IncomingDetailOut, **_ERRORS},
    summary="Send the document round leaders for reading (传阅)",
)
def incoming_circulate(request: ApiRequest, document_id: ObjectId, payload: CirculateIn) -> Any:
    document = selectors.document_access(user=request.auth, pk=document_id)
    services.incoming_circulate(
        actor=request.auth, document=document, readers=_users(payload.readers, "readers")
    )
    return _detail(document)


@router.post(
    "/incoming/documents/{document_id}/read",
    response={200: IncomingDetailOut, **_ERRORS},
    summary="Mark the document read in circulation, with an optional comment",
)
def incoming_read(request: ApiRequest, document_id: ObjectId, payload: ReadIn) -> Any:
    document = selectors.document_access(user=request.auth, pk=document_id)
    services.incoming_mark_read(actor=request.auth, document=document, comment=payload.comment)
    return _detail(document)


@router.post(
    "/incoming/documents/{document_id}/complete",
    response={200: IncomingDetailOut, **_ERRORS},
    summary="Complete (办结) the document with its result; refused while a leader has not read it",
)
def incoming_complete(request: ApiRequest, document_id: ObjectId, payload: CompleteIn) -> Any:
    document = selectors.document_access(user=request.auth, pk=document_id)
    services.incoming_complete(actor=request.auth, document=document, result=payload.result)
    return _detail(document)
