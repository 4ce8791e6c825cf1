"""Profile, API tokens, password change and lockout in a real browser, with axe-core."""

import pytest

from dangwu.accounts.models import ApiToken, User
from dangwu.audit.models import AuditRecord
from tests.browser.helpers import zh
from tests.personas import PASSWORD

pytestmark = pytest.mark.browser

NEW_PASSWORD = "Neu@Kennwort2027"


def _sign_out(site) -> None:
    site.press(zh("Sign out"))


def test_api_token_is_shown_once_and_can_be_revoked(site, world):
    page = site.page
    site.sign_in("demo-secretary")
    site.go("/accounts/profile/")
    site.assert_accessible()

    page.get_by_label(zh("What the token is for")).fill("统计报表")
    site.press(zh("Create a token"))
    notice = page.get_by_role("status").filter(
        has_text=zh("Your new token is shown only this once. Copy it now:")
    )
    secret = notice.locator("code").inner_text().strip()
    token = ApiToken.objects.get(user=world.user("secretary"), revoked_at__isnull=True)
    assert secret.startswith(token.prefix)
    assert len(secret) > len(token.prefix) + 16
    assert site.axe() == []

    site.go("/accounts/profile/")
    assert secret not in page.content()
    table = page.get_by_role("table", name=zh("Tokens in use"))
    assert "统计报表" in table.inner_text()
    site.assert_accessible()

    site.press(f"{zh('Revoke')} 统计报表")
    assert zh("The token has been revoked.") in page.get_by_role("status").inner_text()
    assert page.get_by_role("table", name=zh("Tokens in use")).count() == 0
    token.refresh_from_db()
    assert token.revoked_at is not None
    site.assert_accessible()


def _change_password(site, old: str, new: str) -> None:
    page = site.page
    page.get_by_label(zh("Current password")).fill(old)
    page.get_by_label(zh("New password"), exact=False).first.fill(new)
    page.get_by_label(zh("New password again")).fill(new)
    site.press(zh("Change my password"))


def test_password_change_refuses_a_wrong_current_password_then_changes_it(site, world):
    page = site.page
    site.sign_in("demo-member")
    site.go("/accounts/profile/")
    site.follow(zh("Change my password"))
    site.assert_accessible()

    # The error page answers a POST (switching care mode reloads the empty form): try in each.
    for care in (False, True):
        site.set_care_mode(care)
        _change_password(site, "not-my-password", NEW_PASSWORD)
        assert zh("The current password is not correct.") in page.get_by_role("alert").inner_text()
        field = page.get_by_label(zh("Current password"))
        assert field.get_attribute("aria-invalid") == "true"
        # A screen reader reads the error with the field, not only in the summary at the top.
        error_id = field.get_attribute("aria-describedby")
        assert (
            zh("The current password is not correct.") in page.locator(f"#{error_id}").inner_text()
        )
        assert site.axe() == [], f"care={care}"
    user = User.objects.get(pk=world.user("member").pk)
    assert user.check_password(PASSWORD)
    assert not AuditRecord.objects.filter(action="accounts.password_changed").exists()

    site.set_care_mode(False)
    _change_password(site, PASSWORD, NEW_PASSWORD)
    assert page.url.endswith("/accounts/profile/")
    assert zh("Your password has been changed.") in page.get_by_role("status").inner_text()
    _sign_out(site)

    site.sign_in("demo-member", password=PASSWORD)
    assert "/accounts/login/" in page.url
    site.sign_in("demo-member", password=NEW_PASSWORD)
    assert page.get_by_role("heading", level=1).inner_text().startswith("您好")


def _try_sign_in(site, password: str):
    page = site.page
    page.get_by_label(zh("User name")).fill("demo-secretary")
    page.get_by_label(zh("Password")).fill(password)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=zh("Sign in"), exact=True).click()
    return navigation.value


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(site):
    page = site.page
    site.go("/accounts/login/")
    statuses = [_try_sign_in(site, f"wrong-{n}").status for n in range(5)]
    assert statuses[:4] == [200, 200, 200, 200]
    assert statuses[4] == 429
    locked = zh(
        "This account is locked for %(minutes)d minutes after %(limit)d wrong passwords. "
        "Please try again later, or ask the system administrator to unlock it.",
        minutes=15,
        limit=5,
    )
    assert page.get_by_role("alert").inner_text().strip() == locked
    assert site.axe() == []

    # Even the right password is refused while locked; the page says why, in care mode too.
    site.set_care_mode(True)
    response = _try_sign_in(site, PASSWORD)
    assert response.status == 429
    assert page.get_by_role("alert").inner_text().strip() == locked
    assert "/accounts/login/" in page.url
    assert site.axe() == []
    assert AuditRecord.objects.filter(action="accounts.locked_out").exists()
    assert not AuditRecord.objects.filter(action="accounts.signed_in").exists()


def test_a_warning_comes_two_minutes_before_the_idle_sign_out_and_one_click_continues(site):
    """WCAG 2.2.1: the person is warned before the time limit and extends it simply."""
    page = site.page
    page.clock.install()
    site.sign_in("demo-secretary")
    warning = page.locator("#idle-warning")
    assert warning.is_hidden()
    page.clock.fast_forward("27:00")
    assert warning.is_hidden()
    page.clock.fast_forward("01:30")
    assert warning.is_visible()
    assert zh("Keep me signed in") in warning.inner_text()
    # The warning takes the focus, so a keyboard user can answer it at once.
    assert page.evaluate("document.activeElement.closest('#idle-warning') !== null")
    assert site.axe() == []
    with page.expect_response(lambda r: r.url.endswith("/accounts/keepalive/")) as answer:
        warning.get_by_role("button").click()
    assert answer.value.status == 204
    page.wait_for_function("document.getElementById('idle-warning').hidden")
    page.clock.fast_forward("27:00")
    assert warning.is_hidden()
