from django.db import models
from django.utils.translation import gettext_lazy as _

from dangwu.analytics.enums import VisitKind


class DailyVisits(models.Model):
    """Page views and unique visitors of one page on one day (Asia/Shanghai) at one site.

    ``site`` is the deployment that counted them (``internal`` or ``public``): counts that the
    public site sends inward are kept apart and added up when read. ``object_id`` is the
    article's or column's primary key, 0 for the home page.
    """

    site = models.CharField(_("site"), max_length=20)
    day = models.DateField(_("day"))
    kind = models.CharField(_("page"), max_length=20, choices=VisitKind.choices)
    object_id = models.PositiveBigIntegerField(_("object"))
    views = models.PositiveIntegerField(_("page views"), default=0)
    visitors = models.PositiveIntegerField(_("unique visitors"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "day", "site"], name="analytics_daily_visits_key"
            )
        ]
        indexes = [models.Index(fields=["day", "kind"])]
        verbose_name = _("daily visits")
        verbose_name_plural = _("daily visits")

    def __str__(self) -> str:
        return f"{self.site} {self.day} {self.kind} {self.object_id}: {self.views}/{self.visitors}"


class DailyVisitor(models.Model):
    """One visitor seen on one page on one day: what makes unique visitors exact.

    ``visitor`` is a keyed HMAC-SM3 under a key of that day, never an address or a cookie.
    Rows are deleted two days after their day (``visits_prune``): once a day is over its
    ``DailyVisits.visitors`` is final, so the table stays small.
    """

    site = models.CharField(max_length=20)
    day = models.DateField()
    kind = models.CharField(max_length=20, choices=VisitKind.choices)
    object_id = models.PositiveBigIntegerField()
    visitor = models.CharField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "day", "site", "visitor"],
                name="analytics_daily_visitor_key",
            )
        ]
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.site} {self.day} {self.kind} {self.object_id} {self.visitor}"
