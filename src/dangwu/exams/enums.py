"""Kinds, states and labels of the question bank and exams."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True or false")
    FILL = "fill", _("Fill in the blank")


class Difficulty(models.TextChoices):
    EASY = "easy", _("Easy")
    MEDIUM = "medium", _("Medium")
    HARD = "hard", _("Hard")


class ExamStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")


class PaperMode(models.TextChoices):
    FIXED = "fixed", _("Fixed paper")
    RULES = "rules", _("Drawn from the bank by rules")


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("Being answered")
    SUBMITTED = "submitted", _("Handed in")
    # Time ran out before the person submitted: graded with the answers saved in time.
    EXPIRED = "expired", _("Time ran out")


CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE})
OPTION_LETTERS = "ABCDEFGH"
MIN_OPTIONS, MAX_OPTIONS = 2, len(OPTION_LETTERS)
TRUE, FALSE = "T", "F"

# The labels of the Excel import and export (the template's columns and its cell values).
KIND_LABELS = {
    "单选": QuestionKind.SINGLE,
    "多选": QuestionKind.MULTIPLE,
    "判断": QuestionKind.TRUE_FALSE,
    "填空": QuestionKind.FILL,
}
DIFFICULTY_LABELS = {"易": Difficulty.EASY, "中": Difficulty.MEDIUM, "难": Difficulty.HARD}
