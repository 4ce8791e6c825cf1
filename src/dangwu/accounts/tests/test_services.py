"""Account services: separation of duties, unique names, token checks, account management."""

import pytest

from dangwu import access
from dangwu.access import SYSTEM, Role
from dangwu.accounts import services
from dangwu.accounts.models import RoleAssignment, User
from dangwu.audit.models import AuditRecord
from dangwu.audit.services import audit_keep
from dangwu.core.errors import DomainError, Forbidden, ValidationFailed

STRONG = "Strong#Pass2026"


def new_user(username: str) -> User:
    return services.user_create(actor=SYSTEM, username=username, password=STRONG)


def grants_of(user: User) -> set[str]:
    return set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))


@pytest.mark.parametrize("admin_role", [Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR])
@pytest.mark.parametrize("other_role", [Role.SECRETARY, Role.MEMBER, Role.LEADER])
def test_separated_administrator_cannot_hold_a_business_role(world, admin_role, other_role):
    secadmin = world.user("secadmin")
    person = new_user("person")
    services.role_grant(
        actor=secadmin, user=person, role=admin_role, organization=world.orgs["root"]
    )

    with pytest.raises(DomainError):
        services.role_grant(
            actor=secadmin, user=person, role=other_role, organization=world.orgs["org1"]
        )
    assert grants_of(person) == {admin_role}


@pytest.mark.parametrize("admin_role", [Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR])
def test_business_role_holder_cannot_become_a_separated_administrator(world, admin_role):
    secretary = world.user("secretary")

    with pytest.raises(DomainError):
        services.role_grant(
            actor=world.user("secadmin"),
            user=secretary,
            role=admin_role,
            organization=world.orgs["root"],
        )
    assert grants_of(secretary) == {Role.SECRETARY}


@pytest.mark.parametrize(
    ("first", "second"), [(Role.SYSADMIN, Role.AUDITOR), (Role.AUDITOR, Role.SECADMIN)]
)
def test_one_person_holds_only_one_of_the_three_administrators(world, first, second):
    person = new_user("person")
    secadmin = world.user("secadmin")
    services.role_grant(actor=secadmin, user=person, role=first, organization=world.orgs["root"])

    with pytest.raises(DomainError):
        services.role_grant(
            actor=secadmin, user=person, role=second, organization=world.orgs["root"]
        )
    assert grants_of(person) == {first}


def test_business_roles_combine_freely(world):
    secretary = world.user("secretary")

    services.role_grant(
        actor=world.user("secadmin"),
        user=secretary,
        role=Role.EDITOR,
        organization=world.orgs["org1"],
    )

    assert grants_of(secretary) == {Role.SECRETARY, Role.EDITOR}
    assert AuditRecord.objects.filter(action="accounts.role_granted", actor_name="demo-secadmin")


@pytest.mark.parametrize("persona", ["sysadmin", "auditor", "leader", "secretary"])
def test_only_the_security_administrator_grants_roles(world, persona):
    member = world.user("member")

    with pytest.raises(Forbidden) as refused:
        services.role_grant(
            actor=world.user(persona),
            user=member,
            role=Role.LEADER,
            organization=world.orgs["root"],
        )

    assert grants_of(member) == {Role.MEMBER}
    # The refusal's record rolled back with the service's transaction; the error keeps it so
    # the error mapping can append it again (see core.middleware).
    assert not AuditRecord.objects.filter(action="access.denied").exists()
    audit_keep(refused.value.denial)
    denial = AuditRecord.objects.get(action="access.denied")
    assert denial.actor_name == world.user(persona).username
    assert denial.details == {"permission": "accounts.admin_roles"}


def test_granting_a_role_takes_effect_at_once(world):
    member = world.user("member")
    assert not access.has_role(member, Role.EDITOR)

    services.role_grant(
        actor=world.user("secadmin"), user=member, role=Role.EDITOR, organization=world.orgs["root"]
    )

    assert access.has_role(member, Role.EDITOR)


def test_revoking_a_role_is_audited_and_takes_effect(world):
    editor = world.user("editor")
    assert access.has_role(editor, Role.EDITOR)

    services.role_revoke(actor=world.user("secadmin"), grant=editor.role_assignments.get())

    assert not access.has_role(editor, Role.EDITOR)
    assert AuditRecord.objects.get(action="accounts.role_revoked").details["role"] == Role.EDITOR


def test_unknown_role_is_refused(world):
    with pytest.raises(DomainError):
        services.role_grant(
            actor=world.user("secadmin"),
            user=world.user("member"),
            role="emperor",
            organization=world.orgs["root"],
        )


def test_user_name_must_be_unique(world):
    users_before = User.objects.count()

    with pytest.raises(ValidationFailed) as refused:
        services.user_create(actor=world.user("sysadmin"), username="demo-member", password=STRONG)

    assert refused.value.errors[0][0] == "username"
    assert "demo-member" in refused.value.message
    assert User.objects.count() == users_before


def test_weak_first_password_creates_nothing(world):
    with pytest.raises(ValidationFailed):
        services.user_create(actor=world.user("sysadmin"), username="weak", password="password")

    assert not User.objects.filter(username="weak").exists()
    assert not AuditRecord.objects.filter(
        action="accounts.user_created", actor_name="demo-sysadmin"
    )


@pytest.mark.parametrize("persona", ["secadmin", "auditor", "leader"])
def test_only_the_system_administrator_creates_accounts(world, persona):
    with pytest.raises(Forbidden):
        services.user_create(actor=world.user(persona), username="sneaky", password=STRONG)

    assert not User.objects.filter(username="sneaky").exists()


def test_token_authenticates_its_owner(world):
    _token, secret = services.token_issue(actor=world.user("member"))

    assert services.token_authenticate(secret) == world.user("member")


def test_revoked_token_is_rejected(world):
    token, secret = services.token_issue(actor=world.user("member"))

    services.token_revoke(actor=world.user("member"), token_id=token.pk)

    assert services.token_authenticate(secret) is None


@pytest.mark.parametrize(
    "tamper",
    [
        lambda s: s[:-1] + ("A" if s[-1] != "A" else "B"),
        lambda s: s + "x",
        lambda s: s[len(services.TOKEN_PREFIX) :],
        lambda s: "",
        lambda s: services.TOKEN_PREFIX,
    ],
)
def test_tampered_token_is_rejected(world, tamper):
    _token, secret = services.token_issue(actor=world.user("member"))

    assert services.token_authenticate(tamper(secret)) is None


def test_token_of_a_deactivated_account_is_rejected(world):
    member = world.user("member")
    _token, secret = services.token_issue(actor=member)

    services.user_set_active(actor=world.user("sysadmin"), user=member, active=False)

    assert services.token_authenticate(secret) is None


def test_only_the_secret_digest_is_stored(world):
    token, secret = services.token_issue(actor=world.user("member"))

    assert secret not in (token.digest, token.prefix)
    assert secret.startswith(token.prefix)


def test_security_administrator_revokes_anyones_token(world):
    token, secret = services.token_issue(actor=world.user("member"))

    services.token_revoke(actor=world.user("secadmin"), token_id=token.pk)

    assert services.token_authenticate(secret) is None


def test_others_cannot_revoke_a_token(world):
    token, secret = services.token_issue(actor=world.user("member"))

    with pytest.raises(DomainError):
        services.token_revoke(actor=world.user("sysadmin"), token_id=token.pk)
    assert services.token_authenticate(secret) == world.user("member")


def test_sysadmin_deactivates_and_reactivates_an_account(world):
    sysadmin, leader = world.user("sysadmin"), world.user("leader")

    services.user_set_active(actor=sysadmin, user=leader, active=False)
    services.user_set_active(actor=sysadmin, user=leader, active=True)

    leader.refresh_from_db()
    assert leader.is_active
    actions = AuditRecord.objects.filter(actor_name="demo-sysadmin").values_list(
        "action", flat=True
    )
    assert set(actions) == {"accounts.user_deactivated", "accounts.user_activated"}


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "auditor"])
def test_sysadmin_cannot_take_over_itself_or_the_watchers(world, persona, password):
    target = world.user(persona)
    sysadmin = world.user("sysadmin")

    with pytest.raises(DomainError):
        services.user_set_password(actor=sysadmin, user=target, password=STRONG)
    with pytest.raises(DomainError):
        services.user_set_active(actor=sysadmin, user=target, active=False)
    target.refresh_from_db()
    assert target.is_active
    assert target.check_password(password)


def test_secadmin_cannot_manage_accounts(world, password):
    member = world.user("member")

    with pytest.raises(Forbidden):
        services.user_set_password(actor=world.user("secadmin"), user=member, password=STRONG)
    member.refresh_from_db()
    assert member.check_password(password)


def test_user_update_records_only_what_changed(world):
    member = world.user("member")

    services.user_update(
        actor=world.user("sysadmin"), user=member, display_name="新名字", email=member.email
    )

    member.refresh_from_db()
    assert member.display_name == "新名字"
    record = AuditRecord.objects.get(action="accounts.user_updated")
    assert record.details == {"fields": ["display_name"]}
