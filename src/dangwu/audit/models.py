from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Audit records are never changed or deleted."""


class AuditRecordQuerySet(models.QuerySet["AuditRecord"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit records are append-only")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("audit records are append-only")


class AuditRecord(models.Model):
    """One security event or important operation, chained to its predecessor by HMAC-SM3."""

    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(_("user"), max_length=150, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    target_type = models.CharField(_("object type"), max_length=80, blank=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_repr = models.CharField(_("object"), max_length=255, blank=True)
    address = models.CharField(_("address"), max_length=64, blank=True)
    success = models.BooleanField(_("success"), default=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    mac = models.CharField(max_length=64)

    objects = AuditRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("audit records are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit records are append-only")


class AuditChainHead(models.Model):
    """The single row that serializes appends and holds the last MAC of the chain."""

    last_mac = models.CharField(max_length=64, default="")
    count = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"audit chain head ({self.count} records)"
