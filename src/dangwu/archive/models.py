"""Archived items (件) per DA/T 22-2015: immutable once written.

An item is never changed or deleted: the model and its queryset refuse it, and database triggers
(migration 0002) refuse it too. A correction is a new version of the item (same 档号), linked to
the one it replaces and carrying the reason; the catalogue shows the newest version.
"""

import uuid
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangwu.archive.enums import Classification, Retention


class ImmutableError(Exception):
    """Raised on an attempt to change or delete an archived item or its files."""


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> NoReturn:
        raise ImmutableError("archived items are immutable")

    def delete(self) -> NoReturn:
        raise ImmutableError("archived items are immutable")


class Immutable(models.Model):
    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableError("archived items are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ImmutableError("archived items are immutable")


class ArchiveSequence(models.Model):
    """The last 件号 given in one lowest class (fonds, year, retention, unit): no gaps."""

    fonds = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    retention = models.CharField(max_length=3, choices=Retention.choices)
    unit = models.CharField(max_length=10)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["fonds", "year", "retention", "unit"], name="archive_sequence_class"
            )
        ]

    def __str__(self) -> str:
        return f"{self.fonds}-{self.year}-{self.retention}-{self.unit}: {self.last}"


class ArchiveItem(Immutable):
    """One archived item (件) with its catalogue fields; one row per version."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+"
    )
    fonds = models.CharField(_("fonds"), max_length=10)
    year = models.PositiveSmallIntegerField(_("year"))
    retention = models.CharField(_("retention period"), max_length=3, choices=Retention.choices)
    unit = models.CharField(_("unit code"), max_length=10)
    item_number = models.PositiveIntegerField(_("item number"))
    code = models.CharField(_("archival code"), max_length=60, db_index=True)  # 档号
    version = models.PositiveSmallIntegerField(default=1)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_version"
    )
    reason = models.TextField(_("reason for the correction"), blank=True)
    doc_number = models.CharField(_("document number"), max_length=60, blank=True)  # 文号
    responsible = models.CharField(_("responsible body"), max_length=100)  # 责任者
    title = models.CharField(_("title"), max_length=200)  # 题名
    date = models.DateField(_("date"))
    classification = models.CharField(
        _("classification"), max_length=10, choices=Classification.choices
    )
    pages = models.PositiveIntegerField(_("pages"))
    remarks = models.CharField(_("remarks"), max_length=200, blank=True)  # 备注
    source_kind = models.CharField(max_length=40, blank=True)
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    archived_by_name = models.CharField(max_length=150, blank=True)
    archived_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["year", "retention", "unit", "item_number", "version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="archive_item_code_version"),
            models.UniqueConstraint(
                fields=["source_kind", "source_id", "version"],
                condition=models.Q(source_id__isnull=False),
                name="archive_item_source_once",
            ),
        ]
        verbose_name = _("archived item")
        verbose_name_plural = _("archived items")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def scope_path(self) -> str:
        return self.organization.path

    @property
    def date_code(self) -> str:
        """The date as the catalogue writes it: 8 digits, YYYYMMDD."""
        return f"{self.date:%Y%m%d}"


def file_path(instance: "ArchiveFile", filename: str) -> str:
    return f"archive/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class ArchiveFile(Immutable):
    """A file kept with an archived item (a copy taken when it was archived)."""

    item = models.ForeignKey(ArchiveItem, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(upload_to=file_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name
