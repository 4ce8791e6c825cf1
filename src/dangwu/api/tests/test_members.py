"""Members through the API: scoped and masked exactly as the pages are."""

from datetime import date

import pytest
from django.test import Client

from dangwu.audit.models import AuditRecord
from dangwu.orgs.models import Member
from tests.personas import add_member

MEMBERS = "/api/v1/members"


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {m["name"] for m in response.json()["items"]}


def full_values() -> list[str]:
    """Every full ID number and phone number in the database (decrypted)."""
    values = []
    for member in Member.objects.all():
        values += [member.id_number, member.phone]
    assert all(values)
    return values


def test_secretary_lists_only_the_members_of_their_subtree(api_as):
    response = api_as("secretary").get(MEMBERS)
    assert names(response) == {"书记甲", "党员乙", "党员丙"}
    assert response.json()["count"] == 3


def test_leader_lists_every_member_in_tree_order(api_as):
    response = api_as("leader").get(MEMBERS)
    assert [m["name"] for m in response.json()["items"]] == [
        "书记甲",
        "党员乙",
        "党员丙",
        "书记戊",
        "党员丁",
    ]


def test_secretary_cannot_reach_another_organizations_members_by_any_filter(api_as, world):
    caller = api_as("secretary")
    other = Member.objects.get(pk=world.members["other"].pk)
    assert names(caller.get(MEMBERS, organization=world.orgs["org2"].pk)) == set()
    assert caller.get(MEMBERS, organization=world.orgs["org2"].pk).json()["count"] == 0
    assert names(caller.get(MEMBERS, q="党员丁")) == set()
    assert names(caller.get(MEMBERS, q=other.id_number)) == set()


def test_member_list_filters_by_name_subtree_status_and_exact_id_number(api_as, world):
    caller = api_as("leader")
    colleague = Member.objects.get(pk=world.members["colleague"].pk)
    assert names(caller.get(MEMBERS, q="党员")) == {"党员乙", "党员丙", "党员丁"}
    assert names(caller.get(MEMBERS, organization=world.orgs["branch1"].pk)) == {"党员乙"}
    assert names(caller.get(MEMBERS, organization=world.orgs["org1"].pk)) == {
        "书记甲",
        "党员乙",
        "党员丙",
    }
    assert names(caller.get(MEMBERS, q=colleague.id_number)) == {"党员丙"}
    assert names(caller.get(MEMBERS, status="left")) == set()
    assert len(names(caller.get(MEMBERS, status="active"))) == 5


@pytest.mark.parametrize(
    "params",
    [{"status": "gone"}, {"organization": "x"}, {"organization": 0}, {"q": "x" * 41}],
)
def test_member_list_with_bad_parameters_gets_422(api_as, params):
    assert api_as("leader").get(MEMBERS, **params).status_code == 422


def test_member_list_of_a_missing_organization_is_not_found(api_as):
    assert api_as("leader").get(MEMBERS, organization=987654).status_code == 404


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "auditor", "editor", "member"])
def test_roles_without_member_access_get_403_on_the_list(api_as, persona):
    response = api_as(persona).get(MEMBERS)
    assert response.status_code == 403
    assert set(response.json()) == {"detail"}


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "auditor"])
def test_separated_administrators_cannot_open_a_member(api_as, world, persona):
    response = api_as(persona).get(f"{MEMBERS}/{world.members['member'].pk}")
    assert response.status_code == 404


def test_member_detail_is_masked(api_as, world):
    member = Member.objects.get(pk=world.members["member"].pk)
    response = api_as("secretary").get(f"{MEMBERS}/{member.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "党员乙"
    assert body["organization_id"] == world.orgs["branch1"].pk
    assert body["id_number_masked"] == member.id_number[:4] + "*" * 10 + member.id_number[-4:]
    assert body["phone_masked"] == member.phone[:3] + "****" + member.phone[-4:]
    assert "id_number" not in body and "phone" not in body
    assert body["birth_date"] == member.birth_date.isoformat()


def test_a_member_may_open_their_own_record_but_no_one_elses(api_as, world):
    caller = api_as("member")
    assert caller.get(f"{MEMBERS}/{world.members['member'].pk}").status_code == 200
    assert caller.get(f"{MEMBERS}/{world.members['colleague'].pk}").status_code == 404


def test_someone_elses_member_answers_exactly_like_a_missing_one(api_as, world):
    caller = api_as("secretary")
    hidden = caller.get(f"{MEMBERS}/{world.members['other'].pk}")
    missing = caller.get(f"{MEMBERS}/987654")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    assert "党员丁" not in hidden.content.decode()


@pytest.mark.parametrize("persona", ["secretary", "leader", "orgclerk", "member"])
def test_no_response_ever_carries_a_full_id_or_phone_number(api_as, world, persona):
    caller = api_as(persona)
    secrets = full_values()
    urls = [
        MEMBERS,
        f"{MEMBERS}?limit=200",
        *(f"{MEMBERS}/{m.pk}" for m in world.members.values()),
        "/api/v1/organizations",
        *(f"/api/v1/organizations/{o.pk}" for o in world.orgs.values()),
        f"/api/v1/organizations/{world.orgs['root'].pk}/subtree",
        "/api/v1/me",
    ]
    for url in urls:
        body = caller.get(url).content.decode()
        for secret in secrets:
            assert secret not in body, url


def test_reveal_returns_the_full_values_once_and_audits_it(api_as, world):
    member = Member.objects.get(pk=world.members["member"].pk)
    response = api_as("secretary").post(f"{MEMBERS}/{member.pk}/reveal", {"reason": "组织关系转接"})
    assert response.status_code == 200
    assert response.json() == {"id_number": member.id_number, "phone": member.phone}
    assert response["Cache-Control"] == "no-store"
    record = AuditRecord.objects.get(action="orgs.member_revealed")
    assert record.actor == world.user("secretary")
    assert record.target_id == str(member.pk)
    assert record.details == {"reason": "组织关系转接"}


def test_reveal_works_without_a_body(api_as, world):
    response = api_as("secretary").post(f"{MEMBERS}/{world.members['member'].pk}/reveal")
    assert response.status_code == 200


def test_leader_may_see_a_member_but_not_reveal_the_full_numbers(api_as, world):
    response = api_as("leader").post(f"{MEMBERS}/{world.members['member'].pk}/reveal")
    assert response.status_code == 403
    assert not AuditRecord.objects.filter(action="orgs.member_revealed").exists()
    assert AuditRecord.objects.filter(action="access.denied").exists()


def test_reveal_of_someone_elses_member_is_not_found_and_not_revealed(api_as, world):
    hidden = api_as("secretary").post(f"{MEMBERS}/{world.members['other'].pk}/reveal")
    missing = api_as("secretary").post(f"{MEMBERS}/987654/reveal")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    assert not AuditRecord.objects.filter(action="orgs.member_revealed").exists()


def test_reveal_through_the_browser_session_needs_the_csrf_token(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.user("secretary"))
    response = browser.post(f"{MEMBERS}/{world.members['member'].pk}/reveal")
    assert response.status_code == 403
    assert not AuditRecord.objects.filter(action="orgs.member_revealed").exists()


def test_member_list_query_count_is_fixed_whatever_the_number_of_rows(
    api_as, world, django_assert_max_num_queries
):
    caller = api_as("secretary")
    caller.get(MEMBERS)  # the token's first use records when it was used
    with django_assert_max_num_queries(5) as before:
        small = caller.get(MEMBERS, limit=200)
    for i in range(40):
        add_member(
            world.orgs["branch2"],
            f"新党员{i}",
            200 + i,
            birth_date=date(1960, 1 + i % 12, 1 + i % 28),
        )
    with django_assert_max_num_queries(5) as after:
        large = caller.get(MEMBERS, limit=200)
    assert len(after.captured_queries) == len(before.captured_queries)
    assert len(small.json()["items"]) == 3
    assert len(large.json()["items"]) == 43


def test_member_list_through_the_session_costs_a_fixed_number_of_queries(
    client_for, world, django_assert_max_num_queries
):
    client = client_for("secretary")
    params = {"organization": world.orgs["org1"].pk}
    # Session, user, grants, the organization filter, count, page, and the session save.
    with django_assert_max_num_queries(10) as before:
        client.get(MEMBERS, params)
    for i in range(20):
        add_member(world.orgs["branch1"], f"新党员{i}", 300 + i, birth_date=date(1961, 1, 1 + i))
    with django_assert_max_num_queries(10) as after:
        response = client.get(MEMBERS, params)
    assert len(after.captured_queries) == len(before.captured_queries)
    assert len(response.json()["items"]) == 23


def test_member_detail_query_count_is_pinned(api_as, world, django_assert_max_num_queries):
    caller = api_as("secretary")
    url = f"{MEMBERS}/{world.members['member'].pk}"
    caller.get(url)
    with django_assert_max_num_queries(4):
        assert caller.get(url).status_code == 200
