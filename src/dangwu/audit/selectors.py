"""Reads of the audit trail for the audit administrator's page and export."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from dangwu.audit.models import AuditRecord


@dataclass(frozen=True)
class AuditFilters:
    """What the audit administrator narrowed the trail to; empty values do not filter.

    Dates are calendar days in the platform's time zone (Asia/Shanghai), both ends included.
    """

    user: str = ""
    action: str = ""
    target: str = ""
    date_from: date | None = None
    date_to: date | None = None
    success: bool | None = None

    def as_details(self) -> dict[str, str]:
        """Return the filters that are set, as text for an audit record."""
        values = {
            "user": self.user,
            "action": self.action,
            "object": self.target,
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "result": "" if self.success is None else ("success" if self.success else "failure"),
        }
        return {key: value for key, value in values.items() if value}


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


def audit_records(filters: AuditFilters) -> QuerySet[AuditRecord]:
    """Return the records matching ``filters``, newest first.

    Rows carry the actor's name as recorded, so listing them needs no join and no query per row.
    """
    records = AuditRecord.objects.order_by("-id")
    if filters.user:
        records = records.filter(actor_name__icontains=filters.user)
    if filters.action:
        records = records.filter(action=filters.action)
    if filters.target:
        records = records.filter(
            Q(target_repr__icontains=filters.target) | Q(target_id=filters.target)
        )
    if filters.date_from:
        records = records.filter(at__gte=_start_of(filters.date_from))
    if filters.date_to:
        records = records.filter(at__lt=_start_of(filters.date_to + timedelta(days=1)))
    if filters.success is not None:
        records = records.filter(success=filters.success)
    return records
