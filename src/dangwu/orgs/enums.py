from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    COMMITTEE = "committee", _("Working committee")  # 工委
    PARTY_COMMITTEE = "party_committee", _("Organ Party committee")  # 机关党委
    GENERAL_BRANCH = "general_branch", _("General Party branch")  # 党总支
    BRANCH = "branch", _("Party branch")  # 党支部
    GROUP = "group", _("Party group")  # 党小组


# Which kinds may sit under which (the tree 工委 → 机关党委/党总支/党支部 → 党支部 → 党小组).
ALLOWED_CHILDREN: dict[str, frozenset[str]] = {
    OrgKind.COMMITTEE: frozenset({OrgKind.PARTY_COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH}),
    OrgKind.PARTY_COMMITTEE: frozenset({OrgKind.GENERAL_BRANCH, OrgKind.BRANCH}),
    OrgKind.GENERAL_BRANCH: frozenset({OrgKind.BRANCH}),
    OrgKind.BRANCH: frozenset({OrgKind.GROUP}),
    OrgKind.GROUP: frozenset(),
}


class NetworkAccess(models.TextChoices):
    DIRECT = "direct", _("Internal network, direct")  # 内网直连
    VIA_OFFICE = "via_office", _("Internal network via the office")  # 经办公室内网
    INTERNET_ONLY = "internet_only", _("Internet only")  # 仅互联网
    NONE = "none", _("Not connected")  # 未接入
    UNKNOWN = "unknown", _("Unknown")  # 未知


class Gender(models.TextChoices):
    MALE = "1", _("Male")
    FEMALE = "2", _("Female")


class MemberCategory(models.TextChoices):
    FULL = "full", _("Full member")  # 正式党员
    PROBATIONARY = "probationary", _("Probationary member")  # 预备党员


class MemberStatus(models.TextChoices):
    ACTIVE = "active", _("Active")  # 正常
    TRANSFERRING = "transferring", _("Transferring out")  # 转出在途
    LEFT = "left", _("Left")  # 已转出/出党
    DECEASED = "deceased", _("Deceased")  # 去世


class Education(models.TextChoices):
    POSTGRADUATE = "postgraduate", _("Postgraduate")
    UNIVERSITY = "university", _("University")
    COLLEGE = "college", _("College")
    SECONDARY = "secondary", _("Secondary school")
    PRIMARY = "primary", _("Primary school or below")
