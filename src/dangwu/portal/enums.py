from django.db import models
from django.utils.translation import gettext_lazy as _


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # 草稿
    SUBMITTED = "submitted", _("Submitted for review")  # 待审核
    RETURNED = "returned", _("Returned")  # 已退回
    PUBLISHED = "published", _("Published")  # 已发布 (or scheduled, when publish_at is ahead)
    WITHDRAWN = "withdrawn", _("Withdrawn")  # 已撤回


class SourceKind(models.TextChoices):
    COMMITTEE = "committee", _("Published by the committee")  # 工委发布
    GRASSROOTS = "grassroots", _("Contribution from a grassroots organization")  # 基层来稿
    DIGEST = "digest", _("Digest of Party newspapers and journals")  # 党报党刊摘编
    SPEECH = "speech", _("Leader's speech")  # 领导讲话
    OTHER = "other", _("Other")  # 其他


class RevisionAction(models.TextChoices):
    CREATED = "created", _("Created")
    EDITED = "edited", _("Edited")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned with a comment")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Which states an editor or a contributor may still change the text in.
EDITABLE = frozenset({ArticleStatus.DRAFT, ArticleStatus.RETURNED, ArticleStatus.WITHDRAWN})
