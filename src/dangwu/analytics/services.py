"""The only writers of visit counts.

Counting is bookkeeping, not a user's action: these services take no acting user and write no
audit record (the exchange import that calls :func:`visits_merge` audits the bundle itself).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F
from django.utils.translation import gettext as _

from dangwu.analytics.batch import VisitBatch, VisitKey
from dangwu.analytics.enums import VisitKind
from dangwu.analytics.models import DailyVisitor, DailyVisits
from dangwu.core.errors import ValidationFailed

_BATCH_SIZE = 500


@dataclass(frozen=True)
class VisitRow:
    """One page's counts of one day at one site, as the exchange carries them."""

    day: date
    kind: str
    object_id: int
    views: int
    visitors: int


def _matching(keys: list[VisitKey]) -> dict[str, set[object]]:
    """Return filter arguments selecting a superset of the rows of ``keys`` (one query)."""
    return {
        "site__in": {k.site for k in keys},
        "day__in": {k.day for k in keys},
        "kind__in": {k.kind for k in keys},
        "object_id__in": {k.object_id for k in keys},
    }


@transaction.atomic
def visits_store(*, batch: VisitBatch) -> None:
    """Add a batch's page views to the daily totals and recount its pages' unique visitors.

    Rows are locked in primary-key order, so flushes of several processes serialize per page
    (on PostgreSQL; SQLite serializes every write transaction anyway) and unique visitors stay
    exact. A handful of queries per batch, whatever its size.
    """
    if not batch:
        return
    keys = list(batch.views)
    DailyVisits.objects.bulk_create(
        [DailyVisits(site=k.site, day=k.day, kind=k.kind, object_id=k.object_id) for k in keys],
        ignore_conflicts=True,
        batch_size=_BATCH_SIZE,
    )
    wanted = set(keys)
    pk_of: dict[VisitKey, int] = {}
    for pk, site, day, kind, object_id in (
        DailyVisits.objects.select_for_update()
        .filter(**_matching(keys))
        .order_by("pk")
        .values_list("pk", "site", "day", "kind", "object_id")
    ):
        key = VisitKey(site, day, kind, object_id)
        if key in wanted:
            pk_of[key] = pk
    DailyVisitor.objects.bulk_create(
        [
            DailyVisitor(site=k.site, day=k.day, kind=k.kind, object_id=k.object_id, visitor=v)
            for k, visitors in batch.visitors.items()
            for v in visitors
        ],
        ignore_conflicts=True,
        batch_size=_BATCH_SIZE,
    )
    # One UPDATE per distinct increment (a burst on one page is one statement, not one per view).
    by_increment: dict[int, list[int]] = defaultdict(list)
    for key, views in batch.views.items():
        by_increment[views].append(pk_of[key])
    for views, pks in by_increment.items():
        DailyVisits.objects.filter(pk__in=pks).update(views=F("views") + views)
    by_count: dict[int, list[int]] = defaultdict(list)
    for row in (
        DailyVisitor.objects.filter(**_matching(keys))
        .values("site", "day", "kind", "object_id")
        .annotate(n=Count("id"))
    ):
        key = VisitKey(row["site"], row["day"], row["kind"], row["object_id"])
        if key in wanted:
            by_count[row["n"]].append(pk_of[key])
    for count, pks in by_count.items():
        DailyVisits.objects.filter(pk__in=pks).update(visitors=count)


def visits_prune(*, before: date) -> int:
    """Delete the visitor hashes of days before ``before``; return how many were deleted."""
    deleted, _by_model = DailyVisitor.objects.filter(day__lt=before).delete()
    return deleted


@transaction.atomic
def visits_merge(*, site: str, rows: Iterable[VisitRow]) -> int:
    """Set the counts another site reported (idempotent: a row replaces the same row).

    Precondition: ``object_id`` is already this site's primary key of the article or column
    (the exchange maps its UUIDs). Raise ValidationFailed for this site's own name or an
    unknown kind; nothing is written then.
    """
    if site == settings.SITE:
        raise ValidationFailed(_("A site's own visit counts cannot be imported."))
    objects = [
        DailyVisits(
            site=site,
            day=r.day,
            kind=r.kind,
            object_id=r.object_id,
            views=r.views,
            visitors=r.visitors,
        )
        for r in rows
    ]
    if any(o.kind not in VisitKind.values for o in objects):
        raise ValidationFailed(_("Unknown kind of page in visit counts."))
    DailyVisits.objects.bulk_create(
        objects,
        update_conflicts=True,
        unique_fields=["kind", "object_id", "day", "site"],
        update_fields=["views", "visitors"],
        batch_size=_BATCH_SIZE,
    )
    return len(objects)
