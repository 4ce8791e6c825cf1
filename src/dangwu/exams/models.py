"""The question bank, exams (fixed papers or rules), attempts, answers and certificates."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangwu.exams.enums import (
    AttemptStatus,
    Difficulty,
    ExamStatus,
    PaperMode,
    QuestionKind,
)


class Question(models.Model):
    """A question of the bank; ``answer`` is "A", "AC", "T"/"F" or fill-in alternatives "a|b"."""

    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organization"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    stem = models.TextField(_("question"))
    options = models.JSONField(_("options"), default=list, blank=True)
    answer = models.CharField(_("answer"), max_length=500)
    explanation = models.TextField(_("explanation"), blank=True)
    # ",党章,党史,": one delimited text so that a tag filter is a plain LIKE on every database.
    tags = models.CharField(_("tags"), max_length=300, blank=True, db_index=True)
    difficulty = models.CharField(
        _("difficulty"), max_length=10, choices=Difficulty.choices, default=Difficulty.MEDIUM
    )
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "difficulty", "active"])]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.stem[:40]

    @property
    def scope_path(self) -> str:
        return self.organization.path

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split(",") if t]


class Exam(models.Model):
    """An exam: a fixed paper or one drawn from the question bank by rules."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    organization = models.ForeignKey(
        "orgs.Organization",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organization"),
    )
    # Who may take it: the people of this organization and everything under it.
    audience = models.ForeignKey(
        "orgs.Organization",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("who takes it"),
    )
    course = models.ForeignKey(
        "school.Course",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exams",
        verbose_name=_("course"),
    )
    mode = models.CharField(
        _("paper"), max_length=10, choices=PaperMode.choices, default=PaperMode.FIXED
    )
    time_limit_minutes = models.PositiveIntegerField(_("time limit (minutes)"), default=30)
    attempts_allowed = models.PositiveIntegerField(_("attempts allowed"), default=1)
    # A percentage of the full marks (0–100), so it holds whatever the paper's total.
    pass_mark = models.PositiveIntegerField(_("pass mark (%)"), default=60)
    shuffle_options = models.BooleanField(_("shuffle the options"), default=False)
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ExamStatus.choices, default=ExamStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, null=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status"])]
        verbose_name = _("exam")
        verbose_name_plural = _("exams")

    def __str__(self) -> str:
        return self.title

    @property
    def scope_path(self) -> str:
        return self.organization.path if self.organization else ""


class ExamQuestion(models.Model):
    """A question of a fixed paper, with its points."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="paper")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveIntegerField(default=0)
    points = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "question"], name="exams_paper_question_once")
        ]

    def __str__(self) -> str:
        return f"{self.exam_id}:{self.question_id}"


class ExamRule(models.Model):
    """Draw ``count`` active questions of ``kind`` (with ``tag``, of ``difficulty``) per attempt."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="rules")
    order = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    tag = models.CharField(_("tag"), max_length=30, blank=True)
    difficulty = models.CharField(
        _("difficulty"), max_length=10, choices=Difficulty.choices, blank=True
    )
    count = models.PositiveIntegerField(_("number of questions"))
    points = models.PositiveIntegerField(_("points each"), default=1)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.kind} × {self.count}"


class Attempt(models.Model):
    """One sitting of an exam by one person; ``paper`` keeps the drawn questions and orders.

    ``paper`` is a list of ``{"q": question id, "points": n, "order": [option indexes]}`` in the
    order shown, so a reopened attempt shows the same paper with the same option order.
    """

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exam_attempts"
    )
    # The person's organization when they started: statistics are grouped and scoped by it.
    organization = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    number = models.PositiveIntegerField(default=1)
    status = models.CharField(
        max_length=20, choices=AttemptStatus.choices, default=AttemptStatus.IN_PROGRESS
    )
    started_at = models.DateTimeField()
    deadline = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    paper = models.JSONField(default=list)
    total_points = models.PositiveIntegerField(default=0)
    score = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)
    # score as a percentage of total_points, for distributions across papers of any size.
    percent = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["exam", "user", "number"], name="exams_attempt_number_once"
            )
        ]
        indexes = [
            models.Index(fields=["exam", "user"]),
            models.Index(fields=["status", "deadline"]),
        ]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")

    def __str__(self) -> str:
        return f"{self.exam} #{self.number}"

    @property
    def scope_path(self) -> str:
        return self.organization.path if self.organization else ""

    @property
    def question_ids(self) -> list[int]:
        return [int(item["q"]) for item in self.paper]


class Answer(models.Model):
    """The response to one question of an attempt, saved as the person goes."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    response = models.CharField(max_length=500, blank=True)
    saved_at = models.DateTimeField()
    correct = models.BooleanField(null=True, blank=True)
    points = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question"], name="exams_answer_once_per_question"
            )
        ]
        indexes = [models.Index(fields=["question", "correct"])]

    def __str__(self) -> str:
        return f"{self.attempt_id}:{self.question_id}"


class Certificate(models.Model):
    """The certificate of a passed attempt."""

    attempt = models.OneToOneField(Attempt, on_delete=models.CASCADE, related_name="certificate")
    number = models.CharField(max_length=40, unique=True)
    issued_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.number
