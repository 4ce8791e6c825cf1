"""Reads of visit counts: the figures editors see on their articles, and daily series.

Counts of every site (this one and what the public site reported) are added up. ``visitors``
over several days is the sum of each day's unique visitors: the keys change daily, so a person
who reads on two days is two visitor-days.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from dangwu import access
from dangwu.analytics.batch import SHANGHAI
from dangwu.analytics.enums import VisitKind
from dangwu.analytics.models import DailyVisits
from dangwu.analytics.permissions import VISITS_VIEW
from dangwu.analytics.services import VisitRow
from dangwu.core.errors import NotFound


@dataclass(frozen=True)
class VisitTotals:
    """Page views and (daily) unique visitors of one page."""

    views: int = 0
    visitors: int = 0


@dataclass(frozen=True)
class DayVisits:
    day: date
    views: int
    visitors: int


def _totals(kind: str, object_ids: Iterable[int]) -> dict[int, VisitTotals]:
    rows = (
        DailyVisits.objects.filter(kind=kind, object_id__in=list(object_ids))
        .values("object_id")
        .annotate(views=Sum("views"), visitors=Sum("visitors"))
        .order_by()
    )
    return {r["object_id"]: VisitTotals(r["views"], r["visitors"]) for r in rows}


def _may_see_article_counts(user: Any, article: Any) -> bool:
    from dangwu.portal.permissions import ARTICLE_WRITE

    return access.can(user, VISITS_VIEW) or access.can(user, ARTICLE_WRITE, article)


def article_visits(*, user: Any, article: Any) -> VisitTotals | None:
    """Return an article's counts, or None if the user does not write for its organization.

    Precondition: ``article.organization`` is loaded (the portal's selectors do that).
    """
    if not _may_see_article_counts(user, article):
        return None
    return _totals(VisitKind.ARTICLE, [article.pk]).get(article.pk, VisitTotals())


def articles_visits(*, user: Any, articles: Iterable[Any]) -> dict[int, VisitTotals]:
    """Return the counts of those ``articles`` the user may see counts of, by pk (one query)."""
    shown = [a.pk for a in articles if _may_see_article_counts(user, a)]
    if not shown:
        return {}
    totals = _totals(VisitKind.ARTICLE, shown)
    return {pk: totals.get(pk, VisitTotals()) for pk in shown}


def visits_daily(*, user: Any, kind: str, object_id: int = 0, days: int = 30) -> list[DayVisits]:
    """Return one page's counts for each of the last ``days`` days, oldest first.

    For leaders, editors and reviewers (site-wide statistics); others get NotFound.
    """
    if not access.can(user, VISITS_VIEW):
        raise NotFound("visit statistics not found")
    today = timezone.localdate(timezone=SHANGHAI)
    first = today - timedelta(days=days - 1)
    rows = (
        DailyVisits.objects.filter(kind=kind, object_id=object_id, day__gte=first)
        .values("day")
        .annotate(views=Sum("views"), visitors=Sum("visitors"))
        .order_by()
    )
    found = {r["day"]: r for r in rows}
    series = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        row = found.get(day, {"views": 0, "visitors": 0})
        series.append(DayVisits(day, row["views"], row["visitors"]))
    return series


def visit_rows(*, site: str, since: date) -> list[VisitRow]:
    """Return this ``site``'s daily counts from ``since`` on, for the exchange to send."""
    return [
        VisitRow(r.day, r.kind, r.object_id, r.views, r.visitors)
        for r in DailyVisits.objects.filter(site=site, day__gte=since).order_by("day", "pk")
    ]
