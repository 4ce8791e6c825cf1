"""Reads: the ranking's arithmetic and scope, and fixed query counts on the hot pages."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from dangwu.access import SYSTEM
from dangwu.orgs.enums import OrgKind
from dangwu.orgs.services import organization_create
from dangwu.submissions import selectors, services
from dangwu.submissions.tests.factories import item_in, submitted


def _year():
    today = timezone.localdate()
    return {"date_from": date(today.year, 1, 1), "date_to": date(today.year, 12, 31)}


def _rows(user):
    return {r.organization.code: r for r in selectors.ranking(user, **_year()).rows}


def test_the_ranking_counts_subtrees_and_lists_the_silent(world, columns):
    item_in(world, "adopted", columns)
    item_in(world, "declined")
    submitted(world, org="branch1")
    services.submission_forward(
        actor=world.user("editor"),
        submission=item_in(world, "adopted", columns),
    )

    rows = _rows(world.user("editor"))

    assert set(rows) == {"GW", "A01", "A02"}
    assert (rows["A01"].submissions, rows["A01"].adoptions, rows["A01"].points) == (4, 2, 7)
    assert rows["A01"].rank == 1
    assert rows["A02"].silent and rows["A02"].rank == 2
    assert rows["GW"].own_only


def test_a_secretary_ranks_only_her_subtree(world, columns):
    submitted(world, org="branch1")

    rows = _rows(world.user("secretary"))

    assert set(rows) == {"A01", "A0101", "A0102"}
    assert rows["A0101"].submissions == 1
    assert rows["A0102"].silent


def test_items_outside_the_period_do_not_count(world):
    submitted(world)
    next_year = timezone.localdate().year + 1

    ranking = selectors.ranking(
        world.user("editor"), date_from=date(next_year, 1, 1), date_to=date(next_year, 12, 31)
    )

    assert ranking.totals == (0, 0, 0)


def _grow(world, count: int) -> None:
    for n in range(count):
        org = organization_create(
            actor=SYSTEM,
            code=f"B{n:02d}",
            name=f"新增机关党委{n}",
            kind=OrgKind.PARTY_COMMITTEE,
            parent=world.orgs["root"],
        )
        services.submission_create(
            actor=SYSTEM, organization=org, title=f"稿件{n}", kind="news", body="<p>正文</p>"
        )
        item = services.submission_create(
            actor=SYSTEM, organization=org, title=f"报送{n}", kind="news", body="<p>正文</p>"
        )
        services.submission_submit(actor=SYSTEM, submission=item)


def test_the_hot_pages_keep_their_query_counts_as_data_grows(
    world, client_for, columns, django_assert_max_num_queries
):
    for _n in range(3):
        item_in(world, "adopted", columns)
    _grow(world, 12)
    editor = client_for("editor")
    for url in (reverse("submissions:inbox"), reverse("submissions:ranking")):
        with django_assert_max_num_queries(14):
            assert editor.get(url).status_code == 200
    secretary = client_for("secretary")
    with django_assert_max_num_queries(16):
        assert secretary.get(reverse("submissions:mine")).status_code == 200


def test_open_calls_drop_out_once_answered(world):
    call = services.call_create(
        actor=world.user("editor"),
        organization=world.orgs["root"],
        title="征集",
        due_on=timezone.localdate() + timedelta(days=3),
        all_organizations=True,
    )

    assert selectors.calls_open_for(world.user("secretary")) == [call]
    submitted(world, call=call)
    assert selectors.calls_open_for(world.user("secretary")) == []
    answers = {a.organization.code: a.answered for a in selectors.call_answers(call)}
    assert answers == {"A01": 1, "A02": 0}
