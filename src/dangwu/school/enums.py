"""Fixed vocabularies of the online Party school (网上党校)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CourseCategory(models.TextChoices):
    THEORY = "theory", _("Theory study")  # 理论学习
    CHARTER = "charter", _("Party Constitution and regulations")  # 党章党规
    HISTORY = "history", _("Party history")  # 党史
    BUSINESS = "business", _("Professional knowledge")  # 业务知识
    COMPUTER = "computer", _("Computer basics")  # 计算机基础
    OTHER = "other", _("Other")  # 其他


class CourseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft (not yet open)")
    PUBLISHED = "published", _("Published (open for study)")


class LessonKind(models.TextChoices):
    TEXT = "text", _("Text")
    PDF = "pdf", _("PDF document")
    VIDEO = "video", _("Video")
    SLIDES = "slides", _("Slides")
    PRACTICE = "practice", _("Practice")


# The kinds whose lesson has one uploaded file (slides may instead be a set of pictures).
FILE_KINDS = frozenset({LessonKind.PDF, LessonKind.VIDEO, LessonKind.SLIDES})

# 党员教育管理工作条例 (2019) 第二十条: at least 32 学时 of concentrated study a year (DOMAIN.md).
YEARLY_HOURS_REQUIRED = 32
