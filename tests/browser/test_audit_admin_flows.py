"""The auditor's page and the restricted admin in a real browser, with axe-core on each page.

The admin has no care mode (it is Django's own layout, for the two administrators), so its pages
are checked once, in the one mode they have.
"""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone, translation

from dangwu.audit.labels import action_label
from dangwu.audit.models import AuditRecord
from dangwu.orgs.services import member_reveal
from tests.browser.helpers import is_xlsx, zh, zh_count

pytestmark = pytest.mark.browser


def _assert_admin_page_accessible(site) -> None:
    assert site.axe() == [], site.page.url
    assert site.external_requests == []


def test_auditor_filters_by_action_and_date_and_exports_the_records(site, world):
    member = world.members["member"]
    member_reveal(actor=world.user("secretary"), member=member, reason="核对党籍")
    page = site.page
    site.sign_in("demo-auditor")
    site.go("/audit/")
    site.assert_accessible()

    today = timezone.localdate()
    with translation.override("zh-hans"):
        label = action_label("orgs.member_revealed")
    page.get_by_label(zh("Action"), exact=True).select_option(label=label)
    page.get_by_label(zh("From (date)")).fill(f"{today:%Y-%m-%d}")
    page.get_by_label(zh("To (date)")).fill(f"{today:%Y-%m-%d}")
    site.press(zh("Search"))
    assert "action=orgs.member_revealed" in page.url
    rows = page.locator("tbody tr")
    assert rows.count() == 1
    assert member.name in rows.first.inner_text()
    assert "核对党籍" in rows.first.inner_text()
    site.assert_accessible()

    with page.expect_download() as info:
        page.get_by_role("link", name=zh("Export these records to Excel")).click()
    assert is_xlsx(Path(info.value.path()).read_bytes())
    assert AuditRecord.objects.filter(action="audit.exported").count() == 1

    # A day before anything happened finds nothing.
    yesterday = today - timedelta(days=1)
    page.get_by_label(zh("From (date)")).fill(f"{yesterday:%Y-%m-%d}")
    page.get_by_label(zh("To (date)")).fill(f"{yesterday:%Y-%m-%d}")
    site.press(zh("Search"))
    assert page.locator("tbody tr").count() == 0
    found = zh_count("%(n)s record found", "%(n)s records found", 0)
    assert found in page.get_by_role("status").inner_text()


def test_auditor_gets_a_clear_error_for_an_end_date_before_the_start(site):
    page = site.page
    site.sign_in("demo-auditor")
    site.go("/audit/?date_from=2026-03-02&date_to=2026-03-01")
    assert page.get_by_role("alert").is_visible()
    assert zh("The end date is before the start date.") in page.get_by_role("alert").inner_text()
    site.assert_accessible()


def test_secretary_opening_the_audit_log_gets_an_accessible_refusal(site):
    site.sign_in("demo-secretary")
    response = site.go("/audit/")
    assert response.status == 403
    assert site.page.get_by_role("heading", level=1).inner_text() == zh("Not allowed")
    assert "tbody" not in site.page.content()
    site.assert_accessible()
    assert site.go("/audit/export.xlsx").status == 403


def test_system_administrator_opens_the_users_in_the_admin(site, world):
    page = site.page
    site.sign_in("demo-sysadmin")
    assert site.go("/admin/").status == 200
    _assert_admin_page_accessible(site)
    assert site.go("/admin/accounts/user/").status == 200
    _assert_admin_page_accessible(site)
    site.follow("demo-member")
    assert page.url.endswith(f"/admin/accounts/user/{world.user('member').pk}/change/")
    _assert_admin_page_accessible(site)
    # Role grants are the security administrator's: the system administrator cannot add one.
    assert site.go("/admin/accounts/roleassignment/add/").status == 403


def test_security_administrator_opens_the_role_grants_and_the_add_form(site):
    page = site.page
    site.sign_in("demo-secadmin")
    assert site.go("/admin/accounts/roleassignment/").status == 200
    assert page.get_by_role("link", name="secretary", exact=True).is_visible()
    _assert_admin_page_accessible(site)
    assert site.go("/admin/accounts/roleassignment/add/").status == 200
    # The user box (an autocomplete) is named by its label, like every other field.
    label = page.locator("label[for=id_user]").inner_text().rstrip(":：")
    assert page.get_by_role("combobox", name=label).count() == 1
    _assert_admin_page_accessible(site)


def test_auditor_has_no_admin(site):
    site.sign_in("demo-auditor")
    assert site.go("/admin/").status == 403
    site.assert_accessible()
