"""Notifications (what the platform tells a person), e-mail preferences and internal mail."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangwu.messages.enums import EmailDelivery


class Notification(models.Model):
    """One thing the platform tells one person; shown in the notification centre and 我的待办."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=40)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Whether it should reach the person by e-mail too, and when it did (one mail or a digest).
    email = models.BooleanField(default=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"], name="mail_notif_inbox"),
            # What the mail task and the digest look for: small, since sent mail leaves it.
            models.Index(
                fields=["recipient"],
                condition=Q(email=True, emailed_at__isnull=True),
                name="mail_notif_unmailed",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class MailPreference(models.Model):
    """A person's choice of e-mail delivery; no row means the default (one mail each)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="mail_preference",
    )
    delivery = models.CharField(
        _("e-mail delivery"),
        max_length=10,
        choices=EmailDelivery.choices,
        default=EmailDelivery.EACH,
    )

    def __str__(self) -> str:
        return f"{self.user}: {self.delivery}"


def message_file_path(instance: "MessageFile", filename: str) -> str:
    # A random name: the original (Chinese) name is kept in the row, never trusted as a path.
    return f"mail/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class MessageFile(models.Model):
    """A file attached to one or more messages: a forward links the same row, no copy."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(upload_to=message_file_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class Message(models.Model):
    """A message written by a person; its recipients are the rows of ``MessageRecipient``."""

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sent_messages"
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    # What the sender chose ([{"kind", "id", "label"}]), shown as "To": the people it reached are
    # the recipient rows.
    addressees = models.JSONField(default=list, blank=True)
    recipient_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    forwarded_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="forwards"
    )
    files = models.ManyToManyField(MessageFile, blank=True, related_name="messages")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["sender", "-created_at"], name="mail_message_sent")]

    def __str__(self) -> str:
        return self.subject

    @property
    def scope_path(self) -> str:
        # Mail belongs to people, not to an organization subtree: no subtree contains it.
        return ""


class MessageRecipient(models.Model):
    """One person a message reached, and when they read it (what the sender sees)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_received"
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["message", "recipient"], name="mail_recipient_once")
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="mail_inbox")]

    def __str__(self) -> str:
        return f"{self.message_id} → {self.recipient_id}"
