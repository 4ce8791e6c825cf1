from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmissionKind(models.TextChoices):
    NEWS = "news", _("Work news")  # 工作动态
    PRACTICE = "practice", _("Good practice")  # 经验做法
    SUGGESTION = "suggestion", _("Problem or suggestion")  # 问题建议
    THEORY = "theory", _("Theoretical article")  # 理论文章
    OTHER = "other", _("Other")  # 其他


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # 草稿
    AWAITING_APPROVAL = (
        "awaiting_approval",
        _("Awaiting the organization's approval"),
    )  # 待本单位审核
    SUBMITTED = "submitted", _("Sent to the committee")  # 已报送
    ADOPTED = "adopted", _("Adopted")  # 已采用
    RETURNED = "returned", _("Returned")  # 已退回
    DECLINED = "declined", _("Declined")  # 未采用


# The states the submitter may still change the text in.
EDITABLE = frozenset({SubmissionStatus.DRAFT, SubmissionStatus.RETURNED})
# The states in which an item has reached the committee (the editors' inbox, the ranking).
SENT = frozenset(
    {
        SubmissionStatus.SUBMITTED,
        SubmissionStatus.ADOPTED,
        SubmissionStatus.RETURNED,
        SubmissionStatus.DECLINED,
    }
)


class Placement(models.TextChoices):
    """Where an adopted item was used; each use earns the points of the scoring table."""

    INTERNAL = "internal", _("Internal column")  # 内网栏目
    PUBLIC = "public", _("Public column")  # 公开栏目
    UPWARD = "upward", _("Forwarded upward")  # 上报


class Channel(models.TextChoices):
    INTERNAL = "internal", _("Internal site")  # 内网报送
    PUBLIC_INTAKE = "public_intake", _("Public site intake form")  # 互联网报送


class FileRole(models.TextChoices):
    PHOTO = "photo", _("Photo")
    ATTACHMENT = "attachment", _("Attachment")
    INLINE = "inline", _("Picture in the text")  # from a Word file


class EventAction(models.TextChoices):
    CREATED = "created", _("Created")
    EDITED = "edited", _("Changed")
    FILE_ADDED = "file_added", _("File added")
    FILE_REMOVED = "file_removed", _("File removed")
    SENT_FOR_APPROVAL = "sent_for_approval", _("Sent for the organization's approval")
    APPROVED = "approved", _("Approved by the organization")
    SUBMITTED = "submitted", _("Submitted to the committee")
    RECEIVED = "received", _("Received from the public site")
    ADOPTED = "adopted", _("Adopted")
    RETURNED = "returned", _("Returned with a comment")
    DECLINED = "declined", _("Declined")
    FORWARDED = "forwarded", _("Forwarded upward")
