"""Fixed vocabularies of official documents (DOMAIN.md §1)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocType(models.TextChoices):
    """The 15 statutory types (条例 第八条)."""

    RESOLUTION = "resolution", _("Resolution (决议)")
    DECISION = "decision", _("Decision (决定)")
    ORDER = "order", _("Order (命令(令))")
    COMMUNIQUE = "communique", _("Communiqué (公报)")
    ANNOUNCEMENT = "announcement", _("Announcement (公告)")
    PUBLIC_NOTICE = "public_notice", _("Public notice (通告)")
    OPINION = "opinion", _("Opinion (意见)")
    NOTICE = "notice", _("Notice (通知)")
    CIRCULAR = "circular", _("Circular (通报)")
    REPORT = "report", _("Report (报告)")
    REQUEST = "request", _("Request for instructions (请示)")
    REPLY = "reply", _("Official reply (批复)")
    MOTION = "motion", _("Motion (议案)")
    LETTER = "letter", _("Letter (函)")
    MINUTES = "minutes", _("Minutes (纪要)")


# Government-only types a 机关工委 does not issue (DOMAIN.md §1.1); a setting may change it.
DISABLED_TYPES = frozenset({DocType.ORDER, DocType.MOTION})


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal (平件)")
    URGENT = "urgent", _("Urgent (加急)")
    EXTRA_URGENT = "extra_urgent", _("Extra urgent (特急)")


# The words printed in the 版头 (GB/T 9704): fixed official terms, not translated.
URGENCY_MARKS: dict[str, str] = {Urgency.URGENT: "加急", Urgency.EXTRA_URGENT: "特急"}


class Classification(models.TextChoices):
    """Only what a non-classified platform may hold (涉密不上网)."""

    NONE = "none", _("Not classified (非密)")
    INTERNAL = "internal", _("Internal (内部)")


class Disclosure(models.TextChoices):
    """公开属性 (DOMAIN.md §1.7), printed in the 附注."""

    PUBLIC = "public", _("Published proactively (主动公开)")
    ON_REQUEST = "on_request", _("Disclosed on request (依申请公开)")
    NOT_PUBLIC = "not_public", _("Not disclosed (不予公开)")


# The 附注 line of each 公开属性 (GB/T 9704 layout, DOMAIN.md §1.7); fixed official wording.
DISCLOSURE_NOTES: dict[str, str] = {
    Disclosure.PUBLIC: "（此件公开发布）",
    Disclosure.ON_REQUEST: "（此件依申请公开）",
    Disclosure.NOT_PUBLIC: "（此件不公开）",
}


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # 草稿
    IN_REVIEW = "in_review", _("Waiting for review")  # 待核稿
    RETURNED = "returned", _("Returned")  # 已退回
    AWAITING_SIGNOFF = "awaiting_signoff", _("Waiting for sign-off")  # 待签发
    SIGNED = "signed", _("Signed off")  # 已签发 (numbered)
    DISTRIBUTED = "distributed", _("Distributed")  # 已分发


EDITABLE = frozenset({DocumentStatus.DRAFT, DocumentStatus.RETURNED})


class StepAction(models.TextChoices):
    CREATED = "created", _("Drafted")
    EDITED = "edited", _("Changed")
    SUBMITTED = "submitted", _("Sent for review")
    REVIEWED = "reviewed", _("Reviewed and sent for sign-off")
    RETURNED = "returned", _("Returned with a comment")
    SIGNED = "signed", _("Signed off")
    DISTRIBUTED = "distributed", _("Distributed")


class RecipientKind(models.TextChoices):
    MAIN = "main", _("Main recipient (主送)")
    COPY = "copy", _("Copy recipient (抄送)")


class GroupRule(models.TextChoices):
    """How a saved group finds its organizations, evaluated at distribution time."""

    LIST = "list", _("The organizations listed")
    PARTY_COMMITTEES = "party_committees", _("All organ Party committees (机关党委)")
    NO_INTERNAL_NETWORK = "no_internal_network", _("All organizations without internal network")
    ALL = "all", _("All organizations (except Party groups)")


class ReceiptStatus(models.TextChoices):
    UNSIGNED = "unsigned", _("Not signed for")  # 未签收
    SIGNED = "signed", _("Signed for")  # 已签收
    HANDLING = "handling", _("Being handled")  # 办理中
    REPLIED = "replied", _("Replied")  # 已答复


# Shown instead of the stored state when a deadline has passed (derived, never stored).
OVERDUE = "overdue"
