from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangwu.core.personal import EncryptedTextField
from dangwu.orgs.enums import (
    Education,
    Gender,
    MemberCategory,
    MemberStatus,
    NetworkAccess,
    OrgKind,
)


class Organization(models.Model):
    """A Party organization; ``path`` is the materialized chain of codes from the root."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent organization"),
    )
    path = models.CharField(max_length=800, unique=True)
    depth = models.PositiveSmallIntegerField(default=0)
    founded_on = models.DateField(_("date founded"), null=True, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=60, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    network_access = models.CharField(
        _("network access"),
        max_length=20,
        choices=NetworkAccess.choices,
        default=NetworkAccess.UNKNOWN,
    )
    secretary_computer_literate = models.BooleanField(
        _("secretary can operate a computer"), null=True, blank=True
    )
    secretary = models.ForeignKey(
        "orgs.Member",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("secretary"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["path"]
        indexes = [models.Index(fields=["kind"]), models.Index(fields=["network_access"])]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name

    @property
    def scope_path(self) -> str:
        return self.path

    @property
    def label(self) -> str:
        return self.short_name or self.name


class Member(models.Model):
    """A Party member's record. ID number and phone are encrypted at rest (SM4)."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("organization"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member",
        verbose_name=_("account"),
    )
    name = models.CharField(_("name"), max_length=60, db_index=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, default="汉族")
    birth_date = models.DateField(_("birth date"))
    id_number = EncryptedTextField(_("ID number"))
    id_number_index = models.CharField(max_length=64, unique=True)
    # The masked forms are what every page shows; keeping them lets lists skip decryption.
    id_number_masked = models.CharField(_("ID number"), max_length=18)
    education = models.CharField(
        _("education"), max_length=20, choices=Education.choices, blank=True
    )
    category = models.CharField(
        _("category"), max_length=20, choices=MemberCategory.choices, default=MemberCategory.FULL
    )
    joined_on = models.DateField(_("date joined"))
    full_member_on = models.DateField(_("date made full member"), null=True, blank=True)
    post = models.CharField(_("post"), max_length=60, blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    phone_masked = models.CharField(_("phone"), max_length=20, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MemberStatus.choices, default=MemberStatus.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organization__path", "name", "id"]
        indexes = [models.Index(fields=["organization", "name"]), models.Index(fields=["status"])]
        verbose_name = _("member")
        verbose_name_plural = _("members")

    def __str__(self) -> str:
        return self.name

    @property
    def scope_path(self) -> str:
        return self.organization.path
