"""Reads for mail and notifications: always one person's own, in a fixed number of queries.

Mail is not scoped by organization subtree: a message belongs to its sender and its recipients,
and anyone else gets the same NotFound as for a message that does not exist.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _

from dangwu import access
from dangwu.core.errors import NotFound
from dangwu.messages import permissions as perms
from dangwu.messages.enums import EmailDelivery
from dangwu.messages.models import (
    MailPreference,
    Message,
    MessageFile,
    MessageRecipient,
    Notification,
)


def _not_found() -> NotFound:
    return NotFound(_("This message does not exist, or you may not see it."))


def inbox(user: Any) -> QuerySet[MessageRecipient]:
    """Return what the user received, newest first, with each message and its sender."""
    if not access.can(user, perms.MAILBOX):
        return MessageRecipient.objects.none()
    return (
        MessageRecipient.objects.filter(recipient_id=user.pk)
        .select_related("message__sender")
        .defer("message__body", "message__addressees")
        .order_by("-message__created_at", "-message_id")
    )


def sent(user: Any) -> QuerySet[Message]:
    """Return what the user sent, newest first, each with how many recipients have read it."""
    if not access.can(user, perms.MAILBOX):
        return Message.objects.none()
    return (
        Message.objects.filter(sender_id=user.pk)
        .defer("body")
        .annotate(read_count=Count("deliveries", filter=Q(deliveries__read_at__isnull=False)))
        .order_by("-created_at", "-id")
    )


@dataclass(frozen=True)
class MessageView:
    """A message as one person sees it: as its sender, its recipient, or both."""

    message: Message
    delivery: MessageRecipient | None  # the person's own copy, when they received it
    is_sender: bool


def message_access(*, user: Any, pk: int) -> MessageView:
    """Fetch a message the user sent or received, or the same NotFound as a missing one."""
    if not access.can(user, perms.MAILBOX):
        raise _not_found()
    message = (
        Message.objects.select_related("sender")
        .filter(Q(sender_id=user.pk) | Q(deliveries__recipient_id=user.pk), pk=pk)
        .prefetch_related("files")
        .distinct()
        .first()
    )
    if message is None:
        raise _not_found()
    delivery = MessageRecipient.objects.filter(message=message, recipient_id=user.pk).first()
    return MessageView(message=message, delivery=delivery, is_sender=message.sender_id == user.pk)


def read_status(message: Message) -> QuerySet[MessageRecipient]:
    """Return who received a message and when they read it: unread first, then by time read."""
    return (
        MessageRecipient.objects.filter(message=message)
        .select_related("recipient")
        .only("id", "read_at", "recipient__username", "recipient__display_name")
        .order_by(F("read_at").asc(nulls_first=True), "recipient__display_name", "id")
    )


def file_access(*, user: Any, key: uuid.UUID) -> MessageFile:
    """Fetch an attachment of a message the user sent or received, else NotFound."""
    if not access.can(user, perms.MAILBOX):
        raise _not_found()
    found = (
        MessageFile.objects.filter(uuid=key)
        .filter(Q(messages__sender_id=user.pk) | Q(messages__deliveries__recipient_id=user.pk))
        .distinct()
        .first()
    )
    if found is None:
        raise _not_found()
    return found


def unread_mail_count(user: Any) -> int:
    if not access.can(user, perms.MAILBOX):
        return 0
    return MessageRecipient.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


# ----------------------------------------------------------------------------- notifications


def notifications(user: Any) -> QuerySet[Notification]:
    """Return the user's notifications: unread first, then newest first."""
    if not access.can(user, perms.NOTIFICATIONS):
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=user.pk).order_by(
        F("read_at").asc(nulls_first=True), "-created_at", "-id"
    )


def notification_access(*, user: Any, pk: int) -> Notification:
    """Fetch one of the user's notifications, or the same NotFound as a missing one."""
    found = notifications(user).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("This notification does not exist, or you may not see it."))
    return found


def unread_notifications(user: Any) -> QuerySet[Notification]:
    return notifications(user).filter(read_at__isnull=True)


def delivery_of(user: Any) -> str:
    """Return how the user gets notifications by e-mail (the default when never chosen)."""
    if getattr(user, "pk", None) is None:
        return EmailDelivery.EACH
    chosen = MailPreference.objects.filter(user_id=user.pk).values_list("delivery", flat=True)
    return chosen.first() or EmailDelivery.EACH
