"""Writes to organizations and member records: rules, scopes, audit and encryption at rest."""

from datetime import date

import pytest
from django.db import connection

from dangwu.access import SYSTEM
from dangwu.audit.models import AuditRecord
from dangwu.core.errors import DomainError, Forbidden, ValidationFailed
from dangwu.orgs.enums import MemberCategory, OrgKind
from dangwu.orgs.models import Member, Organization
from dangwu.orgs.services import (
    member_create,
    member_reveal,
    member_update,
    organization_create,
    organization_update,
)
from tests.personas import add_member, make_id_number


def paths() -> dict[str, str]:
    return dict(Organization.objects.values_list("code", "path"))


# ---------------------------------------------------------------- organizations


def test_a_secretary_creates_a_branch_under_their_organization_and_it_is_audited(world):
    branch = organization_create(
        actor=world.user("secretary"),
        code="A0103",
        name="第三支部",
        kind=OrgKind.BRANCH,
        parent=world.orgs["org1"],
    )
    assert (branch.path, branch.depth) == ("/GW/A01/A0103/", 2)
    assert AuditRecord.objects.filter(
        action="orgs.organization_created", target_id=str(branch.pk), actor_name="demo-secretary"
    ).exists()


def test_a_secretary_cannot_create_under_another_organization(world):
    with pytest.raises(Forbidden):
        organization_create(
            actor=world.user("secretary"),
            code="A0202",
            name="第二支部",
            kind=OrgKind.BRANCH,
            parent=world.orgs["org2"],
        )
    assert not Organization.objects.filter(code="A0202").exists()


def test_only_the_system_creates_the_top_of_the_tree(world):
    with pytest.raises(DomainError):
        organization_create(
            actor=world.user("secretary"),
            code="TOP",
            name="工委",
            kind=OrgKind.COMMITTEE,
            parent=None,
        )


@pytest.mark.parametrize(
    ("code", "kind", "field"),
    [("A0103", OrgKind.PARTY_COMMITTEE, "kind"), ("A 01/3", OrgKind.BRANCH, "code")],
)
def test_an_organization_with_a_bad_code_or_a_kind_not_allowed_there_is_refused(
    world, code, kind, field
):
    with pytest.raises(ValidationFailed) as info:
        organization_create(actor=SYSTEM, code=code, name="x", kind=kind, parent=world.orgs["org1"])
    assert field in [f for f, _m in info.value.errors]


def test_a_used_code_is_refused(world):
    with pytest.raises(ValidationFailed):
        organization_create(
            actor=SYSTEM, code="A0101", name="x", kind=OrgKind.BRANCH, parent=world.orgs["org2"]
        )


def test_moving_an_organization_rewrites_every_descendant_path(world):
    deeper = organization_create(
        actor=SYSTEM, code="A0103", name="三支部", kind=OrgKind.BRANCH, parent=world.orgs["org1"]
    )
    organization_create(
        actor=SYSTEM, code="A010301", name="小组", kind=OrgKind.GROUP, parent=deeper
    )
    new_committee = organization_create(
        actor=SYSTEM,
        code="A03",
        name="三党委",
        kind=OrgKind.PARTY_COMMITTEE,
        parent=world.orgs["root"],
    )
    organization_update(actor=SYSTEM, organization=deeper, parent=new_committee)
    p = paths()
    assert p["A0103"] == "/GW/A03/A0103/"
    assert p["A010301"] == "/GW/A03/A0103/A010301/"
    assert p["A0101"] == "/GW/A01/A0101/"  # siblings stay
    assert Organization.objects.get(code="A010301").depth == 3


def test_moving_an_organization_under_its_own_descendant_is_refused(world):
    before = paths()
    with pytest.raises(ValidationFailed):
        organization_update(
            actor=SYSTEM, organization=world.orgs["branch1"], parent=world.orgs["group1"]
        )
    with pytest.raises(ValidationFailed):
        organization_update(
            actor=SYSTEM, organization=world.orgs["org1"], parent=world.orgs["org1"]
        )
    assert paths() == before


def test_a_secretary_cannot_move_their_branch_to_another_organization(world):
    with pytest.raises(Forbidden):
        organization_update(
            actor=world.user("secretary"),
            organization=world.orgs["branch2"],
            parent=world.orgs["org2"],
        )
    assert paths()["A0102"] == "/GW/A01/A0102/"


def test_an_organization_update_changes_fields_and_is_audited(world):
    organization_update(
        actor=world.user("secretary"), organization=world.orgs["branch2"], name="第二支部（新）"
    )
    assert Organization.objects.get(code="A0102").name == "第二支部（新）"
    assert AuditRecord.objects.filter(action="orgs.organization_updated").exists()


# ---------------------------------------------------------------- members


def new_member(actor, org, **overrides):
    birth = overrides.pop("birth_date", date(1985, 5, 5))
    values = {
        "organization": org,
        "name": "新党员",
        "gender": "2",
        "birth_date": birth,
        "id_number": make_id_number(birth, 901),
        "joined_on": date(2010, 7, 1),
        "full_member_on": date(2011, 7, 1),
        "phone": "13912340000",
    }
    values.update(overrides)
    return member_create(actor=actor, **values)


def test_a_secretary_adds_a_member_to_their_branch(world):
    member = new_member(world.user("secretary"), world.orgs["branch1"])
    assert member.organization == world.orgs["branch1"]
    assert member.id_number_masked.startswith("4301") and "*" in member.id_number_masked
    assert AuditRecord.objects.filter(
        action="orgs.member_created", target_id=str(member.pk)
    ).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"id_number": "430102198505059010"}, "id_number"),
        ({"id_number": "12345"}, "id_number"),
        ({"phone": "12"}, "phone"),
        (
            {"birth_date": date(2999, 1, 1), "id_number": make_id_number(date(1985, 5, 5), 1)},
            "birth_date",
        ),
        ({"joined_on": date(1990, 1, 1)}, "joined_on"),
        ({"full_member_on": None}, "full_member_on"),
        ({"category": MemberCategory.PROBATIONARY}, "full_member_on"),
        ({"name": "  "}, "name"),
    ],
)
def test_a_member_with_bad_values_is_refused_and_nothing_is_written(world, overrides, field):
    count = Member.objects.count()
    with pytest.raises(ValidationFailed) as info:
        new_member(SYSTEM, world.orgs["branch1"], **overrides)
    assert field in [f for f, _m in info.value.errors]
    assert Member.objects.count() == count


def test_a_second_member_with_the_same_id_number_is_refused(world):
    existing = world.members["other"]
    with pytest.raises(ValidationFailed):
        new_member(
            SYSTEM,
            world.orgs["branch1"],
            birth_date=existing.birth_date,
            id_number=existing.id_number.lower(),
        )


def test_a_secretary_cannot_add_members_to_another_organization(world):
    with pytest.raises(Forbidden):
        new_member(world.user("secretary"), world.orgs["branch3"])
    with pytest.raises(Forbidden):
        new_member(world.user("leader"), world.orgs["branch1"])


def test_a_member_update_keeps_the_masked_copies_in_step(world):
    member = world.members["member"]
    member_update(
        actor=world.user("secretary"), member=member, phone="13800001111", post="组织委员"
    )
    member.refresh_from_db()
    assert (member.phone, member.phone_masked, member.post) == (
        "13800001111",
        "138****1111",
        "组织委员",
    )
    record = AuditRecord.objects.filter(action="orgs.member_updated").first()
    assert record.details == {"fields": ["phone", "post"]}
    assert "13800001111" not in str(record.details)


def test_a_member_update_with_an_invalid_id_number_is_refused(world):
    member = world.members["member"]
    with pytest.raises(ValidationFailed):
        member_update(actor=SYSTEM, member=member, id_number="430102198001010000")
    member.refresh_from_db()
    assert member.id_number == world.members["member"].id_number


def test_a_secretary_cannot_move_a_member_to_another_organization(world):
    member = world.members["member"]
    with pytest.raises(Forbidden):
        member_update(actor=world.user("secretary"), member=member, organization=world.orgs["org2"])
    assert Member.objects.get(pk=member.pk).organization == world.orgs["branch1"]


def test_a_member_update_refuses_unknown_fields(world):
    with pytest.raises(TypeError):
        member_update(actor=SYSTEM, member=world.members["member"], id_number_index="x")


# ---------------------------------------------------------------- reveal and encryption


def test_revealing_a_members_numbers_is_audited(world):
    member = Member.objects.get(pk=world.members["member"].pk)
    revealed = member_reveal(actor=world.user("secretary"), member=member, reason="核对党费")
    assert revealed == {"id_number": member.id_number, "phone": member.phone}
    record = AuditRecord.objects.get(action="orgs.member_revealed")
    assert (record.actor_name, record.target_id, record.details) == (
        "demo-secretary",
        str(member.pk),
        {"reason": "核对党费"},
    )


@pytest.mark.parametrize("persona", ["leader", "other_secretary", "editor"])
def test_revealing_is_refused_to_those_without_the_right_and_the_refusal_is_audited(world, persona):
    member = Member.objects.get(pk=world.members["member"].pk)
    with pytest.raises(Forbidden):
        member_reveal(actor=world.user(persona), member=member)
    assert not AuditRecord.objects.filter(action="orgs.member_revealed").exists()
    denied = AuditRecord.objects.get(action="access.denied")
    assert (denied.success, denied.details["permission"]) == (False, "orgs.member_reveal")


def test_a_member_may_reveal_their_own_record(world):
    own = Member.objects.get(pk=world.members["member"].pk)
    assert member_reveal(actor=world.user("member"), member=own)["id_number"] == own.id_number


def test_id_numbers_and_phones_are_encrypted_at_rest(world):
    member = add_member(world.orgs["branch1"], "加密测试", 42, phone="13711112222")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, phone, id_number_index FROM orgs_member WHERE id = %s",
            [member.pk],
        )
        raw_id, raw_phone, index = cursor.fetchone()
    assert member.id_number not in raw_id and member.id_number[6:14] not in raw_id
    assert "13711112222" not in raw_phone
    assert member.id_number not in index
    assert Member.objects.get(pk=member.pk).id_number == member.id_number
