from django.db import models
from django.utils.translation import gettext_lazy as _


class IncomingStatus(models.TextChoices):
    """收文办理: 登记 → 拟办 → 批办 → 承办 → 办结 (传阅 runs alongside, see services)."""

    REGISTERED = "registered", _("Registered")  # 已登记, waiting for the clerk's proposal
    PROPOSED = "proposed", _("Waiting for the leader's instruction")  # 已拟办, 待批办
    INSTRUCTED = "instructed", _("Instructed")  # 已批办, waiting for assignment
    HANDLING = "handling", _("Being handled")  # 承办中
    COMPLETED = "completed", _("Completed")  # 已办结


class Urgency(models.TextChoices):
    VERY_URGENT = "very_urgent", _("Very urgent")  # 特急
    URGENT = "urgent", _("Urgent")  # 加急
    NORMAL = "normal", _("Normal")  # 平件


class Classification(models.TextChoices):
    """The only 密级 this non-classified platform accepts (涉密不上网)."""

    NON_SECRET = "非密", _("Not classified")
    INTERNAL = "内部", _("Internal (not a state secret)")


class Step(models.TextChoices):
    """One entry of a document's trail: who did what, when."""

    REGISTERED = "registered", _("Registered")
    FILE_ADDED = "file_added", _("File added")
    PROPOSED = "proposed", _("Proposed handling")
    INSTRUCTED = "instructed", _("Leader's instruction")
    ASSIGNED = "assigned", _("Assigned")
    CIRCULATED = "circulated", _("Sent round for reading")
    READ = "read", _("Read")
    COMPLETED = "completed", _("Completed")


# Where the trail may still grow: everything but a completed document.
OPEN = frozenset(
    {
        IncomingStatus.REGISTERED,
        IncomingStatus.PROPOSED,
        IncomingStatus.INSTRUCTED,
        IncomingStatus.HANDLING,
    }
)
