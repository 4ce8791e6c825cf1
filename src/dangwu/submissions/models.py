"""Submissions (信息报送): items grassroots organizations send the committee, their files and
history, the scoring table, calls for submissions, each organization's settings, and the two
public-site tables of the intake form (which hold rows only until the next bundle is taken)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangwu.core.personal import EncryptedTextField
from dangwu.submissions.enums import (
    Channel,
    EventAction,
    FileRole,
    Placement,
    SubmissionKind,
    SubmissionStatus,
)


class SubmissionSettings(models.Model):
    """An organization's own rules for its submissions, kept by its secretary.

    ``intake_code_hash`` is the (slow, salted) hash of the code with which the organization
    identifies itself on the public site's intake form; the code itself is shown once.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.OneToOneField(
        "orgs.Organization", on_delete=models.CASCADE, related_name="submission_settings"
    )
    requires_approval = models.BooleanField(
        _("the secretary approves each item before it is sent"), default=False
    )
    members_may_submit = models.BooleanField(_("members may submit items"), default=False)
    intake_code_hash = models.CharField(max_length=200, blank=True)
    intake_code_set_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("submission settings")
        verbose_name_plural = _("submission settings")

    def __str__(self) -> str:
        return str(self.organization)

    @property
    def scope_path(self) -> str:
        return self.organization.path


class ScoreRule(models.Model):
    """The scoring table: how many points an adoption earns for each place it was used."""

    placement = models.CharField(
        _("where it was used"), max_length=20, choices=Placement.choices, unique=True
    )
    points = models.PositiveSmallIntegerField(_("points"))

    class Meta:
        ordering = ["points", "placement"]
        verbose_name = _("scoring rule")
        verbose_name_plural = _("scoring table")

    def __str__(self) -> str:
        return f"{self.get_placement_display()}: {self.points}"


class Call(models.Model):
    """A call for submissions (约稿 / 征集): a topic, a date, the organizations asked."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("calling organization"),
    )
    title = models.CharField(_("topic"), max_length=200)
    description = models.TextField(_("what is asked for"), blank=True)
    due_on = models.DateField(_("answer by"))
    all_organizations = models.BooleanField(_("all organizations"), default=False)
    organizations = models.ManyToManyField(
        "orgs.Organization", blank=True, related_name="+", verbose_name=_("organizations asked")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-due_on", "-id"]
        verbose_name = _("call for submissions")
        verbose_name_plural = _("calls for submissions")

    def __str__(self) -> str:
        return self.title

    @property
    def scope_path(self) -> str:
        return self.organization.path


class Submission(models.Model):
    """One item an organization sends the committee, from draft to the editors' decision."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name=_("organization"),
    )
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
    )
    submitter_name = models.CharField(_("submitted by"), max_length=150, blank=True)
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.INTERNAL)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=SubmissionKind.choices)
    body = models.TextField(_("body"), blank=True)
    body_text = models.TextField(blank=True)
    suggested_column = models.ForeignKey(
        "portal.Column",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("suggested column"),
    )
    contact_name = models.CharField(_("contact person"), max_length=60, blank=True)
    contact_phone = EncryptedTextField(_("contact phone"), blank=True)
    contact_phone_masked = models.CharField(_("contact phone"), max_length=20, blank=True)
    call = models.ForeignKey(
        Call,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
        verbose_name=_("answers the call"),
    )
    status = models.CharField(
        _("state"), max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    # When the item first reached the committee: the ranking counts it in that period.
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The last comment of a return or the reason of a decline, as the submitter reads it.
    comment = models.TextField(_("comment"), blank=True)
    article = models.OneToOneField(
        "portal.Article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submission",
        verbose_name=_("article"),
    )
    placement = models.CharField(_("used in"), max_length=20, choices=Placement.choices, blank=True)
    forwarded = models.BooleanField(_("forwarded upward"), default=False)
    points = models.PositiveSmallIntegerField(_("points"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            # The inbox by state, newest first; the ranking's period scan.
            models.Index(fields=["status", "submitted_at"], name="submission_state_time"),
            models.Index(
                fields=["submitted_at", "organization", "status", "points"],
                name="submission_ranking",
            ),
            models.Index(fields=["submitter", "status"], name="submission_mine"),
        ]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self) -> str:
        return self.title

    @property
    def scope_path(self) -> str:
        return self.organization.path


def file_path(instance: "SubmissionFile", filename: str) -> str:
    # The stored name says nothing about the content; the original name is kept in the row.
    return f"submissions/{instance.uuid.hex[:2]}/{instance.uuid.hex}"


class SubmissionFile(models.Model):
    """A photo, an attachment, or a picture of a Word file's text, checked by content."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    role = models.CharField(max_length=20, choices=FileRole.choices)
    file = models.FileField(upload_to=file_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def scope_path(self) -> str:
        return self.submission.organization.path


class SubmissionEvent(models.Model):
    """One step of a submission's history: who did what, with the comment they wrote."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30, choices=EventAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.submission_id} {self.action}"


# ------------------------------------------------------------------ the public site's two tables


class IntakeAccess(models.Model):
    """On the public site: an organization that may use the intake form, and its code's hash.

    Arrives from the internal site in the exchange bundle (``submissions.intake_access``).
    """

    uuid = models.UUIDField(unique=True)
    organization_code = models.CharField(max_length=40, unique=True)
    organization_name = models.CharField(max_length=120)
    code_hash = models.CharField(max_length=200)

    class Meta:
        ordering = ["organization_name"]

    def __str__(self) -> str:
        return self.organization_name


class IntakeItem(models.Model):
    """On the public site: an item sent through the intake form, until the next bundle takes it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization_code = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=SubmissionKind.choices)
    body = models.TextField(blank=True)
    contact_name = models.CharField(max_length=60)
    contact_phone = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


def intake_file_path(instance: "IntakeFile", filename: str) -> str:
    return f"intake/{instance.uuid.hex}"


class IntakeFile(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.ForeignKey(IntakeItem, on_delete=models.CASCADE, related_name="files")
    role = models.CharField(max_length=20, choices=FileRole.choices)
    file = models.FileField(upload_to=intake_file_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name
