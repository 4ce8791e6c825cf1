"""Personal tokens through the API: issue, use, list, revoke, tampering and lockout."""

import secrets

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from dangwu.accounts.models import ApiToken
from dangwu.audit.models import AuditRecord

TOKEN_URL = "/api/v1/auth/token"


def zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(msgid)


def issue(client, username: str, password: str, **extra):
    body = {"username": username, "password": password, **extra}
    return client.post(TOKEN_URL, body, content_type="application/json")


def locked_message() -> str:
    with translation.override("zh-hans"):
        return translation.gettext(
            "This account is locked for %(minutes)d minutes after %(limit)d wrong passwords. "
            "Please try again later, or ask the system administrator to unlock it."
        ) % {
            "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            "limit": settings.AXES_FAILURE_LIMIT,
        }


def test_right_password_issues_a_token_that_authenticates_the_user(client, world, password):
    response = issue(client, "demo-secretary", password, name="my script")
    assert response.status_code == 201
    body = response.json()
    assert body["token"].startswith("dw_")
    assert body["name"] == "my script"
    token = ApiToken.objects.get(pk=body["id"])
    assert token.user == world.user("secretary")
    assert body["token"] not in token.digest  # only a digest is stored

    me = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200
    assert me.json()["username"] == "demo-secretary"


def test_issuing_a_token_is_audited_as_a_sign_in(client, world, password):
    issue(client, "demo-secretary", password)
    actions = set(
        AuditRecord.objects.filter(actor=world.user("secretary")).values_list("action", flat=True)
    )
    assert {"accounts.signed_in", "accounts.token_issued"} <= actions


@pytest.mark.parametrize("username", ["demo-secretary", "nobody-here"])
def test_wrong_password_or_unknown_user_gets_401_and_no_token(client, world, username):
    response = issue(client, username, "Wrong@Pass2026")
    assert response.status_code == 401
    assert response.json() == {"detail": zh("The user name or password is not correct.")}
    assert not ApiToken.objects.exists()


def test_a_disabled_account_gets_no_token(client, world, password):
    user = world.user("secretary")
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert issue(client, "demo-secretary", password).status_code == 401
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"username": "demo-secretary"},
        {"password": "x"},
        {"username": "", "password": "x"},
        {"username": "a\x00b", "password": "x"},
        {"username": "demo-secretary", "password": "x", "name": "n" * 61},
    ],
)
def test_malformed_token_request_gets_422(client, world, body):
    response = client.post(TOKEN_URL, body, content_type="application/json")
    assert response.status_code == 422
    assert not ApiToken.objects.exists()


def test_token_request_that_is_not_json_gets_400(client, world):
    response = client.post(TOKEN_URL, "{not json", content_type="application/json")
    assert response.status_code == 400


def test_five_wrong_passwords_lock_the_account_through_the_api(client, world, password):
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5
    for _ in range(limit - 1):
        assert issue(client, "demo-secretary", "Wrong@Pass2026").status_code == 401
    locked = issue(client, "demo-secretary", "Wrong@Pass2026")
    assert locked.status_code == 429
    assert locked.json() == {"detail": locked_message()}
    # Even the right password is refused while the account is locked.
    again = issue(client, "demo-secretary", password)
    assert again.status_code == 429
    assert again.json() == {"detail": locked_message()}
    assert not ApiToken.objects.exists()
    assert AuditRecord.objects.filter(action="accounts.locked_out").exists()
    # The lock is on the account: the sign-in page refuses it too.
    page = Client().post("/accounts/login/", {"username": "demo-secretary", "password": password})
    assert page.status_code == 429


def test_lockout_of_one_account_leaves_others_alone(client, world, password):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        issue(client, "demo-secretary", "Wrong@Pass2026")
    assert issue(client, "demo-leader", password).status_code == 201


def test_a_successful_token_request_resets_the_failure_count(client, world, password):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        issue(client, "demo-secretary", "Wrong@Pass2026")
    assert issue(client, "demo-secretary", password).status_code == 201
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert issue(client, "demo-secretary", "Wrong@Pass2026").status_code == 401
    assert issue(client, "demo-secretary", password).status_code == 201


@pytest.mark.parametrize(
    "mangle",
    [
        lambda s: s[:-1] + ("A" if s[-1] != "A" else "B"),  # one character changed
        lambda s: s[3:],  # prefix stripped
        lambda s: s + "x",
        lambda s: "dw_" + secrets.token_urlsafe(32),  # well-formed but unknown
        lambda s: "",
    ],
)
def test_tampered_or_unknown_token_gets_401_with_a_clear_message(client, token_for, mangle):
    secret = token_for("secretary")
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {mangle(secret)}"})
    assert response.status_code == 401
    assert response.json() == {"detail": zh("The token is not valid or has been revoked.")}
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_bad_token_is_refused_even_alongside_a_valid_session(client_for):
    client = client_for("secretary")
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer dw_forged"})
    assert response.status_code == 401


def test_no_credentials_at_all_gets_401(client, world):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["detail"] == zh(
        "Sign in, or send a personal API token (Authorization: Bearer ...)."
    )


def test_token_of_a_disabled_user_stops_working(api_as, world):
    caller = api_as("secretary")
    assert caller.get("/api/v1/me").status_code == 200
    user = world.user("secretary")
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert caller.get("/api/v1/me").status_code == 401


def test_token_list_shows_only_my_active_tokens_without_secrets(api_as, token_for, world):
    caller = api_as("secretary")
    token_for("leader")
    response = caller.get("/api/v1/auth/tokens")
    assert response.status_code == 200
    tokens = response.json()
    assert len(tokens) == 1
    assert set(tokens[0]) == {"id", "name", "prefix", "created_at", "last_used_at"}
    assert caller.headers["Authorization"].removeprefix("Bearer ") not in response.content.decode()


def test_revoked_token_no_longer_authenticates(api_as, client, world):
    caller = api_as("secretary")
    token_id = ApiToken.objects.get(user=world.user("secretary")).pk
    response = caller.delete(f"/api/v1/auth/tokens/{token_id}")
    assert response.status_code == 204
    assert ApiToken.objects.get(pk=token_id).revoked_at is not None
    again = caller.get("/api/v1/me")
    assert again.status_code == 401
    assert again.json() == {"detail": zh("The token is not valid or has been revoked.")}


def test_revoking_another_users_token_is_not_found_and_changes_nothing(api_as, token_for, world):
    token_for("leader")
    leaders = ApiToken.objects.get(user=world.user("leader"))
    response = api_as("secretary").delete(f"/api/v1/auth/tokens/{leaders.pk}")
    assert response.status_code == 404
    missing = api_as("secretary").delete("/api/v1/auth/tokens/987654")
    assert missing.status_code == 404
    assert missing.content == response.content
    leaders.refresh_from_db()
    assert leaders.revoked_at is None


def test_security_administrator_may_revoke_anyones_token(api_as, token_for, world):
    leaked = token_for("leader")
    token = ApiToken.objects.get(user=world.user("leader"))
    assert api_as("secadmin").delete(f"/api/v1/auth/tokens/{token.pk}").status_code == 204
    response = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {leaked}"})
    assert response.status_code == 401


def test_session_calls_that_change_something_need_the_csrf_token(world, token_for):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.user("secretary"))
    token_for("secretary")
    token = ApiToken.objects.get(user=world.user("secretary"))
    url = f"/api/v1/auth/tokens/{token.pk}"

    refused = browser.delete(url)
    assert refused.status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None

    csrf = secrets.token_hex(16)  # 32 characters: a valid unmasked CSRF secret
    browser.cookies["csrftoken"] = csrf
    accepted = browser.delete(url, headers={"X-CSRFToken": csrf})
    assert accepted.status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_session_reads_work_without_csrf(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.user("secretary"))
    assert browser.get("/api/v1/me").status_code == 200


def test_bearer_calls_need_no_csrf_token(world, token_for):
    secret = token_for("secretary")
    token = ApiToken.objects.get(user=world.user("secretary"))
    response = Client(enforce_csrf_checks=True).delete(
        f"/api/v1/auth/tokens/{token.pk}", headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 204


def test_me_describes_the_caller_roles_and_member_record(api_as, world):
    response = api_as("secretary").get("/api/v1/me")
    assert response.status_code == 200
    body = response.json()
    with translation.override("zh-hans"):
        label = str(translation.gettext("Organization secretary"))
    assert body == {
        "username": "demo-secretary",
        "display_name": "secretary",
        "care_mode": False,
        "roles": [
            {
                "role": "secretary",
                "role_label": label,
                "organization_id": world.orgs["org1"].pk,
                "organization_name": "第一机关党委",
            }
        ],
        "member_id": world.members["secretary"].pk,
    }


def test_me_works_for_an_administrator_without_a_member_record(api_as):
    body = api_as("sysadmin").get("/api/v1/me").json()
    assert body["member_id"] is None
    assert [r["role"] for r in body["roles"]] == ["sysadmin"]
