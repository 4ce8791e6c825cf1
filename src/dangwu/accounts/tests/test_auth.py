"""Signing in and out, lockout, idle sessions, passwords, care mode and personal tokens."""

import re
import runpy
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.contrib.sessions.models import Session
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

import dangwu.settings
from dangwu.accounts import services
from dangwu.accounts.forms import SignInForm
from dangwu.accounts.models import ApiToken, User
from dangwu.audit.models import AuditRecord
from dangwu.core.context_processors import CARE_COOKIE
from dangwu.core.errors import ValidationFailed

LOGIN = reverse("accounts:login")
LOGOUT = reverse("accounts:logout")
PASSWORD_PAGE = reverse("accounts:password_change")
PROFILE = reverse("accounts:profile")
CJK = re.compile(r"[\u4e00-\u9fff]")
STRONG = "Renewed#2026x"
CHARACTER_RULE = (
    "The password must contain at least three of: capital letters, small letters, digits and "
    "symbols."
)


def zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        return gettext(msgid)


def sign_in(client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password})


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def production_settings(monkeypatch, **env) -> dict:
    """Evaluate the settings module afresh, as a deployment with only ``env`` set would."""
    monkeypatch.delenv("DANGWU_IDLE_MINUTES", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(dangwu.settings.__file__)


def test_sign_in_page_is_in_chinese(client, db):
    response = client.get(LOGIN)

    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="zh-CN"' in body
    assert f"<h1>{zh('Sign in')}</h1>" in body
    assert CJK.search(zh("Sign in"))


def test_correct_password_signs_in_and_is_audited(client, world, password):
    response = sign_in(client, "demo-member", password)

    assert response.status_code == 302
    assert response.url == reverse("core:home")
    assert signed_in(client)
    assert AuditRecord.objects.filter(action="accounts.signed_in", actor_name="demo-member")


def test_wrong_password_is_explained_in_chinese_and_audited(client, world):
    response = sign_in(client, "demo-member", "Wrong#Pass1")

    assert response.status_code == 200
    assert not signed_in(client)
    with translation.override("zh-hans"):
        expected = SignInForm.error_messages["invalid_login"] % {
            "username": User._meta.get_field("username").verbose_name
        }
    assert CJK.search(expected)  # Django ships this message in zh_Hans
    assert escape(expected) in response.content.decode()
    failure = AuditRecord.objects.get(action="accounts.sign_in_failed")
    assert failure.actor_name == "demo-member"
    assert not failure.success


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(client, world, password):
    for _attempt in range(4):
        assert sign_in(client, "demo-member", "Wrong#Pass1").status_code == 200
    sign_in(client, "demo-member", "Wrong#Pass1")

    response = sign_in(client, "demo-member", password)

    assert response.status_code == 429
    assert not signed_in(client)
    message = zh(
        "This account is locked for %(minutes)d minutes after %(limit)d wrong passwords. "
        "Please try again later, or ask the system administrator to unlock it."
    ) % {"minutes": 15, "limit": 5}
    assert escape(message) in response.content.decode()
    assert AuditRecord.objects.filter(action="accounts.locked_out", actor_name="demo-member")


def test_lockout_is_per_account_not_per_office(client, world, password):
    for _attempt in range(5):
        sign_in(client, "demo-member", "Wrong#Pass1")

    assert sign_in(client, "demo-secretary", password).status_code == 302


def test_account_opens_again_after_the_cool_off(client, world, password):
    for _attempt in range(5):
        sign_in(client, "demo-member", "Wrong#Pass1")
    assert sign_in(client, "demo-member", password).status_code == 429

    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))

    assert sign_in(client, "demo-member", password).status_code == 302
    assert signed_in(client)


def test_sysadmin_unlocks_a_locked_account(client, world, password):
    for _attempt in range(5):
        sign_in(client, "demo-member", "Wrong#Pass1")

    services.user_unlock(actor=world.user("sysadmin"), user=world.user("member"))

    assert sign_in(client, "demo-member", password).status_code == 302
    assert AuditRecord.objects.filter(action="accounts.unlocked", actor_name="demo-sysadmin")


def test_sign_out_takes_a_post(client_for, world):
    client = client_for("member")

    assert client.get(LOGOUT).status_code == 405
    assert signed_in(client)
    response = client.post(LOGOUT)

    assert response.status_code == 302
    assert response.url == LOGIN
    assert not signed_in(client)
    assert AuditRecord.objects.filter(action="accounts.signed_out", actor_name="demo-member")


def test_session_lasts_the_idle_time_and_is_renewed_on_every_request(client_for, world):
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    client = client_for("member")

    response = client.get(PROFILE)

    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 30 * 60


def test_idle_session_ends_and_asks_to_sign_in_again(client_for, world):
    client = client_for("member")
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))

    response = client.get(PROFILE)

    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_idle_minutes_come_from_the_environment(monkeypatch):
    assert production_settings(monkeypatch)["SESSION_COOKIE_AGE"] == 30 * 60
    deployed = production_settings(monkeypatch, DANGWU_IDLE_MINUTES="45")

    assert deployed["SESSION_COOKIE_AGE"] == 45 * 60
    assert deployed["SESSION_SAVE_EVERY_REQUEST"] is True


def test_passwords_are_hashed_with_argon2_in_production(monkeypatch):
    hashers = production_settings(monkeypatch)["PASSWORD_HASHERS"]

    assert hashers[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert Argon2PasswordHasher().encode("Abc#12345", "somesalt123456").startswith("argon2$")


@pytest.mark.parametrize(
    ("new_password", "message"),
    [
        ("Ab#1234", None),  # 7 characters: Django's length rule, in its own words
        ("abcdefgh1", CHARACTER_RULE),  # two classes only
        ("ABCDEFGH#", CHARACTER_RULE),
    ],
)
def test_password_rules_are_enforced_by_the_service(world, password, new_password, message):
    member = world.user("member")

    with pytest.raises(ValidationFailed) as refused:
        services.password_change(actor=member, old_password=password, new_password=new_password)

    if message is not None:
        assert refused.value.message == gettext(message)
    member.refresh_from_db()
    assert member.check_password(password)


@pytest.mark.parametrize("new_password", ["Qzxwvut7", "qzxwvu7#", "QZXWVU7#", "Qzxwvut#"])
def test_three_of_four_classes_and_eight_characters_are_enough(world, password, new_password):
    member = world.user("member")

    services.password_change(actor=member, old_password=password, new_password=new_password)

    member.refresh_from_db()
    assert member.check_password(new_password)


def test_password_page_says_what_to_fix_without_echoing_passwords(client_for, world, password):
    client = client_for("member")

    response = client.post(
        PASSWORD_PAGE,
        {"old_password": password, "new_password": "abcdefgh1", "new_password_again": "abcdefgh1"},
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert escape(zh(CHARACTER_RULE)) in body
    assert "abcdefgh1" not in body
    assert password not in body
    assert world.user("member").check_password(password)


def test_password_page_refuses_a_wrong_current_password(client_for, world, password):
    response = client_for("member").post(
        PASSWORD_PAGE,
        {"old_password": "Wrong#Pass1", "new_password": STRONG, "new_password_again": STRONG},
    )

    assert response.status_code == 200
    assert escape(zh("The current password is not correct.")) in response.content.decode()
    member = User.objects.get(username="demo-member")
    assert member.check_password(password)


def test_password_page_changes_the_password_and_keeps_the_session(client_for, world, password):
    client = client_for("member")

    response = client.post(
        PASSWORD_PAGE,
        {"old_password": password, "new_password": STRONG, "new_password_again": STRONG},
    )

    assert response.status_code == 302
    assert User.objects.get(username="demo-member").check_password(STRONG)
    assert client.get(PROFILE).status_code == 200
    assert AuditRecord.objects.filter(action="accounts.password_changed", actor_name="demo-member")


def html_class(response) -> str:
    return re.search(r'<html lang="zh-CN" class="([^"]*)"', response.content.decode()).group(1)


def test_care_mode_is_remembered_on_the_account(client_for, world, client):
    member = client_for("member")
    assert html_class(member.get(PROFILE)) == ""

    response = member.post("/care/", {"enabled": "1", "next": PROFILE})

    assert response.status_code == 302
    assert response.url == PROFILE
    assert User.objects.get(username="demo-member").care_mode
    assert html_class(member.get(PROFILE)) == "care"
    member.cookies.clear()  # another browser: the account remembers
    member.force_login(world.user("member"))
    assert html_class(member.get(PROFILE)) == "care"

    member.post("/care/", {"enabled": "0"})
    assert html_class(member.get(PROFILE)) == ""


def test_care_mode_is_remembered_by_the_browser_for_visitors(client, db):
    response = client.post("/care/", {"enabled": "1", "next": LOGIN})

    assert response.cookies[CARE_COOKIE].value == "1"
    assert html_class(client.get(LOGIN)) == "care"


def test_care_mode_toggle_takes_a_post(client, db):
    assert client.get("/care/").status_code == 405


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/path", "http://testserver.evil.example/"]
)
def test_care_mode_refuses_to_redirect_elsewhere(client, db, target):
    response = client.post("/care/", {"enabled": "1", "next": target})

    assert response.status_code == 302
    assert response.url == "/"


def test_token_is_shown_once_and_works_until_revoked(client_for, world):
    client = client_for("member")

    client.post(reverse("accounts:token_create"), {"name": "脚本"})
    secret = re.search(r'<code class="token">([^<]+)</code>', client.get(PROFILE).content.decode())

    assert secret is not None
    assert services.token_authenticate(secret.group(1)) == world.user("member")
    assert secret.group(1) not in client.get(PROFILE).content.decode()
    token = ApiToken.objects.get(user=world.user("member"))
    assert token.digest != secret.group(1)

    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))

    assert response.status_code == 302
    assert services.token_authenticate(secret.group(1)) is None


def test_nobody_revokes_another_persons_token(client_for, world):
    token, secret = services.token_issue(actor=world.user("secretary"))

    response = client_for("member").post(reverse("accounts:token_revoke", args=[token.pk]))

    assert response.status_code == 404
    assert services.token_authenticate(secret) == world.user("secretary")


def test_token_revoke_takes_a_post(client_for, world):
    token, _secret = services.token_issue(actor=world.user("member"))

    assert (
        client_for("member").get(reverse("accounts:token_revoke", args=[token.pk])).status_code
        == 405
    )
    token.refresh_from_db()
    assert token.revoked_at is None
