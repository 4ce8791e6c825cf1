"""Courses, lessons and learning records of the online Party school (网上党校)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangwu.school.enums import CourseCategory, CourseStatus, LessonKind


class Course(models.Model):
    """A course of the online Party school: lessons with study hours (学时)."""

    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(
        _("category"), max_length=20, choices=CourseCategory.choices, default=CourseCategory.OTHER
    )
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("state"),
        max_length=20,
        choices=CourseStatus.choices,
        default=CourseStatus.DRAFT,
        db_index=True,
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organization"),
    )
    prerequisites = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="required_by",
        verbose_name=_("prerequisites"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["category", "title", "id"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return self.title

    @property
    def scope_path(self) -> str:
        return self.organization.path


def lesson_file_path(instance: models.Model, filename: str) -> str:
    # A random storage name: the original (Chinese) name stays in the row, never used as a path.
    return f"school/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Lesson(models.Model):
    """One lesson of a course: text, a PDF, a video, slides or a practice exercise."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=LessonKind.choices)
    hours = models.DecimalField(_("study hours (学时)"), max_digits=4, decimal_places=1)
    required_minutes = models.PositiveIntegerField(_("minutes of study required"))
    body = models.TextField(_("text"), blank=True)  # sanitized HTML (core.html)
    file = models.FileField(upload_to=lesson_file_path, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    # A video's length, read from the file when it is uploaded (None when it cannot be read).
    duration_seconds = models.PositiveIntegerField(
        _("video length (seconds)"), null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["course_id", "order", "id"]
        indexes = [models.Index(fields=["course", "order"])]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def __str__(self) -> str:
        return self.title

    @property
    def scope_path(self) -> str:
        return self.course.scope_path

    @property
    def required_seconds(self) -> int:
        return self.required_minutes * 60


class LessonSlide(models.Model):
    """One picture of a slides lesson made of pictures (shown in order)."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="slides")
    order = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=lesson_file_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["lesson_id", "order", "id"]
        verbose_name = _("slide")
        verbose_name_plural = _("slides")

    def __str__(self) -> str:
        return self.original_name


class LessonProgress(models.Model):
    """One person's study of one lesson: the seconds credited, and when it was completed.

    ``last_beat_at`` and ``position`` are the activity state the heartbeat checks against:
    the server credits at most the time elapsed since the previous beat, and a video's watched
    position cannot advance faster than real time.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    seconds = models.PositiveIntegerField(_("seconds studied"), default=0)
    position = models.PositiveIntegerField(_("video watched up to (seconds)"), default=0)
    started_at = models.DateTimeField(default=timezone.now)
    last_beat_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # The lesson's 学时 at completion: later changes to the lesson do not rewrite past years.
    hours = models.DecimalField(max_digits=4, decimal_places=1, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="school_progress_once")
        ]
        indexes = [
            models.Index(fields=["user", "last_beat_at"]),
            models.Index(fields=["user", "completed_at"]),
        ]
        verbose_name = _("learning record")
        verbose_name_plural = _("learning records")

    def __str__(self) -> str:
        return f"{self.user_id}/{self.lesson_id}"

    @property
    def completed(self) -> bool:
        return self.completed_at is not None
