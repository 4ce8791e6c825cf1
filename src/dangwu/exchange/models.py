from django.db import models
from django.utils.translation import gettext_lazy as _

from dangwu.exchange.enums import Direction, Site


class ExchangeLog(models.Model):
    """One bundle sent or received: its place in the sequence, what it carried, its hash."""

    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    # The site on the other side: the target of an export, the source of an import.
    peer = models.CharField(_("other site"), max_length=20, choices=Site.choices)
    sequence = models.PositiveIntegerField(_("sequence number"))
    bundle_created_at = models.DateTimeField(_("bundle created"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    counts = models.JSONField(_("records"), default=dict)
    full = models.BooleanField(_("full resend"), default=False)
    bundle_sha256 = models.CharField(_("SHA-256 of the bundle"), max_length=64)
    bundle_size = models.PositiveBigIntegerField(_("size"))
    key_id = models.CharField(_("signing key"), max_length=40)

    class Meta:
        ordering = ["-id"]
        constraints = [
            # Two concurrent imports of one bundle cannot both be applied.
            models.UniqueConstraint(
                fields=["direction", "peer", "sequence"], name="exchange_log_sequence_unique"
            )
        ]
        verbose_name = _("exchange log entry")
        verbose_name_plural = _("exchange log")

    def __str__(self) -> str:
        return f"{self.direction} {self.peer} #{self.sequence}"


class ExportedRecord(models.Model):
    """What the other site holds as of the last bundle sent: one row per record, with its digest.

    The next export compares the current records with these rows: new or changed digests are
    sent, rows whose record is gone (withdrawn, narrowed, deleted) become removals.
    """

    peer = models.CharField(max_length=20, choices=Site.choices)
    kind = models.CharField(max_length=60)
    uuid = models.UUIDField()
    digest = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["peer", "kind", "uuid"], name="exchange_exported_record_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.peer} {self.kind} {self.uuid}"
