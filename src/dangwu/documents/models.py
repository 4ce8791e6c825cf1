import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangwu.documents.enums import (
    Classification,
    Disclosure,
    DocType,
    DocumentStatus,
    GroupRule,
    ReceiptStatus,
    RecipientKind,
    StepAction,
    Urgency,
)


class RecipientGroup(models.Model):
    """A saved group of recipients: a rule evaluated at distribution, or an explicit list."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    rule = models.CharField(_("rule"), max_length=30, choices=GroupRule.choices)
    organizations = models.ManyToManyField(
        "orgs.Organization", blank=True, related_name="+", verbose_name=_("organizations")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("recipient group")
        verbose_name_plural = _("recipient groups")

    def __str__(self) -> str:
        return self.name


class Document(models.Model):
    """An outgoing official document (发文); numbered at sign-off, then distributed."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    doc_type = models.CharField(_("type"), max_length=20, choices=DocType.choices)
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("issuing organization"),
    )
    # 发文机关标志: the name printed in red at the top ("中共XX市直属机关工作委员会文件").
    issuer_mark = models.CharField(_("issuer mark"), max_length=60)
    code = models.CharField(_("issuer code (机关代字)"), max_length=20)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    serial = models.PositiveIntegerField(null=True, blank=True)
    urgency = models.CharField(
        _("urgency"), max_length=20, choices=Urgency.choices, default=Urgency.NORMAL
    )
    classification = models.CharField(
        _("classification"),
        max_length=20,
        choices=Classification.choices,
        default=Classification.NONE,
    )
    disclosure = models.CharField(
        _("disclosure (公开属性)"), max_length=20, choices=Disclosure.choices
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    body_text = models.TextField(blank=True)
    main_organizations = models.ManyToManyField(
        "orgs.Organization", blank=True, related_name="+", verbose_name=_("main recipients")
    )
    main_groups = models.ManyToManyField(
        RecipientGroup, blank=True, related_name="+", verbose_name=_("main recipient groups")
    )
    copy_organizations = models.ManyToManyField(
        "orgs.Organization", blank=True, related_name="+", verbose_name=_("copy recipients")
    )
    copy_groups = models.ManyToManyField(
        RecipientGroup, blank=True, related_name="+", verbose_name=_("copy recipient groups")
    )
    # The 主送 / 抄送 lines as printed; filled from the choice unless the drafter writes them.
    main_line = models.CharField(_("main recipients as printed"), max_length=500, blank=True)
    copy_line = models.CharField(_("copy recipients as printed"), max_length=500, blank=True)
    contact = models.CharField(_("contact person and phone"), max_length=100, blank=True)
    reply_required = models.BooleanField(_("a reply is asked for"), default=False)
    reply_due = models.DateTimeField(_("reply by"), null=True, blank=True)
    late_replies_closed = models.BooleanField(_("refuse late replies"), default=False)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DocumentStatus.choices,
        default=DocumentStatus.DRAFT,
        db_index=True,
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signer_name = models.CharField(_("signed off by"), max_length=60, blank=True)
    signed_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    distributed_at = models.DateTimeField(_("distributed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            # The database itself refuses a second document with the same number.
            models.UniqueConstraint(
                fields=["organization", "code", "year", "serial"],
                condition=Q(serial__isnull=False),
                name="documents_unique_number",
            )
        ]
        verbose_name = _("official document")
        verbose_name_plural = _("official documents")

    def __str__(self) -> str:
        return self.title

    @property
    def scope_path(self) -> str:
        return self.organization.path

    @property
    def number(self) -> str:
        """发文字号: 机关代字〔year〕N号 (no leading zeros, no 第); empty until sign-off."""
        if self.serial is None:
            return ""
        return f"{self.code}〔{self.year}〕{self.serial}号"


class NumberSequence(models.Model):
    """The last serial used per organization, 机关代字 and year; locked while a number is taken."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code", "year"], name="documents_unique_sequence"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code}〔{self.year}〕{self.last}"


class DocumentStep(models.Model):
    """Who did what to a document and when (draft, review, sign-off, distribution)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(max_length=20, choices=StepAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    comment = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.document_id} {self.action}"


class Receipt(models.Model):
    """One recipient organization's copy of a distributed document and what it did with it."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="receipts")
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="document_receipts"
    )
    kind = models.CharField(max_length=10, choices=RecipientKind.choices)
    status = models.CharField(
        _("state"), max_length=20, choices=ReceiptStatus.choices, default=ReceiptStatus.UNSIGNED
    )
    created_at = models.DateTimeField(_("received at"), default=timezone.now)
    signed_at = models.DateTimeField(_("signed for at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reply_text = models.TextField(_("reply"), blank=True)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    reminder_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["organization__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "organization"], name="documents_one_receipt_per_organization"
            )
        ]
        indexes = [
            models.Index(fields=["organization", "status"]),
            models.Index(fields=["document", "status"]),
            models.Index(fields=["status", "last_reminded_at"]),
        ]
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")

    def __str__(self) -> str:
        return f"{self.document_id} → {self.organization_id}"

    @property
    def scope_path(self) -> str:
        return self.organization.path


class ReceiptNote(models.Model):
    """A progress note while a receipt is handled (办理)."""

    receipt = models.ForeignKey(Receipt, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=150, blank=True)
    text = models.TextField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.text[:40]


def file_path(instance: "DocumentFile", filename: str) -> str:
    # A random stored name; the original (Chinese) name stays in the row.
    return f"documents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class DocumentFile(models.Model):
    """An attachment of a document (附件) or of a receipt's reply; checked by content."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    receipt = models.ForeignKey(
        Receipt, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(upload_to=file_path)
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
        constraints = [
            models.CheckConstraint(
                condition=Q(document__isnull=False, receipt__isnull=True)
                | Q(document__isnull=True, receipt__isnull=False),
                name="documents_file_belongs_to_one",
            )
        ]

    def __str__(self) -> str:
        return self.original_name
