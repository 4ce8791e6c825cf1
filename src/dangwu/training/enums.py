from django.db import models
from django.utils.translation import gettext_lazy as _


class TypingLevel(models.IntegerChoices):
    BEGINNER = 1, _("Beginner")  # 入门: short sentences
    INTERMEDIATE = 2, _("Intermediate")  # 进阶: a paragraph
    ADVANCED = 3, _("Advanced")  # 提高: a longer passage


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # 草稿: only the school administrators see it
    ACTIVE = "active", _("In progress")  # 进行中: people owe its items
    CLOSED = "closed", _("Closed")  # 已结束: kept for the record, nobody owes anything


class TargetKind(models.TextChoices):
    ORGANIZATION = "organization", _("Organization and everything under it")
    ROLE = "role", _("Everyone holding a role")
    PERSON = "person", _("A named person")
