"""Reads for the organization and member pages: scoped by the policy, fixed query counts."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangwu.access import SYSTEM
from dangwu.accounts.models import User
from dangwu.core.errors import NotFound
from dangwu.orgs import selectors
from dangwu.orgs.enums import MemberStatus, OrgKind
from dangwu.orgs.services import member_update, organization_create
from tests.personas import add_member


def fresh(world, persona: str) -> User:
    # A new object each time, so cached role grants do not hide a query.
    return User.objects.get(pk=world.user(persona).pk)


def flatten(nodes):
    for node in nodes:
        yield node
        yield from flatten(node.children)


def _birth(serial: int) -> date:
    return date(1970, 1 + serial % 12, 1 + serial % 28)


def grow(world, *, width: int = 4) -> None:
    """Add a deeper and wider part to the tree: committee → general branch → branches → groups."""
    general = organization_create(
        actor=SYSTEM,
        code="A03",
        name="第三党总支",
        kind=OrgKind.GENERAL_BRANCH,
        parent=world.orgs["root"],
    )
    serial = 100
    for b in range(width):
        branch = organization_create(
            actor=SYSTEM, code=f"A03{b:02d}", name=f"支部{b}", kind=OrgKind.BRANCH, parent=general
        )
        for g in range(width):
            group = organization_create(
                actor=SYSTEM,
                code=f"A03{b:02d}{g:02d}",
                name=f"小组{g}",
                kind=OrgKind.GROUP,
                parent=branch,
            )
            serial += 1
            add_member(group, f"组员{serial}", serial, birth_date=_birth(serial))
    for i in range(width):
        serial += 1
        add_member(world.orgs["group1"], f"深处党员{i}", serial, birth_date=_birth(serial))


def count_queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


# ---------------------------------------------------------------- tree


def test_the_tree_shows_member_counts_only_where_the_user_may_see_members(world):
    nodes = {
        n.org.code: n for n in flatten(selectors.organization_tree(user=world.user("secretary")))
    }
    assert set(nodes) == {"GW", "A01", "A0101", "A010101", "A0102", "A02", "A0201"}
    assert nodes["A01"].subtree_member_count == 3
    assert nodes["A0101"].member_count == 1
    assert nodes["A02"].member_count is None
    assert nodes["GW"].subtree_member_count is None


def test_the_leader_sees_every_count_rolled_up_to_the_root(world):
    roots = selectors.organization_tree(user=world.user("leader"))
    assert [r.org.code for r in roots] == ["GW"]
    assert roots[0].subtree_member_count == 5


def test_the_separated_administrators_see_no_tree(world):
    assert selectors.organization_tree(user=world.user("sysadmin")) == []


def test_a_subtree_starts_at_the_given_organization(world):
    roots = selectors.organization_tree(user=world.user("secretary"), root=world.orgs["branch1"])
    assert [n.org.code for n in flatten(roots)] == ["A0101", "A010101"]


def test_the_tree_costs_the_same_queries_however_deep_and_wide_it_grows(world):
    user = fresh(world, "leader")
    small = count_queries(lambda: selectors.organization_tree(user=user))
    grow(world)
    big_tree = []
    user = fresh(world, "leader")
    large = count_queries(lambda: big_tree.extend(selectors.organization_tree(user=user)))
    assert len(list(flatten(big_tree))) > 20
    assert max(n.org.depth for n in flatten(big_tree)) == 3
    assert large == small <= 5


def test_ancestors_cost_one_query_at_any_depth(world):
    deep = world.orgs["group1"]
    with CaptureQueriesContext(connection) as ctx:
        chain = selectors.organization_ancestors(deep)
    assert [o.code for o in chain] == ["GW", "A01", "A0101"]
    assert len(ctx.captured_queries) == 1


# ---------------------------------------------------------------- members


@pytest.mark.parametrize(
    ("persona", "names"),
    [
        ("secretary", {"书记甲", "党员乙", "党员丙"}),
        ("other_secretary", {"党员丁", "书记戊"}),
        ("member", {"党员乙"}),
        ("leader", {"书记甲", "党员乙", "党员丙", "党员丁", "书记戊"}),
        ("editor", set()),
        ("auditor", set()),
    ],
)
def test_the_member_list_holds_only_what_the_user_may_see(world, persona, names):
    listed = selectors.member_list(user=world.user(persona))
    assert {m.name for m in listed} == names


def test_the_member_list_searches_by_name_or_exact_id_number_and_filters(world):
    leader = world.user("leader")
    other = world.members["other"]
    assert [m.name for m in selectors.member_list(user=leader, query="党员")] == [
        "党员乙",
        "党员丙",
        "党员丁",
    ]
    assert [m.pk for m in selectors.member_list(user=leader, query=other.id_number.lower())] == [
        other.pk
    ]
    assert list(selectors.member_list(user=leader, query=other.id_number[:17] + "0")) == []
    in_org1 = selectors.member_list(user=leader, organization=world.orgs["org1"])
    assert {m.name for m in in_org1} == {"书记甲", "党员乙", "党员丙"}
    member_update(actor=SYSTEM, member=world.members["colleague"], status=MemberStatus.TRANSFERRING)
    moving = selectors.member_list(user=leader, status=MemberStatus.TRANSFERRING)
    assert [m.name for m in moving] == ["党员丙"]


def test_a_secretary_cannot_find_another_organizations_member_by_id_number(world):
    other = world.members["other"]
    assert list(selectors.member_list(user=world.user("secretary"), query=other.id_number)) == []


def test_member_access_gives_the_same_not_found_for_missing_and_out_of_scope(world):
    with pytest.raises(NotFound):
        selectors.member_access(user=world.user("secretary"), pk=world.members["other"].pk)
    with pytest.raises(NotFound):
        selectors.member_access(user=world.user("secretary"), pk=999999)
    own = selectors.member_access(user=world.user("member"), pk=world.members["member"].pk)
    assert own.name == "党员乙"


def test_the_member_list_costs_the_same_queries_for_a_bigger_deeper_tree(world):
    user = fresh(world, "secretary")
    small = count_queries(lambda: list(selectors.member_list(user=user)[:30]))
    grow(world)
    add_member(world.orgs["group1"], "最深处", 999, birth_date=_birth(999))
    user = fresh(world, "secretary")
    large = count_queries(lambda: list(selectors.member_list(user=user)[:30]))
    assert large == small <= 3


def test_member_lists_leave_the_personal_values_encrypted(world):
    member = selectors.member_list(user=world.user("secretary"))[0]
    assert {"id_number", "phone"} <= member.get_deferred_fields()
