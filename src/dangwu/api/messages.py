"""API of mail and notifications: same services and policy as the pages.

Everything here is the caller's own: their inbox, what they sent, their notifications. A message
they neither sent nor received is answered as missing (404), like one that does not exist. The
three administrators (三员) have no mailbox: the mail operations answer them 404 as well.

Attachments travel inside the JSON as base64 (``attachments: [{"name", "content_base64"}]``), so one
request sends a message with its files; they pass the same checks as uploads on the pages. A
request may be at most ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (6 MB by default), so larger files are
sent from the pages.
"""

import base64
import binascii
import uuid
from datetime import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from dangwu import access
from dangwu.access import BUSINESS_ROLES, Role
from dangwu.api.pagination import Pages
from dangwu.api.schemas import ErrorOut, ObjectId, ValidationErrorOut, _text
from dangwu.api.security import ApiRequest
from dangwu.core.errors import NotFound, ValidationFailed
from dangwu.core.files import file_response
from dangwu.messages import permissions as perms
from dangwu.messages import selectors, services
from dangwu.messages.enums import EmailDelivery
from dangwu.messages.models import Message, MessageFile, MessageRecipient, Notification
from dangwu.orgs.models import Organization

router = Router(tags=["mail"])

_ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ValidationErrorOut,
}
_READ_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
MAX_ADDRESSEES = 10_000
BUSINESS_ROLE_VALUES = sorted(role.value for role in Role if role in BUSINESS_ROLES)


# ---------------------------------------------------------------------------------- schemas


class PersonOut(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return obj.label


class AddresseeOut(Schema):
    kind: str = Field(..., description="person, organization or role")
    id: int | str = Field(..., description="User or organization id, or the role's code")
    label: str


class FileOut(Schema):
    name: str = Field(..., description="The original file name")
    content_type: str = Field(..., description="As checked by content")
    size: int
    url: str = Field(..., description="Download address, for the sender and the recipients")

    @staticmethod
    def resolve_name(obj: MessageFile) -> str:
        return obj.original_name

    @staticmethod
    def resolve_url(obj: MessageFile) -> str:
        return f"/api/v1/mail/files/{obj.uuid}"


class InboxItemOut(Schema):
    id: int = Field(..., description="The message's id")
    subject: str
    sender: PersonOut
    sent_at: datetime
    read_at: datetime | None = Field(..., description="When I opened it; null while unread")

    @staticmethod
    def resolve_id(obj: MessageRecipient) -> int:
        return obj.message_id

    @staticmethod
    def resolve_subject(obj: MessageRecipient) -> str:
        return obj.message.subject

    @staticmethod
    def resolve_sender(obj: MessageRecipient) -> Any:
        return obj.message.sender

    @staticmethod
    def resolve_sent_at(obj: MessageRecipient) -> datetime:
        return obj.message.created_at


class SentItemOut(Schema):
    id: int
    subject: str
    addressees: list[AddresseeOut]
    sent_at: datetime
    recipient_count: int
    read_count: int = Field(..., description="How many recipients have opened it")

    @staticmethod
    def resolve_sent_at(obj: Message) -> datetime:
        return obj.created_at


class MessageOut(Schema):
    id: int
    subject: str
    body: str = Field(..., description="Plain text")
    sender: PersonOut
    addressees: list[AddresseeOut] = Field(..., description="What the sender chose")
    sent_at: datetime
    recipient_count: int
    reply_to_id: int | None
    forwarded_from_id: int | None
    attachments: list[FileOut]
    read_at: datetime | None = Field(..., description="When I read it; null if unread or mine")

    @staticmethod
    def resolve_sent_at(obj: Message) -> datetime:
        return obj.created_at

    @staticmethod
    def resolve_attachments(obj: Message) -> list[MessageFile]:
        return list(obj.files.all())

    @staticmethod
    def resolve_read_at(obj: Message, context: dict[str, Any]) -> datetime | None:
        reader = context["request"].auth
        mine = MessageRecipient.objects.filter(message=obj, recipient_id=reader.pk)
        return mine.values_list("read_at", flat=True).first()


class ReaderOut(Schema):
    recipient: PersonOut
    read_at: datetime | None


class FileIn(Schema):
    name: str = _text(..., 255, min_length=1, description="The file's name, with its extension")
    content_base64: str = Field(..., min_length=1, description="The file's bytes in base64")


def _ids(description: str) -> Any:
    return Field(default_factory=list, max_length=MAX_ADDRESSEES, description=description)


class AddresseesIn(Schema):
    people: list[int] = _ids("User ids (people with a mailbox)")
    organizations: list[int] = _ids("Organization ids: their secretary and clerks receive it")
    roles: list[str] = Field(
        default_factory=list,
        max_length=len(BUSINESS_ROLE_VALUES),
        description="Role codes: everyone holding it inside my own subtrees "
        f"({', '.join(BUSINESS_ROLE_VALUES)}); for leaders, document clerks, secretaries "
        "and organization clerks",
    )


class MessageIn(AddresseesIn):
    subject: str = _text(..., 200)
    body: str = _text("", services.BODY_MAX, description="Plain text")
    attachments: list[FileIn] = Field(default_factory=list, max_length=services.FILES_MAX)


class ReplyIn(Schema):
    body: str = _text(..., services.BODY_MAX, min_length=1)
    attachments: list[FileIn] = Field(default_factory=list, max_length=services.FILES_MAX)


class ForwardIn(AddresseesIn):
    note: str = _text("", 2000, description="A few words above the forwarded message")


class NotificationOut(Schema):
    id: int
    kind: str = Field(..., description="What it is about, e.g. documents.distributed")
    title: str
    body: str
    url: str = Field(..., description="Where it points on this platform (a path), or empty")
    created_at: datetime
    read_at: datetime | None


class ReadAllOut(Schema):
    marked: int = Field(..., description="How many notifications were marked read")


class PreferenceIo(Schema):
    delivery: EmailDelivery = Field(
        ..., description="each: one e-mail per notification; digest: one e-mail a day"
    )


# ---------------------------------------------------------------------------------- mail


@router.get(
    "/mail/inbox",
    response={200: list[InboxItemOut], **_ERRORS},
    summary="What I received, newest first",
)
@paginate(Pages)
def mail_inbox(request: ApiRequest, unread: bool | None = None) -> Any:
    """``?unread=true`` lists only what I have not opened yet."""
    access.require(request.auth, perms.MAILBOX)
    deliveries = selectors.inbox(request.auth)
    if unread is not None:
        deliveries = deliveries.filter(read_at__isnull=unread)
    return deliveries


@router.get(
    "/mail/sent",
    response={200: list[SentItemOut], **_ERRORS},
    summary="What I sent, newest first, with how many recipients have read each",
)
@paginate(Pages)
def mail_sent(request: ApiRequest) -> Any:
    access.require(request.auth, perms.MAILBOX)
    return selectors.sent(request.auth)


def _uploads(files: list[FileIn]) -> list[SimpleUploadedFile]:
    uploads = []
    for item in files:
        try:
            data = base64.b64decode(item.content_base64, validate=True)
        except (binascii.Error, ValueError):
            message = _("The file %(name)s is not valid base64.") % {"name": item.name}
            raise ValidationFailed(message, errors=[("attachments", message)]) from None
        uploads.append(SimpleUploadedFile(item.name, data))
    return uploads


def _addressees(payload: AddresseesIn) -> dict[str, Any]:
    """Fetch the people and organizations named (unknown ids: 400, naming the field)."""
    people = list(services.mailbox_users().filter(pk__in=payload.people))
    if len(people) != len(set(payload.people)):
        message = _("Some of these people do not exist or have no mailbox.")
        raise ValidationFailed(message, errors=[("people", message)])
    organizations = list(Organization.objects.filter(pk__in=payload.organizations))
    if len(organizations) != len(set(payload.organizations)):
        message = _("There is no such organization.")
        raise ValidationFailed(message, errors=[("organizations", message)])
    return {"people": people, "organizations": organizations, "roles": payload.roles}


def _detail(request: ApiRequest, message_id: int) -> Message:
    return selectors.message_access(user=request.auth, pk=message_id).message


@router.post(
    "/mail/messages",
    response={201: MessageOut, **_ERRORS},
    summary="Write to people, organizations (their secretary and clerks) or role holders",
)
def mail_send(request: ApiRequest, payload: MessageIn) -> Any:
    """Refused with 400 and nothing saved: no addressee, an unknown person or organization, an
    organization where nobody would receive it, a classified mark, a file that fails the checks.
    403: writing to a role without the right to."""
    message = services.message_send(
        actor=request.auth,
        subject=payload.subject,
        body=payload.body,
        uploads=_uploads(payload.attachments),
        **_addressees(payload),
    )
    return Status(201, _detail(request, message.pk))


@router.get(
    "/mail/messages/{message_id}",
    response={200: MessageOut, **_READ_ERRORS},
    summary="One message I sent or received (reading it here does not mark it read)",
)
def mail_message(request: ApiRequest, message_id: ObjectId) -> Any:
    return _detail(request, message_id)


@router.post(
    "/mail/messages/{message_id}/read",
    response={200: MessageOut, **_ERRORS},
    summary="Mark a message I received as read (the sender sees when)",
)
def mail_mark_read(request: ApiRequest, message_id: ObjectId) -> Any:
    view = selectors.message_access(user=request.auth, pk=message_id)
    if view.delivery is None:
        raise NotFound(_("This message does not exist, or you may not see it."))
    services.message_mark_read(actor=request.auth, message=view.message)
    return _detail(request, message_id)


@router.post(
    "/mail/messages/{message_id}/reply",
    response={201: MessageOut, **_ERRORS},
    summary="Answer the sender of a message I received",
)
def mail_reply(request: ApiRequest, message_id: ObjectId, payload: ReplyIn) -> Any:
    view = selectors.message_access(user=request.auth, pk=message_id)
    if view.delivery is None:
        raise NotFound(_("This message does not exist, or you may not see it."))
    answer = services.message_reply(
        actor=request.auth,
        message=view.message,
        body=payload.body,
        uploads=_uploads(payload.attachments),
    )
    return Status(201, _detail(request, answer.pk))


@router.post(
    "/mail/messages/{message_id}/forward",
    response={201: MessageOut, **_ERRORS},
    summary="Pass a message I sent or received on to others, with its attachments",
)
def mail_forward(request: ApiRequest, message_id: ObjectId, payload: ForwardIn) -> Any:
    view = selectors.message_access(user=request.auth, pk=message_id)
    forwarded = services.message_forward(
        actor=request.auth, message=view.message, note=payload.note, **_addressees(payload)
    )
    return Status(201, _detail(request, forwarded.pk))


@router.get(
    "/mail/messages/{message_id}/readers",
    response={200: list[ReaderOut], **_READ_ERRORS},
    summary="Who received a message I sent and when each read it (unread first)",
)
@paginate(Pages)
def mail_readers(request: ApiRequest, message_id: ObjectId) -> Any:
    view = selectors.message_access(user=request.auth, pk=message_id)
    if not view.is_sender:
        # Recipients do not learn who else read it: answered like a message they cannot see.
        raise NotFound(_("This message does not exist, or you may not see it."))
    return selectors.read_status(view.message)


@router.get(
    "/mail/files/{key}",
    response={200: None, **_READ_ERRORS},
    summary="Download an attachment of a message I sent or received",
)
def mail_file(request: ApiRequest, key: uuid.UUID) -> FileResponse:
    found = selectors.file_access(user=request.auth, key=key)
    return file_response(found.file, content_type=found.content_type, name=found.original_name)


# ---------------------------------------------------------------------------------- notifications


@router.get(
    "/mail/notifications",
    response={200: list[NotificationOut], **_READ_ERRORS},
    summary="My notifications: unread first, then newest first",
)
@paginate(Pages)
def notification_list(request: ApiRequest, unread: bool | None = None) -> Any:
    """``?unread=true`` lists only the unread ones."""
    found = selectors.notifications(request.auth)
    if unread is not None:
        found = found.filter(read_at__isnull=unread)
    return found


@router.post(
    "/mail/notifications/{notification_id}/read",
    response={200: NotificationOut, **_ERRORS},
    summary="Mark one of my notifications read",
)
def notification_mark_read(request: ApiRequest, notification_id: ObjectId) -> Notification:
    notification = selectors.notification_access(user=request.auth, pk=notification_id)
    return services.notification_read(actor=request.auth, notification=notification)


@router.post(
    "/mail/notifications/read-all",
    response={200: ReadAllOut, **_ERRORS},
    summary="Mark all my notifications read",
)
def notifications_mark_all_read(request: ApiRequest) -> Any:
    return {"marked": services.notifications_read_all(actor=request.auth)}


@router.get(
    "/mail/preferences",
    response={200: PreferenceIo, **_READ_ERRORS},
    summary="How my notifications come by e-mail",
)
def mail_preferences(request: ApiRequest) -> Any:
    return {"delivery": selectors.delivery_of(request.auth)}


@router.put(
    "/mail/preferences",
    response={200: PreferenceIo, **_ERRORS},
    summary="Choose one e-mail per notification or a daily digest",
)
def mail_preferences_set(request: ApiRequest, payload: PreferenceIo) -> Any:
    services.preference_set(actor=request.auth, delivery=payload.delivery)
    return {"delivery": selectors.delivery_of(request.auth)}
