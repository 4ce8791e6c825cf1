"""Incoming documents (收文) with their files, assignments, circulation and trail."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangwu.incoming.enums import Classification, IncomingStatus, Step, Urgency


class IncomingDocument(models.Model):
    """A document received from a higher level (or another body), registered by a clerk."""

    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("receiving organization"),
    )
    source = models.CharField(_("sent by"), max_length=100)  # 来文机关
    source_number = models.CharField(_("document number"), max_length=60, blank=True)  # 文号
    title = models.CharField(_("title"), max_length=200)
    document_date = models.DateField(_("date of the document"))  # 成文日期
    received_on = models.DateField(_("date received"))  # 收文日期
    urgency = models.CharField(
        _("urgency"), max_length=20, choices=Urgency.choices, default=Urgency.NORMAL
    )
    classification = models.CharField(
        _("classification"),
        max_length=10,
        choices=Classification.choices,
        default=Classification.NON_SECRET,
    )
    copies = models.PositiveIntegerField(_("copies"), default=1)
    status = models.CharField(
        _("state"),
        max_length=20,
        choices=IncomingStatus.choices,
        default=IncomingStatus.REGISTERED,
        db_index=True,
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    registered_at = models.DateTimeField(default=timezone.now)
    proposal = models.TextField(_("proposed handling"), blank=True)  # 拟办意见
    # The leader asked to instruct (批办); shown in that leader's 我的待办.
    instruction_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("leader to instruct"),
    )
    instruction = models.TextField(_("leader's instruction"), blank=True)  # 批办意见
    instructed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    instructed_at = models.DateTimeField(null=True, blank=True)
    result = models.TextField(_("result"), blank=True)  # 办理结果
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["organization", "status", "received_on"])]
        verbose_name = _("incoming document")
        verbose_name_plural = _("incoming documents")

    def __str__(self) -> str:
        return self.title

    @property
    def scope_path(self) -> str:
        return self.organization.path


def file_path(instance: "IncomingFile", filename: str) -> str:
    # A random storage name: the original (Chinese) name stays in the row, never used as a path.
    return f"incoming/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class IncomingFile(models.Model):
    """A scan or electronic file of an incoming document, checked by content (core.files)."""

    document = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=file_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    text = models.TextField(blank=True)  # extracted for search
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("file")
        verbose_name_plural = _("files")

    def __str__(self) -> str:
        return self.original_name


class Assignment(models.Model):
    """承办: a person or a department handles the document by a deadline; one may lead (主办)."""

    document = models.ForeignKey(
        IncomingDocument, on_delete=models.CASCADE, related_name="assignments"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("person"),
    )
    department = models.ForeignKey(
        "orgs.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
    )
    is_lead = models.BooleanField(_("lead (主办)"), default=False)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-is_lead", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(assignee__isnull=False) | models.Q(department__isnull=False),
                name="incoming_assignment_has_someone",
            )
        ]

    def __str__(self) -> str:
        return str(self.assignee or self.department)


class Circulation(models.Model):
    """传阅: one leader's copy in circulation; unread while ``read_at`` is empty."""

    document = models.ForeignKey(
        IncomingDocument, on_delete=models.CASCADE, related_name="circulations"
    )
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["sent_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "reader"], name="incoming_reader_once")
        ]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.reader_id}"


class TrailEntry(models.Model):
    """One step of the document's handling: who, when, and what they wrote."""

    document = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE, related_name="trail")
    step = models.CharField(max_length=20, choices=Step.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.document_id} {self.step} {self.at:%Y-%m-%d %H:%M}"
