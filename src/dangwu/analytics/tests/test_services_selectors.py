"""Storing batches, merging the public site's counts, and who sees which counts."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from dangwu.access import SYSTEM
from dangwu.analytics.batch import SHANGHAI, VisitBatch, VisitKey
from dangwu.analytics.models import DailyVisitor, DailyVisits
from dangwu.analytics.selectors import (
    VisitTotals,
    article_visits,
    articles_visits,
    visit_rows,
    visits_daily,
)
from dangwu.analytics.services import VisitRow, visits_merge, visits_prune, visits_store
from dangwu.core.errors import NotFound, ValidationFailed
from dangwu.portal.services import article_create, column_create

pytestmark = pytest.mark.django_db
DAY = date(2026, 7, 1)


def batch_of(*visits: tuple[int, str], day: date = DAY, site: str = "internal") -> VisitBatch:
    batch = VisitBatch()
    for object_id, visitor in visits:
        batch.add(VisitKey(site, day, "article", object_id), [visitor])
    return batch


def test_batches_add_views_and_count_each_visitor_of_a_day_once():
    visits_store(batch=batch_of((1, "a"), (1, "a"), (1, "b"), (2, "a")))
    visits_store(batch=batch_of((1, "b"), (1, "c")))

    rows = {r.object_id: (r.views, r.visitors) for r in DailyVisits.objects.all()}
    assert rows == {1: (5, 3), 2: (1, 1)}


def test_storing_a_batch_costs_queries_per_hundreds_of_rows_not_per_view(
    django_assert_max_num_queries,
):
    batch = batch_of(*[(n % 300, f"v{n}") for n in range(3000)])

    # 300 pages and 3,000 visitor rows: inserts of at most 199 rows on SQLite (999 variables),
    # one lock-and-fetch, one recount, one UPDATE per distinct increment and count.
    with django_assert_max_num_queries(25):
        visits_store(batch=batch)

    assert DailyVisits.objects.get(object_id=7).views == 10


def test_visitor_hashes_of_finished_days_are_pruned_but_the_counts_stay():
    visits_store(batch=batch_of((1, "a"), day=DAY))
    visits_store(batch=batch_of((1, "b"), day=DAY + timedelta(days=2)))

    assert visits_prune(before=DAY + timedelta(days=1)) == 1
    assert list(DailyVisitor.objects.values_list("visitor", flat=True)) == ["b"]
    assert DailyVisits.objects.get(day=DAY).visitors == 1


def test_the_public_sites_counts_are_merged_idempotently_and_kept_apart():
    visits_store(batch=batch_of((1, "a")))
    reported = [VisitRow(DAY, "article", 1, 10, 4)]

    visits_merge(site="public", rows=reported)
    visits_merge(site="public", rows=reported)

    assert DailyVisits.objects.get(site="public").views == 10
    assert DailyVisits.objects.get(site="internal").views == 1
    assert visit_rows(site="public", since=DAY) == reported


@pytest.mark.parametrize(
    "site, rows",
    [("internal", [VisitRow(DAY, "article", 1, 1, 1)]), ("public", [VisitRow(DAY, "x", 1, 1, 1)])],
)
def test_a_merge_of_the_own_site_or_an_unknown_kind_is_refused_and_writes_nothing(site, rows):
    with pytest.raises(ValidationFailed):
        visits_merge(site=site, rows=rows)

    assert not DailyVisits.objects.exists()


@pytest.fixture
def articles(world):
    column = column_create(actor=SYSTEM, slug="news", name="机关党建动态")
    return {
        name: article_create(
            actor=world.user(by),
            organization=world.orgs[org],
            column=column,
            title=name,
            body="<p>正文</p>",
        )
        for name, by, org in (("committee", "editor", "root"), ("org1", "secretary", "org1"))
    }


def count(article, views: int, visitors: int) -> None:
    day = timezone.localdate(timezone=SHANGHAI)
    visits_merge(site="public", rows=[VisitRow(day, "article", article.pk, views, visitors)])


def test_editors_see_the_counts_of_their_articles_added_over_both_sites(world, articles):
    count(articles["org1"], 10, 4)
    visits_store(
        batch=batch_of((articles["org1"].pk, "x"), day=timezone.localdate(timezone=SHANGHAI))
    )

    assert article_visits(user=world.user("secretary"), article=articles["org1"]) == VisitTotals(
        11, 5
    )
    assert article_visits(user=world.user("editor"), article=articles["org1"]) == VisitTotals(11, 5)
    assert article_visits(user=world.user("editor"), article=articles["committee"]) == (
        VisitTotals(0, 0)
    )


@pytest.mark.parametrize("persona", ["member", "other_secretary", "sysadmin", "auditor"])
def test_readers_and_other_organizations_see_no_counts(world, articles, persona):
    count(articles["org1"], 10, 4)

    assert article_visits(user=world.user(persona), article=articles["org1"]) is None
    assert articles_visits(user=world.user(persona), articles=articles.values()) == {}


def test_anonymous_visitors_see_no_counts(articles):
    from django.contrib.auth.models import AnonymousUser

    assert article_visits(user=AnonymousUser(), article=articles["org1"]) is None


def test_a_list_of_articles_gets_its_counts_in_one_query(
    world, articles, django_assert_max_num_queries
):
    count(articles["org1"], 3, 2)

    with django_assert_max_num_queries(2):  # the grants (if not cached yet), the counts
        totals = articles_visits(user=world.user("secretary"), articles=list(articles.values()))

    assert totals == {articles["org1"].pk: VisitTotals(3, 2)}


def test_daily_series_are_for_leaders_and_editors_only(world, articles):
    count(articles["org1"], 3, 2)

    series = visits_daily(user=world.user("leader"), kind="article", object_id=articles["org1"].pk)
    assert len(series) == 30 and series[-1].views == 3 and series[0].views == 0
    with pytest.raises(NotFound):
        visits_daily(user=world.user("secretary"), kind="article", object_id=1)


def test_the_template_tag_shows_counts_to_editors_only(world, articles, rf):
    from django.template import Context, Template

    count(articles["org1"], 3, 2)
    template = Template("{% load visits %}{% article_visits_line article %}")
    for persona, shown in (("secretary", True), ("member", False)):
        request = rf.get("/")
        request.user = world.user(persona)
        html = template.render(Context({"request": request, "article": articles["org1"]}))
        assert ("article-visits" in html) is shown
        assert ("3" in html) is shown
