"""Organizations through the API: filters, paging, detail, subtree counts and who may see them."""

from datetime import date

import pytest

from dangwu.access import SYSTEM
from dangwu.accounts.services import user_create
from dangwu.orgs.services import organization_create
from tests.personas import PASSWORD, add_member

ORGS = "/api/v1/organizations"


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [o["code"] for o in response.json()["items"]]


def test_list_is_ordered_by_place_in_the_tree_and_counted(api_as):
    response = api_as("secretary").get(ORGS)
    assert codes(response) == ["GW", "A01", "A0101", "A010101", "A0102", "A02", "A0201"]
    assert response.json()["count"] == 7


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "branch"}, ["A0101", "A0102", "A0201"]),
        ({"network_access": "direct"}, ["A01"]),
        ({"network_access": "none"}, ["A02"]),
        ({"q": "第二"}, ["A0102", "A02", "A0201"]),
        ({"q": "第二", "kind": "branch"}, ["A0102", "A0201"]),
        ({"q": "没有这个名字"}, []),
    ],
)
def test_list_filters_by_kind_network_access_and_name(api_as, params, expected):
    assert codes(api_as("leader").get(ORGS, **params)) == expected


def test_name_search_ignores_letter_case_on_every_database(api_as, world):
    # SQLite's LIKE ignores ASCII case and PostgreSQL's does not: both must answer the same.
    organization_create(
        actor=SYSTEM,
        code="A0103",
        name="第一机关党委IT中心支部",
        kind="branch",
        parent=world.orgs["org1"],
        short_name="IT支部",
    )
    assert codes(api_as("leader").get(ORGS, q="it中心")) == ["A0103"]
    assert codes(api_as("leader").get(ORGS, q="it支部")) == ["A0103"]


def test_list_filters_by_parent_and_by_subtree(api_as, world):
    org1 = world.orgs["org1"].pk
    caller = api_as("leader")
    assert codes(caller.get(ORGS, parent=org1)) == ["A0101", "A0102"]
    assert codes(caller.get(ORGS, under=org1)) == ["A01", "A0101", "A010101", "A0102"]
    assert codes(caller.get(ORGS, under=org1, kind="group")) == ["A010101"]


def test_list_with_a_missing_subtree_root_is_not_found(api_as):
    assert api_as("leader").get(ORGS, under=987654).status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "ministry"},
        {"network_access": "wifi"},
        {"parent": "abc"},
        {"under": 0},
        {"under": 2**70},
        {"limit": 0},
        {"limit": 10_000},
        {"offset": -1},
        {"q": "x" * 61},
    ],
)
def test_list_with_bad_parameters_gets_422(api_as, params):
    response = api_as("leader").get(ORGS, **params)
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], list)


def test_pages_are_stable_and_together_cover_the_list(api_as):
    caller = api_as("leader")
    seen = []
    for offset in range(0, 7, 3):
        body = caller.get(ORGS, limit=3, offset=offset).json()
        assert body["count"] == 7
        seen += [o["code"] for o in body["items"]]
    assert seen == ["GW", "A01", "A0101", "A010101", "A0102", "A02", "A0201"]


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "auditor"])
def test_separated_administrators_may_not_see_the_tree(api_as, world, persona):
    caller = api_as(persona)
    org1 = world.orgs["org1"].pk
    for url in (ORGS, f"{ORGS}/{org1}", f"{ORGS}/{org1}/subtree"):
        response = caller.get(url)
        assert response.status_code == 403, url
        assert "第一机关党委" not in response.content.decode()


def test_a_user_without_any_role_may_not_see_the_tree(client, world):
    client.force_login(user_create(actor=SYSTEM, username="no-role", password=PASSWORD))
    assert client.get(ORGS).status_code == 403
    assert client.get("/api/v1/members").status_code == 403


def test_detail_shows_the_organization_with_its_parent_and_labels(api_as, world):
    org = world.orgs["branch1"]
    response = api_as("member").get(f"{ORGS}/{org.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "A0101"
    assert body["kind"] == "branch"
    assert body["kind_label"]
    assert body["parent"] == {"id": world.orgs["org1"].pk, "name": "第一机关党委"}
    assert body["network_access"] == "unknown"
    assert body["secretary_name"] is None


def test_detail_of_a_missing_organization_is_not_found(api_as):
    response = api_as("leader").get(f"{ORGS}/987654")
    assert response.status_code == 404
    assert set(response.json()) == {"detail"}


def test_subtree_nests_children_with_member_counts(api_as, world):
    response = api_as("leader").get(f"{ORGS}/{world.orgs['org1'].pk}/subtree")
    assert response.status_code == 200
    tree = response.json()
    assert tree["code"] == "A01"
    assert [c["code"] for c in tree["children"]] == ["A0101", "A0102"]
    branch1 = tree["children"][0]
    assert [c["code"] for c in branch1["children"]] == ["A010101"]
    assert branch1["children"][0]["children"] == []
    assert (tree["member_count"], tree["subtree_member_count"]) == (1, 3)
    assert (branch1["member_count"], branch1["subtree_member_count"]) == (1, 1)


def test_secretary_never_sees_another_organizations_member_counts(api_as, world):
    tree = api_as("secretary").get(f"{ORGS}/{world.orgs['root'].pk}/subtree").json()
    by_code = {}

    def walk(node):
        by_code[node["code"]] = node
        for child in node["children"]:
            walk(child)

    walk(tree)
    assert set(by_code) == {"GW", "A01", "A0101", "A010101", "A0102", "A02", "A0201"}
    # Their own subtree is counted; the root (which would include A02) and A02 are not.
    assert by_code["A01"]["subtree_member_count"] == 3
    for code in ("GW", "A02", "A0201"):
        assert by_code[code]["member_count"] is None
        assert by_code[code]["subtree_member_count"] is None


def test_organization_list_query_count_is_fixed_whatever_the_number_of_rows(
    api_as, world, django_assert_max_num_queries
):
    caller = api_as("leader")
    caller.get(ORGS)  # the token's first use records when it was used
    with django_assert_max_num_queries(4) as before:
        small = caller.get(ORGS)
    for i in range(30):
        organization_create(
            actor=SYSTEM,
            code=f"A01G{i:02d}",
            name=f"小组{i}",
            kind="group",
            parent=world.orgs["branch2"],
        )
    with django_assert_max_num_queries(4) as after:
        large = caller.get(ORGS)
    assert len(after.captured_queries) == len(before.captured_queries)
    assert small.json()["count"] == 7
    assert large.json()["count"] == 37


def test_subtree_query_count_does_not_grow_with_the_tree(
    api_as, world, django_assert_max_num_queries
):
    caller = api_as("leader")
    url = f"{ORGS}/{world.orgs['root'].pk}/subtree"
    caller.get(url)
    with django_assert_max_num_queries(7) as before:
        caller.get(url)
    for i in range(10):
        add_member(world.orgs["branch3"], f"新党员{i}", 100 + i, birth_date=date(1960, 1, 1 + i))
        organization_create(
            actor=SYSTEM,
            code=f"A0201G{i}",
            name=f"小组{i}",
            kind="group",
            parent=world.orgs["branch3"],
        )
    with django_assert_max_num_queries(7) as after:
        tree = caller.get(url).json()
    assert len(after.captured_queries) == len(before.captured_queries)
    assert tree["subtree_member_count"] == 15
