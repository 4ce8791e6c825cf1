from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangwu.access import Role
from dangwu.training.enums import PlanStatus, TargetKind, TypingLevel


class TrainingPlan(models.Model):
    """A training plan (培训计划): courses and exams owed by organizations, roles or people."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organization"),
    )
    starts_on = models.DateField(_("starts on"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["status", "due_on"])]
        verbose_name = _("training plan")
        verbose_name_plural = _("training plans")

    def __str__(self) -> str:
        return self.title

    @property
    def scope_path(self) -> str:
        return self.organization.path


class PlanItem(models.Model):
    """One course or one exam a plan assigns."""

    plan = models.ForeignKey(TrainingPlan, on_delete=models.CASCADE, related_name="items")
    course = models.ForeignKey(
        "school.Course", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    exam = models.ForeignKey(
        "exams.Exam", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(course__isnull=False, exam__isnull=True)
                | Q(course__isnull=True, exam__isnull=False),
                name="training_item_course_or_exam",
            ),
            models.UniqueConstraint(fields=["plan", "course"], name="training_item_course_once"),
            models.UniqueConstraint(fields=["plan", "exam"], name="training_item_exam_once"),
        ]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")

    def __str__(self) -> str:
        return str(self.course or self.exam)


class PlanTarget(models.Model):
    """Who owes a plan: an organization subtree, a role held in a subtree, or a named person."""

    plan = models.ForeignKey(TrainingPlan, on_delete=models.CASCADE, related_name="targets")
    kind = models.CharField(max_length=20, choices=TargetKind.choices)
    # ORGANIZATION: the subtree; ROLE: the subtree the role must be held in (the plan's own).
    organization = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(max_length=20, blank=True, choices=Role.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        ordering = ["plan", "kind", "id"]
        indexes = [models.Index(fields=["kind", "role"])]
        verbose_name = _("plan target")
        verbose_name_plural = _("plan targets")

    def __str__(self) -> str:
        return f"{self.kind}:{self.organization_id or self.role or self.user_id}"


class PlanReminder(models.Model):
    """When a person was last reminded of a plan's overdue items (at most once per interval)."""

    plan = models.ForeignKey(TrainingPlan, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "user"], name="training_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}:{self.user_id}"


class TypingText(models.Model):
    """A Chinese passage for the typing practice (汉字输入练习)."""

    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("text"))
    level = models.PositiveSmallIntegerField(
        _("level"), choices=TypingLevel.choices, default=TypingLevel.BEGINNER
    )
    active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["level", "id"]
        verbose_name = _("typing text")
        verbose_name_plural = _("typing texts")

    def __str__(self) -> str:
        return self.title


class TypingSession(models.Model):
    """One finished typing exercise; every figure computed by the server."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="typing_sessions"
    )
    text = models.ForeignKey(TypingText, on_delete=models.PROTECT, related_name="sessions")
    # The start token's random part: a token counts once.
    nonce = models.CharField(max_length=32, unique=True)
    typed = models.TextField(blank=True)
    typed_chars = models.PositiveIntegerField(_("characters typed"))
    correct_chars = models.PositiveIntegerField(_("correct characters"))
    seconds = models.PositiveIntegerField(_("seconds"))
    chars_per_minute = models.DecimalField(
        _("characters per minute"), max_digits=6, decimal_places=1
    )
    accuracy = models.DecimalField(_("accuracy (%)"), max_digits=5, decimal_places=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "created_at"])]
        verbose_name = _("typing result")
        verbose_name_plural = _("typing results")

    def __str__(self) -> str:
        return f"{self.user_id} {self.chars_per_minute}/min"
