"""The admin: accounts for the system administrator, role grants and tokens for the security
administrator, nothing for anybody else, and no Party content for anyone."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from dangwu.access import SYSTEM, Role
from dangwu.accounts.models import ApiToken, RoleAssignment, User
from dangwu.accounts.services import (
    role_grant,
    role_grant_problem,
    token_authenticate,
    token_issue,
    user_create,
)
from dangwu.audit.models import AuditRecord

INDEX = reverse("admin:index")
USERS = reverse("admin:accounts_user_changelist")
USER_ADD = reverse("admin:accounts_user_add")
GRANTS = reverse("admin:accounts_roleassignment_changelist")
GRANT_ADD = reverse("admin:accounts_roleassignment_add")
TOKENS = reverse("admin:accounts_apitoken_changelist")
NEW_PASSWORD = "Fresh#Pass2026"


def audited(action: str, actor: str) -> AuditRecord | None:
    return AuditRecord.objects.filter(action=action, actor_name=actor).first()


def test_sysadmin_opens_the_admin_and_the_user_list(client_for, world):
    client = client_for("sysadmin")

    assert client.get(INDEX).status_code == 200
    response = client.get(USERS)

    assert response.status_code == 200
    assert "demo-secretary" in response.content.decode()


def test_sysadmin_cannot_see_role_grants_or_tokens(client_for, world):
    client = client_for("sysadmin")

    index = client.get(INDEX).content.decode()
    assert GRANTS not in index
    assert TOKENS not in index
    assert client.get(GRANTS).status_code == 403
    assert client.get(GRANT_ADD).status_code == 403
    assert client.get(TOKENS).status_code == 403


def test_no_party_content_is_registered_in_the_admin(client_for, world):
    client = client_for("sysadmin")

    assert "/admin/orgs/" not in client.get(INDEX).content.decode()
    assert client.get("/admin/orgs/member/").status_code == 404
    assert client.get("/admin/orgs/organization/").status_code == 404


def test_user_page_shows_no_member_data(client_for, world):
    member_user = world.user("member")
    record = world.members["member"]

    body = (
        client_for("sysadmin")
        .get(reverse("admin:accounts_user_change", args=[member_user.pk]))
        .content.decode()
    )

    assert "demo-member" in body
    assert record.name not in body
    assert record.id_number_masked not in body
    assert record.organization.name not in body


def test_sysadmin_creates_an_account_through_the_service(client_for, world):
    response = client_for("sysadmin").post(
        USER_ADD,
        {
            "username": "new-clerk",
            "display_name": "新干事",
            "email": "",
            "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302
    user = User.objects.get(username="new-clerk")
    assert user.check_password(NEW_PASSWORD)
    assert not user.is_staff and not user.is_superuser
    record = audited("accounts.user_created", "demo-sysadmin")
    assert record.target_id == str(user.pk)


@pytest.mark.parametrize(
    ("username", "password", "again", "field"),
    [
        ("new-clerk", "short", "short", "new_password"),
        ("new-clerk", "alllowercase", "alllowercase", "new_password"),
        ("new-clerk", NEW_PASSWORD, NEW_PASSWORD + "x", "new_password_again"),
        ("demo-leader", NEW_PASSWORD, NEW_PASSWORD, "username"),
    ],
)
def test_bad_new_account_is_explained_and_nothing_is_written(
    client_for, world, username, password, again, field
):
    users_before = User.objects.count()

    response = client_for("sysadmin").post(
        USER_ADD,
        {"username": username, "new_password": password, "new_password_again": again},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field]
    assert User.objects.count() == users_before
    assert not audited("accounts.user_created", "demo-sysadmin")


def test_sysadmin_deactivates_an_account(client_for, world):
    clerk = world.user("clerk")

    response = client_for("sysadmin").post(
        reverse("admin:accounts_user_change", args=[clerk.pk]),
        {"display_name": "clerk", "email": "", "is_active": ""},
    )

    assert response.status_code == 302
    clerk.refresh_from_db()
    assert not clerk.is_active
    assert audited("accounts.user_deactivated", "demo-sysadmin").target_id == str(clerk.pk)


@pytest.mark.parametrize("persona", ["auditor", "secadmin", "sysadmin"])
def test_sysadmin_cannot_deactivate_itself_or_the_other_administrators(client_for, world, persona):
    target = world.user(persona)

    response = client_for("sysadmin").post(
        reverse("admin:accounts_user_change", args=[target.pk]),
        {"display_name": persona, "email": "", "is_active": ""},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["is_active"]
    target.refresh_from_db()
    assert target.is_active


def test_deactivate_action_goes_through_the_service(client_for, world):
    leader, editor = world.user("leader"), world.user("editor")

    client_for("sysadmin").post(
        USERS,
        {"action": "deactivate_selected", "_selected_action": [leader.pk, editor.pk]},
    )

    assert not User.objects.filter(pk__in=[leader.pk, editor.pk], is_active=True).exists()
    assert AuditRecord.objects.filter(action="accounts.user_deactivated").count() == 2


def test_sysadmin_sets_a_new_password(client_for, world):
    member = world.user("member")
    url = reverse("admin:accounts_user_password", args=[member.pk])
    client = client_for("sysadmin")

    assert (
        url in client.get(reverse("admin:accounts_user_change", args=[member.pk])).content.decode()
    )
    response = client.post(url, {"new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD})

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    assert audited("accounts.password_set", "demo-sysadmin").target_id == str(member.pk)


def test_weak_password_set_by_sysadmin_is_refused_with_the_rule(client_for, world, password):
    member = world.user("member")

    response = client_for("sysadmin").post(
        reverse("admin:accounts_user_password", args=[member.pk]),
        {"new_password": "abcdefghij", "new_password_again": "abcdefghij"},
    )

    assert response.status_code == 200
    with translation.override("zh-hans"):
        rule = gettext(
            "The password must contain at least three of: capital letters, "
            "small letters, digits and symbols."
        )
    assert rule in response.content.decode()
    member.refresh_from_db()
    assert member.check_password(password)


def test_sysadmin_cannot_set_the_auditors_password(client_for, world, password):
    auditor = world.user("auditor")

    response = client_for("sysadmin").post(
        reverse("admin:accounts_user_password", args=[auditor.pk]),
        {"new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    auditor.refresh_from_db()
    assert auditor.check_password(password)


def test_secadmin_sees_users_read_only(client_for, world):
    client = client_for("secadmin")
    clerk = world.user("clerk")
    change = reverse("admin:accounts_user_change", args=[clerk.pk])

    assert client.get(USERS).status_code == 200
    assert client.get(USER_ADD).status_code == 403
    assert (
        reverse("admin:accounts_user_password", args=[clerk.pk])
        not in client.get(change).content.decode()
    )
    client.post(change, {"display_name": "clerk", "email": "", "is_active": ""})
    clerk.refresh_from_db()
    assert clerk.is_active
    assert (
        client.post(
            reverse("admin:accounts_user_password", args=[clerk.pk]),
            {"new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD},
        ).status_code
        == 403
    )


def test_secadmin_grants_a_role_and_the_grant_is_audited(client_for, world):
    editor = world.user("editor")

    response = client_for("secadmin").post(
        GRANT_ADD,
        {"user": editor.pk, "role": Role.REVIEWER, "organization": world.orgs["org1"].pk},
    )

    assert response.status_code == 302
    grant = RoleAssignment.objects.get(user=editor, role=Role.REVIEWER)
    assert grant.organization == world.orgs["org1"]
    assert grant.granted_by == world.user("secadmin")
    record = audited("accounts.role_granted", "demo-secadmin")
    assert record.details == {"role": Role.REVIEWER, "organization": "A01"}


def test_admin_refuses_a_grant_that_breaks_separation_of_duties(client_for, world):
    secretary = world.user("secretary")

    response = client_for("secadmin").post(
        GRANT_ADD,
        {"user": secretary.pk, "role": Role.AUDITOR, "organization": world.orgs["root"].pk},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["role"] == [
        role_grant_problem(user=secretary, role=Role.AUDITOR)
    ]
    assert not RoleAssignment.objects.filter(user=secretary, role=Role.AUDITOR).exists()


def test_secadmin_revokes_a_role_through_the_service(client_for, world):
    grant = RoleAssignment.objects.get(user=world.user("editor"))

    response = client_for("secadmin").post(
        reverse("admin:accounts_roleassignment_delete", args=[grant.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk=grant.pk).exists()
    assert audited("accounts.role_revoked", "demo-secadmin").details["role"] == Role.EDITOR


def test_grants_cannot_be_edited_only_revoked(client_for, world):
    grant = RoleAssignment.objects.get(user=world.user("editor"))

    client_for("secadmin").post(
        reverse("admin:accounts_roleassignment_change", args=[grant.pk]),
        {"user": grant.user_id, "role": Role.LEADER, "organization": grant.organization_id},
    )

    grant.refresh_from_db()
    assert grant.role == Role.EDITOR


def test_secadmin_revokes_someones_api_token(client_for, world):
    token, secret = token_issue(actor=world.user("secretary"), name="脚本")
    client = client_for("secadmin")

    listing = client.get(TOKENS).content.decode()
    assert token.prefix in listing
    assert token.digest not in listing
    client.post(TOKENS, {"action": "revoke_selected", "_selected_action": [token.pk]})

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token_authenticate(secret) is None
    assert audited("accounts.token_revoked", "demo-secadmin").details == {"owner": "demo-secretary"}


def test_secadmin_cannot_add_tokens_in_the_admin(client_for, world):
    assert client_for("secadmin").get(reverse("admin:accounts_apitoken_add")).status_code == 403
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("persona", ["auditor", "leader", "secretary", "member"])
def test_other_roles_are_refused_by_the_admin(client_for, world, persona):
    client = client_for(persona)

    response = client.get(INDEX, follow=True)

    assert response.status_code == 403
    assert client.get(USERS, follow=True).status_code == 403
    denial = audited("access.denied", world.user(persona).username)
    assert denial.details == {"permission": "admin"}


def test_anonymous_visitor_is_sent_to_the_platform_sign_in(client, db):
    response = client.get(INDEX, follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))
    assert response.status_code == 200


def add_members_with_accounts(world, count: int) -> None:
    for n in range(count):
        user = user_create(actor=SYSTEM, username=f"extra-{n}", password=NEW_PASSWORD)
        role_grant(actor=SYSTEM, user=user, role=Role.MEMBER, organization=world.orgs["branch2"])


# session, user, grants, session save (3 with its savepoint), count, filtered count, page
@pytest.mark.parametrize("extra", [0, 40])
def test_admin_user_list_query_count_does_not_grow_with_users(
    client_for, world, django_assert_max_num_queries, extra
):
    add_members_with_accounts(world, extra)
    client = client_for("sysadmin")
    client.get(USERS)

    with django_assert_max_num_queries(9):
        assert client.get(USERS).status_code == 200


@pytest.mark.parametrize("extra", [0, 40])
def test_admin_grant_list_query_count_does_not_grow_with_grants(
    client_for, world, django_assert_max_num_queries, extra
):
    add_members_with_accounts(world, extra)
    client = client_for("secadmin")
    client.get(GRANTS)

    with django_assert_max_num_queries(9):
        assert client.get(GRANTS).status_code == 200
